"""Supermarket recovery: partner stores, their schedule, and what the driver records.

Weights picked up become a Reception through `reception_record`, so lots, the stock ledger
and cold-chain decisions follow the same rules as any food that comes in.
"""

from collections.abc import Mapping
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import NothingReason, PartnerStore, Pickup, PickupSlot, PickupStatus, Reception
from ..permissions import STOCK_HANDLER_ROLES, STOCK_MANAGER_ROLES
from .receptions import ReceptionLine, reception_record

# How far ahead planned pickups are written; longer ranges are refused (typing mistakes).
SCHEDULE_DAYS = 14
MAX_SCHEDULE_DAYS = 92
PARTNER_FIELDS = frozenset(
    {
        "site",
        "destination",
        "chain",
        "contact_name",
        "contact_phone",
        "contact_email",
        "typical_g",
        "notes",
        "is_active",
    }
)
OPEN_STATUSES = (PickupStatus.PLANNED, PickupStatus.MISSED)


def _check_partner(hub: Organisation, store: Organisation, values: Mapping[str, Any]) -> None:
    problems: dict[str, str] = {}
    if store.kind != Organisation.Kind.STORE:
        problems["store"] = _("Choose a store.")
    site: Site | None = values.get("site")
    if site is not None and site.organisation_id != store.pk:
        problems["site"] = _("This address is not one of this store's.")
    destination: Site | None = values.get("destination")
    if destination is None or destination.organisation_id != hub.pk:
        problems["destination"] = _("Choose one of your sites.")
    if (values.get("typical_g") or 0) < 0:
        problems["typical_g"] = _("Give a weight of zero or more.")
    if problems:
        raise ValidationError(problems)


def partner_store_create(
    *,
    actor: User,
    hub: Organisation,
    store: Organisation,
    destination: Site,
    site: Site | None = None,
    chain: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    typical_g: int = 0,
    notes: str = "",
    request: HttpRequest | None = None,
) -> PartnerStore:
    require_role(actor, hub, STOCK_MANAGER_ROLES)
    values = {"site": site, "destination": destination, "typical_g": typical_g}
    _check_partner(hub, store, values)
    if PartnerStore.objects.filter(hub=hub, store=store).exists():
        raise ValidationError({"store": _("This store is already a partner.")})
    with transaction.atomic():
        partner = PartnerStore.objects.create(
            hub=hub,
            store=store,
            site=site,
            destination=destination,
            chain=chain.strip(),
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip(),
            typical_g=typical_g,
            notes=notes.strip(),
        )
        audit_record(
            actor=actor,
            action="partner_store.create",
            organisation=hub,
            obj=partner,
            changed_fields=["store", *values],
            request=request,
        )
    return partner


def partner_store_update(
    *,
    actor: User,
    partner: PartnerStore,
    changes: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> PartnerStore:
    require_role(actor, partner.hub, STOCK_MANAGER_ROLES)
    unknown = set(changes) - PARTNER_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    merged = {name: getattr(partner, name) for name in PARTNER_FIELDS} | dict(changes)
    _check_partner(partner.hub, partner.store, merged)
    changed = [name for name, value in changes.items() if getattr(partner, name) != value]
    if not changed:
        return partner
    with transaction.atomic():
        for name in changed:
            value = changes[name]
            setattr(partner, name, value.strip() if isinstance(value, str) else value)
        partner.save(update_fields=changed)
        if "is_active" in changed and not partner.is_active:
            # A store that stops giving: its future visits are no longer planned.
            partner.pickups.filter(
                status=PickupStatus.PLANNED, scheduled_on__gte=timezone.localdate()
            ).delete()
        audit_record(
            actor=actor,
            action="partner_store.update",
            organisation=partner.hub,
            obj=partner,
            changed_fields=changed,
            request=request,
        )
    return partner


def pickup_slot_add(
    *,
    actor: User,
    partner: PartnerStore,
    weekday: int,
    starts_at: time,
    ends_at: time,
    request: HttpRequest | None = None,
) -> PickupSlot:
    """A recurring pickup; the coming weeks' pickups are planned at once."""
    require_role(actor, partner.hub, STOCK_MANAGER_ROLES)
    if weekday not in PickupSlot.Weekday.values:
        raise ValidationError({"weekday": _("Choose a day.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    if partner.slots.filter(weekday=weekday, starts_at=starts_at).exists():
        raise ValidationError({"starts_at": _("There is already a pickup at this time.")})
    with transaction.atomic():
        slot = PickupSlot.objects.create(
            store=partner, weekday=weekday, starts_at=starts_at, ends_at=ends_at
        )
        audit_record(
            actor=actor,
            action="pickup_slot.create",
            organisation=partner.hub,
            obj=slot,
            changed_fields=["weekday", "starts_at", "ends_at"],
            request=request,
        )
        today = timezone.localdate()
        _plan(partner.hub, today, today + timedelta(days=SCHEDULE_DAYS - 1), slot=slot)
    return slot


def pickup_slot_remove(
    *, actor: User, slot: PickupSlot, request: HttpRequest | None = None
) -> None:
    """Stop a recurring pickup: future planned visits go, recorded ones stay."""
    hub = slot.store.hub
    require_role(actor, hub, STOCK_MANAGER_ROLES)
    with transaction.atomic():
        slot.pickups.filter(
            status=PickupStatus.PLANNED, scheduled_on__gte=timezone.localdate()
        ).delete()
        audit_record(
            actor=actor,
            action="pickup_slot.delete",
            organisation=hub,
            obj=slot,
            request=request,
        )
        slot.delete()


def _plan(
    hub: Organisation, start: date, end: date, *, slot: PickupSlot | None = None
) -> list[Pickup]:
    """Planned pickups for the active slots between start and end (both included), for the
    (slot, day) pairs that have none yet."""
    slots = PickupSlot.objects.filter(store__hub=hub, store__is_active=True)
    if slot is not None:
        slots = slots.filter(pk=slot.pk)
    by_weekday: dict[int, list[PickupSlot]] = {}
    for each in slots.select_related("store"):
        by_weekday.setdefault(each.weekday, []).append(each)
    existing = set(
        Pickup.objects.filter(slot__in=slots, scheduled_on__range=(start, end)).values_list(
            "slot_id", "scheduled_on"
        )
    )
    new = []
    day = start
    while day <= end:
        for each in by_weekday.get(day.weekday(), ()):
            if (each.pk, day) not in existing:
                new.append(
                    Pickup(
                        organisation=hub,
                        store=each.store,
                        slot=each,
                        scheduled_on=day,
                        starts_at=each.starts_at,
                        ends_at=each.ends_at,
                    )
                )
        day += timedelta(days=1)
    # ignore_conflicts: two people opening the page at once both plan; one row wins.
    return Pickup.objects.bulk_create(new, ignore_conflicts=True)


def pickups_schedule(
    *,
    actor: User,
    org: Organisation,
    start: date,
    end: date,
    request: HttpRequest | None = None,
) -> int:
    """Write the planned pickups of the recurring schedule; idempotent. Returns how many
    were added."""
    require_role(actor, org, STOCK_HANDLER_ROLES)
    if end < start or (end - start).days >= MAX_SCHEDULE_DAYS:
        raise ValidationError(_("Choose a period of at most three months."))
    with transaction.atomic():
        created = len(_plan(org, start, end))
        if created:
            audit_record(
                actor=actor,
                action="pickup.schedule",
                organisation=org,
                changed_fields=["scheduled_on"],
                request=request,
            )
    return created


def _open_pickup(pickup: Pickup) -> Pickup:
    """The pickup, locked, if something may still be recorded for it."""
    locked = Pickup.objects.select_for_update().select_related("store").get(pk=pickup.pk)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(_("This pickup is already recorded."), code="recorded")
    if locked.scheduled_on > timezone.localdate():
        raise ValidationError(_("This pickup is not today yet."), code="future")
    return locked


def pickup_record(
    *,
    actor: User,
    pickup: Pickup,
    lines: list[ReceptionLine],
    notes: str = "",
    request: HttpRequest | None = None,
) -> Pickup:
    """The driver's weights (and temperatures): one reception, its lots and movements."""
    require_role(actor, pickup.organisation, STOCK_HANDLER_ROLES)
    with transaction.atomic():
        locked = _open_pickup(pickup)
        reception = reception_record(
            actor=actor,
            site=locked.store.destination,
            source=Reception.Source.RECOVERY,
            received_on=locked.scheduled_on,
            lines=lines,
            supplier=locked.store.store,
            notes=notes.strip(),
            request=request,
        )
        locked.status = PickupStatus.DONE
        locked.reception = reception
        locked.driver = actor
        locked.recorded_at = timezone.now()
        locked.reason, locked.reason_note = "", ""
        locked.save(
            update_fields=["status", "reception", "driver", "recorded_at", "reason", "reason_note"]
        )
        audit_record(
            actor=actor,
            action="pickup.record",
            organisation=locked.organisation,
            obj=locked,
            changed_fields=["status", "reception"],
            request=request,
        )
    return locked


def pickup_nothing_today(
    *,
    actor: User,
    pickup: Pickup,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Pickup:
    """The driver went, and came back with nothing: say why."""
    require_role(actor, pickup.organisation, STOCK_HANDLER_ROLES)
    note = note.strip()
    if reason not in NothingReason.values:
        raise ValidationError({"reason": _("Choose why there was nothing.")})
    if reason == NothingReason.OTHER and not note:
        raise ValidationError({"note": _("Say in a few words why there was nothing.")})
    with transaction.atomic():
        locked = _open_pickup(pickup)
        locked.status = PickupStatus.NOTHING_TODAY
        locked.reason, locked.reason_note = reason, note
        locked.driver = actor
        locked.recorded_at = timezone.now()
        try:
            locked.save(update_fields=["status", "reason", "reason_note", "driver", "recorded_at"])
        except IntegrityError as error:  # the CHECK constraint: never without a reason
            raise ValidationError({"reason": _("Choose why there was nothing.")}) from error
        audit_record(
            actor=actor,
            action="pickup.nothing_today",
            organisation=locked.organisation,
            obj=locked,
            changed_fields=["status", "reason", "reason_note"],
            request=request,
        )
    return locked


def pickups_mark_missed(
    *,
    actor: User,
    org: Organisation,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Store « missed » on planned pickups whose day has passed (selectors already count
    them as missed; this freezes it, e.g. at the end of the month)."""
    require_role(actor, org, STOCK_MANAGER_ROLES)
    today = today or timezone.localdate()
    with transaction.atomic():
        count = Pickup.objects.filter(
            organisation=org, status=PickupStatus.PLANNED, scheduled_on__lt=today
        ).update(status=PickupStatus.MISSED)
        if count:
            audit_record(
                actor=actor,
                action="pickup.mark_missed",
                organisation=org,
                changed_fields=["status"],
                request=request,
            )
    return count

"""Supermarket recovery for the demo hub: partner stores, their pickup days, and pickups.

The logistics demo already wrote a year of store-pickup receptions (twice a week at the 4
demo stores); here each becomes a « picked up » Pickup on its store's schedule. A Friday
bakery pickup added six weeks ago at the first store shows « nothing today » (with reasons)
and missed visits; the coming two weeks are planned. Loads once per hub; bulk writes.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cordee.core.demo.data import FRI, HUB, USERS
from cordee.core.models import Organisation, Site, User
from cordee.core.services.audit import audit_record

from .demo import PICKUPS
from .models import NothingReason, PartnerStore, Pickup, PickupSlot, PickupStatus, Reception
from .services.recovery import SCHEDULE_DAYS, _plan

# slug → (chain, morning window start hour, notes for the driver); fictional on purpose.
STORE_DETAILS = {
    "marche-des-cimes": ("Indépendant", 8, "Porte de réception à l'arrière; demander Julie."),
    "epicerie-du-village-val-david": ("Épicerie de quartier", 9, "Se garer rue de l'Église."),
    "supermarche-le-boise": ("Bannière régionale (fictive)", 8, "Quai no 2; sonner."),
    "coop-de-la-rouge": ("Coopérative", 10, "Entrée des livraisons, côté rue Allard."),
}
EXTRA_SLOT_STORE = "marche-des-cimes"  # the Friday bakery pickup
EXTRA_WEEKS = 6
# Outcome of each past Friday of the extra slot, oldest first: a reason, MISSED, or None
# (still « planned »: counted as missed by the selectors).
EXTRA_OUTCOMES: tuple[str | None, ...] = (
    NothingReason.NOTHING_TO_GIVE,
    PickupStatus.MISSED,
    NothingReason.NOT_READY,
    NothingReason.NOTHING_TO_GIVE,
    None,
    NothingReason.NOBODY,
)


def recovery_demo_load() -> int:
    """Write the demo's partner stores, slots and pickups unless already there; returns
    the rows written."""
    hub = Organisation.objects.filter(slug=HUB.slug).first()
    if hub is None or PartnerStore.objects.filter(hub=hub).exists():
        return 0
    today = timezone.localdate()
    destination = Site.objects.filter(organisation=hub, name=HUB.sites[0].name).first()
    stores = Organisation.objects.filter(slug__in=PICKUPS).prefetch_related("sites")
    if destination is None or not stores:
        return 0
    with transaction.atomic():
        partners = PartnerStore.objects.bulk_create(
            [_partner(hub, store, destination) for store in stores]
        )
        by_store = {p.store_id: p for p in partners}
        slots = PickupSlot.objects.bulk_create(
            [
                PickupSlot(
                    store=partner,
                    weekday=weekday,
                    starts_at=time(STORE_DETAILS[partner.store.slug][1]),
                    ends_at=time(STORE_DETAILS[partner.store.slug][1] + 1),
                )
                for partner in partners
                for weekday in PICKUPS[partner.store.slug][0]
            ]
        )
        extra = PickupSlot.objects.create(
            store=next(p for p in partners if p.store.slug == EXTRA_SLOT_STORE),
            weekday=FRI,
            starts_at=time(15),
            ends_at=time(16),
        )
        slot_of = {(s.store.store_id, s.weekday): s for s in slots}
        pickups = [
            *_done(hub, by_store, slot_of),
            *_extra(hub, extra, today),
        ]
        Pickup.objects.bulk_create(pickups)
        planned = _plan(hub, today, today + timedelta(days=SCHEDULE_DAYS - 1))
        created = len(partners) + len(slots) + 1 + len(pickups) + len(planned)
        audit_record(
            actor=None,
            action="demo.recovery",
            organisation=hub,
            changed_fields=["partnerstore", "pickupslot", "pickup"],
        )
    return created


def _partner(hub: Organisation, store: Organisation, destination: Site) -> PartnerStore:
    chain, _hour, notes = STORE_DETAILS.get(store.slug, ("", 9, ""))
    size = PICKUPS[store.slug][1]
    return PartnerStore(
        hub=hub,
        store=store,
        site=next(iter(store.sites.all()), None),
        destination=destination,
        chain=chain,
        contact_name=store.contact_name,
        contact_phone=store.contact_phone,
        contact_email=store.contact_email,
        typical_g=int(130_000 * size),
        notes=notes,
    )


def _done(
    hub: Organisation,
    by_store: dict[int, PartnerStore],
    slot_of: dict[tuple[int, int], PickupSlot],
) -> list[Pickup]:
    """A « picked up » pickup for each store-pickup reception already in the demo."""
    receptions = Reception.objects.filter(
        organisation=hub, source=Reception.Source.RECOVERY, supplier__in=list(by_store)
    ).values_list("pk", "supplier_id", "received_on", "received_by_id", "created_at")
    pickups, seen = [], set()
    for pk, store_id, day, driver_id, created_at in receptions:
        slot = slot_of.get((store_id, day.weekday()))
        key = (slot.pk if slot else None, store_id, day)
        if key in seen:  # two receptions the same day: the second is outside the schedule
            slot = None
        seen.add(key)
        pickups.append(
            Pickup(
                organisation=hub,
                store=by_store[store_id],
                slot=slot,
                scheduled_on=day,
                starts_at=slot.starts_at if slot else None,
                ends_at=slot.ends_at if slot else None,
                status=PickupStatus.DONE,
                driver_id=driver_id,
                reception_id=pk,
                recorded_at=created_at,
            )
        )
    return pickups


def _extra(hub: Organisation, slot: PickupSlot, today: date) -> list[Pickup]:
    """The Friday bakery pickup's past weeks: nothing today, with reasons, and missed."""
    driver = User.objects.filter(
        email__in=[u.email for u in USERS if u.local_part == "chauffeur.carrefour"]
    ).first()
    last_friday = today - timedelta(days=(today.weekday() - FRI) % 7 or 7)
    pickups = []
    for weeks_ago, outcome in zip(range(EXTRA_WEEKS, 0, -1), EXTRA_OUTCOMES, strict=True):
        day = last_friday - timedelta(weeks=weeks_ago - 1)
        pickup = Pickup(
            organisation=hub,
            store=slot.store,
            slot=slot,
            scheduled_on=day,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        )
        if outcome == PickupStatus.MISSED:
            pickup.status = PickupStatus.MISSED
        elif outcome is not None:
            pickup.status, pickup.reason, pickup.driver = (
                PickupStatus.NOTHING_TODAY,
                outcome,
                driver,
            )
            pickup.recorded_at = timezone.make_aware(datetime.combine(day, time(15, 20)))
        pickups.append(pickup)
    return pickups

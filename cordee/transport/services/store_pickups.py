"""Store pickups on tours come from the supermarket recovery schedule (logistics): the day's
planned Pickups of the hub become stops, each linked to its Pickup so the driver records
the weights on the recovery screen (which makes the reception, lots and ledger)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Site, User
from cordee.core.permissions import has_role
from cordee.core.services.audit import audit_record
from cordee.logistics.models import Lot, PartnerStore, Pickup, PickupStatus, StorageClass
from cordee.logistics.permissions import STOCK_HANDLER_ROLES
from cordee.logistics.selectors.recovery import pickup_list
from cordee.logistics.services.recovery import pickups_schedule

from ..models import Tour


def store_site(partner: PartnerStore) -> Site:
    """Where the truck goes: the partner's store address, else the store's own site."""
    if partner.site is not None:
        return partner.site
    sites = Site.objects.filter(organisation=partner.store, is_active=True).select_related(
        "municipality"
    )
    site = sites.filter(kind=Site.Kind.STORE).order_by("pk").first() or sites.order_by("pk").first()
    if site is None:
        raise ValidationError(
            _("%(store)s has no address: add it on the store's page (supermarket recovery).")
            % {"store": partner.store.name}
        )
    return site


def pickup_load_estimate(partner: PartnerStore) -> tuple[int, int, int]:
    """The typical weight of a pickup (grams), split by compartment like what this store
    gave before (its past receptions, by storage class). A store with no history yet is
    counted all refrigerated: most unsold supermarket food is (dairy, meat, produce), and the
    planner can change it."""
    total = partner.typical_g
    if not total:
        return (0, 0, 0)
    past = dict(
        Lot.objects.filter(reception__pickup__store=partner)
        .values_list("storage_class")
        .annotate(g=Sum("received_g"))
    )
    known = sum(past.values())
    if not known:
        return (0, total, 0)
    dry = total * past.get(StorageClass.DRY, 0) // known
    frozen = total * past.get(StorageClass.FROZEN, 0) // known
    return (dry, total - dry - frozen, frozen)


def pickups_of_tour_day(
    *, actor: User, tour: Tour, request: HttpRequest | None = None
) -> list[Pickup]:
    """The hub's planned pickups on the tour's day that no tour carries yet. The recurring
    schedule is written first (idempotent), for today and later only: a past day's missing
    pickups would only show up as « missed »."""
    org = tour.organisation
    if tour.date >= timezone.localdate() and has_role(actor, org, STOCK_HANDLER_ROLES):
        pickups_schedule(actor=actor, org=org, start=tour.date, end=tour.date, request=request)
    return list(
        pickup_list(org=org)
        .filter(
            scheduled_on=tour.date,
            status=PickupStatus.PLANNED,
            store__is_active=True,
            tour_stops__isnull=True,
        )
        .select_related("store__site__municipality")
        .order_by("starts_at", "store__store__name")
    )


def stop_fields_for_pickup(pickup: Pickup) -> dict[str, object]:
    """What a stop takes from its pickup: the slot's window and the estimated load."""
    dry, chilled, frozen = pickup_load_estimate(pickup.store)
    fields: dict[str, object] = {
        "pickup": pickup,
        "pickup_dry_g": dry,
        "pickup_chilled_g": chilled,
        "pickup_frozen_g": frozen,
    }
    if pickup.starts_at and pickup.ends_at:
        fields["window_start"], fields["window_end"] = pickup.starts_at, pickup.ends_at
    return fields


def pickup_for_hand_stop(
    *, actor: User, tour: Tour, partner: PartnerStore, request: HttpRequest | None = None
) -> Pickup:
    """A store added by hand: that day's planned pickup of the store if there is one (not on
    a tour yet), else an extra pickup outside the recurring schedule, so the driver records
    it like any other and the recovery figures count it."""
    if partner.hub_id != tour.organisation_id or not partner.is_active:
        raise ValidationError({"place": _("Choose one of your partner stores.")})
    planned = (
        Pickup.objects.filter(
            organisation=tour.organisation,
            store=partner,
            scheduled_on=tour.date,
            status=PickupStatus.PLANNED,
            tour_stops__isnull=True,
        )
        .order_by("starts_at", "pk")
        .first()
    )
    if planned is not None:
        return planned
    extra = Pickup.objects.create(
        organisation=tour.organisation, store=partner, scheduled_on=tour.date
    )
    audit_record(
        actor=actor,
        action="pickup.plan_extra",
        organisation=tour.organisation,
        obj=extra,
        changed_fields=["store", "scheduled_on"],
        request=request,
    )
    return extra

"""The coordinator's hand on a share-out, and members' standing orders.

``allocation_adjust`` rebuilds the engine's result for one category from what was saved,
lets :func:`cordee.logistics.allocation.adjust` move the grams (FEFO), and saves the
member's reservation lines and outcome, with the hub's balances of that category locked.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site, User
from cordee.core.permissions import MANAGER_ROLES, require_role
from cordee.core.services.audit import audit_record

from .. import allocation as engine
from ..models import (
    AllocationLine,
    AllocationOutcome,
    Category,
    DeliveryDay,
    Order,
    StandingOrderLine,
)
from ..selectors.orders import available_supply
from .orders import ORDER_ROLES, allocate_orders


def _computed_g(
    day: DeliveryDay, orders: list[Order], supply: list[engine.LotSupply], member_id: int
) -> dict[int, engine.MemberCategoryOutcome]:
    """What the calculation gives this member today, per category (to explain a change)."""
    result = allocate_orders(day, orders, supply)
    return result.per_member.get(member_id, {})


def _stock_changed() -> ValidationError:
    return ValidationError(
        _(
            "The stock has changed since the share-out (a loss, a recall or a count). "
            "Share out again before changing a quantity."
        )
    )


def _adjust_locked(
    *,
    day: DeliveryDay,
    member: Organisation,
    category: Category,
    granted_g: int,
) -> AllocationOutcome:
    """The adjustment itself; the caller holds the day's lock, inside a transaction."""
    if isinstance(granted_g, bool) or not isinstance(granted_g, int) or granted_g < 0:
        raise ValidationError({"granted_g": _("The quantity cannot be negative.")})
    orders = list(
        day.orders.select_related("organisation", "site")
        .prefetch_related("lines")
        .order_by("organisation_id")
    )
    if member.pk not in {o.organisation_id for o in orders}:
        raise ValidationError(_("This member has no order for this delivery day."))

    # Lock the hub's balances of this category; the whole day's supply explains the change.
    lots = available_supply(day, lock=True, category=category)
    quantities = {lot.lot_id: lot.quantity_g for lot in lots}
    saved_lines = list(
        AllocationLine.objects.filter(delivery_day=day, lot__category=category).order_by("pk")
    )
    allocated: dict[int, int] = {}
    for line in saved_lines:
        allocated[line.lot_id] = allocated.get(line.lot_id, 0) + line.quantity_g
    if any(grams > quantities.get(lot_id, 0) for lot_id, grams in allocated.items()):
        raise _stock_changed()

    outcomes = {
        o.organisation_id: o
        for o in AllocationOutcome.objects.filter(delivery_day=day, category=category)
    }
    computed = _computed_g(day, orders, available_supply(day), member.pk).get(category.pk)
    per_member: dict[int, dict[int, engine.MemberCategoryOutcome]] = {}
    for member_id, saved in outcomes.items():
        fresh = computed if member_id == member.pk else None
        computed_g = fresh.computed_g if fresh is not None else saved.granted_g
        if fresh is not None and saved.granted_g != fresh.computed_g:
            code = engine.ReasonCode.ADJUSTED  # changed by hand before
        else:
            code = fresh.reason_code if fresh is not None else engine.ReasonCode.FULL
        per_member[member_id] = {
            category.pk: engine.MemberCategoryOutcome(
                requested_g=saved.requested_g,
                capped_g=saved.requested_g,
                granted_g=saved.granted_g,
                reason=saved.reason,
                reason_code=code,
                computed_g=computed_g,
            )
        }
    result = engine.AllocationResult(
        policy=engine.AllocationPolicy(day.policy),
        lines=[
            engine.AllocationLine(line.organisation_id, category.pk, line.lot_id, line.quantity_g)
            for line in saved_lines
        ],
        per_member=per_member,
        leftover={},
        totals={},
    )
    try:
        adjusted = engine.adjust(result, member.pk, category.pk, granted_g, lots)
    except ValueError as exc:
        raise ValidationError({"granted_g": str(exc)}) from exc

    AllocationLine.objects.filter(
        delivery_day=day, organisation=member, lot__category=category
    ).delete()
    AllocationLine.objects.bulk_create(
        AllocationLine(
            delivery_day=day, organisation=member, lot_id=line.lot_id, quantity_g=line.quantity_g
        )
        for line in adjusted.lines
        if line.member_id == member.pk and line.quantity_g > 0
    )
    new = adjusted.per_member[member.pk][category.pk]
    requested_g = new.requested_g
    if member.pk not in outcomes:  # given something it did not order
        order = next(o for o in orders if o.organisation_id == member.pk)
        requested_g = next(
            (line.requested_g for line in order.lines.all() if line.category_id == category.pk),
            0,
        )
    outcome, _new = AllocationOutcome.objects.update_or_create(
        delivery_day=day,
        organisation=member,
        category=category,
        defaults={
            "requested_g": requested_g,
            "granted_g": new.granted_g,
            "reason": _stored_reason(new),
        },
    )
    return outcome


def _stored_reason(outcome: engine.MemberCategoryOutcome) -> str:
    """The reason as stored: in the network's language, like the calculated ones."""
    with translation.override(settings.LANGUAGE_CODE):
        return (_(engine.MSG_ADJUSTED) % {"computed": engine.kg_text(outcome.computed_g)})[:300]


def _locked_day(delivery_day: DeliveryDay) -> DeliveryDay:
    day = DeliveryDay.objects.select_for_update().select_related("site").get(pk=delivery_day.pk)
    if day.status != DeliveryDay.Status.ALLOCATED:
        if day.status == DeliveryDay.Status.DISPATCHED:
            raise ValidationError(_("This delivery day has already left."))
        raise ValidationError(_("Share out the stock before changing a quantity."))
    return day


def allocation_adjust(
    *,
    actor: User,
    delivery_day: DeliveryDay,
    member: Organisation,
    category: Category,
    granted_g: int,
    request: HttpRequest | None = None,
) -> AllocationOutcome:
    """The coordinator sets what one member gets of one category on a shared-out day.

    Refuses (ValidationError, plain French) a negative quantity or more than the stock
    left for this member; the member's reason becomes « Adjusted by the coordinator ».
    """
    require_role(actor, delivery_day.organisation, MANAGER_ROLES)
    with transaction.atomic():
        day = _locked_day(delivery_day)
        outcome = _adjust_locked(day=day, member=member, category=category, granted_g=granted_g)
        audit_record(
            actor=actor,
            action="allocation.adjust",
            organisation=day.organisation,
            obj=day,
            changed_fields=["granted_g"],
            request=request,
        )
    return outcome


def allocation_adjust_many(
    *,
    actor: User,
    delivery_day: DeliveryDay,
    changes: Iterable[tuple[Organisation, Category, int]],
    request: HttpRequest | None = None,
) -> list[AllocationOutcome]:
    """Several adjustments at once, all or nothing. Decreases go first, so grams taken
    from one member can be given to another in the same change."""
    require_role(actor, delivery_day.organisation, MANAGER_ROLES)
    changes = list(changes)
    if not changes:
        return []
    with transaction.atomic():
        day = _locked_day(delivery_day)
        current = {
            (o.organisation_id, o.category_id): o.granted_g
            for o in AllocationOutcome.objects.filter(delivery_day=day)
        }
        ordered = sorted(
            changes,
            key=lambda c: (c[2] - current.get((c[0].pk, c[1].pk), 0), c[1].pk, c[0].pk),
        )
        outcomes = []
        for member, category, granted_g in ordered:
            try:
                outcomes.append(
                    _adjust_locked(day=day, member=member, category=category, granted_g=granted_g)
                )
            except ValidationError as exc:
                message = " ".join(exc.messages)
                raise ValidationError(
                    _("%(member)s, %(category)s: %(message)s")
                    % {"member": member.name, "category": category.name, "message": message},
                    params={"member": member.pk, "category": category.pk},
                ) from exc
        audit_record(
            actor=actor,
            action="allocation.adjust",
            organisation=day.organisation,
            obj=day,
            changed_fields=["granted_g"],
            request=request,
        )
    return outcomes


def standing_order_save(
    *,
    actor: User,
    hub: Organisation,
    organisation: Organisation,
    site: Site,
    requested_g: Mapping[Category, int],
    request: HttpRequest | None = None,
) -> list[StandingOrderLine]:
    """A member's usual order with a hub, copied into each new delivery day (replaces the
    previous one; all zeros: no standing order any more)."""
    require_role(actor, organisation, ORDER_ROLES)
    if site.organisation_id != organisation.pk:
        raise ValidationError({"site": _("Choose one of your sites.")})
    if any(g < 0 for g in requested_g.values()):
        raise ValidationError(_("A quantity cannot be negative."))
    shared = (
        hub.network_memberships.filter(network__memberships__organisation=organisation)
        .exclude(organisation=organisation)
        .exists()
    )
    if not shared:
        raise ValidationError(_("Your organisation is not a member of this hub's network."))
    with transaction.atomic():
        StandingOrderLine.objects.filter(hub=hub, organisation=organisation).delete()
        lines = StandingOrderLine.objects.bulk_create(
            StandingOrderLine(
                hub=hub, organisation=organisation, site=site, category=c, requested_g=g
            )
            for c, g in requested_g.items()
            if g
        )
        audit_record(
            actor=actor,
            action="standing_order.save",
            organisation=organisation,
            obj=organisation,
            changed_fields=["standing_order"],
            request=request,
        )
    return lines


def standing_order_stop(
    *,
    actor: User,
    hub: Organisation,
    organisation: Organisation,
    request: HttpRequest | None = None,
) -> int:
    """No usual order with this hub any more; returns the number of lines removed."""
    require_role(actor, organisation, ORDER_ROLES)
    with transaction.atomic():
        removed, _detail = StandingOrderLine.objects.filter(
            hub=hub, organisation=organisation
        ).delete()
        if removed:
            audit_record(
                actor=actor,
                action="standing_order.stop",
                organisation=organisation,
                obj=organisation,
                changed_fields=["standing_order"],
                request=request,
            )
    return removed

"""The one door to the stock ledger: every change of stock is a movement written here.

A movement and its balance update happen in one transaction; the balance row is locked
(select_for_update) first, so two people taking from the same lot at once can never
oversell it, and the database CHECK (balance ≥ 0) is the last safety net.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Site, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record
from cordee.core.templatetags.cordee import kg

from ..models import Lot, StockBalance, StockMovement
from ..permissions import STOCK_MANAGER_ROLES

Kind = StockMovement.Kind


def _locked_balance(site: Site, lot: Lot) -> StockBalance:
    balance, _created = StockBalance.objects.get_or_create(
        site=site, lot=lot, defaults={"organisation": site.organisation, "quantity_g": 0}
    )
    return StockBalance.objects.select_for_update().get(pk=balance.pk)


def movement_apply(
    *,
    actor: User | None,
    site: Site,
    lot: Lot,
    kind: str,
    quantity_g: int,
    occurred_on: date | None = None,
    loss_reason: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> StockMovement:
    """Append one movement and update the balance. Callers check permission first.

    Must run inside a transaction (the lock lasts until it commits).
    """
    if quantity_g == 0:
        raise ValidationError(_("A movement needs a quantity."))
    balance = _locked_balance(site, lot)
    if balance.quantity_g + quantity_g < 0:
        raise ValidationError(
            _("Not enough stock: %(kg)s left of this lot at %(site)s.")
            % {"kg": kg(balance.quantity_g), "site": site.name}
        )
    StockBalance.objects.filter(pk=balance.pk).update(quantity_g=F("quantity_g") + quantity_g)
    movement = StockMovement.objects.create(
        organisation=site.organisation,
        site=site,
        lot=lot,
        kind=kind,
        quantity_g=quantity_g,
        loss_reason=loss_reason,
        note=note,
        actor=actor,
        occurred_on=occurred_on or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action=f"stock.{kind}",
        organisation=site.organisation,
        obj=movement,
        changed_fields=["quantity_g"],
        request=request,
    )
    return movement


def stock_loss_record(
    *,
    actor: User,
    site: Site,
    lot: Lot,
    quantity_g: int,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> StockMovement:
    require_role(actor, site.organisation, STOCK_MANAGER_ROLES)
    if reason not in StockMovement.LossReason.values or not reason:
        raise ValidationError({"reason": _("Choose why the food is lost.")})
    if quantity_g <= 0:
        raise ValidationError({"quantity": _("Give a weight greater than zero.")})
    with transaction.atomic():
        return movement_apply(
            actor=actor,
            site=site,
            lot=lot,
            kind=Kind.LOSS,
            quantity_g=-quantity_g,
            loss_reason=reason,
            note=note,
            request=request,
        )


def stock_transfer(
    *,
    actor: User,
    from_site: Site,
    to_site: Site,
    lot: Lot,
    quantity_g: int,
    request: HttpRequest | None = None,
) -> tuple[StockMovement, StockMovement]:
    """Move food between two sites of the same organisation."""
    require_role(actor, from_site.organisation, STOCK_MANAGER_ROLES)
    if from_site.organisation_id != to_site.organisation_id:
        raise ValidationError(_("A transfer stays inside one organisation; use a delivery."))
    if from_site.pk == to_site.pk:
        raise ValidationError(_("Choose another site to transfer to."))
    if quantity_g <= 0:
        raise ValidationError({"quantity": _("Give a weight greater than zero.")})
    with transaction.atomic():
        out = movement_apply(
            actor=actor,
            site=from_site,
            lot=lot,
            kind=Kind.TRANSFER_OUT,
            quantity_g=-quantity_g,
            request=request,
        )
        into = movement_apply(
            actor=actor,
            site=to_site,
            lot=lot,
            kind=Kind.TRANSFER_IN,
            quantity_g=quantity_g,
            request=request,
        )
    return out, into


def stock_count_record(
    *,
    actor: User,
    site: Site,
    counted_g: dict[int, int],
    request: HttpRequest | None = None,
) -> list[StockMovement]:
    """An inventory count: one adjustment per lot whose counted weight differs (variance)."""
    require_role(actor, site.organisation, STOCK_MANAGER_ROLES)
    if any(g < 0 for g in counted_g.values()):
        raise ValidationError(_("A counted weight cannot be negative."))
    movements = []
    with transaction.atomic():
        # A member counts the hub's lots it received too: they are kept at its site.
        lots = Lot.objects.filter(
            Q(organisation=site.organisation) | Q(balances__site=site), pk__in=counted_g
        ).distinct()
        if len(lots) != len(counted_g):
            raise ValidationError(_("Some lots do not belong to this organisation."))
        for lot in lots:
            current = _locked_balance(site, lot).quantity_g
            variance = counted_g[lot.pk] - current
            if variance:
                movements.append(
                    movement_apply(
                        actor=actor,
                        site=site,
                        lot=lot,
                        kind=Kind.ADJUSTMENT,
                        quantity_g=variance,
                        note=_("Inventory count"),
                        request=request,
                    )
                )
    return movements

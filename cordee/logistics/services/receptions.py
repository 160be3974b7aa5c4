"""Recording food that comes in: each line becomes a lot and a reception movement."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import MAX_TEMPERATURE_C, Category, Item, Lot, Reception, StockMovement
from ..permissions import STOCK_HANDLER_ROLES
from .stock import movement_apply


@dataclass(frozen=True, kw_only=True)
class ReceptionLine:
    category: Category
    weight_g: int
    item: Item | None = None
    unit_count: int | None = None
    storage_class: str = ""  # empty: the category's
    best_before: date | None = None
    expiry_date: date | None = None
    temperature_c: Decimal | None = None
    decision: str = ""
    decision_reason: str = ""
    supplier_lot_code: str = ""


def temperature_out_of_range(storage_class: str, temperature_c: Decimal | None) -> bool:
    limit = MAX_TEMPERATURE_C.get(storage_class)  # type: ignore[call-overload]
    return limit is not None and temperature_c is not None and temperature_c > limit


def line_problems(line: ReceptionLine, organisation: Organisation) -> dict[str, str]:
    """What is wrong with one line, by field, in plain words (empty when fine)."""
    problems: dict[str, str] = {}
    storage = line.storage_class or line.category.storage_class
    if not organisation.networks.filter(pk=line.category.network_id).exists():
        problems["category"] = _("This category is not in your network's catalogue.")
    if line.weight_g <= 0:
        problems["weight"] = _("Give a weight greater than zero.")
    if line.category.uses_expiry_date and line.expiry_date is None:
        problems["expiry_date"] = _("This food has an expiry date: please give it.")
    if storage in MAX_TEMPERATURE_C and line.temperature_c is None:
        problems["temperature_c"] = _("Cold food: take its temperature and write it here.")
    if temperature_out_of_range(storage, line.temperature_c):
        if line.decision not in {d for d in Lot.Decision.values if d}:
            problems["decision"] = _(
                "Too warm (more than %(max)s °C). Decide: accept, set aside or discard."
            ) % {"max": MAX_TEMPERATURE_C[storage]}  # type: ignore[index]
        elif not line.decision_reason.strip():
            problems["decision_reason"] = _("Say in a few words why you decided this.")
    return problems


def reception_record(
    *,
    actor: User,
    site: Site,
    source: str,
    received_on: date,
    lines: list[ReceptionLine],
    supplier: Organisation | None = None,
    donor_name: str = "",
    notes: str = "",
    request: HttpRequest | None = None,
) -> Reception:
    """Record a reception; all lines or nothing."""
    organisation = site.organisation
    require_role(actor, organisation, STOCK_HANDLER_ROLES)
    if source not in Reception.Source.values:
        raise ValidationError({"source": _("Choose where the food comes from.")})
    if not lines:
        raise ValidationError(_("Add at least one line."))
    problems = {i: p for i, line in enumerate(lines) if (p := line_problems(line, organisation))}
    if problems:
        raise ValidationError({f"line-{i}": list(p.values()) for i, p in problems.items()})
    with transaction.atomic():
        reception = Reception.objects.create(
            organisation=organisation,
            site=site,
            source=source,
            supplier=supplier,
            donor_name=donor_name,
            received_on=received_on,
            received_by=actor,
            notes=notes,
        )
        for line in lines:
            _record_lot(actor=actor, reception=reception, line=line, request=request)
        audit_record(
            actor=actor,
            action="reception.create",
            organisation=organisation,
            obj=reception,
            changed_fields=["lines"],
            request=request,
        )
    return reception


def _record_lot(
    *, actor: User, reception: Reception, line: ReceptionLine, request: HttpRequest | None
) -> Lot:
    lot = Lot.objects.create(
        organisation=reception.organisation,
        reception=reception,
        category=line.category,
        item=line.item,
        storage_class=line.storage_class or line.category.storage_class,
        received_g=line.weight_g,
        unit_count=line.unit_count,
        best_before=line.best_before,
        expiry_date=line.expiry_date,
        supplier_lot_code=line.supplier_lot_code,
        temperature_c=line.temperature_c,
        decision=line.decision
        if temperature_out_of_range(
            line.storage_class or line.category.storage_class, line.temperature_c
        )
        else "",
        decision_reason=line.decision_reason.strip(),
    )
    movement_apply(
        actor=actor,
        site=reception.site,
        lot=lot,
        kind=StockMovement.Kind.RECEPTION,
        quantity_g=line.weight_g,
        occurred_on=reception.received_on,
        request=request,
    )
    if lot.decision == Lot.Decision.DISCARDED:
        movement_apply(
            actor=actor,
            site=reception.site,
            lot=lot,
            kind=StockMovement.Kind.LOSS,
            quantity_g=-line.weight_g,
            loss_reason=StockMovement.LossReason.COLD_CHAIN,
            note=lot.decision_reason,
            occurred_on=reception.received_on,
            request=request,
        )
    return lot

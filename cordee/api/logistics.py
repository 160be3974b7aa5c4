"""Logistics API: the catalogue, stock on hand, lots with their ledger, and receptions.

Reads go through cordee.logistics.selectors, scoped to one of the caller's organisations
(another organisation's object answers 404 and never shows in a list or a count). The one
write, recording a reception, goes through the same service as the screen
(`reception_record`), after the same per-line checks (`line_problems`), so bad input gets
the same plain French messages, line by line, and nothing is written.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cordee.core.models import Organisation, Site
from cordee.core.permissions import require_role
from cordee.core.selectors.organisations import organisation_get_for_user, site_get, site_list
from cordee.logistics.forms import FIRST_YEAR, LAST_YEAR, MAX_LINES
from cordee.logistics.models import (
    Category,
    Lot,
    Reception,
    StockBalance,
    StockMovement,
    StorageClass,
)
from cordee.logistics.permissions import STOCK_HANDLER_ROLES
from cordee.logistics.selectors.ledger import movement_list
from cordee.logistics.selectors.stock import (
    balance_list,
    category_list,
    lot_get,
    reception_get,
    reception_list,
)
from cordee.logistics.selectors.suppliers import supplier_list
from cordee.logistics.services.receptions import ReceptionLine, line_problems, reception_record

from .auth import api_user
from .core import MAX_PAGE

router = Router(tags=["logistics"])

NOT_RECORDED = "La réception n'a pas été enregistrée : corrigez les erreurs indiquées."
NOT_A_SUPPLIER = "Choisissez une banque alimentaire ou un magasin de votre réseau."
NOT_AN_ITEM = "Cette denrée ne fait pas partie de cette catégorie."
TOO_HEAVY = "Ce poids est trop grand : vérifiez-le (en grammes)."
NEGATIVE_UNITS = "Le nombre d'unités ne peut pas être négatif."
TEMPERATURE_RANGE = "Vérifiez la température : entre -40 et 99 °C."
TOO_MANY_LINES = f"Au plus {MAX_LINES} lignes par réception : faites-en deux."
MAX_WEIGHT_G = 10**9  # a million kilograms: anything above is a typing mistake
TEMPERATURE_LIMITS_C = (Decimal(-40), Decimal(99))  # like the screen

# line_problems() key → field of ReceptionLineIn
PROBLEM_FIELDS = {
    "category": "category_id",
    "weight": "weight_g",
    "expiry_date": "expiry_date",
    "temperature_c": "temperature_c",
    "decision": "decision",
    "decision_reason": "decision_reason",
}


# --- Schemas -------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class CategoryOut(Schema):
    id: int
    network_id: int
    name: str
    storage_class: StorageClass
    days_after_best_before: int | None  # None: no limit; 0: not after the best-before date
    uses_expiry_date: bool
    is_food: bool


class StockOut(Schema):
    """What one site holds of one lot (non-empty balances only)."""

    site: Ref
    lot_id: int
    category: Ref
    storage_class: StorageClass
    quantity_g: int
    best_before: date | None
    use_by: date | None  # last day it may be handed out under the category's date rule
    available: bool  # False when recalled or set aside

    @staticmethod
    def resolve_category(obj: StockBalance) -> Category:
        return obj.lot.category

    @staticmethod
    def resolve_storage_class(obj: StockBalance) -> str:
        return obj.lot.storage_class

    @staticmethod
    def resolve_best_before(obj: StockBalance) -> date | None:
        return obj.lot.best_before

    @staticmethod
    def resolve_use_by(obj: StockBalance) -> date | None:
        return obj.lot.use_by

    @staticmethod
    def resolve_available(obj: StockBalance) -> bool:
        return obj.lot.is_available


class MovementOut(Schema):
    """One line of the stock ledger: positive in, negative out."""

    id: int
    site: Ref
    kind: StockMovement.Kind
    quantity_g: int
    loss_reason: str
    note: str
    occurred_on: date
    created_at: datetime


class SiteQuantityOut(Schema):
    site: Ref
    quantity_g: int


class LotLineOut(Schema):
    """A lot as received (one line of a reception)."""

    id: int
    category: Ref
    item: str | None
    storage_class: StorageClass
    received_g: int
    unit_count: int | None
    best_before: date | None
    expiry_date: date | None
    use_by: date | None
    supplier_lot_code: str
    temperature_c: float | None
    decision: str  # "", accepted, quarantined, discarded (only when too warm)
    decision_reason: str


class LotOut(LotLineOut):
    reception_id: int | None  # only for the organisation that received the lot
    blocked_at: datetime | None  # recall
    available: bool
    created_at: datetime
    quantity_g: int  # on hand at this organisation's sites
    balances: list[SiteQuantityOut]
    movements: list[MovementOut]  # this organisation's ledger lines, newest first


class ReceptionOut(Schema):
    id: int
    site: Ref
    source: Reception.Source
    supplier: Ref | None
    donor_name: str
    received_on: date
    notes: str
    line_count: int
    total_g: int
    created_at: datetime


class ReceptionDetailOut(ReceptionOut):
    lots: list[LotLineOut]


class ReceptionLineIn(Schema):
    category_id: int
    weight_g: int
    item_id: int | None = None
    unit_count: int | None = None
    storage_class: StorageClass | None = None  # None: the category's
    best_before: date | None = None
    expiry_date: date | None = None
    temperature_c: Decimal | None = None  # needed for refrigerated and frozen food
    decision: Lot.Decision = Lot.Decision.NONE  # needed when too warm
    decision_reason: str = Field("", max_length=300)
    supplier_lot_code: str = Field("", max_length=60)


class ReceptionIn(Schema):
    site_id: int
    source: Reception.Source
    received_on: date
    supplier_id: int | None = None
    donor_name: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    lines: list[ReceptionLineIn]


class ReceptionErrorOut(Schema):
    detail: str
    # Field → messages: "site_id", "lines[2].temperature_c", "__all__"...
    errors: dict[str, list[str]]


# --- Helpers -------------------------------------------------------------------------------


def _my_organisation(request: HttpRequest, org_id: int) -> Organisation:
    return organisation_get_for_user(user=api_user(request), pk=org_id)


def _receptions(org: Organisation) -> QuerySet[Reception]:
    return (
        reception_list(org=org)
        .annotate(line_count=Count("lots"), total_g=Coalesce(Sum("lots__received_g"), 0))
        .order_by("-received_on", "-id")
    )


def _ref(obj: Category | Site) -> Ref:
    return Ref(id=obj.pk, name=obj.name)


def _lot_line(lot: Lot) -> dict:
    return {
        "id": lot.pk,
        "category": _ref(lot.category),
        "item": lot.item.name if lot.item is not None else None,
        "storage_class": lot.storage_class,
        "received_g": lot.received_g,
        "unit_count": lot.unit_count,
        "best_before": lot.best_before,
        "expiry_date": lot.expiry_date,
        "use_by": lot.use_by,
        "supplier_lot_code": lot.supplier_lot_code,
        "temperature_c": float(lot.temperature_c) if lot.temperature_c is not None else None,
        "decision": lot.decision,
        "decision_reason": lot.decision_reason,
    }


def _reception_detail(org: Organisation, pk: int) -> ReceptionDetailOut:
    reception = _receptions(org).get(pk=reception_get(org=org, pk=pk).pk)
    lots = reception.lots.select_related("category", "item").order_by("pk")
    return ReceptionDetailOut(
        **ReceptionOut.from_orm(reception).model_dump(),
        lots=[LotLineOut(**_lot_line(each)) for each in lots],
    )


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(str(message))


def _bad_year(value: date | None) -> bool:
    return value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR


def _reception_lines(
    org: Organisation, body: ReceptionIn, errors: dict[str, list[str]]
) -> list[ReceptionLine]:
    """The body's lines as service lines, with every problem of every line in `errors`."""
    categories = {
        c.pk: c for c in category_list(org=org).filter(pk__in=[li.category_id for li in body.lines])
    }
    lines = []
    for index, data in enumerate(body.lines):
        key = f"lines[{index}]"
        category = categories.get(data.category_id)
        if category is None:
            _add(
                errors, f"{key}.category_id", _("This category is not in your network's catalogue.")
            )
            continue
        item = None
        if data.item_id is not None:
            item = category.items.filter(pk=data.item_id).first()
            if item is None:
                _add(errors, f"{key}.item_id", NOT_AN_ITEM)
        if data.weight_g > MAX_WEIGHT_G:
            _add(errors, f"{key}.weight_g", TOO_HEAVY)
        if data.unit_count is not None and data.unit_count < 0:
            _add(errors, f"{key}.unit_count", NEGATIVE_UNITS)
        for field in ("best_before", "expiry_date"):
            if _bad_year(getattr(data, field)):
                _add(errors, f"{key}.{field}", _("Check the year of this date."))
        temperature = data.temperature_c
        if temperature is not None:
            low, high = TEMPERATURE_LIMITS_C
            if not temperature.is_finite() or not low <= temperature <= high:
                _add(errors, f"{key}.temperature_c", TEMPERATURE_RANGE)
                temperature = None
            else:
                temperature = temperature.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        line = ReceptionLine(
            category=category,
            weight_g=data.weight_g,
            item=item,
            unit_count=data.unit_count,
            storage_class=data.storage_class or "",
            best_before=data.best_before,
            expiry_date=data.expiry_date,
            temperature_c=temperature,
            decision=data.decision,
            decision_reason=data.decision_reason,
            supplier_lot_code=data.supplier_lot_code,
        )
        for problem, message in line_problems(line, org).items():
            field = f"{key}.{PROBLEM_FIELDS.get(problem, problem)}"
            if field not in errors:  # a typing mistake there is said first
                _add(errors, field, message)
        lines.append(line)
    return lines


def _service_errors(exc: ValidationError) -> dict[str, list[str]]:
    """The service's own refusal (a last check), keyed like the API's fields."""
    if not hasattr(exc, "error_dict"):
        return {"__all__": [str(m) for m in exc.messages]}
    return {
        f"lines[{key.removeprefix('line-')}]" if key.startswith("line-") else key: [
            str(m) for m in messages
        ]
        for key, messages in exc.message_dict.items()
    }


# --- Operations ----------------------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/categories",
    response=list[CategoryOut],
    summary="Food categories of my networks' catalogues",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def categories(request: HttpRequest, org_id: int) -> QuerySet[Category]:
    return category_list(org=_my_organisation(request, org_id)).order_by(
        "network_id", "sort_order", "name"
    )


@router.get(
    "/organisations/{org_id}/stock",
    response=list[StockOut],
    summary="Stock on hand, per site and lot (filters: site, category)",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def stock(
    request: HttpRequest, org_id: int, site: int | None = None, category: int | None = None
) -> QuerySet[StockBalance]:
    org = _my_organisation(request, org_id)
    qs = balance_list(org=org, site=site_get(org=org, pk=site) if site is not None else None)
    if category is not None:
        qs = qs.filter(lot__category_id=category)
    return qs.order_by("site__name", "lot__category__sort_order", "lot__category__name", "lot_id")


@router.get("/organisations/{org_id}/lots/{lot_id}", response=LotOut, summary="One lot")
def lot(request: HttpRequest, org_id: int, lot_id: int) -> LotOut:
    org = _my_organisation(request, org_id)
    found = lot_get(org=org, pk=lot_id)
    balances = balance_list(org=org).filter(lot=found).order_by("site__name")
    return LotOut(
        **_lot_line(found),
        reception_id=found.reception_id if found.organisation_id == org.pk else None,
        blocked_at=found.blocked_at,
        available=found.is_available,
        created_at=found.created_at,
        quantity_g=sum(b.quantity_g for b in balances),
        balances=[SiteQuantityOut(site=_ref(b.site), quantity_g=b.quantity_g) for b in balances],
        movements=[MovementOut.from_orm(m) for m in movement_list(org=org, lot=found)],
    )


@router.get(
    "/organisations/{org_id}/receptions",
    response=list[ReceptionOut],
    summary="Receptions, newest first",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def receptions(request: HttpRequest, org_id: int) -> QuerySet[Reception]:
    return _receptions(_my_organisation(request, org_id))


@router.get(
    "/organisations/{org_id}/receptions/{reception_id}",
    response=ReceptionDetailOut,
    summary="One reception, with its lots",
)
def reception(request: HttpRequest, org_id: int, reception_id: int) -> ReceptionDetailOut:
    return _reception_detail(_my_organisation(request, org_id), reception_id)


@router.post(
    "/organisations/{org_id}/receptions",
    response={201: ReceptionDetailOut, 422: ReceptionErrorOut},
    summary="Record a reception: each line becomes a lot (all lines or nothing)",
)
def reception_create(
    request: HttpRequest, org_id: int, body: ReceptionIn
) -> Status[ReceptionDetailOut | ReceptionErrorOut]:
    user = api_user(request)
    org = _my_organisation(request, org_id)
    require_role(user, org, STOCK_HANDLER_ROLES)

    errors: dict[str, list[str]] = {}
    site = site_list(org=org, active_only=True).filter(pk=body.site_id).first()
    if site is None:
        _add(errors, "site_id", _("Choose one of your sites."))
    supplier = None
    if body.supplier_id is not None:
        supplier = supplier_list(org=org).filter(pk=body.supplier_id).first()
        if supplier is None:
            _add(errors, "supplier_id", NOT_A_SUPPLIER)
    if body.received_on > timezone.localdate():
        _add(errors, "received_on", _("The date cannot be in the future."))
    elif _bad_year(body.received_on):
        _add(errors, "received_on", _("Check the year of this date."))
    if not body.lines:
        _add(errors, "lines", _("Add at least one line."))
    if len(body.lines) > MAX_LINES:
        _add(errors, "lines", TOO_MANY_LINES)
        return Status(422, ReceptionErrorOut(detail=NOT_RECORDED, errors=errors))
    lines = _reception_lines(org, body, errors)
    if errors or site is None:
        return Status(422, ReceptionErrorOut(detail=NOT_RECORDED, errors=errors))

    try:
        recorded = reception_record(
            actor=user,
            site=site,
            source=body.source,
            received_on=body.received_on,
            lines=lines,
            supplier=supplier,
            donor_name=body.donor_name.strip(),
            notes=body.notes.strip(),
            request=request,
        )
    except ValidationError as exc:
        return Status(422, ReceptionErrorOut(detail=NOT_RECORDED, errors=_service_errors(exc)))
    return Status(201, _reception_detail(org, recorded.pk))

"""Logistics API, second part: delivery days, orders, the share-out, deliveries and recalls.

Same rules as the screens (cordee/logistics/views/orders.py, deliveries.py, recalls.py):

- the hub's managers (`MANAGER_ROLES`) see their own delivery days, every order of them and
  the share-out, and may run the share-out;
- a member (`ORDER_ROLES`) sees the days of its networks' hubs, reads and writes only its
  own order and sees only its own share, with the reason;
- a delivery is seen by the hub that sends it and the member that gets it (any role); only
  the member confirms it (`STOCK_HANDLER_ROLES`);
- recalls (`STOCK_MANAGER_ROLES`) search only the caller's own lots.

Anything else looks like it does not exist (404). Reads go through the selectors, writes
through the services, so audit, locks and checks are the screens' own. Weights are integer
grams; `*_kg` fields repeat them in kilograms for convenience. The schemas are in
logistics_orders_schemas.py.
"""

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, QuerySet, Sum, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cordee.core.models import Organisation, Site
from cordee.core.permissions import MANAGER_ROLES, require_role
from cordee.core.selectors.organisations import organisation_get_for_user, site_list
from cordee.core.templatetags.cordee import kg as kg_text
from cordee.logistics.models import (
    AllocationLine,
    Category,
    Delivery,
    DeliveryDay,
    Lot,
    Order,
    StorageClass,
)
from cordee.logistics.permissions import STOCK_HANDLER_ROLES, STOCK_MANAGER_ROLES
from cordee.logistics.selectors.deliveries import (
    delivery_get,
    delivery_get_received,
    delivery_list,
)
from cordee.logistics.selectors.orders import (
    CategoryRow,
    allocation_table,
    day_categories,
    delivery_day_get,
    delivery_day_list,
    member_day_get,
    member_day_list,
    member_order_get,
    member_outcome_list,
    order_list_for_day,
)
from cordee.logistics.selectors.recalls import (
    MAX_LOTS,
    LotTrace,
    recall_lot_search,
    recall_lots_get,
    recall_pending_days,
    recall_reception_choices,
    recall_trace,
)
from cordee.logistics.selectors.stock import category_list
from cordee.logistics.services.deliveries import delivery_confirm
from cordee.logistics.services.orders import ORDER_ROLES, delivery_day_allocate, order_save
from cordee.logistics.services.recalls import lot_recall_block

from .auth import api_user
from .core import MAX_PAGE
from .logistics import MAX_WEIGHT_G, TEMPERATURE_LIMITS_C, TEMPERATURE_RANGE, TOO_HEAVY
from .logistics_orders_schemas import (
    AllocationOut,
    BlockIn,
    BlockOut,
    CategoryTotalsOut,
    DeliveryDetailOut,
    DeliveryOut,
    DetailOut,
    ErrorsOut,
    HolderOut,
    HubDayDetailOut,
    HubDayOut,
    LotTraceOut,
    MemberDayDetailOut,
    MemberDayOut,
    MemberShareOut,
    MyShareOut,
    OrderIn,
    OrderLineOut,
    OrderOut,
    PendingDayOut,
    ReachedOut,
    ReachedSiteOut,
    RecallLotOut,
    RecallOut,
    ReceiptIn,
    ShareLineOut,
    available_one,
    note_summary,
    ref,
)

router = Router(tags=["logistics: orders, deliveries, recalls"])

ORDER_NOT_SAVED = "La commande n'a pas été enregistrée : corrigez les erreurs indiquées."
NOT_SHARED_OUT = "La répartition n'a pas été faite."
RECEIPT_NOT_SAVED = "La réception de la livraison n'a pas été enregistrée : corrigez les erreurs."
RECALL_NOT_SEARCHED = "La recherche n'a pas été faite : corrigez les erreurs indiquées."
NOT_BLOCKED = "Aucun lot n'a été bloqué : corrigez les erreurs indiquées."
SAME_CATEGORY_TWICE = "Cette catégorie est déjà sur une autre ligne."
SAME_LINE_TWICE = "Cette ligne est déjà donnée plus haut."
NOT_A_LINE = "Cette ligne ne fait pas partie de cette livraison."
NEGATIVE_RECEIVED = "Le poids reçu ne peut pas être négatif."
CHOOSE_A_SITE = "Choisissez le point de service où livrer."
NOT_MY_RECEPTION = "Cette réception n'est pas une des vôtres."
LOT_CODE_TOO_LONG = "Un numéro de lot a au plus 60 caractères."
NOT_MY_LOTS = "Ces lots ne sont pas à votre organisme : %s."
REASON_TOO_LONG = "Au plus 200 caractères."
RECALL_REASON_MAX = 200  # like the screen's form


# --- Helpers -------------------------------------------------------------------------------


def _my_organisation(
    request: HttpRequest, org_id: int, roles: Iterable[str] | None = None
) -> Organisation:
    """One of the caller's organisations (else 404), where the caller holds one of `roles`
    (None: any role, like the screens' `organisation_required()`)."""
    user = api_user(request)
    org = organisation_get_for_user(user=user, pk=org_id)
    if roles is not None:
        require_role(user, org, roles)
    return org


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(str(message))


def _totals(row: CategoryRow) -> CategoryTotalsOut:
    return CategoryTotalsOut(
        category=ref(row.category),
        storage_class=StorageClass(row.category.storage_class),
        available_g=row.available_g,
        requested_g=row.requested_g,
        granted_g=row.granted_g,
        short_g=row.short_g,
        over_g=row.over_g,
        available_kg=row.available_g / 1000,
        requested_kg=row.requested_g / 1000,
        granted_kg=row.granted_g / 1000,
    )


def _order_out(order: Order) -> OrderOut:
    lines = sorted(
        order.lines.select_related("category"),
        key=lambda x: (x.category.sort_order, x.category.name),
    )
    total = sum(line.requested_g for line in lines)
    return OrderOut(
        id=order.pk,
        organisation=ref(order.organisation),
        site=ref(order.site),
        note=order.note,
        updated_at=order.updated_at,
        total_g=total,
        total_kg=total / 1000,
        lines=[
            OrderLineOut(
                category=ref(line.category),
                storage_class=StorageClass(line.category.storage_class),
                requested_g=line.requested_g,
                requested_kg=line.requested_g / 1000,
            )
            for line in lines
        ],
    )


def _share_line(category: Category, requested_g: int, granted_g: int, reason: str) -> ShareLineOut:
    return ShareLineOut(
        category=ref(category),
        storage_class=StorageClass(category.storage_class),
        requested_g=requested_g,
        granted_g=granted_g,
        requested_kg=requested_g / 1000,
        granted_kg=granted_g / 1000,
        reason=reason,
    )


def _allocation_out(org: Organisation, day: DeliveryDay) -> AllocationOut:
    sections = allocation_table(org=org, day=day)
    reserved = dict(
        AllocationLine.objects.filter(delivery_day=day)
        .values_list("organisation")
        .annotate(total=Sum("quantity_g"))
    )
    members: dict[int, MemberShareOut] = {}
    for summary in order_list_for_day(org=org, day=day):
        order = summary.order
        members[order.organisation_id] = MemberShareOut(
            organisation=ref(order.organisation),
            site=ref(order.site),
            requested_g=0,
            granted_g=0,
            granted_kg=0,
            reserved_g=reserved.get(order.organisation_id, 0),
            lines=[],
        )
    for section in sections:
        for order, cell in section.cells:
            member = members[order.organisation_id]
            member.lines.append(
                _share_line(section.row.category, cell.requested_g, cell.granted_g, cell.reason)
            )
            member.requested_g += cell.requested_g
            member.granted_g += cell.granted_g
    for member in members.values():
        member.granted_kg = member.granted_g / 1000
    return AllocationOut(
        day_id=day.pk,
        delivers_on=day.delivers_on,
        status=DeliveryDay.Status(day.status),
        allocated_at=day.allocated_at,
        is_shared_out=day.status != DeliveryDay.Status.OPEN,
        categories=[_totals(s.row) for s in sections],
        members=list(members.values()),
    )


def _member_day(org: Organisation, day_id: int) -> DeliveryDay:
    return member_day_get(org=org, pk=day_id)


def _member_day_detail(org: Organisation, day: DeliveryDay) -> MemberDayDetailOut:
    rows = day_categories(day)
    day.__dict__["_api_rows"] = rows  # computed once for `available` and `categories`
    order = member_order_get(org=org, day=day)
    day.categories = [available_one(r) for r in rows]  # type: ignore[attr-defined]
    day.order = _order_out(order) if order is not None else None  # type: ignore[attr-defined]
    return MemberDayDetailOut.from_orm(day)


def _with_total(day: DeliveryDay, ordered_g: int) -> DeliveryDay:
    day.ordered_g = ordered_g  # type: ignore[attr-defined]
    day.ordered_kg = ordered_g / 1000  # type: ignore[attr-defined]
    return day


def _order_lines(
    day: DeliveryDay, body: OrderIn, errors: dict[str, list[str]]
) -> dict[Category, int]:
    """The body's lines as the service wants them, every problem of every line in `errors`.

    Categories of the hub's catalogue left out are sent as 0: the order replaces the old one.
    """
    catalogue = {row.category.pk: row.category for row in day_categories(day)}
    requested: dict[Category, int] = {c: 0 for c in catalogue.values()}
    seen: set[int] = set()
    for index, line in enumerate(body.lines):
        key = f"lines[{index}]"
        category = catalogue.get(line.category_id)
        if category is None:
            _add(
                errors, f"{key}.category_id", _("This category is not in your network's catalogue.")
            )
            continue
        if line.category_id in seen:
            _add(errors, f"{key}.category_id", SAME_CATEGORY_TWICE)
            continue
        seen.add(line.category_id)
        if line.requested_g < 0:
            _add(errors, f"{key}.requested_g", _("A quantity cannot be negative."))
        elif line.requested_g > MAX_WEIGHT_G:
            _add(errors, f"{key}.requested_g", TOO_HEAVY)
        else:
            requested[category] = line.requested_g
    if not errors and not any(requested.values()):
        _add(errors, "lines", _("Write a quantity for at least one kind of food."))
    return requested


def _order_site(org: Organisation, order: Order | None, body: OrderIn) -> Site | None:
    sites = site_list(org=org, active_only=True)
    if body.site_id is not None:
        return sites.filter(pk=body.site_id).first()
    if order is not None:
        return sites.filter(pk=order.site_id).first()
    only = list(sites[:2])
    return only[0] if len(only) == 1 else None


def _errors_of(exc: ValidationError, fields: dict[str, str]) -> dict[str, list[str]]:
    """A service's refusal, keyed like the API's fields."""
    if not hasattr(exc, "error_dict"):
        return {"__all__": [str(m) for m in exc.messages]}
    return {fields.get(k, k): [str(m) for m in v] for k, v in exc.message_dict.items()}


def _delivery_detail(request: HttpRequest, org: Organisation, pk: int) -> DeliveryDetailOut:
    delivery = delivery_get(org=org, pk=pk)  # with its lines prefetched, in note order
    delivery.direction = "received" if delivery.organisation_id == org.pk else "sent"  # type: ignore[attr-defined]
    delivery.shipped_g = note_summary(delivery).shipped_g  # type: ignore[attr-defined]
    return DeliveryDetailOut.from_orm(delivery, context={"request": request})


def _deliveries(org: Organisation) -> QuerySet[Delivery]:
    return delivery_list(org=org).annotate(
        direction=Case(
            When(organisation=org, then=Value("received")),
            default=Value("sent"),
            output_field=CharField(),
        )
    )


def _receipt(
    delivery: Delivery, body: ReceiptIn, errors: dict[str, list[str]]
) -> tuple[dict[int, int], dict[int, Decimal]]:
    """Grams received and temperatures per line id, every problem of every line in `errors`."""
    shipped = {line.pk: line.shipped_g for line in delivery.lines.all()}
    received: dict[int, int] = {}
    temperatures: dict[int, Decimal] = {}
    for index, line in enumerate(body.lines):
        key = f"lines[{index}]"
        if line.line_id not in shipped:
            _add(errors, f"{key}.line_id", NOT_A_LINE)
            continue
        if line.line_id in received:
            _add(errors, f"{key}.line_id", SAME_LINE_TWICE)
            continue
        if line.received_g < 0:
            _add(errors, f"{key}.received_g", NEGATIVE_RECEIVED)
        elif line.received_g > shipped[line.line_id]:
            _add(
                errors,
                f"{key}.received_g",
                _("At most %(kg)s was sent. Write the weight you really received.")
                % {"kg": kg_text(shipped[line.line_id])},
            )
        received[line.line_id] = line.received_g
        temperature = line.temperature_c
        if temperature is not None:
            low, high = TEMPERATURE_LIMITS_C
            if not temperature.is_finite() or not low <= temperature <= high:
                _add(errors, f"{key}.temperature_c", TEMPERATURE_RANGE)
            else:
                temperatures[line.line_id] = temperature.quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                )
    partial = any(g != shipped[pk] for pk, g in received.items())
    if not errors and partial and not body.note.strip():
        _add(errors, "note", _("Say in a few words what was missing or damaged."))
    return received, temperatures


def _pending(days: Iterable[DeliveryDay]) -> list[PendingDayOut]:
    return [PendingDayOut(id=d.pk, delivers_on=d.delivers_on, site=ref(d.site)) for d in days]


def _recall_lot(lot: Lot) -> RecallLotOut:
    reception = lot.reception
    return RecallLotOut(
        id=lot.pk,
        category=ref(lot.category),
        item=lot.item.name if lot.item is not None else None,
        storage_class=StorageClass(lot.storage_class),
        supplier_lot_code=lot.supplier_lot_code,
        received_g=lot.received_g,
        best_before=lot.best_before,
        expiry_date=lot.expiry_date,
        reception_id=lot.reception_id,
        received_on=reception.received_on if reception is not None else None,
        blocked_at=lot.blocked_at,
    )


def _reached(traces: list[LotTrace]) -> list[ReachedOut]:
    """Every organisation that got some of the lots, with its sites: the calls to make."""
    reached: dict[int, ReachedOut] = {}
    sites: dict[tuple[int, int], ReachedSiteOut] = {}
    for trace in traces:
        for h in trace.holders:
            org = h.organisation
            entry = reached.get(org.pk)
            if entry is None:
                entry = reached[org.pk] = ReachedOut(
                    organisation=ref(org),
                    contact_email=org.contact_email,
                    contact_phone=org.contact_phone,
                    is_owner=False,
                    quantity_g=0,
                    quantity_kg=0,
                    left_g=0,
                    sites=[],
                )
            entry.is_owner |= h.is_owner
            entry.quantity_g += h.quantity_g
            entry.left_g += h.left_g
            site = sites.get((org.pk, h.site.pk))
            if site is None:
                site = sites[(org.pk, h.site.pk)] = ReachedSiteOut(
                    site=ref(h.site), quantity_g=0, left_g=0, handed_out_g=0
                )
                entry.sites.append(site)
            site.quantity_g += h.quantity_g
            site.left_g += h.left_g
            site.handed_out_g += h.handed_out_g
    for entry in reached.values():
        entry.quantity_kg = entry.quantity_g / 1000
    # The owner first, then the others by name.
    return sorted(reached.values(), key=lambda r: (not r.is_owner, r.organisation.name))


# --- Delivery days: the hub's side ---------------------------------------------------------


@router.get(
    "/organisations/{org_id}/delivery-days",
    response=list[HubDayOut],
    summary="The hub's delivery days, latest first (hub managers; filter: status)",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def hub_days(
    request: HttpRequest, org_id: int, status: DeliveryDay.Status | None = None
) -> QuerySet[DeliveryDay]:
    org = _my_organisation(request, org_id, MANAGER_ROLES)
    days = delivery_day_list(org=org).select_related("organisation")
    return days.filter(status=status) if status else days


@router.get(
    "/organisations/{org_id}/delivery-days/{day_id}",
    response=HubDayDetailOut,
    summary="One of the hub's delivery days: kg available, asked for and given per category",
)
def hub_day(request: HttpRequest, org_id: int, day_id: int) -> HubDayDetailOut:
    org = _my_organisation(request, org_id, MANAGER_ROLES)
    day = (
        delivery_day_list(org=org)
        .select_related("organisation")
        .get(pk=delivery_day_get(org=org, pk=day_id).pk)
    )
    rows = day_categories(day)
    day.categories = [_totals(r) for r in rows if r.available_g or r.requested_g or r.granted_g]  # type: ignore[attr-defined]
    return HubDayDetailOut.from_orm(day)


@router.get(
    "/organisations/{org_id}/delivery-days/{day_id}/orders",
    response=list[OrderOut],
    summary="Every member's order for one of the hub's days (hub managers)",
)
def hub_day_orders(request: HttpRequest, org_id: int, day_id: int) -> list[OrderOut]:
    org = _my_organisation(request, org_id, MANAGER_ROLES)
    day = delivery_day_get(org=org, pk=day_id)
    return [_order_out(s.order) for s in order_list_for_day(org=org, day=day)]


@router.get(
    "/organisations/{org_id}/delivery-days/{day_id}/allocation",
    response=AllocationOut,
    summary="The share-out of one of the hub's days: per member and category, with reasons",
)
def hub_day_allocation(request: HttpRequest, org_id: int, day_id: int) -> AllocationOut:
    org = _my_organisation(request, org_id, MANAGER_ROLES)
    return _allocation_out(org, delivery_day_get(org=org, pk=day_id))


@router.post(
    "/organisations/{org_id}/delivery-days/{day_id}/allocation",
    response={200: AllocationOut, 422: ErrorsOut},
    summary="Share out the stock among the day's orders (again), hub managers",
)
def hub_day_allocate(
    request: HttpRequest, org_id: int, day_id: int
) -> Status[AllocationOut | ErrorsOut]:
    org = _my_organisation(request, org_id, MANAGER_ROLES)
    day = delivery_day_get(org=org, pk=day_id)
    try:
        delivery_day_allocate(actor=api_user(request), delivery_day=day, request=request)
    except ValidationError as exc:
        return Status(422, ErrorsOut(detail=NOT_SHARED_OUT, errors=_errors_of(exc, {})))
    return Status(200, _allocation_out(org, day))


# --- Orders: the member's side -------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/orders",
    response=list[MemberDayOut],
    summary="Delivery days I may order for (open) or ordered for lately, with my total",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def my_days(request: HttpRequest, org_id: int) -> list[DeliveryDay]:
    org = _my_organisation(request, org_id, ORDER_ROLES)
    return [
        _with_total(day, sum(line.requested_g for line in order.lines.all()) if order else 0)
        for day, order in member_day_list(org=org)
    ]


@router.get(
    "/organisations/{org_id}/orders/{day_id}",
    response=MemberDayDetailOut,
    summary="A delivery day of my hub: what is available and my order",
)
def my_order(request: HttpRequest, org_id: int, day_id: int) -> MemberDayDetailOut:
    org = _my_organisation(request, org_id, ORDER_ROLES)
    return _member_day_detail(org, _member_day(org, day_id))


@router.put(
    "/organisations/{org_id}/orders/{day_id}",
    response={200: MemberDayDetailOut, 422: ErrorsOut},
    summary="Send or change my order for the day (all lines or nothing)",
)
def my_order_save(
    request: HttpRequest, org_id: int, day_id: int, body: OrderIn
) -> Status[MemberDayDetailOut | ErrorsOut]:
    org = _my_organisation(request, org_id, ORDER_ROLES)
    day = _member_day(org, day_id)
    errors: dict[str, list[str]] = {}
    if day.status != DeliveryDay.Status.OPEN:
        _add(errors, "__all__", _("Orders are closed for this delivery day."))
        return Status(422, ErrorsOut(detail=ORDER_NOT_SAVED, errors=errors))
    site = _order_site(org, member_order_get(org=org, day=day), body)
    if site is None:
        _add(errors, "site_id", _("Choose one of your sites.") if body.site_id else CHOOSE_A_SITE)
    requested = _order_lines(day, body, errors)
    if errors or site is None:
        return Status(422, ErrorsOut(detail=ORDER_NOT_SAVED, errors=errors))
    try:
        order_save(
            actor=api_user(request),
            delivery_day=day,
            organisation=org,
            site=site,
            requested_g=requested,
            note=body.note.strip(),
            request=request,
        )
    except ValidationError as exc:
        errors = _errors_of(exc, {"site": "site_id"})
        return Status(422, ErrorsOut(detail=ORDER_NOT_SAVED, errors=errors))
    return Status(200, _member_day_detail(org, day))


@router.get(
    "/organisations/{org_id}/orders/{day_id}/allocation",
    response=MyShareOut,
    summary="What I got of each category on that day, and why (mine only)",
)
def my_share(request: HttpRequest, org_id: int, day_id: int) -> MyShareOut:
    org = _my_organisation(request, org_id, ORDER_ROLES)
    day = _member_day(org, day_id)
    shared_out = day.status != DeliveryDay.Status.OPEN
    outcomes = member_outcome_list(org=org, day=day) if shared_out else []
    granted = sum(o.granted_g for o in outcomes)
    return MyShareOut(
        day_id=day.pk,
        hub=ref(day.organisation),
        delivers_on=day.delivers_on,
        status=DeliveryDay.Status(day.status),
        is_shared_out=shared_out,
        requested_g=sum(o.requested_g for o in outcomes),
        granted_g=granted,
        granted_kg=granted / 1000,
        lines=[_share_line(o.category, o.requested_g, o.granted_g, o.reason) for o in outcomes],
    )


# --- Deliveries ----------------------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/deliveries",
    response=list[DeliveryOut],
    summary="Deliveries I send (as the hub) or get (as a member), latest first",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def deliveries(
    request: HttpRequest,
    org_id: int,
    direction: Literal["sent", "received"] | None = None,
    status: Delivery.Status | None = None,
) -> QuerySet[Delivery]:
    org = _my_organisation(request, org_id)
    qs = _deliveries(org)
    if direction == "received":
        qs = qs.filter(organisation=org)
    elif direction == "sent":
        qs = qs.filter(delivery_day__organisation=org)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-delivery_day__delivers_on", "organisation__name", "-pk")


@router.get(
    "/organisations/{org_id}/deliveries/{delivery_id}",
    response=DeliveryDetailOut,
    summary="One delivery: lines (lot, kg, storage, dates), totals, receipt",
)
def delivery(request: HttpRequest, org_id: int, delivery_id: int) -> DeliveryDetailOut:
    org = _my_organisation(request, org_id)
    return _delivery_detail(request, org, delivery_id)


@router.post(
    "/organisations/{org_id}/deliveries/{delivery_id}/receipt",
    response={200: DeliveryDetailOut, 409: DetailOut, 422: ErrorsOut},
    summary="Confirm what arrived: everything, or line by line with a note (the member)",
)
def delivery_receipt(
    request: HttpRequest, org_id: int, delivery_id: int, body: ReceiptIn
) -> Status[DeliveryDetailOut | DetailOut | ErrorsOut]:
    org = _my_organisation(request, org_id, STOCK_HANDLER_ROLES)
    found = delivery_get_received(org=org, pk=delivery_id)
    if found.status != Delivery.Status.IN_TRANSIT:
        return Status(409, DetailOut(detail=_("This delivery was already confirmed.")))
    errors: dict[str, list[str]] = {}
    received, temperatures = _receipt(found, body, errors)
    if errors:
        return Status(422, ErrorsOut(detail=RECEIPT_NOT_SAVED, errors=errors))
    try:
        delivery_confirm(
            actor=api_user(request),
            delivery=found,
            received_g=received,
            temperatures=temperatures,
            note=body.note,
            request=request,
        )
    except ValidationError as exc:
        return Status(422, ErrorsOut(detail=RECEIPT_NOT_SAVED, errors=_errors_of(exc, {})))
    return Status(200, _delivery_detail(request, org, found.pk))


# --- Recalls -------------------------------------------------------------------------------


@router.get(
    "/organisations/{org_id}/recalls",
    response={200: RecallOut, 422: ErrorsOut},
    summary=(
        "Find my lots named in a recall (supplier lot number, category and dates, or "
        "reception) and every organisation and site they reached"
    ),
)
def recall_search(
    request: HttpRequest,
    org_id: int,
    supplier_lot_code: str = "",
    category: int | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    reception: int | None = None,
) -> Status[RecallOut | ErrorsOut]:
    org = _my_organisation(request, org_id, STOCK_MANAGER_ROLES)
    errors: dict[str, list[str]] = {}
    code = supplier_lot_code.strip()
    if len(code) > 60:
        _add(errors, "supplier_lot_code", LOT_CODE_TOO_LONG)
    found_category = None
    if category is not None:
        found_category = category_list(org=org).filter(pk=category).first()
        if found_category is None:
            _add(errors, "category", _("This category is not in your network's catalogue."))
    found_reception = None
    if reception is not None:
        found_reception = recall_reception_choices(org=org).filter(pk=reception).first()
        if found_reception is None:
            _add(errors, "reception", NOT_MY_RECEPTION)
    if received_from and received_to and received_from > received_to:
        _add(errors, "received_to", _("This date must come after the first one."))
    if not errors and not (code or category or received_from or received_to or reception):
        _add(errors, "__all__", _("Give a lot number, a kind of food with dates, or a reception."))
    if errors:
        return Status(422, ErrorsOut(detail=RECALL_NOT_SEARCHED, errors=errors))
    lots = list(
        recall_lot_search(
            org=org,
            supplier_lot_code=code,
            category=found_category,
            received_from=received_from,
            received_to=received_to,
            reception=found_reception,
        )[: MAX_LOTS + 1]
    )
    traces = recall_trace(lots=lots[:MAX_LOTS])
    return Status(
        200,
        RecallOut(
            lot_count=len(traces),
            too_many=len(lots) > MAX_LOTS,
            lots=[
                LotTraceOut(
                    lot=_recall_lot(t.lot),
                    sent_out_g=t.sent_out_g,
                    left_g=t.left_g,
                    holders=[
                        HolderOut(
                            organisation=ref(h.organisation),
                            site=ref(h.site),
                            how=str(h.how),
                            on=h.on,
                            quantity_g=h.quantity_g,
                            received_g=h.received_g,
                            left_g=h.left_g,
                            handed_out_g=h.handed_out_g,
                            is_owner=h.is_owner,
                        )
                        for h in t.holders
                    ],
                )
                for t in traces
            ],
            organisations=_reached(traces),
            pending_days=_pending(recall_pending_days(lots=lots[:MAX_LOTS])),
        ),
    )


@router.post(
    "/organisations/{org_id}/recalls/block",
    response={200: BlockOut, 422: ErrorsOut},
    summary="Block my lots for a recall: nobody can share them out or hand them out any more",
)
def recall_block(request: HttpRequest, org_id: int, body: BlockIn) -> Status[BlockOut | ErrorsOut]:
    org = _my_organisation(request, org_id, STOCK_MANAGER_ROLES)
    errors: dict[str, list[str]] = {}
    reason = body.reason.strip()
    if not reason:
        _add(errors, "reason", _("Say why these lots are recalled."))
    elif len(reason) > RECALL_REASON_MAX:
        _add(errors, "reason", REASON_TOO_LONG)
    wanted = list(dict.fromkeys(body.lot_ids))
    lots = list(recall_lots_get(org=org, ids=wanted))
    if not wanted:
        _add(errors, "lot_ids", _("Choose at least one lot to block."))
    # Another organisation's lot and a lot that does not exist get the same answer.
    strangers = sorted(set(wanted) - {lot.pk for lot in lots})
    if strangers:
        _add(errors, "lot_ids", NOT_MY_LOTS % ", ".join(str(pk) for pk in strangers))
    if errors:
        return Status(422, ErrorsOut(detail=NOT_BLOCKED, errors=errors))
    try:
        blocked = lot_recall_block(
            actor=api_user(request), lots=lots, reason=reason, request=request
        )
    except ValidationError as exc:
        return Status(
            422, ErrorsOut(detail=NOT_BLOCKED, errors=_errors_of(exc, {"lots": "lot_ids"}))
        )
    newly = {lot.pk for lot in blocked}
    return Status(
        200,
        BlockOut(
            blocked=sorted(newly),
            already_blocked=sorted(lot.pk for lot in lots if lot.pk not in newly),
            pending_days=_pending(recall_pending_days(lots=lots)),
        ),
    )

"""Schemas of the logistics API's second part (cordee/api/logistics_orders.py): delivery
days, orders, the share-out, deliveries and recalls, with the small builders their resolvers
use. Weights are integer grams; `*_kg` fields repeat them in kilograms.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema

from cordee.core.models import Organisation, Site
from cordee.logistics.models import (
    PERISHABILITY_ORDER,
    Category,
    Delivery,
    DeliveryDay,
    DeliveryLine,
    StorageClass,
)
from cordee.logistics.selectors.deliveries import NoteSummary, delivery_note_summary
from cordee.logistics.selectors.orders import CategoryRow, day_categories
from cordee.logistics.selectors.recalls import MAX_LOTS

from .logistics import Ref

MAX_ORDER_LINES = 200
MAX_RECEIPT_LINES = 500
MAX_BLOCK_LOTS = MAX_LOTS


# --- Schemas -------------------------------------------------------------------------------


class DetailOut(Schema):
    detail: str


class ErrorsOut(Schema):
    detail: str
    # Field → messages: "site_id", "lines[2].requested_g", "__all__"...
    errors: dict[str, list[str]]


class AvailableOut(Schema):
    """What the hub can send of one category on the delivery date."""

    category: Ref
    storage_class: StorageClass
    available_g: int
    available_kg: float


class StorageAvailableOut(Schema):
    storage_class: StorageClass
    available_g: int
    available_kg: float


class DayOut(Schema):
    id: int
    hub: Ref
    site: Ref  # where the food leaves from
    delivers_on: date
    status: DeliveryDay.Status  # open: taking orders; allocated: shared out; dispatched: left
    is_open: bool
    policy: DeliveryDay.Policy  # how to share when supply is short
    allocated_at: datetime | None
    # While the day takes orders: what is available, by category and by storage class.
    available: list[AvailableOut]
    available_by_storage: list[StorageAvailableOut]

    @staticmethod
    def resolve_hub(obj: DeliveryDay) -> Ref:
        return Ref(id=obj.organisation_id, name=obj.organisation.name)

    @staticmethod
    def resolve_is_open(obj: DeliveryDay) -> bool:
        return obj.status == DeliveryDay.Status.OPEN

    @staticmethod
    def resolve_available(obj: DeliveryDay) -> list[AvailableOut]:
        return available_rows(open_rows(obj))

    @staticmethod
    def resolve_available_by_storage(obj: DeliveryDay) -> list[StorageAvailableOut]:
        return by_storage(open_rows(obj))


class HubDayOut(DayOut):
    order_count: int


class CategoryTotalsOut(Schema):
    """One category of a day: available, asked for by all members, given."""

    category: Ref
    storage_class: StorageClass
    available_g: int
    requested_g: int
    granted_g: int
    short_g: int  # asked beyond what is available
    over_g: int  # given beyond what is available (hand changes)
    available_kg: float
    requested_kg: float
    granted_kg: float


class HubDayDetailOut(HubDayOut):
    categories: list[CategoryTotalsOut]  # categories with stock, orders or a share


class OrderLineOut(Schema):
    category: Ref
    storage_class: StorageClass
    requested_g: int
    requested_kg: float


class OrderOut(Schema):
    id: int
    organisation: Ref
    site: Ref  # deliver to
    note: str
    updated_at: datetime
    total_g: int
    total_kg: float
    lines: list[OrderLineOut]


class MemberDayOut(DayOut):
    ordered_g: int  # my order's total (0: no order)
    ordered_kg: float


class MemberDayDetailOut(DayOut):
    # Every category of the hub's catalogue (ids to order with), with what is available.
    categories: list[AvailableOut]
    order: OrderOut | None  # mine only


class OrderLineIn(Schema):
    category_id: int
    requested_g: int


class OrderIn(Schema):
    """My whole order for the day: it replaces the previous lines (left out: not asked)."""

    site_id: int | None = None  # None: my order's site, or my only site
    note: str = Field("", max_length=300)
    lines: list[OrderLineIn] = Field(max_length=MAX_ORDER_LINES)


class ShareLineOut(Schema):
    """What a member asked and got of one category, and why."""

    category: Ref
    storage_class: StorageClass
    requested_g: int
    granted_g: int
    requested_kg: float
    granted_kg: float
    reason: str  # in French, as the member reads it


class MemberShareOut(Schema):
    organisation: Ref
    site: Ref
    requested_g: int
    granted_g: int
    granted_kg: float
    reserved_g: int  # set aside in lots for this member (what will leave)
    lines: list[ShareLineOut]


class AllocationOut(Schema):
    day_id: int
    delivers_on: date
    status: DeliveryDay.Status
    allocated_at: datetime | None
    is_shared_out: bool
    categories: list[CategoryTotalsOut]
    members: list[MemberShareOut]


class MyShareOut(Schema):
    day_id: int
    hub: Ref
    delivers_on: date
    status: DeliveryDay.Status
    is_shared_out: bool  # False: still taking orders, nothing to show yet
    requested_g: int
    granted_g: int
    granted_kg: float
    lines: list[ShareLineOut]


class DeliveryOut(Schema):
    id: int
    direction: Literal["sent", "received"]  # as seen by the organisation in the path
    delivery_day_id: int
    delivers_on: date
    hub: Ref
    hub_site: Ref
    member: Ref
    site: Ref  # delivered to
    status: Delivery.Status
    shipped_g: int
    shipped_kg: float
    received_at: datetime | None
    note_pdf_url: str  # the printable delivery note (screen, signed in)

    @staticmethod
    def resolve_delivers_on(obj: Delivery) -> date:
        return obj.delivery_day.delivers_on

    @staticmethod
    def resolve_hub(obj: Delivery) -> Ref:
        return ref(obj.delivery_day.organisation)

    @staticmethod
    def resolve_hub_site(obj: Delivery) -> Ref:
        return ref(obj.delivery_day.site)

    @staticmethod
    def resolve_member(obj: Delivery) -> Ref:
        return ref(obj.organisation)

    @staticmethod
    def resolve_shipped_g(obj: Delivery) -> int:
        return obj.shipped_g or 0  # type: ignore[attr-defined]  # annotated

    @staticmethod
    def resolve_shipped_kg(obj: Delivery) -> float:
        return (obj.shipped_g or 0) / 1000  # type: ignore[attr-defined]

    @staticmethod
    def resolve_note_pdf_url(obj: Delivery, context: dict[str, Any]) -> str:
        return pdf_url(context["request"], obj)


class DeliveryLineOut(Schema):
    id: int
    lot_id: int
    category: Ref
    item: str | None
    storage_class: StorageClass
    best_before: date | None
    use_by: date | None
    supplier_lot_code: str
    shipped_g: int
    shipped_kg: float
    received_g: int | None  # None until confirmed
    received_kg: float | None
    missing_g: int | None  # shipped − received, once confirmed
    temperature_c: float | None  # on arrival


class StorageTotalOut(Schema):
    storage_class: StorageClass
    shipped_g: int
    received_g: int


class DeliveryDetailOut(DeliveryOut):
    received_g: int | None  # None until confirmed
    received_kg: float | None
    receipt_note: str
    totals_by_storage: list[StorageTotalOut]  # perishables first
    lines: list[DeliveryLineOut]

    @staticmethod
    def resolve_received_g(obj: Delivery) -> int | None:
        return note_summary(obj).received_g

    @staticmethod
    def resolve_received_kg(obj: Delivery) -> float | None:
        return grams_to_kg(note_summary(obj).received_g)

    @staticmethod
    def resolve_totals_by_storage(obj: Delivery) -> list[StorageTotalOut]:
        return [
            StorageTotalOut(
                storage_class=StorageClass(t.storage_class),
                shipped_g=t.shipped_g,
                received_g=t.received_g,
            )
            for t in note_summary(obj).totals
        ]

    @staticmethod
    def resolve_lines(obj: Delivery) -> list[DeliveryLineOut]:
        return [delivery_line(line) for line in obj.lines.all()]


class ReceiptLineIn(Schema):
    line_id: int
    received_g: int
    temperature_c: Decimal | None = None


class ReceiptIn(Schema):
    """Lines left out arrived in full; an empty list: everything arrived."""

    lines: list[ReceiptLineIn] = Field(default_factory=list, max_length=MAX_RECEIPT_LINES)
    note: str = Field("", max_length=500)  # needed when a weight differs


class RecallLotOut(Schema):
    id: int
    category: Ref
    item: str | None
    storage_class: StorageClass
    supplier_lot_code: str
    received_g: int
    best_before: date | None
    expiry_date: date | None
    reception_id: int | None
    received_on: date | None
    blocked_at: datetime | None


class HolderOut(Schema):
    """One site that got some of the lot (the owner's reception site included)."""

    organisation: Ref
    site: Ref
    how: str  # Réception, Livraison, Transfert
    on: date | None
    quantity_g: int
    received_g: int | None  # confirmed by the member (deliveries)
    left_g: int
    handed_out_g: int
    is_owner: bool


class LotTraceOut(Schema):
    lot: RecallLotOut
    sent_out_g: int
    left_g: int
    holders: list[HolderOut]


class ReachedSiteOut(Schema):
    site: Ref
    quantity_g: int
    left_g: int
    handed_out_g: int


class ReachedOut(Schema):
    """An organisation to call: public contact, its sites, what it got and has left."""

    organisation: Ref
    contact_email: str
    contact_phone: str
    is_owner: bool
    quantity_g: int
    quantity_kg: float
    left_g: int
    sites: list[ReachedSiteOut]


class PendingDayOut(Schema):
    id: int
    delivers_on: date
    site: Ref


class RecallOut(Schema):
    lot_count: int
    too_many: bool  # more than MAX_LOTS lots matched: narrow the search
    lots: list[LotTraceOut]
    organisations: list[ReachedOut]
    # Shared out, not yet sent, with some of these lots: share out again.
    pending_days: list[PendingDayOut]


class BlockIn(Schema):
    lot_ids: list[int] = Field(max_length=MAX_BLOCK_LOTS)
    reason: str  # the recall notice


class BlockOut(Schema):
    blocked: list[int]  # newly blocked
    already_blocked: list[int]
    pending_days: list[PendingDayOut]


# --- Builders used by the resolvers ---------------------------------------------------------


def grams_to_kg(grams: int | None) -> float | None:
    return None if grams is None else grams / 1000


def ref(obj: Organisation | Site | Category) -> Ref:
    return Ref(id=obj.pk, name=obj.name)


def pdf_url(request: HttpRequest, delivery: Delivery) -> str:
    return request.build_absolute_uri(reverse("logistics:delivery_note_pdf", args=[delivery.pk]))


def open_rows(day: DeliveryDay) -> list[CategoryRow]:
    """The day's category rows while it takes orders (cached on the day); else none."""
    if day.status != DeliveryDay.Status.OPEN:
        return []
    if "_api_rows" not in day.__dict__:
        day.__dict__["_api_rows"] = day_categories(day)
    rows: list[CategoryRow] = day.__dict__["_api_rows"]
    return rows


def available_one(row: CategoryRow) -> AvailableOut:
    return AvailableOut(
        category=ref(row.category),
        storage_class=StorageClass(row.category.storage_class),
        available_g=row.available_g,
        available_kg=row.available_g / 1000,
    )


def available_rows(rows: list[CategoryRow]) -> list[AvailableOut]:
    return [available_one(r) for r in rows if r.available_g]


def by_storage(rows: list[CategoryRow]) -> list[StorageAvailableOut]:
    totals: dict[str, int] = {}
    for row in rows:
        if row.available_g:
            storage = row.category.storage_class
            totals[storage] = totals.get(storage, 0) + row.available_g
    return [
        StorageAvailableOut(storage_class=s, available_g=g, available_kg=g / 1000)
        for s in PERISHABILITY_ORDER
        if (g := totals.get(s, 0))
    ]


def note_summary(delivery: Delivery) -> NoteSummary:
    if "_api_summary" not in delivery.__dict__:
        delivery.__dict__["_api_summary"] = delivery_note_summary(delivery)
    summary: NoteSummary = delivery.__dict__["_api_summary"]
    return summary


def delivery_line(line: DeliveryLine) -> DeliveryLineOut:
    lot = line.lot
    return DeliveryLineOut(
        id=line.pk,
        lot_id=line.lot_id,
        category=ref(lot.category),
        item=lot.item.name if lot.item is not None else None,
        storage_class=StorageClass(lot.storage_class),
        best_before=lot.best_before,
        use_by=lot.use_by,
        supplier_lot_code=lot.supplier_lot_code,
        shipped_g=line.shipped_g,
        shipped_kg=line.shipped_g / 1000,
        received_g=line.received_g,
        received_kg=grams_to_kg(line.received_g),
        missing_g=None if line.received_g is None else line.shipped_g - line.received_g,
        temperature_c=float(line.temperature_c) if line.temperature_c is not None else None,
    )

"""The hub's week at service level: receive, open a delivery day, order, share, deliver,
confirm receipt at a counter, distribute."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cordee.logistics.models import (
    AllocationLine,
    CounterDistribution,
    Delivery,
    DeliveryDay,
    StockBalance,
    StockMovement,
)
from cordee.logistics.services.deliveries import (
    counter_distribution_record,
    delivery_confirm,
    delivery_day_dispatch,
)
from cordee.logistics.services.orders import delivery_day_allocate, delivery_day_open, order_save
from cordee.logistics.services.receptions import ReceptionLine, reception_record


def _stock_hub(hub, catalogue_a):
    today = timezone.localdate()
    reception_record(
        actor=hub["user"],
        site=hub["site"],
        source="food_bank",
        received_on=today,
        lines=[
            ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=100_000),
            ReceptionLine(
                category=catalogue_a["Produits laitiers"],
                weight_g=30_000,
                temperature_c=Decimal(3),
                best_before=today + timedelta(days=6),
            ),
        ],
    )


def test_the_week_end_to_end(hub, member_b, admin_a, org_a, catalogue_a):
    _stock_hub(hub, catalogue_a)
    dry, dairy = catalogue_a["Épicerie sèche"], catalogue_a["Produits laitiers"]
    day = delivery_day_open(
        actor=hub["user"],
        site=hub["site"],
        delivers_on=timezone.localdate() + timedelta(days=1),
        policy="equal",
    )
    order_save(
        actor=admin_a,
        delivery_day=day,
        organisation=org_a,
        site=org_a.sites.get(),
        requested_g={dry: 80_000, dairy: 10_000},
    )
    order_save(
        actor=member_b["user"],
        delivery_day=day,
        organisation=member_b["org"],
        site=member_b["site"],
        requested_g={dry: 80_000},
    )

    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    outcomes = {(o.organisation_id, o.category_id): o for o in day.outcomes.all()}
    assert outcomes[(org_a.pk, dry.pk)].granted_g == 50_000  # short: equal halves
    assert outcomes[(member_b["org"].pk, dry.pk)].granted_g == 50_000
    assert outcomes[(org_a.pk, dairy.pk)].granted_g == 10_000  # enough: full
    assert all(o.reason for o in outcomes.values())

    deliveries = delivery_day_dispatch(actor=hub["user"], delivery_day=day)
    assert len(deliveries) == 2
    hub_left = sum(
        StockBalance.objects.filter(site=hub["site"]).values_list("quantity_g", flat=True)
    )
    assert hub_left == 130_000 - 110_000

    mine = Delivery.objects.get(organisation=org_a)
    dairy_line = mine.lines.get(lot__category=dairy)
    with pytest.raises(ValidationError):  # a difference needs a word of explanation
        delivery_confirm(actor=admin_a, delivery=mine, received_g={dairy_line.pk: 8_000})
    delivery_confirm(
        actor=admin_a, delivery=mine, received_g={dairy_line.pk: 8_000}, note="Un carton écrasé"
    )
    mine.refresh_from_db()
    assert mine.status == Delivery.Status.PARTIAL
    site_a = org_a.sites.get()
    assert (
        sum(StockBalance.objects.filter(site=site_a).values_list("quantity_g", flat=True)) == 58_000
    )

    counter_distribution_record(
        actor=admin_a,
        site=site_a,
        distributed_on=timezone.localdate(),
        baskets=42,
        kg_by_category={dry: 20_000},
    )
    assert CounterDistribution.objects.get().baskets == 42
    assert StockMovement.objects.filter(kind="distribution").count() >= 1
    with pytest.raises(ValidationError):
        counter_distribution_record(
            actor=admin_a,
            site=site_a,
            distributed_on=timezone.localdate(),
            baskets=1,
            kg_by_category={dry: 999_000},
        )


def test_two_delivery_days_never_share_the_same_grams(hub, member_b, admin_a, org_a, catalogue_a):
    _stock_hub(hub, catalogue_a)
    dry = catalogue_a["Épicerie sèche"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    days = [
        delivery_day_open(actor=hub["user"], site=hub["site"], delivers_on=tomorrow + timedelta(d))
        for d in range(2)
    ]
    for day in days:
        order_save(
            actor=admin_a,
            delivery_day=day,
            organisation=org_a,
            site=org_a.sites.get(),
            requested_g={dry: 70_000},
        )
        delivery_day_allocate(actor=hub["user"], delivery_day=day)
    granted = [sum(d.allocation_lines.values_list("quantity_g", flat=True)) for d in days]
    assert granted == [70_000, 30_000]
    assert sum(AllocationLine.objects.values_list("quantity_g", flat=True)) <= 100_000


def test_households_policy_uses_last_month_baskets(hub, member_b, admin_a, org_a, catalogue_a):
    _stock_hub(hub, catalogue_a)
    dry = catalogue_a["Épicerie sèche"]
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=3)
    CounterDistribution.objects.create(
        organisation=org_a, site=org_a.sites.get(), distributed_on=last_month, baskets=300
    )
    CounterDistribution.objects.create(
        organisation=member_b["org"], site=member_b["site"], distributed_on=last_month, baskets=100
    )
    day = delivery_day_open(
        actor=hub["user"],
        site=hub["site"],
        delivers_on=today + timedelta(days=1),
        policy="households",
    )
    for member in ({"org": org_a, "site": org_a.sites.get(), "user": admin_a}, member_b):
        order_save(
            actor=member["user"],
            delivery_day=day,
            organisation=member["org"],
            site=member["site"],
            requested_g={dry: 100_000},
        )
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    granted = {o.organisation_id: o.granted_g for o in day.outcomes.filter(category=dry)}
    assert granted == {org_a.pk: 75_000, member_b["org"].pk: 25_000}


def test_orders_close_once_dispatched(hub, admin_a, org_a, catalogue_a):
    _stock_hub(hub, catalogue_a)
    day = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=timezone.localdate() + timedelta(days=1)
    )
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    delivery_day_dispatch(actor=hub["user"], delivery_day=day)
    assert day.status == DeliveryDay.Status.DISPATCHED
    with pytest.raises(ValidationError):
        order_save(
            actor=admin_a,
            delivery_day=day,
            organisation=org_a,
            site=org_a.sites.get(),
            requested_g={catalogue_a["Épicerie sèche"]: 1_000},
        )


def test_a_member_outside_the_network_cannot_order(hub, admin_b, org_b, catalogue_a):
    day = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        order_save(
            actor=admin_b,
            delivery_day=day,
            organisation=org_b,
            site=org_b.sites.get(),
            requested_g={catalogue_a["Épicerie sèche"]: 1_000},
        )


def test_dispatch_refuses_a_lot_recalled_after_sharing(hub, admin_a, org_a, catalogue_a):
    _stock_hub(hub, catalogue_a)
    day = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=timezone.localdate() + timedelta(days=1)
    )
    order_save(
        actor=admin_a,
        delivery_day=day,
        organisation=org_a,
        site=org_a.sites.get(),
        requested_g={catalogue_a["Épicerie sèche"]: 1_000},
    )
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    day.allocation_lines.get().lot.__class__.objects.update(blocked_at=timezone.now())
    with pytest.raises(ValidationError):
        delivery_day_dispatch(actor=hub["user"], delivery_day=day)
    assert not Delivery.objects.exists()


def test_a_member_counts_the_lots_the_hub_delivered(hub, member_b, admin_a, org_a, catalogue_a):
    from cordee.logistics.services.stock import stock_count_record

    _stock_hub(hub, catalogue_a)
    dry = catalogue_a["Épicerie sèche"]
    day = delivery_day_open(
        actor=hub["user"],
        site=hub["site"],
        delivers_on=timezone.localdate() + timedelta(days=1),
        policy="equal",
    )
    order_save(
        actor=member_b["user"],
        delivery_day=day,
        organisation=member_b["org"],
        site=member_b["site"],
        requested_g={dry: 10_000},
    )
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    (delivery,) = delivery_day_dispatch(actor=hub["user"], delivery_day=day)
    delivery_confirm(actor=member_b["user"], delivery=delivery, received_g={})
    lot = delivery.lines.get().lot
    assert lot.organisation_id == hub["org"].pk  # the hub's lot, kept at the member's site

    (adjustment,) = stock_count_record(
        actor=member_b["user"], site=member_b["site"], counted_g={lot.pk: 9_500}
    )
    assert adjustment.quantity_g == -500
    assert StockBalance.objects.get(site=member_b["site"], lot=lot).quantity_g == 9_500
    # A hub lot that never reached the member's site stays out of its count.
    other = StockBalance.objects.filter(site=hub["site"]).exclude(lot=lot).first().lot
    with pytest.raises(ValidationError):
        stock_count_record(actor=member_b["user"], site=member_b["site"], counted_g={other.pk: 1})

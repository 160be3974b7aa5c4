"""The logistics demo: plausible volumes, a ledger that adds up, and loading only once.

The full year loads in a few seconds (see the module's docstring); the tests load 13
weeks, which is enough for every rule and keeps the suite fast.
"""

from collections import Counter, defaultdict
from decimal import Decimal
from itertools import groupby

import pytest
from django.db.models import Count, F, Sum
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from cordee.core.demo.data import HUB
from cordee.core.demo.load import DemoDataError, demo_load
from cordee.core.models import AuditEvent, Organisation, Site, User
from cordee.logistics.demo import READING_DAYS, LogisticsDemoSummary, logistics_demo_load
from cordee.logistics.models import (
    MAX_TEMPERATURE_C,
    AllocationOutcome,
    Category,
    ColdUnit,
    CounterDistribution,
    Delivery,
    DeliveryDay,
    DeliveryLine,
    Lot,
    OrderLine,
    Reception,
    StockBalance,
    StockMovement,
    TemperatureReading,
)
from cordee.logistics.selectors.stock import expiring_soon, lots_fefo
from cordee.logistics.selectors.temperatures import temperature_alerts, unit_statuses
from cordee.logistics.services.orders import delivery_day_allocate
from cordee.logistics.services.receptions import ReceptionLine, line_problems

DAYS = 91
WEEKS = DAYS / 7
Kind = StockMovement.Kind


def _kg(queryset, field="quantity_g") -> float:
    return (queryset.aggregate(total=Sum(field))["total"] or 0) / 1000


class TestLogisticsDemo(TestCase):
    summary: LogisticsDemoSummary

    @classmethod
    def setUpTestData(cls) -> None:
        demo_load()
        cls.summary = logistics_demo_load(days=DAYS)
        cls.hub = Organisation.objects.get(slug=HUB.slug)
        cls.warehouse = Site.objects.get(organisation=cls.hub, name=HUB.sites[0].name)

    def test_receptions_come_at_a_plausible_pace(self):
        receptions = Reception.objects.filter(organisation=self.hub, site=self.warehouse)
        by_source = dict(receptions.values_list("source").annotate(n=Count("id")))
        assert 2 <= by_source["food_bank"] / WEEKS <= 4
        assert 6 <= by_source["recovery"] / WEEKS <= 10  # 4 stores, twice a week
        assert by_source["donation"] >= 3
        per_30_days = _kg(Lot.objects.filter(organisation=self.hub), "received_g") / DAYS * 30
        assert 15_000 <= per_30_days <= 40_000  # kg received by the hub in a month
        assert self.summary.receptions == receptions.count()
        assert self.summary.created > 0

    def test_store_pickups_and_food_bank_deliveries_have_plausible_sizes(self):
        lots = Lot.objects.filter(organisation=self.hub)
        for source, low, high in (("food_bank", 750, 2_700), ("recovery", 35, 400)):
            weights = (
                lots.filter(reception__source=source)
                .values("reception")
                .annotate(g=Sum("received_g"))
                .values_list("g", flat=True)
            )
            assert all(low * 1000 <= g <= high * 1000 for g in weights), source
        categories = dict(
            lots.filter(reception__source="food_bank")
            .values_list("category__name")
            .annotate(g=Sum("received_g"))
        )
        biggest = sorted(categories, key=categories.__getitem__, reverse=True)[:2]
        assert set(biggest) == {"Épicerie sèche", "Fruits et légumes"}

    def test_losses_are_a_few_percent_of_what_comes_in(self):
        at_hub = StockMovement.objects.filter(site=self.warehouse)
        received = _kg(at_hub.filter(kind=Kind.RECEPTION))
        lost = -_kg(at_hub.filter(kind=Kind.LOSS))
        assert 0.01 <= lost / received <= 0.06
        reasons = set(at_hub.filter(kind=Kind.LOSS).values_list("loss_reason", flat=True))
        assert {"spoiled", "expired", "damaged"} <= reasons
        counts = at_hub.filter(kind=Kind.ADJUSTMENT)
        assert counts.exists()
        assert all(abs(q) < 100_000 for q in counts.values_list("quantity_g", flat=True))

    def test_the_ledger_and_the_balances_agree_and_never_go_negative(self):
        running: dict[tuple[int, int], int] = defaultdict(int)
        movements = StockMovement.objects.order_by("occurred_on", "id")
        for site, lot, quantity in movements.values_list("site_id", "lot_id", "quantity_g"):
            running[site, lot] += quantity
            assert running[site, lot] >= 0, (site, lot)
        balances = {
            (site, lot): grams
            for site, lot, grams in StockBalance.objects.values_list(
                "site_id", "lot_id", "quantity_g"
            )
        }
        assert balances == dict(running)
        assert not StockMovement.objects.exclude(organisation=F("site__organisation")).exists()
        assert not StockBalance.objects.exclude(organisation=F("site__organisation")).exists()

    def test_food_reaches_members_and_households(self):
        out = StockMovement.objects.filter(kind=Kind.DELIVERY_OUT)
        into = StockMovement.objects.filter(kind=Kind.DELIVERY_IN)
        assert out.count() == into.count() > 0
        assert _kg(out) == -_kg(into)
        assert set(out.values_list("site", flat=True)) == {self.warehouse.pk}
        members = set(into.values_list("organisation__kind", flat=True).distinct())
        assert members == {Organisation.Kind.FOOD_COUNTER, Organisation.Kind.COLLECTIVE_KITCHEN}
        handed_out = StockMovement.objects.filter(kind=Kind.DISTRIBUTION)
        assert not handed_out.filter(site=self.warehouse).exists()  # the hub serves no one
        at_members = -_kg(handed_out.exclude(organisation=self.hub))
        assert 0.8 * _kg(into) <= at_members <= _kg(into)
        mobile = handed_out.filter(site__kind=Site.Kind.MOBILE_STOP)
        assert -_kg(mobile) / WEEKS / 4 > 100  # each stop serves a dozen households or more

    def test_deliveries_are_recorded_as_the_deliveries_feature_does(self):
        out = StockMovement.objects.filter(kind=Kind.DELIVERY_OUT)
        lines = DeliveryLine.objects.all()
        assert lines.count() == out.count()
        assert _kg(lines, "shipped_g") == _kg(lines, "received_g") == -_kg(out)
        days = DeliveryDay.objects.filter(organisation=self.hub)
        dispatched = days.filter(status=DeliveryDay.Status.DISPATCHED)
        assert 2.5 <= dispatched.count() / WEEKS <= 3
        assert set(Delivery.objects.values_list("status", flat=True)) == {"received"}
        granted = AllocationOutcome.objects.aggregate(g=Sum("granted_g"))["g"]
        ordered = OrderLine.objects.filter(order__delivery_day__in=dispatched)
        assert granted == ordered.aggregate(g=Sum("requested_g"))["g"] == -_kg(out) * 1000
        # Satellite points of service get their part by a shuttle from the main site.
        shuttles = StockMovement.objects.filter(kind=Kind.TRANSFER_IN).exclude(
            organisation=self.hub
        )
        assert shuttles.values("site").distinct().count() == 3

    def test_counters_count_baskets_and_the_next_delivery_day_can_be_shared(self):
        baskets = CounterDistribution.objects.exclude(organisation=self.hub)
        per_opening = baskets.aggregate(n=Sum("baskets"))["n"] / baskets.count()
        assert 5 <= per_opening <= 120
        handed_out = -_kg(
            StockMovement.objects.filter(kind=Kind.DISTRIBUTION, site__kind=Site.Kind.COUNTER)
        )
        assert 10 <= handed_out / baskets.aggregate(n=Sum("baskets"))["n"] <= 20  # kg a basket
        day = DeliveryDay.objects.get(status=DeliveryDay.Status.OPEN)
        assert day.orders.count() == 10  # the members' standing orders
        coordinator = User.objects.get(email="reseau.carrefour@cordee.example")
        result = delivery_day_allocate(actor=coordinator, delivery_day=day)
        assert sum(line.quantity_g for line in result.lines) > 1_000_000  # more than a tonne

    def test_the_hub_keeps_one_to_three_weeks_of_stock(self):
        weekly_in = _kg(StockMovement.objects.filter(site=self.warehouse, kind=Kind.RECEPTION))
        weekly_in /= WEEKS
        stock = self.summary.hub_stock_kg
        assert stock == _kg(StockBalance.objects.filter(site=self.warehouse))
        assert 0.7 * weekly_in <= stock <= 3 * weekly_in

    def test_something_to_hand_out_first_and_a_lot_set_aside(self):
        soon = expiring_soon(org=self.hub, site=self.warehouse)
        assert len([e for e in soon if e.days_left >= 0]) >= 3
        waiting = StockBalance.objects.filter(
            site=self.warehouse, quantity_g__gt=0, lot__decision=Lot.Decision.QUARANTINED
        )
        assert waiting.filter(lot__category__name="Viande").exists()  # still to be decided
        fefo = lots_fefo(org=self.hub, site=self.warehouse)
        assert not {b.lot_id for b in waiting} & {b.lot_id for b in fefo}

    def test_every_lot_would_pass_the_reception_form(self):
        lots = Lot.objects.filter(organisation=self.hub).select_related("category")
        warm = 0
        for lot in lots:
            line = ReceptionLine(
                category=lot.category,
                weight_g=lot.received_g,
                best_before=lot.best_before,
                expiry_date=lot.expiry_date,
                temperature_c=lot.temperature_c,
                decision=lot.decision,
                decision_reason=lot.decision_reason,
            )
            assert line_problems(line, self.hub) == {}, lot
            limit = MAX_TEMPERATURE_C.get(lot.storage_class)
            warm += limit is not None and lot.temperature_c > Decimal(limit)
        cold = lots.exclude(storage_class="dry").count()
        assert 0 < warm < 0.06 * cold
        discarded = lots.filter(decision=Lot.Decision.DISCARDED)
        for lot in discarded:
            loss = lot.movements.get(kind=Kind.LOSS)
            assert (loss.quantity_g, loss.loss_reason) == (-lot.received_g, "cold_chain")

    def test_fridges_and_freezers_have_a_temperature_log(self):
        units = ColdUnit.objects.select_related("site__organisation")
        by_org = Counter(unit.site.organisation.slug for unit in units)
        assert by_org["carrefour"] == 3 and len(by_org) == 3  # the hub and two counters
        assert {unit.storage_class for unit in units} == {"chilled", "frozen"}
        assert [s.unit.name for s in unit_statuses(org=self.hub)] == [
            "Chambre froide",
            "Congélateur no 1",
            "Congélateur no 2",
        ]
        now = timezone.now()
        for unit in units:
            readings = unit.readings.all()
            days = {timezone.localtime(r.taken_at).date() for r in readings}
            assert all(len(list(group)) <= 2 for _day, group in _by_day(readings))
            assert (now.date() - min(days)).days <= READING_DAYS
            assert not readings.filter(taken_at__gt=now).exists()
            if unit.site == self.warehouse:  # twice every working day
                assert 2 * 40 <= readings.count() <= 2 * 45
            else:  # at opening and closing, two days a week
                assert 2 * 14 <= readings.count() <= 2 * 19
        self.client.force_login(User.objects.get(email="reseau.carrefour@cordee.example"))
        page = self.client.get(reverse("logistics:temperature_list"))
        assert page.status_code == 200 and "Congélateur no 2" in page.content.decode()

    def test_a_few_readings_are_too_warm_and_say_what_was_done(self):
        readings = TemperatureReading.objects.select_related("unit")
        for reading in readings:  # flagged exactly when above the unit's limit
            too_warm = reading.temperature_c > reading.unit.max_temperature_c
            assert reading.is_out_of_range == too_warm
            assert bool(reading.action_taken) == too_warm
        warm = readings.filter(is_out_of_range=True).count()
        assert 1 <= warm <= 0.06 * readings.count()
        # A counter's fridge was too warm in the last days: its temperature page says so.
        counters = Organisation.objects.filter(
            slug__in=["panier-des-monts", "grenier-de-la-diable"]
        )
        recent = [r for org in counters for r in temperature_alerts(org=org).out_of_range]
        assert any(r.unit.name == "Réfrigérateur" and r.temperature_c > 4 for r in recent)

    def test_loading_again_adds_nothing(self):
        before = (
            Reception.objects.count(),
            Lot.objects.count(),
            StockMovement.objects.count(),
            ColdUnit.objects.count(),
            TemperatureReading.objects.count(),
        )
        again = logistics_demo_load(days=DAYS)
        assert again.created == 0
        after = (
            Reception.objects.count(),
            Lot.objects.count(),
            StockMovement.objects.count(),
            ColdUnit.objects.count(),
            TemperatureReading.objects.count(),
        )
        assert after == before
        assert AuditEvent.objects.filter(action="demo.logistics").count() == 1
        assert Category.objects.filter(network__slug="concertation-itinerance").count() == 9


def _by_day(readings):
    return groupby(
        sorted(readings, key=lambda r: r.taken_at),
        key=lambda r: (r.unit_id, timezone.localtime(r.taken_at).date()),
    )


def test_the_logistics_demo_needs_the_core_demo(db):
    with pytest.raises(DemoDataError):
        logistics_demo_load(days=7)
    assert not Reception.objects.exists()

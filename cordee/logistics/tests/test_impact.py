"""Impact page: kg by source, losses, meals and CO2e from a named factor set, CSV, tenancy."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import Organisation
from cordee.logistics.charts import Series, bar_chart
from cordee.logistics.models import FactorSet, Lot, StockMovement
from cordee.logistics.selectors.impact import (
    BASIS_DELIVERED,
    BASIS_DISTRIBUTED,
    impact_by_month,
    period,
)
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.deliveries import counter_distribution_record
from cordee.logistics.services.receptions import ReceptionLine, reception_record
from cordee.logistics.services.stock import movement_apply, stock_loss_record

URL = reverse("logistics:impact")
MEALS_PER_KG = Decimal("1.838")


def _first_of_previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@pytest.fixture
def dataset(admin_a, site_a, catalogue_a):
    """This month: 35 kg of food in (30 food bank, 5 recovery), 1.75 kg lost, 10 kg handed out.

    Last month: 2 kg recovered. 3 kg of hygiene products (not food) are never counted.
    """
    today = timezone.localdate()
    dry, bread = catalogue_a["Épicerie sèche"], catalogue_a["Boulangerie"]
    fruit = catalogue_a["Fruits et légumes"]
    hygiene = catalogue_a["Produits d'hygiène / non alimentaire"]
    bank = reception_record(
        actor=admin_a,
        site=site_a,
        source="food_bank",
        received_on=today,
        lines=[
            ReceptionLine(category=fruit, weight_g=10_000, temperature_c=Decimal("3")),
            ReceptionLine(category=dry, weight_g=20_000),
        ],
    )
    reception_record(
        actor=admin_a,
        site=site_a,
        source="recovery",
        received_on=today,
        lines=[ReceptionLine(category=bread, weight_g=5_000)],
    )
    reception_record(
        actor=admin_a,
        site=site_a,
        source="recovery",
        received_on=_first_of_previous_month(today),
        lines=[ReceptionLine(category=bread, weight_g=2_000)],
    )
    reception_record(
        actor=admin_a,
        site=site_a,
        source="donation",
        received_on=today,
        lines=[ReceptionLine(category=hygiene, weight_g=3_000)],
    )
    fruit_lot = Lot.objects.get(reception=bank, category=fruit)
    stock_loss_record(actor=admin_a, site=site_a, lot=fruit_lot, quantity_g=1_750, reason="spoiled")
    counter_distribution_record(
        actor=admin_a,
        site=site_a,
        distributed_on=today,
        baskets=12,
        kg_by_category={fruit: 4_000, dry: 6_000, hygiene: 1_000},
    )
    return today


def test_period_is_the_last_twelve_months_or_a_calendar_year():
    assert period(None, date(2026, 3, 15)) == (date(2025, 4, 1), date(2026, 3, 1))
    assert period(2025) == (date(2025, 1, 1), date(2025, 12, 1))


def test_figures_by_month_with_the_default_factor_set(org_a, dataset):
    report = impact_by_month(org=org_a)
    assert report.factor_set is not None and report.factor_set.is_default
    assert report.basis == BASIS_DISTRIBUTED
    assert len(report.months) == 12
    this_month, last_month = report.months[-1], report.months[-2]
    assert this_month.month == dataset.replace(day=1)
    assert this_month.received_g == {"food_bank": 30_000, "recovery": 5_000}
    assert this_month.recovered_g == 5_000
    assert this_month.received_total_g == 35_000  # hygiene products are not food
    assert this_month.distributed_g == 10_000
    assert this_month.delivered_g == 0
    assert this_month.loss_g == 1_750
    assert this_month.loss_pct == Decimal("5.0")
    assert this_month.meals == 10 * MEALS_PER_KG
    assert this_month.co2e_kg == Decimal("8.8")
    assert last_month.received_g == {"recovery": 2_000}
    assert last_month.loss_pct == Decimal("0.0")
    assert report.totals.received_total_g == 37_000
    assert report.totals.recovered_g == 7_000
    assert report.sources == ["food_bank", "recovery"]


def test_another_factor_set_changes_co2e_not_the_kilograms(org_a, dataset):
    other = FactorSet.objects.get(name__startswith="RECYC")
    report = impact_by_month(org=org_a, factor_set=other)
    assert report.totals.co2e_kg == Decimal("30")
    assert report.totals.meals == 10 * MEALS_PER_KG
    assert report.totals.distributed_g == 10_000


def test_a_calendar_year_without_movements_is_empty(org_a, dataset):
    report = impact_by_month(org=org_a, year=dataset.year - 3)
    assert report.totals.received_total_g == 0
    assert report.totals.loss_pct is None
    assert report.sources == []


def test_a_hub_counts_impact_on_kg_delivered_never_adding_its_counter(
    org_a, admin_a, site_a, catalogue_a
):
    org_a.kind = Organisation.Kind.HUB
    org_a.save(update_fields=["kind"])
    today = timezone.localdate()
    dry = catalogue_a["Épicerie sèche"]
    reception = reception_record(
        actor=admin_a,
        site=site_a,
        source="food_bank",
        received_on=today,
        lines=[ReceptionLine(category=dry, weight_g=50_000)],
    )
    lot = reception.lots.get()
    movement_apply(
        actor=admin_a,
        site=site_a,
        lot=lot,
        kind=StockMovement.Kind.DELIVERY_OUT,
        quantity_g=-20_000,
        occurred_on=today,
    )
    counter_distribution_record(
        actor=admin_a,
        site=site_a,
        distributed_on=today,
        baskets=3,
        kg_by_category={dry: 5_000},
    )
    report = impact_by_month(org=org_a)
    assert report.basis == BASIS_DELIVERED
    assert report.totals.delivered_g == 20_000
    assert report.totals.distributed_g == 5_000
    assert report.totals.meals == 20 * MEALS_PER_KG  # not 25 kg
    assert report.totals.co2e_kg == Decimal("17.6")


def test_page_shows_table_charts_and_factor_set(client_a, dataset):
    response = client_a.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "BAQ PRS 2018-2019" in html
    assert "Banques alimentaires du Québec" in html  # the set's source
    assert html.count('role="img"') == 2
    assert 'aria-labelledby="chart-received-title chart-received-desc"' in html
    assert 'style="' not in html.split("<main", 1)[-1]
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    assert "35 kg" in html.replace("\xa0", " ")
    other = FactorSet.objects.get(name__startswith="RECYC")
    response = client_a.get(URL, {"facteurs": other.pk})
    assert response.context["report"].factor_set == other
    assert response.context["report"].totals.co2e_kg == Decimal("30")


def test_bad_parameters_are_not_found(client_a, org_b, catalogue_a):
    catalogue_seed_defaults(network=org_b.networks.get())
    foreign = FactorSet.objects.filter(network=org_b.networks.get()).first()
    assert client_a.get(URL, {"facteurs": foreign.pk}).status_code == 404
    assert client_a.get(URL, {"facteurs": "x"}).status_code == 404
    assert client_a.get(URL, {"annee": "1990"}).status_code == 404


def test_csv_export(client_a, org_a, dataset):
    response = client_a.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    year = dataset.year
    assert f'filename="impact-{org_a.slug}-{year}.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert len(lines) == 1 + 12 + 1  # header, months, total
    header = lines[0].split(";")
    this_month = dict(zip(header, lines[-2].split(";"), strict=True))
    assert this_month[header[0]] == dataset.strftime("%Y-%m")
    values = lines[-2].split(";")
    assert "30,0" in values and "35,0" in values and "10,0" in values and "5,0" in values
    assert values[-1] == "BAQ PRS 2018-2019"
    assert values[-3] == "18" and values[-2] == "9"  # 18.38 meals, 8.8 kg CO2e


def test_tenancy_org_b_data_never_shows(client_a, admin_b, org_b, dataset):
    catalogue_seed_defaults(network=org_b.networks.get())
    dry_b = org_b.networks.get().categories.get(name="Épicerie sèche")
    reception_record(
        actor=admin_b,
        site=org_b.sites.get(),
        source="purchase",
        received_on=dataset,
        lines=[ReceptionLine(category=dry_b, weight_g=777_000)],
    )
    response = client_a.get(URL)
    report = response.context["report"]
    assert report.totals.received_total_g == 35_000 + 2_000
    assert "purchase" not in report.sources
    assert "777" not in response.content.decode()
    csv_body = client_a.get(URL, {"format": "csv"}).content.decode()
    assert "777" not in csv_body
    # and org_b sees its own figures only
    assert impact_by_month(org=org_b).totals.received_total_g == 777_000


def test_bar_chart_escapes_text_and_labels_itself():
    svg = bar_chart(
        chart_id="c",
        title="<T>",
        desc="D & d",
        labels=["jan", "fév"],
        series=[Series("a", [1, 2]), Series("b", [0, 3])],
        unit="kg",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "&lt;T&gt;" in svg and "D &amp; d" in svg
    assert svg.count('<rect class="chart-bar') == 3  # zero values draw nothing
    assert "style=" not in svg

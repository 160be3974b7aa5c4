"""Impact page: kg by source, losses, meals and CO2e from a named factor set, CSV, XLSX,
the network's per-member and monthly tables, tenancy."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cordee.core.models import NetworkRole, Organisation
from cordee.core.tests.factories import NetworkMembershipFactory, OrganisationFactory
from cordee.logistics.charts import Series, bar_chart
from cordee.logistics.models import FactorSet, Lot, StockMovement
from cordee.logistics.selectors.impact import (
    BASIS_DELIVERED,
    BASIS_DISTRIBUTED,
    impact_by_month,
    network_impact,
    period,
)
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.deliveries import (
    counter_distribution_record,
    delivery_confirm,
    delivery_day_dispatch,
)
from cordee.logistics.services.orders import delivery_day_allocate, delivery_day_open, order_save
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
    assert values[header.index("Paniers")] == "12"


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


# --- XLSX ---------------------------------------------------------------------------------


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _table(sheet):
    """Notes above, then the header row (the first row after the blank line), then rows."""
    rows = list(sheet.iter_rows(values_only=True))
    blank = next(i for i, r in enumerate(rows) if all(v is None for v in r))
    notes = [r[0] for r in rows[:blank]]
    header = list(rows[blank + 1])
    body = [dict(zip(header, r, strict=True)) for r in rows[blank + 2 :]]
    return notes, header, body


def test_xlsx_export_of_a_counter(client_a, org_a, dataset):
    response = client_a.get(URL, {"format": "xlsx"})
    assert f'filename="impact-{org_a.slug}-{dataset.year}.xlsx"' in response["Content-Disposition"]
    book = _book(response)
    assert book.sheetnames == ["Par mois"]  # a counter sees no network sheet
    notes, header, body = _table(book["Par mois"])
    assert notes[0] == "Impact de Comptoir A"
    assert "Facteurs d'impact : BAQ PRS 2018-2019" in notes
    assert any(n.startswith("Source : ") and "Banques alimentaires du Québec" in n for n in notes)
    assert any("jamais additionnés" in n for n in notes)
    assert header[0] == "Mois" and "Distribué aux comptoirs (kg)" in header
    assert len(body) == 13 and body[-1]["Mois"] == "Total"
    this_month = body[-2]
    assert isinstance(this_month["Mois"], datetime)
    assert this_month["Mois"].date() == dataset.replace(day=1)
    assert this_month["Reçu, total (kg)"] == 35.0
    assert this_month["Distribué aux comptoirs (kg)"] == 10.0
    assert this_month["Pertes (kg)"] == 1.8  # 1.75 kg, one decimal
    assert this_month["Paniers"] == 12 and this_month["Repas"] == 18
    cell = book["Par mois"].cell(row=len(notes) + 3 + 11, column=header.index("Pertes (kg)") + 1)
    assert cell.number_format == "0.0" and isinstance(cell.value, float)
    assert body[-1]["Reçu, total (kg)"] == 37.0


# --- The network: per member, per month -------------------------------------------------


@pytest.fixture
def network_world(org_a, admin_a, hub, member_b, catalogue_a):
    """The hub receives 100 kg and delivers 40 kg to Comptoir A and 30 kg to Comptoir C,
    who hand out 25 kg (10 baskets) and 12 kg (6 baskets; 2 kg lost); the hub's own counter
    hands out 5 kg (3 baskets). A supplier of the network is no member of the table."""
    today = timezone.localdate()
    dry = catalogue_a["Épicerie sèche"]
    supplier = OrganisationFactory(name="Moisson test", kind=Organisation.Kind.FOOD_BANK)
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=supplier)
    reception_record(
        actor=hub["user"],
        site=hub["site"],
        source="food_bank",
        received_on=today,
        lines=[ReceptionLine(category=dry, weight_g=100_000)],
    )
    day = delivery_day_open(actor=hub["user"], site=hub["site"], delivers_on=today, policy="equal")
    for org, site, user, grams in [
        (org_a, org_a.sites.get(), admin_a, 40_000),
        (member_b["org"], member_b["site"], member_b["user"], 30_000),
    ]:
        order_save(
            actor=user, delivery_day=day, organisation=org, site=site, requested_g={dry: grams}
        )
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    for delivery in delivery_day_dispatch(actor=hub["user"], delivery_day=day):
        user = admin_a if delivery.organisation == org_a else member_b["user"]
        delivery_confirm(actor=user, delivery=delivery, received_g={})
    counter_distribution_record(
        actor=admin_a,
        site=org_a.sites.get(),
        distributed_on=today,
        baskets=10,
        kg_by_category={dry: 25_000},
    )
    counter_distribution_record(
        actor=member_b["user"],
        site=member_b["site"],
        distributed_on=today,
        baskets=6,
        kg_by_category={dry: 12_000},
    )
    lot = Lot.objects.get(category=dry)
    stock_loss_record(
        actor=member_b["user"], site=member_b["site"], lot=lot, quantity_g=2_000, reason="damaged"
    )
    counter_distribution_record(
        actor=hub["user"],
        site=hub["site"],
        distributed_on=today,
        baskets=3,
        kg_by_category={dry: 5_000},
    )
    return today


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_network_figures_per_member_and_per_month(org_a, hub, member_b, network_world):
    network = org_a.networks.get()
    factor_set = FactorSet.objects.get(network=network, is_default=True)
    report = network_impact(network=network, factor_set=factor_set)
    rows = {m.organisation.name: m for m in report.members}
    assert list(rows) == ["Carrefour", "Comptoir A", "Comptoir C"]  # no supplier
    a, c, the_hub = rows["Comptoir A"], rows["Comptoir C"], rows["Carrefour"]
    assert (a.delivered_g, a.distributed_g, a.baskets, a.loss_g) == (40_000, 25_000, 10, 0)
    assert (c.delivered_g, c.distributed_g, c.baskets, c.loss_g) == (30_000, 12_000, 6, 2_000)
    assert the_hub.is_hub and (the_hub.delivered_g, the_hub.distributed_g) == (0, 5_000)
    assert a.meals == 25 * MEALS_PER_KG and a.co2e_kg == Decimal("22")
    this_month = report.months[-1]
    assert this_month.month == network_world.replace(day=1)
    assert this_month.received_g == 100_000
    assert this_month.delivered_g == 70_000
    assert this_month.distributed_g == 42_000  # never 70 + 42
    assert this_month.baskets == 19 and this_month.loss_g == 2_000
    # Meals and CO2e of the network: on kg handed out, not on kg delivered by the hub.
    assert report.totals.meals == 42 * MEALS_PER_KG
    assert report.totals.co2e_kg == Decimal("36.96")
    assert report.member_totals.distributed_g == 42_000
    assert report.member_totals.delivered_g == 70_000
    # Another named set changes CO2e only.
    recyc = FactorSet.objects.get(network=network, name__startswith="RECYC")
    assert network_impact(network=network, factor_set=recyc).totals.co2e_kg == Decimal("126")


def test_network_member_table_for_one_month(org_a, hub, network_world):
    network = org_a.networks.get()
    this_month = network_world.replace(day=1)
    last_month = _first_of_previous_month(network_world)
    report = network_impact(network=network, month=last_month)
    assert all(m.distributed_g == 0 and m.delivered_g == 0 for m in report.members)
    assert report.totals.distributed_g == 42_000  # the monthly table keeps the whole period
    report = network_impact(network=network, month=this_month)
    assert report.member_totals.distributed_g == 42_000


def test_the_hub_sees_its_network_on_the_page(hub, network_world):
    client = _login(hub["user"])
    response = client.get(URL)
    assert response.status_code == 200
    network = response.context["network"]
    assert network is not None and len(network.members) == 3
    html = response.content.decode().replace("\xa0", " ").replace("\u202f", " ")
    assert "Comptoir A" in html and "Comptoir C" in html and "Moisson test" not in html
    assert "jamais additionnés" in html  # the counting rule, in plain French
    assert "70 kg" in html and "42 kg" in html and "112 kg" not in html
    assert html.count('role="img"') == 3 and 'aria-labelledby="chart-network-title' in html
    assert 'style="' not in html.split("<main", 1)[-1]
    assert "format=xlsx" in html
    assert client.get(URL, {"mois": network_world.strftime("%Y-%m")}).status_code == 200
    assert client.get(URL, {"mois": "1990-01"}).status_code == 404
    assert client.get(URL, {"mois": "mars"}).status_code == 404


def test_the_hub_xlsx_has_a_sheet_per_table(hub, network_world):
    book = _book(_login(hub["user"]).get(URL, {"format": "xlsx"}))
    assert book.sheetnames == ["Par mois", "Par membre", "Réseau par mois"]
    notes, header, body = _table(book["Par membre"])
    assert any("jamais additionnés" in n for n in notes)
    assert any(n.startswith("Facteurs d'impact : ") for n in notes)
    assert header[:3] == ["Membre", "Livré par le carrefour (kg)", "Distribué à ses comptoirs (kg)"]
    by_name = {row["Membre"]: row for row in body}
    assert by_name["Comptoir C"]["Livré par le carrefour (kg)"] == 30.0
    assert by_name["Comptoir C"]["Distribué à ses comptoirs (kg)"] == 12.0
    assert by_name["Comptoir C"]["Pertes (kg)"] == 2.0
    assert by_name["Comptoir A"]["Paniers"] == 10
    assert by_name["Tous les membres"]["Distribué à ses comptoirs (kg)"] == 42.0
    _notes, header, body = _table(book["Réseau par mois"])
    total = body[-1]
    assert total["Mois"] == "Total"
    assert total["Livré par le carrefour aux membres (kg)"] == 70.0
    assert total["Distribué aux comptoirs (kg)"] == 42.0
    assert 112.0 not in total.values()
    assert total["Repas"] == 77  # 42 kg × 1.838


def test_a_member_sees_only_its_own_figures(org_a, hub, member_b, network_world, client_a):
    network = org_a.networks.get()
    response = client_a.get(URL)
    assert response.context["network"] is None
    html = response.content.decode()
    assert "Comptoir C" not in html and "Carrefour" not in html
    assert response.context["report"].totals.distributed_g == 25_000
    assert client_a.get(URL, {"reseau": network.pk}).status_code == 404
    book = _book(client_a.get(URL, {"format": "xlsx"}))
    assert book.sheetnames == ["Par mois"]
    cells = [v for row in book["Par mois"].iter_rows(values_only=True) for v in row]
    assert "Comptoir C" not in cells and 12.0 not in cells and 6 not in cells
    # and the other member sees its own 12 kg, not Comptoir A's 25 kg
    other = _login(member_b["user"]).get(URL)
    assert other.context["network"] is None
    assert other.context["report"].totals.distributed_g == 12_000
    assert "Comptoir A" not in other.content.decode()


def test_another_network_sees_nothing(org_a, org_b, admin_b, client_b, network_world):
    network_a = org_a.networks.get()
    response = client_b.get(URL)
    assert response.context["network"] is None
    assert client_b.get(URL, {"reseau": network_a.pk}).status_code == 404
    # Even a hub of network B sees network B only.
    org_b.kind = Organisation.Kind.HUB
    org_b.save(update_fields=["kind"])
    response = _login(admin_b).get(URL)
    network = response.context["network"]
    assert network.network == org_b.networks.get()
    assert [m.organisation for m in network.members] == [org_b]
    assert network.totals.distributed_g == 0
    assert "Comptoir A" not in response.content.decode()
    assert _login(admin_b).get(URL, {"reseau": network_a.pk}).status_code == 404
    assert "Comptoir A" not in str(
        load_workbook(io.BytesIO(_login(admin_b).get(URL, {"format": "xlsx"}).content)).sheetnames
    )


def test_a_network_admin_of_a_counter_sees_the_network(org_a, admin_a, network_world):
    network = org_a.networks.get()
    NetworkRole.objects.create(user=admin_a, network=network, role=NetworkRole.Kind.NETWORK_ADMIN)
    response = _login(admin_a).get(URL)
    assert response.context["network"].network == network
    assert "Comptoir C" in response.content.decode()


def test_grouped_bars_stand_side_by_side():
    svg = bar_chart(
        chart_id="g",
        title="t",
        desc="d",
        labels=["jan"],
        series=[Series("hub", [70]), Series("comptoirs", [42])],
        unit="kg",
        grouped=True,
    )
    assert svg.count('<rect class="chart-bar') == 2
    assert ">100<" in svg  # the axis goes to the highest bar, not to 70 + 42

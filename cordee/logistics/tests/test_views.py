"""The logistics screens: stock, receptions, lots, food to use soon, count, catalogue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import Organisation
from cordee.core.tests.factories import NetworkMembershipFactory, OrganisationFactory
from cordee.logistics.models import Category, Lot, Reception, StockBalance, StockMovement
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.receptions import ReceptionLine, reception_record
from cordee.logistics.views.stock import days_left_words

TODAY = timezone.localdate


def _english(client):
    """Assertions on wording use the English msgids, so French translations do not break them."""
    client.cookies["cordee_language"] = "en"
    return client


def _lines(rows, total=5):
    data = {
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "40",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{i}-{key}"] = value
    return data


def _reception_post(site, rows, **overrides):
    data = {
        "site": site.pk,
        "source": "food_bank",
        "donor_name": "",
        "received_on": TODAY().isoformat(),
        "notes": "",
        **_lines(rows),
    }
    data.update(overrides)
    return data


@pytest.fixture
def stock_a(admin_a, site_a, catalogue_a):
    """A reception at org A: dry goods and cold dairy whose last day is tomorrow."""
    return reception_record(
        actor=admin_a,
        site=site_a,
        source="food_bank",
        received_on=TODAY(),
        lines=[
            ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=120_500),
            ReceptionLine(
                category=catalogue_a["Produits laitiers"],
                weight_g=40_000,
                temperature_c=Decimal("3.5"),
                best_before=TODAY() + timedelta(days=1),
            ),
        ],
    )


def _lot(reception, name):
    return reception.lots.get(category__name=name)


# --- Every page renders ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["overview", "reception_list", "reception_create", "expiring", "inventory", "catalogue"],
)
def test_each_page_renders_for_a_member(client_a, stock_a, name):
    response = client_a.get(reverse(f"logistics:{name}"))
    assert response.status_code == 200
    assert b'<table class="stack' in response.content or name in {"reception_create"}


def test_object_pages_render(client_a, stock_a):
    dairy = _lot(stock_a, "Produits laitiers")
    for url in (
        reverse("logistics:reception_detail", args=[stock_a.pk]),
        reverse("logistics:lot_detail", args=[dairy.pk]),
    ):
        assert client_a.get(url).status_code == 200


def test_volunteer_reads_the_stock_pages(client, volunteer_a, stock_a):
    client.force_login(volunteer_a)
    for name in ("overview", "reception_list", "expiring", "catalogue"):
        assert client.get(reverse(f"logistics:{name}")).status_code == 200
    lot = _lot(stock_a, "Épicerie sèche")
    page = client.get(reverse("logistics:lot_detail", args=[lot.pk]))
    assert page.status_code == 200
    assert page.context["loss_form"] is None  # losses are for managers


def test_overview_shows_kg_per_category_perishables_first(client_a, stock_a, site_a):
    response = _english(client_a).get(reverse("logistics:overview"))
    html = response.content.decode()
    assert site_a.name in html
    assert "120.5\xa0kg" in html and "40\xa0kg" in html
    rows = response.context["sites"][0]["rows"]
    assert [r["storage"] for r in rows] == ["chilled", "dry"]
    assert rows[0]["lots"][0].lot.category.name == "Produits laitiers"
    assert "1 lot must be handed out within 3 days." in html


def test_stock_nav_link_only_when_the_organisation_has_a_site(client_a, org_a):
    assert reverse("logistics:overview") in client_a.get("/").content.decode()
    org_a.sites.all().delete()
    assert reverse("logistics:overview") not in client_a.get("/").content.decode()


# --- Receptions through the form ------------------------------------------------------


def test_reception_form_defaults(client_a, site_a, catalogue_a):
    form = client_a.get(reverse("logistics:reception_create")).context["form"]
    assert form["received_on"].value() == TODAY()
    assert form["site"].value() == site_a.pk  # the only active site is chosen
    lines = client_a.get(reverse("logistics:reception_create")).context["lines"]
    assert len(lines.forms) == 5


def test_reception_through_the_form_creates_lots_and_balances(
    client_a, site_a, catalogue_a, admin_a
):
    best_before = (TODAY() + timedelta(days=4)).isoformat()
    data = _reception_post(
        site_a,
        [
            {
                "category": catalogue_a["Épicerie sèche"].pk,
                "weight_kg": "120,5",
                "supplier_lot_code": " MOI-4471 ",
            },
            {
                "category": catalogue_a["Produits laitiers"].pk,
                "weight_kg": "40 kg",
                "temperature_c": "3,5",
                "best_before": best_before,
            },
            {
                "category": catalogue_a["Viande"].pk,
                "weight_kg": "12.3",
                "temperature_c": "−18",
            },
        ],
        notes="Camion du mardi",
    )
    response = client_a.post(reverse("logistics:reception_create"), data)
    reception = Reception.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("logistics:reception_detail", args=[reception.pk])
    assert reception.received_by == admin_a and reception.notes == "Camion du mardi"
    lots = {lot.category.name: lot for lot in reception.lots.all()}
    assert lots["Épicerie sèche"].received_g == 120_500
    assert lots["Épicerie sèche"].supplier_lot_code == "MOI-4471"  # traceable in a recall
    assert lots["Produits laitiers"].temperature_c == Decimal("3.5")
    assert lots["Viande"].received_g == 12_300 and lots["Viande"].temperature_c == -18
    balances = dict(StockBalance.objects.values_list("lot__category__name", "quantity_g"))
    assert balances == {"Épicerie sèche": 120_500, "Produits laitiers": 40_000, "Viande": 12_300}
    detail = client_a.get(response["Location"])
    html = detail.content.decode()
    assert "172,8\xa0kg" in html  # the success message (fr-CA number format)
    assert "Produits laitiers" in html and "3,5&nbsp;°C" in html and "-18&nbsp;°C" in html


def test_bad_lines_get_errors_next_to_their_fields_and_nothing_is_written(
    client_a, site_a, catalogue_a
):
    data = _reception_post(
        site_a,
        [
            {"category": catalogue_a["Épicerie sèche"].pk, "weight_kg": "10"},
            {  # warm dairy, no decision
                "category": catalogue_a["Produits laitiers"].pk,
                "weight_kg": "20",
                "temperature_c": "9",
            },
            {"category": catalogue_a["Boulangerie"].pk},  # no weight
            {"weight_kg": "abc", "temperature_c": "chaud"},
        ],
    )
    response = _english(client_a).post(reverse("logistics:reception_create"), data)
    assert response.status_code == 200
    forms = response.context["lines"].forms
    assert not forms[0].errors
    assert set(forms[1].errors) == {"decision"}
    assert "Too warm" in forms[1].errors["decision"][0]
    assert set(forms[2].errors) == {"weight_kg"}
    assert set(forms[3].errors) == {"category", "weight_kg", "temperature_c"}
    assert not forms[4].errors  # an empty line is ignored
    assert not Reception.objects.exists() and not Lot.objects.exists()
    assert not StockMovement.objects.exists()
    html = response.content.decode()
    # The error is written next to its field, and what was typed is kept.
    assert 'id="id_lines-1-decision_error"' in html
    assert 'aria-describedby="id_lines-1-decision_error"' in html
    assert 'value="chaud"' in html and 'value="abc"' in html
    assert '<details class="too-warm" open>' in html  # the decision is shown, not folded


def test_warm_line_with_a_decision_and_reason_is_recorded(client_a, site_a, catalogue_a):
    data = _reception_post(
        site_a,
        [
            {
                "category": catalogue_a["Viande"].pk,
                "weight_kg": "25",
                "temperature_c": "-5",
                "decision": "discarded",
                "decision_reason": "Camion en panne de froid",
            }
        ],
    )
    assert client_a.post(reverse("logistics:reception_create"), data).status_code == 302
    lot = Lot.objects.get()
    assert lot.decision == "discarded"
    assert StockBalance.objects.get(lot=lot).quantity_g == 0  # a cold-chain loss at once


def test_a_reception_needs_one_line_and_a_past_date(client_a, site_a, catalogue_a):
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    response = client_a.post(
        reverse("logistics:reception_create"),
        _reception_post(site_a, [], received_on=tomorrow),
    )
    assert response.status_code == 200
    assert response.context["lines"].non_form_errors()
    assert response.context["form"].errors["received_on"]
    assert not Reception.objects.exists()


def test_more_lines_keeps_the_input_without_judging_it(client_a, site_a, catalogue_a):
    data = _reception_post(
        site_a, [{"category": catalogue_a["Produits laitiers"].pk, "weight_kg": "7"}]
    )
    data["more_lines"] = "1"
    response = client_a.post(reverse("logistics:reception_create"), data)
    assert response.status_code == 200
    lines = response.context["lines"]
    assert len(lines.forms) == 10
    html = response.content.decode()
    assert 'class="error"' not in html and "form-errors" not in html
    assert 'value="7"' in html
    assert not Reception.objects.exists()


def test_suppliers_are_food_banks_and_stores_of_my_networks(client_a, org_a, org_b):
    moisson = OrganisationFactory(name="Moisson Laurentides", kind=Organisation.Kind.FOOD_BANK)
    store = OrganisationFactory(name="Épicerie Métro", kind=Organisation.Kind.STORE)
    counter = OrganisationFactory(name="Autre comptoir")
    elsewhere = OrganisationFactory(name="Moisson ailleurs", kind=Organisation.Kind.FOOD_BANK)
    network_a, network_b = org_a.networks.get(), org_b.networks.get()
    for org in (moisson, store, counter):
        NetworkMembershipFactory(network=network_a, organisation=org)
    NetworkMembershipFactory(network=network_b, organisation=elsewhere)
    form = client_a.get(reverse("logistics:reception_create")).context["form"]
    assert set(form.fields["supplier"].queryset) == {store, moisson}


def test_a_category_of_another_network_is_refused(client_a, site_a, catalogue_a, org_b):
    catalogue_seed_defaults(network=org_b.networks.get())
    foreign = Category.objects.get(network=org_b.networks.get(), name="Épicerie sèche")
    data = _reception_post(site_a, [{"category": foreign.pk, "weight_kg": "5"}])
    response = client_a.post(reverse("logistics:reception_create"), data)
    assert response.context["lines"].forms[0].errors["category"]
    assert not Reception.objects.exists()


def test_reception_list_is_newest_first(client_a, admin_a, site_a, catalogue_a):
    for days in (3, 1, 2):
        reception_record(
            actor=admin_a,
            site=site_a,
            source="donation",
            received_on=TODAY() - timedelta(days=days),
            lines=[ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=1000)],
        )
    page = client_a.get(reverse("logistics:reception_list")).context["page"]
    assert [r.received_on for r in page] == [TODAY() - timedelta(days=d) for d in (1, 2, 3)]
    assert page[0].line_count == 1 and page[0].total_g == 1000


# --- Lot page and losses --------------------------------------------------------------


def test_lot_page_shows_last_day_balances_and_movements(client_a, stock_a, site_a):
    dairy = _lot(stock_a, "Produits laitiers")
    response = _english(client_a).get(reverse("logistics:lot_detail", args=[dairy.pk]))
    html = response.content.decode()
    assert response.context["reception"] == stock_a
    assert [b.site for b in response.context["balances"]] == [site_a]
    assert [m.kind for m in response.context["movements"]] == ["reception"]
    assert "Not after the best-before date." in html
    assert reverse("logistics:reception_detail", args=[stock_a.pk]) in html


def test_manager_records_a_loss(client_a, stock_a, site_a):
    dairy = _lot(stock_a, "Produits laitiers")
    url = reverse("logistics:lot_loss", args=[dairy.pk])
    response = _english(client_a).post(
        url, {"site": site_a.pk, "weight_kg": "2,5", "reason": "spoiled", "note": "Moisi"}
    )
    assert response.status_code == 302
    assert StockBalance.objects.get(lot=dairy).quantity_g == 37_500
    loss = StockMovement.objects.get(kind="loss")
    assert (loss.quantity_g, loss.loss_reason, loss.note) == (-2_500, "spoiled", "Moisi")
    page = client_a.get(response["Location"])
    assert "The loss of 2.5\xa0kg at" in page.content.decode()


def test_losing_more_than_is_left_says_how_much_is_left(client_a, stock_a, site_a):
    dairy = _lot(stock_a, "Produits laitiers")
    response = _english(client_a).post(
        reverse("logistics:lot_loss", args=[dairy.pk]),
        {"site": site_a.pk, "weight_kg": "41", "reason": "spoiled"},
    )
    assert response.status_code == 200
    error = response.context["loss_form"].errors["weight_kg"][0]
    assert "Only 40\xa0kg of this lot are left at" in error
    assert not StockMovement.objects.filter(kind="loss").exists()
    response = client_a.post(
        reverse("logistics:lot_loss", args=[dairy.pk]),
        {"site": site_a.pk, "weight_kg": "", "reason": ""},
    )
    assert set(response.context["loss_form"].errors) == {"weight_kg", "reason"}


def test_volunteer_records_a_reception_but_not_a_loss(client, volunteer_a, stock_a, site_a):
    client.force_login(volunteer_a)
    catalogue = {c.name: c for c in Category.objects.all()}
    data = _reception_post(site_a, [{"category": catalogue["Boulangerie"].pk, "weight_kg": "8"}])
    assert client.post(reverse("logistics:reception_create"), data).status_code == 302
    assert Reception.objects.count() == 2
    dairy = _lot(stock_a, "Produits laitiers")
    response = client.post(
        reverse("logistics:lot_loss", args=[dairy.pk]),
        {"site": site_a.pk, "weight_kg": "1", "reason": "spoiled"},
    )
    assert response.status_code == 403
    assert client.get(reverse("logistics:inventory")).status_code == 403
    assert not StockMovement.objects.filter(kind="loss").exists()


# --- Food to use soon -----------------------------------------------------------------


def test_days_left_in_words():
    from django.utils import translation

    with translation.override("en"):
        assert [days_left_words(d) for d in (-2, 0, 1, 2)] == [
            "date passed",
            "today",
            "tomorrow",
            "in 2 days",
        ]


def test_expiring_page_most_urgent_first(client_a, admin_a, site_a, catalogue_a):
    dairy = catalogue_a["Produits laitiers"]
    reception_record(
        actor=admin_a,
        site=site_a,
        source="recovery",
        received_on=TODAY(),
        lines=[
            ReceptionLine(
                category=dairy,
                weight_g=1000 * (i + 1),
                temperature_c=Decimal(3),
                best_before=TODAY() + timedelta(days=d),
            )
            for i, d in enumerate((2, -1, 0, 10))
        ],
    )
    response = _english(client_a).get(reverse("logistics:expiring"))
    rows = response.context["groups"][0]["rows"]
    assert [r.when for r in rows] == ["date passed", "today", "in 2 days"]
    assert rows[0].late and "record it as a loss" in rows[0].item.suggestion
    html = response.content.decode()
    assert html.index("Date passed") < html.index("Today") < html.index("In 2 days")


# --- Stock count ----------------------------------------------------------------------


def test_inventory_records_the_variance(client_a, stock_a, site_a):
    dry, dairy = _lot(stock_a, "Épicerie sèche"), _lot(stock_a, "Produits laitiers")
    url = reverse("logistics:inventory")
    page = client_a.get(url)  # one site: chosen for me
    assert page.context["site"] == site_a
    assert {b.lot for b, _field in page.context["rows"]} == {dry, dairy}
    response = _english(client_a).post(
        url, {"site": site_a.pk, f"lot_{dry.pk}": "118", f"lot_{dairy.pk}": "40"}
    )
    assert response.status_code == 200
    results = {r["lot"]: r for r in response.context["results"]}
    assert results[dry]["before_g"] == 120_500 and results[dry]["variance_g"] == -2_500
    assert results[dairy]["variance_g"] == 0
    assert StockBalance.objects.get(lot=dry).quantity_g == 118_000
    assert StockMovement.objects.filter(kind="adjustment").count() == 1
    assert "-2.5\xa0kg" in response.content.decode()


def test_inventory_needs_one_counted_weight_and_a_real_number(client_a, stock_a, site_a):
    dry = _lot(stock_a, "Épicerie sèche")
    url = reverse("logistics:inventory")
    response = client_a.post(url, {"site": site_a.pk})
    assert response.context["form"].non_field_errors()
    response = client_a.post(url, {"site": site_a.pk, f"lot_{dry.pk}": "-3"})
    assert response.context["form"].errors[f"lot_{dry.pk}"]
    assert not StockMovement.objects.filter(kind="adjustment").exists()


# --- Catalogue ------------------------------------------------------------------------


def test_catalogue_lists_categories_rules_and_factor_sources(client_a, catalogue_a):
    response = _english(client_a).get(reverse("logistics:catalogue"))
    html = response.content.decode()
    assert "Préparations pour nourrissons" in html
    assert "Never hand out after the expiry date." in html
    assert "Up to 2 days after the best-before date." in html  # bakery
    assert "Banques alimentaires du Québec" in html  # the factor set's source
    assert "administration site" in html  # org admins are told where it is edited


# --- Tenancy --------------------------------------------------------------------------


def test_another_organisation_gets_404_on_my_reception_and_lot(client_b, stock_a, site_a):
    dairy = _lot(stock_a, "Produits laitiers")
    assert client_b.get(reverse("logistics:reception_detail", args=[stock_a.pk])).status_code == 404
    assert client_b.get(reverse("logistics:lot_detail", args=[dairy.pk])).status_code == 404
    response = client_b.post(
        reverse("logistics:lot_loss", args=[dairy.pk]),
        {"site": site_a.pk, "weight_kg": "1", "reason": "spoiled"},
    )
    assert response.status_code == 404
    assert StockBalance.objects.get(lot=dairy).quantity_g == 40_000


def test_another_organisation_sees_none_of_my_stock(client_b, stock_a, site_a, org_b):
    secret = [site_a.name, "Produits laitiers", "Épicerie sèche"]
    for name in ("overview", "reception_list", "expiring", "inventory", "catalogue"):
        html = client_b.get(reverse(f"logistics:{name}")).content.decode()
        for text in secret:
            assert text not in html, (name, text)
    # Asking to count org A's site shows nothing of it, and posting a count there is a 404.
    html = client_b.get(reverse("logistics:inventory"), {"site": site_a.pk}).content.decode()
    assert site_a.name not in html
    dry = _lot(stock_a, "Épicerie sèche")
    response = client_b.post(
        reverse("logistics:inventory"), {"site": site_a.pk, f"lot_{dry.pk}": "0"}
    )
    assert response.status_code == 404
    assert StockBalance.objects.get(lot=dry).quantity_g == 120_500


def test_another_organisation_cannot_receive_into_my_site(client_b, site_a, catalogue_a):
    data = _reception_post(
        site_a, [{"category": catalogue_a["Épicerie sèche"].pk, "weight_kg": "5"}]
    )
    response = client_b.post(reverse("logistics:reception_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["site"]
    assert response.context["lines"].forms[0].errors["category"]
    assert not Reception.objects.exists()


def test_home_tells_stock_handlers_about_food_to_use_soon(client, volunteer_a, stock_a):
    client.force_login(volunteer_a)
    steps = client.get("/").context["steps"]
    step = next(s for s in steps if s.url == reverse("logistics:expiring"))
    assert "1" in step.text and not step.urgent

"""The logistics API: catalogue, stock, lots, receptions — tenancy on every endpoint."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.api.logistics import _service_errors
from cordee.core.models import AuditEvent, Role
from cordee.core.services.tokens import api_token_create
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import Category, Lot, Reception, StockBalance, StockMovement
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.receptions import ReceptionLine, reception_record
from cordee.logistics.services.stock import movement_apply, stock_loss_record, stock_transfer

API = "/api/v1"
TODAY = timezone.localdate


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}


def french(message: str, **params) -> str:
    """A service message as the API sends it (French is the default language)."""
    with translation.override("fr-ca"):
        text = _(message)
    return text % params if params else text


@pytest.fixture
def auth_a(admin_a):
    return bearer(admin_a)


@pytest.fixture
def auth_b(admin_b):
    return bearer(admin_b)


@pytest.fixture
def cat_a(org_a):
    network = org_a.networks.get()
    catalogue_seed_defaults(network=network)
    return {c.name: c for c in Category.objects.filter(network=network)}


@pytest.fixture
def cat_b(org_b):
    network = org_b.networks.get()
    catalogue_seed_defaults(network=network)
    return {c.name: c for c in Category.objects.filter(network=network)}


@pytest.fixture
def site_a(org_a):
    return org_a.sites.get()


@pytest.fixture
def site_b(org_b):
    return org_b.sites.get()


def receive(actor, site, *lines, source="food_bank", days_ago=0, **kwargs):
    return reception_record(
        actor=actor,
        site=site,
        source=source,
        received_on=TODAY() - timedelta(days=days_ago),
        lines=list(lines),
        **kwargs,
    )


@pytest.fixture
def stocked(admin_a, admin_b, site_a, site_b, cat_a, cat_b):
    """Org A: dry goods and dairy at its counter, meat at its warehouse. Org B: dry goods."""
    warehouse = SiteFactory(organisation=site_a.organisation, name="Entrepôt A")
    first = receive(
        admin_a,
        site_a,
        ReceptionLine(category=cat_a["Épicerie sèche"], weight_g=120_500),
        ReceptionLine(
            category=cat_a["Produits laitiers"],
            weight_g=40_000,
            temperature_c=Decimal("3.5"),
            best_before=TODAY() + timedelta(days=2),
        ),
        days_ago=1,
        donor_name="Ferme Lachute",
        source="donation",
    )
    second = receive(
        admin_a,
        warehouse,
        ReceptionLine(category=cat_a["Viande"], weight_g=25_000, temperature_c=Decimal(-20)),
    )
    other = receive(
        admin_b, site_b, ReceptionLine(category=cat_b["Épicerie sèche"], weight_g=77_700)
    )
    return {
        "first": first,
        "second": second,
        "other": other,
        "warehouse": warehouse,
        "dry": first.lots.get(category__name="Épicerie sèche"),
        "dairy": first.lots.get(category__name="Produits laitiers"),
        "meat": second.lots.get(),
        "lot_b": other.lots.get(),
    }


def good_body(site, cat, **overrides) -> dict:
    body = {
        "site_id": site.pk,
        "source": "food_bank",
        "received_on": TODAY().isoformat(),
        "lines": [
            {"category_id": cat["Épicerie sèche"].pk, "weight_g": 250_000},
            {
                "category_id": cat["Produits laitiers"].pk,
                "weight_g": 30_000,
                "temperature_c": "3.5",
                "best_before": (TODAY() + timedelta(days=4)).isoformat(),
            },
        ],
    }
    body.update(overrides)
    return body


def written() -> tuple[int, ...]:
    return (
        Reception.objects.count(),
        Lot.objects.count(),
        StockMovement.objects.count(),
        StockBalance.objects.count(),
        AuditEvent.objects.count(),
    )


# --- Catalogue -----------------------------------------------------------------------------


def test_categories_are_the_catalogue_of_my_networks(client, org_a, auth_a, cat_a, cat_b):
    response = client.get(f"{API}/organisations/{org_a.pk}/categories", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9
    assert {c["id"] for c in body["items"]} == {c.pk for c in cat_a.values()}
    dairy = next(c for c in body["items"] if c["name"] == "Produits laitiers")
    assert dairy == {
        "id": cat_a["Produits laitiers"].pk,
        "network_id": org_a.networks.get().pk,
        "name": "Produits laitiers",
        "storage_class": "chilled",
        "days_after_best_before": 0,
        "uses_expiry_date": False,
        "is_food": True,
    }
    formula = next(c for c in body["items"] if c["name"].startswith("Préparations"))
    assert formula["uses_expiry_date"] is True and formula["days_after_best_before"] is None


def test_categories_of_an_organisation_in_two_networks(client, org_a, org_b, auth_a, cat_a, cat_b):
    NetworkMembershipFactory(network=org_b.networks.get(), organisation=org_a)
    body = client.get(f"{API}/organisations/{org_a.pk}/categories", headers=auth_a).json()
    assert body["count"] == 18  # no duplicates from the join


# --- Stock ---------------------------------------------------------------------------------


def test_stock_lists_balances_with_lot_category_and_last_day(
    client, org_a, site_a, auth_a, stocked
):
    response = client.get(f"{API}/organisations/{org_a.pk}/stock", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_lot = {item["lot_id"]: item for item in body["items"]}
    assert set(by_lot) == {stocked["dry"].pk, stocked["dairy"].pk, stocked["meat"].pk}
    assert by_lot[stocked["dairy"].pk] == {
        "site": {"id": site_a.pk, "name": "Local du comptoir A"},
        "lot_id": stocked["dairy"].pk,
        "category": {"id": stocked["dairy"].category_id, "name": "Produits laitiers"},
        "storage_class": "chilled",
        "quantity_g": 40_000,
        "best_before": (TODAY() + timedelta(days=2)).isoformat(),
        "use_by": (TODAY() + timedelta(days=2)).isoformat(),
        "available": True,
    }
    assert by_lot[stocked["dry"].pk]["use_by"] is None  # dry goods: no limit
    assert by_lot[stocked["meat"].pk]["site"]["name"] == "Entrepôt A"
    assert "77700" not in response.content.decode()  # org B's stock


def test_stock_filters_by_site_and_category(client, org_a, auth_a, stocked):
    url = f"{API}/organisations/{org_a.pk}/stock"
    body = client.get(f"{url}?site={stocked['warehouse'].pk}", headers=auth_a).json()
    assert [i["lot_id"] for i in body["items"]] == [stocked["meat"].pk]
    body = client.get(f"{url}?category={stocked['dairy'].category_id}", headers=auth_a).json()
    assert [i["lot_id"] for i in body["items"]] == [stocked["dairy"].pk]
    # Another network's category: nothing, not an error.
    body = client.get(f"{url}?category={stocked['lot_b'].category_id}", headers=auth_a).json()
    assert body == {"items": [], "count": 0}


def test_stock_leaves_out_empty_balances(client, org_a, admin_a, site_a, auth_a, stocked):
    stock_loss_record(
        actor=admin_a, site=site_a, lot=stocked["dry"], quantity_g=120_500, reason="spoiled"
    )
    body = client.get(f"{API}/organisations/{org_a.pk}/stock", headers=auth_a).json()
    assert body["count"] == 2
    assert stocked["dry"].pk not in {i["lot_id"] for i in body["items"]}


def test_stock_filtered_on_another_organisations_site_is_404(client, org_a, site_b, auth_a):
    response = client.get(f"{API}/organisations/{org_a.pk}/stock?site={site_b.pk}", headers=auth_a)
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


# --- Lots ----------------------------------------------------------------------------------


def test_lot_detail_with_its_ledger(client, org_a, admin_a, site_a, auth_a, stocked):
    dry = stocked["dry"]
    stock_loss_record(actor=admin_a, site=site_a, lot=dry, quantity_g=500, reason="damaged")
    stock_transfer(
        actor=admin_a, from_site=site_a, to_site=stocked["warehouse"], lot=dry, quantity_g=20_000
    )
    response = client.get(f"{API}/organisations/{org_a.pk}/lots/{dry.pk}", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == dry.pk
    assert body["reception_id"] == stocked["first"].pk
    assert body["category"]["name"] == "Épicerie sèche"
    assert body["received_g"] == 120_500
    assert body["quantity_g"] == 120_000
    assert body["available"] is True and body["blocked_at"] is None
    assert body["balances"] == [
        {"site": {"id": stocked["warehouse"].pk, "name": "Entrepôt A"}, "quantity_g": 20_000},
        {"site": {"id": site_a.pk, "name": "Local du comptoir A"}, "quantity_g": 100_000},
    ]
    movements = body["movements"]
    assert sorted((m["kind"], m["quantity_g"]) for m in movements) == [
        ("loss", -500),
        ("reception", 120_500),
        ("transfer_in", 20_000),
        ("transfer_out", -20_000),
    ]
    assert sum(m["quantity_g"] for m in movements) == body["quantity_g"]
    loss = next(m for m in movements if m["kind"] == "loss")
    assert loss["loss_reason"] == "damaged" and loss["site"]["id"] == site_a.pk


def test_lot_reports_temperature_and_decision(client, org_a, admin_a, site_a, auth_a, cat_a):
    reception = receive(
        admin_a,
        site_a,
        ReceptionLine(
            category=cat_a["Viande"],
            weight_g=8_000,
            temperature_c=Decimal("-12.5"),
            decision="quarantined",
            decision_reason="Camion en retard",
        ),
    )
    lot = reception.lots.get()
    body = client.get(f"{API}/organisations/{org_a.pk}/lots/{lot.pk}", headers=auth_a).json()
    assert body["temperature_c"] == -12.5
    assert body["decision"] == "quarantined"
    assert body["decision_reason"] == "Camion en retard"
    assert body["available"] is False


def test_a_member_holding_part_of_a_lot_sees_only_its_own_ledger(
    client, org_a, org_b, admin_a, site_a, site_b, auth_b, stocked
):
    """A lot delivered to another organisation: that one sees its own lines, never the
    owner's reception, losses or other sites."""
    dry = stocked["dry"]
    movement_apply(actor=admin_a, site=site_a, lot=dry, kind="delivery_out", quantity_g=-10_000)
    movement_apply(actor=None, site=site_b, lot=dry, kind="delivery_in", quantity_g=10_000)
    response = client.get(f"{API}/organisations/{org_b.pk}/lots/{dry.pk}", headers=auth_b)
    assert response.status_code == 200
    body = response.json()
    assert body["reception_id"] is None
    assert body["quantity_g"] == 10_000
    assert body["balances"] == [
        {"site": {"id": site_b.pk, "name": "Local du comptoir B"}, "quantity_g": 10_000}
    ]
    assert [(m["kind"], m["quantity_g"]) for m in body["movements"]] == [("delivery_in", 10_000)]
    assert "Local du comptoir A" not in response.content.decode()
    # B's stock lists it; A's other lots stay invisible to B.
    stock = client.get(f"{API}/organisations/{org_b.pk}/stock", headers=auth_b).json()
    assert {i["lot_id"] for i in stock["items"]} == {stocked["lot_b"].pk, dry.pk}
    meat = stocked["meat"].pk
    assert (
        client.get(f"{API}/organisations/{org_b.pk}/lots/{meat}", headers=auth_b).status_code == 404
    )


# --- Receptions ----------------------------------------------------------------------------


def test_receptions_list_newest_first_with_totals(client, org_a, site_a, auth_a, stocked):
    response = client.get(f"{API}/organisations/{org_a.pk}/receptions", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["id"] for r in body["items"]] == [stocked["second"].pk, stocked["first"].pk]
    first = body["items"][1]
    assert first["site"] == {"id": site_a.pk, "name": "Local du comptoir A"}
    assert first["source"] == "donation"
    assert first["donor_name"] == "Ferme Lachute"
    assert first["supplier"] is None
    assert first["received_on"] == (TODAY() - timedelta(days=1)).isoformat()
    assert first["line_count"] == 2
    assert first["total_g"] == 160_500
    assert "77700" not in response.content.decode()


def test_reception_detail_with_its_lots(client, org_a, auth_a, stocked):
    first = stocked["first"]
    response = client.get(f"{API}/organisations/{org_a.pk}/receptions/{first.pk}", headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == first.pk and body["total_g"] == 160_500
    assert [(lot["id"], lot["received_g"]) for lot in body["lots"]] == [
        (stocked["dry"].pk, 120_500),
        (stocked["dairy"].pk, 40_000),
    ]
    assert body["lots"][1]["temperature_c"] == 3.5
    assert body["lots"][1]["storage_class"] == "chilled"


def test_another_organisations_objects_are_404(client, org_a, org_b, auth_a, stocked):
    lot_b, reception_b = stocked["lot_b"].pk, stocked["other"].pk
    for url in [
        f"/organisations/{org_b.pk}/categories",
        f"/organisations/{org_b.pk}/stock",
        f"/organisations/{org_b.pk}/lots/{lot_b}",
        f"/organisations/{org_b.pk}/receptions",
        f"/organisations/{org_b.pk}/receptions/{reception_b}",
        # B's objects under my own organisation
        f"/organisations/{org_a.pk}/lots/{lot_b}",
        f"/organisations/{org_a.pk}/receptions/{reception_b}",
        f"/organisations/{org_a.pk}/lots/999999",
        f"/organisations/{org_a.pk}/receptions/999999",
        "/organisations/999999/stock",
    ]:
        response = client.get(API + url, headers=auth_a)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Introuvable."}


def test_lists_and_counts_do_not_leak(client, org_b, auth_b, stocked):
    """B sees exactly its own: one reception, one lot, 77.7 kg."""
    stock = client.get(f"{API}/organisations/{org_b.pk}/stock", headers=auth_b).json()
    assert stock["count"] == 1
    assert stock["items"][0]["lot_id"] == stocked["lot_b"].pk
    receptions = client.get(f"{API}/organisations/{org_b.pk}/receptions", headers=auth_b)
    assert receptions.json()["count"] == 1
    assert receptions.json()["items"][0]["total_g"] == 77_700
    for text in ["Ferme Lachute", "Local du comptoir A", "Entrepôt A", "120500", "40000"]:
        assert text not in receptions.content.decode()
        assert (
            text
            not in client.get(
                f"{API}/organisations/{org_b.pk}/stock", headers=auth_b
            ).content.decode()
        )


def test_a_user_without_organisation_sees_nothing(client, org_a, stocked):
    headers = bearer(UserFactory())
    for url in [f"/organisations/{org_a.pk}/stock", f"/organisations/{org_a.pk}/receptions"]:
        assert client.get(API + url, headers=headers).status_code == 404


def test_lists_are_paginated(client, org_a, admin_a, site_a, auth_a, cat_a):
    for _i in range(3):
        receive(admin_a, site_a, ReceptionLine(category=cat_a["Boulangerie"], weight_g=1_000))
    body = client.get(
        f"{API}/organisations/{org_a.pk}/receptions?limit=2&offset=2", headers=auth_a
    ).json()
    assert body["count"] == 3 and len(body["items"]) == 1
    body = client.get(f"{API}/organisations/{org_a.pk}/stock?limit=5000", headers=auth_a).json()
    assert body["count"] == 3


# --- Recording a reception -----------------------------------------------------------------


def test_post_records_a_reception_its_lots_and_movements(
    client, org_a, admin_a, site_a, auth_a, cat_a
):
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        good_body(site_a, cat_a, notes="  Livraison du mardi  "),
        content_type="application/json",
        headers=auth_a,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    reception = Reception.objects.get()
    assert body["id"] == reception.pk
    assert body["line_count"] == 2 and body["total_g"] == 280_000
    assert body["notes"] == "Livraison du mardi"
    assert reception.received_by == admin_a and reception.organisation == org_a
    dairy = Lot.objects.get(category=cat_a["Produits laitiers"])
    assert dairy.temperature_c == Decimal("3.5")
    assert dairy.storage_class == "chilled"
    assert [lot["id"] for lot in body["lots"]] == list(
        reception.lots.order_by("pk").values_list("pk", flat=True)
    )
    assert sorted(StockMovement.objects.values_list("kind", "quantity_g")) == [
        ("reception", 30_000),
        ("reception", 250_000),
    ]
    assert StockBalance.objects.get(lot=dairy, site=site_a).quantity_g == 30_000
    assert AuditEvent.objects.filter(action="reception.create", actor=admin_a).count() == 1
    # And it shows at once in the stock.
    stock = client.get(f"{API}/organisations/{org_a.pk}/stock", headers=auth_a).json()
    assert sum(i["quantity_g"] for i in stock["items"]) == 280_000


def test_post_by_a_volunteer_with_a_supplier_and_a_discarded_warm_line(
    client, org_a, volunteer_a, site_a, cat_a
):
    moisson = OrganisationFactory(name="Moisson Laurentides", kind="food_bank")
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=moisson)
    body = good_body(
        site_a,
        cat_a,
        supplier_id=moisson.pk,
        lines=[
            {
                "category_id": cat_a["Viande"].pk,
                "weight_g": 12_000,
                "temperature_c": "-4.04",
                "decision": "discarded",
                "decision_reason": "Arrivée dégelée",
                "supplier_lot_code": "ML-2211",
            }
        ],
    )
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        body,
        content_type="application/json",
        headers=bearer(volunteer_a),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["supplier"] == {"id": moisson.pk, "name": "Moisson Laurentides"}
    [lot] = data["lots"]
    assert lot["temperature_c"] == -4.0  # to the tenth, like the screen
    assert lot["decision"] == "discarded" and lot["supplier_lot_code"] == "ML-2211"
    assert StockBalance.objects.get(lot_id=lot["id"]).quantity_g == 0
    assert StockMovement.objects.get(kind="loss").loss_reason == "cold_chain"


def test_post_with_bad_lines_says_what_is_wrong_line_by_line_and_writes_nothing(
    client, org_a, site_a, auth_a, cat_a, stocked
):
    before = written()
    body = good_body(site_a, cat_a)
    body["lines"] += [
        {"category_id": cat_a["Produits laitiers"].pk, "weight_g": 2_000},  # no temperature
        {
            "category_id": cat_a["Viande"].pk,
            "weight_g": 5_000,
            "temperature_c": "-5",
        },  # too warm, no decision
        {"category_id": cat_a["Préparations pour nourrissons"].pk, "weight_g": 0},
    ]
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        body,
        content_type="application/json",
        headers=auth_a,
    )
    assert response.status_code == 422
    data = response.json()
    assert (
        data["detail"] == "La réception n'a pas été enregistrée : corrigez les erreurs indiquées."
    )
    assert data["errors"] == {
        "lines[2].temperature_c": [french("Cold food: take its temperature and write it here.")],
        "lines[3].decision": [
            french(
                "Too warm (more than %(max)s °C). Decide: accept, set aside or discard.", max=-18
            )
        ],
        "lines[4].weight_g": [french("Give a weight greater than zero.")],
        "lines[4].expiry_date": [french("This food has an expiry date: please give it.")],
    }
    assert "température" in data["errors"]["lines[2].temperature_c"][0]  # in French
    assert written() == before


def test_post_refuses_another_organisations_site_category_or_supplier(
    client, org_a, org_b, site_a, site_b, auth_a, cat_a, cat_b
):
    before = written()
    body = good_body(
        site_b,
        cat_a,
        supplier_id=org_b.pk,
        received_on=(TODAY() + timedelta(days=1)).isoformat(),
    )
    body["lines"].append({"category_id": cat_b["Épicerie sèche"].pk, "weight_g": 1_000})
    body["lines"].append(
        {"category_id": cat_a["Épicerie sèche"].pk, "weight_g": 1_000, "item_id": 424242}
    )
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        body,
        content_type="application/json",
        headers=auth_a,
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == {
        "site_id": [french("Choose one of your sites.")],
        "supplier_id": ["Choisissez une banque alimentaire ou un magasin de votre réseau."],
        "received_on": [french("The date cannot be in the future.")],
        "lines[2].category_id": [french("This category is not in your network's catalogue.")],
        "lines[3].item_id": ["Cette denrée ne fait pas partie de cette catégorie."],
    }
    assert written() == before


def test_post_checks_numbers_and_dates(client, org_a, site_a, auth_a, cat_a):
    body = good_body(
        site_a,
        cat_a,
        lines=[
            {
                "category_id": cat_a["Produits laitiers"].pk,
                "weight_g": 10**10,
                "unit_count": -1,
                "temperature_c": "250",
                "best_before": "2206-01-01",
            }
        ],
    )
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        body,
        content_type="application/json",
        headers=auth_a,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "lines[0].weight_g": ["Ce poids est trop grand : vérifiez-le (en grammes)."],
        "lines[0].unit_count": ["Le nombre d'unités ne peut pas être négatif."],
        "lines[0].best_before": [french("Check the year of this date.")],
        "lines[0].temperature_c": ["Vérifiez la température : entre -40 et 99 °C."],
    }
    assert not Reception.objects.exists()


def test_post_without_lines(client, org_a, site_a, auth_a, cat_a):
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        good_body(site_a, cat_a, lines=[]),
        content_type="application/json",
        headers=auth_a,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"lines": [french("Add at least one line.")]}


def test_post_with_too_many_lines(client, org_a, site_a, auth_a, cat_a):
    line = {"category_id": cat_a["Épicerie sèche"].pk, "weight_g": 1_000}
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        good_body(site_a, cat_a, lines=[line] * 41),
        content_type="application/json",
        headers=auth_a,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "lines": ["Au plus 40 lignes par réception : faites-en deux."]
    }


def test_post_needs_a_role_that_handles_food(client, org_a, site_a, cat_a):
    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=org_a, role=Role.VIEWER)
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        good_body(site_a, cat_a),
        content_type="application/json",
        headers=bearer(viewer),
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Votre rôle dans cet organisme ne permet pas cette action."
    }
    assert not Reception.objects.exists()
    # A viewer still reads.
    assert (
        client.get(f"{API}/organisations/{org_a.pk}/stock", headers=bearer(viewer)).status_code
        == 200
    )


def test_post_to_another_organisation_is_404(client, org_a, site_a, cat_a, auth_b):
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        good_body(site_a, cat_a),
        content_type="application/json",
        headers=auth_b,
    )
    assert response.status_code == 404
    assert not Reception.objects.exists()


def test_post_needs_a_token(client, org_a, site_a, cat_a):
    response = client.post(
        f"{API}/organisations/{org_a.pk}/receptions",
        good_body(site_a, cat_a),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not Reception.objects.exists()


def test_service_refusals_are_keyed_like_the_api_fields():
    assert _service_errors(ValidationError({"line-3": ["Trop chaud."], "source": ["Non."]})) == {
        "lines[3]": ["Trop chaud."],
        "source": ["Non."],
    }
    assert _service_errors(ValidationError("Ajoutez au moins une ligne.")) == {
        "__all__": ["Ajoutez au moins une ligne."]
    }


def test_openapi_lists_the_logistics_paths(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/organisations/{org_id}/categories",
        "/api/v1/organisations/{org_id}/stock",
        "/api/v1/organisations/{org_id}/lots/{lot_id}",
        "/api/v1/organisations/{org_id}/receptions",
        "/api/v1/organisations/{org_id}/receptions/{reception_id}",
    ]:
        assert path in paths, path
    receptions = paths["/api/v1/organisations/{org_id}/receptions"]
    assert set(receptions) == {"get", "post"}
    assert {"201", "422"} <= set(receptions["post"]["responses"])
    assert {
        p["name"] for p in paths["/api/v1/organisations/{org_id}/stock"]["get"]["parameters"]
    } >= {
        "site",
        "category",
        "limit",
        "offset",
    }

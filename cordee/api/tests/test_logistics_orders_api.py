"""The logistics API, second part: delivery days, orders, share-out, deliveries, recalls.

World: in network A, a hub (« Carrefour ») with a warehouse, and two members (« Comptoir A »
and « Comptoir C »); in network B, « Comptoir B », a stranger to all of it.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core.models import AuditEvent, Organisation, Role
from cordee.core.services.tokens import api_token_create
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import (
    AllocationOutcome,
    Category,
    Delivery,
    DeliveryDay,
    DeliveryLine,
    Lot,
    Order,
    OrderLine,
    StockBalance,
    StockMovement,
)
from cordee.logistics.services.catalogue import catalogue_seed_defaults
from cordee.logistics.services.deliveries import delivery_confirm, delivery_day_dispatch
from cordee.logistics.services.orders import delivery_day_allocate, delivery_day_open, order_save
from cordee.logistics.services.receptions import ReceptionLine, reception_record

API = "/api/v1"
TODAY = timezone.localdate
JSON = "application/json"


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}


def french(message: str, **params) -> str:
    """A service message as the API sends it (French is the default language)."""
    with translation.override("fr-ca"):
        text = _(message)
    return text % params if params else text


def user_with(org, role):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=role)
    return user


# --- The world -----------------------------------------------------------------------------


@pytest.fixture
def catalogue_a(org_a):
    network = org_a.networks.get()
    catalogue_seed_defaults(network=network)
    return {c.name: c for c in Category.objects.filter(network=network)}


@pytest.fixture
def catalogue_b(org_b):
    network = org_b.networks.get()
    catalogue_seed_defaults(network=network)
    return {c.name: c for c in Category.objects.filter(network=network)}


@pytest.fixture
def hub(org_a):
    hub = OrganisationFactory(
        name="Carrefour", kind=Organisation.Kind.HUB, contact_phone="819 555-0100"
    )
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=hub)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=hub, role=Role.COORDINATOR)
    site = SiteFactory(organisation=hub, name="Entrepôt", kind="warehouse")
    return {"org": hub, "site": site, "user": coordinator, "auth": bearer(coordinator)}


@pytest.fixture
def member_b(org_a):
    org = OrganisationFactory(name="Comptoir C")
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=org)
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=Role.COORDINATOR)
    site = SiteFactory(organisation=org, name="Local du comptoir C")
    return {"org": org, "site": site, "user": user, "auth": bearer(user)}


@pytest.fixture
def auth_a(admin_a):
    return bearer(admin_a)


@pytest.fixture
def auth_b(admin_b):
    return bearer(admin_b)


@pytest.fixture
def stocked(hub, catalogue_a):
    """At the hub's warehouse: 50 kg of dry goods, 30 kg of dairy (good 6 days), 20 kg of
    frozen meat."""
    return reception_record(
        actor=hub["user"],
        site=hub["site"],
        source="food_bank",
        received_on=TODAY() - timedelta(days=2),
        lines=[
            ReceptionLine(
                category=catalogue_a["Épicerie sèche"],
                weight_g=50_000,
                supplier_lot_code="MOI-DRY-77",
            ),
            ReceptionLine(
                category=catalogue_a["Produits laitiers"],
                weight_g=30_000,
                temperature_c=Decimal(3),
                best_before=TODAY() + timedelta(days=6),
                supplier_lot_code="LAIT-2026-11",
            ),
            ReceptionLine(
                category=catalogue_a["Viande"], weight_g=20_000, temperature_c=Decimal(-20)
            ),
        ],
    )


@pytest.fixture
def lots(stocked):
    return {lot.category.name: lot for lot in stocked.lots.select_related("category")}


@pytest.fixture
def day(hub, stocked):
    return delivery_day_open(
        actor=hub["user"],
        site=hub["site"],
        delivers_on=TODAY() + timedelta(days=1),
        policy=DeliveryDay.Policy.EQUAL,
    )


@pytest.fixture
def ordered(day, org_a, admin_a, member_b, catalogue_a):
    """A asks 40 kg dry and 10 kg dairy; C asks 30 kg dry: 70 kg of dry for 50 available."""
    dry, dairy = catalogue_a["Épicerie sèche"], catalogue_a["Produits laitiers"]
    order_save(
        actor=admin_a,
        delivery_day=day,
        organisation=org_a,
        site=org_a.sites.get(),
        requested_g={dry: 40_000, dairy: 10_000},
    )
    order_save(
        actor=member_b["user"],
        delivery_day=day,
        organisation=member_b["org"],
        site=member_b["site"],
        requested_g={dry: 30_000},
    )
    return day


@pytest.fixture
def allocated(ordered, hub):
    delivery_day_allocate(actor=hub["user"], delivery_day=ordered)
    ordered.refresh_from_db()
    return ordered


@pytest.fixture
def dispatched(allocated, hub):
    delivery_day_dispatch(actor=hub["user"], delivery_day=allocated)
    return allocated


def url(org, rest: str = "") -> str:
    return f"{API}/organisations/{org.pk}{rest}"


def written() -> tuple[int, ...]:
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        StockMovement.objects.count(),
        AuditEvent.objects.count(),
        Delivery.objects.exclude(status=Delivery.Status.IN_TRANSIT).count(),
        Lot.objects.exclude(blocked_at=None).count(),
    )


# --- Delivery days: the hub ----------------------------------------------------------------


def test_hub_lists_its_days_with_what_is_available(client, hub, day, catalogue_a):
    response = client.get(url(hub["org"], "/delivery-days"), headers=hub["auth"])
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == day.pk
    assert item["hub"] == {"id": hub["org"].pk, "name": "Carrefour"}
    assert item["site"] == {"id": hub["site"].pk, "name": "Entrepôt"}
    assert item["status"] == "open" and item["is_open"] is True
    assert item["delivers_on"] == (TODAY() + timedelta(days=1)).isoformat()
    assert item["order_count"] == 0
    # Perishables first, then dry goods.
    assert [
        (a["category"]["name"], a["storage_class"], a["available_g"]) for a in item["available"]
    ] == [
        ("Viande", "frozen", 20_000),
        ("Produits laitiers", "chilled", 30_000),
        ("Épicerie sèche", "dry", 50_000),
    ]
    assert item["available"][2]["available_kg"] == 50.0
    assert item["available_by_storage"] == [
        {"storage_class": "frozen", "available_g": 20_000, "available_kg": 20.0},
        {"storage_class": "chilled", "available_g": 30_000, "available_kg": 30.0},
        {"storage_class": "dry", "available_g": 50_000, "available_kg": 50.0},
    ]


def test_hub_filters_its_days_by_status(client, hub, allocated):
    other = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=TODAY() + timedelta(days=3)
    )
    base = url(hub["org"], "/delivery-days")
    everything = client.get(base, headers=hub["auth"]).json()
    assert [d["id"] for d in everything["items"]] == [other.pk, allocated.pk]
    shared = client.get(f"{base}?status=allocated", headers=hub["auth"]).json()
    assert [d["id"] for d in shared["items"]] == [allocated.pk]
    assert shared["items"][0]["order_count"] == 2
    assert shared["items"][0]["available"] == []  # no longer taking orders
    assert client.get(f"{base}?status=nonsense", headers=hub["auth"]).status_code == 422


def test_hub_day_detail_adds_up_asked_and_available(client, hub, ordered):
    response = client.get(url(hub["org"], f"/delivery-days/{ordered.pk}"), headers=hub["auth"])
    assert response.status_code == 200
    body = response.json()
    assert body["order_count"] == 2
    rows = {r["category"]["name"]: r for r in body["categories"]}
    assert set(rows) == {"Viande", "Produits laitiers", "Épicerie sèche"}
    assert rows["Épicerie sèche"] | {"category": None} == {
        "category": None,
        "storage_class": "dry",
        "available_g": 50_000,
        "requested_g": 70_000,
        "granted_g": 0,
        "short_g": 20_000,
        "over_g": 0,
        "available_kg": 50.0,
        "requested_kg": 70.0,
        "granted_kg": 0.0,
    }


def test_hub_sees_every_order_of_its_day(client, hub, ordered, org_a, member_b):
    response = client.get(
        url(hub["org"], f"/delivery-days/{ordered.pk}/orders"), headers=hub["auth"]
    )
    assert response.status_code == 200
    orders = {o["organisation"]["name"]: o for o in response.json()}
    assert set(orders) == {"Comptoir A", "Comptoir C"}
    mine = orders["Comptoir A"]
    assert mine["site"]["name"] == "Local du comptoir A"
    assert mine["total_g"] == 50_000 and mine["total_kg"] == 50.0
    assert sorted((x["category"]["name"], x["requested_g"]) for x in mine["lines"]) == [
        ("Produits laitiers", 10_000),
        ("Épicerie sèche", 40_000),
    ]
    assert orders["Comptoir C"]["total_g"] == 30_000


def test_hub_endpoints_need_a_manager_of_the_hub(client, hub, ordered):
    staff = bearer(user_with(hub["org"], Role.STAFF))
    for path in [
        "/delivery-days",
        f"/delivery-days/{ordered.pk}",
        f"/delivery-days/{ordered.pk}/orders",
        f"/delivery-days/{ordered.pk}/allocation",
    ]:
        response = client.get(url(hub["org"], path), headers=staff)
        assert response.status_code == 403, path
        assert response.json() == {
            "detail": "Votre rôle dans cet organisme ne permet pas cette action."
        }
    response = client.post(
        url(hub["org"], f"/delivery-days/{ordered.pk}/allocation"), headers=staff
    )
    assert response.status_code == 403
    assert not AllocationOutcome.objects.exists()


# --- The share-out -------------------------------------------------------------------------


def test_hub_runs_the_share_out_and_reads_it_per_member(
    client, hub, ordered, org_a, member_b, admin_a
):
    path = url(hub["org"], f"/delivery-days/{ordered.pk}/allocation")
    before = client.get(path, headers=hub["auth"]).json()
    assert before["is_shared_out"] is False and before["status"] == "open"
    assert {m["organisation"]["name"]: m["granted_g"] for m in before["members"]} == {
        "Comptoir A": 0,
        "Comptoir C": 0,
    }

    response = client.post(path, headers=hub["auth"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_shared_out"] is True and body["status"] == "allocated"
    assert body["allocated_at"] is not None
    members = {m["organisation"]["name"]: m for m in body["members"]}
    a, c = members["Comptoir A"], members["Comptoir C"]
    dry_a = next(x for x in a["lines"] if x["category"]["name"] == "Épicerie sèche")
    dry_c = next(x for x in c["lines"] if x["category"]["name"] == "Épicerie sèche")
    # 50 kg for 70 kg asked: all of it goes out, nobody gets more than asked.
    assert dry_a["granted_g"] + dry_c["granted_g"] == 50_000
    assert dry_a["requested_g"] == 40_000 and dry_c["requested_g"] == 30_000
    assert dry_a["granted_g"] < 40_000 and dry_c["granted_g"] < 30_000
    assert dry_a["reason"] and dry_c["reason"]  # the member reads why
    dairy_a = next(x for x in a["lines"] if x["category"]["name"] == "Produits laitiers")
    assert dairy_a["granted_g"] == 10_000 and dairy_a["granted_kg"] == 10.0
    assert a["granted_g"] == dry_a["granted_g"] + 10_000
    assert a["reserved_g"] == a["granted_g"]  # set aside in lots
    totals = {r["category"]["name"]: r for r in body["categories"]}
    assert totals["Épicerie sèche"]["granted_g"] == 50_000
    assert AuditEvent.objects.filter(action="delivery_day.allocate").count() == 1
    # And reading it again gives the same.
    assert client.get(path, headers=hub["auth"]).json() == body


def test_share_out_of_a_day_that_left_is_refused_in_french(client, hub, dispatched):
    path = url(hub["org"], f"/delivery-days/{dispatched.pk}/allocation")
    before = written()
    response = client.post(path, headers=hub["auth"])
    assert response.status_code == 422
    assert response.json() == {
        "detail": "La répartition n'a pas été faite.",
        "errors": {"__all__": [french("This delivery day has already left.")]},
    }
    assert written() == before


def test_member_sees_only_its_own_share_and_why(client, org_a, auth_a, member_b, allocated):
    response = client.get(url(org_a, f"/orders/{allocated.pk}/allocation"), headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["is_shared_out"] is True and body["hub"]["name"] == "Carrefour"
    assert sorted(x["category"]["name"] for x in body["lines"]) == [
        "Produits laitiers",
        "Épicerie sèche",
    ]
    mine = AllocationOutcome.objects.filter(delivery_day=allocated, organisation=org_a)
    assert body["granted_g"] == sum(o.granted_g for o in mine)
    dry = next(x for x in body["lines"] if x["category"]["name"] == "Épicerie sèche")
    assert dry["reason"] == mine.get(category__name="Épicerie sèche").reason
    assert "Comptoir C" not in response.content.decode()
    # The member cannot read the hub's table of everyone.
    hub_path = f"/delivery-days/{allocated.pk}/allocation"
    assert client.get(url(org_a, hub_path), headers=auth_a).status_code == 404


def test_member_share_before_the_share_out_is_empty(client, org_a, auth_a, ordered):
    body = client.get(url(org_a, f"/orders/{ordered.pk}/allocation"), headers=auth_a).json()
    assert body["is_shared_out"] is False
    assert body["lines"] == [] and body["granted_g"] == 0


# --- Orders: the member --------------------------------------------------------------------


def test_member_lists_open_days_with_availability_and_its_total(
    client, org_a, auth_a, member_b, ordered
):
    response = client.get(url(org_a, "/orders"), headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == ordered.pk and item["is_open"] is True
    assert item["ordered_g"] == 50_000 and item["ordered_kg"] == 50.0
    assert {a["category"]["name"]: a["available_g"] for a in item["available"]} == {
        "Viande": 20_000,
        "Produits laitiers": 30_000,
        "Épicerie sèche": 50_000,
    }
    assert "requested_g" not in response.content.decode()  # others' orders stay private
    # C, who ordered 30 kg, sees its own total.
    other = client.get(url(member_b["org"], "/orders"), headers=member_b["auth"]).json()
    assert other["items"][0]["ordered_g"] == 30_000


def test_member_reads_its_order_and_the_catalogue(client, org_a, auth_a, ordered, catalogue_a):
    response = client.get(url(org_a, f"/orders/{ordered.pk}"), headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    assert {c["category"]["id"] for c in body["categories"]} == {c.pk for c in catalogue_a.values()}
    order = body["order"]
    assert order["organisation"]["name"] == "Comptoir A"
    assert order["total_g"] == 50_000
    assert "Comptoir C" not in response.content.decode()


def test_member_puts_its_order(client, org_a, admin_a, auth_a, day, catalogue_a):
    body = {
        "note": "  Merci!  ",
        "lines": [
            {"category_id": catalogue_a["Viande"].pk, "requested_g": 12_500},
            {"category_id": catalogue_a["Épicerie sèche"].pk, "requested_g": 0},
        ],
    }
    response = client.put(url(org_a, f"/orders/{day.pk}"), body, content_type=JSON, headers=auth_a)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["order"]["note"] == "Merci!"
    assert data["order"]["site"]["name"] == "Local du comptoir A"  # the only site
    assert [
        (x["category"]["name"], x["requested_g"], x["requested_kg"]) for x in data["order"]["lines"]
    ] == [("Viande", 12_500, 12.5)]
    order = Order.objects.get(organisation=org_a)
    assert list(order.lines.values_list("category__name", "requested_g")) == [("Viande", 12_500)]
    assert AuditEvent.objects.filter(action="order.save", actor=admin_a).count() == 1

    # A second PUT replaces the lines.
    body = {"lines": [{"category_id": catalogue_a["Épicerie sèche"].pk, "requested_g": 5_000}]}
    response = client.put(url(org_a, f"/orders/{day.pk}"), body, content_type=JSON, headers=auth_a)
    assert response.status_code == 200
    assert response.json()["order"]["total_g"] == 5_000
    assert list(order.lines.values_list("category__name", "requested_g")) == [
        ("Épicerie sèche", 5_000)
    ]
    assert Order.objects.count() == 1


def test_order_with_bad_lines_says_what_is_wrong_and_writes_nothing(
    client, org_a, auth_a, ordered, catalogue_a, catalogue_b, org_b
):
    before = written()
    lines_before = list(OrderLine.objects.values_list("order_id", "category_id", "requested_g"))
    body = {
        "site_id": org_b.sites.get().pk,
        "lines": [
            {"category_id": catalogue_a["Viande"].pk, "requested_g": 1_000},
            {"category_id": catalogue_b["Viande"].pk, "requested_g": 1_000},
            {"category_id": catalogue_a["Viande"].pk, "requested_g": 2_000},
            {"category_id": catalogue_a["Boulangerie"].pk, "requested_g": -5},
            {"category_id": catalogue_a["Épicerie sèche"].pk, "requested_g": 10**10},
        ],
    }
    response = client.put(
        url(org_a, f"/orders/{ordered.pk}"), body, content_type=JSON, headers=auth_a
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "La commande n'a pas été enregistrée : corrigez les erreurs indiquées.",
        "errors": {
            "site_id": [french("Choose one of your sites.")],
            "lines[1].category_id": [french("This category is not in your network's catalogue.")],
            "lines[2].category_id": ["Cette catégorie est déjà sur une autre ligne."],
            "lines[3].requested_g": [french("A quantity cannot be negative.")],
            "lines[4].requested_g": ["Ce poids est trop grand : vérifiez-le (en grammes)."],
        },
    }
    assert "quantité" in response.json()["errors"]["lines[3].requested_g"][0]  # in French
    assert written() == before
    assert (
        list(OrderLine.objects.values_list("order_id", "category_id", "requested_g"))
        == lines_before
    )


def test_an_empty_order_is_refused(client, org_a, auth_a, day, catalogue_a):
    body = {"lines": [{"category_id": catalogue_a["Viande"].pk, "requested_g": 0}]}
    response = client.put(url(org_a, f"/orders/{day.pk}"), body, content_type=JSON, headers=auth_a)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "lines": [french("Write a quantity for at least one kind of food.")]
    }
    assert not Order.objects.exists()


def test_a_member_with_two_sites_says_where(client, org_a, auth_a, day, catalogue_a):
    second = SiteFactory(organisation=org_a, name="Deuxième local")
    body = {"lines": [{"category_id": catalogue_a["Viande"].pk, "requested_g": 1_000}]}
    path = url(org_a, f"/orders/{day.pk}")
    response = client.put(path, body, content_type=JSON, headers=auth_a)
    assert response.status_code == 422
    assert response.json()["errors"] == {"site_id": ["Choisissez le point de service où livrer."]}
    response = client.put(path, {**body, "site_id": second.pk}, content_type=JSON, headers=auth_a)
    assert response.status_code == 200
    assert response.json()["order"]["site"] == {"id": second.pk, "name": "Deuxième local"}


def test_orders_are_closed_once_shared_out(client, org_a, auth_a, allocated, catalogue_a):
    before = written()
    body = {"lines": [{"category_id": catalogue_a["Viande"].pk, "requested_g": 1_000}]}
    response = client.put(
        url(org_a, f"/orders/{allocated.pk}"), body, content_type=JSON, headers=auth_a
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": [french("Orders are closed for this delivery day.")]
    }
    assert written() == before


def test_ordering_needs_an_ordering_role(client, org_a, day, catalogue_a):
    volunteer = bearer(user_with(org_a, Role.VOLUNTEER))
    body = {"lines": [{"category_id": catalogue_a["Viande"].pk, "requested_g": 1_000}]}
    path = url(org_a, f"/orders/{day.pk}")
    assert client.put(path, body, content_type=JSON, headers=volunteer).status_code == 403
    assert client.get(path, headers=volunteer).status_code == 403
    assert client.get(url(org_a, "/orders"), headers=volunteer).status_code == 403
    assert not Order.objects.exists()
    staff = bearer(user_with(org_a, Role.STAFF))  # staff may order, like on the screen
    assert client.put(path, body, content_type=JSON, headers=staff).status_code == 200


def test_a_hub_outside_my_networks_is_invisible(client, org_b, auth_b, day, catalogue_b):
    body = {"lines": [{"category_id": catalogue_b["Viande"].pk, "requested_g": 1_000}]}
    for method, path in [
        ("get", f"/orders/{day.pk}"),
        ("put", f"/orders/{day.pk}"),
        ("get", f"/orders/{day.pk}/allocation"),
    ]:
        response = (
            getattr(client, method)(url(org_b, path), body, content_type=JSON, headers=auth_b)
            if method == "put"
            else client.get(url(org_b, path), headers=auth_b)
        )
        assert response.status_code == 404, path
    assert client.get(url(org_b, "/orders"), headers=auth_b).json() == {"items": [], "count": 0}
    assert not Order.objects.exists()


# --- Deliveries ----------------------------------------------------------------------------


def test_deliveries_are_listed_for_the_hub_and_each_member(
    client, hub, org_a, auth_a, member_b, org_b, auth_b, dispatched
):
    hub_list = client.get(url(hub["org"], "/deliveries"), headers=hub["auth"]).json()
    assert hub_list["count"] == 2
    assert {d["member"]["name"] for d in hub_list["items"]} == {"Comptoir A", "Comptoir C"}
    assert {d["direction"] for d in hub_list["items"]} == {"sent"}

    response = client.get(url(org_a, "/deliveries"), headers=auth_a)
    mine = response.json()
    assert mine["count"] == 1
    [item] = mine["items"]
    delivery = Delivery.objects.get(organisation=org_a)
    assert item["id"] == delivery.pk and item["direction"] == "received"
    assert item["hub"]["name"] == "Carrefour" and item["hub_site"]["name"] == "Entrepôt"
    assert item["site"]["name"] == "Local du comptoir A"
    assert item["status"] == "in_transit"
    assert item["delivers_on"] == dispatched.delivers_on.isoformat()
    shipped = sum(delivery.lines.values_list("shipped_g", flat=True))
    assert item["shipped_g"] == shipped and item["shipped_kg"] == shipped / 1000
    assert item["note_pdf_url"] == "http://testserver" + reverse(
        "logistics:delivery_note_pdf", args=[delivery.pk]
    )
    assert "Comptoir C" not in response.content.decode()

    base = url(hub["org"], "/deliveries")
    assert client.get(f"{base}?direction=received", headers=hub["auth"]).json()["count"] == 0
    assert client.get(f"{base}?status=received", headers=hub["auth"]).json()["count"] == 0
    assert client.get(f"{base}?status=in_transit", headers=hub["auth"]).json()["count"] == 2
    assert client.get(url(org_b, "/deliveries"), headers=auth_b).json() == {
        "items": [],
        "count": 0,
    }


def test_delivery_detail_has_lines_kg_storage_and_dates(client, org_a, auth_a, lots, dispatched):
    delivery = Delivery.objects.get(organisation=org_a)
    response = client.get(url(org_a, f"/deliveries/{delivery.pk}"), headers=auth_a)
    assert response.status_code == 200
    body = response.json()
    lines = {x["category"]["name"]: x for x in body["lines"]}
    dairy = lines["Produits laitiers"]
    assert dairy["lot_id"] == lots["Produits laitiers"].pk
    assert dairy["storage_class"] == "chilled"
    assert dairy["shipped_g"] == 10_000 and dairy["shipped_kg"] == 10.0
    assert dairy["best_before"] == (TODAY() + timedelta(days=6)).isoformat()
    assert dairy["use_by"] == dairy["best_before"]
    assert dairy["supplier_lot_code"] == "LAIT-2026-11"
    assert dairy["received_g"] is None and dairy["missing_g"] is None
    assert body["received_g"] is None
    assert [t["storage_class"] for t in body["totals_by_storage"]] == ["chilled", "dry"]
    assert body["shipped_g"] == sum(x["shipped_g"] for x in body["lines"])


def test_member_confirms_receipt_in_full(client, org_a, admin_a, auth_a, dispatched):
    delivery = Delivery.objects.get(organisation=org_a)
    path = url(org_a, f"/deliveries/{delivery.pk}/receipt")
    response = client.post(path, {}, content_type=JSON, headers=auth_a)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "received" and body["received_at"] is not None
    assert body["received_g"] == body["shipped_g"]
    assert all(x["missing_g"] == 0 for x in body["lines"])
    site = org_a.sites.get()
    assert (
        sum(StockBalance.objects.filter(site=site).values_list("quantity_g", flat=True))
        == (body["shipped_g"])
    )
    assert AuditEvent.objects.filter(action="delivery.confirm", actor=admin_a).count() == 1
    # Twice: refused, nothing more enters the stock.
    before = written()
    again = client.post(path, {}, content_type=JSON, headers=auth_a)
    assert again.status_code == 409
    assert again.json() == {"detail": french("This delivery was already confirmed.")}
    assert written() == before


def test_member_confirms_a_partial_receipt_with_a_note(client, org_a, auth_a, dispatched):
    delivery = Delivery.objects.get(organisation=org_a)
    dairy = delivery.lines.get(lot__category__name="Produits laitiers")
    body = {
        "lines": [{"line_id": dairy.pk, "received_g": 8_000, "temperature_c": "3.46"}],
        "note": "Une caisse écrasée",
    }
    response = client.post(
        url(org_a, f"/deliveries/{delivery.pk}/receipt"), body, content_type=JSON, headers=auth_a
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "partial" and data["receipt_note"] == "Une caisse écrasée"
    line = next(x for x in data["lines"] if x["id"] == dairy.pk)
    assert line["received_g"] == 8_000 and line["missing_g"] == 2_000
    assert line["temperature_c"] == 3.5
    assert data["received_g"] == data["shipped_g"] - 2_000


def test_receipt_with_bad_lines_writes_nothing(client, org_a, auth_a, member_b, dispatched):
    delivery = Delivery.objects.get(organisation=org_a)
    dairy = delivery.lines.get(lot__category__name="Produits laitiers")
    dry = delivery.lines.get(lot__category__name="Épicerie sèche")
    foreign = DeliveryLine.objects.filter(delivery__organisation=member_b["org"]).first()
    before = written()
    body = {
        "lines": [
            {"line_id": dairy.pk, "received_g": 10_001},
            {"line_id": dry.pk, "received_g": -1, "temperature_c": "150"},
            {"line_id": foreign.pk, "received_g": 0},
            {"line_id": dairy.pk, "received_g": 0},
        ]
    }
    path = url(org_a, f"/deliveries/{delivery.pk}/receipt")
    response = client.post(path, body, content_type=JSON, headers=auth_a)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "La réception de la livraison n'a pas été enregistrée : corrigez les erreurs.",
        "errors": {
            "lines[0].received_g": [
                french(
                    "At most %(kg)s was sent. Write the weight you really received.",
                    kg="10\xa0kg",
                )
            ],
            "lines[1].received_g": ["Le poids reçu ne peut pas être négatif."],
            "lines[1].temperature_c": ["Vérifiez la température : entre -40 et 99 °C."],
            "lines[2].line_id": ["Cette ligne ne fait pas partie de cette livraison."],
            "lines[3].line_id": ["Cette ligne est déjà donnée plus haut."],
        },
    }
    # A difference needs a word of explanation.
    short = {"lines": [{"line_id": dairy.pk, "received_g": 9_000}]}
    response = client.post(path, short, content_type=JSON, headers=auth_a)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "note": [french("Say in a few words what was missing or damaged.")]
    }
    assert written() == before
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.IN_TRANSIT


def test_only_the_receiving_member_confirms(client, hub, org_a, member_b, dispatched):
    delivery = Delivery.objects.get(organisation=org_a)
    path = f"/deliveries/{delivery.pk}/receipt"
    viewer = bearer(user_with(org_a, Role.VIEWER))  # creating a token is audited
    before = written()
    # The hub that sent it: not its delivery to confirm.
    response = client.post(url(hub["org"], path), {}, content_type=JSON, headers=hub["auth"])
    assert response.status_code == 404
    # Another member of the network.
    response = client.post(
        url(member_b["org"], path), {}, content_type=JSON, headers=member_b["auth"]
    )
    assert response.status_code == 404
    # A viewer of the receiving member reads but does not confirm.
    assert client.post(url(org_a, path), {}, content_type=JSON, headers=viewer).status_code == 403
    assert client.get(url(org_a, f"/deliveries/{delivery.pk}"), headers=viewer).status_code == 200
    assert written() == before


def test_another_members_delivery_is_404(client, org_a, auth_a, member_b, hub, dispatched):
    theirs = Delivery.objects.get(organisation=member_b["org"])
    assert client.get(url(org_a, f"/deliveries/{theirs.pk}"), headers=auth_a).status_code == 404
    # The hub sees both.
    assert (
        client.get(url(hub["org"], f"/deliveries/{theirs.pk}"), headers=hub["auth"]).status_code
        == 200
    )


# --- Recalls -------------------------------------------------------------------------------


def test_recall_by_supplier_lot_number_finds_everyone_reached(
    client, hub, org_a, admin_a, member_b, lots, dispatched
):
    delivery = Delivery.objects.get(organisation=org_a)
    delivery_confirm(actor=admin_a, delivery=delivery, received_g={})
    response = client.get(
        url(hub["org"], "/recalls?supplier_lot_code=lait-2026"), headers=hub["auth"]
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lot_count"] == 1 and body["too_many"] is False
    [trace] = body["lots"]
    dairy = lots["Produits laitiers"]
    assert trace["lot"]["id"] == dairy.pk
    assert trace["lot"]["supplier_lot_code"] == "LAIT-2026-11"
    assert trace["lot"]["received_on"] == (TODAY() - timedelta(days=2)).isoformat()
    assert trace["sent_out_g"] == 10_000  # only A ordered dairy
    assert trace["left_g"] == 30_000  # 20 kg at the hub, 10 kg at A
    holders = {(h["organisation"]["name"], h["site"]["name"]): h for h in trace["holders"]}
    assert holders[("Carrefour", "Entrepôt")]["is_owner"] is True
    assert holders[("Carrefour", "Entrepôt")]["quantity_g"] == 30_000
    at_a = holders[("Comptoir A", "Local du comptoir A")]
    assert at_a["quantity_g"] == 10_000 and at_a["received_g"] == 10_000
    assert at_a["left_g"] == 10_000 and at_a["is_owner"] is False
    reached = {r["organisation"]["name"]: r for r in body["organisations"]}
    assert list(reached) == ["Carrefour", "Comptoir A"]  # the owner first; C got no dairy
    assert reached["Carrefour"]["contact_phone"] == "819 555-0100"
    assert reached["Comptoir A"]["quantity_g"] == 10_000
    assert reached["Comptoir A"]["quantity_kg"] == 10.0
    assert reached["Comptoir A"]["sites"] == [
        {
            "site": {"id": org_a.sites.get().pk, "name": "Local du comptoir A"},
            "quantity_g": 10_000,
            "left_g": 10_000,
            "handed_out_g": 0,
        }
    ]
    assert body["pending_days"] == []


def test_recall_by_category_and_dates_or_by_reception(client, hub, stocked, lots, catalogue_a):
    base = url(hub["org"], "/recalls")
    two_days_ago = (TODAY() - timedelta(days=2)).isoformat()
    meat = catalogue_a["Viande"].pk
    response = client.get(
        f"{base}?category={meat}&received_from={two_days_ago}&received_to={TODAY().isoformat()}",
        headers=hub["auth"],
    )
    assert [t["lot"]["id"] for t in response.json()["lots"]] == [lots["Viande"].pk]
    yesterday = (TODAY() - timedelta(days=1)).isoformat()
    response = client.get(f"{base}?category={meat}&received_from={yesterday}", headers=hub["auth"])
    assert response.json()["lot_count"] == 0
    response = client.get(f"{base}?reception={stocked.pk}", headers=hub["auth"])
    assert response.json()["lot_count"] == 3


def test_recall_search_errors_in_french(client, hub, org_a, admin_a, site_a_reception, catalogue_b):
    base = url(hub["org"], "/recalls")
    response = client.get(base, headers=hub["auth"])
    assert response.status_code == 422
    assert response.json() == {
        "detail": "La recherche n'a pas été faite : corrigez les erreurs indiquées.",
        "errors": {
            "__all__": [french("Give a lot number, a kind of food with dates, or a reception.")]
        },
    }
    response = client.get(
        f"{base}?received_from={TODAY().isoformat()}&received_to=2020-01-01"
        f"&category={catalogue_b['Viande'].pk}&reception={site_a_reception.pk}"
        f"&supplier_lot_code={'x' * 61}",
        headers=hub["auth"],
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "supplier_lot_code": ["Un numéro de lot a au plus 60 caractères."],
        "category": [french("This category is not in your network's catalogue.")],
        "reception": ["Cette réception n'est pas une des vôtres."],
        "received_to": [french("This date must come after the first one.")],
    }


@pytest.fixture
def site_a_reception(org_a, admin_a, catalogue_a):
    return reception_record(
        actor=admin_a,
        site=org_a.sites.get(),
        source="donation",
        received_on=TODAY(),
        lines=[
            ReceptionLine(
                category=catalogue_a["Épicerie sèche"], weight_g=1_000, supplier_lot_code="A-1"
            )
        ],
    )


def test_a_member_cannot_search_the_hubs_lots(client, org_a, auth_a, lots, dispatched):
    """Only the organisation that received a lot traces it: A finds none of the hub's."""
    response = client.get(url(org_a, "/recalls?supplier_lot_code=LAIT"), headers=auth_a)
    assert response.status_code == 200
    assert response.json()["lot_count"] == 0
    assert "Carrefour" not in response.content.decode()


def test_recalls_need_a_stock_manager(client, hub, lots):
    volunteer = bearer(user_with(hub["org"], Role.VOLUNTEER))
    response = client.get(url(hub["org"], "/recalls?supplier_lot_code=LAIT"), headers=volunteer)
    assert response.status_code == 403
    body = {"lot_ids": [lots["Viande"].pk], "reason": "Avis de rappel"}
    response = client.post(
        url(hub["org"], "/recalls/block"), body, content_type=JSON, headers=volunteer
    )
    assert response.status_code == 403
    assert not Lot.objects.exclude(blocked_at=None).exists()


def test_hub_blocks_a_recalled_lot(client, hub, lots, allocated):
    dairy = lots["Produits laitiers"]
    path = url(hub["org"], "/recalls/block")
    body = {"lot_ids": [dairy.pk, dairy.pk], "reason": "  Avis ACIA du 12 novembre  "}
    response = client.post(path, body, content_type=JSON, headers=hub["auth"])
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["blocked"] == [dairy.pk] and data["already_blocked"] == []
    # It was set aside for this shared-out day: share out again.
    assert data["pending_days"] == [
        {
            "id": allocated.pk,
            "delivers_on": allocated.delivers_on.isoformat(),
            "site": {"id": hub["site"].pk, "name": "Entrepôt"},
        }
    ]
    dairy.refresh_from_db()
    assert dairy.blocked_at is not None and "Avis ACIA du 12 novembre" in dairy.decision_reason
    assert AuditEvent.objects.filter(action="lot.recall_block").count() == 1
    # Again: nothing new.
    again = client.post(path, body, content_type=JSON, headers=hub["auth"]).json()
    assert again["blocked"] == [] and again["already_blocked"] == [dairy.pk]
    # And the search shows it blocked.
    search = client.get(
        url(hub["org"], "/recalls?supplier_lot_code=LAIT-2026-11"), headers=hub["auth"]
    ).json()
    assert search["lots"][0]["lot"]["blocked_at"] is not None


def test_block_refuses_lots_that_are_not_mine_and_an_empty_reason(
    client, hub, org_a, auth_a, lots, site_a_reception
):
    before = written()
    mine = site_a_reception.lots.get()
    body = {"lot_ids": [mine.pk, lots["Viande"].pk, 999_999], "reason": "  "}
    response = client.post(url(org_a, "/recalls/block"), body, content_type=JSON, headers=auth_a)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Aucun lot n'a été bloqué : corrigez les erreurs indiquées.",
        "errors": {
            "reason": [french("Say why these lots are recalled.")],
            "lot_ids": [f"Ces lots ne sont pas à votre organisme : {lots['Viande'].pk}, 999999."],
        },
    }
    response = client.post(
        url(org_a, "/recalls/block"),
        {"lot_ids": [], "reason": "x" * 201},
        content_type=JSON,
        headers=auth_a,
    )
    assert response.json()["errors"] == {
        "reason": ["Au plus 200 caractères."],
        "lot_ids": [french("Choose at least one lot to block.")],
    }
    assert written() == before


# --- Tenancy, everywhere -------------------------------------------------------------------


def test_another_organisations_objects_are_404(
    client, hub, org_a, member_b, org_b, auth_b, lots, dispatched
):
    delivery = Delivery.objects.get(organisation=org_a)
    day = dispatched.pk
    for path in [
        # Someone else's organisation in the path.
        url(hub["org"], "/delivery-days"),
        url(hub["org"], f"/delivery-days/{day}"),
        url(hub["org"], f"/delivery-days/{day}/orders"),
        url(hub["org"], f"/delivery-days/{day}/allocation"),
        url(org_a, "/orders"),
        url(org_a, f"/orders/{day}"),
        url(org_a, f"/orders/{day}/allocation"),
        url(org_a, "/deliveries"),
        url(org_a, f"/deliveries/{delivery.pk}"),
        url(hub["org"], "/recalls?supplier_lot_code=LAIT"),
        # Their objects under my own organisation.
        url(org_b, f"/delivery-days/{day}"),
        url(org_b, f"/delivery-days/{day}/orders"),
        url(org_b, f"/delivery-days/{day}/allocation"),
        url(org_b, f"/orders/{day}"),
        url(org_b, f"/orders/{day}/allocation"),
        url(org_b, f"/deliveries/{delivery.pk}"),
        url(org_b, "/deliveries/999999"),
        url(org_b, "/orders/999999"),
    ]:
        response = client.get(path, headers=auth_b)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Introuvable."}
    for path, body in [
        (url(hub["org"], f"/delivery-days/{day}/allocation"), {}),
        (url(org_b, f"/delivery-days/{day}/allocation"), {}),
        (url(org_b, f"/deliveries/{delivery.pk}/receipt"), {}),
        (url(hub["org"], "/recalls/block"), {"lot_ids": [lots["Viande"].pk], "reason": "x"}),
    ]:
        response = client.post(path, body, content_type=JSON, headers=auth_b)
        assert response.status_code == 404, path
    response = client.put(
        url(org_a, f"/orders/{day}"), {"lines": []}, content_type=JSON, headers=auth_b
    )
    assert response.status_code == 404


def test_a_member_cannot_use_the_hub_endpoints_on_the_hubs_day(
    client, org_a, auth_a, member_b, allocated
):
    """A's coordinator names its own organisation with the hub's day: the day is not A's."""
    for path in [
        f"/delivery-days/{allocated.pk}",
        f"/delivery-days/{allocated.pk}/orders",
        f"/delivery-days/{allocated.pk}/allocation",
    ]:
        assert client.get(url(org_a, path), headers=auth_a).status_code == 404, path
    response = client.post(url(org_a, f"/delivery-days/{allocated.pk}/allocation"), headers=auth_a)
    assert response.status_code == 404
    assert client.get(url(org_a, "/delivery-days"), headers=auth_a).json() == {
        "items": [],
        "count": 0,
    }


def test_lists_do_not_leak_to_a_stranger(client, org_b, auth_b, hub, lots, dispatched):
    for path in ["/delivery-days", "/orders", "/deliveries"]:
        response = client.get(url(org_b, path), headers=auth_b)
        assert response.status_code == 200, path
        assert response.json() == {"items": [], "count": 0}, path
    response = client.get(url(org_b, "/recalls?supplier_lot_code=LAIT"), headers=auth_b)
    assert response.json()["lot_count"] == 0


def test_everything_needs_a_token(client, hub, dispatched):
    for path in ["/delivery-days", "/orders", "/deliveries", "/recalls?supplier_lot_code=x"]:
        assert client.get(url(hub["org"], path)).status_code == 401


# --- OpenAPI -------------------------------------------------------------------------------


def test_openapi_documents_the_new_endpoints(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    prefix = "/api/v1/organisations/{org_id}"
    expected = {
        "/delivery-days": {"get"},
        "/delivery-days/{day_id}": {"get"},
        "/delivery-days/{day_id}/orders": {"get"},
        "/delivery-days/{day_id}/allocation": {"get", "post"},
        "/orders": {"get"},
        "/orders/{day_id}": {"get", "put"},
        "/orders/{day_id}/allocation": {"get"},
        "/deliveries": {"get"},
        "/deliveries/{delivery_id}": {"get"},
        "/deliveries/{delivery_id}/receipt": {"post"},
        "/recalls": {"get"},
        "/recalls/block": {"post"},
    }
    for path, methods in expected.items():
        assert prefix + path in paths, path
        assert set(paths[prefix + path]) == methods, path
        for method in methods:
            assert paths[prefix + path][method]["security"], path  # token needed
    assert {"200", "422"} <= set(paths[prefix + "/orders/{day_id}"]["put"]["responses"])
    assert {"200", "409", "422"} <= set(
        paths[prefix + "/deliveries/{delivery_id}/receipt"]["post"]["responses"]
    )
    recall_params = {p["name"] for p in paths[prefix + "/recalls"]["get"]["parameters"]}
    assert recall_params >= {
        "supplier_lot_code",
        "category",
        "received_from",
        "received_to",
        "reception",
    }
    components = schema["components"]["schemas"]
    for name in ["OrderIn", "AllocationOut", "DeliveryDetailOut", "ReceiptIn", "RecallOut"]:
        assert name in components, name
    assert components["DeliveryLineOut"]["properties"]["shipped_g"]["type"] == "integer"

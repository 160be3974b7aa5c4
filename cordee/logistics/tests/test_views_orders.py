"""Delivery days and orders through the screens: open a day, order (French comma), standing
order, share out, see what each member got and why, adjust by hand, htmx preview, tenancy."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import Organisation, Role
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from cordee.logistics.models import (
    AllocationLine,
    AllocationOutcome,
    DeliveryDay,
    Order,
    StandingOrderLine,
)
from cordee.logistics.services.orders import delivery_day_allocate, delivery_day_open, order_save
from cordee.logistics.services.receptions import ReceptionLine, reception_record

TODAY = timezone.localdate


def _english(client):
    client.cookies["cordee_language"] = "en"
    return client


@pytest.fixture
def stocked(hub, catalogue_a):
    """100 kg of dry goods and 30 kg of dairy (good for 6 days) at the hub's warehouse."""
    reception_record(
        actor=hub["user"],
        site=hub["site"],
        source="food_bank",
        received_on=TODAY(),
        lines=[
            ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=100_000),
            ReceptionLine(
                category=catalogue_a["Produits laitiers"],
                weight_g=30_000,
                temperature_c=Decimal(3),
                best_before=TODAY() + timedelta(days=6),
            ),
        ],
    )
    return hub


@pytest.fixture
def day(stocked):
    return delivery_day_open(
        actor=stocked["user"],
        site=stocked["site"],
        delivers_on=TODAY() + timedelta(days=1),
        policy="equal",
    )


@pytest.fixture
def hub_client(client, hub):
    client.force_login(hub["user"])
    return client


def _as(client, user):
    client.logout()
    client.force_login(user)
    return client


def _order_post(catalogue, site, quantities, **extra):
    data = {"site": site.pk, "note": ""}
    for name, value in quantities.items():
        data[f"cat_{catalogue[name].pk}"] = value
    data.update(extra)
    return data


def _two_orders(day, admin_a, org_a, member_b, catalogue_a):
    dry, dairy = catalogue_a["Épicerie sèche"], catalogue_a["Produits laitiers"]
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


@pytest.fixture
def allocated(day, hub, admin_a, org_a, member_b, catalogue_a):
    """Short on dry goods: 50 kg each (equal shares); dairy in full for org A."""
    _two_orders(day, admin_a, org_a, member_b, catalogue_a)
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    day.refresh_from_db()
    return day


def _cell(org, category):
    return f"granted-{org.pk}-{category.pk}"


def _adjust_post(day, **cells):
    """Every cell as saved, then the given changes (kg strings)."""
    data = {
        f"granted-{o.organisation_id}-{o.category_id}": str(Decimal(o.granted_g) / 1000)
        for o in day.outcomes.all()
    }
    data.update(cells)
    return data


# --- Hub side --------------------------------------------------------------------------


def test_hub_opens_a_delivery_day_through_the_form(hub_client, hub, catalogue_a):
    url = reverse("logistics:day_list")
    page = _english(hub_client).get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["site"] == hub["site"].pk  # the only site
    when = TODAY() + timedelta(days=2)
    response = hub_client.post(
        url, {"site": hub["site"].pk, "delivers_on": when.isoformat(), "policy": "shares"}
    )
    day = DeliveryDay.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("logistics:day_detail", args=[day.pk])
    assert (day.delivers_on, day.policy, day.status) == (when, "shares", "open")
    listing = hub_client.get(url).content.decode()
    assert reverse("logistics:day_detail", args=[day.pk]) in listing
    # The same date twice: a plain message next to the date.
    again = hub_client.post(
        url, {"site": hub["site"].pk, "delivers_on": when.isoformat(), "policy": "equal"}
    )
    assert again.status_code == 200
    assert "already exists" in " ".join(again.context["form"].errors["delivers_on"])
    assert DeliveryDay.objects.count() == 1


def test_opening_a_day_in_the_past_is_refused(hub_client, hub):
    response = hub_client.post(
        reverse("logistics:day_list"),
        {
            "site": hub["site"].pk,
            "delivers_on": (TODAY() - timedelta(days=1)).isoformat(),
            "policy": "equal",
        },
    )
    assert response.status_code == 200
    assert not DeliveryDay.objects.exists()


def test_day_page_shows_what_is_available_and_the_orders(
    hub_client, day, admin_a, org_a, member_b, catalogue_a
):
    _two_orders(day, admin_a, org_a, member_b, catalogue_a)
    page = _english(hub_client).get(reverse("logistics:day_detail", args=[day.pk]))
    assert page.status_code == 200
    rows = {r.category.name: r for r in page.context["available_rows"]}
    assert rows["Épicerie sèche"].available_g == 100_000
    assert rows["Épicerie sèche"].requested_g == 160_000
    assert rows["Épicerie sèche"].short_g == 60_000
    assert rows["Produits laitiers"].available_g == 30_000
    html = page.content.decode()
    assert "Comptoir A" in html and "Comptoir C" in html
    assert "60\xa0kg short" in html
    assert "Share out the stock" in html
    assert "sections" not in page.context  # nothing shared out yet


def test_availability_leaves_out_expired_set_aside_and_reserved_food(
    hub_client, hub, stocked, catalogue_a, admin_a, org_a
):
    dry = catalogue_a["Épicerie sèche"]
    first = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=TODAY() + timedelta(days=1)
    )
    order_save(
        actor=admin_a,
        delivery_day=first,
        organisation=org_a,
        site=org_a.sites.get(),
        requested_g={dry: 70_000},
    )
    delivery_day_allocate(actor=hub["user"], delivery_day=first)
    later = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=TODAY() + timedelta(days=10)
    )
    page = hub_client.get(reverse("logistics:day_detail", args=[later.pk]))
    rows = {r.category.name: r.available_g for r in page.context["rows"]}
    assert rows["Épicerie sèche"] == 30_000  # 70 kg reserved by the first day
    assert rows["Produits laitiers"] == 0  # past its date by then


def test_share_out_then_each_reason_is_shown(
    hub_client, day, admin_a, org_a, member_b, catalogue_a
):
    _two_orders(day, admin_a, org_a, member_b, catalogue_a)
    response = hub_client.post(reverse("logistics:day_allocate", args=[day.pk]))
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.status == DeliveryDay.Status.ALLOCATED
    page = _english(hub_client).get(reverse("logistics:day_detail", args=[day.pk]))
    sections = {s.row.category.name: s for s, _cells in page.context["sections"]}
    dry = sections["Épicerie sèche"]
    assert [c.granted_g for _o, c in dry.cells] == [50_000, 50_000]
    assert (dry.row.available_g, dry.row.requested_g, dry.row.granted_g) == (
        100_000,
        160_000,
        100_000,
    )
    html = page.content.decode()
    # Reasons are stored in the network's language (French), whatever the screen language.
    assert "réparti également" in html
    assert "Commande complète" in html
    assert f'name="{_cell(org_a, catalogue_a["Épicerie sèche"])}"' in html
    assert 'hx-post="' + reverse("logistics:day_preview", args=[day.pk]) in html


def test_only_managers_of_the_hub_share_out(client, day, hub, member_b):
    staff = UserFactory()
    MembershipFactory(user=staff, organisation=hub["org"], role=Role.STAFF)
    client.force_login(staff)
    assert client.get(reverse("logistics:day_list")).status_code == 403
    assert client.post(reverse("logistics:day_allocate", args=[day.pk])).status_code == 403
    day.refresh_from_db()
    assert day.status == DeliveryDay.Status.OPEN


# --- Manual adjustment -----------------------------------------------------------------


def test_adjustment_saves_lines_outcome_and_reason(
    hub_client, allocated, org_a, member_b, catalogue_a
):
    dry = catalogue_a["Épicerie sèche"]
    url = reverse("logistics:day_adjust", args=[allocated.pk])
    data = _adjust_post(
        allocated, **{_cell(org_a, dry): "60,5", _cell(member_b["org"], dry): "39,5"}
    )
    response = _english(hub_client).post(url, data)
    assert response.status_code == 302, response.context["adjust_form"].errors
    granted = {o.organisation_id: o for o in allocated.outcomes.filter(category=dry)}
    assert granted[org_a.pk].granted_g == 60_500
    assert granted[member_b["org"].pk].granted_g == 39_500
    assert granted[org_a.pk].reason.startswith("Ajusté par la coordination")
    assert "50\xa0kg" in granted[org_a.pk].reason  # what the calculation gave
    lines = AllocationLine.objects.filter(delivery_day=allocated, lot__category=dry)
    by_member: dict[int, int] = {}
    for line in lines:
        by_member[line.organisation_id] = by_member.get(line.organisation_id, 0) + line.quantity_g
    assert by_member == {org_a.pk: 60_500, member_b["org"].pk: 39_500}
    # A second change still tells what the calculation gave, not the first change.
    hub_client.post(url, _adjust_post(allocated, **{_cell(org_a, dry): "55"}))
    outcome = allocated.outcomes.get(organisation=org_a, category=dry)
    assert outcome.granted_g == 55_000 and "50\xa0kg" in outcome.reason


def test_adjustment_over_what_is_available_is_refused(
    hub_client, allocated, org_a, member_b, catalogue_a
):
    dry = catalogue_a["Épicerie sèche"]
    before = list(AllocationLine.objects.order_by("pk").values_list("quantity_g", flat=True))
    response = _english(hub_client).post(
        reverse("logistics:day_adjust", args=[allocated.pk]),
        _adjust_post(allocated, **{_cell(org_a, dry): "70"}),
    )
    assert response.status_code == 200
    errors = response.context["adjust_form"].errors[_cell(org_a, dry)]
    assert "Only 50\xa0kg" in " ".join(errors)
    assert "Only 50\xa0kg" in response.content.decode()
    assert allocated.outcomes.get(organisation=org_a, category=dry).granted_g == 50_000
    after = list(AllocationLine.objects.order_by("pk").values_list("quantity_g", flat=True))
    assert after == before


def test_adjustment_is_all_or_nothing(hub_client, allocated, org_a, member_b, catalogue_a):
    dry, dairy = catalogue_a["Épicerie sèche"], catalogue_a["Produits laitiers"]
    response = hub_client.post(
        reverse("logistics:day_adjust", args=[allocated.pk]),
        _adjust_post(allocated, **{_cell(org_a, dairy): "5", _cell(org_a, dry): "90"}),
    )
    assert response.status_code == 200
    assert allocated.outcomes.get(organisation=org_a, category=dairy).granted_g == 10_000


def test_adjustment_refuses_what_cannot_be_read(hub_client, allocated, org_a, catalogue_a):
    dry = catalogue_a["Épicerie sèche"]
    response = hub_client.post(
        reverse("logistics:day_adjust", args=[allocated.pk]),
        _adjust_post(allocated, **{_cell(org_a, dry): "beaucoup"}),
    )
    assert response.status_code == 200
    assert allocated.outcomes.get(organisation=org_a, category=dry).granted_g == 50_000


def test_htmx_preview_returns_the_totals_and_writes_nothing(
    hub_client, allocated, org_a, member_b, catalogue_a
):
    dry = catalogue_a["Épicerie sèche"]
    url = reverse("logistics:day_preview", args=[allocated.pk])
    before_lines = list(AllocationLine.objects.values_list("pk", "quantity_g"))
    before_outcomes = list(AllocationOutcome.objects.values_list("pk", "granted_g", "reason"))
    data = _adjust_post(allocated, **{_cell(org_a, dry): "70"})
    data["category"] = str(dry.pk)
    response = _english(hub_client).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr>")
    assert "120\xa0kg" in html  # 70 + 50 as typed
    assert "20\xa0kg more than what is available" in html
    assert "Not saved yet" not in html  # the warning wins
    data[_cell(org_a, dry)] = "40"
    fits = hub_client.post(url, data).content.decode()
    assert "90\xa0kg" in fits and "Not saved yet" in fits
    data[_cell(org_a, dry)] = "n'importe"
    assert "cannot be read" in hub_client.post(url, data).content.decode()
    assert list(AllocationLine.objects.values_list("pk", "quantity_g")) == before_lines
    assert (
        list(AllocationOutcome.objects.values_list("pk", "granted_g", "reason")) == before_outcomes
    )


def test_preview_needs_a_known_category(hub_client, allocated):
    url = reverse("logistics:day_preview", args=[allocated.pk])
    assert hub_client.post(url, {"category": "x"}).status_code == 404
    assert hub_client.post(url, {"category": "999999"}).status_code == 404


# --- Member side -----------------------------------------------------------------------


def test_member_orders_through_the_form_with_a_decimal_comma(client_a, day, org_a, catalogue_a):
    listing = _english(client_a).get(reverse("logistics:order_list"))
    assert listing.status_code == 200
    assert reverse("logistics:order_detail", args=[day.pk]) in listing.content.decode()
    url = reverse("logistics:order_detail", args=[day.pk])
    page = client_a.get(url)
    assert page.status_code == 200
    groups = [g["storage"] for g in page.context["form"].groups()]
    assert groups == sorted(groups, key=["frozen", "chilled", "dry"].index)
    assert "100\xa0kg" in page.content.decode()  # what is available is shown
    response = client_a.post(
        url,
        _order_post(
            catalogue_a,
            org_a.sites.get(),
            {"Épicerie sèche": "12,5", "Produits laitiers": "3"},
            note="Merci !",
        ),
    )
    assert response.status_code == 302
    order = Order.objects.get(delivery_day=day, organisation=org_a)
    assert order.note == "Merci !"
    assert {line.category.name: line.requested_g for line in order.lines.all()} == {
        "Épicerie sèche": 12_500,
        "Produits laitiers": 3_000,
    }
    assert not StandingOrderLine.objects.exists()
    # Back on the form: what was ordered, in French.
    client_a.cookies["cordee_language"] = "fr-ca"
    again = client_a.get(url).content.decode()
    assert 'value="12,5"' in again


def test_an_empty_order_gets_a_plain_message(client_a, day, org_a, catalogue_a):
    response = _english(client_a).post(
        reverse("logistics:order_detail", args=[day.pk]),
        _order_post(catalogue_a, org_a.sites.get(), {}),
    )
    assert response.status_code == 200
    assert "at least one kind of food" in response.content.decode()
    assert not Order.objects.exists()


def test_standing_order_is_copied_into_the_next_day(client_a, day, hub, org_a, catalogue_a):
    response = client_a.post(
        reverse("logistics:order_detail", args=[day.pk]),
        _order_post(catalogue_a, org_a.sites.get(), {"Épicerie sèche": "20"}, standing="on"),
    )
    assert response.status_code == 302
    standing = StandingOrderLine.objects.get()
    assert (standing.hub, standing.organisation, standing.requested_g) == (
        hub["org"],
        org_a,
        20_000,
    )
    following = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=TODAY() + timedelta(days=8)
    )
    copied = Order.objects.get(delivery_day=following, organisation=org_a)
    assert [(line.category.name, line.requested_g) for line in copied.lines.all()] == [
        ("Épicerie sèche", 20_000)
    ]
    form = client_a.get(reverse("logistics:order_detail", args=[following.pk])).context["form"]
    assert form["standing"].value() is True
    # Unticking stops the standing order.
    client_a.post(
        reverse("logistics:order_detail", args=[following.pk]),
        _order_post(catalogue_a, org_a.sites.get(), {"Épicerie sèche": "20"}),
    )
    assert not StandingOrderLine.objects.exists()


def test_member_sees_only_its_own_outcome(client, allocated, admin_a, org_a, member_b, catalogue_a):
    _as(_english(client), admin_a)
    page = client.get(reverse("logistics:order_detail", args=[allocated.pk]))
    assert page.status_code == 200
    assert {o.organisation_id for o in page.context["outcomes"]} == {org_a.pk}
    html = page.content.decode()
    assert "réparti également" in html and "Commande complète" in html
    assert "Comptoir C" not in html
    listing = client.get(reverse("logistics:order_list")).content.decode()
    assert reverse("logistics:order_detail", args=[allocated.pk]) in listing
    # Orders are closed once shared out.
    client.post(
        reverse("logistics:order_detail", args=[allocated.pk]),
        _order_post(catalogue_a, org_a.sites.get(), {"Épicerie sèche": "99"}),
    )
    assert (
        allocated.orders.get(organisation=org_a)
        .lines.get(category=catalogue_a["Épicerie sèche"])
        .requested_g
        == 80_000
    )


def test_member_list_never_shows_another_members_order(
    client, day, admin_a, org_a, member_b, catalogue_a
):
    order_save(
        actor=member_b["user"],
        delivery_day=day,
        organisation=member_b["org"],
        site=member_b["site"],
        requested_g={catalogue_a["Épicerie sèche"]: 33_000},
    )
    _as(_english(client), admin_a)
    listing = client.get(reverse("logistics:order_list"))
    assert [(e["day"], e["order"]) for e in listing.context["entries"]] == [(day, None)]
    assert "33\xa0kg" not in listing.content.decode()
    form = client.get(reverse("logistics:order_detail", args=[day.pk])).context["form"]
    assert not any(form[f"cat_{c.pk}"].value() for c in catalogue_a.values())


# --- Tenancy and roles -----------------------------------------------------------------


def test_members_and_strangers_get_404_on_the_hub_pages(client, allocated, admin_a, admin_b):
    for user in (admin_a, admin_b):
        _as(client, user)
        for name in ("day_detail", "day_allocate", "day_adjust", "day_preview"):
            url = reverse(f"logistics:{name}", args=[allocated.pk])
            response = client.get(url) if name == "day_detail" else client.post(url)
            assert response.status_code == 404, (user, name)
        assert str(allocated.pk) not in [
            str(d.pk) for d in client.get(reverse("logistics:day_list")).context["days"]
        ]


def test_another_hub_does_not_see_this_hubs_days(client, allocated, org_a):
    other = OrganisationFactory(name="Autre carrefour", kind=Organisation.Kind.HUB)
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=other)
    manager = UserFactory()
    MembershipFactory(user=manager, organisation=other, role=Role.COORDINATOR)
    client.force_login(manager)
    assert client.get(reverse("logistics:day_detail", args=[allocated.pk])).status_code == 404
    assert list(client.get(reverse("logistics:day_list")).context["days"]) == []


def test_unrelated_organisation_gets_404_on_the_order_pages(client_b, day, org_b, catalogue_a):
    url = reverse("logistics:order_detail", args=[day.pk])
    assert client_b.get(url).status_code == 404
    assert client_b.post(url, {"site": org_b.sites.get().pk}).status_code == 404
    assert client_b.get(reverse("logistics:order_list")).context["entries"] == []
    assert not Order.objects.exists()


def test_volunteer_cannot_order(client, day, volunteer_a, org_a, catalogue_a):
    client.force_login(volunteer_a)
    url = reverse("logistics:order_detail", args=[day.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, _order_post(catalogue_a, org_a.sites.get(), {"Épicerie sèche": "5"})
    )
    assert response.status_code == 403
    assert client.get(reverse("logistics:order_list")).status_code == 403
    assert not Order.objects.exists()


def test_hub_cannot_order_from_itself(hub_client, day):
    assert hub_client.get(reverse("logistics:order_detail", args=[day.pk])).status_code == 404

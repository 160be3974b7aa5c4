"""Delivery screens: dispatch, delivery notes (screen, print, PDF), receipt by the member,
counter distributions — and tenancy: only the hub and the receiving member see a delivery."""

import shutil
import subprocess
import sys
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
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import (
    CounterDistribution,
    Delivery,
    DeliveryDay,
    StockBalance,
    StockMovement,
)
from cordee.logistics.services.deliveries import delivery_day_dispatch
from cordee.logistics.services.orders import delivery_day_allocate, delivery_day_open, order_save
from cordee.logistics.services.receptions import ReceptionLine, reception_record


@pytest.fixture
def hub(org_a):
    hub = OrganisationFactory(
        name="Carrefour alimentaire", kind=Organisation.Kind.HUB, contact_phone="819 555-0100"
    )
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=hub)
    coordinator = UserFactory(email="coord-hub@example.org")
    MembershipFactory(user=coordinator, organisation=hub, role=Role.COORDINATOR)
    site = SiteFactory(organisation=hub, name="Entrepôt régional", kind="warehouse")
    return {"org": hub, "site": site, "user": coordinator}


@pytest.fixture
def member_b(org_a):
    org = OrganisationFactory(name="Cuisine collective C")
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=org)
    user = UserFactory(email="coord-c@example.org")
    MembershipFactory(user=user, organisation=org, role=Role.COORDINATOR)
    return {"org": org, "site": SiteFactory(organisation=org, name="Cuisine C"), "user": user}


@pytest.fixture
def allocated_day(hub, member_b, admin_a, org_a, catalogue_a):
    today = timezone.localdate()
    dry, dairy = catalogue_a["Épicerie sèche"], catalogue_a["Produits laitiers"]
    reception_record(
        actor=hub["user"],
        site=hub["site"],
        source="food_bank",
        received_on=today,
        lines=[
            ReceptionLine(category=dry, weight_g=100_000, supplier_lot_code="MOI-DRY-77"),
            ReceptionLine(
                category=dairy,
                weight_g=30_000,
                temperature_c=Decimal(3),
                best_before=today + timedelta(days=6),
                supplier_lot_code="LAIT-2026-11",
            ),
        ],
    )
    day = delivery_day_open(
        actor=hub["user"], site=hub["site"], delivers_on=today + timedelta(days=1), policy="equal"
    )
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
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    return day


@pytest.fixture
def dispatched(allocated_day, hub):
    delivery_day_dispatch(actor=hub["user"], delivery_day=allocated_day)
    return allocated_day


def _login(client, user):
    client.force_login(user)
    return client


def _mine(org) -> Delivery:
    return Delivery.objects.get(organisation=org)


# Dispatch and delivery notes ----------------------------------------------------------


def test_hub_prints_the_deliveries_of_an_allocated_day(client, hub, allocated_day, org_a):
    client = _login(client, hub["user"])
    url = reverse("logistics:delivery_day_detail", args=[allocated_day.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("logistics:delivery_day_dispatch", args=[allocated_day.pk]) in page.text

    response = client.post(reverse("logistics:delivery_day_dispatch", args=[allocated_day.pk]))
    assert response.status_code == 302
    allocated_day.refresh_from_db()
    assert allocated_day.status == DeliveryDay.Status.DISPATCHED
    assert Delivery.objects.filter(delivery_day=allocated_day).count() == 2

    page = client.get(url)
    mine = _mine(org_a)
    assert "Comptoir A" in page.text and "Cuisine collective C" in page.text
    assert reverse("logistics:delivery_note_pdf", args=[mine.pk]) in page.text
    # Printing twice does not send the food twice.
    client.post(reverse("logistics:delivery_day_dispatch", args=[allocated_day.pk]))
    assert Delivery.objects.filter(delivery_day=allocated_day).count() == 2


def test_only_hub_managers_dispatch(client, hub, allocated_day, admin_a):
    volunteer = UserFactory()
    MembershipFactory(user=volunteer, organisation=hub["org"], role=Role.VOLUNTEER)
    url = reverse("logistics:delivery_day_dispatch", args=[allocated_day.pk])
    assert _login(client, volunteer).post(url).status_code == 403
    assert _login(client, admin_a).post(url).status_code == 404  # a member, not the hub
    assert (
        _login(client, admin_a)
        .get(reverse("logistics:delivery_day_detail", args=[allocated_day.pk]))
        .status_code
        == 404
    )
    allocated_day.refresh_from_db()
    assert allocated_day.status == DeliveryDay.Status.ALLOCATED


def test_delivery_note_html_has_the_lot_lines(client, hub, dispatched, org_a):
    mine = _mine(org_a)
    page = _login(client, hub["user"]).get(reverse("logistics:delivery_detail", args=[mine.pk]))
    assert page.status_code == 200
    text = page.text
    for line in mine.lines.select_related("lot", "lot__category"):
        assert line.lot.category.name in text
        assert f"{line.lot_id}" in text
        assert line.lot.supplier_lot_code in text
    assert "Carrefour alimentaire" in text and "Comptoir A" in text
    assert "40\xa0kg" in text and "10\xa0kg" in text  # each line and the totals
    assert "50\xa0kg" in text
    assert "signature" in text
    printable = client.get(reverse("logistics:delivery_note_print", args=[mine.pk]))
    assert printable.status_code == 200
    assert "LAIT-2026-11" in printable.text
    assert reverse("logistics:print_css") in printable.text
    css = client.get(reverse("logistics:print_css"))
    assert css["Content-Type"].startswith("text/css") and b"@page" in css.content


def test_delivery_note_pdf(client, hub, dispatched, org_a, tmp_path):
    mine = _mine(org_a)
    response = _login(client, hub["user"]).get(
        reverse("logistics:delivery_note_pdf", args=[mine.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5_000
    if shutil.which("pdftotext"):  # poppler-utils: read the text back
        pdf = tmp_path / "bon.pdf"
        pdf.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Comptoir A" in text and "Carrefour alimentaire" in text
        assert "LAIT-2026-11" in text and "MOI-DRY-77" in text
        for line in mine.lines.all():
            assert str(line.lot_id) in text


def test_pdf_without_weasyprint_says_what_to_install(client, hub, dispatched, org_a, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails like without libpango
    mine = _mine(org_a)
    response = _login(client, hub["user"]).get(
        reverse("logistics:delivery_note_pdf", args=[mine.pk])
    )
    assert response.status_code == 503
    assert "libpango" in response.text and "apt-get install libpango-1.0-0" in response.text


def test_dispatch_refused_when_a_reserved_lot_was_blocked(client, hub, allocated_day):
    from cordee.logistics.services.recalls import lot_recall_block

    lot = allocated_day.allocation_lines.first().lot
    lot_recall_block(actor=hub["user"], lots=[lot], reason="Avis de rappel ACIA")
    client = _login(client, hub["user"])
    page = client.get(reverse("logistics:delivery_day_detail", args=[allocated_day.pk]))
    assert reverse("logistics:delivery_day_dispatch", args=[allocated_day.pk]) not in page.text
    client.post(reverse("logistics:delivery_day_dispatch", args=[allocated_day.pk]))
    allocated_day.refresh_from_db()
    assert allocated_day.status == DeliveryDay.Status.ALLOCATED
    assert not Delivery.objects.exists()


# Receipt by the member ---------------------------------------------------------------


def test_member_lists_deliveries_on_their_way(client_a, dispatched, org_a):
    mine = _mine(org_a)
    page = client_a.get(reverse("logistics:delivery_list"))
    assert page.status_code == 200
    assert reverse("logistics:delivery_receive", args=[mine.pk]) in page.text
    assert "Cuisine collective C" not in page.text


def test_received_in_full_in_one_tap(client_a, dispatched, org_a):
    mine = _mine(org_a)
    url = reverse("logistics:delivery_receive", args=[mine.pk])
    page = client_a.get(url)
    assert page.status_code == 200
    assert 'value="40"' in page.text or 'value="40,000"' in page.text or "40" in page.text
    response = client_a.post(url, {"in_full": "1"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Delivery.Status.RECEIVED
    site = org_a.sites.get()
    held = StockBalance.objects.filter(site=site).values_list("quantity_g", flat=True)
    assert sum(held) == 50_000
    # Confirming again does nothing more.
    client_a.post(url, {"in_full": "1"})
    assert sum(StockBalance.objects.filter(site=site).values_list("quantity_g", flat=True)) == (
        50_000
    )
    listing = client_a.get(reverse("logistics:delivery_list"))
    assert reverse("logistics:delivery_detail", args=[mine.pk]) in listing.text


def _confirm_data(delivery, **overrides):
    data = {}
    for line in delivery.lines.all():
        data[f"received_{line.pk}"] = f"{line.shipped_g / 1000:.1f}".replace(".", ",")
        data[f"temperature_{line.pk}"] = ""
    data.update(overrides)
    return data


def test_received_with_differences_needs_a_note(client_a, dispatched, org_a, catalogue_a):
    mine = _mine(org_a)
    dairy = mine.lines.get(lot__category=catalogue_a["Produits laitiers"])
    url = reverse("logistics:delivery_receive", args=[mine.pk])
    data = _confirm_data(mine, **{f"received_{dairy.pk}": "8,5", f"temperature_{dairy.pk}": "3,5"})
    page = client_a.post(url, data)
    assert page.status_code == 200
    assert 'aria-invalid="true"' in page.text
    mine.refresh_from_db()
    assert mine.status == Delivery.Status.IN_TRANSIT

    data["note"] = "Un carton de lait écrasé"
    assert client_a.post(url, data).status_code == 302
    mine.refresh_from_db()
    dairy.refresh_from_db()
    assert mine.status == Delivery.Status.PARTIAL
    assert mine.receipt_note == "Un carton de lait écrasé"
    assert dairy.received_g == 8_500 and dairy.temperature_c == Decimal("3.5")
    assert StockMovement.objects.filter(kind="delivery_in", site=org_a.sites.get()).count() == 2
    note = client_a.get(reverse("logistics:delivery_detail", args=[mine.pk]))
    assert "Un carton de lait écrasé" in note.text and "8,5\xa0kg" in note.text


def test_more_than_was_sent_is_refused(client_a, dispatched, org_a):
    mine = _mine(org_a)
    line = mine.lines.first()
    url = reverse("logistics:delivery_receive", args=[mine.pk])
    page = client_a.post(url, _confirm_data(mine, **{f"received_{line.pk}": "999", "note": "x"}))
    assert page.status_code == 200
    mine.refresh_from_db()
    assert mine.status == Delivery.Status.IN_TRANSIT


# Tenancy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["delivery_detail", "delivery_note_print", "delivery_note_pdf", "delivery_receive"]
)
def test_another_member_cannot_open_my_delivery(client, dispatched, org_a, member_b, name):
    mine = _mine(org_a)
    client = _login(client, member_b["user"])
    assert client.get(reverse(f"logistics:{name}", args=[mine.pk])).status_code == 404
    assert (
        client.post(
            reverse("logistics:delivery_receive", args=[mine.pk]), {"in_full": "1"}
        ).status_code
        == 404
    )
    mine.refresh_from_db()
    assert mine.status == Delivery.Status.IN_TRANSIT


@pytest.mark.parametrize(
    "name", ["delivery_detail", "delivery_note_print", "delivery_note_pdf", "delivery_receive"]
)
def test_another_network_gets_404(client_b, dispatched, org_a, name):
    mine = _mine(org_a)
    assert client_b.get(reverse(f"logistics:{name}", args=[mine.pk])).status_code == 404


def test_lists_do_not_leak(client, client_b, dispatched, org_a, member_b):
    listing = client_b.get(reverse("logistics:delivery_list"))
    assert listing.status_code == 200
    assert "Comptoir A" not in listing.text and "Carrefour" not in listing.text
    assert (
        client_b.get(reverse("logistics:delivery_day_detail", args=[dispatched.pk])).status_code
        == 404
    )
    other = _login(client, member_b["user"]).get(reverse("logistics:delivery_list"))
    assert reverse("logistics:delivery_detail", args=[_mine(org_a).pk]) not in other.text
    assert reverse("logistics:delivery_detail", args=[_mine(member_b["org"]).pk]) in other.text


def test_the_hub_sees_the_note_but_does_not_confirm_for_the_member(client, hub, dispatched, org_a):
    mine = _mine(org_a)
    client = _login(client, hub["user"])
    assert client.get(reverse("logistics:delivery_detail", args=[mine.pk])).status_code == 200
    assert (
        client.post(
            reverse("logistics:delivery_receive", args=[mine.pk]), {"in_full": "1"}
        ).status_code
        == 404
    )


# Counter distributions ----------------------------------------------------------------


@pytest.fixture
def stock_a(admin_a, site_a, catalogue_a):
    reception_record(
        actor=admin_a,
        site=site_a,
        source="donation",
        received_on=timezone.localdate(),
        lines=[ReceptionLine(category=catalogue_a["Épicerie sèche"], weight_g=50_000)],
    )


def test_record_a_counter_distribution(client_a, stock_a, site_a, catalogue_a):
    dry = catalogue_a["Épicerie sèche"]
    page = client_a.get(reverse("logistics:distribution_create"))
    assert page.status_code == 200 and f'name="kg_{dry.pk}"' in page.text
    response = client_a.post(
        reverse("logistics:distribution_create"),
        {
            "site": site_a.pk,
            "distributed_on": timezone.localdate().isoformat(),
            "baskets": "42",
            f"kg_{dry.pk}": "20,5",
        },
    )
    assert response.status_code == 302
    distribution = CounterDistribution.objects.get()
    assert distribution.baskets == 42
    out = StockMovement.objects.filter(kind="distribution").values_list("quantity_g", flat=True)
    assert sum(out) == -20_500
    listing = client_a.get(reverse("logistics:distribution_list"))
    assert "42" in listing.text and "20,5\xa0kg" in listing.text


def test_distribution_beyond_the_stock_is_refused(client_a, stock_a, site_a, catalogue_a):
    dry = catalogue_a["Épicerie sèche"]
    page = client_a.post(
        reverse("logistics:distribution_create"),
        {
            "site": site_a.pk,
            "distributed_on": timezone.localdate().isoformat(),
            "baskets": "3",
            f"kg_{dry.pk}": "999",
        },
    )
    assert page.status_code == 200
    assert not CounterDistribution.objects.exists()
    assert not StockMovement.objects.filter(kind="distribution").exists()


def test_distributions_stay_in_their_organisation(client_a, client_b, stock_a, site_a, admin_b):
    CounterDistribution.objects.create(
        organisation=site_a.organisation,
        site=site_a,
        distributed_on=timezone.localdate(),
        baskets=77,
    )
    client_b.force_login(admin_b)
    listing = client_b.get(reverse("logistics:distribution_list"))
    assert "Local du comptoir A" not in listing.text and "77" not in listing.text
    response = client_b.post(
        reverse("logistics:distribution_create"),
        {"site": site_a.pk, "distributed_on": timezone.localdate().isoformat(), "baskets": "5"},
    )
    assert response.status_code == 200  # not a site of theirs: the form refuses it
    assert CounterDistribution.objects.count() == 1

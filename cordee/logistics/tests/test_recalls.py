"""Recalls: find lots by supplier lot number, by kind of food and dates, or by reception;
see every organisation and site that got some; print the list; block the lots — after
which they are left out of FEFO picking and of a new allocation."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import AuditEvent, Organisation, Role
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.models import AllocationLine, Lot, Reception
from cordee.logistics.selectors.recalls import recall_lot_search, recall_trace
from cordee.logistics.selectors.stock import lots_fefo
from cordee.logistics.services.deliveries import delivery_confirm, delivery_day_dispatch
from cordee.logistics.services.orders import delivery_day_allocate, delivery_day_open, order_save
from cordee.logistics.services.recalls import lot_recall_block
from cordee.logistics.services.receptions import ReceptionLine, reception_record


@pytest.fixture
def hub(org_a):
    hub = OrganisationFactory(name="Carrefour alimentaire", kind=Organisation.Kind.HUB)
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=hub)
    coordinator = UserFactory(email="coord-hub@example.org")
    MembershipFactory(user=coordinator, organisation=hub, role=Role.COORDINATOR)
    site = SiteFactory(organisation=hub, name="Entrepôt régional", kind="warehouse")
    return {"org": hub, "site": site, "user": coordinator}


@pytest.fixture
def traced(hub, admin_a, org_a, catalogue_a):
    """Two receptions at the hub; some of the dairy lot delivered to Comptoir A."""
    org_a.contact_email = "info@comptoir-a.example.org"
    org_a.contact_phone = "819 555-0142"
    org_a.save()
    today = timezone.localdate()
    dairy, dry = catalogue_a["Produits laitiers"], catalogue_a["Épicerie sèche"]
    old = reception_record(
        actor=hub["user"],
        site=hub["site"],
        source="food_bank",
        received_on=today - timedelta(days=20),
        lines=[ReceptionLine(category=dry, weight_g=10_000, supplier_lot_code="PATES-01")],
    )
    recent = reception_record(
        actor=hub["user"],
        site=hub["site"],
        source="food_bank",
        received_on=today - timedelta(days=2),
        lines=[
            ReceptionLine(
                category=dairy,
                weight_g=30_000,
                temperature_c=Decimal(3),
                best_before=today + timedelta(days=8),
                supplier_lot_code="YOG-4471-B",
            ),
            ReceptionLine(category=dry, weight_g=20_000, supplier_lot_code="RIZ-88"),
        ],
    )
    day = delivery_day_open(actor=hub["user"], site=hub["site"], delivers_on=today, policy="equal")
    order_save(
        actor=admin_a,
        delivery_day=day,
        organisation=org_a,
        site=org_a.sites.get(),
        requested_g={dairy: 12_000},
    )
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    [delivery] = delivery_day_dispatch(actor=hub["user"], delivery_day=day)
    delivery_confirm(actor=admin_a, delivery=delivery, received_g={})
    return {
        "old": old,
        "recent": recent,
        "yogurt": Lot.objects.get(supplier_lot_code="YOG-4471-B"),
        "rice": Lot.objects.get(supplier_lot_code="RIZ-88"),
        "pasta": Lot.objects.get(supplier_lot_code="PATES-01"),
    }


def _hub_client(client, hub):
    client.force_login(hub["user"])
    return client


def test_search_by_supplier_lot_number_shows_who_got_it(client, hub, traced, org_a):
    client = _hub_client(client, hub)
    page = client.get(reverse("logistics:recall_search"), {"supplier_lot_code": "4471"})
    assert page.status_code == 200
    text = page.text
    assert "YOG-4471-B" in text and "RIZ-88" not in text
    assert "Comptoir A" in text and "Local du comptoir A" in text
    assert "info@comptoir-a.example.org" in text and "819 555-0142" in text
    assert "12\xa0kg" in text  # what went to Comptoir A
    assert "Entrepôt régional" in text  # and what is left at the hub


def test_trace_lists_receptions_deliveries_and_what_is_left(hub, traced, org_a):
    [trace] = recall_trace(lots=[traced["yogurt"]])
    by_org = {h.organisation.pk: h for h in trace.holders}
    assert by_org[hub["org"].pk].is_owner and by_org[hub["org"].pk].left_g == 18_000
    member = by_org[org_a.pk]
    assert member.quantity_g == 12_000 and member.received_g == 12_000
    assert member.left_g == 12_000
    assert trace.sent_out_g == 12_000 and trace.left_g == 30_000


def test_search_by_category_and_dates_and_by_reception(hub, traced, catalogue_a):
    today = timezone.localdate()
    dry = catalogue_a["Épicerie sèche"]
    found = recall_lot_search(
        org=hub["org"], category=dry, received_from=today - timedelta(days=5), received_to=today
    )
    assert list(found) == [traced["rice"]]
    found = recall_lot_search(org=hub["org"], category=dry)
    assert set(found) == {traced["rice"], traced["pasta"]}
    found = recall_lot_search(org=hub["org"], reception=traced["old"])
    assert list(found) == [traced["pasta"]]
    assert not recall_lot_search(org=hub["org"]).exists()  # no criterion: nothing


def test_search_form_by_category_and_dates(client, hub, traced, catalogue_a):
    today = timezone.localdate()
    page = _hub_client(client, hub).get(
        reverse("logistics:recall_search"),
        {
            "category": catalogue_a["Épicerie sèche"].pk,
            "received_from": (today - timedelta(days=30)).isoformat(),
            "received_to": (today - timedelta(days=10)).isoformat(),
        },
    )
    assert "PATES-01" in page.text and "RIZ-88" not in page.text
    empty = client.get(reverse("logistics:recall_search"), {"supplier_lot_code": ""})
    assert empty.status_code == 200 and 'role="alert"' in empty.text


def test_print_page_and_pdf(client, hub, traced, tmp_path):
    client = _hub_client(client, hub)
    query = {"supplier_lot_code": "YOG"}
    page = client.get(reverse("logistics:recall_print"), query)
    assert page.status_code == 200
    assert "YOG-4471-B" in page.text and "Comptoir A" in page.text
    response = client.get(reverse("logistics:recall_pdf"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        pdf = tmp_path / "rappel.pdf"
        pdf.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "YOG-4471-B" in text and "Comptoir A" in text


def test_block_the_lots(client, hub, traced, org_a, admin_a, catalogue_a):
    yogurt = traced["yogurt"]
    client = _hub_client(client, hub)
    response = client.post(
        reverse("logistics:recall_block"),
        {"lots": [yogurt.pk], "reason": "Avis de rappel ACIA du 27 nov.", "query": "x=1"},
    )
    assert response.status_code == 302
    yogurt.refresh_from_db()
    assert yogurt.blocked_at is not None
    assert "Avis de rappel ACIA" in yogurt.decision_reason
    assert AuditEvent.objects.filter(action="lot.recall_block", object_id=str(yogurt.pk)).exists()
    dairy = catalogue_a["Produits laitiers"]
    # Out of FEFO picking, at the hub and at the member who has some.
    assert not lots_fefo(org=hub["org"], site=hub["site"], category=dairy)
    assert not lots_fefo(org=org_a, site=org_a.sites.get(), category=dairy)
    # And out of a new allocation.
    day = delivery_day_open(
        actor=hub["user"],
        site=hub["site"],
        delivers_on=timezone.localdate() + timedelta(days=3),
    )
    order_save(
        actor=admin_a,
        delivery_day=day,
        organisation=org_a,
        site=org_a.sites.get(),
        requested_g={dairy: 5_000},
    )
    delivery_day_allocate(actor=hub["user"], delivery_day=day)
    assert not AllocationLine.objects.filter(delivery_day=day, lot=yogurt).exists()
    page = client.get(reverse("logistics:recall_search"), {"supplier_lot_code": "YOG"})
    assert reverse("logistics:recall_block") not in page.text  # nothing left to block


def test_block_needs_a_reason(client, hub, traced):
    yogurt = traced["yogurt"]
    _hub_client(client, hub).post(reverse("logistics:recall_block"), {"lots": [yogurt.pk]})
    yogurt.refresh_from_db()
    assert yogurt.blocked_at is None


def test_only_the_owner_searches_and_blocks(client, hub, traced, org_a, admin_a):
    yogurt = traced["yogurt"]
    # Comptoir A holds some of the lot but did not receive it: not its lot to recall.
    client.force_login(admin_a)
    page = client.get(reverse("logistics:recall_search"), {"supplier_lot_code": "YOG"})
    assert page.status_code == 200 and "YOG-4471-B" not in page.text
    pdf = client.get(reverse("logistics:recall_print"), {"supplier_lot_code": "YOG"})
    assert "YOG-4471-B" not in pdf.text
    client.post(reverse("logistics:recall_block"), {"lots": [yogurt.pk], "reason": "test"})
    yogurt.refresh_from_db()
    assert yogurt.blocked_at is None
    with pytest.raises(PermissionDenied):
        lot_recall_block(actor=admin_a, lots=[yogurt], reason="test")


def test_another_network_sees_nothing(client_b, traced, org_b):
    page = client_b.get(reverse("logistics:recall_search"), {"supplier_lot_code": "YOG"})
    assert page.status_code == 200 and "YOG-4471-B" not in page.text
    assert "Comptoir A" not in page.text
    reception = client_b.get(reverse("logistics:recall_search"), {"reception": traced["old"].pk})
    assert "PATES-01" not in reception.text  # not one of their receptions: refused
    assert Reception.objects.filter(organisation=org_b).count() == 0


def test_volunteers_do_not_run_recalls(client, hub, traced):
    volunteer = UserFactory()
    MembershipFactory(user=volunteer, organisation=hub["org"], role=Role.VOLUNTEER)
    client.force_login(volunteer)
    assert client.get(reverse("logistics:recall_search")).status_code == 403
    assert client.post(reverse("logistics:recall_block"), {}).status_code == 403

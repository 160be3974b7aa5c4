"""Supermarket recovery: partner stores, schedule, the driver's pickup screen, reports."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cordee.core.models import AuditEvent, Organisation, Role
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    SiteFactory,
    UserFactory,
)
from cordee.logistics.demo_recovery import recovery_demo_load
from cordee.logistics.forms_recovery import PickupForm
from cordee.logistics.models import (
    Lot,
    NothingReason,
    PartnerStore,
    Pickup,
    PickupStatus,
    Reception,
    StockBalance,
    StockMovement,
)
from cordee.logistics.selectors.recovery import (
    pickup_missed_list,
    recovery_by_store_month,
    recovery_categories,
)
from cordee.logistics.services.receptions import ReceptionLine
from cordee.logistics.services.recovery import (
    partner_store_create,
    partner_store_update,
    pickup_nothing_today,
    pickup_record,
    pickup_slot_add,
    pickup_slot_remove,
    pickups_mark_missed,
    pickups_schedule,
)

TODAY = timezone.localdate


def _english(client):
    client.cookies["cordee_language"] = "en"
    return client


@pytest.fixture
def store(org_a):
    store = OrganisationFactory(
        name="Marché Test", kind=Organisation.Kind.STORE, contact_phone="819-555-0199"
    )
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=store)
    SiteFactory(organisation=store, name="Marché Test", kind="store", address="1, rue Principale")
    return store


@pytest.fixture
def driver(hub):
    user = UserFactory(full_name="Réjean Chauffeur")
    MembershipFactory(user=user, organisation=hub["org"], role=Role.DRIVER)
    return user


@pytest.fixture
def partner(hub, store, catalogue_a):
    return partner_store_create(
        actor=hub["user"],
        hub=hub["org"],
        store=store,
        destination=hub["site"],
        site=store.sites.get(),
        chain="Indépendant",
        typical_g=120_000,
    )


@pytest.fixture
def slot(hub, partner):
    weekday = TODAY().weekday()
    return pickup_slot_add(
        actor=hub["user"], partner=partner, weekday=weekday, starts_at=time(9), ends_at=time(10)
    )


@pytest.fixture
def today_pickup(slot):
    return Pickup.objects.get(slot=slot, scheduled_on=TODAY())


def _pickup_on(partner, day, status=PickupStatus.PLANNED, **extra):
    return Pickup.objects.create(
        organisation=partner.hub, store=partner, scheduled_on=day, status=status, **extra
    )


# --- services ---------------------------------------------------------------------------


def test_partner_create_checks_and_audits(hub, store, partner):
    assert partner.address.startswith("1, rue Principale")
    assert AuditEvent.objects.filter(action="partner_store.create", object_id=partner.pk).exists()
    with pytest.raises(ValidationError):  # twice the same store
        partner_store_create(
            actor=hub["user"], hub=hub["org"], store=store, destination=hub["site"]
        )
    not_a_store = OrganisationFactory(kind=Organisation.Kind.FOOD_COUNTER)
    with pytest.raises(ValidationError) as error:
        partner_store_create(
            actor=hub["user"], hub=hub["org"], store=not_a_store, destination=store.sites.get()
        )
    assert set(error.value.message_dict) == {"store", "destination"}


def test_partner_create_needs_a_manager(hub, store, driver):
    with pytest.raises(PermissionDenied):
        partner_store_create(actor=driver, hub=hub["org"], store=store, destination=hub["site"])


def test_slot_plans_two_weeks_and_schedule_is_idempotent(hub, partner, slot):
    planned = Pickup.objects.filter(slot=slot)
    assert planned.count() == 2  # today and a week later
    start, end = TODAY(), TODAY() + timedelta(days=27)
    added = pickups_schedule(actor=hub["user"], org=hub["org"], start=start, end=end)
    assert added == 2
    assert pickups_schedule(actor=hub["user"], org=hub["org"], start=start, end=end) == 0
    assert planned.count() == 4
    with pytest.raises(ValidationError):
        pickups_schedule(actor=hub["user"], org=hub["org"], start=end, end=start)


def test_slot_rules(hub, partner, slot):
    with pytest.raises(ValidationError):
        pickup_slot_add(
            actor=hub["user"], partner=partner, weekday=1, starts_at=time(10), ends_at=time(9)
        )
    with pytest.raises(ValidationError):  # same day and time twice
        pickup_slot_add(
            actor=hub["user"],
            partner=partner,
            weekday=slot.weekday,
            starts_at=time(9),
            ends_at=time(11),
        )


def test_slot_remove_keeps_recorded_pickups(hub, partner, slot, today_pickup, driver):
    pickup_nothing_today(actor=driver, pickup=today_pickup, reason=NothingReason.CLOSED)
    pickup_slot_remove(actor=hub["user"], slot=slot)
    assert list(Pickup.objects.filter(store=partner)) == [today_pickup]
    today_pickup.refresh_from_db()
    assert today_pickup.slot is None and today_pickup.status == PickupStatus.NOTHING_TODAY


def test_inactive_store_loses_future_planned_pickups(hub, partner, slot):
    partner_store_update(actor=hub["user"], partner=partner, changes={"is_active": False})
    assert not Pickup.objects.filter(store=partner, status=PickupStatus.PLANNED).exists()
    assert (
        pickups_schedule(
            actor=hub["user"], org=hub["org"], start=TODAY(), end=TODAY() + timedelta(days=7)
        )
        == 0
    )


def test_record_makes_a_recovery_reception_with_lots_and_ledger(
    partner, today_pickup, driver, catalogue_a
):
    lines = [
        ReceptionLine(category=catalogue_a["Boulangerie"], weight_g=12_500),
        ReceptionLine(
            category=catalogue_a["Produits laitiers"],
            weight_g=8_000,
            temperature_c=Decimal("3.5"),
        ),
    ]
    pickup = pickup_record(actor=driver, pickup=today_pickup, lines=lines)
    assert pickup.status == PickupStatus.DONE and pickup.driver == driver
    reception = pickup.reception
    assert reception.source == Reception.Source.RECOVERY
    assert reception.supplier == partner.store and reception.site == partner.destination
    assert sorted(reception.lots.values_list("received_g", flat=True)) == [8_000, 12_500]
    assert StockMovement.objects.filter(lot__reception=reception).count() == 2
    assert (
        sum(
            StockBalance.objects.filter(site=partner.destination).values_list(
                "quantity_g", flat=True
            )
        )
        == 20_500
    )
    assert AuditEvent.objects.filter(action="pickup.record", object_id=pickup.pk).exists()
    with pytest.raises(ValidationError):  # twice
        pickup_record(actor=driver, pickup=today_pickup, lines=lines)


def test_record_too_warm_discarded_goes_to_losses(today_pickup, driver, catalogue_a):
    line = ReceptionLine(
        category=catalogue_a["Viande"],
        weight_g=5_000,
        temperature_c=Decimal("-5"),
        decision=Lot.Decision.DISCARDED,
        decision_reason="Décongelé",
    )
    pickup = pickup_record(actor=driver, pickup=today_pickup, lines=[line])
    lot = pickup.reception.lots.get()
    assert lot.decision == Lot.Decision.DISCARDED
    assert lot.movements.filter(kind=StockMovement.Kind.LOSS, quantity_g=-5_000).exists()


def test_record_bad_line_writes_nothing(today_pickup, driver, catalogue_a):
    line = ReceptionLine(category=catalogue_a["Produits laitiers"], weight_g=5_000)  # no °C
    with pytest.raises(ValidationError):
        pickup_record(actor=driver, pickup=today_pickup, lines=[line])
    today_pickup.refresh_from_db()
    assert today_pickup.status == PickupStatus.PLANNED
    assert not Reception.objects.exists()


def test_future_pickup_cannot_be_recorded(partner, driver, catalogue_a):
    pickup = _pickup_on(partner, TODAY() + timedelta(days=1))
    line = ReceptionLine(category=catalogue_a["Boulangerie"], weight_g=1_000)
    with pytest.raises(ValidationError):
        pickup_record(actor=driver, pickup=pickup, lines=[line])


def test_nothing_today_needs_a_reason(today_pickup, driver):
    with pytest.raises(ValidationError):
        pickup_nothing_today(actor=driver, pickup=today_pickup, reason="")
    with pytest.raises(ValidationError):
        pickup_nothing_today(actor=driver, pickup=today_pickup, reason=NothingReason.OTHER)
    pickup = pickup_nothing_today(
        actor=driver, pickup=today_pickup, reason=NothingReason.OTHER, note="Inventaire"
    )
    assert pickup.status == PickupStatus.NOTHING_TODAY and pickup.reason_note == "Inventaire"
    assert AuditEvent.objects.filter(action="pickup.nothing_today").exists()


def test_other_organisation_cannot_record(today_pickup, admin_b, catalogue_a):
    line = ReceptionLine(category=catalogue_a["Boulangerie"], weight_g=1_000)
    with pytest.raises(PermissionDenied):
        pickup_record(actor=admin_b, pickup=today_pickup, lines=[line])
    with pytest.raises(PermissionDenied):
        pickup_nothing_today(actor=admin_b, pickup=today_pickup, reason=NothingReason.CLOSED)


# --- selectors --------------------------------------------------------------------------


def test_missed_is_derived_then_stored(hub, partner):
    past = _pickup_on(partner, TODAY() - timedelta(days=3))
    _pickup_on(partner, TODAY() - timedelta(days=4), PickupStatus.NOTHING_TODAY, reason="closed")
    assert pickup_missed_list(org=hub["org"], today=TODAY()) == [past]
    assert pickups_mark_missed(actor=hub["user"], org=hub["org"]) == 1
    past.refresh_from_db()
    assert past.status == PickupStatus.MISSED
    assert pickup_missed_list(org=hub["org"], today=TODAY()) == [past]


def test_kg_per_store_per_month(hub, partner, driver, catalogue_a, org_a):
    last_month = TODAY().replace(day=1) - timedelta(days=1)
    pickup = _pickup_on(partner, last_month)
    pickup_record(
        actor=driver,
        pickup=pickup,
        lines=[ReceptionLine(category=catalogue_a["Boulangerie"], weight_g=40_000)],
    )
    _pickup_on(partner, TODAY().replace(day=1) - timedelta(days=2))  # missed
    table = recovery_by_store_month(org=hub["org"], today=TODAY())
    assert len(table.months) == 12 and table.months[-1] == TODAY().replace(day=1)
    (row,) = table.rows
    assert row.name == partner.store.name and row.partner_id == partner.pk
    assert row.grams[-2] == 40_000 and row.total_g == 40_000
    assert row.missed == 1 and row.done == 1
    # Another organisation's table is empty.
    assert recovery_by_store_month(org=org_a, today=TODAY()).rows == []


def test_recovery_categories_leave_out_formula_and_non_food(org_a, catalogue_a):
    names = set(recovery_categories(org=org_a).values_list("name", flat=True))
    assert "Préparations pour nourrissons" not in names
    assert "Produits d'hygiène / non alimentaire" not in names
    assert {"Boulangerie", "Viande", "Produits laitiers"} <= names


# --- views ------------------------------------------------------------------------------


def _post_weights(client, pickup, data):
    return client.post(reverse("logistics:recovery_pickup", args=[pickup.pk]), data)


def test_driver_phone_screen_records_weights(client, driver, today_pickup, catalogue_a):
    client.force_login(driver)
    response = _english(client).get(reverse("logistics:recovery_today"))
    assert response.status_code == 200
    assert reverse("logistics:recovery_pickup", args=[today_pickup.pk]) in response.text
    page = client.get(reverse("logistics:recovery_pickup", args=[today_pickup.pk]))
    assert "Nothing today" in page.text and "Temperature of Produits laitiers" in page.text
    bakery, dairy = catalogue_a["Boulangerie"], catalogue_a["Produits laitiers"]
    response = _post_weights(
        client, today_pickup, {f"kg_{bakery.pk}": "12,5", f"kg_{dairy.pk}": "8"}
    )
    assert response.status_code == 400
    assert "take its temperature" in response.text
    assert not Reception.objects.exists()
    response = _post_weights(
        client,
        today_pickup,
        {f"kg_{bakery.pk}": "12,5", f"kg_{dairy.pk}": "8", f"temp_{dairy.pk}": "3,5"},
    )
    assert response.status_code == 302
    today_pickup.refresh_from_db()
    assert today_pickup.status == PickupStatus.DONE
    assert sorted(today_pickup.reception.lots.values_list("received_g", flat=True)) == [
        8_000,
        12_500,
    ]


def test_too_warm_asks_for_a_decision(client, driver, today_pickup, catalogue_a):
    client.force_login(driver)
    dairy = catalogue_a["Produits laitiers"]
    data = {f"kg_{dairy.pk}": "8", f"temp_{dairy.pk}": "9"}
    response = _post_weights(_english(client), today_pickup, data)
    assert response.status_code == 400
    assert "Too warm" in response.text and f'name="decision_{dairy.pk}"' in response.text
    data |= {f"decision_{dairy.pk}": "quarantined", f"reason_{dairy.pk}": "Vérifier"}
    assert _post_weights(client, today_pickup, data).status_code == 302
    lot = Lot.objects.get()
    assert lot.decision == Lot.Decision.QUARANTINED and lot.temperature_c == Decimal("9")


def test_empty_pickup_form_says_what_to_do(client, driver, today_pickup):
    client.force_login(driver)
    response = _post_weights(_english(client), today_pickup, {})
    assert response.status_code == 400 and "Nothing today" in response.text
    assert not Reception.objects.exists()


def test_nothing_today_view(client, driver, today_pickup):
    client.force_login(driver)
    url = reverse("logistics:recovery_pickup_nothing", args=[today_pickup.pk])
    response = _english(client).post(url, {"reason": ""})
    assert response.status_code == 400 and "Choose why there was nothing" in response.text
    assert client.post(url, {"reason": "not_ready"}).status_code == 302
    today_pickup.refresh_from_db()
    assert today_pickup.status == PickupStatus.NOTHING_TODAY
    page = client.get(reverse("logistics:recovery_pickup", args=[today_pickup.pk]))
    assert "Not ready when we came" in page.text


def test_overview_and_csv(client, hub, partner, slot):
    client.force_login(hub["user"])
    response = _english(client).get(reverse("logistics:recovery"))
    assert response.status_code == 200
    assert partner.store.name in response.text and "Kg recovered per store" in response.text
    csv = client.get(reverse("logistics:recovery") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert partner.store.name in csv.content.decode()
    assert client.get(reverse("logistics:recovery") + "?semaine=nonsense").status_code == 200


def test_store_screens(client, hub, store, catalogue_a):
    client.force_login(hub["user"])
    _english(client)
    create = reverse("logistics:recovery_store_create")
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {
            "store": store.pk,
            "destination": hub["site"].pk,
            "contact_name": "Julie",
            "typical_kg": "130,5",
        },
    )
    partner = PartnerStore.objects.get()
    assert response.status_code == 302 and partner.typical_g == 130_500
    assert partner.site == store.sites.get()  # the store's address by default
    add = reverse("logistics:recovery_slot_add", args=[partner.pk])
    bad = client.post(add, {"weekday": "1", "starts_at": "10:00", "ends_at": "09:00"})
    assert bad.status_code == 400 and "The end must come after the start" in bad.text
    assert (
        client.post(add, {"weekday": "1", "starts_at": "09:00", "ends_at": "10:00"}).status_code
        == 302
    )
    slot = partner.slots.get()
    detail = client.get(reverse("logistics:recovery_store", args=[partner.pk]))
    assert "Julie" in detail.text
    edit = reverse("logistics:recovery_store_edit", args=[partner.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"destination": hub["site"].pk, "chain": "Coop", "typical_kg": "100"})
    partner.refresh_from_db()
    assert partner.chain == "Coop" and partner.typical_g == 100_000 and not partner.is_active
    client.post(reverse("logistics:recovery_slot_remove", args=[partner.pk, slot.pk]))
    assert not partner.slots.exists()
    assert client.get(reverse("logistics:recovery_stores")).status_code == 200


def test_driver_cannot_manage_stores(client, driver, partner):
    client.force_login(driver)
    assert client.get(reverse("logistics:recovery_store_create")).status_code == 403
    add = reverse("logistics:recovery_slot_add", args=[partner.pk])
    assert (
        client.post(add, {"weekday": "1", "starts_at": "09:00", "ends_at": "10:00"}).status_code
        == 403
    )


def test_other_organisation_gets_404(client_b, partner, slot, today_pickup):
    for name, args in (
        ("recovery_pickup", [today_pickup.pk]),
        ("recovery_store", [partner.pk]),
        ("recovery_store_edit", [partner.pk]),
    ):
        assert client_b.get(reverse(f"logistics:{name}", args=args)).status_code == 404
    nothing = reverse("logistics:recovery_pickup_nothing", args=[today_pickup.pk])
    assert client_b.post(nothing, {"reason": "closed"}).status_code == 404
    remove = reverse("logistics:recovery_slot_remove", args=[partner.pk, slot.pk])
    assert client_b.post(remove).status_code == 404
    for name in ("recovery", "recovery_today", "recovery_stores"):
        response = client_b.get(reverse(f"logistics:{name}"))
        assert response.status_code == 200 and partner.store.name not in response.text
    csv = client_b.get(reverse("logistics:recovery") + "?format=csv").content.decode()
    assert partner.store.name not in csv
    today_pickup.refresh_from_db()
    assert today_pickup.status == PickupStatus.PLANNED


# --- the form, fuzzed -------------------------------------------------------------------

TYPED = st.one_of(
    st.sampled_from(["", "0", "12,5", "1 250", "-3", "abc", "1e9", "NaN", "∞", "3,5 kg", "−18"]),
    st.text(max_size=12),
)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(weight=TYPED, temperature=TYPED, decision=st.sampled_from(["", "accepted", "x"]))
def test_pickup_form_never_crashes(org_a, catalogue_a, weight, temperature, decision):
    dairy = catalogue_a["Produits laitiers"]
    data = {
        f"kg_{dairy.pk}": weight,
        f"temp_{dairy.pk}": temperature,
        f"decision_{dairy.pk}": decision,
        f"reason_{dairy.pk}": "x",
    }
    form = PickupForm(data, org=org_a, categories=recovery_categories(org=org_a))
    if form.is_valid():
        (line,) = form.lines()
        assert line.weight_g > 0 and line.temperature_c is not None
    else:
        assert form.errors
    form.rows()  # the template's view of it works either way


# --- demo -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_links_store_receptions_once():
    from cordee.core.demo.load import demo_load
    from cordee.logistics.demo import logistics_demo_load

    demo_load()
    logistics_demo_load(days=35)
    assert recovery_demo_load() > 0
    recovery = Reception.objects.filter(source=Reception.Source.RECOVERY)
    assert Pickup.objects.filter(status=PickupStatus.DONE).count() == recovery.count()
    assert Pickup.objects.filter(status=PickupStatus.NOTHING_TODAY).exists()
    assert Pickup.objects.filter(status=PickupStatus.MISSED).exists()
    assert Pickup.objects.filter(scheduled_on__gt=TODAY(), status=PickupStatus.PLANNED).exists()
    count = Pickup.objects.count()
    assert recovery_demo_load() == 0 and Pickup.objects.count() == count

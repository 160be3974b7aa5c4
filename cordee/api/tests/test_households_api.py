"""The households API: search, detail (restricted fields), registration, visits, check-in.

World: « Comptoir A » with a coordinator, a volunteer and its admin; « Comptoir B », a stranger.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core.models import AuditEvent, Municipality, Role
from cordee.core.services.tokens import api_token_create
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.households.models import EligibilityRule, Household, HousingType, IncomeSource, Visit
from cordee.households.services.households import household_register
from cordee.households.services.visits import visit_check_in

API = "/api/v1"
JSON = "application/json"


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}


def french(message: str, **params) -> str:
    with translation.override("fr-ca"):
        text = _(message)
    return text % params if params else text


def user_with(org, role):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def town(db):
    return Municipality.objects.get(name="Sainte-Agathe-des-Monts")


@pytest.fixture
def coordinator(org_a):
    return user_with(org_a, Role.COORDINATOR)


@pytest.fixture
def marie(admin_a, org_a, town):
    return household_register(
        actor=admin_a,
        organisation=org_a,
        first_name="Marie",
        last_name="Côté",
        phone="819 555-1234",
        municipality=town,
        people_count=3,
        income_source=IncomeSource.PENSION,
        housing_type=HousingType.RENTAL,
    )


@pytest.fixture
def bruno(admin_b, org_b, town):
    return household_register(
        actor=admin_b, organisation=org_b, first_name="Bruno", last_name="Côté", municipality=town
    )


def url(org, rest: str = "") -> str:
    return f"{API}/organisations/{org.pk}{rest}"


# --- Tenancy -------------------------------------------------------------------------------


def test_every_endpoint_is_404_for_another_organisation(client, org_a, admin_a, admin_b, marie):
    visit = visit_check_in(actor=admin_a, household=marie, organisation=org_a).visit
    auth = bearer(admin_b)
    calls = [
        ("get", url(org_a, "/households")),
        ("get", url(org_a, f"/households/{marie.pk}")),
        ("post", url(org_a, "/households")),
        ("get", url(org_a, f"/households/{marie.pk}/visits")),
        ("post", url(org_a, f"/households/{marie.pk}/visits")),
        ("get", url(org_a, "/visits")),
        ("post", url(org_a, f"/visits/{visit.pk}/undo")),
    ]
    for method, path in calls:
        body = {"first_name": "X", "last_name": "Y"} if path.endswith("/households") else {}
        kwargs = {"data": body, "content_type": JSON} if method == "post" else {}
        response = getattr(client, method)(path, headers=auth, **kwargs)
        assert response.status_code == 404, (method, path, response.content)
    assert Household.objects.filter(organisation=org_a).count() == 1
    assert Visit.objects.get().cancelled_at is None


def test_another_organisations_ids_through_my_organisation_are_404(
    client, org_b, admin_a, admin_b, marie, bruno
):
    """B's caller, in B's paths, asking for A's household or visit: not found either."""
    visit = visit_check_in(actor=admin_a, household=marie, organisation=marie.organisation).visit
    auth = bearer(admin_b)
    for path in (f"/households/{marie.pk}", f"/households/{marie.pk}/visits"):
        assert client.get(url(org_b, path), headers=auth).status_code == 404
    response = client.post(
        url(org_b, f"/households/{marie.pk}/visits"), data={}, content_type=JSON, headers=auth
    )
    assert response.status_code == 404
    response = client.post(url(org_b, f"/visits/{visit.pk}/undo"), headers=auth)
    assert response.status_code == 404
    assert Visit.objects.filter(household=marie).count() == 1


def test_lists_do_not_leak(client, org_b, admin_a, admin_b, marie, bruno):
    visit_check_in(actor=admin_a, household=marie, organisation=marie.organisation)
    visit_check_in(actor=admin_b, household=bruno, organisation=org_b)
    auth = bearer(admin_b)
    listed = client.get(url(org_b, "/households"), headers=auth).json()
    assert [h["id"] for h in listed["items"]] == [bruno.pk]
    searched = client.get(url(org_b, "/households"), {"q": "cote"}, headers=auth).json()
    assert [h["id"] for h in searched["items"]] == [bruno.pk]
    by_phone = client.get(url(org_b, "/households"), {"q": "819 555-1234"}, headers=auth)
    assert by_phone.json()["items"] == []
    visits = client.get(url(org_b, "/visits"), headers=auth).json()
    assert [v["household_id"] for v in visits["items"]] == [bruno.pk]
    assert visits["count"] == 1


# --- Households ----------------------------------------------------------------------------


def test_search_is_tolerant_like_the_counter(client, org_a, volunteer_a, marie):
    auth = bearer(volunteer_a)
    for q in ("cote marie", "Côté", "819-555-1234", str(marie.card_number)):
        found = client.get(url(org_a, "/households"), {"q": q}, headers=auth).json()
        assert [h["id"] for h in found["items"]] == [marie.pk], q
    assert (
        client.get(url(org_a, "/households"), {"q": "Tremblay"}, headers=auth).json()["items"] == []
    )


def test_lists_never_carry_the_restricted_fields(client, org_a, coordinator, marie):
    item = client.get(url(org_a, "/households"), headers=bearer(coordinator)).json()["items"][0]
    assert item["card_number"] == marie.card_number
    assert not {"income_source", "housing_type", "household_type", "sensitive"} & set(item)
    assert not AuditEvent.objects.filter(action="household.sensitive_read").exists()


def test_volunteer_does_not_get_the_restricted_fields(client, org_a, volunteer_a, marie):
    response = client.get(url(org_a, f"/households/{marie.pk}"), headers=bearer(volunteer_a))
    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Marie"
    assert body["sensitive"] is None
    assert "pension" not in response.content.decode()
    assert "rental" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="household.sensitive_read").exists()


def test_coordinator_gets_them_and_the_read_is_audited(client, org_a, coordinator, marie):
    response = client.get(url(org_a, f"/households/{marie.pk}"), headers=bearer(coordinator))
    body = response.json()
    assert body["sensitive"] == {
        "household_type": "",
        "income_source": "pension",
        "housing_type": "rental",
    }
    assert body["eligibility"]["eligible"] is True
    event = AuditEvent.objects.get(action="household.sensitive_read")
    assert event.actor == coordinator
    assert event.organisation == org_a
    assert event.object_id == str(marie.pk)
    assert event.changed_fields == ["household_type", "housing_type", "income_source"]


def test_register_a_household(client, org_a, volunteer_a, town):
    response = client.post(
        url(org_a, "/households"),
        data={
            "first_name": " Jean ",
            "last_name": "Roy",
            "municipality_id": town.pk,
            "people_count": 2,
        },
        content_type=JSON,
        headers=bearer(volunteer_a),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    household = Household.objects.get(pk=body["id"])
    assert (household.first_name, household.organisation, household.people_count) == (
        "Jean",
        org_a,
        2,
    )
    assert body["card_number"] == household.card_number
    assert body["sensitive"] is None
    assert AuditEvent.objects.filter(action="household.register", actor=volunteer_a).exists()


def test_register_refuses_with_french_messages_per_field(client, org_a, admin_a):
    response = client.post(
        url(org_a, "/households"),
        data={"first_name": " ", "last_name": "Roy", "phone": "12", "people_count": 0},
        content_type=JSON,
        headers=bearer(admin_a),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Le ménage n'a pas été inscrit : corrigez les erreurs indiquées."
    # The service stops at the first problem, in French.
    assert body["errors"] == {"first_name": [french("Write the first name.")]}
    assert body["errors"]["first_name"][0] != "Write the first name."
    response = client.post(
        url(org_a, "/households"),
        data={"first_name": "Jean", "last_name": "Roy", "municipality_id": 999999},
        content_type=JSON,
        headers=bearer(admin_a),
    )
    assert response.json()["errors"] == {
        "municipality_id": ["Choisissez une municipalité de la liste."]
    }
    response = client.post(
        url(org_a, "/households"),
        data={"first_name": "Jean", "last_name": "Roy", "people_count": 31},
        content_type=JSON,
        headers=bearer(admin_a),
    )
    assert response.json()["errors"] == {
        "people_count": [french("Write a number of people between 1 and %(n)d.", n=30)]
    }
    assert not Household.objects.exists()


def test_a_volunteer_may_not_write_income(client, org_a, volunteer_a):
    response = client.post(
        url(org_a, "/households"),
        data={"first_name": "Jean", "last_name": "Roy", "income_source": "pension"},
        content_type=JSON,
        headers=bearer(volunteer_a),
    )
    assert response.status_code == 403
    assert not Household.objects.exists()


# --- Visits --------------------------------------------------------------------------------


def test_check_in_records_and_says_eligible(client, org_a, volunteer_a, marie):
    response = client.post(
        url(org_a, f"/households/{marie.pk}/visits"),
        data={"weight_g": 12500},
        content_type=JSON,
        headers=bearer(volunteer_a),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recorded"] is True
    assert body["eligibility"]["eligible"] is True
    assert body["visit"]["people_served"] == 3
    assert body["visit"]["weight_kg"] == 12.5
    visit = Visit.objects.get()
    assert (visit.recorded_by, visit.weight_g) == (volunteer_a, 12500)


def test_check_in_refused_says_why_and_override_needs_the_role(
    client, org_a, volunteer_a, coordinator, marie
):
    EligibilityRule.objects.create(organisation=org_a, min_days_between_visits=7)
    visit_check_in(
        actor=coordinator,
        household=marie,
        organisation=org_a,
        at=timezone.now() - timedelta(days=2),
    )
    path = url(org_a, f"/households/{marie.pk}/visits")
    response = client.post(path, data={}, content_type=JSON, headers=bearer(volunteer_a))
    assert response.status_code == 200
    body = response.json()
    assert body["recorded"] is False and body["visit"] is None
    assert body["eligibility"]["eligible"] is False
    assert body["eligibility"]["message"].startswith(
        french("Last visit %(days)d day ago", days=2)[:14]
    )
    assert body["eligibility"]["next_possible_on"]
    # A volunteer's exception is refused, in French.
    response = client.post(
        path, data={"override_reason": "Urgence"}, content_type=JSON, headers=bearer(volunteer_a)
    )
    assert response.status_code == 403
    assert response.json()["detail"] == french("Only a coordinator can make an exception. Ask one.")
    assert Visit.objects.count() == 1
    # A coordinator's is recorded, with the reason.
    response = client.post(
        path, data={"override_reason": "Urgence"}, content_type=JSON, headers=bearer(coordinator)
    )
    assert response.status_code == 201
    assert response.json()["visit"]["override_reason"] == "Urgence"
    assert AuditEvent.objects.filter(action="visit.override", actor=coordinator).exists()


def test_check_in_validation_in_french(client, org_a, org_b, volunteer_a, marie):
    path = url(org_a, f"/households/{marie.pk}/visits")
    response = client.post(
        path, data={"people_served": 40}, content_type=JSON, headers=bearer(volunteer_a)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "people_served": [french("Write a number of people between 1 and 30.")]
    }
    site_b = org_b.sites.get()
    response = client.post(
        path, data={"site_id": site_b.pk}, content_type=JSON, headers=bearer(volunteer_a)
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"site_id": ["Choisissez un de vos points de service."]}
    assert not Visit.objects.exists()


def test_visit_lists(client, org_a, volunteer_a, marie):
    now = timezone.now()
    old = visit_check_in(
        actor=volunteer_a, household=marie, organisation=org_a, at=now - timedelta(days=10)
    ).visit
    new = visit_check_in(actor=volunteer_a, household=marie, organisation=org_a).visit
    auth = bearer(volunteer_a)
    mine = client.get(url(org_a, f"/households/{marie.pk}/visits"), headers=auth).json()
    assert [v["id"] for v in mine["items"]] == [new.pk, old.pk]
    today = client.get(url(org_a, "/visits"), headers=auth).json()
    assert [v["id"] for v in today["items"]] == [new.pk]
    start = (timezone.localdate() - timedelta(days=12)).isoformat()
    both = client.get(url(org_a, "/visits"), {"date_from": start}, headers=auth).json()
    assert both["count"] == 2  # date_from alone: up to today
    ten_days_ago = (timezone.localdate() - timedelta(days=10)).isoformat()
    that_day = client.get(
        url(org_a, "/visits"), {"date_from": start, "date_to": ten_days_ago}, headers=auth
    ).json()
    assert [v["id"] for v in that_day["items"]] == [old.pk]
    reversed_ = client.get(
        url(org_a, "/visits"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}, headers=auth
    )
    assert reversed_.status_code == 422
    assert reversed_.json()["errors"] == {
        "date_to": ["La date de fin doit venir après la date de début."]
    }


def test_undo_within_five_minutes_only(client, org_a, volunteer_a, marie):
    auth = bearer(volunteer_a)
    recent = visit_check_in(actor=volunteer_a, household=marie, organisation=org_a).visit
    response = client.post(url(org_a, f"/visits/{recent.pk}/undo"), headers=auth)
    assert response.status_code == 200
    assert response.json()["cancelled_at"]
    again = client.post(url(org_a, f"/visits/{recent.pk}/undo"), headers=auth)
    assert again.status_code == 409
    assert again.json()["detail"] == french("This visit was already cancelled.")
    old = visit_check_in(
        actor=volunteer_a,
        household=marie,
        organisation=org_a,
        at=timezone.now() - timedelta(minutes=6),
    ).visit
    late = client.post(url(org_a, f"/visits/{old.pk}/undo"), headers=auth)
    assert late.status_code == 409
    assert late.json()["detail"] == french("Too late to cancel: more than 5 minutes have passed.")
    old.refresh_from_db()
    assert old.cancelled_at is None


def test_openapi_documents_the_households_endpoints(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    prefix = "/api/v1/organisations/{org_id}"
    expected = {
        "/households": {"get", "post"},
        "/households/{household_id}": {"get"},
        "/households/{household_id}/visits": {"get", "post"},
        "/visits": {"get"},
        "/visits/{visit_id}/undo": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[prefix + path]), path

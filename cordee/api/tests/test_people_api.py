"""The people API: volunteers, shifts and sign-ups, hours, shared positions and statements.

World: « Comptoir A » (org_a) with volunteers and a shift; « Comptoir B » (org_b) a stranger
with its own volunteer and shift; a position employed by A and shared by C and D.
"""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cordee.core.models import AuditEvent, Role
from cordee.core.services.tokens import api_token_create
from cordee.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from cordee.people.models import HoursEntry, Shift, ShiftSignup, Volunteer, VolunteerMembership
from cordee.people.services.positions import (
    position_create,
    position_share_set,
    statement_issue,
    timesheet_add,
)

API = "/api/v1"
JSON = "application/json"


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="Tests")
    return {"Authorization": f"Bearer {raw}"}


def user_with(org, role, email=None):
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(user=user, organisation=org, role=role)
    return user


def volunteer_of(org, name, **kwargs) -> Volunteer:
    kwargs.setdefault("phone", "819 555-0100")
    kwargs.setdefault("email", f"{name.split()[0].lower()}@example.org")
    v = Volunteer.objects.create(full_name=name, channel="sms", **kwargs)
    VolunteerMembership.objects.create(volunteer=v, organisation=org)
    return v


def shift_of(org, days=5, needed=1) -> Shift:
    return Shift.objects.create(
        organisation=org,
        site=org.sites.first(),
        title="Ouverture du comptoir",
        date=timezone.localdate() + timedelta(days=days),
        starts_at=time(9),
        ends_at=time(12),
        needed=needed,
    )


@pytest.fixture
def world(org_a, org_b, admin_a, admin_b):
    volunteer_user = user_with(org_a, Role.VOLUNTEER)
    lise = volunteer_of(org_a, "Lise Gagnon", user=volunteer_user)
    marc = volunteer_of(org_a, "Marc Roy")
    stranger = volunteer_of(org_b, "Berthe Autre")
    shift = shift_of(org_a)
    shift_b = shift_of(org_b)
    return {
        "coord": bearer(admin_a),
        "vol": bearer(volunteer_user),
        "b": bearer(admin_b),
        "volunteer_user": volunteer_user,
        "lise": lise,
        "marc": marc,
        "stranger": stranger,
        "shift": shift,
        "shift_b": shift_b,
    }


def get(client, url, headers):
    return client.get(f"{API}{url}", headers=headers)


def post(client, url, headers, data=None):
    return client.post(f"{API}{url}", data=data or {}, content_type=JSON, headers=headers)


# --- Volunteers ----------------------------------------------------------------------------


def test_volunteers_contact_details_for_coordinators_only(client, org_a, world):
    url = f"/organisations/{org_a.pk}/volunteers"
    rows = get(client, url, world["coord"]).json()["items"]
    assert [r["full_name"] for r in rows] == ["Lise Gagnon", "Marc Roy"]
    assert rows[0]["phone"] == "819 555-0100" and rows[0]["channel"] == "sms"
    rows = get(client, url, world["vol"]).json()["items"]
    assert [r["full_name"] for r in rows] == ["Lise Gagnon", "Marc Roy"]
    assert all(r["phone"] is None and r["email"] is None for r in rows)
    detail = get(client, f"{url}/{world['marc'].pk}", world["vol"]).json()
    assert detail["email"] is None and detail["certifications"] == []
    assert get(client, f"{url}/{world['marc'].pk}", world["coord"]).json()["email"]


def test_volunteers_tenancy(client, org_a, org_b, world):
    # Another organisation's id, or another organisation's volunteer: 404, never a leak.
    assert get(client, f"/organisations/{org_a.pk}/volunteers", world["b"]).status_code == 404
    own = get(client, f"/organisations/{org_b.pk}/volunteers", world["b"]).json()["items"]
    assert [r["full_name"] for r in own] == ["Berthe Autre"]
    url = f"/organisations/{org_b.pk}/volunteers/{world['lise'].pk}"
    assert get(client, url, world["b"]).status_code == 404
    assert get(client, f"/organisations/{org_a.pk}/volunteers", {}).status_code == 401


# --- Shifts and sign-ups -------------------------------------------------------------------


def test_shift_list_and_detail_with_filled_and_needed(client, org_a, world):
    ShiftSignup.objects.create(shift=world["shift"], volunteer=world["marc"], status="confirmed")
    rows = get(client, f"/organisations/{org_a.pk}/shifts", world["vol"]).json()
    assert [(r["id"], r["filled"], r["needed"]) for r in rows] == [(world["shift"].pk, 1, 1)]
    url = f"/organisations/{org_a.pk}/shifts/{world['shift'].pk}"
    assert get(client, url, world["vol"]).json()["signups"] is None
    people = get(client, url, world["coord"]).json()["signups"]
    assert [p["volunteer"]["name"] for p in people] == ["Marc Roy"]
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    rows = get(client, f"/organisations/{org_a.pk}/shifts?start={later}", world["coord"]).json()
    assert rows == []
    bad = get(
        client, f"/organisations/{org_a.pk}/shifts?start={later}&end=2020-01-01", world["coord"]
    )
    assert bad.status_code == 422 and "62 jours" in bad.json()["detail"]


def test_shift_tenancy(client, org_a, org_b, world):
    assert get(client, f"/organisations/{org_a.pk}/shifts", world["b"]).status_code == 404
    rows = get(client, f"/organisations/{org_b.pk}/shifts", world["b"]).json()
    assert [r["id"] for r in rows] == [world["shift_b"].pk]
    url = f"/organisations/{org_b.pk}/shifts/{world['shift'].pk}"
    assert get(client, url, world["b"]).status_code == 404
    assert post(client, f"{url}/signups", world["b"]).status_code == 404


def test_sign_up_self_then_waiting_list_then_cancel(client, org_a, world):
    url = f"/organisations/{org_a.pk}/shifts/{world['shift'].pk}/signups"
    mine = post(client, url, world["vol"])
    assert mine.status_code == 201
    assert mine.json()["status"] == "confirmed"
    assert mine.json()["volunteer"]["name"] == "Lise Gagnon"
    # The coordinator adds Marc: the only place is taken, so the waiting list.
    marc = post(client, url, world["coord"], {"volunteer_id": world["marc"].pk})
    assert marc.status_code == 201 and marc.json()["status"] == "waiting"
    again = post(client, url, world["vol"])
    assert again.status_code == 422
    assert again.json()["errors"]["__all__"] == ["Déjà inscrit à ce quart."]
    # A volunteer may not sign up someone else.
    other = post(client, url, world["vol"], {"volunteer_id": world["marc"].pk})
    assert other.status_code == 403
    cancel = post(
        client, f"/organisations/{org_a.pk}/signups/{mine.json()['id']}/cancel", world["vol"]
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    assert ShiftSignup.objects.get(pk=marc.json()["id"]).status == "confirmed"  # promoted
    assert AuditEvent.objects.filter(action="people.signup.cancel").count() == 1
    twice = post(
        client, f"/organisations/{org_a.pk}/signups/{mine.json()['id']}/cancel", world["vol"]
    )
    assert twice.status_code == 422


def test_sign_up_needs_a_profile_and_tenancy_on_cancel(client, org_a, org_b, world, admin_a):
    url = f"/organisations/{org_a.pk}/shifts/{world['shift'].pk}/signups"
    answer = post(client, url, world["coord"])  # the admin has no volunteer profile
    assert answer.status_code == 422
    assert answer.json()["errors"]["volunteer_id"] == [
        "Vous n'êtes pas inscrit comme bénévole dans cet organisme."
    ]
    stranger = post(client, url, world["coord"], {"volunteer_id": world["stranger"].pk})
    assert stranger.status_code == 404
    signup = ShiftSignup.objects.create(
        shift=world["shift"], volunteer=world["marc"], status="confirmed"
    )
    url = f"/organisations/{org_b.pk}/signups/{signup.pk}/cancel"
    assert post(client, url, world["b"]).status_code == 404
    assert ShiftSignup.objects.get(pk=signup.pk).status == "confirmed"


# --- Hours ---------------------------------------------------------------------------------


def test_hours_self_report_waits_and_lists_only_your_own(client, org_a, org_b, world):
    HoursEntry.objects.create(
        volunteer=world["marc"],
        organisation=org_a,
        started_at=timezone.now() - timedelta(days=3),
        minutes=90,
        source="staff",
        status="approved",
    )
    url = f"/organisations/{org_a.pk}/hours"
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    made = post(client, url, world["vol"], {"started_at": yesterday, "minutes": 120, "note": "Tri"})
    assert made.status_code == 201
    assert made.json()["status"] == "pending" and made.json()["source"] == "self"
    mine = get(client, url, world["vol"]).json()["items"]
    assert [r["volunteer"]["name"] for r in mine] == ["Lise Gagnon"]
    every = get(client, url, world["coord"]).json()["items"]
    assert sorted(r["volunteer"]["name"] for r in every) == ["Lise Gagnon", "Marc Roy"]
    too_long = post(client, url, world["vol"], {"started_at": yesterday, "minutes": 5000})
    assert too_long.status_code == 422
    assert too_long.json()["errors"]["__all__"] == [
        "Inscrivez entre quelques minutes et 16 heures."
    ]
    bad_site = post(
        client,
        url,
        world["vol"],
        {"started_at": yesterday, "minutes": 60, "site_id": org_b.sites.first().pk},
    )
    assert bad_site.status_code == 422 and "site_id" in bad_site.json()["errors"]
    assert HoursEntry.objects.count() == 2
    # Tenancy.
    assert get(client, url, world["b"]).status_code == 404
    assert (
        post(client, url, world["b"], {"started_at": yesterday, "minutes": 60}).status_code == 404
    )
    assert get(client, f"/organisations/{org_b.pk}/hours", world["b"]).json()["items"] == []


# --- Shared positions and statements -------------------------------------------------------


@pytest.fixture
def position(org_a, admin_a):
    org_c = OrganisationFactory(name="Comptoir C")
    org_d = OrganisationFactory(name="Comptoir D")
    p = position_create(
        actor=admin_a,
        employer=org_a,
        data={
            "title": "Soutien informatique",
            "employee_name": "Jeanne Octet",
            "hours_per_week": Decimal("35"),
            "hourly_cost_cents": 3000,
            "fee_basis_points": 500,
        },
    )
    for org in (org_c, org_d):
        position_share_set(
            actor=admin_a, position=p, organisation=org, planned=Decimal("10"), unit="week"
        )
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    statements = {}
    for org in (org_c, org_d):
        timesheet_add(actor=admin_a, position=p, organisation=org, day=last_month, minutes=600)
        statements[org.name] = statement_issue(
            actor=admin_a, position=p, organisation=org, month=last_month
        )
    return {
        "position": p,
        "c": bearer(user_with(org_c, Role.ORG_ADMIN)),
        "d": bearer(user_with(org_d, Role.VIEWER)),
        "org_c": org_c,
        "org_d": org_d,
        "statements": statements,
    }


def test_positions_only_for_participants(client, org_a, org_b, world, position):
    p = position["position"]
    org_c = position["org_c"]
    rows = get(client, f"/organisations/{org_c.pk}/positions", position["c"]).json()
    assert [r["title"] for r in rows] == ["Soutien informatique"]
    detail = get(client, f"/organisations/{org_c.pk}/positions/{p.pk}", position["c"]).json()
    assert sorted(s["organisation"]["name"] for s in detail["shares"]) == [
        "Comptoir C",
        "Comptoir D",
    ]
    assert get(client, f"/organisations/{org_b.pk}/positions", world["b"]).json() == []
    assert get(client, f"/organisations/{org_b.pk}/positions/{p.pk}", world["b"]).status_code == 404
    assert get(client, f"/organisations/{org_c.pk}/positions", world["b"]).status_code == 404
    # A volunteer's role does not read positions (like the screens).
    assert get(client, f"/organisations/{org_a.pk}/positions", world["vol"]).status_code == 403


def test_statements_for_the_employer_and_the_billed_member_only(client, org_a, world, position):
    p = position["position"]
    org_c, org_d = position["org_c"], position["org_d"]
    c_statement = position["statements"]["Comptoir C"]
    employer = get(client, f"/organisations/{org_a.pk}/positions/{p.pk}/statements", world["coord"])
    assert sorted(s["organisation"]["name"] for s in employer.json()) == [
        "Comptoir C",
        "Comptoir D",
    ]
    own = get(client, f"/organisations/{org_c.pk}/positions/{p.pk}/statements", position["c"])
    assert [s["id"] for s in own.json()] == [c_statement.pk]
    url = f"/positions/{p.pk}/statements/{c_statement.pk}"
    detail = get(client, f"/organisations/{org_c.pk}{url}", position["c"]).json()
    assert detail["minutes"] == 600 and detail["labour_cents"] == 30000
    assert detail["total_cents"] == detail["labour_cents"] + detail["fee_cents"]
    assert get(client, f"/organisations/{org_a.pk}{url}", world["coord"]).status_code == 200
    # Another participating member may not read C's statement.
    assert get(client, f"/organisations/{org_d.pk}{url}", position["d"]).status_code == 404
    assert get(client, f"/organisations/{org_c.pk}{url}", position["d"]).status_code == 404


def test_openapi_documents_the_people_endpoints(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    prefix = "/api/v1/organisations/{org_id}"
    expected = {
        "/volunteers": {"get"},
        "/volunteers/{volunteer_id}": {"get"},
        "/shifts": {"get"},
        "/shifts/{shift_id}": {"get"},
        "/shifts/{shift_id}/signups": {"post"},
        "/signups/{signup_id}/cancel": {"post"},
        "/hours": {"get", "post"},
        "/positions": {"get"},
        "/positions/{position_id}": {"get"},
        "/positions/{position_id}/statements": {"get"},
        "/positions/{position_id}/statements/{statement_id}": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[prefix + path]) == methods, path

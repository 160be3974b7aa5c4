from datetime import timedelta

import pytest
from django.utils import timezone

from cordee.core.models import Role
from cordee.core.tests.factories import MembershipFactory, UserFactory
from cordee.people.models import Certification, Shift, ShiftSignup, ShiftTemplate, Volunteer
from cordee.people.services.shifts import shift_signup

from .conftest import make_shift, make_volunteer


@pytest.fixture
def signed_up(people, admin_a) -> ShiftSignup:
    return shift_signup(actor=admin_a, shift=people.shift, volunteer=people.volunteers[0])


@pytest.fixture
def volunteer_login(org_a):
    """A volunteer who has a login and a profile."""
    user = UserFactory(email="lise@example.org", full_name="Lise Gagnon")
    MembershipFactory(user=user, organisation=org_a, role=Role.VOLUNTEER)
    return make_volunteer(org_a, "Lise Gagnon", user=user), user


def test_tenancy_404_on_every_object_view(client, people, signed_up, admin_b):
    client.force_login(admin_b)
    v = people.volunteers[0]
    assert client.get(f"/benevoles/quarts/{people.shift.pk}/").status_code == 404
    assert (
        client.post(f"/benevoles/quarts/{people.shift.pk}/", {"volunteer": v.pk}).status_code == 404
    )
    assert client.get(f"/benevoles/liste/{v.pk}/").status_code == 404
    assert client.post(f"/benevoles/liste/{v.pk}/", {"full_name": "X"}).status_code == 404
    assert (
        client.post(f"/benevoles/liste/{v.pk}/certification/", {"kind": "first_aid"}).status_code
        == 404
    )
    assert client.post(f"/benevoles/mes-quarts/{people.shift.pk}/inscrire/").status_code == 404
    assert client.post(f"/benevoles/inscriptions/{signed_up.pk}/annuler/").status_code == 404
    signed_up.refresh_from_db()
    assert signed_up.status == "confirmed"
    assert not Certification.objects.exists()


def test_tenancy_lists_show_nothing_of_another_organisation(client, people, signed_up, admin_b):
    client.force_login(admin_b)
    for url in (
        "/benevoles/",
        "/benevoles/semaine/",
        "/benevoles/liste/",
        "/benevoles/mes-quarts/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Bénévole 0" not in page.content.decode(), url
        assert "Ouverture du comptoir" not in page.content.decode(), url


def test_tenancy_generate_and_templates_stay_in_own_organisation(client, org_a, org_b, admin_b):
    ShiftTemplate.objects.create(
        organisation=org_a,
        site=org_a.sites.first(),
        title="Tri",
        weekday=0,
        starts_at="09:00",
        ends_at="12:00",
    )
    client.force_login(admin_b)
    today = timezone.localdate()
    client.post("/benevoles/semaine/creer/", {"start": today, "end": today + timedelta(days=14)})
    assert not Shift.objects.exists()
    page = client.post(
        "/benevoles/quarts-reguliers/nouveau/",
        {
            "title": "Vol",
            "site": org_a.sites.first().pk,
            "weekday": 0,
            "starts_at": "09:00",
            "ends_at": "10:00",
            "needed": 1,
        },
    )
    assert page.status_code == 200  # the other organisation's site is not a valid choice
    assert ShiftTemplate.objects.count() == 1


def test_volunteer_role_cannot_open_coordinator_pages(client, volunteer_a, people):
    client.force_login(volunteer_a)
    assert client.get("/benevoles/").status_code == 403
    assert client.get(f"/benevoles/quarts/{people.shift.pk}/").status_code == 403


def test_volunteer_signs_up_and_cancels_in_one_tap(client, people, volunteer_login):
    volunteer, user = volunteer_login
    client.force_login(user)
    page = client.get("/benevoles/mes-quarts/")
    assert "Ouverture du comptoir" in page.content.decode()
    client.post(f"/benevoles/mes-quarts/{people.shift.pk}/inscrire/")
    signup = ShiftSignup.objects.get(volunteer=volunteer)
    assert signup.status == "confirmed"
    client.post(f"/benevoles/inscriptions/{signup.pk}/annuler/")
    signup.refresh_from_db()
    assert signup.status == "cancelled"


def test_volunteer_cannot_cancel_someone_else(client, signed_up, volunteer_login):
    client.force_login(volunteer_login[1])
    client.post(f"/benevoles/inscriptions/{signed_up.pk}/annuler/")
    signed_up.refresh_from_db()
    assert signed_up.status == "confirmed"


def test_week_shows_filled_and_waiting(client, client_a, people, admin_a):
    shift = make_shift(people.shift.organisation, needed=1, days=2)
    for v in people.volunteers[:3]:
        shift_signup(actor=admin_a, shift=shift, volunteer=v)
    page = client_a.get(f"/benevoles/semaine/?semaine={shift.date}").content.decode()
    assert "1 sur 1 personnes" in page
    assert "2 en attente" in page


def test_coordinator_creates_volunteer_and_sees_errors(client_a, org_a):
    page = client_a.post("/benevoles/liste/nouveau/", {"full_name": "Jean", "channel": "email"})
    assert page.status_code == 200
    assert not Volunteer.objects.exists()
    page = client_a.post(
        "/benevoles/liste/nouveau/",
        {
            "full_name": "Jean Roy",
            "channel": "phone",
            "phone": "819 555-0102",
            "available_weekdays": [0, 3],
        },
    )
    volunteer = Volunteer.objects.get()
    assert page.status_code == 302
    assert volunteer.available_weekdays == [0, 3]
    assert volunteer.memberships.get().organisation == org_a
    client_a.post(
        f"/benevoles/liste/{volunteer.pk}/",
        {"full_name": "Jean Roy", "channel": "phone", "phone": "819 555-0103"},
    )
    volunteer.refresh_from_db()
    assert volunteer.phone == "819 555-0103"


def test_dashboard_lists_uncovered_expiring_and_calls(client_a, org_a, people, admin_a):
    caller = make_volunteer(org_a, "Rita Appel", channel="phone", phone="819 555-0110")
    soon = make_shift(org_a, days=1, needed=3)
    shift_signup(actor=admin_a, shift=soon, volunteer=caller)
    Certification.objects.create(
        volunteer=people.volunteers[1],
        kind="first_aid",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    page = client_a.get("/benevoles/").content.decode()
    assert "Rita Appel" in page and "819 555-0110" in page
    assert "Bénévole 1" in page
    assert f"/benevoles/quarts/{soon.pk}/" in page


def test_assign_from_shift_page(client_a, people):
    v = people.volunteers[2]
    client_a.post(f"/benevoles/quarts/{people.shift.pk}/", {"volunteer": v.pk})
    assert ShiftSignup.objects.get(volunteer=v).status == "confirmed"


def test_ical_feed(client, signed_up):
    token = signed_up.volunteer.calendar_token
    response = client.get(f"/benevoles/calendrier/{token}.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:quart-{signed_up.pk}@" in body
    assert "SUMMARY:Ouverture du comptoir" in body
    assert client.get("/benevoles/calendrier/pas-le-bon.ics").status_code == 404

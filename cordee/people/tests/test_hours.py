"""Volunteer hours: check-in/out, self-report and approval, totals, recognition report,
network totals, tenancy."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cordee.core.models import NetworkRole, Role
from cordee.core.tests.factories import (
    MembershipFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from cordee.people.models import HoursEntry
from cordee.people.selectors_hours import (
    hours_by_person,
    network_hours,
    organisation_total_minutes,
    volunteer_total_minutes,
)
from cordee.people.services.hours import (
    hours_check_in,
    hours_check_out,
    hours_decide,
    hours_report,
)

from .conftest import make_volunteer

Status = HoursEntry.Status


@pytest.fixture
def lise(org_a):
    """A volunteer with a login."""
    user = UserFactory(email="lise@example.org", full_name="Lise Gagnon")
    MembershipFactory(user=user, organisation=org_a, role=Role.VOLUNTEER)
    return make_volunteer(org_a, "Lise Gagnon", user=user), user


def _ago(**kwargs) -> datetime:
    return timezone.now() - timedelta(**kwargs)


def test_check_in_then_out_counts_whole_minutes(org_a, lise):
    volunteer, user = lise
    site = org_a.sites.first()
    start = _ago(hours=3)
    hours_check_in(actor=user, volunteer=volunteer, site=site, at=start)
    with pytest.raises(ValidationError):
        hours_check_in(actor=user, volunteer=volunteer, site=site)
    entry = hours_check_out(
        actor=user, volunteer=volunteer, at=start + timedelta(minutes=150, seconds=59)
    )
    assert entry.minutes == 150
    assert entry.status == Status.APPROVED
    assert volunteer_total_minutes(org=org_a, volunteer=volunteer, year=start.year) == 150
    with pytest.raises(ValidationError):
        hours_check_out(actor=user, volunteer=volunteer)


def test_self_report_waits_for_approval_then_counts(org_a, admin_a, lise):
    volunteer, user = lise
    year = timezone.now().year
    entry = hours_report(
        actor=user, organisation=org_a, volunteer=volunteer, started_at=_ago(minutes=5), minutes=90
    )
    assert entry.status == Status.PENDING
    assert organisation_total_minutes(org=org_a, year=year) == 0
    with pytest.raises(PermissionDenied):
        hours_decide(actor=user, entry=entry, approve=True)  # a volunteer cannot approve
    hours_decide(actor=admin_a, entry=entry, approve=True)
    assert organisation_total_minutes(org=org_a, year=year) == 90
    with pytest.raises(ValidationError):
        hours_decide(actor=admin_a, entry=entry, approve=False)  # already decided

    refused = hours_report(
        actor=user, organisation=org_a, volunteer=volunteer, started_at=_ago(minutes=5), minutes=60
    )
    hours_decide(actor=admin_a, entry=refused, approve=False)
    assert organisation_total_minutes(org=org_a, year=year) == 90


def test_staff_entry_counts_at_once_and_bad_input_refused(org_a, admin_a, people):
    volunteer = people.volunteers[1]
    entry = hours_report(
        actor=admin_a, organisation=org_a, volunteer=volunteer, started_at=_ago(days=1), minutes=45
    )
    assert (entry.status, entry.source) == (Status.APPROVED, HoursEntry.Source.STAFF)
    for minutes in (0, 17 * 60):
        with pytest.raises(ValidationError):
            hours_report(
                actor=admin_a,
                organisation=org_a,
                volunteer=volunteer,
                started_at=_ago(days=1),
                minutes=minutes,
            )
    with pytest.raises(ValidationError):
        hours_report(
            actor=admin_a,
            organisation=org_a,
            volunteer=volunteer,
            started_at=timezone.now() + timedelta(days=2),
            minutes=30,
        )


def test_a_volunteer_cannot_report_for_someone_else(org_a, lise, people):
    _volunteer, user = lise
    with pytest.raises(PermissionDenied):
        hours_report(
            actor=user,
            organisation=org_a,
            volunteer=people.volunteers[0],
            started_at=_ago(hours=1),
            minutes=30,
        )


def test_totals_per_person_and_year(org_a, admin_a, people):
    a, b = people.volunteers[:2]
    now = timezone.now()
    for volunteer, minutes, when in (
        (a, 60, _ago(hours=2)),
        (a, 30, _ago(hours=1)),
        (b, 120, _ago(hours=1)),
        (a, 600, now.replace(year=now.year - 1)),
    ):
        hours_report(
            actor=admin_a, organisation=org_a, volunteer=volunteer, started_at=when, minutes=minutes
        )
    rows = hours_by_person(org=org_a, year=now.year)
    assert [(r.full_name, r.minutes, r.entries) for r in rows] == [
        (b.full_name, 120, 1),
        (a.full_name, 90, 2),
    ]
    assert organisation_total_minutes(org=org_a, year=now.year) == 210
    assert organisation_total_minutes(org=org_a, year=now.year - 1) == 600


def test_network_admin_gets_per_organisation_totals_only(client, org_a, admin_a, people):
    network = org_a.network_memberships.get().network
    other = OrganisationFactory(name="Cuisine C")
    NetworkMembershipFactory(network=network, organisation=other)
    outsider = make_volunteer(other, "Marcel Secret")
    other_admin = UserFactory(email="c@example.org")
    MembershipFactory(user=other_admin, organisation=other, role=Role.ORG_ADMIN)
    hours_report(
        actor=other_admin,
        organisation=other,
        volunteer=outsider,
        started_at=_ago(hours=1),
        minutes=75,
    )
    hours_report(
        actor=admin_a,
        organisation=org_a,
        volunteer=people.volunteers[0],
        started_at=_ago(hours=1),
        minutes=30,
    )
    client.force_login(admin_a)
    assert client.get("/benevoles/heures/reseau/").status_code == 404  # not a network admin
    NetworkRole.objects.create(user=admin_a, network=network)
    page = client.get("/benevoles/heures/reseau/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Cuisine C" in html and "1 h 15" in html and "1 h 45" in html
    assert "Marcel Secret" not in html
    [totals] = network_hours(user=admin_a, org=org_a, year=timezone.now().year)
    assert dict((o.name, m) for o, m in totals.rows) == {"Comptoir A": 30, "Cuisine C": 75}


def test_volunteer_page_one_tap_check_in_and_report(client, org_a, lise):
    volunteer, user = lise
    client.force_login(user)
    page = client.get("/benevoles/heures/")
    assert page.status_code == 200
    site = org_a.sites.first()
    client.post("/benevoles/heures/arrivee/", {"site": site.pk})
    assert HoursEntry.objects.filter(volunteer=volunteer, ended_at__isnull=True).count() == 1
    client.post("/benevoles/heures/depart/")
    assert not HoursEntry.objects.filter(volunteer=volunteer, ended_at__isnull=True).exists()

    bad = client.post("/benevoles/heures/declarer/", {"day": "", "hours": "0", "minutes": "0"})
    assert bad.status_code == 400
    day = timezone.localdate().isoformat()
    client.post("/benevoles/heures/declarer/", {"day": day, "hours": "2", "minutes": "15"})
    reported = HoursEntry.objects.get(volunteer=volunteer, source=HoursEntry.Source.SELF_REPORTED)
    assert (reported.minutes, reported.status) == (135, Status.PENDING)


def test_coordinator_approves_from_the_page_and_exports_csv(client, org_a, admin_a, lise):
    volunteer, user = lise
    entry = hours_report(
        actor=user, organisation=org_a, volunteer=volunteer, started_at=_ago(hours=1), minutes=80
    )
    client.force_login(admin_a)
    assert "Lise Gagnon" in client.get("/benevoles/heures/suivi/").content.decode()
    client.post(f"/benevoles/heures/{entry.pk}/decision/", {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.status == Status.APPROVED and entry.approved_by == admin_a
    csv = client.get(f"/benevoles/heures/reconnaissance.csv?annee={entry.started_at.year}")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[1] == f"Lise Gagnon,{entry.started_at.year},1.33,1"


def test_tenancy_other_organisation(client, org_a, admin_b, lise):
    volunteer, user = lise
    entry = hours_report(
        actor=user, organisation=org_a, volunteer=volunteer, started_at=_ago(hours=1), minutes=80
    )
    client.force_login(admin_b)
    assert (
        client.post(f"/benevoles/heures/{entry.pk}/decision/", {"decision": "approve"}).status_code
        == 404
    )
    entry.refresh_from_db()
    assert entry.status == Status.PENDING
    for url in ("/benevoles/heures/suivi/", "/benevoles/heures/reconnaissance/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "Lise Gagnon" not in page.content.decode()
    assert "Lise Gagnon" not in client.get(
        f"/benevoles/heures/reconnaissance.csv?annee={entry.started_at.year}"
    ).content.decode("utf-8-sig")
    # org_b has no site of org_a to check in at, and its admin has no volunteer profile.
    assert (
        client.post("/benevoles/heures/arrivee/", {"site": org_a.sites.first().pk}).status_code
        == 404
    )

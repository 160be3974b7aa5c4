"""Households gaps: check-in baskets for the distribution day, one-tap « proofs seen »,
the restricted health notes, and the incident register's follow-up."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import _member
from cordee.core.models import AuditEvent, Role
from cordee.core.tests.factories import SiteFactory
from cordee.households.models import EligibilityRule, Household, Visit
from cordee.households.models_privacy import PrivacyIncident
from cordee.households.selectors.distribution_days import checkin_days, visits_per_day
from cordee.households.selectors.privacy import household_data
from cordee.households.services.household_update import HouseholdChanges, household_update
from cordee.households.services.privacy import household_anonymise, privacy_incident_follow_up
from cordee.households.services.visits import visit_check_in
from cordee.logistics.models import CounterDistribution


@pytest.fixture
def staff_a(org_a):
    return _member(org_a, Role.STAFF, "staff-a@example.org")


@pytest.fixture
def household(register):
    return register("Marie", "Côté")


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


# 1. Check-in baskets and the counter's distribution day ------------------------------------


def _visit(actor, household, org, day, **kwargs):
    kwargs.setdefault("override_reason", "test")  # the frequency rule is not what is tested
    return visit_check_in(
        actor=actor, household=household, organisation=org, at=_at(day), **kwargs
    ).visit


def test_visits_per_day_counts_baskets_and_emergencies_at_the_site(
    admin_a, org_a, register, admin_b, org_b
):
    site = org_a.sites.get()
    day = timezone.localdate() - timedelta(days=1)
    a, b, c = register("Ana", "Un"), register("Béa", "Deux"), register("Cléo", "Trois")
    _visit(admin_a, a, org_a, day)  # fixed counter: no site
    _visit(admin_a, b, org_a, day, visit_type="emergency", site=site)
    _visit(admin_a, c, org_a, day, visit_type="meal")  # not a basket
    cancelled = _visit(admin_a, c, org_a, day)
    Visit.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    _visit(admin_a, a, org_a, day - timedelta(days=1))  # another day
    other = register("Zoé", "Ailleurs", actor=admin_b, org=org_b)
    _visit(admin_b, other, org_b, day)  # another organisation
    assert visits_per_day(org=org_a, site=site, day=day) == 2
    assert visits_per_day(org=org_b, site=site, day=day) == 0
    # With a second counter, visits without a site belong to no counter in particular.
    SiteFactory(organisation=org_a, name="Deuxième comptoir")
    assert visits_per_day(org=org_a, site=site, day=day) == 1


def test_distribution_form_is_prefilled_with_the_checkin_baskets(
    client_a, admin_a, org_a, register
):
    day = timezone.localdate() - timedelta(days=2)
    for name in ("Ana", "Béa", "Cléo"):
        _visit(admin_a, register(name, "Famille"), org_a, day)
    url = reverse("logistics:distribution_create")
    page = client_a.get(url, {"date": day.isoformat()}).content.decode()
    assert "À l'accueil, 3 paniers ont été enregistrés" in page
    assert 'name="baskets" value="3"' in page
    assert f'value="{day.isoformat()}"' in page
    # Today nothing was checked in: 0 is proposed.
    assert 'name="baskets" value="0"' in client_a.get(url).content.decode()


def test_distribution_form_ignores_another_organisations_site(client_b, org_a, admin_a, register):
    day = timezone.localdate()
    _visit(admin_a, register(), org_a, day)
    page = client_b.get(
        reverse("logistics:distribution_create"), {"site": org_a.sites.get().pk}
    ).content.decode()
    assert "À l'accueil, 1 panier" not in page
    assert "Local du comptoir A" not in page


def test_checkin_footer_shows_each_day_and_whether_the_distribution_is_recorded(
    client, admin_a, volunteer_a, org_a, register, admin_b
):
    site = org_a.sites.get()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    _visit(admin_a, register("Ana", "Un"), org_a, yesterday)
    _visit(admin_a, register("Béa", "Deux"), org_a, yesterday)
    _visit(admin_a, register("Cléo", "Trois"), org_a, today)
    CounterDistribution.objects.create(
        organisation=org_a, site=site, distributed_on=yesterday, baskets=2
    )
    days = checkin_days(org=org_a, today=today)
    assert [(d.day, d.visits, d.distribution_recorded) for d in days] == [
        (today, 1, False),
        (yesterday, 2, True),
    ]
    client.force_login(admin_a)
    page = client.get(reverse("households:checkin")).content.decode()
    assert "2 visites — distribution du jour enregistrée" in page
    assert "1 visite — distribution du jour pas encore enregistrée" in page
    assert f"{reverse('logistics:distribution_create')}?date={today.isoformat()}" in page
    client.force_login(volunteer_a)  # not a coordinator: no footer
    assert "distribution du jour" not in client.get(reverse("households:checkin")).content.decode()
    client.force_login(admin_b)  # another organisation sees none of A's visits
    assert "distribution du jour" not in client.get(reverse("households:checkin")).content.decode()


# 2. « Proofs seen today » -----------------------------------------------------------------


def test_staff_records_proofs_seen_in_one_tap(client, staff_a, household):
    client.force_login(staff_a)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Preuve vue aujourd'hui" in page
    assert 'type="file"' not in page  # never a copy of the documents
    response = client.post(reverse("households:proof_seen", args=[household.pk]))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.proof_seen_on == timezone.localdate()
    assert household.proof_seen_by == staff_a
    event = AuditEvent.objects.get(action="household.proof_seen", object_id=str(household.pk))
    assert event.actor == staff_a


def test_proofs_seen_needs_staff_and_stays_in_the_organisation(
    client, volunteer_a, admin_b, household
):
    url = reverse("households:proof_seen", args=[household.pk])
    client.force_login(volunteer_a)
    assert (
        "Preuve vue"
        not in client.get(reverse("households:detail", args=[household.pk])).content.decode()
    )
    assert client.post(url).status_code == 403
    client.force_login(admin_b)
    assert client.post(url).status_code == 404
    household.refresh_from_db()
    assert household.proof_seen_on is None


def test_refused_checkin_for_proofs_offers_the_button_then_the_visit_goes_through(
    client, staff_a, volunteer_a, household, org_a, admin_a
):
    from cordee.households.services.households import consent_record

    consent_record(actor=admin_a, household=household, purpose="service", method="oral")
    EligibilityRule.objects.create(organisation=org_a, proof_renewal_months=12)
    record = reverse("households:visit_record", args=[household.pk])
    client.force_login(volunteer_a)
    assert "Preuve vue" not in client.post(record, {"visit_type": "basket"}).content.decode()
    client.force_login(staff_a)
    page = client.post(record, {"visit_type": "basket"}).content.decode()
    assert "Preuves à revoir" in page and "Preuve vue aujourd'hui" in page
    response = client.post(
        reverse("households:proof_seen", args=[household.pk]), {"retour": "accueil"}
    )
    assert response["Location"].endswith(f"?q={household.card_number}")
    assert client.post(record, {"visit_type": "basket"}).status_code == 302
    assert Visit.objects.filter(household=household).count() == 1


def test_refusal_for_another_reason_shows_no_proof_button(client, staff_a, household, org_a):
    EligibilityRule.objects.create(organisation=org_a, min_days_between_visits=7)
    household.proof_seen_on = timezone.localdate()
    household.save()
    visit_check_in(actor=staff_a, household=household, organisation=org_a)
    client.force_login(staff_a)
    page = client.post(
        reverse("households:visit_record", args=[household.pk]), {"visit_type": "basket"}
    ).content.decode()
    assert "prochaine visite possible" in page
    assert "Preuve vue" not in page


# 3. Health or dietary needs ----------------------------------------------------------------


def test_health_notes_edited_by_allowed_roles_and_read_audited(
    client, coordinator_a, volunteer_a, household, town_pk
):
    url = reverse("households:edit", args=[household.pk])
    data = {
        "first_name": "Marie",
        "last_name": "Côté",
        "phone": "",
        "email": "",
        "municipality": town_pk,
        "people_count": "1",
        "birth_years": "",
        "household_type": "",
        "income_source": "",
        "housing_type": "",
        "health_notes": "  Allergie aux arachides  ",
    }
    client.force_login(volunteer_a)
    assert 'name="health_notes"' not in client.get(url).content.decode()
    client.post(url, data)  # the field is not in the volunteer's form: ignored
    household.refresh_from_db()
    assert household.health_notes == ""
    client.force_login(coordinator_a)
    assert 'name="health_notes"' in client.get(url).content.decode()
    assert client.post(url, data).status_code == 302
    household.refresh_from_db()
    assert household.health_notes == "Allergie aux arachides"
    update = AuditEvent.objects.get(action="household.update", object_id=str(household.pk))
    assert update.changed_fields == ["health_notes"]  # the name, never the value
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Allergie aux arachides" in page
    read = AuditEvent.objects.filter(action="household.sensitive_read").latest("created_at")
    assert read.actor == coordinator_a and "health_notes" in read.changed_fields
    client.force_login(volunteer_a)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Allergie" not in page


def test_health_notes_service_refuses_other_roles_and_long_text(
    volunteer_a, coordinator_a, household
):
    with pytest.raises(PermissionDenied):
        household_update(
            actor=volunteer_a,
            household=household,
            changes=HouseholdChanges(first_name="Marie", last_name="Côté", health_notes="Diète"),
        )
    with pytest.raises(ValidationError) as exc:
        household_update(
            actor=coordinator_a,
            household=household,
            changes=HouseholdChanges(first_name="Marie", last_name="Côté", health_notes="x" * 501),
        )
    assert "health_notes" in exc.value.message_dict


def test_health_notes_exported_then_blanked_by_anonymisation(admin_a, org_a, household):
    Household.objects.filter(pk=household.pk).update(health_notes="Sans gluten")
    household.refresh_from_db()
    assert household_data(org=org_a, household=household)["household"]["health_notes"] == (
        "Sans gluten"
    )
    assert household_anonymise(actor=admin_a, household=household, reason="test")
    household.refresh_from_db()
    assert household.health_notes == ""


# 4. Incident register follow-up --------------------------------------------------------------


@pytest.fixture
def incident(org_a, admin_a):
    return PrivacyIncident.objects.create(
        organisation=org_a,
        discovered_on=timezone.localdate() - timedelta(days=5),
        description="Liste oubliée sur le comptoir",
        information_concerned="Noms",
        people_count=3,
        recorded_by=admin_a,
    )


def test_incident_follow_up_records_notices_and_measures_with_audit(admin_a, incident):
    seen = timezone.localdate() - timedelta(days=2)
    changed = privacy_incident_follow_up(
        actor=admin_a,
        incident=incident,
        cai_notified_on=seen,
        persons_notified_on=None,
        measures_taken=" Liste détruite ",
    )
    assert changed == ["cai_notified_on", "measures_taken"]
    incident.refresh_from_db()
    assert incident.cai_notified_on == seen and incident.measures_taken == "Liste détruite"
    event = AuditEvent.objects.get(action="privacy_incident.follow_up")
    assert event.changed_fields == changed
    # Nothing changed: nothing written.
    assert (
        privacy_incident_follow_up(
            actor=admin_a,
            incident=incident,
            cai_notified_on=seen,
            persons_notified_on=None,
            measures_taken="Liste détruite",
        )
        == []
    )
    assert AuditEvent.objects.filter(action="privacy_incident.follow_up").count() == 1


@pytest.mark.parametrize("days", [-6, 1])  # before the discovery, in the future
def test_incident_follow_up_refuses_impossible_dates(admin_a, incident, days):
    with pytest.raises(ValidationError):
        privacy_incident_follow_up(
            actor=admin_a,
            incident=incident,
            cai_notified_on=None,
            persons_notified_on=timezone.localdate() + timedelta(days=days),
            measures_taken="",
        )
    incident.refresh_from_db()
    assert incident.persons_notified_on is None


def test_incident_follow_up_page(client, admin_a, coordinator_a, admin_b, incident):
    url = reverse("households:privacy_incident_follow_up", args=[incident.pk])
    client.force_login(coordinator_a)  # may read the register, not write it
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        privacy_incident_follow_up(
            actor=coordinator_a,
            incident=incident,
            cai_notified_on=None,
            persons_notified_on=None,
            measures_taken="x",
        )
    client.force_login(admin_b)
    assert client.get(url).status_code == 404
    client.force_login(admin_a)
    detail = client.get(reverse("households:privacy_incident", args=[incident.pk]))
    assert url in detail.content.decode()
    bad = client.post(url, {"persons_notified_on": "2001-01-01", "measures_taken": ""})
    assert bad.status_code == 400
    assert "Un avis ne peut pas être avant la découverte." in bad.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"persons_notified_on": today, "measures_taken": "Appels faits"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.persons_notified_on == timezone.localdate()
    assert incident.measures_taken == "Appels faits"

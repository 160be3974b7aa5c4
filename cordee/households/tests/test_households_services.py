"""Registration, eligibility in plain French, check-in with overrides, undo, consents."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cordee.core.models import AuditEvent, Municipality
from cordee.households.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    EligibilityRule,
    Visit,
    VisitType,
)
from cordee.households.selectors.eligibility import eligibility_for
from cordee.households.services.households import consent_record, consent_withdraw
from cordee.households.services.visits import visit_check_in, visit_undo

TZ = ZoneInfo("America/Toronto")
FRIDAY = date(2026, 11, 27)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def weekly(org_a):
    return EligibilityRule.objects.create(organisation=org_a, min_days_between_visits=7)


def test_register_gives_next_card_number_per_organisation(register, org_b, admin_b):
    first, second = register(), register("Jean", "Roy")
    other = register("Luc", "Roy", actor=admin_b, org=org_b)
    assert (first.card_number, second.card_number, other.card_number) == (1, 2, 1)
    assert first.search_names == "marie cote"
    assert AuditEvent.objects.filter(action="household.register", object_id=first.pk).exists()


def test_register_refuses_bad_input_in_plain_words(register):
    with pytest.raises(ValidationError) as exc:
        register("  ", "Côté")
    assert "first_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        register(phone="12")
    assert "phone" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        register(people_count=0)
    assert "people_count" in exc.value.message_dict


def test_volunteer_cannot_write_sensitive_fields(register, volunteer_a):
    with pytest.raises(PermissionDenied):
        register(actor=volunteer_a, income_source="social_assistance")
    assert register(actor=volunteer_a).income_source == ""


def test_eligible_without_rule_or_visit(register, weekly):
    with translation.override("fr-ca"):
        assert eligibility_for(register(), FRIDAY).message == "Admissible"


def test_frequency_says_days_ago_and_next_weekday_in_french(register, weekly, admin_a, org_a):
    household = register()
    monday = FRIDAY - timedelta(days=4)
    visit_check_in(actor=admin_a, household=household, organisation=org_a, at=_at(monday))
    result = eligibility_for(household, FRIDAY)
    assert not result.eligible
    assert result.next_possible_on == date(2026, 11, 30)
    with translation.override("fr-ca"):
        assert result.message == (
            "Dernière visite il y a 4 jours — prochaine visite possible lundi."
        )
    # The day before the next possible day says "demain"; on the day itself, eligible.
    with translation.override("fr-ca"):
        assert "possible demain" in eligibility_for(household, date(2026, 11, 29)).message
    assert eligibility_for(household, date(2026, 11, 30)).eligible


def test_frequency_far_away_gives_the_date(register, org_a, admin_a):
    EligibilityRule.objects.create(organisation=org_a, min_days_between_visits=30)
    household = register()
    visit_check_in(actor=admin_a, household=household, organisation=org_a, at=_at(FRIDAY))
    with translation.override("fr-ca"):
        message = eligibility_for(household, FRIDAY + timedelta(days=1)).message
    assert message == (
        "Dernière visite il y a 1 jour — prochaine visite possible dimanche 27 décembre."
    )


def test_meals_are_not_rationed_by_the_basket_frequency(register, weekly, admin_a, org_a):
    household = register()
    visit_check_in(actor=admin_a, household=household, organisation=org_a, at=_at(FRIDAY))
    assert eligibility_for(household, FRIDAY, visit_type=VisitType.MEAL).eligible
    assert not eligibility_for(household, FRIDAY).eligible


def test_territory_and_proof_renewal(register, org_a, town):
    rule = EligibilityRule.objects.create(organisation=org_a, proof_renewal_months=12)
    rule.territory.add(Municipality.objects.get(name="Val-David"))
    household = register(municipality=town)
    with translation.override("fr-ca"):
        message = eligibility_for(household, FRIDAY).message
    assert "Habite hors du territoire desservi." in message
    assert "Preuves à revoir" in message
    rule.territory.add(town)
    household.proof_seen_on = FRIDAY - timedelta(days=300)
    household.save()
    assert eligibility_for(household, FRIDAY).eligible
    assert not eligibility_for(household, FRIDAY + timedelta(days=70)).eligible


def test_refused_check_in_records_nothing(register, weekly, volunteer_a, org_a):
    household = register()
    now = timezone.now()
    first = visit_check_in(actor=volunteer_a, household=household, organisation=org_a, at=now)
    assert first.recorded and first.eligibility.eligible
    second = visit_check_in(actor=volunteer_a, household=household, organisation=org_a, at=now)
    assert not second.recorded
    assert Visit.objects.count() == 1


def test_override_needs_an_authorised_role_and_a_reason(
    register, weekly, volunteer_a, coordinator_a, org_a
):
    household = register()
    visit_check_in(actor=volunteer_a, household=household, organisation=org_a)
    with pytest.raises(PermissionDenied):
        visit_check_in(
            actor=volunteer_a, household=household, organisation=org_a, override_reason="Urgence"
        )
    blank = visit_check_in(
        actor=coordinator_a, household=household, organisation=org_a, override_reason="   "
    )
    assert not blank.recorded
    result = visit_check_in(
        actor=coordinator_a,
        household=household,
        organisation=org_a,
        override_reason="Feu de logement",
    )
    assert result.recorded and result.visit.override_reason == "Feu de logement"
    event = AuditEvent.objects.get(action="visit.override")
    assert event.actor == coordinator_a and "override_reason" in event.changed_fields
    assert "Feu" not in event.object_repr  # values never enter the log


def test_check_in_of_another_organisations_household_is_refused(register, admin_b, org_b):
    with pytest.raises(PermissionDenied):
        visit_check_in(actor=admin_b, household=register(), organisation=org_b)


def test_undo_within_five_minutes_only_by_the_same_organisation(
    register, volunteer_a, org_a, admin_b, org_b
):
    household = register()
    visit = visit_check_in(actor=volunteer_a, household=household, organisation=org_a).visit
    with pytest.raises(PermissionDenied):
        visit_undo(actor=admin_b, visit=visit, organisation=org_b)
    visit_undo(actor=volunteer_a, visit=visit, organisation=org_a)
    visit.refresh_from_db()
    household.refresh_from_db()
    assert visit.cancelled_at is not None and household.last_visit_at is None
    with pytest.raises(ValidationError):
        visit_undo(actor=volunteer_a, visit=visit, organisation=org_a)
    late = visit_check_in(actor=volunteer_a, household=household, organisation=org_a).visit
    Visit.objects.filter(pk=late.pk).update(visited_at=timezone.now() - timedelta(minutes=6))
    late.refresh_from_db()
    with pytest.raises(ValidationError, match="5 minutes"):
        visit_undo(actor=volunteer_a, visit=late, organisation=org_a)


def test_undone_visit_no_longer_counts_for_frequency(register, weekly, volunteer_a, org_a):
    household = register()
    visit = visit_check_in(actor=volunteer_a, household=household, organisation=org_a).visit
    visit_undo(actor=volunteer_a, visit=visit, organisation=org_a)
    assert visit_check_in(actor=volunteer_a, household=household, organisation=org_a).recorded


def test_consent_withdrawal_records_date_and_stops_service(register, volunteer_a, org_a):
    household = register(email="marie@example.org")
    service = consent_record(
        actor=volunteer_a,
        household=household,
        purpose=ConsentPurpose.SERVICE,
        method=ConsentMethod.ORAL,
        notice_version="2026-01",
    )
    notices = consent_record(
        actor=volunteer_a,
        household=household,
        purpose=ConsentPurpose.NOTICES,
        method=ConsentMethod.PAPER,
    )
    assert eligibility_for(household).eligible
    consent_withdraw(actor=volunteer_a, consent=service)
    service.refresh_from_db()
    assert service.withdrawn_on == timezone.localdate()
    result = visit_check_in(actor=volunteer_a, household=household, organisation=org_a)
    assert not result.recorded
    with translation.override("fr-ca"):
        assert result.eligibility.message == "Le consentement au service a été retiré."
    consent_withdraw(actor=volunteer_a, consent=notices)
    household.refresh_from_db()
    assert household.email == ""  # no more notices: the contact address goes
    with pytest.raises(ValidationError):
        consent_withdraw(actor=volunteer_a, consent=notices)
    # The ledger keeps both records; a new consent resumes the service.
    assert Consent.objects.filter(household=household).count() == 2
    consent_record(
        actor=volunteer_a,
        household=household,
        purpose=ConsentPurpose.SERVICE,
        method=ConsentMethod.PAPER,
    )
    assert visit_check_in(actor=volunteer_a, household=household, organisation=org_a).recorded


def test_consent_validation(register, volunteer_a):
    household = register()
    with pytest.raises(ValidationError):
        consent_record(actor=volunteer_a, household=household, purpose="spying", method="oral")
    with pytest.raises(ValidationError):
        consent_record(
            actor=volunteer_a,
            household=household,
            purpose=ConsentPurpose.SERVICE,
            method=ConsentMethod.ORAL,
            given_on=timezone.localdate() + timedelta(days=2),
        )
    assert not Consent.objects.exists()

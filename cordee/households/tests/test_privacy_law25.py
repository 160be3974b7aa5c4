"""Law 25 services: retention (preview == apply, idempotent, audited), anonymisation,
access requests and their deadline, incidents, impact assessments."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from conftest import _member
from cordee.core.models import AuditEvent, Role
from cordee.households.models import ConsentPurpose, HouseholdMember, Visit
from cordee.households.models_privacy import (
    PrivacyRequest,
    RetentionCategory,
)
from cordee.households.selectors.households import household_search
from cordee.households.selectors.privacy import (
    household_data,
    months_before,
    privacy_can_manage,
    retention_preview,
)
from cordee.households.services.households import consent_record
from cordee.households.services.privacy import (
    PIA_QUESTIONS,
    household_anonymise,
    pia_record,
    privacy_incident_record,
    privacy_profile_save,
    privacy_request_complete,
    privacy_request_register,
    retention_apply,
    retention_rule_set,
)
from cordee.households.tasks import privacy_retention_task

NOW = timezone.now()


def _age(household, *, days: int) -> None:
    """Make a household look registered and last served `days` ago."""
    when = NOW - timedelta(days=days)
    type(household).objects.filter(pk=household.pk).update(created_at=when, last_visit_at=when)


def _visit(household, *, days: int, reason: str = "") -> Visit:
    return Visit.objects.create(
        household=household,
        organisation=household.organisation,
        visited_at=NOW - timedelta(days=days),
        people_served=2,
        override_reason=reason,
    )


@pytest.fixture
def world(register, admin_a, org_a):
    """Two old households (one with a birth year, a consent and an old visit), one recent."""
    old = register("Gisèle", "Lafontaine", phone="819 555-0001", income_source="pension")
    HouseholdMember.objects.create(household=old, birth_year=1950)
    consent_record(actor=admin_a, household=old, purpose=ConsentPurpose.SERVICE, method="oral")
    _visit(old, days=800, reason="Madame Lafontaine sans preuve")
    _age(old, days=800)
    never = register("Roger", "Paquette")
    _age(never, days=900)
    recent = register("Marie", "Côté")
    _age(recent, days=30)
    _visit(recent, days=30, reason="Exception récente")
    retention_rule_set(
        actor=admin_a, organisation=org_a, category=RetentionCategory.HOUSEHOLDS, months=24
    )
    retention_rule_set(
        actor=admin_a, organisation=org_a, category=RetentionCategory.VISITS, months=12
    )
    return {"old": old, "never": never, "recent": recent}


def _counts(org) -> dict[str, int]:
    return {row.rule.category: row.count for row in retention_preview(org=org, now=NOW)}


def test_months_before_handles_short_months() -> None:
    moment = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert months_before(moment, 1).date() == date(2026, 2, 28)
    assert months_before(moment, 14).date() == date(2025, 1, 31)


def test_dry_run_counts_equal_what_apply_changes(world, org_a, admin_a) -> None:
    preview = _counts(org_a)
    assert preview == {"households": 2, "visits": 1}
    result = retention_apply(organisation=org_a, actor=admin_a, now=NOW)
    assert (result.households, result.visits) == (preview["households"], preview["visits"])
    assert _counts(org_a) == {"households": 0, "visits": 0}


def test_apply_anonymises_keeps_statistics_and_is_audited(world, org_a, admin_a) -> None:
    old = world["old"]
    retention_apply(organisation=org_a, actor=admin_a, now=NOW)
    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.phone, old.search_names) == ("", "", "", "")
    assert old.income_source == "" and old.phone_digits == ""
    assert old.municipality is not None and old.people_count == 1
    member = old.members.get()
    assert member.birth_year is None and member.age_band == "65+"
    assert old.visits.count() == 1 and old.visits.get().override_reason == ""
    assert old.consents.count() == 1  # the consent ledger stays
    recent = world["recent"]
    recent.refresh_from_db()
    assert recent.last_name == "Côté"
    assert recent.visits.get().override_reason == "Exception récente"
    events = AuditEvent.objects.filter(action="household.anonymise", organisation=org_a)
    assert events.count() == 2
    assert all("Lafontaine" not in e.object_repr for e in events)
    assert AuditEvent.objects.filter(action="privacy.retention_apply").count() == 1


def test_apply_is_idempotent(world, org_a, admin_a) -> None:
    retention_apply(organisation=org_a, actor=admin_a, now=NOW)
    events = AuditEvent.objects.count()
    again = retention_apply(organisation=org_a, actor=admin_a, now=NOW)
    assert (again.households, again.visits) == (0, 0)
    assert AuditEvent.objects.count() == events


def test_anonymised_household_is_no_longer_found_by_name(world, org_a, admin_a) -> None:
    assert household_search(org=org_a, q="Lafontaine")
    retention_apply(organisation=org_a, actor=admin_a, now=NOW)
    assert household_search(org=org_a, q="Lafontaine") == []
    assert household_search(org=org_a, q="Gisele Lafontaine") == []
    assert household_search(org=org_a, q="819 555-0001") == []
    assert household_search(org=org_a, q="Côté")


def test_anonymised_household_loses_its_network_match_tokens(world, org_a, admin_a) -> None:
    from cordee.households.models_matching import HouseholdMatchToken

    network = org_a.networks.get()
    for household in (world["old"], world["recent"]):
        HouseholdMatchToken.objects.create(
            household=household, network=network, token=f"NP:{household.pk}", kind="NP"
        )
    retention_apply(organisation=org_a, actor=admin_a, now=NOW)
    assert not HouseholdMatchToken.objects.filter(household=world["old"]).exists()
    assert HouseholdMatchToken.objects.filter(household=world["recent"]).count() == 1


def test_open_request_holds_back_anonymisation(world, org_a, admin_a) -> None:
    privacy_request_register(
        actor=admin_a,
        organisation=org_a,
        household=world["old"],
        kind="access",
        received_on=timezone.localdate(),
    )
    assert _counts(org_a)["households"] == 1


def test_rules_stay_within_their_organisation(world, org_b, admin_b, register) -> None:
    other = register("Paul", "Lafontaine", actor=admin_b, org=org_b, municipality=None)
    _age(other, days=2000)
    retention_apply(organisation=org_b, actor=admin_b, now=NOW)  # org_b has no rule
    other.refresh_from_db()
    assert other.last_name == "Lafontaine"
    with pytest.raises(PermissionDenied):
        retention_apply(organisation=world["old"].organisation, actor=admin_b, now=NOW)


def test_command_dry_run_then_apply_and_task(world, org_a, capsys) -> None:
    call_command("privacy_retention_apply", "--dry-run")
    out = capsys.readouterr().out
    assert "2 household(s), 1 visit(s) would change" in out
    world["old"].refresh_from_db()
    assert world["old"].last_name == "Lafontaine"
    call_command("privacy_retention_apply")
    assert "Anonymised: 2 household(s), 1 visit(s)." in capsys.readouterr().out
    result = privacy_retention_task.enqueue()  # immediate backend in tests
    assert result.return_value == {"households": 0, "visits": 0}


def test_volunteer_cannot_manage_and_officer_can(org_a, admin_a, volunteer_a) -> None:
    with pytest.raises(PermissionDenied):
        retention_rule_set(actor=volunteer_a, organisation=org_a, category="households", months=6)
    officer = _member(org_a, Role.STAFF, "responsable@example.org")
    assert not privacy_can_manage(officer, org_a)
    privacy_profile_save(
        actor=admin_a,
        organisation=org_a,
        officer_name="Louise Gagnon",
        officer_email="vie-privee@example.org",
        officer_user=officer,
    )
    assert privacy_can_manage(officer, org_a)
    retention_rule_set(actor=officer, organisation=org_a, category="households", months=6)


def test_profile_needs_a_contact_and_a_member(org_a, admin_a, admin_b) -> None:
    with pytest.raises(ValidationError):
        privacy_profile_save(actor=admin_a, organisation=org_a, officer_name="Louise")
    with pytest.raises(ValidationError):
        privacy_profile_save(
            actor=admin_a,
            organisation=org_a,
            officer_name="Louise",
            officer_phone="819 555-0000",
            officer_user=admin_b,
        )


def test_deadline_is_thirty_days_and_overdue(register, org_a, admin_a) -> None:
    household = register()
    today = timezone.localdate()
    fresh = privacy_request_register(
        actor=admin_a, organisation=org_a, household=household, kind="access", received_on=today
    )
    assert fresh.deadline == today + timedelta(days=30)
    assert fresh.days_left() == 30 and not fresh.overdue
    late = privacy_request_register(
        actor=admin_a,
        organisation=org_a,
        household=household,
        kind="portability",
        received_on=today - timedelta(days=33),
    )
    assert late.days_left() == -3 and late.days_late == 3 and late.overdue
    privacy_request_complete(actor=admin_a, privacy_request=late, answer="Copie remise.")
    assert not late.overdue
    with pytest.raises(ValidationError):
        privacy_request_complete(actor=admin_a, privacy_request=late, answer="Encore")
    with pytest.raises(ValidationError):
        privacy_request_register(
            actor=admin_a,
            organisation=org_a,
            household=household,
            kind="access",
            received_on=today + timedelta(days=1),
        )


def test_request_for_another_organisations_household_is_refused(
    register, org_a, admin_a, admin_b, org_b
) -> None:
    theirs = register("Paul", "Roy", actor=admin_b, org=org_b, municipality=None)
    with pytest.raises(ValidationError):
        privacy_request_register(
            actor=admin_a,
            organisation=org_a,
            household=theirs,
            kind="access",
            received_on=timezone.localdate(),
        )
    assert not PrivacyRequest.objects.exists()


def test_deletion_request_anonymises_on_completion(register, org_a, admin_a) -> None:
    household = register("Anne", "Bélair")
    req = privacy_request_register(
        actor=admin_a,
        organisation=org_a,
        household=household,
        kind="deletion",
        received_on=timezone.localdate(),
    )
    privacy_request_complete(actor=admin_a, privacy_request=req, answer="Effacé.")
    household.refresh_from_db()
    assert household.last_name == "" and household.anonymisation.reason == "deletion_request"
    assert not household_anonymise(actor=admin_a, household=household, reason="again")


def test_export_holds_the_household_and_nothing_else(register, org_a, admin_a, admin_b, org_b):
    mine = register("Gisèle", "Lafontaine", phone="819 555-0001", income_source="pension")
    consent_record(actor=admin_a, household=mine, purpose=ConsentPurpose.SERVICE, method="oral")
    _visit(mine, days=3)
    neighbour = register("Roger", "Paquette")
    _visit(neighbour, days=2)
    theirs = register("Paul", "Roy", actor=admin_b, org=org_b, municipality=None)
    _visit(theirs, days=1)
    data = household_data(org=org_a, household=mine)
    assert data["household"]["last_name"] == "Lafontaine"
    assert data["household"]["phone"] == "819 555-0001"
    assert len(data["visits"]) == 1 and len(data["consents"]) == 1
    text = str(data)
    assert "Paquette" not in text and "Roy" not in text and org_b.name not in text
    with pytest.raises(ValueError):
        household_data(org=org_a, household=theirs)


def test_incident_validation(org_a, admin_a) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        privacy_incident_record(
            actor=admin_a,
            organisation=org_a,
            occurred_on=today,
            discovered_on=today - timedelta(days=1),
            description="Liste perdue",
            information_concerned="Noms",
            people_count=3,
        )
    incident = privacy_incident_record(
        actor=admin_a,
        organisation=org_a,
        discovered_on=today,
        description="Liste perdue",
        information_concerned="Noms",
        people_count=3,
    )
    assert AuditEvent.objects.filter(action="privacy_incident.record", object_id=str(incident.pk))


def test_pia_needs_every_answer(org_a, admin_a) -> None:
    answers = {key: {"answer": "yes", "notes": ""} for key, _q in PIA_QUESTIONS}
    partial = dict(list(answers.items())[:-1])
    with pytest.raises(ValidationError):
        pia_record(actor=admin_a, organisation=org_a, project="Cordée", answers=partial)
    answers["outside_quebec"] = {"answer": "no", "notes": "Serveur à Montréal"}
    pia = pia_record(actor=admin_a, organisation=org_a, project="Cordée", answers=answers)
    assert pia.answers["outside_quebec"] == {"answer": "no", "notes": "Serveur à Montréal"}

"""Correcting a household (Law 25 rectification): search, tokens, audit, roles, tenancy."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import AuditEvent
from cordee.households.models import Household
from cordee.households.models_matching import HouseholdMatchToken, MatchingDial
from cordee.households.models_privacy import PrivacyRequestKind
from cordee.households.selectors.households import household_search
from cordee.households.services.household_update import HouseholdChanges, household_update
from cordee.households.services.households import consent_record
from cordee.households.services.matching import network_policy_get
from cordee.households.services.privacy import household_anonymise, privacy_request_register


def _names(org, q):
    return [f"{h.first_name} {h.last_name}" for h in household_search(org=org, q=q)]


def _post_data(household, **overrides):
    data = {
        "first_name": household.first_name,
        "last_name": household.last_name,
        "phone": household.phone,
        "email": household.email,
        "municipality": household.municipality_id or "",
        "people_count": household.people_count,
        "birth_years": "",
    }
    return {**data, **overrides}


@pytest.fixture
def marie(register):
    return register("Marie", "Côté", phone="819 555-1234")


@pytest.fixture
def rectification(admin_a, org_a, marie):
    return privacy_request_register(
        actor=admin_a,
        organisation=org_a,
        household=marie,
        kind=PrivacyRequestKind.RECTIFICATION,
        received_on=timezone.localdate(),
    )


def test_edit_refreshes_the_search(client_a, org_a, marie):
    url = reverse("households:edit", args=[marie.pk])
    assert client_a.get(url).status_code == 200
    response = client_a.post(url, _post_data(marie, first_name="Mariette", last_name="Gagnon"))
    assert response.status_code == 302
    assert _names(org_a, "Cote") == []
    assert _names(org_a, "marie cote") == []
    assert _names(org_a, "Gagnon") == ["Mariette Gagnon"]
    assert _names(org_a, "mariette gagnon") == ["Mariette Gagnon"]
    assert _names(org_a, "Gagnom") == ["Mariette Gagnon"]  # a typo still finds the new name


def test_audit_has_field_names_only(client_a, marie):
    client_a.post(
        reverse("households:edit", args=[marie.pk]),
        _post_data(marie, last_name="Gagnon", phone="450 555-0000", birth_years="1950, 1988"),
    )
    event = AuditEvent.objects.get(action="household.update")
    assert sorted(event.changed_fields) == ["last_name", "members.birth_year", "phone"]
    assert "555" not in str(event.changed_fields)  # names of fields, never values
    marie.refresh_from_db()
    assert marie.phone_digits == "4505550000"
    assert sorted(marie.members.values_list("birth_year", flat=True)) == [1950, 1988]


def test_tokens_follow_the_new_name(admin_a, org_a, marie):
    network = org_a.network_memberships.get().network
    policy = network_policy_get(network=network)
    policy.dial = MatchingDial.MATCH_ONLY
    policy.save()
    consent_record(actor=admin_a, household=marie, purpose="duplicate_check", method="paper")
    before = set(
        HouseholdMatchToken.objects.filter(household=marie).values_list("token", flat=True)
    )
    assert before
    household_update(
        actor=admin_a,
        household=marie,
        changes=HouseholdChanges(first_name="Lucie", last_name="Bouchard", phone="819 555-1234"),
    )
    after = set(HouseholdMatchToken.objects.filter(household=marie).values_list("token", flat=True))
    assert after and after != before


def test_saving_from_a_request_records_the_rectification(client_a, marie, rectification):
    url = reverse("households:edit", args=[marie.pk]) + f"?demande={rectification.pk}"
    assert "Elle sera notée dans la demande" in client_a.get(url).content.decode()
    detail = reverse("households:detail", args=[marie.pk]) + f"?demande={rectification.pk}"
    assert f"?demande={rectification.pk}" in client_a.get(detail).content.decode()
    response = client_a.post(url, _post_data(marie, last_name="Côté-Roy"))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:privacy_request", args=[rectification.pk])
    event = AuditEvent.objects.get(action="privacy_request.rectification")
    assert event.object_id == str(rectification.pk)
    assert event.changed_fields == ["household.last_name"]


def test_a_request_of_another_household_is_refused(client_a, register, rectification):
    other = register("Luc", "Roy")
    url = reverse("households:edit", args=[other.pk]) + f"?demande={rectification.pk}"
    assert client_a.get(url).status_code == 404


def test_another_organisation_gets_404(client_b, marie, rectification):
    url = reverse("households:edit", args=[marie.pk])
    assert client_b.get(url).status_code == 404
    assert client_b.post(url, _post_data(marie, last_name="Volé")).status_code == 404
    marie.refresh_from_db()
    assert marie.last_name == "Côté"


def test_volunteer_cannot_edit_restricted_fields(client, volunteer_a, marie):
    client.force_login(volunteer_a)
    url = reverse("households:edit", args=[marie.pk])
    page = client.get(url).content.decode()
    assert 'name="income_source"' not in page
    response = client.post(
        url, _post_data(marie, first_name="Marie-Ève", income_source="employment")
    )
    assert response.status_code == 302
    marie.refresh_from_db()
    assert (marie.first_name, marie.income_source) == ("Marie-Ève", "")
    with pytest.raises(PermissionDenied):
        household_update(
            actor=volunteer_a,
            household=marie,
            changes=HouseholdChanges(
                first_name="Marie", last_name="Côté", income_source="employment"
            ),
        )


def test_coordinator_edits_restricted_fields(client, coordinator_a, marie):
    client.force_login(coordinator_a)
    url = reverse("households:edit", args=[marie.pk])
    assert 'name="income_source"' in client.get(url).content.decode()
    client.post(
        url, _post_data(marie, income_source="employment", household_type="", housing_type="")
    )
    marie.refresh_from_db()
    assert marie.income_source == "employment"
    assert AuditEvent.objects.get(action="household.update").changed_fields == ["income_source"]


def test_bad_input_keeps_everything_and_explains(client_a, marie):
    url = reverse("households:edit", args=[marie.pk])
    response = client_a.post(url, _post_data(marie, last_name="Gagnon", phone="12"))
    assert response.status_code == 400
    response = client_a.post(url, _post_data(marie, birth_years="1950, abc"))
    assert response.status_code == 400
    response = client_a.post(url, _post_data(marie, birth_years="1850"))
    assert response.status_code == 400
    assert Household.objects.get(pk=marie.pk).last_name == "Côté"
    assert not AuditEvent.objects.filter(action="household.update").exists()


def test_an_anonymised_household_cannot_be_corrected(admin_a, marie):
    household_anonymise(actor=admin_a, household=marie, reason="test")
    with pytest.raises(ValidationError):
        household_update(
            actor=admin_a,
            household=marie,
            changes=HouseholdChanges(first_name="Marie", last_name="Côté"),
        )
    assert Household.objects.get(pk=marie.pk).first_name == ""

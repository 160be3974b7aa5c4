"""Suggested merges within one organisation and the merge service: never automatic, audited."""

import pytest
from django.urls import reverse

from cordee.core.models import AuditEvent
from cordee.households.models import ConsentPurpose, Household, HouseholdMember, Visit
from cordee.households.selectors.matching import merge_suggestions
from cordee.households.services.households import consent_record
from cordee.households.services.matching import household_merge
from cordee.households.services.visits import visit_check_in


@pytest.fixture
def twins(register):
    """The same household registered twice at org_a, and someone else."""
    first = register("Jean-François", "Tremblay", phone="819 555-9876")
    second = register("JF", "Tremblay", phone="(819) 555-9876", email="jf@example.org")
    other = register("Lucie", "Gagnon", phone="819 555-1111")
    return first, second, other


def test_suggestions_pair_the_twins_only_and_merge_nothing(twins, org_a, org_b):
    first, second, _other = twins
    [suggestion] = merge_suggestions(org=org_a)
    assert {suggestion.first.pk, suggestion.second.pk} == {first.pk, second.pk}
    assert Household.objects.filter(organisation=org_a).count() == 3  # nothing merged
    assert merge_suggestions(org=org_b) == []


def test_merge_moves_everything_and_audits_both_ids(twins, admin_a, org_a):
    first, second, _other = twins
    visit = visit_check_in(actor=admin_a, household=second, organisation=org_a).visit
    consent = consent_record(
        actor=admin_a, household=second, purpose=ConsentPurpose.SERVICE, method="oral"
    )
    member = HouseholdMember.objects.create(household=second, birth_year=2015)
    kept = household_merge(actor=admin_a, organisation=org_a, keep=first, remove=second)
    assert kept.pk == first.pk
    assert not Household.objects.filter(pk=second.pk).exists()
    assert Visit.objects.get(pk=visit.pk).household_id == first.pk
    consent.refresh_from_db()
    member.refresh_from_db()
    assert consent.household_id == first.pk and member.household_id == first.pk
    kept.refresh_from_db()
    assert kept.email == "jf@example.org"  # an empty field filled from the other file
    assert kept.last_visit_at is not None
    event = AuditEvent.objects.get(action="household.merge")
    assert event.object_id == str(first.pk)
    assert f"merged_household_id:{second.pk}" in event.changed_fields
    assert {"visits", "consents", "members"} <= set(event.changed_fields)


def test_merge_refuses_volunteers_and_other_organisations(
    twins, volunteer_a, admin_b, org_a, org_b, register, admin_a
):
    from django.core.exceptions import PermissionDenied, ValidationError

    first, second, _other = twins
    with pytest.raises(PermissionDenied):
        household_merge(actor=volunteer_a, organisation=org_a, keep=first, remove=second)
    theirs = register("Jean-François", "Tremblay", actor=admin_b, org=org_b)
    with pytest.raises(PermissionDenied):
        household_merge(actor=admin_b, organisation=org_b, keep=theirs, remove=first)
    with pytest.raises(ValidationError):
        household_merge(actor=admin_a, organisation=org_a, keep=first, remove=first)
    assert Household.objects.count() == 4


def test_merge_pages(client, admin_a, twins):
    first, second, _other = twins
    client.force_login(admin_a)
    page = client.get(reverse("households:merges"))
    html = page.content.decode()
    assert page.status_code == 200 and "JF" in html and "Lucie" not in html
    response = client.post(reverse("households:merge"), {"keep": second.pk, "remove": first.pk})
    assert response.status_code == 302
    assert list(Household.objects.filter(last_name="Tremblay").values_list("pk", flat=True)) == [
        second.pk
    ]


def test_merge_pages_tenancy(client, admin_b, volunteer_a, twins):
    first, second, _other = twins
    client.force_login(admin_b)
    page = client.get(reverse("households:merges"))
    assert page.status_code == 200 and "Tremblay" not in page.content.decode()
    response = client.post(reverse("households:merge"), {"keep": first.pk, "remove": second.pk})
    assert response.status_code == 404
    client.force_login(volunteer_a)
    assert client.get(reverse("households:merges")).status_code == 403
    assert Household.objects.filter(last_name="Tremblay").count() == 2


def test_registration_page_links_for_coordinators_only(client, admin_a, volunteer_a):
    client.force_login(admin_a)
    html = client.get(reverse("households:new")).content.decode()
    assert reverse("households:merges") in html and reverse("households:import") in html
    client.force_login(volunteer_a)
    html = client.get(reverse("households:new")).content.decode()
    assert reverse("households:merges") not in html and reverse("households:import") not in html

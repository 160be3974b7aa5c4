"""The counter's pages: check-in, new household, detail, card; tenancy and restricted fields."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import AuditEvent
from cordee.households.models import Consent, ConsentPurpose, Household, Visit
from cordee.households.services.households import consent_record
from cordee.households.services.visits import visit_check_in


@pytest.fixture
def household(register):
    return register(
        "Marie",
        "Côté",
        phone="819 555-1234",
        income_source="social_assistance",
        housing_type="rental",
        household_type="single_parent",
    )


@pytest.fixture
def consent(household, admin_a):
    return consent_record(
        actor=admin_a, household=household, purpose=ConsentPurpose.SERVICE, method="oral"
    )


def _url_cases(household, visit, consent):
    pk = household.pk
    return [
        ("get", reverse("households:detail", args=[pk])),
        ("get", reverse("households:card", args=[pk])),
        ("post", reverse("households:visit_record", args=[pk])),
        ("post", reverse("households:consent_add", args=[pk])),
        ("post", reverse("households:consent_withdraw", args=[pk, consent.pk])),
        ("post", reverse("households:visit_cancel", args=[visit.pk])),
    ]


def test_another_organisation_gets_404_everywhere(client, admin_b, household, consent, admin_a):
    visit = visit_check_in(actor=admin_a, household=household, organisation=household.organisation)
    client.force_login(admin_b)
    for method, url in _url_cases(household, visit.visit, consent):
        response = getattr(client, method)(url, {"visit_type": "basket"})
        assert response.status_code == 404, url
    # Lists: the search shows nothing of org_a, with or without htmx.
    for headers in ({}, {"HX-Request": "true"}):
        page = client.get(reverse("households:checkin"), {"q": "Cote"}, headers=headers)
        assert page.status_code == 200 and "Côté" not in page.content.decode()
    visit.visit.refresh_from_db()
    consent.refresh_from_db()
    assert visit.visit.cancelled_at is None and consent.withdrawn_on is None
    assert Visit.objects.count() == 1 and Consent.objects.count() == 1


def test_signed_out_and_roleless_people_are_kept_out(client, household, org_a):
    url = reverse("households:checkin")
    assert client.get(url).status_code == 302
    from conftest import _member

    viewer = _member(org_a, "viewer", "lecture@example.org")
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 403


def test_sensitive_fields_hidden_from_volunteers_and_not_audited(client, volunteer_a, household):
    client.force_login(volunteer_a)
    page = client.get(reverse("households:detail", args=[household.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Marie" in html
    assert "Aide sociale" not in html and "Locataire" not in html
    assert "Famille monoparentale" not in html
    assert not AuditEvent.objects.filter(action="household.sensitive_read").exists()


@pytest.mark.parametrize("role_fixture", ["admin_a", "coordinator_a"])
def test_sensitive_fields_shown_to_allowed_roles_and_each_read_audited(
    client, household, request, role_fixture
):
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    url = reverse("households:detail", args=[household.pk])
    html = client.get(url).content.decode()
    assert "Aide sociale" in html and "Locataire (marché privé)" in html
    client.get(url)
    events = AuditEvent.objects.filter(action="household.sensitive_read", actor=user)
    assert events.count() == 2
    assert set(events.first().changed_fields) == {
        "income_source",
        "housing_type",
        "household_type",
        "health_notes",
    }
    assert events.first().object_id == str(household.pk)


def test_check_in_page_search_record_and_undo(client, volunteer_a, household):
    client.force_login(volunteer_a)
    page = client.get(reverse("households:checkin"), {"q": "cote"})
    html = page.content.decode()
    assert "Marie Côté" in html and "Enregistrer la visite" in html
    partial = client.get(reverse("households:checkin"), {"q": "cote"}, headers={"HX-Request": "1"})
    assert "<html" not in partial.content.decode() and "Marie Côté" in partial.content.decode()
    response = client.post(
        reverse("households:visit_record", args=[household.pk]), {"visit_type": "meal"}
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and f"fait={visit.pk}" in response["Location"]
    assert visit.visit_type == "meal" and visit.recorded_by == volunteer_a
    done = client.get(response["Location"]).content.decode()
    assert "Visite enregistrée : Marie Côté — Repas" in done and "Annuler" in done
    client.post(reverse("households:visit_cancel", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.cancelled_at is not None
    # Too late: the banner no longer offers to cancel, and the service refuses.
    again = visit_check_in(
        actor=volunteer_a, household=household, organisation=household.organisation
    )
    Visit.objects.filter(pk=again.visit.pk).update(visited_at=timezone.now() - timedelta(minutes=6))
    late = client.get(reverse("households:checkin"), {"fait": again.visit.pk}).content.decode()
    assert "Possible pendant 5 minutes" not in late
    client.post(reverse("households:visit_cancel", args=[again.visit.pk]))
    again.visit.refresh_from_db()
    assert again.visit.cancelled_at is None


def test_refused_visit_explains_and_override_needs_the_role(
    client, volunteer_a, coordinator_a, household, org_a
):
    from cordee.households.models import EligibilityRule

    EligibilityRule.objects.create(organisation=org_a, min_days_between_visits=7)
    visit_check_in(actor=volunteer_a, household=household, organisation=org_a)
    url = reverse("households:visit_record", args=[household.pk])
    client.force_login(volunteer_a)
    html = client.post(url, {"visit_type": "basket"}).content.decode()
    assert "Dernière visite aujourd&#x27;hui — prochaine visite possible" in html
    assert "Faire une exception" not in html
    assert client.post(url, {"visit_type": "basket", "override_reason": "x"}).status_code == 403
    client.force_login(coordinator_a)
    assert "Faire une exception" in client.post(url, {"visit_type": "basket"}).content.decode()
    response = client.post(url, {"visit_type": "basket", "override_reason": "Feu de logement"})
    assert response.status_code == 302
    assert Visit.objects.filter(override_reason="Feu de logement").count() == 1


def test_new_household_quick_form(client, volunteer_a, town):
    client.force_login(volunteer_a)
    page = client.get(reverse("households:new"))
    fields = {"first_name", "last_name", "phone", "municipality", "people_count"}
    html = page.content.decode()
    assert all(f'name="{name}"' in html for name in fields)
    response = client.post(
        reverse("households:new"),
        {
            "first_name": "Réjean",
            "last_name": "Paquette",
            "phone": "819-555-4444",
            "municipality": town.pk,
            "people_count": "3",
        },
    )
    household = Household.objects.get()
    assert response.status_code == 302 and f"q={household.card_number}" in response["Location"]
    assert household.people_count == 3 and household.phone_digits == "8195554444"
    bad = client.post(reverse("households:new"), {"first_name": "", "people_count": "0"})
    assert bad.status_code == 200 and "Ce champ est obligatoire" in bad.content.decode()
    assert Household.objects.count() == 1


def test_card_has_qr_code_and_number(client, volunteer_a, household):
    client.force_login(volunteer_a)
    html = client.get(reverse("households:card", args=[household.pk])).content.decode()
    assert "<svg" in html and f"Carte n° {household.card_number}" in html
    assert "style=" not in html.split("<main", 1)[1]


def test_consent_add_and_withdraw_pages(client, volunteer_a, household):
    client.force_login(volunteer_a)
    url = reverse("households:consent_add", args=[household.pk])
    assert client.post(url, {"purpose": "statistics", "method": "online"}).status_code == 302
    consent = Consent.objects.get()
    bad = client.post(url, {"purpose": "", "method": "online"})
    assert bad.status_code == 400 and Consent.objects.count() == 1
    client.post(reverse("households:consent_withdraw", args=[household.pk, consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    html = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Retiré le" in html


def test_nav_link_for_counter_roles(client, volunteer_a):
    client.force_login(volunteer_a)
    html = client.get(reverse("households:checkin")).content.decode()
    assert "Accueil des ménages" in html

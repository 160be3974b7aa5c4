"""The eligibility rules screen (/menages/regles/) and its service."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cordee.core.models import AuditEvent, Municipality
from cordee.households.models import EligibilityRule
from cordee.households.selectors.eligibility import eligibility_for
from cordee.households.services.eligibility_rules import eligibility_rule_save

URL = reverse("households:rules")


@pytest.fixture
def other_town(db):
    return Municipality.objects.exclude(name="Sainte-Agathe-des-Monts").order_by("name").first()


def _post(client, **fields):
    data = {"min_days_between_visits": "", "proof_renewal_months": ""}
    data.update({k: str(v) for k, v in fields.items() if k != "territory"})
    if "territory" in fields:
        data["territory"] = [str(m.pk) for m in fields["territory"]]
    return client.post(URL, data)


def test_coordinator_saves_the_rules_and_the_check_in_uses_them(
    client, org_a, coordinator_a, town, other_town, register
):
    household = register(municipality=other_town)
    client.force_login(coordinator_a)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Règles d'admissibilité" in page.content.decode()
    assert "l'accueil dit « Admissible »" in page.content.decode()
    response = _post(
        client,
        territory=[town],
        min_days_between_visits=7,
        proof_renewal_months=12,
        ceiling_1=25000,
        ceiling_6=60000,
    )
    assert response.status_code == 302
    rule = EligibilityRule.objects.get(organisation=org_a)
    assert list(rule.territory.all()) == [town]
    assert (rule.min_days_between_visits, rule.proof_renewal_months) == (7, 12)
    assert rule.income_ceilings == {"1": 2_500_000, "6": 6_000_000}
    event = AuditEvent.objects.get(action="eligibility_rule.create")
    assert event.actor == coordinator_a
    assert event.changed_fields == [
        "income_ceilings",
        "min_days_between_visits",
        "proof_renewal_months",
        "territory",
    ]
    result = eligibility_for(household)
    assert not result.eligible
    assert "Habite hors du territoire desservi." in result.reasons
    # The page now shows what the check-in will say, and the saved values.
    page = client.get(URL).content.decode()
    assert "Dernière visite il y a 2 jours" in page
    assert "Habite hors du territoire desservi." in page
    assert 'value="25000"' in page


def test_saving_again_audits_only_what_changed(client, org_a, admin_a, town):
    eligibility_rule_save(actor=admin_a, organisation=org_a, territory=[town])
    client.force_login(admin_a)
    assert _post(client, territory=[town], min_days_between_visits=14).status_code == 302
    event = AuditEvent.objects.get(action="eligibility_rule.update")
    assert event.changed_fields == ["min_days_between_visits"]
    # Empty boxes remove the rules.
    assert _post(client).status_code == 302
    rule = EligibilityRule.objects.get(organisation=org_a)
    assert rule.min_days_between_visits is None
    assert not rule.territory.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"min_days_between_visits": 0},
            "min_days_between_visits",
            "Écrivez un nombre de jours entre 1 et 365, ou laissez vide s&#x27;il n&#x27;y a pas "
            "de limite.",
        ),
        (
            {"proof_renewal_months": 61},
            "proof_renewal_months",
            "Écrivez un nombre de mois entre 1 et 60, ou laissez vide.",
        ),
        (
            {"min_days_between_visits": "sept"},
            "min_days_between_visits",
            "Écrivez un nombre entier, par exemple 7.",
        ),
        ({"ceiling_2": -5}, "ceiling_2", "Écrivez un montant entre 1 $ et 500 000 $ par année."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_saved(
    client, org_a, coordinator_a, fields, field, message
):
    client.force_login(coordinator_a)
    response = _post(client, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}"' in page
    assert not EligibilityRule.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="eligibility_rule").exists()


def test_volunteers_may_not_edit_the_rules(client, org_a, volunteer_a):
    client.force_login(volunteer_a)
    assert client.get(URL).status_code == 403
    assert _post(client, min_days_between_visits=7).status_code == 403
    assert not EligibilityRule.objects.exists()
    with pytest.raises(PermissionDenied):
        eligibility_rule_save(actor=volunteer_a, organisation=org_a, min_days_between_visits=7)


def test_each_organisation_sees_and_edits_only_its_own_rule(
    client, org_a, org_b, admin_a, admin_b, town
):
    eligibility_rule_save(
        actor=admin_a, organisation=org_a, territory=[town], min_days_between_visits=21
    )
    client.force_login(admin_b)
    page = client.get(URL).content.decode()
    days_input = re.search(r"<input[^>]*id_min_days_between_visits[^>]*>", page)
    assert days_input is not None and "value" not in days_input.group(0)
    assert " checked" not in page
    assert _post(client, min_days_between_visits=3).status_code == 302
    mine = EligibilityRule.objects.get(organisation=org_a)
    assert mine.min_days_between_visits == 21
    assert list(mine.territory.all()) == [town]
    assert EligibilityRule.objects.get(organisation=org_b).min_days_between_visits == 3
    with pytest.raises(PermissionDenied):
        eligibility_rule_save(actor=admin_b, organisation=org_a, min_days_between_visits=1)


def test_the_check_in_links_to_the_rules_for_managers_only(
    client, org_a, coordinator_a, volunteer_a
):
    client.force_login(coordinator_a)
    assert URL in client.get(reverse("households:checkin")).content.decode()
    client.force_login(volunteer_a)
    assert URL not in client.get(reverse("households:checkin")).content.decode()

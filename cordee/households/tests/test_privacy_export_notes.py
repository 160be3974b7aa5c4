"""Access/portability export: referrals always; intervention notes only for a social worker,
each note read leaving its audit event."""

import json
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from conftest import _member
from cordee.core.models import AuditEvent, Role
from cordee.core.tests.factories import NetworkMembershipFactory
from cordee.households.models import Consent, ConsentMethod, ConsentPurpose
from cordee.households.models_referrals import Referral
from cordee.households.selectors.privacy import household_data
from cordee.households.services.notes import intervention_note_write
from cordee.households.services.privacy import privacy_profile_save, privacy_request_register

NOTE = "Suivi budgétaire, rencontre prévue avec la travailleuse sociale."
OTHER_NOTE = "Note sur un autre ménage."


@pytest.fixture
def intervenant_a(org_a):
    return _member(org_a, Role.INTERVENANT, "intervenante-a@example.org")


@pytest.fixture
def world(register, org_a, org_b, admin_a, intervenant_a):
    """Gisèle has a note and a referral; Roger has a note of his own."""
    gisele = register("Gisèle", "Lafontaine")
    roger = register("Roger", "Paquette")
    intervention_note_write(actor=intervenant_a, household=gisele, text=NOTE)
    intervention_note_write(actor=intervenant_a, household=roger, text=OTHER_NOTE)
    NetworkMembershipFactory(network=org_a.networks.get(), organisation=org_b)
    consent = Consent.objects.create(
        household=gisele,
        purpose=ConsentPurpose.REFERRALS,
        given_on=timezone.localdate(),
        method=ConsentMethod.ORAL,
        recorded_by=admin_a,
    )
    Referral.objects.create(
        from_organisation=org_a,
        to_organisation=org_b,
        household=gisele,
        consent=consent,
        service="collective_kitchen",
        reason="Aimerait apprendre à cuisiner en groupe.",
        shared="contact",
        sent_by=admin_a,
    )
    request = privacy_request_register(
        actor=admin_a,
        organisation=org_a,
        household=gisele,
        kind="access",
        received_on=timezone.localdate() - timedelta(days=2),
    )
    return {"gisele": gisele, "roger": roger, "request": request}


def _reads():
    return AuditEvent.objects.filter(action="intervention_note.read")


def test_admin_export_has_referrals_but_no_notes(client, admin_a, world):
    client.force_login(admin_a)
    url = reverse("households:privacy_request_json", args=[world["request"].pk])
    response = client.get(url)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["intervention_notes"] is None
    assert NOTE not in response.content.decode()
    assert not _reads().exists()
    [referral] = data["referrals"]
    assert referral["to"] == "Comptoir B"
    assert referral["reason"] == "Aimerait apprendre à cuisiner en groupe."
    assert referral["status"] == "En attente de réponse"
    event = AuditEvent.objects.get(action="privacy_request.export_json")
    assert "referrals" in event.changed_fields


def test_social_worker_in_charge_exports_the_notes_and_each_read_is_logged(
    client, org_a, admin_a, intervenant_a, world
):
    privacy_profile_save(
        actor=admin_a,
        organisation=org_a,
        officer_name="Iris",
        officer_email="iris@example.org",
        officer_user=intervenant_a,
    )
    client.force_login(intervenant_a)
    url = reverse("households:privacy_request_json", args=[world["request"].pk])
    response = client.get(url)
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [n["text"] for n in data["intervention_notes"]] == [NOTE]
    assert OTHER_NOTE not in response.content.decode()  # only this household's notes
    [event] = _reads()
    assert event.actor == intervenant_a
    assert event.organisation == org_a
    assert event.object_type == "interventionnote"


def test_the_role_is_checked_in_the_households_organisation(org_a, org_b, world):
    """A social worker of another organisation gets no notes (and no read is logged)."""
    stranger = _member(org_b, Role.INTERVENANT, "intervenante-b@example.org")
    data = household_data(org=org_a, household=world["gisele"], actor=stranger)
    assert data["intervention_notes"] is None
    data = household_data(org=org_a, household=world["gisele"])
    assert data["intervention_notes"] is None
    assert not _reads().exists()


def test_the_pdf_shows_the_notes_only_when_present(org_a, intervenant_a, world):
    with_notes = household_data(org=org_a, household=world["gisele"], actor=intervenant_a)
    without = household_data(org=org_a, household=world["gisele"])
    with translation.override("fr-ca"):
        page = render_to_string("households/privacy/export_pdf.html", {"data": with_notes})
        plain = render_to_string("households/privacy/export_pdf.html", {"data": without})
    assert NOTE in page and "Notes d'intervention" in page
    assert NOTE not in plain and "Notes d'intervention" not in plain
    assert "Aimerait apprendre à cuisiner en groupe." in plain

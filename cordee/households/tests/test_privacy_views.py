"""Law 25 pages: public policy page, access (roles), tenancy (404), exports, incident CSV."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import _member
from cordee.core.models import AuditEvent, Role
from cordee.households.models_privacy import PiaAssessment, PrivacyIncident, PrivacyRequest
from cordee.households.services.privacy import (
    PIA_QUESTIONS,
    privacy_incident_record,
    privacy_profile_save,
    privacy_request_register,
)

POLICY = "Nous recueillons seulement votre nom et votre municipalité."


@pytest.fixture
def profile(org_a, admin_a):
    return privacy_profile_save(
        actor=admin_a,
        organisation=org_a,
        officer_name="Louise Gagnon",
        officer_title="Directrice",
        officer_email="vie-privee@example.org",
        policy_text=POLICY,
        policy_version="2026-1",
        policy_published_on=timezone.localdate(),
    )


@pytest.fixture
def access_request(register, org_a, admin_a):
    household = register("Gisèle", "Lafontaine", phone="819 555-0001")
    register("Roger", "Paquette")
    return privacy_request_register(
        actor=admin_a,
        organisation=org_a,
        household=household,
        kind="access",
        received_on=timezone.localdate() - timedelta(days=35),
    )


@pytest.fixture
def incident(org_a, admin_a):
    return privacy_incident_record(
        actor=admin_a,
        organisation=org_a,
        occurred_on=timezone.localdate() - timedelta(days=3),
        discovered_on=timezone.localdate() - timedelta(days=1),
        description="Une liste de présence oubliée dans le camion",
        information_concerned="Noms, numéros de carte",
        people_count=12,
        risk_level="low",
        measures_taken="Liste récupérée; rappel aux bénévoles",
    )


def test_public_page_shows_policy_and_contact_without_sign_in(client, profile, org_a) -> None:
    response = client.get(reverse("privacy_public", args=[org_a.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert POLICY in page and "Louise Gagnon" in page and "vie-privee@example.org" in page
    assert "Responsable de la protection des renseignements personnels" in page
    assert "Lafontaine" not in page


def test_public_page_404_until_published_or_for_unknown(client, org_a, org_b, admin_a) -> None:
    privacy_profile_save(
        actor=admin_a, organisation=org_a, officer_name="Louise", officer_phone="819 555-0000"
    )
    assert client.get(reverse("privacy_public", args=[org_a.slug])).status_code == 404
    assert client.get(reverse("privacy_public", args=["inconnu"])).status_code == 404


def test_footer_links_to_the_public_page(client_a, profile, org_a) -> None:
    page = client_a.get(reverse("households:privacy_home")).content.decode()
    assert reverse("privacy_public", args=[org_a.slug]) in page


def test_roles(client, org_a, volunteer_a, access_request, incident) -> None:
    client.force_login(volunteer_a)
    assert client.get(reverse("households:privacy_home")).status_code == 403
    assert client.get(reverse("households:privacy_incidents_csv")).status_code == 403
    coordinator = _member(org_a, Role.COORDINATOR, "coord@example.org")
    client.force_login(coordinator)
    assert client.get(reverse("households:privacy_requests")).status_code == 200
    detail = reverse("households:privacy_request", args=[access_request.pk])
    assert client.get(detail).status_code == 200
    # Coordinators read; they do not export or answer.
    url = reverse("households:privacy_request_json", args=[access_request.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("households:privacy_incident_new")).status_code == 403
    client.logout()
    response = client.get(reverse("households:privacy_home"))
    assert response.status_code == 302


def test_another_organisation_gets_404(client_b, access_request, incident, org_a, admin_a) -> None:
    pia = PiaAssessment.objects.create(
        organisation=org_a, project="X", completed_on=timezone.localdate(), completed_by=admin_a
    )
    for name, pk in [
        ("privacy_request", access_request.pk),
        ("privacy_request_json", access_request.pk),
        ("privacy_request_pdf", access_request.pk),
        ("privacy_incident", incident.pk),
        ("privacy_pia", pia.pk),
    ]:
        assert client_b.get(reverse(f"households:{name}", args=[pk])).status_code == 404, name
    url = reverse("households:privacy_request_complete", args=[access_request.pk])
    assert client_b.post(url, {"answer": "x"}).status_code == 404
    assert "Lafontaine" not in client_b.get(reverse("households:privacy_requests")).content.decode()
    csv_text = client_b.get(reverse("households:privacy_incidents_csv")).content.decode()
    assert "camion" not in csv_text


def test_request_list_highlights_overdue(client_a, access_request) -> None:
    page = client_a.get(reverse("households:privacy_requests")).content.decode()
    assert "overdue" in page and "5 jours de retard" in page


def test_register_request_via_form(client_a, register, org_a, admin_b, org_b) -> None:
    household = register()
    theirs = register("Paul", "Roy", actor=admin_b, org=org_b, municipality=None)
    url = reverse("households:privacy_request_new")
    response = client_a.post(
        url, {"household": theirs.pk, "kind": "access", "received_on": timezone.localdate()}
    )
    assert response.status_code == 400 and not PrivacyRequest.objects.exists()
    response = client_a.post(
        url,
        {"household": household.pk, "kind": "rectification", "received_on": timezone.localdate()},
    )
    created = PrivacyRequest.objects.get()
    assert response.status_code == 302
    page = client_a.get(reverse("households:privacy_request", args=[created.pk])).content.decode()
    assert "30 jours restants" in page
    assert f"{reverse('households:detail', args=[household.pk])}?demande={created.pk}" in page


def test_json_export_and_completion(client_a, access_request) -> None:
    url = reverse("households:privacy_request_json", args=[access_request.pk])
    response = client_a.get(url)
    data = json.loads(response.content)
    assert data["household"]["last_name"] == "Lafontaine"
    assert "Paquette" not in response.content.decode()
    assert AuditEvent.objects.filter(action="privacy_request.export_json").count() == 1
    complete = reverse("households:privacy_request_complete", args=[access_request.pk])
    assert client_a.post(complete, {"answer": ""}).status_code == 400
    assert client_a.post(complete, {"answer": "Copie remise en main propre."}).status_code == 302
    access_request.refresh_from_db()
    assert access_request.completed_on == timezone.localdate()


def test_pdf_export(client_a, access_request) -> None:
    response = client_a.get(reverse("households:privacy_request_pdf", args=[access_request.pk]))
    assert response.status_code in (200, 503)  # 503: WeasyPrint's libraries missing
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="privacy_request.export_pdf").count() == 1


def test_incident_form_and_csv(client_a, incident) -> None:
    response = client_a.post(
        reverse("households:privacy_incident_new"),
        {
            "discovered_on": timezone.localdate(),
            "description": "Courriel envoyé au mauvais organisme",
            "information_concerned": "Nom, téléphone",
            "people_count": 1,
            "risk_level": "serious",
            "cai_notified_on": timezone.localdate(),
        },
    )
    assert response.status_code == 302
    assert PrivacyIncident.objects.count() == 2
    response = client_a.get(reverse("households:privacy_incidents_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "Date de la découverte"
    assert len(rows) == 3
    by_description = {row[2]: row for row in rows[1:]}
    assert (
        by_description["Courriel envoyé au mauvais organisme"][5] == "Risque de préjudice sérieux"
    )
    assert by_description["Une liste de présence oubliée dans le camion"][4] == "12"


def test_retention_page_preview_and_apply(client_a, register, org_a) -> None:
    old = register("Gisèle", "Lafontaine")
    when = timezone.now() - timedelta(days=800)
    type(old).objects.filter(pk=old.pk).update(created_at=when, last_visit_at=when)
    response = client_a.post(
        reverse("households:privacy_retention_rule"),
        {"category": "households", "months": 24, "active": "on"},
    )
    assert response.status_code == 302
    page = client_a.get(reverse("households:privacy_retention")).content.decode()
    assert 'data-category="households">1<' in page
    client_a.post(reverse("households:privacy_retention_apply"))
    old.refresh_from_db()
    assert old.last_name == ""
    page = client_a.get(reverse("households:privacy_retention")).content.decode()
    assert 'data-category="households">0<' in page


def test_pia_form(client_a, org_a) -> None:
    data = {"project": "Nouveau logiciel de dons", "completed_on": timezone.localdate()}
    data |= {f"q_{key}": "yes" for key, _q in PIA_QUESTIONS}
    data["q_outside_quebec"] = "na"
    response = client_a.post(reverse("households:privacy_pia_new"), data)
    assert response.status_code == 302
    pia = PiaAssessment.objects.get()
    page = client_a.get(reverse("households:privacy_pia", args=[pia.pk])).content.decode()
    assert "Nouveau logiciel de dons" in page and "Ne s’applique pas" in page
    del data["q_purpose"]
    assert client_a.post(reverse("households:privacy_pia_new"), data).status_code == 400


def test_profile_edit_admin_only(client, client_a, org_a) -> None:
    response = client_a.post(
        reverse("households:privacy_profile"),
        {
            "officer_name": "Louise Gagnon",
            "officer_email": "lg@example.org",
            "policy_text": POLICY,
            "policy_version": "1",
            "policy_published_on": timezone.localdate(),
        },
    )
    assert response.status_code == 302
    coordinator = _member(org_a, Role.COORDINATOR, "coord@example.org")
    client.force_login(coordinator)
    assert client.get(reverse("households:privacy_profile")).status_code == 403

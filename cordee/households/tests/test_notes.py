"""Intervention notes: only the organisation's social workers read them, every read is
logged, and they leave Cordée only through an explicit export with a reason."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import _member
from cordee.core.models import AuditEvent, Membership, Role
from cordee.households.models_referrals import InterventionNote, NoteExport
from cordee.households.services.notes import (
    intervention_note_write,
    intervention_notes_export,
    intervention_notes_read,
)

SECRET = "Situation familiale difficile"


@pytest.fixture
def worker_a(org_a):
    return _member(org_a, Role.INTERVENANT, "intervenante-a@example.org")


@pytest.fixture
def household(register):
    return register("Marie", "Côté")


@pytest.fixture
def note(worker_a, household):
    return intervention_note_write(actor=worker_a, household=household, text=SECRET)


def _reads(note):
    return AuditEvent.objects.filter(action="intervention_note.read", object_id=str(note.pk))


def test_the_social_worker_writes_and_every_read_is_logged(client, worker_a, household, note):
    client.force_login(worker_a)
    url = reverse("households:notes", args=[household.pk])
    detail_page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert url in detail_page and SECRET not in detail_page
    response = client.post(url, {"text": "Deuxième note", "follow_up_on": ""})
    assert response.status_code == 302
    second = InterventionNote.objects.get(text="Deuxième note")
    assert second.author == worker_a and second.organisation == household.organisation
    before = _reads(note).count()
    html = client.get(url).content.decode()
    assert SECRET in html and "Deuxième note" in html
    assert _reads(note).count() == before + 1 and _reads(second).count() == 1
    event = _reads(note).last()
    assert event.actor == worker_a and event.organisation == household.organisation
    page = client.get(reverse("households:note_detail", args=[note.pk]))
    assert page.status_code == 200 and SECRET in page.content.decode()
    assert _reads(note).count() == before + 2
    # The audit log never holds the text.
    assert not AuditEvent.objects.filter(object_repr__contains="difficile").exists()


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF, Role.VOLUNTEER])
def test_notes_are_invisible_without_the_social_worker_role(client, org_a, household, note, role):
    user = _member(org_a, role, f"{role}@example.org")
    client.force_login(user)
    for url in (
        reverse("households:notes", args=[household.pk]),
        reverse("households:note_detail", args=[note.pk]),
        reverse("households:notes_export", args=[household.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    response = client.post(
        reverse("households:notes_export", args=[household.pk]),
        {"reason": "Curiosité", "format": "csv"},
    )
    assert response.status_code in (403, 404)
    assert (
        client.post(reverse("households:notes", args=[household.pk]), {"text": "x"}).status_code
        == 403
    )
    # Not in any page they can open.
    pages = [
        reverse("households:detail", args=[household.pk]),
        reverse("households:checkin") + "?q=Cote",
    ]
    if role in (Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF):
        pages += [reverse("households:referrals_sent"), reverse("households:referrals_received")]
    for url in pages:
        html = client.get(url).content.decode()
        assert SECRET not in html and reverse("households:notes", args=[household.pk]) not in html
    with pytest.raises(PermissionDenied):
        intervention_notes_read(actor=user, organisation=org_a, household=household)
    assert not _reads(note).exists() and InterventionNote.objects.count() == 1
    assert not NoteExport.objects.exists()


def test_a_coordinator_who_is_also_a_social_worker_reads_them(client, org_a, household, note):
    user = _member(org_a, Role.COORDINATOR, "coord-interv@example.org")
    Membership.objects.create(user=user, organisation=org_a, role=Role.INTERVENANT)
    client.force_login(user)
    assert SECRET in client.get(reverse("households:notes", args=[household.pk])).content.decode()


def test_another_organisations_social_worker_gets_404(client, org_b, household, note):
    other = _member(org_b, Role.INTERVENANT, "intervenant-b@example.org")
    client.force_login(other)
    for url in (
        reverse("households:notes", args=[household.pk]),
        reverse("households:note_detail", args=[note.pk]),
        reverse("households:notes_export", args=[household.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"text": "x", "reason": "Une raison", "format": "csv"}).status_code
            == 404
        )
    assert InterventionNote.objects.count() == 1 and not NoteExport.objects.exists()
    assert not _reads(note).exists()


def test_export_needs_a_reason_and_is_logged(client, worker_a, household, note):
    client.force_login(worker_a)
    url = reverse("households:notes_export", args=[household.pk])
    form = client.get(url)
    assert form.status_code == 200 and SECRET not in form.content.decode()
    assert "Exporter les notes" in form.content.decode()
    for reason in ("", "   ", "abc"):
        response = client.post(url, {"reason": reason, "format": "csv"})
        assert response.status_code == 400 and SECRET not in response.content.decode()
    assert not NoteExport.objects.exists()
    assert not AuditEvent.objects.filter(action="intervention_note.export").exists()
    response = client.post(url, {"reason": "Demande d'accès de la personne", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][3] == "Note" and rows[1][3] == SECRET and len(rows) == 2
    export = NoteExport.objects.get()
    assert export.reason == "Demande d'accès de la personne" and export.exported_by == worker_a
    assert export.note_count == 1 and export.household == household
    event = AuditEvent.objects.get(action="intervention_note.export")
    assert event.object_id == str(export.pk) and event.actor == worker_a
    text = client.post(url, {"reason": "Transfert au CLSC", "format": "txt"})
    body = text.content.decode()
    assert text["Content-Type"].startswith("text/plain") and SECRET in body
    assert "Transfert au CLSC" in body and NoteExport.objects.count() == 2


def test_write_rules(worker_a, household, admin_a):
    with pytest.raises(ValidationError):
        intervention_note_write(actor=worker_a, household=household, text="   ")
    with pytest.raises(ValidationError):
        intervention_note_write(
            actor=worker_a,
            household=household,
            text="Suivi",
            follow_up_on=timezone.localdate() - timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        intervention_note_write(actor=admin_a, household=household, text="Suivi")
    with pytest.raises(ValidationError):
        intervention_notes_export(
            actor=worker_a,
            organisation=household.organisation,
            household=household,
            reason="Une raison",
            format="pdf",
        )
    assert not InterventionNote.objects.exists() and not NoteExport.objects.exists()

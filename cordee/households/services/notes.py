"""Intervention notes: written and read only by the organisation's social workers.

Reading a note is itself a logged act (Law 25: health and intervention data), so reads go
through these functions, not a plain selector: no page can show a note without the audit
event. Export is a separate, explicit action with a reason, kept in NoteExport.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Role, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import Household
from ..models_referrals import InterventionNote, NoteExport

# Only social workers: not administrators, not coordinators (unless they are also one).
NOTE_ROLES = frozenset({Role.INTERVENANT})
TEXT_MAX = 10000
EXPORT_REASON_MIN = 5
EXPORT_REASON_MAX = 500


def _check_household(organisation: Organisation, household: Household) -> None:
    if household.organisation_id != organisation.pk:
        raise Http404


def intervention_note_write(
    *,
    actor: User,
    household: Household,
    text: str,
    follow_up_on: date | None = None,
    request: HttpRequest | None = None,
) -> InterventionNote:
    organisation = household.organisation
    require_role(actor, organisation, NOTE_ROLES)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("This note is too long (10,000 characters at most).")})
    if follow_up_on is not None and follow_up_on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("The follow-up date cannot be in the past.")})
    with transaction.atomic():
        note = InterventionNote.objects.create(
            organisation=organisation,
            household=household,
            author=actor,
            text=text,
            follow_up_on=follow_up_on,
        )
        audit_record(
            actor=actor,
            action="intervention_note.write",
            organisation=organisation,
            obj=note,
            changed_fields=["text"] + (["follow_up_on"] if follow_up_on else []),
            request=request,
        )
    return note


def _audit_reads(
    actor: User,
    organisation: Organisation,
    notes: list[InterventionNote],
    request: HttpRequest | None,
) -> None:
    for note in notes:
        audit_record(
            actor=actor,
            action="intervention_note.read",
            organisation=organisation,
            obj=note,
            changed_fields=["text", "follow_up_on"],
            request=request,
        )


def intervention_notes_read(
    *,
    actor: User,
    organisation: Organisation,
    household: Household,
    request: HttpRequest | None = None,
) -> list[InterventionNote]:
    """The household's notes, newest first; one audit event per note shown."""
    require_role(actor, organisation, NOTE_ROLES)
    _check_household(organisation, household)
    notes = list(
        InterventionNote.objects.filter(
            organisation=organisation, household=household
        ).select_related("author")
    )
    with transaction.atomic():
        _audit_reads(actor, organisation, notes, request)
    return notes


def intervention_note_read(
    *, actor: User, organisation: Organisation, pk: int, request: HttpRequest | None = None
) -> InterventionNote:
    require_role(actor, organisation, NOTE_ROLES)
    note = (
        InterventionNote.objects.select_related("author", "household")
        .filter(organisation=organisation, pk=pk)
        .first()
    )
    if note is None:
        raise Http404
    _audit_reads(actor, organisation, [note], request)
    return note


@dataclass(frozen=True)
class NotesFile:
    filename: str
    content_type: str
    content: bytes


def _as_csv(notes: list[InterventionNote]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Written on"), _("Written by"), _("Follow up on"), _("Note")])
    for note in notes:
        writer.writerow(
            [
                timezone.localtime(note.written_at).strftime("%Y-%m-%d %H:%M"),
                str(note.author or ""),
                note.follow_up_on.isoformat() if note.follow_up_on else "",
                note.text,
            ]
        )
    # BOM: Excel opens accented French correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _as_text(household: Household, notes: list[InterventionNote], export: NoteExport) -> bytes:
    lines = [
        _("Intervention notes — %(name)s (card %(card)s)")
        % {"name": f"{household.first_name} {household.last_name}", "card": household.card_number},
        _("Exported on %(when)s by %(who)s. Reason: %(reason)s")
        % {
            "when": timezone.localtime(export.exported_at).strftime("%Y-%m-%d %H:%M"),
            "who": export.exported_by,
            "reason": export.reason,
        },
        _("Confidential: keep this file in a locked place and destroy it when you are done."),
        "",
    ]
    for note in notes:
        header = f"— {timezone.localtime(note.written_at):%Y-%m-%d %H:%M} · {note.author or ''}"
        if note.follow_up_on:
            header += " · " + _("follow up on %(day)s") % {"day": note.follow_up_on.isoformat()}
        lines += [header, note.text, ""]
    return "\n".join(lines).encode("utf-8")


def intervention_notes_export(
    *,
    actor: User,
    organisation: Organisation,
    household: Household,
    reason: str,
    format: str,
    request: HttpRequest | None = None,
) -> NotesFile:
    """The household's notes as a file, only with a reason; the export is logged."""
    require_role(actor, organisation, NOTE_ROLES)
    _check_household(organisation, household)
    reason = " ".join(reason.split())
    if len(reason) < EXPORT_REASON_MIN:
        raise ValidationError({"reason": _("Say why you export these notes (a few words).")})
    if len(reason) > EXPORT_REASON_MAX:
        raise ValidationError({"reason": _("This text is too long (500 characters at most).")})
    if format not in NoteExport.Format.values:
        raise ValidationError({"format": _("Choose the kind of file.")})
    with transaction.atomic():
        notes = list(
            InterventionNote.objects.filter(
                organisation=organisation, household=household
            ).select_related("author")
        )
        export = NoteExport.objects.create(
            organisation=organisation,
            household=household,
            exported_by=actor,
            reason=reason,
            format=format,
            note_count=len(notes),
        )
        audit_record(
            actor=actor,
            action="intervention_note.export",
            organisation=organisation,
            obj=export,
            changed_fields=["reason", "format", "note_count"],
            request=request,
        )
    stem = f"notes-intervention-{household.card_number}-{timezone.localdate():%Y-%m-%d}"
    if format == NoteExport.Format.CSV:
        return NotesFile(f"{stem}.csv", "text/csv; charset=utf-8", _as_csv(notes))
    return NotesFile(f"{stem}.txt", "text/plain; charset=utf-8", _as_text(household, notes, export))

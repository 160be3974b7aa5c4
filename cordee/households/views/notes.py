"""Intervention notes: the household's notes (social workers only), one note, the export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordee.core.views.decorators import organisation_required

from ..forms_referrals import NoteExportForm, NoteForm
from ..selectors.households import household_get
from ..services.notes import (
    NOTE_ROLES,
    intervention_note_read,
    intervention_note_write,
    intervention_notes_export,
    intervention_notes_read,
)
from .referrals import _add_errors


@organisation_required(NOTE_ROLES)
def note_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention_note_write(
                actor=request.user,  # type: ignore[arg-type]
                household=household,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Note saved."))
            return redirect("households:notes", pk=household.pk)
    notes = intervention_notes_read(
        actor=request.user,  # type: ignore[arg-type]
        organisation=org,
        household=household,
        request=request,
    )
    return render(
        request,
        "households/notes/list.html",
        {"household": household, "notes": notes, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@organisation_required(NOTE_ROLES)
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    note = intervention_note_read(
        actor=request.user,  # type: ignore[arg-type]
        organisation=org,
        pk=pk,
        request=request,
    )
    return render(request, "households/notes/detail.html", {"note": note})


@organisation_required(NOTE_ROLES)
def note_export(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for the reason; POST with a reason gives the file and logs the export."""
    org = request.organisation  # type: ignore[attr-defined]
    household = household_get(org=org, pk=pk)
    form = NoteExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exported = intervention_notes_export(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                household=household,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            response = HttpResponse(exported.content, content_type=exported.content_type)
            response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "households/notes/export.html",
        {"household": household, "form": form},
        status=400 if request.method == "POST" else 200,
    )

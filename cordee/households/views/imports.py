"""Importing households from a spreadsheet: upload, preview (problems and possible
duplicates), confirm. The preview is kept in the session, as for the logistics imports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.core.views.decorators import organisation_required
from cordee.logistics.views.imports import _forget, _store, _stored

from ..forms_imports import HouseholdImportForm
from ..imports import HEADERS, REQUIRED, HouseholdPreview, import_preview
from ..services.imports import IMPORT_ROLES, household_import

SESSION_KEY = "household_imports"


@organisation_required(IMPORT_ROLES)
def household_import_upload(request: HttpRequest) -> HttpResponse:
    form = HouseholdImportForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview = import_preview(
            org=request.organisation,  # type: ignore[attr-defined]
            name=upload.name or "",
            data=upload.read(),
        )
        if preview.error:
            error = preview.error
        else:
            token = _store(request, upload.name or "", preview, SESSION_KEY)
            return redirect(f"{reverse('households:import_preview')}?jeton={token}")
    return render(
        request,
        "households/imports/upload.html",
        {
            "form": form,
            "error": error,
            "columns": [(header, key in REQUIRED) for key, header in HEADERS.items()],
        },
        status=400 if (error or form.errors) else 200,
    )


@organisation_required(IMPORT_ROLES)
def household_import_preview(request: HttpRequest) -> HttpResponse:
    token = (request.POST if request.method == "POST" else request.GET).get("jeton") or ""
    entry = _stored(request, token, SESSION_KEY)
    preview = HouseholdPreview(rows=entry["rows"])
    error = ""
    if request.method == "POST":
        try:
            result = household_import(
                actor=request.user,  # type: ignore[arg-type]
                org=request.organisation,  # type: ignore[attr-defined]
                rows=entry["rows"],
                valid_only=request.POST.get("mode") == "valid",
                file_name=entry["name"],
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            _forget(request, token, SESSION_KEY)
            count = len(result.households)
            messages.success(
                request,
                ngettext("%(n)d household imported.", "%(n)d households imported.", count)
                % {"n": count},
            )
            if result.skipped_rows:
                messages.warning(
                    request,
                    _("Rows not imported: %(rows)s.")
                    % {"rows": ", ".join(str(n) for n in result.skipped_rows)},
                )
            return redirect("households:checkin")
    return render(
        request,
        "households/imports/preview.html",
        {
            "token": token,
            "file_name": entry["name"],
            "preview": preview,
            "problems": preview.problems,
            "warnings": preview.warnings,
            "ok_count": len(preview.valid_rows),
            "bad_count": preview.bad_count,
            "error": error,
        },
        status=400 if error else 200,
    )

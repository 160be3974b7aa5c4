"""Importing receptions from a spreadsheet: upload, preview, confirm."""

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.core.templatetags.cordee import kg
from cordee.core.views.decorators import organisation_required

from ..forms_imports import ReceptionImportForm
from ..imports import HEADERS, REQUIRED, Preview, import_preview
from ..permissions import STOCK_MANAGER_ROLES
from ..services import imports as import_service

SESSION_KEY = "reception_imports"
KEEP = 3  # previews kept per session (the latest ones)


def _stored(request: HttpRequest, token: str) -> dict[str, Any]:
    """The preview of this session and organisation, or 404 (tokens are session-scoped)."""
    org = request.organisation  # type: ignore[attr-defined]
    entry = request.session.get(SESSION_KEY, {}).get(token or "")
    if not isinstance(entry, dict) or entry.get("org") != org.pk:
        raise Http404
    return entry


def _store(request: HttpRequest, name: str, preview: Preview) -> str:
    token = secrets.token_urlsafe(16)
    previews: dict[str, Any] = request.session.get(SESSION_KEY, {})
    previews = dict(list(previews.items())[-(KEEP - 1) :])
    previews[token] = {
        "org": request.organisation.pk,  # type: ignore[attr-defined]
        "name": name,
        "rows": preview.rows,
    }
    request.session[SESSION_KEY] = previews
    return token


def _forget(request: HttpRequest, token: str) -> None:
    previews = dict(request.session.get(SESSION_KEY, {}))
    previews.pop(token, None)
    request.session[SESSION_KEY] = previews


@organisation_required(STOCK_MANAGER_ROLES)
def reception_import(request: HttpRequest) -> HttpResponse:
    form = ReceptionImportForm(request.POST or None, request.FILES or None)
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
            token = _store(request, upload.name or "", preview)
            return redirect(f"{reverse('logistics:reception_import_preview')}?jeton={token}")
    return render(
        request,
        "logistics/imports/upload.html",
        {
            "form": form,
            "error": error,
            "columns": [(header, key in REQUIRED) for key, header in HEADERS.items()],
        },
    )


@organisation_required(STOCK_MANAGER_ROLES)
def reception_import_preview(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("jeton") if request.method == "POST" else request.GET.get("jeton")
    entry = _stored(request, token or "")
    preview = Preview(rows=entry["rows"])
    error = ""
    if request.method == "POST":
        valid_only = request.POST.get("mode") == "valid"
        try:
            result = import_service.reception_import(
                actor=request.user,  # type: ignore[arg-type]
                org=request.organisation,  # type: ignore[attr-defined]
                rows=entry["rows"],
                valid_only=valid_only,
                file_name=entry["name"],
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            _forget(request, token or "")
            count = len(result.receptions)
            messages.success(
                request,
                ngettext(
                    "%(n)d reception imported (%(kg)s).",
                    "%(n)d receptions imported (%(kg)s).",
                    count,
                )
                % {"n": count, "kg": kg(result.weight_g)},
            )
            if result.skipped_rows:
                messages.warning(
                    request,
                    _("Rows not imported: %(rows)s.")
                    % {"rows": ", ".join(str(n) for n in result.skipped_rows)},
                )
            return redirect("logistics:reception_list")
    return render(
        request,
        "logistics/imports/preview.html",
        {
            "token": token,
            "file_name": entry["name"],
            "preview": preview,
            "problems": preview.problems,
            "ok_count": len(preview.valid_rows),
            "bad_count": preview.bad_count,
            "error": error,
        },
    )

"""Importing a spreadsheet — receptions, or a stock count: upload, preview, confirm."""

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

from .. import imports_counts
from ..forms_imports import ReceptionImportForm, StockCountImportForm
from ..imports import HEADERS, REQUIRED, Preview, RowsPreview, import_preview
from ..permissions import STOCK_MANAGER_ROLES
from ..services import imports as import_service

SESSION_KEY = "reception_imports"
COUNT_SESSION_KEY = "stock_count_imports"
KEEP = 3  # previews kept per session (the latest ones)


def _stored(request: HttpRequest, token: str, key: str = SESSION_KEY) -> dict[str, Any]:
    """The preview of this session and organisation, or 404 (tokens are session-scoped)."""
    org = request.organisation  # type: ignore[attr-defined]
    entry = request.session.get(key, {}).get(token or "")
    if not isinstance(entry, dict) or entry.get("org") != org.pk:
        raise Http404
    return entry


def _store(request: HttpRequest, name: str, preview: RowsPreview, key: str = SESSION_KEY) -> str:
    token = secrets.token_urlsafe(16)
    previews: dict[str, Any] = request.session.get(key, {})
    previews = dict(list(previews.items())[-(KEEP - 1) :])
    previews[token] = {
        "org": request.organisation.pk,  # type: ignore[attr-defined]
        "name": name,
        "rows": preview.rows,
    }
    request.session[key] = previews
    return token


def _forget(request: HttpRequest, token: str, key: str = SESSION_KEY) -> None:
    previews = dict(request.session.get(key, {}))
    previews.pop(token, None)
    request.session[key] = previews


def _token(request: HttpRequest) -> str:
    return (request.POST if request.method == "POST" else request.GET).get("jeton") or ""


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


# --- Stock counts -----------------------------------------------------------------------


@organisation_required(STOCK_MANAGER_ROLES)
def stock_count_import(request: HttpRequest) -> HttpResponse:
    form = StockCountImportForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        preview = imports_counts.count_import_preview(
            org=request.organisation,  # type: ignore[attr-defined]
            name=upload.name or "",
            data=upload.read(),
        )
        if preview.error:
            error = preview.error
        else:
            token = _store(request, upload.name or "", preview, COUNT_SESSION_KEY)
            return redirect(f"{reverse('logistics:stock_count_import_preview')}?jeton={token}")
    return render(
        request,
        "logistics/imports/count_upload.html",
        {
            "form": form,
            "error": error,
            "columns": [
                (header, key in imports_counts.REQUIRED)
                for key, header in imports_counts.HEADERS.items()
            ],
        },
    )


@organisation_required(STOCK_MANAGER_ROLES)
def stock_count_import_preview(request: HttpRequest) -> HttpResponse:
    token = _token(request)
    entry = _stored(request, token, COUNT_SESSION_KEY)
    preview = imports_counts.CountPreview(rows=entry["rows"])
    error = ""
    if request.method == "POST":
        try:
            result = import_service.stock_count_import(
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
            _forget(request, token, COUNT_SESSION_KEY)
            messages.success(
                request,
                ngettext(
                    "The count is recorded: %(n)d lot counted, %(adjusted)d adjusted.",
                    "The count is recorded: %(n)d lots counted, %(adjusted)d adjusted.",
                    result.lot_count,
                )
                % {"n": result.lot_count, "adjusted": len(result.movements)},
            )
            if result.skipped_rows:
                messages.warning(
                    request,
                    _("Rows not imported: %(rows)s.")
                    % {"rows": ", ".join(str(n) for n in result.skipped_rows)},
                )
            return redirect("logistics:inventory")
    return render(
        request,
        "logistics/imports/count_preview.html",
        {
            "token": token,
            "file_name": entry["name"],
            "preview": preview,
            "problems": preview.problems,
            "ready": preview.valid_rows,
            "ok_count": len(preview.valid_rows),
            "bad_count": preview.bad_count,
            "error": error,
        },
    )

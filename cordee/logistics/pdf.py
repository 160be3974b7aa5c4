"""Printable documents (delivery notes, recall lists): a Django template rendered to PDF
with WeasyPrint.

WeasyPrint needs Debian's Pango library at run time. It is imported only when a PDF is
asked for, so the rest of Cordée works without it; without it, the person gets a plain
page saying what to install (status 503) instead of an error.
"""

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PRINT_CSS_TEMPLATE = "logistics/deliveries/print.css"
UNAVAILABLE_TEMPLATE = "logistics/deliveries/pdf_unavailable.html"


def print_css() -> str:
    """The print stylesheet shared by the PDF and the HTML print views."""
    return render_to_string(PRINT_CSS_TEMPLATE)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Raises ImportError or OSError when WeasyPrint or its libraries are missing."""
    import weasyprint  # lazy: needs libpango at import time

    document = weasyprint.HTML(string=html, base_url=base_url)
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=print_css())])  # type: ignore[no-any-return]


def render_pdf(
    request: HttpRequest, template: str, context: dict[str, Any], *, filename: str
) -> HttpResponse:
    """Render `template` (a whole HTML document) with `context` as a PDF download."""
    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    try:
        pdf = html_to_pdf(html)
    except (ImportError, OSError):
        logger.exception("WeasyPrint could not make a PDF")
        return render(request, UNAVAILABLE_TEMPLATE, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

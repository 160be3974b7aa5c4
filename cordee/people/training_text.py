"""A tiny, safe "markdown-lite" for guide pages: everything is escaped first.

Supported: "## " headings, "- " list items, **bold**, blank line between paragraphs.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text.strip()))


def render_guide(text: str) -> SafeString:
    html: list[str] = []
    items: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if items:
            html.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()
        if para:
            html.append("<p>" + " ".join(para) + "</p>")
            para.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("## "):
            flush()
            html.append(f"<h2>{_inline(stripped[3:])}</h2>")
        elif stripped.startswith("- "):
            if para:
                flush()
            items.append(_inline(stripped[2:]))
        else:
            if items:
                flush()
            para.append(_inline(stripped))
    flush()
    # Safe: every piece of text went through escape() above.
    return mark_safe("\n".join(html))

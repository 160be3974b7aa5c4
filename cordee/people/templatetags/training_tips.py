"""{% training_tip "key" %}: a small guided tip the signed-in person can hide or turn off."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_training import TIPS, tip_visible

register = template.Library()


@register.inclusion_tag("people/training/_tip.html", takes_context=True)
def training_tip(context: dict[str, Any], key: str) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not tip_visible(user=user, key=key):
        return {"show": False}
    return {
        "show": True,
        "key": key,
        "text": TIPS[key],
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }

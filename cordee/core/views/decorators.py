"""View guards: signed in, with a current organisation, with a role in it."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..permissions import require_role

View = Callable[..., HttpResponse]


def organisation_required(roles: Iterable[str] | None = None) -> Callable[[View], View]:
    """Signed in, working for an organisation, and (optionally) holding one of `roles` there."""
    wanted = set(roles) if roles else None

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            org = request.organisation  # type: ignore[attr-defined]
            if org is None:
                return render(request, "core/no_organisation.html", status=403)
            if wanted:
                require_role(request.user, org, wanted)  # type: ignore[arg-type]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""People and roles of the organisation (administrators), and invitations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import InvitationAcceptForm, InvitationForm, RolesForm
from ..permissions import ADMIN_ROLES
from ..selectors.organisations import (
    invitation_get,
    invitation_list_pending,
    member_get,
    member_list,
)
from ..services.members import (
    invitation_accept,
    invitation_create,
    invitation_find,
    invitation_revoke,
    membership_set_roles,
)
from .decorators import organisation_required


@organisation_required(ADMIN_ROLES)
def people(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "core/members/people.html",
        {
            "people": member_list(org=org, search=search),
            "search": search,
            "invitations": invitation_list_pending(org=org),
            "invite_form": InvitationForm(),
        },
    )


@organisation_required(ADMIN_ROLES)
def person_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    person = member_get(org=org, user_id=user_id)
    current = sorted(person.memberships.filter(organisation=org).values_list("role", flat=True))
    form = RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            membership_set_roles(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                user=person,
                roles=set(form.cleaned_data["roles"]),
                request=request,
            )
        except ValidationError as exc:
            form.add_error("roles", exc)
        else:
            messages.success(request, _("The roles of %(name)s are saved.") % {"name": person})
            return redirect("core:people")
    return render(request, "core/members/roles.html", {"person": person, "form": form})


@organisation_required(ADMIN_ROLES)
def invite(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc) if not hasattr(exc, "error_dict") else _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("core:people")
    return render(
        request,
        "core/members/invite.html",
        {"form": form, "days": settings.CORDEE_INVITATION_DAYS},
    )


def _add_errors(form: InvitationForm, exc: ValidationError) -> None:
    for field, errors in exc.error_dict.items():
        for error in errors:
            form.add_error(field, error)


@organisation_required(ADMIN_ROLES)
@require_POST
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    invitation = invitation_get(org=org, pk=pk)
    invitation_revoke(actor=request.user, invitation=invitation, request=request)  # type: ignore[arg-type]
    messages.success(request, _("The invitation is cancelled."))
    return redirect("core:people")


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: join with the signed-in account or create one."""
    invitation = invitation_find(raw_token=token)
    if invitation is None:
        return render(request, "core/members/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = invitation_accept(
                invitation=invitation,
                user=request.user if signed_in else None,  # type: ignore[arg-type]
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
                request=request,
            )
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect("core:home")
            form.add_error(None, exc)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(org)s.") % {"org": invitation.organisation.name}
            )
            return redirect("core:home")
    return render(
        request, "core/members/invitation_accept.html", {"invitation": invitation, "form": form}
    )

"""The network's privacy dial (network admins), suggested merges and merging (coordinators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cordee.core.models import Organisation
from cordee.core.permissions import is_network_admin
from cordee.core.selectors.organisations import network_get_for_user
from cordee.core.views.decorators import organisation_required

from ..forms_matching import DIAL_HELP, MergeForm, NetworkDialForm
from ..models import Household
from ..selectors.households import household_get
from ..selectors.matching import dial_for, merge_suggestions, network_matches
from ..services.matching import MERGE_ROLES, household_merge, network_policy_set


@login_required
def network_dial(request: HttpRequest, slug: str) -> HttpResponse:
    """404 outside the user's networks; 403 for members who are not network admins."""
    network = network_get_for_user(user=request.user, slug=slug)  # type: ignore[arg-type]
    if not is_network_admin(request.user, network):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the network's administrators can change this setting."))
    form = NetworkDialForm(request.POST or None, initial={"dial": dial_for(network)})
    if request.method == "POST" and form.is_valid():
        try:
            network_policy_set(
                actor=request.user,  # type: ignore[arg-type]
                network=network,
                dial=form.cleaned_data["dial"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("dial", exc.messages)
        else:
            messages.success(request, _("Setting saved."))
            return redirect("households:network_dial", slug=network.slug)
    choices = [(value, label, DIAL_HELP[value]) for value, label in form.fields["dial"].choices]  # type: ignore[attr-defined]
    return render(
        request,
        "households/matching/dial.html",
        {"network": network, "form": form, "choices": choices, "current": dial_for(network)},
        status=400 if form.errors else 200,
    )


@organisation_required(MERGE_ROLES)
def merge_list(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    return render(
        request, "households/matching/merges.html", {"suggestions": merge_suggestions(org=org)}
    )


@require_POST
@organisation_required(MERGE_ROLES)
def merge(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the household to keep."))
        return redirect("households:merges")
    keep = household_get(org=org, pk=form.cleaned_data["keep"])
    remove = household_get(org=org, pk=form.cleaned_data["remove"])
    try:
        kept = household_merge(
            actor=request.user,  # type: ignore[arg-type]
            organisation=org,
            keep=keep,
            remove=remove,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("households:merges")
    messages.success(
        request,
        _("The two files are merged into card number %(card)s.") % {"card": kept.card_number},
    )
    return redirect("households:detail", pk=kept.pk)


def match_notices(household: Household) -> list[str]:
    """The duplicate-check notices for a household, as sentences (registration message)."""
    notices = []
    for match in network_matches(household=household):
        if match.shared:
            where = "; ".join(_organisation_contact(org) for org in match.organisations)
            notices.append(
                _(
                    "This household may already be registered at: %(where)s. "
                    "You can contact them to coordinate."
                )
                % {"where": where}
            )
        else:
            notices.append(
                _("This household may already be registered at another member organisation.")
            )
    return list(dict.fromkeys(notices))


def _organisation_contact(org: Organisation) -> str:
    """Only the organisation's name and public contact: never the other household's data."""
    contact = ", ".join(value for value in (org.contact_phone, org.contact_email) if value)
    return f"{org.name} ({contact})" if contact else org.name

"""The organisation's eligibility rule, edited by its admin and coordinators."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cordee.core.models import Organisation
from cordee.core.views.decorators import organisation_required

from ..forms_rules import EligibilityRuleForm
from ..models import EligibilityRule
from ..selectors.eligibility import when_words
from ..services.eligibility_rules import RULE_ROLES, eligibility_rule_save

EXAMPLE_DAYS_AGO = 2


def _rule(org: Organisation) -> EligibilityRule | None:
    return EligibilityRule.objects.filter(organisation=org).prefetch_related("territory").first()


def _examples(rule: EligibilityRule | None) -> list[str]:
    """What the check-in will say, in its own words (same messages as selectors/eligibility)."""
    if rule is None:
        return []
    said = []
    days = rule.min_days_between_visits
    if days and days > EXAMPLE_DAYS_AGO:
        today = timezone.localdate()
        ago = ngettext(
            "Last visit %(days)d day ago", "Last visit %(days)d days ago", EXAMPLE_DAYS_AGO
        ) % {"days": EXAMPLE_DAYS_AGO}
        when = when_words(today + timedelta(days=days - EXAMPLE_DAYS_AGO), today)
        said.append(_("%(last)s — next visit possible %(when)s.") % {"last": ago, "when": when})
    if rule.territory.exists():
        said.append(_("Lives outside the territory served."))
    if rule.proof_renewal_months:
        said.append(_("Proofs to see again (residence, income)."))
    return said


@organisation_required(RULE_ROLES)
def rules_edit(request: HttpRequest) -> HttpResponse:
    org: Organisation = request.organisation  # type: ignore[attr-defined]
    rule = _rule(org)
    form = EligibilityRuleForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            eligibility_rule_save(
                actor=request.user,  # type: ignore[arg-type]
                organisation=org,
                territory=form.cleaned_data["territory"],
                min_days_between_visits=form.cleaned_data["min_days_between_visits"],
                proof_renewal_months=form.cleaned_data["proof_renewal_months"],
                income_ceilings=form.ceilings_cents(),
                request=request,
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(request, _("The rules are saved. The check-in uses them now."))
            return redirect("households:rules")
    return render(
        request,
        "households/rules.html",
        {
            "form": form or EligibilityRuleForm.for_rule(rule),
            "examples": _examples(rule),
        },
        status=400 if form is not None and form.errors else 200,
    )

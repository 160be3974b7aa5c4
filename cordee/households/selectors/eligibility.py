"""Is this household eligible today? The answer in plain words, from the organisation's rules."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import EligibilityRule, Household, Visit, VisitType
from .households import service_stopped

# The frequency rule counts baskets; meals, snacks and emergency help are not rationed by it.
RATIONED_TYPES = (VisitType.BASKET,)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    next_possible_on: date | None = None
    proof_due: bool = False  # the proofs are to be seen again (a one-tap fix at the counter)

    @property
    def message(self) -> str:
        return " ".join(self.reasons) if self.reasons else _("Eligible")


def _rule(household: Household) -> EligibilityRule | None:
    return (
        EligibilityRule.objects.filter(organisation_id=household.organisation_id)
        .prefetch_related("territory")
        .first()
    )


def when_words(day: date, today: date) -> str:
    """ "demain", "lundi" within the week, else "lundi 14 décembre"."""
    if day <= today:
        return _("today")
    if day == today + timedelta(days=1):
        return _("tomorrow")
    if day < today + timedelta(days=7):
        return date_format(day, "l")
    return date_format(day, "l j F")


def _frequency(household: Household, rule: EligibilityRule, today: date) -> tuple[str, date] | None:
    days = rule.min_days_between_visits
    if not days:
        return None
    last = (
        Visit.objects.filter(
            household=household, cancelled_at__isnull=True, visit_type__in=RATIONED_TYPES
        )
        .order_by("-visited_at")
        .values_list("visited_at", flat=True)
        .first()
    )
    if last is None:
        return None
    last_day = timezone.localtime(last).date()
    next_day = last_day + timedelta(days=days)
    if next_day <= today:
        return None
    ago = (today - last_day).days
    if ago == 0:
        said = _("Last visit today")
    else:
        said = ngettext("Last visit %(days)d day ago", "Last visit %(days)d days ago", ago) % {
            "days": ago
        }
    reason = _("%(last)s — next visit possible %(when)s.") % {
        "last": said,
        "when": when_words(next_day, today),
    }
    return reason, next_day


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def eligibility_for(
    household: Household, on: date | None = None, *, visit_type: str = VisitType.BASKET
) -> Eligibility:
    """Service consent, territory, proofs and (for baskets) the visit frequency."""
    today = on or timezone.localdate()
    if service_stopped(household):
        return Eligibility(False, [_("Consent to the service was withdrawn.")])
    rule = _rule(household)
    if rule is None:
        return Eligibility(True)
    reasons: list[str] = []
    next_on = None
    proof_due = False
    territory = list(rule.territory.all())
    if territory and household.municipality not in territory:
        reasons.append(_("Lives outside the territory served."))
    months = rule.proof_renewal_months
    if months and (
        household.proof_seen_on is None or _months_later(household.proof_seen_on, months) <= today
    ):
        reasons.append(_("Proofs to see again (residence, income)."))
        proof_due = True
    if visit_type in RATIONED_TYPES:
        frequency = _frequency(household, rule, today)
        if frequency:
            reasons.append(frequency[0])
            next_on = frequency[1]
    return Eligibility(not reasons, reasons, next_on, proof_due=proof_due)

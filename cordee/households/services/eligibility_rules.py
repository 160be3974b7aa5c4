"""Writes of an organisation's eligibility rule (territory, visit frequency, proofs, ceilings).

The check-in reads the rule (selectors/eligibility.py); an empty value means "no rule".
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cordee.core.models import Municipality, Organisation, User
from cordee.core.permissions import MANAGER_ROLES, require_role
from cordee.core.services.audit import audit_record

from ..models import EligibilityRule

# The organisation's admin and coordinators set the rules, like the screen.
RULE_ROLES = MANAGER_ROLES
MAX_DAYS = 365
MAX_MONTHS = 60
HOUSEHOLD_SIZES = range(1, 7)  # 6 stands for "6 people or more"
MAX_CEILING_CENTS = 500_000 * 100


def _check_range(value: int | None, low: int, high: int, field: str, message: str) -> None:
    if value is not None and not low <= value <= high:
        raise ValidationError({field: message})


def _ceilings(values: Mapping[int, int | None]) -> dict[str, int]:
    """{size: cents} → the stored {"1": cents, ...}, without the empty sizes."""
    kept: dict[str, int] = {}
    for size, cents in sorted(values.items()):
        if size not in HOUSEHOLD_SIZES:
            raise ValidationError({"income_ceilings": _("Household sizes go from 1 to 6.")})
        if cents is None:
            continue
        if not 100 <= cents <= MAX_CEILING_CENTS:
            raise ValidationError(
                {f"ceiling_{size}": _("Write an amount between 1 $ and 500 000 $ a year.")}
            )
        kept[str(size)] = cents
    return kept


def eligibility_rule_save(
    *,
    actor: User,
    organisation: Organisation,
    territory: Iterable[Municipality] = (),
    min_days_between_visits: int | None = None,
    proof_renewal_months: int | None = None,
    income_ceilings: Mapping[int, int | None] | None = None,
    request: HttpRequest | None = None,
) -> EligibilityRule:
    """Create or replace the organisation's rule; the audit names the fields that changed."""
    require_role(actor, organisation, RULE_ROLES)
    _check_range(
        min_days_between_visits,
        1,
        MAX_DAYS,
        "min_days_between_visits",
        _("Write a number of days between 1 and 365, or leave empty for no limit."),
    )
    _check_range(
        proof_renewal_months,
        1,
        MAX_MONTHS,
        "proof_renewal_months",
        _("Write a number of months between 1 and 60, or leave empty."),
    )
    ceilings = _ceilings(income_ceilings or {})
    towns = set(territory)
    with transaction.atomic():
        rule, created = EligibilityRule.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        before = {m.pk for m in rule.territory.all()}
        changed = [
            name
            for name, value in (
                ("min_days_between_visits", min_days_between_visits),
                ("proof_renewal_months", proof_renewal_months),
                ("income_ceilings", ceilings),
            )
            if getattr(rule, name) != value
        ]
        if before != {m.pk for m in towns}:
            changed.append("territory")
        rule.min_days_between_visits = min_days_between_visits
        rule.proof_renewal_months = proof_renewal_months
        rule.income_ceilings = ceilings
        rule.save()
        rule.territory.set(towns)
        audit_record(
            actor=actor,
            action="eligibility_rule.create" if created else "eligibility_rule.update",
            organisation=organisation,
            obj=rule,
            changed_fields=changed,
            request=request,
        )
    return rule

"""What the home page tells each person to do next, from real data and their roles."""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import user_has_device

from ..models import (
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    NetworkRole,
    Organisation,
    Site,
    User,
)
from ..permissions import ADMIN_ROLES, MANAGER_ROLES, roles_in


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str
    link_text: str
    urgent: bool = False


def next_steps(*, user: User, org: Organisation) -> list[NextStep]:
    roles = roles_in(user, org)
    steps: list[NextStep] = []
    if roles & ADMIN_ROLES:
        steps += _admin_steps(user=user, org=org)
    if roles & MANAGER_ROLES:
        steps += _site_steps(org=org)
    steps += _stock_steps(org=org, roles=roles)
    steps += _temperature_steps(org=org, roles=roles)
    if not steps:
        steps.append(
            NextStep(
                text=_("Nothing is waiting for you today."),
                url=reverse("core:organisation"),
                link_text=_("See my organisation"),
            )
        )
    return steps


def _admin_steps(*, user: User, org: Organisation) -> list[NextStep]:
    steps = []
    if not user_has_device(user):
        steps.append(
            NextStep(
                text=_("Protect your administrator account with a code from your phone."),
                url=reverse("core:two_factor"),
                link_text=_("Set up two-step sign-in"),
                urgent=True,
            )
        )
    pending = Invitation.objects.filter(
        organisation=org, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).count()
    if pending:
        steps.append(
            NextStep(
                text=ngettext(
                    "%(n)d invitation has not been accepted yet.",
                    "%(n)d invitations have not been accepted yet.",
                    pending,
                )
                % {"n": pending},
                url=reverse("core:people"),
                link_text=_("See the people"),
            )
        )
    if not org.contact_email:
        steps.append(
            NextStep(
                text=_("Your organisation has no contact e-mail."),
                url=reverse("core:organisation_edit"),
                link_text=_("Complete the profile"),
            )
        )
    return steps


def _site_steps(*, org: Organisation) -> list[NextStep]:
    sites = Site.objects.filter(organisation=org, is_active=True).annotate(
        periods=Count("opening_hours")
    )
    if not sites:
        return [
            NextStep(
                text=_("Your organisation has no site yet."),
                url=reverse("core:site_create"),
                link_text=_("Add a site"),
            )
        ]
    return [
        NextStep(
            text=_("%(site)s has no opening hours: deliveries cannot be planned.")
            % {"site": site.name},
            url=reverse("core:site_edit", args=[site.pk]),
            link_text=_("Add the opening hours"),
        )
        for site in sites
        if site.kind != Site.Kind.OFFICE and site.periods == 0
    ]


def _stock_steps(*, org: Organisation, roles: set[str]) -> list[NextStep]:
    """Food whose last day to hand out comes within 3 days, for the people who handle it."""
    from cordee.logistics.permissions import STOCK_HANDLER_ROLES
    from cordee.logistics.selectors.stock import expiring_soon

    if not roles & STOCK_HANDLER_ROLES:
        return []
    expiring = expiring_soon(org=org, days=3)
    if not expiring:
        return []
    return [
        NextStep(
            text=ngettext(
                "%(n)d lot must be handed out within 3 days.",
                "%(n)d lots must be handed out within 3 days.",
                len(expiring),
            )
            % {"n": len(expiring)},
            url=reverse("logistics:expiring"),
            link_text=_("See the food to use soon"),
            urgent=any(e.days_left < 0 for e in expiring),
        )
    ]


def _temperature_steps(*, org: Organisation, roles: set[str]) -> list[NextStep]:
    """Fridges and freezers nobody has read today (urgent after a too-warm reading)."""
    from cordee.logistics.permissions import STOCK_HANDLER_ROLES
    from cordee.logistics.selectors.temperatures import temperature_alerts

    if not roles & STOCK_HANDLER_ROLES:
        return []
    alerts = temperature_alerts(org=org)
    missing = len(alerts.missing_today)
    if not missing:
        return []
    return [
        NextStep(
            text=ngettext(
                "%(n)d fridge or freezer has no temperature reading today.",
                "%(n)d fridges and freezers have no temperature reading today.",
                missing,
            )
            % {"n": missing},
            url=reverse("logistics:temperature_list"),
            link_text=_("Record the temperatures"),
            urgent=alerts.out_of_range_last_24h,
        )
    ]


def home_summary(*, user: User, org: Organisation) -> dict:
    """Figures for the home page cards, all about the current organisation."""
    return {
        "site_count": Site.objects.filter(organisation=org, is_active=True).count(),
        "people_count": Membership.objects.filter(organisation=org)
        .values("user")
        .distinct()
        .count(),
        # Filter by id, not through the join: a join on memberships would count only `org`.
        "networks": Network.objects.filter(
            pk__in=NetworkMembership.objects.filter(organisation=org).values("network")
        )
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name"),
        "administered_networks": Network.objects.filter(
            pk__in=NetworkRole.objects.filter(user=user).values("network")
        )
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name"),
    }

"""Who may do what in which organisation. Views and services both ask here.

Another organisation's object must look like it does not exist (404); a member lacking the
role for an action gets 403 with a plain message.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Membership, Network, NetworkRole, Organisation, Role, User

ADMIN_ROLES = frozenset({Role.ORG_ADMIN})
MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR})


def roles_in(user: User, organisation: Organisation) -> set[str]:
    """The user's roles in this organisation (empty when not a member)."""
    if not user.is_authenticated:
        return set()
    cache: dict[int, set[str]] = user.__dict__.setdefault("_cordee_roles", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = set(
            Membership.objects.filter(user=user, organisation=organisation).values_list(
                "role", flat=True
            )
        )
    return cache[organisation.pk]


def is_member(user: User, organisation: Organisation) -> bool:
    return bool(roles_in(user, organisation))


def has_role(user: User, organisation: Organisation, roles: Iterable[str]) -> bool:
    return bool(roles_in(user, organisation) & set(roles))


def require_role(user: User, organisation: Organisation, roles: Iterable[str]) -> None:
    if not has_role(user, organisation, roles):
        raise PermissionDenied(_("Your role in this organisation does not allow this action."))


def is_network_admin(user: User, network: Network) -> bool:
    return (
        user.is_authenticated
        and NetworkRole.objects.filter(
            user=user, network=network, role=NetworkRole.Kind.NETWORK_ADMIN
        ).exists()
    )


def is_admin_anywhere(user: User) -> bool:
    """True for org and network admins: the people who must use two-factor sign-in."""
    return (
        Membership.objects.filter(user=user, role=Role.ORG_ADMIN).exists()
        or NetworkRole.objects.filter(user=user).exists()
    )

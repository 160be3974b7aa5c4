"""Who may manage volunteers and shifts."""

from cordee.core.models import Role

# Coordinating volunteers: the calendar, the list, assignments, the dashboard.
COORDINATOR_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF})
# Told by e-mail when someone cancels late.
ALERTED_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR})

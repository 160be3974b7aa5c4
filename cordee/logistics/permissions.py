"""Who may touch stock. Reading follows organisation membership (selectors take the org)."""

from cordee.core.models import Role

# People who handle food day to day: receptions, pickups, distributions.
STOCK_HANDLER_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF, Role.VOLUNTEER, Role.DRIVER}
)
# Corrections of the ledger (losses, counts, transfers, decisions) need more trust.
STOCK_MANAGER_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF})

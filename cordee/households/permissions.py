"""Who may do what with households."""

from cordee.core.models import Role

# Everyone who welcomes households at the counter.
COUNTER_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF, Role.VOLUNTEER, Role.INTERVENANT}
)
# Income, housing and household type: restricted, every read audited.
SENSITIVE_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.INTERVENANT})
# May record "proofs seen today": staff and above, not volunteers.
PROOF_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.STAFF, Role.INTERVENANT})
# May record a visit the rules refuse, with a reason.
OVERRIDE_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.INTERVENANT})

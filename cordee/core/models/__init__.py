"""Tenancy, accounts, geography and audit: the models every other app stands on."""

from .accounts import ApiToken, Invitation, Membership, NetworkRole, Role, User
from .audit import AuditEvent
from .geography import Municipality
from .tenancy import Network, NetworkMembership, OpeningHours, Organisation, Site

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Invitation",
    "Membership",
    "Municipality",
    "Network",
    "NetworkMembership",
    "NetworkRole",
    "OpeningHours",
    "Organisation",
    "Role",
    "Site",
    "User",
]

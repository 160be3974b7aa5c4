"""The network's privacy dial for the duplicate check between member organisations, and the
keyed-hash tokens that check compares (see docs/decisions/0007-household-matching.md).

Tokens are opaque (HMAC of normalised name combinations with the network's secret): no name,
phone or municipality crosses from one organisation to another. They exist only while the
household has a current "network duplicate check" consent and the dial is not "walls up".
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from cordee.core.models import Network

from .models import Household

__all__ = ["HouseholdMatchToken", "MatchingDial", "NetworkHouseholdPolicy"]


def new_secret() -> str:
    return secrets.token_hex(32)


class MatchingDial(models.TextChoices):
    WALLS_UP = "walls_up", _("Walls up")
    MATCH_ONLY = "match_only", _("Say only that a match exists")
    SHARED = "shared", _("Name the other organisation")


class NetworkHouseholdPolicy(models.Model):
    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="household_policy"
    )
    dial = models.CharField(
        _("duplicate check between members"),
        max_length=20,
        choices=MatchingDial.choices,
        default=MatchingDial.WALLS_UP,
    )
    # Key of the HMAC tokens: held by the network, never shown, never sent to members.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network household policy")

    def __str__(self) -> str:
        return f"{self.network} — {self.dial}"

    @property
    def secret_bytes(self) -> bytes:
        return bytes.fromhex(self.secret)


class HouseholdMatchToken(models.Model):
    """One keyed-hash token of a household, for one network (each network has its secret).

    ``exact`` is False for the tokens of the neighbouring birth years (tolerant side)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="match_tokens")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=80)
    kind = models.CharField(max_length=30)
    exact = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "network", "token"], name="uniq_household_match_token"
            )
        ]
        indexes = [models.Index(fields=["network", "token"])]

    def __str__(self) -> str:
        return self.kind

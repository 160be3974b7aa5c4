"""Reads for the duplicate check: the network dial, matches through tokens, merge suggestions.

Across organisations only the keyed-hash tokens are compared: no name leaves its tenant, and
what comes back is at most another organisation's public name and contact (dial "shared").
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count
from django.utils import timezone

from cordee.core.models import Network, Organisation

from ..matching.normalise import PersonRecord, record_normalise
from ..matching.pipeline import dedupe_normalised
from ..matching.privacy import MIN_SHARED_KINDS
from ..matching.scoring import Frequencies, Scorer
from ..models import ConsentPurpose, Household
from ..models_matching import HouseholdMatchToken, MatchingDial, NetworkHouseholdPolicy


def dial_for(network: Network) -> str:
    policy = NetworkHouseholdPolicy.objects.filter(network=network).first()
    return policy.dial if policy is not None else MatchingDial.WALLS_UP


def duplicate_check_consented(household: Household) -> bool:
    """The latest "network duplicate check" consent is neither withdrawn nor expired."""
    latest = household.consents.filter(purpose=ConsentPurpose.DUPLICATE_CHECK).first()
    if latest is None or latest.withdrawn_on is not None:
        return False
    return latest.expires_on is None or latest.expires_on > timezone.localdate()


def person_record(household: Household) -> PersonRecord:
    """What the matching engine reads of a household (the respondent's fields)."""
    return PersonRecord(
        id=str(household.pk),
        first_name=household.first_name,
        last_name=household.last_name,
        phone=household.phone,
        municipality=household.municipality.name if household.municipality_id else "",  # type: ignore[union-attr]
    )


@dataclass
class NetworkMatch:
    """What a member may learn: in this network, a match exists; with "shared", where."""

    network: Network
    dial: str
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return self.dial == MatchingDial.SHARED


def _matched_households(household: Household, network: Network) -> set[int]:
    mine = list(
        HouseholdMatchToken.objects.filter(household=household, network=network).values_list(
            "token", "exact"
        )
    )
    if not mine:
        return set()
    exact = {token for token, is_exact in mine if is_exact}
    kinds: dict[int, set[str]] = defaultdict(set)
    others = (
        HouseholdMatchToken.objects.filter(network=network, token__in=[t for t, _ in mine])
        .exclude(household__organisation=household.organisation)
        .filter(household__organisation__network_memberships__network=network)
        .values_list("household_id", "token", "kind", "exact")
    )
    # The engine's rule: a token counts when it is exact on one side at least.
    for other_id, token, kind, is_exact in others:
        if is_exact or token in exact:
            kinds[other_id].add(kind)
    return {pk for pk, found in kinds.items() if len(found) >= MIN_SHARED_KINDS}


def network_matches(*, household: Household) -> list[NetworkMatch]:
    """One entry per network (dial not "walls up") where another member seems to know the
    household. Both households must have a current duplicate-check consent."""
    if not duplicate_check_consented(household):
        return []
    found: list[NetworkMatch] = []
    networks = Network.objects.filter(memberships__organisation=household.organisation)
    for network in networks.distinct():
        dial = dial_for(network)
        if dial == MatchingDial.WALLS_UP:
            continue
        ids = _matched_households(household, network)
        others = [
            h
            for h in Household.objects.filter(pk__in=ids).select_related("organisation")
            if duplicate_check_consented(h)
        ]
        if not others:
            continue
        orgs = {h.organisation_id: h.organisation for h in others}
        match = NetworkMatch(network=network, dial=dial)
        if dial == MatchingDial.SHARED:
            match.organisations = sorted(orgs.values(), key=lambda o: o.name)
        found.append(match)
    return found


@dataclass
class MergeSuggestion:
    first: Household
    second: Household
    score: float


def merge_suggestions(*, org: Organisation, limit: int = 200) -> list[MergeSuggestion]:
    """Pairs of the organisation's own households the engine judges to be the same, best
    first. Only suggestions: a coordinator decides."""
    households = list(
        Household.objects.filter(organisation=org)
        .select_related("municipality")
        .annotate(visit_count=Count("visits"))
        .order_by("pk")
    )
    if len(households) < 2:
        return []
    records = [record_normalise(person_record(h)) for h in households]
    scorer = Scorer(Frequencies.of(records))
    pairs: list[MergeSuggestion] = []
    for group in dedupe_normalised(records):
        for i, j in combinations(group, 2):
            total, _person = scorer.score(records[i], records[j])
            pairs.append(MergeSuggestion(households[i], households[j], total))
    pairs.sort(key=lambda p: (-p.score, p.first.pk, p.second.pk))
    return pairs[:limit]

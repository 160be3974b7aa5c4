"""Reads of households, always within one organisation."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rapidfuzz import fuzz, process

from cordee.core.models import Organisation

from ..matching.normalise import fold, phone_normalise
from ..models import Consent, ConsentPurpose, Household, Visit

SEARCH_LIMIT = 10
NAME_CUTOFF = 80


def search_names_for(first_name: str, last_name: str) -> str:
    """What the tolerant search compares: folded tokens, accents and apostrophes gone."""
    return f"{fold(first_name)} {fold(last_name)}".strip()[:220]


def household_get(*, org: Organisation, pk: int) -> Household:
    """404 for another organisation's household: it must look like it does not exist."""
    return get_object_or_404(
        Household.objects.select_related("municipality", "proof_seen_by"), organisation=org, pk=pk
    )


def _name_score(query: str, key: str, **_: object) -> float:
    """Every word typed must be close to one word of the name ("cote marie" finds "Marie
    Côté"; "tremblai" finds "Tremblay"); the score is the weakest word's."""
    words = key.split()
    if not words:
        return 0.0
    return min(max(fuzz.ratio(q, w) for w in words) for q in query.split())


def household_search(*, org: Organisation, q: str) -> list[Household]:
    """Card number, phone digits or names tolerant of typos and missing accents."""
    q = q.strip()
    if not q:
        return []
    households = Household.objects.filter(organisation=org).select_related("municipality")
    digits = "".join(ch for ch in q if ch.isdigit())
    if digits and len(digits) >= len(q.replace(" ", "").replace("-", "")) - 4:
        # Mostly digits: a card number or a phone number (any format).
        found = list(households.filter(card_number=int(digits))[:1]) if len(digits) <= 9 else []
        phone = phone_normalise(q)
        if phone:
            found += list(households.filter(phone_digits__endswith=phone[-7:])[:SEARCH_LIMIT])
        elif len(digits) >= 4:
            found += list(households.filter(phone_digits__endswith=digits)[:SEARCH_LIMIT])
        return list(dict.fromkeys(found))[:SEARCH_LIMIT]
    query = fold(q)
    if not query:
        return []
    keys = dict(households.values_list("pk", "search_names"))
    scores = _name_matches(query, keys)
    best = sorted(scores, key=lambda pk: (-scores[pk], keys[pk]))[:SEARCH_LIMIT]
    order = {pk: (-scores[pk], keys[pk]) for pk in best}
    found = list(households.filter(pk__in=order))
    return sorted(found, key=lambda h: order[h.pk])


def _name_matches(query: str, keys: dict[int, str]) -> dict[int, float]:
    """The households whose `_name_score` reaches NAME_CUTOFF, with that score, computed
    word by word: each distinct name word (a few hundred among 20,000 households) is scored
    once, in C, instead of every household's words in Python."""
    owners: dict[str, list[int]] = {}
    for pk, key in keys.items():
        for word in set(key.split()):
            owners.setdefault(word, []).append(pk)
    vocabulary = list(owners)
    best: dict[int, float] | None = None
    for typed in dict.fromkeys(query.split()):
        scores: dict[int, float] = {}
        for word, score, _ in process.extract(
            typed, vocabulary, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None
        ):
            for pk in owners[word]:
                if score > scores.get(pk, 0.0):
                    scores[pk] = score
        if best is None:
            best = scores
        else:  # every word typed must match: the household keeps its weakest word's score
            best = {pk: min(score, scores[pk]) for pk, score in best.items() if pk in scores}
        if not best:
            return {}
    return best or {}


def visit_list(*, org: Organisation, household: Household, limit: int = 50) -> QuerySet[Visit]:
    return Visit.objects.filter(organisation=org, household=household).select_related(
        "recorded_by", "site"
    )[:limit]


def visit_get(*, org: Organisation, pk: int) -> Visit:
    return get_object_or_404(Visit.objects.select_related("household"), organisation=org, pk=pk)


def consent_list(*, household: Household) -> QuerySet[Consent]:
    return household.consents.select_related("recorded_by")


def consent_withdrawn(*, household: Household, purpose: str) -> bool:
    """True when the latest consent for this purpose was withdrawn: that processing stops."""
    latest = household.consents.filter(purpose=purpose).first()
    return latest is not None and latest.withdrawn_on is not None


def service_stopped(household: Household) -> bool:
    return consent_withdrawn(household=household, purpose=ConsentPurpose.SERVICE)

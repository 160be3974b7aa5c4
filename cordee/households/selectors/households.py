"""Reads of households, always within one organisation."""

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate
from django.shortcuts import get_object_or_404
from rapidfuzz import fuzz, process

from cordee.core.models import Organisation

from ..matching.normalise import fold, phone_normalise
from ..models import Consent, ConsentPurpose, Household, Visit
from ..models_search import HouseholdSearchWord

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
    return _search_by_words(org, query, households)


def _search_by_words(
    org: Organisation, query: str, households: QuerySet[Household]
) -> list[Household]:
    """The organisation's distinct name words (a few thousand at most, one index-only
    query) are scored in C; only the households owning a close word are then read."""
    vocabulary = _vocabulary(org)
    close = _close_words(query, vocabulary)
    if close is None:
        return []
    owners: dict[str, list[int]] = {}
    rows = HouseholdSearchWord.objects.filter(
        organisation=org, word__in={w for scores in close for w in scores}
    ).values_list("word", "household_id")
    for word, pk in rows:
        owners.setdefault(word, []).append(pk)
    scores = _combine(close, owners)
    if not scores:
        return []
    return _best(households, scores)


def _best(households: QuerySet[Household], scores: dict[int, float]) -> list[Household]:
    """The SEARCH_LIMIT best: by score, then name, then pk (two households of the same name
    keep their order between keystrokes). The score groups above the one that reaches the
    limit are read whole (fewer than SEARCH_LIMIT rows); that last group — all the
    "Tremblay" of a common surname, say — is sorted and cut by the database."""
    groups: dict[float, list[int]] = {}
    for pk, score in scores.items():
        groups.setdefault(score, []).append(pk)
    above: list[int] = []
    for score in sorted(groups, reverse=True):
        if len(above) + len(groups[score]) < SEARCH_LIMIT:
            above += groups[score]
            continue
        found = list(households.filter(pk__in=above).order_by()) if above else []
        found.sort(key=lambda h: (-scores[h.pk], h.search_names, h.pk))
        last = households.filter(pk__in=groups[score]).order_by(_binary("search_names"), "pk")
        return found + list(last[: SEARCH_LIMIT - len(found)])
    found = list(households.filter(pk__in=above).order_by())
    return sorted(found, key=lambda h: (-scores[h.pk], h.search_names, h.pk))


def _binary(field: str) -> F | Collate:
    """Order by code point, as Python sorts strings (SQLite's default; "C" on PostgreSQL)."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def _vocabulary(org: Organisation) -> list[str]:
    """The organisation's distinct words by a skip scan of the (organisation, word) index:
    one probe per distinct word (~1,000) instead of reading every row (~40,000)."""
    table = connection.ops.quote_name(HouseholdSearchWord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE vocabulary(word) AS (
                SELECT MIN(word) FROM {table} WHERE organisation_id = %s
                UNION ALL
                SELECT (SELECT MIN(s.word) FROM {table} s
                        WHERE s.organisation_id = %s AND s.word > vocabulary.word)
                FROM vocabulary WHERE vocabulary.word IS NOT NULL
            )
            SELECT word FROM vocabulary WHERE word IS NOT NULL
            """,
            [org.pk, org.pk],
        )
        return [word for (word,) in cursor.fetchall()]


def _close_words(query: str, vocabulary: list[str]) -> list[dict[str, float]] | None:
    """For each distinct typed word, the vocabulary words within NAME_CUTOFF and their
    score; None when one typed word has none (every word typed must match)."""
    close = []
    for typed in dict.fromkeys(query.split()):
        scores = {
            word: score
            for word, score, _ in process.extract(
                typed, vocabulary, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None
            )
        }
        if not scores:
            return None
        close.append(scores)
    return close


def _combine(close: list[dict[str, float]], owners: dict[str, list[int]]) -> dict[int, float]:
    """Each household's score: per typed word its best close word, then the weakest."""
    best: dict[int, float] | None = None
    for word_scores in close:
        scores: dict[int, float] = {}
        for word, score in word_scores.items():
            for pk in owners.get(word, ()):
                if score > scores.get(pk, 0.0):
                    scores[pk] = score
        if best is None:
            best = scores
        else:  # every word typed must match: the household keeps its weakest word's score
            best = {pk: min(score, scores[pk]) for pk, score in best.items() if pk in scores}
        if not best:
            return {}
    return best or {}


def _name_matches(query: str, keys: dict[int, str]) -> dict[int, float]:
    """The households whose `_name_score` reaches NAME_CUTOFF, with that score, from their
    keys in memory: the same word-by-word steps as the indexed search (kept to check them
    against the original rule)."""
    owners: dict[str, list[int]] = {}
    for pk, key in keys.items():
        for word in set(key.split()):
            owners.setdefault(word, []).append(pk)
    close = _close_words(query, list(owners))
    return {} if close is None else _combine(close, owners)


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

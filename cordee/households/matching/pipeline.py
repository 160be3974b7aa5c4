"""The whole dedupe: normalise → block → score → cluster."""

from __future__ import annotations

from collections.abc import Sequence

from .blocking import candidate_pairs
from .clustering import cluster
from .normalise import NormalisedRecord, PersonRecord, record_normalise
from .scoring import COMPATIBLE_MIN, COMPATIBLE_PERSON_MIN, PERSON_MIN, Frequencies, Scorer


def id_sort_key(value: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, then the others in text order."""
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def dedupe(records: Sequence[PersonRecord]) -> list[list[str]]:
    """Groups of ids judged to be the same person (size ≥ 2), each sorted, in a stable order."""
    # In id order, so that pairs of equal score are merged in the same order whatever the
    # order of the file (clustering breaks ties by position).
    ordered = sorted(records, key=lambda record: id_sort_key(record.id))
    normalised = [record_normalise(record) for record in ordered]
    return [[normalised[i].id for i in group] for group in dedupe_normalised(normalised)]


def dedupe_normalised(records: Sequence[NormalisedRecord]) -> list[list[int]]:
    scorer = Scorer(Frequencies.of(records))
    accepted: list[tuple[float, int, int]] = []
    threshold = scorer.threshold
    for i, j in candidate_pairs(records):
        a, b = records[i], records[j]
        person = scorer.person(a, b)
        if person < PERSON_MIN:
            continue  # most candidates stop here: the household fields cannot save them
        total = person + scorer.household(a, b)
        if total >= threshold:
            accepted.append((total, i, j))

    def compatible(i: int, j: int) -> bool:
        total, person = scorer.score(records[i], records[j])
        return total >= COMPATIBLE_MIN and person >= COMPATIBLE_PERSON_MIN

    groups = [
        sorted(group, key=lambda i: id_sort_key(records[i].id))
        for group in cluster(len(records), accepted, compatible)
    ]
    groups.sort(key=lambda group: id_sort_key(records[group[0]].id))
    return groups

"""Pairwise scoring: how much more likely two records are the same person than not.

A Fellegi–Sunter style sum of log₂ likelihood ratios, one per field. Agreement on a name
weighs by how rare the name is in the file being deduped (two "Marie Tremblay" prove much
less than two "Wojcik"), so Québec's frequent surnames do not drive false merges.

Phone, postal code and municipality are *household* fields: parents, children and spouses
share them. A pair is only accepted when the *person* fields (names and birth year) agree
on their own (``PERSON_MIN``); the household fields then decide between namesakes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from .nicknames import NICKNAMES
from .normalise import Name, NormalisedRecord

# Decision thresholds, calibrated on the synthetic noisy set (docs/decisions/0007).
# Name weights are relative to the file (rare *in this file*), while the prior odds that two
# random records are the same person fall as the file grows: the threshold grows with
# log₂(size) so that "Marie Tremblay, 1955" is as convincing in 3,000 records as in 100,000.
MATCH_MARGIN = 2.0
PERSON_MIN = 6.0
# A pair whose score is below this, or whose person fields disagree, may not end up in the
# same cluster (chaining guard).
COMPATIBLE_MIN = 2.0
COMPATIBLE_PERSON_MIN = 0.0

NAME_CAP = 13.0
SURNAME_PART_PENALTY = 1.5  # "Tremblay" vs "Tremblay-Gagnon"
SURNAME_FUZZY = 3.0
SURNAME_DIFFER = -5.0
SHORT_TYPO = 0.0  # "Jan" vs "Jean", "Din" vs "Dion": neither for nor against
FIRST_ALIAS_PENALTY = 1.0  # "Bob" vs "Robert", "JF" vs "Jean-François"
FIRST_FUZZY = 3.0
FIRST_PARTIAL = 1.5  # "Jean" vs "Jean-François"
FIRST_INITIAL = 0.5  # "M." vs "Marie"
FIRST_DIFFER = -15.0  # siblings and spouses share everything but this
SWAP_PENALTY = 1.0
YEAR_SAME = 5.5
YEAR_NEAR = 1.5
YEAR_TWO = -3.0
YEAR_FEW = -7.0
YEAR_FAR = -20.0  # father and son of the same name
PHONE_LOCAL = 6.0
PHONE_ONE_DIGIT = 4.0
PHONE_DIFFER = -4.0  # about one person in twenty changes number
POSTAL_CAP = 8.0
POSTAL_ONE_CHAR = 2.0
POSTAL_SAME_AREA = -4.0  # another street in town: another address
POSTAL_DIFFER = -4.0
MUNICIPALITY_SAME = 1.0
MUNICIPALITY_DIFFER = -2.0

# Prior frequencies, blended with the file's own counts so that small files score sanely.
_PSEUDO_RECORDS = 1000
_U_SURNAME = 0.002
_U_FIRST = 0.004
_U_PHONE = 0.00002
_U_POSTAL = 0.002


def match_threshold(size: int) -> float:
    return MATCH_MARGIN + math.log2(max(size, 1000))


def _short_typo(a: str, b: str) -> bool:
    """Short names one edit apart with the same first letter: too weak to count for, but
    not a disagreement either."""
    return a[0] == b[0] and min(len(a), len(b)) >= 3 and OSA.distance(a, b, score_cutoff=1) <= 1


_FEMININE_ENDINGS = ("e", "ne", "le", "te")


def _gender_pair(a: str, b: str) -> bool:
    """Louis/Louise, Jean/Jeanne, Daniel/Danielle, Raymond/Raymonde: one letter apart, but
    two people — often a couple living at the same address."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return long.startswith(short) and long[len(short) :] in _FEMININE_ENDINGS


def _typo(a: str, b: str) -> bool:
    """One edit (two on long names) away, transpositions counting as one."""
    shortest = min(len(a), len(b))
    if shortest < 4:
        return False
    allowed = 2 if shortest >= 8 else 1
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


@dataclass
class Frequencies:
    """How often each value occurs in the file: the "u" of Fellegi–Sunter."""

    total: int
    surnames: Counter[str]
    firsts: Counter[str]
    phones: Counter[str]
    postals: Counter[str]

    @classmethod
    def of(cls, records: Iterable[NormalisedRecord]) -> Frequencies:
        surnames: Counter[str] = Counter()
        firsts: Counter[str] = Counter()
        phones: Counter[str] = Counter()
        postals: Counter[str] = Counter()
        total = 0
        for record in records:
            total += 1
            surnames.update({record.last.compact, *record.last.parts} - {""})
            firsts.update(record.first.aliases)
            if record.phone:
                phones[record.phone] += 1
            if record.postal:
                postals[record.postal] += 1
        return cls(total, surnames, firsts, phones, postals)

    def weight(self, counts: Counter[str], value: str, prior: float, m: float, cap: float) -> float:
        u = (counts.get(value, 0) + _PSEUDO_RECORDS * prior) / (self.total + _PSEUDO_RECORDS)
        return min(cap, math.log2(m / u))


class Scorer:
    def __init__(self, frequencies: Frequencies) -> None:
        self.freq = frequencies
        self.threshold = match_threshold(frequencies.total)
        self._weights: dict[tuple[str, str], float] = {}
        # Names repeat a lot: each distinct pair of names is compared once.
        self._surnames: dict[tuple[str, str], float] = {}
        self._firsts: dict[tuple[str, str], float] = {}

    def _name_weight(self, kind: str, value: str) -> float:
        key = (kind, value)
        cached = self._weights.get(key)
        if cached is None:
            if kind == "s":
                cached = self.freq.weight(self.freq.surnames, value, _U_SURNAME, 0.9, NAME_CAP)
            else:
                cached = self.freq.weight(self.freq.firsts, value, _U_FIRST, 0.9, NAME_CAP)
            self._weights[key] = cached
        return cached

    def surname(self, a: Name, b: Name) -> float:
        key = (a.key, b.key)
        cached = self._surnames.get(key)
        if cached is None:
            cached = self._surnames[key] = self._surname(a, b)
        return cached

    def first(self, a: Name, b: Name) -> float:
        key = (a.key, b.key)
        cached = self._firsts.get(key)
        if cached is None:
            cached = self._firsts[key] = self._first(a, b)
        return cached

    def _surname(self, a: Name, b: Name) -> float:
        if not a or not b:
            return 0.0
        if a.compact == b.compact:
            return self._name_weight("s", a.compact)
        shared = set(a.parts) & set(b.parts)
        if shared:
            return max(self._name_weight("s", p) for p in shared) - SURNAME_PART_PENALTY
        if _typo(a.compact, b.compact):
            return SURNAME_FUZZY
        if (len(a.parts) > 1 or len(b.parts) > 1) and any(
            _typo(x, y) for x in a.parts for y in b.parts
        ):
            return SURNAME_FUZZY - SURNAME_PART_PENALTY
        if _short_typo(a.compact, b.compact):
            return SHORT_TYPO
        return SURNAME_DIFFER

    def _first(self, a: Name, b: Name) -> float:
        if not a or not b:
            return 0.0
        if a.compact == b.compact:
            return self._name_weight("f", a.compact)
        shared = a.aliases & b.aliases
        if shared:
            return min(self._name_weight("f", n) for n in shared) - FIRST_ALIAS_PENALTY
        if (len(a.parts) > 1 and b.compact == a.initials) or (
            len(b.parts) > 1 and a.compact == b.initials
        ):
            return self._name_weight("f", a.compact if len(a.parts) > 1 else b.compact) - (
                FIRST_ALIAS_PENALTY
            )
        if _gender_pair(a.compact, b.compact):
            return FIRST_DIFFER
        if _typo(a.compact, b.compact):
            return FIRST_FUZZY
        if (len(a.parts) == 1 and len(b.parts) > 1 and a.compact in b.parts) or (
            len(b.parts) == 1 and len(a.parts) > 1 and b.compact in a.parts
        ):
            return FIRST_PARTIAL
        if (len(a.compact) == 1 or len(b.compact) == 1) and a.compact[0] == b.compact[0]:
            return FIRST_INITIAL
        if _short_typo(a.compact, b.compact):
            return SHORT_TYPO
        return FIRST_DIFFER

    def names(self, a: NormalisedRecord, b: NormalisedRecord) -> float:
        straight = self.surname(a.last, b.last) + self.first(a.first, b.first)
        if straight >= 6.0 or not _may_be_swapped(a, b):
            return straight
        # First and last name typed in each other's box. Each side's own boxes decide which
        # frequency table applies; taking the lower of the two readings keeps it symmetric.
        swapped = min(self._swapped(a, b), self._swapped(b, a))
        return max(straight, swapped - SWAP_PENALTY)

    def _swapped(self, a: NormalisedRecord, b: NormalisedRecord) -> float:
        key = (a.last.key, b.first.key)
        surname = self._surnames.get(key)
        if surname is None:
            surname = self._surnames[key] = self._surname(a.last, _as_surname(b.first))
        return surname + self.first(a.first, _as_first(b.last))

    @staticmethod
    def birth_year(a: int | None, b: int | None) -> float:
        if a is None or b is None:
            return 0.0
        gap = abs(a - b)
        if gap == 0:
            return YEAR_SAME
        if gap == 1:
            return YEAR_NEAR
        if gap == 2:
            return YEAR_TWO
        return YEAR_FEW if gap <= 5 else YEAR_FAR

    def phone(self, a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        if a == b:
            return self.freq.weight(self.freq.phones, a, _U_PHONE, 0.75, NAME_CAP)
        if len(a) != len(b):
            return PHONE_LOCAL if a[-7:] == b[-7:] else PHONE_DIFFER
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return PHONE_ONE_DIGIT
        return PHONE_DIFFER

    def postal(self, a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        if a == b:
            if len(a) == 3:
                return 0.0  # only the area was given on both sides
            return self.freq.weight(self.freq.postals, a, _U_POSTAL, 0.7, POSTAL_CAP)
        if a[:3] != b[:3]:
            return POSTAL_DIFFER
        if len(a) == 3 or len(b) == 3:
            return 0.0
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return POSTAL_ONE_CHAR
        return POSTAL_SAME_AREA

    @staticmethod
    def municipality(a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        return MUNICIPALITY_SAME if a == b else MUNICIPALITY_DIFFER

    def person(self, a: NormalisedRecord, b: NormalisedRecord) -> float:
        return self.names(a, b) + self.birth_year(a.birth_year, b.birth_year)

    def household(self, a: NormalisedRecord, b: NormalisedRecord) -> float:
        return (
            self.phone(a.phone, b.phone)
            + self.postal(a.postal, b.postal)
            + self.municipality(a.municipality, b.municipality)
        )

    def score(self, a: NormalisedRecord, b: NormalisedRecord) -> tuple[float, float]:
        """(total score, person-only score) of the pair; symmetric in a and b."""
        person = self.person(a, b)
        return person + self.household(a, b), person

    def is_match(self, a: NormalisedRecord, b: NormalisedRecord) -> bool:
        total, person = self.score(a, b)
        return total >= self.threshold and person >= PERSON_MIN


def _may_be_swapped(a: NormalisedRecord, b: NormalisedRecord) -> bool:
    """Cheap test before scoring a swap: both boxes start with the other's letters."""
    return (
        bool(a.last and a.first and b.last and b.first)
        and a.last.compact[0] == b.first.compact[0]
        and a.first.compact[0] == b.last.compact[0]
    )


def _as_first(name: Name) -> Name:
    """A surname box that holds a first name: give it its nicknames back."""
    if not name:
        return name
    aliases = name.aliases | NICKNAMES.get(name.compact, frozenset())
    return Name(name.compact, name.parts, aliases, name.initials, "f" + name.key)


def _as_surname(name: Name) -> Name:
    return Name(name.compact, name.parts, frozenset({name.compact}), name.initials, name.key)

"""Blocking: only records that share at least one key are compared.

Several independent keys, so that a duplicate escapes every block only when its noise hits
all of them at once: same phone; same sounding surname and first name (in either box, so a
swap still meets); same sounding surname and birth year; same first name, birth year and
municipality; same postal code and birth year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from .normalise import NormalisedRecord

# Larger blocks are dropped: a value shared by hundreds of records (a placeholder phone,
# a common name without any other key) says nothing, and comparing them all is quadratic.
MAX_BLOCK = 300
# A village's single postal code is shared by thousands: with the birth year it is still wide.
_LIMITS = {"z": 40}

_SOUND_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ph", "f"),
        (r"qu", "k"),
        (r"gu(?=[eiy])", "g"),
        (r"c(?=[eiy])", "s"),
        (r"[cq]", "k"),
        (r"g(?=[eiy])", "j"),
        (r"x", "ks"),
        (r"z", "s"),
        (r"w", "v"),
        (r"y", "i"),
        (r"(?<=[a-z])h", ""),
        (r"eau|au", "o"),
        (r"ai|ei", "e"),
    )
]


@lru_cache(maxsize=65536)
def sound_key(word: str) -> str:
    """A rough French phonetic skeleton: first sound + following consonants, doubles
    collapsed, five characters at most ("Tremblay", "Trembley", "Trenblay"… → "trmbl")."""
    if not word:
        return ""
    if not word.isascii():
        return word[:5]
    for pattern, replacement in _SOUND_RULES:
        word = pattern.sub(replacement, word)
    if not word:
        return ""
    skeleton = [word[0]]
    for ch in word[1:]:
        if ch in "aeiou" or ch == skeleton[-1]:
            continue
        skeleton.append(ch)
    return "".join(skeleton)[:5]


def blocking_keys(record: NormalisedRecord) -> list[str]:
    keys: set[str] = set()
    if len(record.phone) == 10:
        keys.add("p" + record.phone)
    if record.phone:
        keys.add("l" + record.phone[-7:])
    surnames = {sound_key(p) for p in (record.last.compact, *record.last.parts) if p}
    firsts = {sound_key(a) for a in record.first.aliases if a}
    year = "" if record.birth_year is None else str(record.birth_year)
    for surname in surnames:
        for first in firsts:
            keys.add("n" + "|".join(sorted((surname, first))))
        if year:
            keys.add(f"y{surname}|{year}")
    if year:
        if record.municipality:
            for first in firsts:
                keys.add(f"f{first}|{year}|{record.municipality}")
        if len(record.postal) == 6:
            keys.add(f"z{record.postal}|{year}")
    return sorted(keys)


def candidate_pairs(records: Sequence[NormalisedRecord]) -> Iterator[tuple[int, int]]:
    """Each pair (i, j), i < j, of records sharing a key, once, in a deterministic order
    (the order of the records and of their keys)."""
    blocks: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        for key in blocking_keys(record):
            blocks.setdefault(key, []).append(index)
    total = len(records)
    seen: set[int] = set()
    for key, members in blocks.items():
        if len(members) < 2 or len(members) > _LIMITS.get(key[0], MAX_BLOCK):
            continue
        for position, i in enumerate(members):
            base = i * total
            for j in members[position + 1 :]:
                code = base + j
                if code not in seen:
                    seen.add(code)
                    yield i, j

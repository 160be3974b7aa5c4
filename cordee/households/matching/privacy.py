"""Cross-organisation matching without exchanging names.

Each organisation turns its own records into *keyed* fingerprints: HMAC-SHA256, with a
secret held by the network (never by a member), of combinations of normalised fields.
Only fingerprints leave the organisation; the matcher compares them for equality and learns
"these two records probably are the same person", never a name, a phone or a birth year.

Why combinations and not one hash per field: a hash of a birth year or of "Tremblay" alone
is common enough to be recognised by its frequency; a hash of "surname + first name +
birth year" is as rare as the person. Why keyed: without the secret, nobody can hash a
phone book and look people up in the fingerprints.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from .blocking import sound_key
from .normalise import NormalisedRecord

# Kinds of fingerprint; a pair is a probable match when it shares two different kinds.
NAME_YEAR = "name+year"
NAME_PHONE = "name+phone"
NAME_POSTAL = "name+postal"
FIRST_YEAR_PHONE = "first+year+phone"
# Opt-in (``with_place``): households record a municipality, rarely a birth year or postal
# code, so "name + phone" needs a second kind of evidence to ever reach MIN_SHARED_KINDS.
NAME_PLACE = "name+municipality"
MIN_SHARED_KINDS = 2
_TOKEN_BYTES = 16


@dataclass(frozen=True)
class Fingerprint:
    """What an organisation may send: opaque tokens, nothing else.

    ``exact`` holds the record's own tokens; ``tolerant`` also holds those of the birth
    years next to it, so that a year typed ±1 still meets (exact ∩ tolerant).
    """

    exact: frozenset[str]
    tolerant: frozenset[str]


def _token(secret: bytes, kind: str, *values: str) -> str:
    message = "\x1f".join((kind, *values)).encode()
    return kind + ":" + hmac.new(secret, message, hashlib.sha256).hexdigest()[: _TOKEN_BYTES * 2]


def _name_pairs(record: NormalisedRecord) -> set[tuple[str, str]]:
    """(surname sound, first name) in both box orders, with nicknames and compound parts."""
    surnames = {sound_key(p) for p in (record.last.compact, *record.last.parts) if p}
    firsts = {sound_key(a) for a in record.first.aliases if a}
    return {tuple(sorted((s, f))) for s in surnames for f in firsts}  # type: ignore[misc]


def fingerprint(
    record: NormalisedRecord, *, secret: bytes, with_place: bool = False
) -> Fingerprint:
    if len(secret) < 16:
        raise ValueError("The network secret must be at least 16 bytes long.")
    exact: set[str] = set()
    tolerant: set[str] = set()
    names = _name_pairs(record)
    year = record.birth_year
    phone = record.phone[-7:] if record.phone else ""
    for surname_sound, first_sound in names:
        pair = (surname_sound, first_sound)
        if year is not None:
            exact.add(_token(secret, NAME_YEAR, *pair, str(year)))
            for near in (year - 1, year, year + 1):
                tolerant.add(_token(secret, NAME_YEAR, *pair, str(near)))
        if phone:
            token = _token(secret, NAME_PHONE, *pair, phone)
            exact.add(token)
            tolerant.add(token)
        if len(record.postal) == 6:
            token = _token(secret, NAME_POSTAL, *pair, record.postal)
            exact.add(token)
            tolerant.add(token)
        if with_place and record.municipality:
            token = _token(secret, NAME_PLACE, *pair, record.municipality)
            exact.add(token)
            tolerant.add(token)
    if year is not None and phone:
        for first in {sound_key(a) for a in record.first.aliases if a}:
            token = _token(secret, FIRST_YEAR_PHONE, first, str(year), phone)
            exact.add(token)
            tolerant.add(token)
    return Fingerprint(frozenset(exact), frozenset(tolerant))


def shared_kinds(a: Fingerprint, b: Fingerprint) -> set[str]:
    """Which kinds of evidence two fingerprints share (symmetric)."""
    common = (a.exact & b.tolerant) | (b.exact & a.tolerant)
    return {token.split(":", 1)[0] for token in common}


def fingerprints_match(a: Fingerprint, b: Fingerprint) -> bool:
    return len(shared_kinds(a, b)) >= MIN_SHARED_KINDS

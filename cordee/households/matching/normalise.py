"""Turn what people typed on a registration form into comparable values.

Everything here is pure Python (no database) so that the dedupe command, the check-in search
and the cross-organisation fingerprints all normalise the same way.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from .nicknames import NICKNAMES

MUNICIPALITIES_CSV = Path(__file__).resolve().parents[3] / "data" / "laurentides-municipalities.csv"

# Letters NFKD does not split into a base letter and an accent.
_SPECIAL_LETTERS = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
    | {"đ": "d", "Đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_NOT_WORD = re.compile(r"[\W_]+")
# Words that glue to the next one in a surname: "De Grandpré" = "Degrandpré",
# "St-Pierre" = "Saint-Pierre" (one surname, not a compound of two).
_SURNAME_PARTICLES = frozenset(
    {"de", "du", "des", "la", "le", "les", "d", "l", "van", "von", "der", "den", "di", "da"}
    | {"del", "della", "dos", "saint", "sainte", "st", "ste"}
)
_SAINT = {"st": "saint", "ste": "sainte", "sts": "saints"}
_NAME_SUFFIXES = frozenset({"jr", "junior", "sr", "senior", "fils", "ii", "iii"})


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes removed, any other punctuation → one space.

    Letters of other scripts are kept (folded by Unicode rules), so a name written in
    Arabic or Cyrillic still compares with itself.
    """
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Name:
    """A normalised first or last name."""

    compact: str = ""  # every part glued: "tremblaygagnon", "jeanfrancois"
    parts: tuple[str, ...] = ()  # compound parts: ("tremblay", "gagnon")
    aliases: frozenset[str] = field(default_factory=frozenset)  # canonical forms
    initials: str = ""  # "jf" for Jean-François, "t" for Tremblay
    key: str = ""  # kind + parts, unique per distinct name: cheap to hash for caches

    def __bool__(self) -> bool:
        return bool(self.compact)


EMPTY_NAME = Name()


def _tokens(text: str) -> list[str]:
    return [_SAINT.get(token, token) for token in fold(text).split()]


@lru_cache(maxsize=65536)
def surname_normalise(text: str) -> Name:
    """ "Tremblay-Gagnon", "TREMBLAY GAGNON" → parts (tremblay, gagnon);
    "St-Pierre", "Saint Pierre" → one part "saintpierre"; "D'Amours" → "damours"."""
    tokens = [t for t in _tokens(text) if t not in _NAME_SUFFIXES]
    parts: list[str] = []
    glue = ""
    for token in tokens:
        if token in _SURNAME_PARTICLES:
            glue += token
            continue
        parts.append(glue + token)
        glue = ""
    if glue:  # a lone particle ("Le") is the surname itself
        parts.append(glue)
    return _name(parts, kind="s")


@lru_cache(maxsize=65536)
def first_name_normalise(text: str) -> Name:
    """ "Jean-François", "jean francois", "J.-F.", "JF" → aliases {jeanfrancois};
    "Bob" → {bob, robert}; "Cathy" → {cathy, catherine}."""
    tokens = [t for t in _tokens(text) if t not in _NAME_SUFFIXES]
    if len(tokens) > 1 and all(len(t) == 1 for t in tokens):
        tokens = ["".join(tokens)]  # "J. F." is the initials "jf", not two names
    return _name(tokens, kind="f")


def _name(parts: list[str], *, kind: str) -> Name:
    if not parts:
        return EMPTY_NAME
    compact = "".join(parts)
    aliases = {compact}
    if kind == "f":
        aliases |= NICKNAMES.get(compact, frozenset())
    initials = "".join(p[0] for p in parts)
    return Name(compact, tuple(parts), frozenset(aliases), initials, f"{kind}:{'-'.join(parts)}")


def phone_normalise(text: str) -> str:
    """Any North-American format → 10 digits ("+1 (819) 555-1234 poste 2" → "8195551234").
    A 7-digit local number is kept as is; anything else is treated as missing."""
    digits = re.sub(r"\D", "", text)
    if len(digits) > 10 and digits[0] == "1":
        digits = digits[1:]  # country code: Québec area codes never start with 1
    if len(digits) >= 10:
        return digits[:10]  # what follows is an extension
    if len(digits) == 7:
        return digits
    return ""


_POSTAL = re.compile(r"[A-Z][0-9][A-Z][0-9][A-Z][0-9]")
_FSA = re.compile(r"[A-Z][0-9][A-Z]")
_AS_DIGIT = str.maketrans({"O": "0", "I": "1", "L": "1"})
_AS_LETTER = str.maketrans({"0": "O", "1": "I"})


def postal_normalise(text: str) -> str:
    """ "j8c 2b4", "J8C-2B4", "J8C2B4" → "J8C2B4"; "J0T" alone → "J0T" (area only);
    fixes the usual O/0 and I/1 slips; anything else is treated as missing."""
    raw = re.sub(r"[^0-9A-Za-z]", "", fold(text)).upper()
    if len(raw) not in (3, 6):
        return ""
    fixed = "".join(
        ch.translate(_AS_LETTER if i % 2 == 0 else _AS_DIGIT) for i, ch in enumerate(raw)
    )
    if len(fixed) == 6 and _POSTAL.fullmatch(fixed):
        return fixed
    if len(fixed) == 3 and _FSA.fullmatch(fixed):
        return fixed
    return ""


def birth_year_normalise(value: object, *, latest: int = 2100) -> int | None:
    """1955, "1955", " 1955 ", "1955-03-02", "02/03/1955" → 1955; nonsense → None."""
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    else:
        found = re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", str(value or ""))
        if not found:
            return None
        year = int(found.group(1))
    return year if 1880 <= year <= latest else None


# Former names and villages people still write instead of today's municipality.
_MUNICIPALITY_ALIASES = {
    "saint faustin": "Mont-Blanc",
    "saint faustin lac carre": "Mont-Blanc",
    "lac carre": "Mont-Blanc",
    "saint jovite": "Mont-Tremblant",
    "weir": "Montcalm",
}


@lru_cache(maxsize=1)
def _known_municipalities() -> dict[str, str]:
    """Folded spelling → official name, from data/laurentides-municipalities.csv."""
    known = {" ".join(_tokens(key)): name for key, name in _MUNICIPALITY_ALIASES.items()}
    if MUNICIPALITIES_CSV.exists():
        with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                name = row["name"].strip()
                known[" ".join(_tokens(name))] = name
    return known


@lru_cache(maxsize=4096)
def municipality_normalise(text: str) -> str:
    """ "Ste-Agathe", "STE AGATHE DES MONTS", "Sainte-Agathe-des-Monts" → one key.

    Known municipalities come back as their folded official name; "Ste-Agathe" (a unique
    beginning of a known name) and one-letter typos are recognised; an unknown place comes
    back folded, so two spellings of it still compare.
    """
    folded = " ".join(_tokens(text))
    if not folded:
        return ""
    known = _known_municipalities()
    if folded in known:
        return _key(known[folded])
    starting = {name for spelling, name in known.items() if spelling.startswith(folded + " ")}
    if len(starting) == 1:
        return _key(starting.pop())
    best = process.extractOne(folded, list(known), scorer=fuzz.ratio, score_cutoff=90)
    if best is not None:
        return _key(known[best[0]])
    return folded.replace(" ", "")


def _key(official: str) -> str:
    return "".join(_tokens(official))


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One row as typed (CSV, registration form, import)."""

    id: str
    first_name: str = ""
    last_name: str = ""
    birth_year: int | None = None
    phone: str = ""
    postal_code: str = ""
    municipality: str = ""


@dataclass(frozen=True, slots=True)
class NormalisedRecord:
    id: str
    first: Name
    last: Name
    birth_year: int | None
    phone: str
    postal: str
    municipality: str


def record_normalise(record: PersonRecord) -> NormalisedRecord:
    return NormalisedRecord(
        id=record.id,
        first=first_name_normalise(record.first_name),
        last=surname_normalise(record.last_name),
        birth_year=birth_year_normalise(record.birth_year),
        phone=phone_normalise(record.phone),
        postal=postal_normalise(record.postal_code),
        municipality=municipality_normalise(record.municipality),
    )

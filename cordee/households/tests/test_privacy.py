import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cordee.households.matching import PersonRecord, record_normalise
from cordee.households.matching.privacy import fingerprint, fingerprints_match, shared_kinds

SECRET = b"network-secret-0123456789abcdef"


def fp(
    first: str,
    last: str,
    year: int | None,
    phone: str = "",
    postal: str = "",
    secret: bytes = SECRET,
):
    record = record_normalise(PersonRecord("x", first, last, year, phone, postal, ""))
    return fingerprint(record, secret=secret)


def test_a_noisy_duplicate_in_another_organisation_matches() -> None:
    org_a = fp("Jean-François", "Tremblay", 1971, "819-326-4444", "J8C 2B4")
    org_b = fp("JF", "TREMBLAY", 1972, "(819) 326-4444", "j8c2b4")
    assert fingerprints_match(org_a, org_b)
    assert fingerprints_match(org_b, org_a)


def test_namesakes_born_the_same_year_elsewhere_do_not_match() -> None:
    org_a = fp("Marie", "Tremblay", 1955, "819-326-1111", "J8C 1A1")
    org_b = fp("Marie", "Tremblay", 1955, "819-425-2222", "J8E 2B2")
    assert shared_kinds(org_a, org_b) == {"name+year"}
    assert not fingerprints_match(org_a, org_b)


def test_fingerprints_reveal_no_names_and_depend_on_the_secret() -> None:
    mine = fp("Hélène", "Bélanger", 1948, "819-688-7777", "J0T 2N0")
    dumped = json.dumps(sorted(mine.exact | mine.tolerant)).lower()
    for clear in ("helene", "belanger", "1948", "8196887777", "6887777", "j0t", "blng"):
        assert clear not in dumped
    other = fp("Hélène", "Bélanger", 1948, "819-688-7777", "J0T 2N0", secret=b"x" * 32)
    assert not (mine.exact & other.tolerant)
    assert fp("Hélène", "Bélanger", 1948, "819-688-7777", "J0T 2N0") == mine  # deterministic


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        fp("Marie", "Roy", 1950, secret=b"short")


@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=20), st.text(max_size=10))
def test_any_unicode_input_gives_a_fingerprint(
    first: str, last: str, phone: str, postal: str
) -> None:
    result = fp(first, last, 1970, phone, postal)
    assert all(":" in token for token in result.exact)
    assert result.exact <= result.tolerant

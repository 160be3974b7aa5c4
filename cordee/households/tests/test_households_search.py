"""The check-in search: missing accents, typos, phone formats, card numbers, one tenant only."""

import pytest

from cordee.households.selectors.households import household_search


@pytest.fixture
def people(register):
    return {
        "cote": register("Marie", "Côté", phone="819 555-1234"),
        "tremblay": register("Jean-François", "Tremblay", phone="(450) 555-9876"),
        "oneil": register("Ginette", "O'Neil"),
        "roy": register("Luc", "Roy"),
    }


def _names(org, q):
    return [f"{h.first_name} {h.last_name}" for h in household_search(org=org, q=q)]


def test_missing_accents_find_the_name(people, org_a):
    assert _names(org_a, "Cote") == ["Marie Côté"]
    assert _names(org_a, "marie cote") == ["Marie Côté"]
    assert _names(org_a, "CÔTÉ Marie") == ["Marie Côté"]
    assert _names(org_a, "jean francois") == ["Jean-François Tremblay"]
    assert _names(org_a, "oneil") == ["Ginette O'Neil"]


def test_a_typo_still_finds_the_name(people, org_a):
    assert _names(org_a, "Tremblai") == ["Jean-François Tremblay"]
    assert _names(org_a, "Ginnette") == ["Ginette O'Neil"]
    assert "Marie Côté" in _names(org_a, "Marie Coté")


def test_unrelated_words_find_nobody(people, org_a):
    assert _names(org_a, "Gagnon") == []
    assert _names(org_a, "") == []
    assert _names(org_a, "   ") == []


@pytest.mark.parametrize(
    "q", ["819 555-1234", "8195551234", "(819) 555 1234", "+1 819.555.1234", "555-1234"]
)
def test_phone_in_any_format(people, org_a, q):
    assert _names(org_a, q) == ["Marie Côté"]


def test_card_number(people, org_a):
    assert _names(org_a, str(people["roy"].card_number)) == ["Luc Roy"]


def test_another_organisation_never_sees_the_households(people, org_b, register, admin_b):
    for q in ("Cote", "Côté", "819 555-1234", "1", "Tremblay"):
        assert household_search(org=org_b, q=q) == []
    register("Marie", "Côté", actor=admin_b, org=org_b)
    assert [h.organisation_id for h in household_search(org=org_b, q="cote")] == [org_b.pk]

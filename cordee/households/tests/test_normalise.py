import pytest

from cordee.households.matching.normalise import (
    birth_year_normalise,
    first_name_normalise,
    fold,
    municipality_normalise,
    phone_normalise,
    postal_normalise,
    surname_normalise,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Côté", "cote"),
        ("LÉVESQUE", "levesque"),
        ("D'Amours", "damours"),
        ("Bœuf", "boeuf"),
        ("Jean-François", "jean francois"),
        ("  Marie   Ève ", "marie eve"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_compound_surname_keeps_its_parts() -> None:
    name = surname_normalise("Tremblay-Gagnon")
    assert name.parts == ("tremblay", "gagnon")
    assert name.compact == "tremblaygagnon"
    assert surname_normalise("TREMBLAY GAGNON") == name


def test_saint_and_particles_make_one_surname() -> None:
    assert surname_normalise("St-Pierre").parts == ("saintpierre",)
    assert surname_normalise("Saint Pierre") == surname_normalise("ST-PIERRE")
    assert surname_normalise("De Grandpré").parts == ("degrandpre",)
    assert surname_normalise("Degrandpré").compact == "degrandpre"
    assert surname_normalise("D'Amours").compact == surname_normalise("Damours").compact
    assert surname_normalise("Tremblay fils").compact == "tremblay"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Jean-François", "jeanfrancois"),
        ("jean francois", "jeanfrancois"),
        ("JF", "jeanfrancois"),
        ("J.-F.", "jeanfrancois"),
        ("Marie-Ève", "marieeve"),
        ("Marieve", "marieeve"),
        ("Bob", "robert"),
        ("Cathy", "catherine"),
        ("Alex", "alexandre"),
        ("Alex", "alexandra"),
    ],
)
def test_first_name_aliases(typed: str, canonical: str) -> None:
    assert canonical in first_name_normalise(typed).aliases


def test_initials_of_a_compound_first_name() -> None:
    assert first_name_normalise("Jean-Philippe").initials == "jp"
    assert first_name_normalise("M.").compact == "m"


@pytest.mark.parametrize(
    "typed",
    [
        "819-555-1234",
        "(819) 555-1234",
        "819.555.1234",
        "1 819 555 1234",
        "+1 819-555-1234",
        "8195551234",
        "819 555-1234 poste 12",
    ],
)
def test_phone_formats(typed: str) -> None:
    assert phone_normalise(typed) == "8195551234"


def test_phone_local_and_nonsense() -> None:
    assert phone_normalise("555-1234") == "5551234"
    assert phone_normalise("12") == ""
    assert phone_normalise("aucun") == ""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("j8c 2b4", "J8C2B4"),
        ("J8C-2B4", "J8C2B4"),
        ("J8C2B4", "J8C2B4"),
        ("j0t", "J0T"),
        ("J8C 2BA", ""),
        ("JOT 1I0", "J0T1I0"),
        ("12345", ""),
    ],
)
def test_postal_codes(typed: str, expected: str) -> None:
    assert postal_normalise(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "Sainte-Agathe-des-Monts",
        "Ste-Agathe-des-Monts",
        "STE AGATHE DES MONTS",
        "Ste-Agathe",
        "sainte agathe des mont",
    ],
)
def test_municipality_spellings(typed: str) -> None:
    assert municipality_normalise(typed) == "sainteagathedesmonts"


def test_municipality_old_names_and_unknown_places() -> None:
    assert municipality_normalise("St-Faustin–Lac-Carré") == municipality_normalise("Mont-Blanc")
    assert municipality_normalise("St-Jovite") == municipality_normalise("Mont-Tremblant")
    assert municipality_normalise("Lac Superieur") == municipality_normalise("Lac-Supérieur")
    assert municipality_normalise("Montréal") == municipality_normalise("MONTREAL") == "montreal"
    assert municipality_normalise("Mont-Tremblant") != municipality_normalise("Mont-Blanc")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1955, 1955),
        ("1955", 1955),
        (" 1955 ", 1955),
        ("1955-03-02", 1955),
        ("02/03/1955", 1955),
        ("", None),
        ("abc", None),
        ("1700", None),
        (True, None),
    ],
)
def test_birth_year(value: object, expected: int | None) -> None:
    assert birth_year_normalise(value) == expected

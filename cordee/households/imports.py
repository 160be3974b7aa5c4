"""Reading a households spreadsheet (CSV or XLSX) and checking each row.

File reading, encodings, separators, limits, column names and did-you-mean come from the
logistics imports (`cordee.logistics.imports`). Nothing here writes: `import_preview()`
returns JSON-ready rows with their problems (which block the row) and warnings (possible
duplicates, which do not); `services.imports.household_import()` checks again and writes.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from cordee.core.models import Municipality, Organisation
from cordee.logistics.imports import (
    Cell,
    ImportFileError,
    Layout,
    RowsPreview,
    did_you_mean,
    read_spreadsheet,
    text_cell,
)

from .matching.normalise import (
    PersonRecord,
    municipality_normalise,
    phone_normalise,
    record_normalise,
)
from .matching.pipeline import dedupe_normalised
from .models import Household
from .selectors.matching import person_record
from .services.households import MAX_PEOPLE, NAME_MAX

HEADERS = {
    "first_name": "prénom",
    "last_name": "nom",
    "phone": "téléphone",
    "email": "courriel",
    "municipality": "municipalité",
    "people_count": "nombre de personnes",
}
REQUIRED = ("first_name", "last_name")
HOUSEHOLDS = Layout.build(
    HEADERS,
    REQUIRED,
    [
        ("prenom", "first_name"),
        ("first name", "first_name"),
        ("nom de famille", "last_name"),
        ("last name", "last_name"),
        ("tel", "phone"),
        ("téléphone", "phone"),
        ("phone", "phone"),
        ("e-mail", "email"),
        ("email", "email"),
        ("courriel", "email"),
        ("ville", "municipality"),
        ("municipality", "municipality"),
        ("personnes", "people_count"),
        ("nb personnes", "people_count"),
        ("taille du ménage", "people_count"),
    ],
)


def municipality_names() -> dict[str, tuple[int, str]]:
    """Normalised official name → (pk, name), as the matching engine reads names: St-/Ste-,
    missing accents, unique prefixes ("Ste-Agathe") and one-letter slips are understood."""
    return {
        municipality_normalise(m.name): (m.pk, m.name)
        for m in Municipality.objects.order_by("name")
    }


def _people(text: str) -> int:
    """« 3 », « 3.0 » (a spreadsheet's number) → 3; anything else raises ValueError."""
    text = text.replace(",", ".").strip()
    value = float(text)
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def row_check(
    number: int, cells: dict[str, Cell], municipalities: dict[str, tuple[int, str]]
) -> dict[str, Any]:
    """One row as a JSON-ready dict with its problems [(column header, French message)]."""
    problems: list[tuple[str, str]] = []
    row: dict[str, Any] = {"row": number, "warnings": []}
    for key, message in (
        ("first_name", _("Write the first name.")),
        ("last_name", _("Write the last name.")),
    ):
        value = text_cell(cells, key)
        if not value:
            problems.append((HEADERS[key], message))
        elif len(value) > NAME_MAX:
            problems.append((HEADERS[key], _("This name is too long (100 characters at most).")))
        row[key] = value[:NAME_MAX]
    phone = text_cell(cells, "phone")
    if phone and not phone_normalise(phone):
        problems.append((HEADERS["phone"], _("Write a phone number like 819 555-1234.")))
    row["phone"] = phone[:30]
    email = text_cell(cells, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append((HEADERS["email"], _("Write an e-mail like nom@exemple.ca.")))
    row["email"] = email[:254]
    place = text_cell(cells, "municipality")
    row["municipality"], row["municipality_name"] = None, ""
    if place:
        found = municipalities.get(municipality_normalise(place))
        if found is None:
            message = _("No municipality is called “%(value)s”.") % {"value": place[:100]}
            known = {key: name for key, (_pk, name) in municipalities.items()}
            problems.append((HEADERS["municipality"], did_you_mean(place, known, message)))
        else:
            row["municipality"], row["municipality_name"] = found
    people = text_cell(cells, "people_count")
    row["people_count"] = 1
    if people:
        try:
            row["people_count"] = _people(people)
            if not 1 <= row["people_count"] <= MAX_PEOPLE:
                raise ValueError(people)
        except (ValueError, OverflowError):
            row["people_count"] = 1
            problems.append(
                (
                    HEADERS["people_count"],
                    _("Write a number of people between 1 and %(n)d.") % {"n": MAX_PEOPLE},
                )
            )
    row["problems"] = problems
    return row


def duplicate_warnings(org: Organisation, rows: list[dict[str, Any]]) -> None:
    """Add a warning to each valid row that looks like another row of the file or like one
    of the organisation's households (the matching engine, within this organisation only)."""
    valid = [r for r in rows if not r["problems"]]
    existing = list(Household.objects.filter(organisation=org).select_related("municipality"))
    records = [record_normalise(person_record(h)) for h in existing]
    records += [
        record_normalise(
            PersonRecord(
                id=f"r{r['row']}",
                first_name=r["first_name"],
                last_name=r["last_name"],
                phone=r["phone"],
                municipality=r["municipality_name"],
            )
        )
        for r in valid
    ]
    by_index: list[tuple[str, Any]] = [("household", h) for h in existing]
    by_index += [("row", r) for r in valid]
    for group in dedupe_normalised(records):
        for i in group:
            kind, row = by_index[i]
            if kind != "row":
                continue
            for j in group:
                other_kind, other = by_index[j]
                if j == i:
                    continue
                if other_kind == "row":
                    row["warnings"].append(
                        _("Looks like row %(n)s of the file.") % {"n": other["row"]}
                    )
                else:
                    row["warnings"].append(
                        _("Looks like %(name)s, card number %(card)s, already registered.")
                        % {
                            "name": f"{other.first_name} {other.last_name}",
                            "card": other.card_number,
                        }
                    )


@dataclass
class HouseholdPreview(RowsPreview):
    @property
    def warnings(self) -> list[dict[str, Any]]:
        return [
            {"row": r["row"], "name": f"{r['first_name']} {r['last_name']}", "message": message}
            for r in self.rows
            for message in r.get("warnings", [])
        ]


def rows_check(
    org: Organisation, cells_by_row: list[tuple[int, dict[str, Cell]]]
) -> list[dict[str, Any]]:
    municipalities = municipality_names()
    rows = [row_check(number, cells, municipalities) for number, cells in cells_by_row]
    duplicate_warnings(org, rows)
    return rows


def import_preview(*, org: Organisation, name: str, data: bytes) -> HouseholdPreview:
    """Never raises for what is in the file: a file-level error, or rows with their problems."""
    try:
        sheet = read_spreadsheet(name, data, HOUSEHOLDS)
    except ImportFileError as exc:
        return HouseholdPreview(error=str(exc))
    return HouseholdPreview(rows=rows_check(org, sheet.rows))

"""The report as tables, shared by the page, CSV, XLSX and PDF so they always agree.

A cell is an int (a count), a float (a percentage), the string « < 5 » (a count hidden in
network views) or "" (nothing to say).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cordee.households.models import HouseholdType, HousingType, IncomeSource
from cordee.households.selectors.reports import (
    NOT_GIVEN,
    ReportFigures,
    suppress_column,
    suppressed,
)

HIDDEN = "< 5"
Cell = int | float | str


@dataclass
class Table:
    title: str
    columns: list[str]  # the headers of the value columns
    rows: list[tuple[str, list[Cell]]]
    is_percent: frozenset[int] = frozenset()  # indexes of rows holding percentages

    @property
    def display_rows(self) -> list[tuple[str, list[str]]]:
        return [(label, [format_cell(c) for c in cells]) for label, cells in self.rows]


Getter = Callable[[ReportFigures], int]


def _count_rows() -> list[tuple[str, list[tuple[str, Getter]]]]:
    return [
        (
            _("Requests for food help"),
            [
                (_("Baskets"), lambda f: f.baskets),
                (_("of which emergency help"), lambda f: f.emergency),
                (_("Meals"), lambda f: f.meals),
                (_("Snacks"), lambda f: f.snacks),
                (_("Requests (baskets + meals + snacks)"), lambda f: f.requests),
            ],
        ),
        (
            _("People helped"),
            [
                (_("Households (counted once)"), lambda f: f.households),
                (_("People (counted once)"), lambda f: f.people),
                (_("Children (0 to 17 years)"), lambda f: f.children),
                (_("Adults (18 to 64 years)"), lambda f: f.adults),
                (_("Seniors (65 years and over)"), lambda f: f.seniors),
                (_("Age not given"), lambda f: f.age_not_given),
            ],
        ),
    ]


def _breakdowns() -> list[tuple[str, str, list[tuple[str, Any]]]]:
    not_given = (NOT_GIVEN, _("Not given"))
    return [
        (_("Household composition"), "household_types", [*HouseholdType.choices, not_given]),
        (_("Main income source"), "income_sources", [*IncomeSource.choices, not_given]),
        (_("Housing"), "housing_types", [*HousingType.choices, not_given]),
    ]


def _breakdown_getter(attribute: str, key: str) -> Getter:
    return lambda f: getattr(f, attribute).get(key, 0)


def build_tables(
    columns: list[str], figures: list[ReportFigures], *, suppress: bool = False
) -> list[Table]:
    """One table per section; `suppress` hides small counts (network views). With
    suppression, the last column is taken as the total and hidden on its own terms."""
    sections = _count_rows()
    for title, attribute, choices in _breakdowns():
        sections.append(
            (
                title,
                [(str(label), _breakdown_getter(attribute, key)) for key, label in choices],
            )
        )
    tables = []
    for title, rows in sections:
        table_rows: list[tuple[str, list[Cell]]] = []
        for label, getter in rows:
            values = [getter(f) for f in figures]
            table_rows.append((label, _cells(values, suppress)))
        if title == _("People helped"):
            table_rows.append((_("Children (%)"), _children_pct(figures, table_rows, suppress)))
        percent = frozenset({len(table_rows) - 1}) if title == _("People helped") else frozenset()
        tables.append(Table(title, columns, table_rows, percent))
    return tables


def _cells(values: list[int], suppress: bool) -> list[Cell]:
    if not suppress:
        return list(values)
    members, total = values[:-1], values[-1]
    cells: list[Cell] = [HIDDEN if v is None else v for v in suppress_column(members)]
    cells.append(HIDDEN if suppressed(total) else total)
    return cells


def _children_pct(
    figures: list[ReportFigures], rows: list[tuple[str, list[Cell]]], suppress: bool
) -> list[Cell]:
    """A percentage is hidden when the counts it comes from are (it would give them back)."""
    people = rows[1][1]
    children = rows[2][1]
    cells: list[Cell] = []
    for i, f in enumerate(figures):
        pct = f.children_pct
        if pct is None or (suppress and HIDDEN in (people[i], children[i])):
            cells.append("")
        else:
            cells.append(pct)
    return cells


def format_cell(cell: Cell) -> str:
    """For the page, the CSV and the PDF: a decimal comma, as read in Québec."""
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",") + " %"
    return str(cell)

"""A GoToucan-compatible export: households, people and distributions as CSV files in a ZIP.

The mapping (and which parts are assumptions) is in docs/gotoucan-export.md. Keep the two in
step. Sensitive answers (household type, income source, housing) are optional in GoToucan:
they are written only when asked for, and only for people whose role may read them.
"""

import csv
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from cordee.core.models import Organisation
from cordee.households.models import AgeBand, VisitType
from cordee.households.selectors.reports import Month, export_rows

LOCAL = ZoneInfo("America/Toronto")

HOUSEHOLD_COLUMNS = [
    "household_id",
    "first_name",
    "last_name",
    "municipality",
    "household_size",
    "household_type",
    "income_source",
    "housing_type",
    "registered_on",
]
PERSON_COLUMNS = ["person_id", "household_id", "category", "date_of_birth"]
DISTRIBUTION_COLUMNS = [
    "distribution_id",
    "household_id",
    "date",
    "template",
    "people_served",
    "weight_kg",
    "site",
]

# GoToucan's distribution templates (Régulier, Dépannage d'urgence, …); meals and snacks
# have no template of their own in what is public: "Repas" and "Collation" are ours.
TEMPLATES = {
    VisitType.BASKET: "Régulier",
    VisitType.EMERGENCY: "Dépannage d'urgence",
    VisitType.MEAL: "Repas",
    VisitType.SNACK: "Collation",
}
CATEGORIES: dict[str, str] = {
    AgeBand.CHILD.value: "Enfant",
    AgeBand.ADULT.value: "Adulte",
    AgeBand.SENIOR.value: "Aîné",
}


def _category(age_band: str, birth_year: int | None, year: int) -> str:
    if age_band:
        return CATEGORIES.get(age_band, "")
    if birth_year is None:
        return ""
    age = year - birth_year
    return "Enfant" if age < 18 else "Adulte" if age < 65 else "Aîné"


def _csv(columns: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # comma-separated UTF-8: what import tools expect
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def gotoucan_zip(*, org: Organisation, month: Month, with_sensitive: bool) -> tuple[bytes, int]:
    """The ZIP's bytes and how many households it holds."""
    households, members, visits = export_rows(org=org, month=month)
    household_rows = [
        [
            h["card_number"],
            h["first_name"],
            h["last_name"],
            h["municipality__name"] or "",
            h["people_count"],
            h["household_type"] if with_sensitive else "",
            h["income_source"] if with_sensitive else "",
            h["housing_type"] if with_sensitive else "",
            _local(h["created_at"]).date().isoformat(),
        ]
        for h in households
    ]
    person_rows = [
        [
            m["pk"],
            m["household__card_number"],
            _category(m["age_band"], m["birth_year"], month.first.year),
            f"{m['birth_year']}-01-01" if m["birth_year"] else "",
        ]
        for m in members
    ]
    distribution_rows = [
        [
            v["pk"],
            v["household__card_number"],
            _local(v["visited_at"]).date().isoformat(),
            TEMPLATES.get(v["visit_type"], v["visit_type"]),
            v["people_served"],
            f"{v['weight_g'] / 1000:.1f}" if v["weight_g"] is not None else "",
            v["site__name"] or "",
        ]
        for v in visits
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("households.csv", _csv(HOUSEHOLD_COLUMNS, household_rows))
        archive.writestr("people.csv", _csv(PERSON_COLUMNS, person_rows))
        archive.writestr("distributions.csv", _csv(DISTRIBUTION_COLUMNS, distribution_rows))
    return buffer.getvalue(), len(household_rows)

"""Reading a spreadsheet (CSV or XLSX) and checking each row: the receptions import here,
and the shared machinery (file reading, encodings, separators, limits, column names,
dates, did-you-mean) that the stock count import (`imports_counts.py`) uses too.

Nothing here writes: `import_preview()` turns the uploaded bytes into small JSON-ready dicts
(one per row, with the row's problems) that the preview shows and the session keeps until the
person confirms; `services.imports.reception_import()` checks them again and writes.
Weights and temperatures are read by the same fields as the reception form, and each line
is judged by the same `line_problems()`.
"""

import csv
import difflib
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core.models import Organisation
from cordee.core.selectors.organisations import site_list

from .forms import FIRST_YEAR, LAST_YEAR, TemperatureField, WeightKgField, grams
from .models import Category, Lot, Reception
from .selectors.stock import category_list
from .selectors.suppliers import supplier_list
from .services.receptions import ReceptionLine, line_problems

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

# key → header shown in the template file (French, as the people who fill it in read it)
HEADERS = {
    "received_on": "date",
    "site": "point de service",
    "source": "provenance",
    "supplier": "fournisseur",
    "donor_name": "donateur",
    "category": "catégorie",
    "weight": "poids (kg)",
    "best_before": "meilleur avant",
    "expiry_date": "date limite",
    "temperature_c": "température (°C)",
    "decision": "décision",
    "decision_reason": "raison",
    "supplier_lot_code": "no de lot fournisseur",
}
REQUIRED = ("received_on", "site", "source", "category", "weight")
# line_problems() key → column
PROBLEM_COLUMNS = {
    "category": "category",
    "weight": "weight",
    "expiry_date": "expiry_date",
    "temperature_c": "temperature_c",
    "decision": "decision",
    "decision_reason": "decision_reason",
}
MAX_TEXT = {"donor_name": 200, "decision_reason": 300, "supplier_lot_code": 100}

Cell = str | date


class ImportFileError(Exception):
    """The whole file cannot be read: said once, above everything."""


def simplify(text: str) -> str:
    """Lower case, no accents, only letters and digits: « Température (°C) » → temperaturec."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of spreadsheet: key → header of the template file, the keys
    that must be there, groups of which at least one must be there, and other names people
    give the columns."""

    headers: dict[str, str]
    required: tuple[str, ...]
    aliases: dict[str, str]
    one_of: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def build(
        cls,
        headers: dict[str, str],
        required: tuple[str, ...],
        aliases: list[tuple[str, str]],
        one_of: tuple[tuple[str, ...], ...] = (),
    ) -> "Layout":
        names = {simplify(header): key for key, header in headers.items()}
        names.update({simplify(alias): key for alias, key in aliases})
        return cls(headers=headers, required=required, aliases=names, one_of=one_of)


RECEPTIONS = Layout.build(
    HEADERS,
    REQUIRED,
    [
        ("date de réception", "received_on"),
        ("site", "site"),
        ("poids", "weight"),
        ("poids kg", "weight"),
        ("température", "temperature_c"),
        ("temperature", "temperature_c"),
        ("meilleur avant (MA)", "best_before"),
        ("date de péremption", "expiry_date"),
        ("no de lot", "supplier_lot_code"),
        ("numéro de lot fournisseur", "supplier_lot_code"),
        ("lot fournisseur", "supplier_lot_code"),
    ],
)
ALIASES = RECEPTIONS.aliases


@dataclass
class Sheet:
    columns: list[str]  # keys found, in file order
    rows: list[tuple[int, dict[str, Cell]]]  # (row number in the spreadsheet, cells by key)


@dataclass
class RowsPreview:
    """What a preview page shows and the session keeps: checked rows with their problems."""

    error: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def problems(self) -> list[dict[str, Any]]:
        return [
            {"row": r["row"], "column": column, "message": message}
            for r in self.rows
            for column, message in r["problems"]
        ]

    @property
    def valid_rows(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if not r["problems"]]

    @property
    def bad_count(self) -> int:
        return sum(1 for r in self.rows if r["problems"])


@dataclass
class Preview(RowsPreview):
    """The receptions import's preview."""

    @property
    def reception_count(self) -> int:
        return len({group_key(r) for r in self.valid_rows})

    @property
    def total_g(self) -> int:
        return sum(r["weight_g"] for r in self.valid_rows)


def group_key(row: dict[str, Any]) -> tuple:
    return (
        row["received_on"],
        row["site"],
        row["source"],
        row["supplier"],
        row["donor_name"].strip().casefold(),
    )


# --- Reading the file ---------------------------------------------------------------------


def read_spreadsheet(name: str, data: bytes, layout: Layout = RECEPTIONS) -> Sheet:
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is too big (more than 5 MB)."))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    lower = (name or "").lower()
    if data[:2] == b"PK" or lower.endswith((".xlsx", ".xlsm")):
        table = _xlsx_rows(data)
    elif lower.endswith((".xls", ".ods", ".numbers", ".pdf", ".docx")):
        raise ImportFileError(_wrong_format())
    else:
        table = _csv_rows(data)
    return _sheet(table, layout)


def _wrong_format() -> str:
    return _("This file is not a CSV or Excel (.xlsx) spreadsheet. Save it in one of these.")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(text: str) -> str:
    """The sniffer's guess, unless the column names (no commas in them) say otherwise: a
    decimal comma in the rows must not make « , » the separator of a « ; » file."""
    sample = text[:20_000]
    first = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in ";,\t"}
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        guess = ""
    if guess and counts.get(guess, 0) >= max(counts.values()):
        return guess
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else (guess or ";")


def _csv_rows(data: bytes) -> list[list[Cell]]:
    text = _decode(data).replace("\x00", "")
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        rows: list[list[Cell]] = []
        for row in reader:
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 50:
                break
        return rows
    except csv.Error as exc:
        raise ImportFileError(_wrong_format()) from exc


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    from openpyxl import load_workbook  # only imports need it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is not a workbook, a damaged file...
        raise ImportFileError(_wrong_format()) from exc
    try:
        if not book.worksheets:
            raise ImportFileError(_("The file is empty."))
        rows: list[list[Cell]] = []
        for values in book.worksheets[0].iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 50:
                break
        return rows
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_wrong_format()) from exc
    finally:
        book.close()


def _cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value)


def _blank(row: list[Cell]) -> bool:
    return all(isinstance(c, str) and not c.strip() for c in row)


def _sheet(table: list[list[Cell]], layout: Layout) -> Sheet:
    numbered = [(i, row) for i, row in enumerate(table, start=1) if not _blank(row)]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    header = numbered[0][1]
    positions: dict[str, int] = {}
    for position, title in enumerate(header):
        key = layout.aliases.get(simplify(title if isinstance(title, str) else ""))
        if key and key not in positions:
            positions[key] = position
    missing = [f"« {layout.headers[k]} »" for k in layout.required if k not in positions]
    for first, *others in layout.one_of:
        if first not in positions and not any(k in positions for k in others):
            missing.append(
                _("%(first)s or %(second)s")
                % {
                    "first": f"« {layout.headers[first]} »",
                    "second": ", ".join(f"« {layout.headers[k]} »" for k in others),
                }
            )
    if missing:
        raise ImportFileError(
            _("Columns missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    body = numbered[1:]
    if not body:
        raise ImportFileError(_("The file has column names but no rows under them."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows: split it in several files.")
            % {"max": f"{MAX_ROWS:,}".replace(",", "\u202f")}
        )
    rows = [
        (number, {k: (row[p] if p < len(row) else "") for k, p in positions.items()})
        for number, row in body
    ]
    return Sheet(columns=list(positions), rows=rows)


# --- Checking the rows --------------------------------------------------------------------


def _labels(choices: list[tuple[str, Any]], extra: dict[str, str]) -> dict[str, str]:
    """Simplified code, English and French label → code."""
    names: dict[str, str] = {simplify(k): v for k, v in extra.items()}
    for code, label in choices:
        if not code:
            continue
        names[simplify(code)] = code
        for language in ("en", "fr"):
            with translation.override(language):
                names[simplify(str(label))] = code
    return names


def source_names() -> dict[str, str]:
    return _labels(
        Reception.Source.choices,
        {
            "banque alimentaire": "food_bank",
            "food bank": "food_bank",
            "récupération": "recovery",
            "récupération en magasin": "recovery",
            "store recovery": "recovery",
            "don": "donation",
            "donation": "donation",
            "ferme": "farm",
            "glanage": "farm",
            "achat": "purchase",
        },
    )


def decision_names() -> dict[str, str]:
    return _labels(
        Lot.Decision.choices,
        {
            "accepté": "accepted",
            "accepte": "accepted",
            "quarantaine": "quarantined",
            "mis de côté": "quarantined",
            "jeté": "discarded",
            "jete": "discarded",
        },
    )


def did_you_mean(value: str, known: dict[str, Any], message: str) -> str:
    """The message, followed by the closest known name when there is one."""
    names = [str(getattr(v, "name", v)) for v in known.values()]
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if not close:
        by_key = difflib.get_close_matches(simplify(value), list(known), n=1, cutoff=0.6)
        close = [str(getattr(known[key], "name", key)) for key in by_key]
    if close:
        return f"{message} " + _("Did you mean “%(name)s”?") % {"name": close[0]}
    return message


def unknown_site(site_name: str, sites: dict[str, Any]) -> str:
    return did_you_mean(
        site_name,
        sites,
        _("No site of your organisation is called “%(value)s”.") % {"value": site_name},
    )


def unknown_category(category_name: str, categories: dict[str, Any]) -> str:
    return did_you_mean(
        category_name,
        categories,
        _("“%(value)s” is not in your network's catalogue.") % {"value": category_name},
    )


def not_a_date() -> str:
    return _("Not a date: write it as 2025-03-31 or 31/03/2025.")


class _Lookup:
    """Names of the organisation's sites, catalogue and suppliers, found without accents/case."""

    def __init__(self, org: Organisation) -> None:
        self.org = org
        self.sites = {simplify(s.name): s for s in site_list(org=org, active_only=True)}
        self.categories = {simplify(c.name): c for c in category_list(org=org)}
        self.suppliers = {simplify(o.name): o for o in supplier_list(org=org)}
        self.sources = source_names()
        self.decisions = decision_names()

    unknown = staticmethod(did_you_mean)


def text_cell(cells: dict[str, Cell], key: str) -> str:
    value = cells.get(key, "")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def date_cell(value: Cell) -> date | None:
    """AAAA-MM-JJ, JJ/MM/AAAA or a date cell; raises ValueError otherwise."""
    if isinstance(value, date):
        parsed = value
    else:
        text = value.strip()
        if not text:
            return None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
            try:
                parsed = datetime.strptime(text, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError(str(parsed))
    return parsed


def field_error(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def row_check(lookup: _Lookup, number: int, cells: dict[str, Cell]) -> dict[str, Any]:
    """One row as a JSON-ready dict: ids, ISO dates, grams, and its problems (column, message)."""
    problems: list[tuple[str, str]] = []

    def problem(key: str, message: str) -> None:
        problems.append((HEADERS[key], message))

    row: dict[str, Any] = {"row": number}

    # Dates
    for key in ("received_on", "best_before", "expiry_date"):
        raw = cells.get(key, "")
        try:
            row[key] = date_cell(raw)
        except ValueError:
            row[key] = None
            problem(key, not_a_date())
    if row["received_on"] is None and not any(c == HEADERS["received_on"] for c, _m in problems):
        problem("received_on", _("Give the date the food was received."))
    if row["received_on"] is not None and row["received_on"] > timezone.localdate():
        problem("received_on", _("The date cannot be in the future."))

    # Names
    site_name = text_cell(cells, "site")
    site = lookup.sites.get(simplify(site_name))
    if not site_name:
        problem("site", _("Give the name of the site where the food arrived."))
    elif site is None:
        problem("site", unknown_site(site_name, lookup.sites))
    source_name = text_cell(cells, "source")
    source = lookup.sources.get(simplify(source_name), "")
    if not source:
        problem(
            "source",
            _("Unknown origin “%(value)s”. Write one of: %(choices)s.")
            % {
                "value": source_name,
                "choices": ", ".join(str(label) for _c, label in Reception.Source.choices),
            },
        )
    supplier_name = text_cell(cells, "supplier")
    supplier = lookup.suppliers.get(simplify(supplier_name)) if supplier_name else None
    if supplier_name and supplier is None:
        problem(
            "supplier",
            lookup.unknown(
                supplier_name,
                lookup.suppliers,
                _("“%(value)s” is not a food bank or store of your networks.")
                % {"value": supplier_name},
            ),
        )
    category_name = text_cell(cells, "category")
    category: Category | None = lookup.categories.get(simplify(category_name))
    if not category_name:
        problem("category", _("Choose the kind of food."))
    elif category is None:
        problem("category", unknown_category(category_name, lookup.categories))

    # Numbers, with the reception form's own fields
    weight_g, weight_read = 0, False
    raw_weight = text_cell(cells, "weight")
    if not raw_weight:
        problem("weight", _("Give the weight in kg."))
    else:
        try:
            weight = WeightKgField(required=True).clean(raw_weight)
            weight_g, weight_read = grams(weight), True
        except ValidationError as exc:
            problem("weight", field_error(exc))
    temperature: Decimal | None = None
    try:
        temperature = TemperatureField(required=False).clean(text_cell(cells, "temperature_c"))
    except ValidationError as exc:
        problem("temperature_c", field_error(exc))

    decision_name = text_cell(cells, "decision")
    decision = lookup.decisions.get(simplify(decision_name), "") if decision_name else ""
    if decision_name and not decision:
        problem(
            "decision",
            _("Unknown decision “%(value)s”. Write one of: %(choices)s.")
            % {
                "value": decision_name,
                "choices": ", ".join(str(label) for code, label in Lot.Decision.choices if code),
            },
        )
    texts = {key: text_cell(cells, key) for key in MAX_TEXT}
    for key, limit in MAX_TEXT.items():
        if len(texts[key]) > limit:
            problem(key, _("Too long: at most %(max)s characters.") % {"max": limit})

    # The food-safety rules of every reception line
    if (
        category is not None
        and weight_read
        and not any(
            column in (HEADERS["temperature_c"], HEADERS["weight"]) for column, _m in problems
        )
    ):
        line = ReceptionLine(
            category=category,
            weight_g=weight_g,
            best_before=row["best_before"],
            expiry_date=row["expiry_date"],
            temperature_c=temperature,
            decision=decision,
            decision_reason=texts["decision_reason"],
        )
        for key, message in line_problems(line, lookup.org).items():
            column = PROBLEM_COLUMNS.get(key, "category")
            if not any(c == HEADERS[column] for c, _m in problems):
                problem(column, str(message))

    row.update(
        {
            "received_on": row["received_on"].isoformat() if row["received_on"] else None,
            "best_before": row["best_before"].isoformat() if row["best_before"] else None,
            "expiry_date": row["expiry_date"].isoformat() if row["expiry_date"] else None,
            "site": site.pk if site else None,
            "source": source,
            "supplier": supplier.pk if supplier else None,
            "donor_name": texts["donor_name"],
            "category": category.pk if category else None,
            "weight_g": weight_g,
            "temperature_c": str(temperature) if temperature is not None else None,
            "decision": decision,
            "decision_reason": texts["decision_reason"],
            "supplier_lot_code": texts["supplier_lot_code"],
            "problems": [list(p) for p in problems],
        }
    )
    return row


def rows_check(org: Organisation, sheet: Sheet) -> list[dict[str, Any]]:
    lookup = _Lookup(org)
    return [row_check(lookup, number, cells) for number, cells in sheet.rows]


def import_preview(*, org: Organisation, name: str, data: bytes) -> Preview:
    """Never raises for what is in the file: a file-level error, or rows with their problems."""
    try:
        sheet = read_spreadsheet(name, data)
    except ImportFileError as exc:
        return Preview(error=str(exc))
    return Preview(rows=rows_check(org, sheet))

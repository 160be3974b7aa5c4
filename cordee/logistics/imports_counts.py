"""Reading a stock count (inventaire) kept in a spreadsheet and checking each row.

A row names a site and either a lot number (as printed on the count sheet: « 123 »,
« #123 », « lot 123 ») or a kind of food, optionally with its best-before date, and the
weight counted. When a kind of food matches several lots, the weight is shared among them
by `services.imports.count_allocation` (the lots to hand out last are filled first).

Nothing here writes; `services.imports.stock_count_import()` checks the rows again and
records the count through the stock count service. The file machinery is the receptions
import's (`imports.py`).
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from cordee.core.models import Organisation
from cordee.core.selectors.organisations import site_list

from .forms import WeightKgField, grams
from .imports import (
    Cell,
    ImportFileError,
    Layout,
    RowsPreview,
    Sheet,
    date_cell,
    field_error,
    not_a_date,
    read_spreadsheet,
    simplify,
    text_cell,
    unknown_category,
    unknown_site,
)
from .models import Category, Lot, StockBalance
from .selectors.stock import category_list
from .services.imports import count_allocation

HEADERS = {
    "site": "point de service",
    "lot": "no de lot",
    "category": "catégorie",
    "best_before": "meilleur avant",
    "counted": "poids compté (kg)",
}
REQUIRED = ("site", "counted")
ONE_OF = (("lot", "category"),)
COUNTS = Layout.build(
    HEADERS,
    REQUIRED,
    [
        ("site", "site"),
        ("lot", "lot"),
        ("numéro de lot", "lot"),
        ("no lot", "lot"),
        ("denrée", "category"),
        ("meilleur avant (MA)", "best_before"),
        ("MA", "best_before"),
        ("poids compté", "counted"),
        ("poids (kg)", "counted"),
        ("poids", "counted"),
        ("kg", "counted"),
        ("quantité (kg)", "counted"),
        ("quantité comptée (kg)", "counted"),
        ("inventaire (kg)", "counted"),
    ],
    ONE_OF,
)
LOT_NUMBER = re.compile(r"^(?:lot)?\s*(?:n[o°º]?\.?)?\s*#?\s*(\d{1,12})$", re.IGNORECASE)


@dataclass
class CountPreview(RowsPreview):
    """The stock count import's preview: rows, and the change they make."""

    @property
    def lot_count(self) -> int:
        return len({(r["site"], lot) for r in self.valid_rows for lot, _g in r["allocation"]})

    @property
    def counted_g(self) -> int:
        return sum(r["counted_g"] for r in self.valid_rows)

    @property
    def variance_g(self) -> int:
        return sum(r["counted_g"] - r["before_g"] for r in self.valid_rows)


def lot_number(text: str) -> int | None:
    match = LOT_NUMBER.match(text.strip())
    return int(match.group(1)) if match else None


class CountLookup:
    """The organisation's sites, catalogue and stock, read once for the whole file."""

    def __init__(self, org: Organisation, sheet: Sheet | None = None) -> None:
        self.org = org
        self.sites = {simplify(s.name): s for s in site_list(org=org, active_only=True)}
        self.categories = {simplify(c.name): c for c in category_list(org=org)}
        # Balances at the organisation's sites, the lots it received from the hub included.
        self.balances: dict[int, list[StockBalance]] = {}
        for balance in StockBalance.objects.filter(
            organisation=org, site__in=[s.pk for s in self.sites.values()]
        ).select_related("lot", "lot__category"):
            self.balances.setdefault(balance.site_id, []).append(balance)
        wanted = {
            n for _row, cells in (sheet.rows if sheet else []) if (n := _lot_of(cells)) is not None
        }
        # A lot of the organisation, or one it holds (delivered by the hub).
        self.lots = {
            lot.pk: lot
            for lot in Lot.objects.filter(
                Q(organisation=org) | Q(balances__organisation=org), pk__in=wanted
            )
            .select_related("category")
            .distinct()
        }

    def site_balances(self, site_id: int) -> list[StockBalance]:
        return self.balances.get(site_id, [])


def _lot_of(cells: dict[str, Cell]) -> int | None:
    return lot_number(text_cell(cells, "lot"))


def row_check(
    lookup: CountLookup, number: int, cells: dict[str, Cell], taken: dict[tuple[int, int], int]
) -> dict[str, Any]:
    """One row as a JSON-ready dict: ids, grams, the share per lot and its problems.

    `taken` maps (site, lot) → the row that already counted it: a lot counted twice is a
    mistake in the sheet, said on the second row.
    """
    problems: list[tuple[str, str]] = []

    def problem(key: str, message: str) -> None:
        problems.append((HEADERS[key], message))

    site_name = text_cell(cells, "site")
    site = lookup.sites.get(simplify(site_name))
    if not site_name:
        problem("site", _("Give the name of the site where the food was counted."))
    elif site is None:
        problem("site", unknown_site(site_name, lookup.sites))

    counted_g, counted_read = 0, False
    raw = text_cell(cells, "counted")
    if not raw:
        problem("counted", _("Give the weight counted, in kg (0 if nothing is left)."))
    else:
        try:
            counted_g, counted_read = grams(WeightKgField(required=True).clean(raw)), True
        except ValidationError as exc:
            problem("counted", field_error(exc))

    best_before: date | None = None
    try:
        best_before = date_cell(cells.get("best_before", ""))
    except ValueError:
        problem("best_before", not_a_date())

    lot_text, category_name = text_cell(cells, "lot"), text_cell(cells, "category")
    lot: Lot | None = None
    category: Category | None = None
    if lot_text:
        lot_no = lot_number(lot_text)
        lot = lookup.lots.get(lot_no) if lot_no is not None else None
        if lot_no is None:
            problem("lot", _("“%(value)s” is not a lot number.") % {"value": lot_text})
        elif lot is None:
            problem("lot", _("Your organisation has no lot %(n)s.") % {"n": lot_no})
    elif category_name:
        category = lookup.categories.get(simplify(category_name))
        if category is None:
            problem("category", unknown_category(category_name, lookup.categories))
    else:
        problem("lot", _("Give the lot number or the kind of food."))

    balances: list[StockBalance] = []
    if site is not None and lot is not None:
        balances = [b for b in lookup.site_balances(site.pk) if b.lot_id == lot.pk]
        if not balances:  # a lot of ours not at this site: it may have been put there
            balances = [StockBalance(site=site, lot=lot, quantity_g=0)]
    elif site is not None and category is not None:
        balances = [
            b
            for b in lookup.site_balances(site.pk)
            if b.lot.category_id == category.pk
            and b.quantity_g > 0
            and (best_before is None or b.lot.best_before == best_before)
        ]
        if not balances and counted_read and counted_g > 0:
            if best_before is None:
                message = _(
                    "No “%(category)s” in stock at %(site)s: record the food as a reception."
                )
            else:
                message = _(
                    "No “%(category)s” with the best-before date %(date)s in stock at "
                    "%(site)s: check the date, or leave it empty."
                )
            problem(
                "category",
                message % {"category": category.name, "site": site.name, "date": best_before},
            )

    allocation: list[tuple[int, int]] = []
    if balances and counted_read and not problems:
        assert site is not None
        for balance in balances:
            earlier = taken.get((site.pk, balance.lot_id))
            if earlier is not None:
                key = "lot" if lot is not None else "category"
                problem(
                    key,
                    _("Lot %(lot)s is already counted on row %(row)s.")
                    % {"lot": balance.lot_id, "row": earlier},
                )
                break
        else:
            allocation = count_allocation(balances, counted_g)
            for lot_id, _g in allocation:
                taken[(site.pk, lot_id)] = number

    return {
        "row": number,
        "site": site.pk if site else None,
        "site_name": site.name if site else site_name,
        "lot": lot.pk if lot else None,
        "category": category.pk if category else (lot.category_id if lot else None),
        "category_name": category.name if category else (lot.category.name if lot else ""),
        "best_before": best_before.isoformat() if best_before else None,
        "counted_g": counted_g,
        "before_g": sum(b.quantity_g for b in balances) if not problems else 0,
        "allocation": [list(pair) for pair in allocation],
        "problems": [list(p) for p in problems],
    }


def count_rows_check(org: Organisation, sheet: Sheet) -> list[dict[str, Any]]:
    lookup = CountLookup(org, sheet)
    taken: dict[tuple[int, int], int] = {}
    return [row_check(lookup, number, cells, taken) for number, cells in sheet.rows]


def count_import_preview(*, org: Organisation, name: str, data: bytes) -> CountPreview:
    """Never raises for what is in the file: a file-level error, or rows with their problems."""
    try:
        sheet = read_spreadsheet(name, data, COUNTS)
    except ImportFileError as exc:
        return CountPreview(error=str(exc))
    return CountPreview(rows=count_rows_check(org, sheet))

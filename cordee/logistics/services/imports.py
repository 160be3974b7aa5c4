"""Writing a checked spreadsheet — receptions, or a stock count — in one transaction."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, Site, User
from cordee.core.permissions import require_role
from cordee.core.selectors.organisations import site_list
from cordee.core.services.audit import audit_record

from ..models import Lot, Reception, StockBalance, StockMovement
from ..permissions import STOCK_MANAGER_ROLES
from ..selectors.stock import balance_list, category_list, fefo_key
from ..selectors.suppliers import supplier_list
from .receptions import ReceptionLine, line_problems, reception_record
from .stock import stock_count_record


@dataclass
class ImportResult:
    receptions: list[Reception] = field(default_factory=list)
    weight_g: int = 0
    lot_count: int = 0
    skipped_rows: list[int] = field(default_factory=list)


def _iso(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _resolve(
    row: dict[str, Any], *, org: Organisation, sites: dict, categories: dict, suppliers: dict
) -> tuple[tuple, ReceptionLine] | None:
    """The row again, from ids of this organisation only; None when it is not valid."""
    if row.get("problems"):
        return None
    try:
        site = sites.get(row["site"])
        category = categories.get(row["category"])
        supplier = suppliers.get(row["supplier"]) if row.get("supplier") else None
        received_on = _iso(row["received_on"])
        temperature = row.get("temperature_c")
        line = ReceptionLine(
            category=category,  # type: ignore[arg-type]
            weight_g=int(row["weight_g"]),
            best_before=_iso(row.get("best_before")),
            expiry_date=_iso(row.get("expiry_date")),
            temperature_c=Decimal(temperature) if temperature is not None else None,
            decision=str(row.get("decision") or ""),
            decision_reason=str(row.get("decision_reason") or ""),
            supplier_lot_code=str(row.get("supplier_lot_code") or "")[:100],
        )
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return None
    if (
        site is None
        or category is None
        or received_on is None
        or received_on > timezone.localdate()
        or row.get("source") not in Reception.Source.values
        or (row.get("supplier") and supplier is None)
        or line_problems(line, org)
    ):
        return None
    donor = str(row.get("donor_name") or "")[:200]
    return (received_on, site, row["source"], supplier, donor.strip()), line


def reception_import(
    *,
    actor: User,
    org: Organisation,
    rows: list[dict[str, Any]],
    valid_only: bool,
    file_name: str = "",
    request: HttpRequest | None = None,
) -> ImportResult:
    """Receptions from checked rows (see `imports.import_preview`), grouped by date, site,
    origin, supplier and donor. With a bad row, nothing is written unless `valid_only`."""
    require_role(actor, org, STOCK_MANAGER_ROLES)
    sites = {s.pk: s for s in site_list(org=org, active_only=True)}
    categories = {c.pk: c for c in category_list(org=org)}
    suppliers = {s.pk: s for s in supplier_list(org=org)}
    result = ImportResult()
    groups: dict[tuple, list[ReceptionLine]] = {}
    group_keys: dict[tuple, tuple] = {}
    for row in rows:
        resolved = _resolve(row, org=org, sites=sites, categories=categories, suppliers=suppliers)
        if resolved is None:
            result.skipped_rows.append(int(row.get("row", 0) or 0))
            continue
        key, line = resolved
        simple = (key[0], key[1].pk, key[2], key[3].pk if key[3] else None, key[4].casefold())
        groups.setdefault(simple, []).append(line)
        group_keys.setdefault(simple, key)
    if result.skipped_rows and not valid_only:
        raise ValidationError(_("Some rows have problems: nothing was imported."), code="problems")
    if not groups:
        raise ValidationError(_("No valid row to import."), code="empty")
    with transaction.atomic():
        for simple, lines in groups.items():
            received_on, site, source, supplier, donor = group_keys[simple]
            result.receptions.append(
                reception_record(
                    actor=actor,
                    site=site,
                    source=source,
                    received_on=received_on,
                    lines=lines,
                    supplier=supplier,
                    donor_name=donor,
                    notes=_("Imported from %(file)s") % {"file": file_name} if file_name else "",
                    request=request,
                )
            )
            result.weight_g += sum(line.weight_g for line in lines)
            result.lot_count += len(lines)
        audit_record(
            actor=actor,
            action="reception.import",
            organisation=org,
            changed_fields=["receptions", "lots"],
            request=request,
        )
    return result


# --- Stock counts (inventaire) ------------------------------------------------------------


def count_allocation(balances: list[StockBalance], counted_g: int) -> list[tuple[int, int]]:
    """Share a weight counted for several lots of one kind of food among them.

    Food goes out first expired, first out, so what is left is most likely the lots to hand
    out last: they are filled first, up to what the ledger says they hold; what remains
    goes to the earlier lots, and any weight beyond the ledger to the last lot.
    Returns (lot id, counted grams) for every lot, in FEFO order.
    """
    ordered = sorted(balances, key=lambda b: fefo_key(b.lot))
    shares = {b.lot_id: 0 for b in ordered}
    left = counted_g
    for balance in reversed(ordered):
        take = min(left, max(balance.quantity_g, 0))
        shares[balance.lot_id] = take
        left -= take
    if left and ordered:
        shares[ordered[-1].lot_id] += left
    return [(b.lot_id, shares[b.lot_id]) for b in ordered]


@dataclass
class CountImportResult:
    movements: list[StockMovement] = field(default_factory=list)
    lot_count: int = 0
    site_count: int = 0
    skipped_rows: list[int] = field(default_factory=list)

    @property
    def variance_g(self) -> int:
        return sum(m.quantity_g for m in self.movements)


def _count_lots(
    row: dict[str, Any], *, org: Organisation, sites: dict[int, Site]
) -> tuple[Site, list[tuple[int, int]]] | None:
    """The row's counted grams per lot, shared again on today's balances; None if not valid.

    Only ids of this organisation are trusted: its active sites, its balances, its lots.
    """
    if row.get("problems"):
        return None
    try:
        site = sites.get(int(row["site"]))
        counted_g = int(row["counted_g"])
        lot_id = int(row["lot"]) if row.get("lot") else None
        category_id = int(row["category"]) if row.get("category") else None
        best_before = _iso(row.get("best_before"))
    except (KeyError, TypeError, ValueError):
        return None
    if site is None or counted_g < 0 or counted_g > 10**12:
        return None
    balances = list(
        balance_list(org=org, site=site).select_for_update(of=("self",))
        if lot_id is None
        else StockBalance.objects.filter(organisation=org, site=site, lot_id=lot_id)
        .select_related("lot", "lot__category")
        .select_for_update(of=("self",))
    )
    if lot_id is not None:
        if not balances:
            lot = Lot.objects.filter(organisation=org, pk=lot_id).first()
            if lot is None:
                return None
            balances = [StockBalance(site=site, lot=lot, quantity_g=0)]
        return site, count_allocation(balances, counted_g)
    balances = [
        b
        for b in balances
        if b.lot.category_id == category_id
        and (best_before is None or b.lot.best_before == best_before)
    ]
    if not balances:
        return (site, []) if counted_g == 0 else None
    return site, count_allocation(balances, counted_g)


def stock_count_import(
    *,
    actor: User,
    org: Organisation,
    rows: list[dict[str, Any]],
    valid_only: bool,
    file_name: str = "",
    request: HttpRequest | None = None,
) -> CountImportResult:
    """A stock count from checked rows (see `imports_counts.count_import_preview`), recorded
    through `stock_count_record` site by site, all in one transaction. The weight of a kind
    of food is shared again on the balances of the moment. With a bad row, nothing is
    written unless `valid_only`."""
    require_role(actor, org, STOCK_MANAGER_ROLES)
    sites = {s.pk: s for s in site_list(org=org, active_only=True)}
    result = CountImportResult()
    with transaction.atomic():
        counted: dict[int, dict[int, int]] = {}
        valid = 0
        for row in rows:
            resolved = _count_lots(row, org=org, sites=sites)
            mine = counted.setdefault(resolved[0].pk, {}) if resolved else {}
            # A lot counted by two rows is a mistake in the sheet: the second row is bad.
            if resolved is None or any(lot in mine for lot, _g in resolved[1]):
                result.skipped_rows.append(int(row.get("row", 0) or 0))
                continue
            valid += 1
            mine.update(resolved[1])
        if result.skipped_rows and not valid_only:
            raise ValidationError(
                _("Some rows have problems: nothing was imported."), code="problems"
            )
        if not valid:
            raise ValidationError(_("No valid row to import."), code="empty")
        for site_id, counted_g in counted.items():
            if not counted_g:
                continue
            result.movements += stock_count_record(
                actor=actor, site=sites[site_id], counted_g=counted_g, request=request
            )
            result.lot_count += len(counted_g)
            result.site_count += 1
        audit_record(
            actor=actor,
            action="stock_count.import",
            organisation=org,
            changed_fields=["stock"],
            request=request,
        )
    return result

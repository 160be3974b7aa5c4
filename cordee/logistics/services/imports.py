"""Writing the receptions of a checked spreadsheet: everything in one transaction."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, User
from cordee.core.permissions import require_role
from cordee.core.selectors.organisations import site_list
from cordee.core.services.audit import audit_record

from ..models import Reception
from ..permissions import STOCK_MANAGER_ROLES
from ..selectors.stock import category_list
from ..selectors.suppliers import supplier_list
from .receptions import ReceptionLine, line_problems, reception_record


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

"""Writing a checked households spreadsheet in one transaction, through the registration
service (the same door as the counter's form: validation, card numbers, audit, tokens)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cordee.core.models import Municipality, Organisation, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import Household
from ..permissions import SENSITIVE_ROLES
from .households import household_register

# Importing a whole list of people is a coordinator's job, not the counter volunteers'.
IMPORT_ROLES = SENSITIVE_ROLES


@dataclass
class HouseholdImportResult:
    households: list[Household] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def household_import(
    *,
    actor: User,
    org: Organisation,
    rows: list[dict[str, Any]],
    valid_only: bool = False,
    file_name: str = "",
    request: HttpRequest | None = None,
) -> HouseholdImportResult:
    """All rows, or with ``valid_only`` the rows without problems; nothing is written when a
    row fails (possible duplicates are warnings, not problems: they are imported)."""
    require_role(actor, org, IMPORT_ROLES)
    bad = [r["row"] for r in rows if r.get("problems")]
    if bad and not valid_only:
        raise ValidationError(
            _("Rows with problems: %(rows)s. Correct the file or import only the valid rows.")
            % {"rows": ", ".join(str(n) for n in bad)}
        )
    chosen = [r for r in rows if not r.get("problems")]
    if not chosen:
        raise ValidationError(_("No row can be imported."))
    towns = Municipality.objects.in_bulk(
        [r["municipality"] for r in chosen if r.get("municipality")]
    )
    result = HouseholdImportResult(skipped_rows=bad)
    with transaction.atomic():
        for row in chosen:
            try:
                household = household_register(
                    actor=actor,
                    organisation=org,
                    first_name=str(row.get("first_name") or ""),
                    last_name=str(row.get("last_name") or ""),
                    phone=str(row.get("phone") or ""),
                    email=str(row.get("email") or ""),
                    municipality=towns.get(row.get("municipality")),  # type: ignore[arg-type]
                    people_count=int(row.get("people_count") or 1),
                    request=request,
                )
            except (ValidationError, TypeError, ValueError) as exc:
                text = _message(exc) if isinstance(exc, ValidationError) else str(exc)
                raise ValidationError(
                    _("Row %(n)s: %(problem)s Nothing was imported.")
                    % {"n": row.get("row"), "problem": text}
                ) from exc
            result.households.append(household)
        audit_record(
            actor=actor,
            action="household.import",
            organisation=org,
            changed_fields=[f"rows:{len(result.households)}"],
            request=request,
        )
    return result

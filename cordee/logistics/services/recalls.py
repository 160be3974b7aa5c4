"""Recalls: block lots so that nobody hands them out any more.

A blocked lot (`blocked_at`) is left out of allocation and of FEFO picking everywhere
(selectors/stock.py, services/orders.py). Blocking never moves stock: the food stays where
it is, recorded, until each holder records it as a loss or the recall is lifted.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.models import Organisation, User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import Lot
from ..permissions import STOCK_MANAGER_ROLES

REASON_MAX = 300


def lot_recall_block(
    *,
    actor: User,
    lots: Iterable[Lot],
    reason: str,
    request: HttpRequest | None = None,
) -> list[Lot]:
    """Block the lots of one owner (the organisation that received them) for a recall.

    Returns the lots newly blocked; lots already blocked are left as they were.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these lots are recalled.")})
    ids = {lot.pk for lot in lots}
    if not ids:
        raise ValidationError({"lots": _("Choose at least one lot to block.")})
    owners = set(Lot.objects.filter(pk__in=ids).values_list("organisation_id", flat=True))
    if len(owners) != 1:
        raise ValidationError(_("Lots of several organisations cannot be blocked together."))
    owner = Organisation.objects.get(pk=owners.pop())
    require_role(actor, owner, STOCK_MANAGER_ROLES)
    now = timezone.now()
    blocked = []
    with transaction.atomic():
        for lot in Lot.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            if lot.blocked_at is not None:
                continue
            lot.blocked_at = now
            note = _("Recall: %(reason)s") % {"reason": reason}
            if lot.decision_reason:
                note = f"{note} — {lot.decision_reason}"
            lot.decision_reason = note[:REASON_MAX]
            lot.save(update_fields=["blocked_at", "decision_reason"])
            audit_record(
                actor=actor,
                action="lot.recall_block",
                organisation=owner,
                obj=lot,
                changed_fields=["blocked_at", "decision_reason"],
                request=request,
            )
            blocked.append(lot)
    return blocked

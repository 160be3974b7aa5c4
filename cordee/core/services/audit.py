"""The one door to the audit log."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from ..models import AuditEvent, Network, Organisation, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. X-Forwarded-For is read only behind trusted proxies
    (CORDEE_PROXY_COUNT), since any client can send that header."""
    if request is None:
        return None
    proxies = settings.CORDEE_PROXY_COUNT
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: User | None,
    action: str,
    organisation: Organisation | None = None,
    network: Network | None = None,
    obj: models.Model | None = None,
    changed_fields: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event. Callers pass field *names*; values never enter the log."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        network=network,
        action=action,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changed_fields=sorted(set(changed_fields)),
        ip_address=client_ip(request),
    )

"""« Message everyone on a shift »: written by a coordinator, delivered by each person's
preferred channel in a background task (e-mail, SMS), or put on the call list (phone)."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core.models import User
from cordee.core.permissions import require_role
from cordee.core.services.audit import audit_record

from ..models import Shift, ShiftSignup, Volunteer
from ..models_messages import MESSAGE_MAX_LENGTH, ShiftMessage, ShiftMessageRecipient
from ..permissions import COORDINATOR_ROLES

logger = logging.getLogger("cordee.people.messages")
Channel = Volunteer.Channel


def _enqueue(message_id: int) -> None:
    from ..tasks_messages import shift_message_task

    shift_message_task.enqueue(message_id)


def shift_message_send(
    *,
    actor: User,
    shift: Shift,
    body: str,
    include_waiting: bool = False,
    request: HttpRequest | None = None,
) -> ShiftMessage:
    """Record the message and its recipients (confirmed, and the waiting list if asked);
    the sending happens after the commit, in a task."""
    require_role(actor, shift.organisation, COORDINATOR_ROLES)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the message."))
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("The message is too long (%(max)s characters at most).") % {"max": MESSAGE_MAX_LENGTH}
        )
    statuses = [ShiftSignup.Status.CONFIRMED]
    if include_waiting:
        statuses.append(ShiftSignup.Status.WAITING)
    volunteers = list(
        Volunteer.objects.filter(signups__shift=shift, signups__status__in=statuses).distinct()
    )
    if not volunteers:
        raise ValidationError(_("Nobody is on this shift yet: there is no one to write to."))
    with transaction.atomic():
        message = ShiftMessage.objects.create(
            organisation=shift.organisation,
            shift=shift,
            body=body,
            include_waiting=include_waiting,
            sent_by=actor,
        )
        ShiftMessageRecipient.objects.bulk_create(
            ShiftMessageRecipient(message=message, volunteer=v, channel=v.channel)
            for v in volunteers
        )
        audit_record(
            actor=actor,
            action="people.shift_message.send",
            organisation=shift.organisation,
            obj=message,
            changed_fields=["body", "include_waiting"],
            request=request,
        )
        transaction.on_commit(partial(_enqueue, message.pk))
    return message


def _text(message: ShiftMessage) -> tuple[str, str]:
    shift = message.shift
    start = timezone.localtime(shift.start)
    subject = _("About « %(title)s » on %(day)s") % {
        "title": shift.title,
        "day": f"{start:%Y-%m-%d}",
    }
    body = _("%(title)s, %(when)s (%(site)s):\n\n%(body)s\n\n— %(org)s") % {
        "title": shift.title,
        "when": f"{start:%Y-%m-%d %H:%M}",
        "site": shift.site.name,
        "body": message.body,
        "org": shift.organisation.name,
    }
    return subject, body


def shift_message_deliver(*, message_id: int) -> int:
    """Send by e-mail or SMS to every recipient not reached yet. Each recipient is marked
    in the same transaction as its sending, so a retry never sends twice. Phone-call
    people stay on the call list. Returns how many messages left."""
    message = ShiftMessage.objects.select_related("shift__site", "shift__organisation").get(
        pk=message_id
    )
    subject, body = _text_in_french(message)
    pending = message.recipients.filter(
        sent_at__isnull=True, channel__in=[Channel.EMAIL, Channel.SMS]
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(pending):
        with transaction.atomic():
            recipient = (
                ShiftMessageRecipient.objects.select_for_update()
                .select_related("volunteer")
                .get(pk=pk)
            )
            if recipient.sent_at is not None:
                continue
            volunteer = recipient.volunteer
            if recipient.channel == Channel.SMS and volunteer.phone:
                from ..sms import sms_backend

                sms_backend().send(to=volunteer.phone, body=body)
            elif volunteer.email:
                send_mail(subject, body, None, [volunteer.email])
            else:
                logger.warning("Volunteer %s has no address for a shift message", volunteer.pk)
                continue
            recipient.sent_at = timezone.now()
            recipient.save(update_fields=["sent_at"])
            sent += 1
    return sent


def _text_in_french(message: ShiftMessage) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return _text(message)

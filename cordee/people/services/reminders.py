"""Day-before reminders, each with a « Je ne peux pas venir » link; never sent twice."""

from __future__ import annotations

import logging
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cordee.core.hashing import hash_token

from ..models import Reminder, ShiftSignup, Volunteer

logger = logging.getLogger("cordee.people.reminders")

# Phone-call people are on the coordinator's call list instead (see selectors).
SENT_CHANNELS = (Volunteer.Channel.EMAIL, Volunteer.Channel.SMS)


def reminders_due(*, day: date) -> list[int]:
    """Confirmed sign-ups on `day`, reachable by e-mail or SMS, not yet reminded."""
    return list(
        ShiftSignup.objects.filter(
            shift__date=day,
            status=ShiftSignup.Status.CONFIRMED,
            volunteer__channel__in=SENT_CHANNELS,
        )
        .exclude(reminders__kind=Reminder.Kind.DAY_BEFORE)
        .values_list("pk", flat=True)
    )


def reminders_enqueue(*, day: date | None = None) -> int:
    """Queue one task per reminder due; the worker sends them."""
    from ..tasks import shift_reminder_task

    day = day or timezone.localdate() + timedelta(days=1)
    due = reminders_due(day=day)
    for signup_id in due:
        shift_reminder_task.enqueue(signup_id)
    return len(due)


def cancel_url(raw_token: str) -> str:
    return settings.CORDEE_BASE_URL + reverse("people:cancel_by_token", args=[raw_token])


def _message(signup: ShiftSignup, url: str) -> tuple[str, str]:
    shift = signup.shift
    start = timezone.localtime(shift.start)
    when = f"{start:%Y-%m-%d} {start:%H:%M}–{shift.ends_at:%H:%M}"
    subject = _("Reminder: %(title)s tomorrow") % {"title": shift.title}
    body = _(
        "Hello %(name)s,\n\nWe are counting on you tomorrow:\n%(title)s\n%(when)s\n%(site)s\n\n"
        "If you cannot come, click here (one click is enough):\n%(url)s\n\nThank you!"
    ) % {
        "name": signup.volunteer.full_name,
        "title": shift.title,
        "when": when,
        "site": ", ".join(p for p in (shift.site.name, shift.site.address) if p),
        "url": url,
    }
    return subject, body


def reminder_send(*, signup_id: int) -> bool:
    """Send the day-before reminder of one sign-up. Returns False when there is nothing to
    send (already sent, cancelled). The Reminder row and the sending share a transaction:
    if sending fails, the row is rolled back and the task's retry sends it; if the row
    already exists (a second run, another worker), nothing is sent."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        signup = (
            ShiftSignup.objects.select_for_update()
            .select_related("volunteer", "shift__site")
            .get(pk=signup_id)
        )
        volunteer = signup.volunteer
        if signup.status != ShiftSignup.Status.CONFIRMED or volunteer.channel not in SENT_CHANNELS:
            return False
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    signup=signup, kind=Reminder.Kind.DAY_BEFORE, channel=volunteer.channel
                )
        except IntegrityError:
            return False
        raw = secrets.token_urlsafe(32)
        signup.cancel_token_hash = hash_token(raw)
        signup.save(update_fields=["cancel_token_hash"])
        subject, body = _message(signup, cancel_url(raw))
        if volunteer.channel == Volunteer.Channel.SMS and volunteer.phone:
            from ..sms import sms_backend

            sms_backend().send(to=volunteer.phone, body=body)
        elif volunteer.email:
            send_mail(subject, body, None, [volunteer.email])
        else:
            logger.warning("Volunteer %s has no address for their reminder", volunteer.pk)
    return True


def signup_by_token(raw_token: str) -> ShiftSignup | None:
    """The active sign-up this reminder link belongs to, or None (forged, used, cancelled)."""
    if not raw_token:
        return None
    return (
        ShiftSignup.objects.select_related("shift__site", "shift__organisation", "volunteer")
        .filter(cancel_token_hash=hash_token(raw_token))
        .exclude(status=ShiftSignup.Status.CANCELLED)
        .first()
    )

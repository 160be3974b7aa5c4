"""Telling households that a mobile counter date is cancelled.

Who: the households of the stop's organisation that came to that stop's place in the last
six months and whose latest « contact for notices » consent is current (not withdrawn, not
expired). How: by e-mail when there is one, else by text message. Each household is told
once per cancellation: its notice row and the sending share a transaction (as the volunteer
reminders do), so a second run of the task, or a retry after a failure, never sends twice.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cordee.households.models import Consent, ConsentPurpose, Household

from ..models import MobileCounterCancellation, MobileCounterNotice

logger = logging.getLogger("cordee.transport.notices")

RECENT_VISITS = timedelta(days=183)  # about six months
NEXT_DATE_WEEKS = 26


def notice_recipients(cancellation: MobileCounterCancellation) -> QuerySet[Household]:
    """The households to tell about this cancellation (see the module's docstring)."""
    stop = cancellation.stop
    since = cancellation.created_at - RECENT_VISITS
    today = timezone.localdate()
    latest_consent = Consent.objects.filter(
        household=OuterRef("pk"), purpose=ConsentPurpose.NOTICES
    ).order_by("-given_on", "-pk")
    return (
        Household.objects.filter(
            organisation_id=stop.organisation_id,
            visits__organisation_id=stop.organisation_id,
            visits__site_id=stop.site_id,
            visits__visited_at__gte=since,
            visits__cancelled_at__isnull=True,
        )
        .annotate(
            notice_consent=Subquery(latest_consent.values("pk")[:1]),
            notice_withdrawn_on=Subquery(latest_consent.values("withdrawn_on")[:1]),
            notice_expires_on=Subquery(latest_consent.values("expires_on")[:1]),
        )
        .filter(notice_consent__isnull=False, notice_withdrawn_on__isnull=True)
        .filter(Q(notice_expires_on__isnull=True) | Q(notice_expires_on__gt=today))
        .distinct()
        .order_by("pk")
    )


def _next_date(cancellation: MobileCounterCancellation) -> date | None:
    """The stop's next date after the cancelled one that is not cancelled too."""
    from .mobile import mobile_counter_occurrences

    after = cancellation.date + timedelta(days=1)
    occurrences = mobile_counter_occurrences(
        stops=[cancellation.stop], start=after, end=after + timedelta(weeks=NEXT_DATE_WEEKS)
    )
    return next((o.date for o in occurrences if not o.is_cancelled), None)


def notice_message(cancellation: MobileCounterCancellation) -> tuple[str, str, str]:
    """(e-mail subject, e-mail body, text message) in the interface's language."""
    stop = cancellation.stop
    site = stop.site
    day = formats.date_format(cancellation.date, "l j F")
    hours = f"{stop.starts_at:%H:%M}–{stop.ends_at:%H:%M}"
    place = ", ".join(p for p in (site.name, site.address) if p)
    next_day = _next_date(cancellation)
    if next_day is not None:
        next_words = _("The next mobile counter at this place: %(day)s, %(hours)s.") % {
            "day": formats.date_format(next_day, "l j F"),
            "hours": hours,
        }
    else:
        next_words = _("We will tell you the next date as soon as we know it.")
    values = {
        "day": day,
        "hours": hours,
        "place": place,
        "reason": cancellation.reason,
        "next": next_words,
        "org": stop.organisation.name,
    }
    subject = _("Mobile counter cancelled on %(day)s") % values
    body = (
        _(
            "Hello,\n\nThe mobile counter of %(day)s (%(hours)s) at %(place)s is cancelled.\n"
            "Why: %(reason)s\n\n%(next)s\n\nWe are sorry for the trouble.\n%(org)s"
        )
        % values
    )
    sms = _("%(org)s: the mobile counter of %(day)s at %(place)s is cancelled. %(next)s") % values
    return subject, body, sms


def _notify_one(
    cancellation: MobileCounterCancellation, household: Household, message: tuple[str, str, str]
) -> bool:
    """Tell one household. False when it was already done (by an earlier run)."""
    subject, body, sms = message
    if household.email:
        channel = MobileCounterNotice.Channel.EMAIL
    elif household.phone:
        channel = MobileCounterNotice.Channel.SMS
    else:
        channel = MobileCounterNotice.Channel.NONE
    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = MobileCounterNotice.objects.create(
                    cancellation=cancellation, household=household, channel=channel
                )
        except IntegrityError:
            return False
        if channel == MobileCounterNotice.Channel.EMAIL:
            send_mail(subject, body, None, [household.email])
        elif channel == MobileCounterNotice.Channel.SMS:
            from cordee.people.sms import sms_backend

            sms_backend().send(to=household.phone, body=sms)
        if channel != MobileCounterNotice.Channel.NONE:
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sent_at"])
    return True


def mobile_counter_notices_send(*, cancellation_id: int) -> int:
    """Tell every household concerned by this cancellation that was not told yet; returns
    how many were handled now. A failed sending is logged, the others still go out, and
    the error is raised at the end so the task shows as failed (running it again sends
    only what is missing)."""
    cancellation = MobileCounterCancellation.objects.select_related(
        "stop__site", "stop__organisation"
    ).get(pk=cancellation_id)
    handled = 0
    failed: list[int] = []
    with translation.override(settings.LANGUAGE_CODE):
        message = notice_message(cancellation)
        for household in notice_recipients(cancellation):
            try:
                handled += _notify_one(cancellation, household, message)
            except Exception:
                logger.exception("Notice to household %s failed", household.pk)
                failed.append(household.pk)
    if failed:
        raise RuntimeError(f"Mobile counter notices failed for households {failed}")
    return handled


def mobile_counter_notices_enqueue(cancellation: MobileCounterCancellation) -> None:
    """Queue the notices once the cancellation is committed (the worker sends them)."""
    from ..tasks import mobile_counter_notices_task

    transaction.on_commit(lambda: mobile_counter_notices_task.enqueue(cancellation.pk))

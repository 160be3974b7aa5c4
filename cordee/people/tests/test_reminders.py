import logging
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cordee.people.models import Reminder, ShiftSignup, Volunteer
from cordee.people.services.reminders import reminder_send, reminders_enqueue
from cordee.people.services.shifts import shift_signup
from cordee.people.tasks import shift_reminder_task

from .conftest import make_shift

TOKEN_URL = re.compile(r"http://\S+/benevoles/annuler/([\w-]+)/")


@pytest.fixture
def tomorrow_signup(org_a, people, admin_a) -> ShiftSignup:
    shift = make_shift(org_a, days=1)
    return shift_signup(actor=admin_a, shift=shift, volunteer=people.volunteers[0])


def _token(message) -> str:
    match = TOKEN_URL.search(message.body)
    assert match, message.body
    return match.group(1)


def test_reminder_sent_exactly_once_when_task_runs_twice(tomorrow_signup):
    shift_reminder_task.enqueue(tomorrow_signup.pk)
    shift_reminder_task.enqueue(tomorrow_signup.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bénévole.0@example.org"]
    assert "Ouverture du comptoir" in mail.outbox[0].body
    assert Reminder.objects.filter(signup=tomorrow_signup).count() == 1


def test_command_enqueues_only_what_is_due(tomorrow_signup, org_a, people, admin_a):
    later = make_shift(org_a, days=3)
    shift_signup(actor=admin_a, shift=later, volunteer=people.volunteers[1])
    out = StringIO()
    call_command("send_shift_reminders", stdout=out)
    assert "1 reminder(s) queued." in out.getvalue()
    assert len(mail.outbox) == 1
    # Second cron run the same day: nothing due any more.
    assert reminders_enqueue() == 0
    assert len(mail.outbox) == 1


def test_phone_people_get_no_message(tomorrow_signup):
    Volunteer.objects.filter(pk=tomorrow_signup.volunteer_id).update(
        channel="phone", phone="819 555-0101"
    )
    assert reminders_enqueue(day=timezone.localdate() + timedelta(days=1)) == 0
    assert reminder_send(signup_id=tomorrow_signup.pk) is False
    assert mail.outbox == []


def test_sms_goes_through_the_gateway(tomorrow_signup, caplog):
    Volunteer.objects.filter(pk=tomorrow_signup.volunteer_id).update(
        channel="sms", phone="819 555-0199"
    )
    with caplog.at_level(logging.INFO, logger="cordee.people.sms"):
        assert reminder_send(signup_id=tomorrow_signup.pk) is True
    assert "SMS to 819 555-0199" in caplog.text
    assert "/benevoles/annuler/" in caplog.text
    assert mail.outbox == []


def test_cancel_token_works_once(client, tomorrow_signup):
    reminder_send(signup_id=tomorrow_signup.pk)
    url = f"/benevoles/annuler/{_token(mail.outbox[0])}/"
    page = client.get(url)
    assert page.status_code == 200
    tomorrow_signup.refresh_from_db()
    assert tomorrow_signup.status == "confirmed"  # a GET (mail scanner) cancels nothing
    assert client.post(url).status_code == 200
    tomorrow_signup.refresh_from_db()
    assert tomorrow_signup.status == "cancelled"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_forged_token_fails(client, tomorrow_signup):
    reminder_send(signup_id=tomorrow_signup.pk)
    token = _token(mail.outbox[0])
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/benevoles/annuler/{forged}/").status_code == 404
    tomorrow_signup.refresh_from_db()
    assert tomorrow_signup.status == "confirmed"
    # Only the hash is stored, never the token itself.
    assert tomorrow_signup.cancel_token_hash and token not in tomorrow_signup.cancel_token_hash


def test_failed_sending_can_be_retried(tomorrow_signup, monkeypatch):
    from cordee.people.services import reminders

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(OSError):
        reminder_send(signup_id=tomorrow_signup.pk)
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert reminder_send(signup_id=tomorrow_signup.pk) is True
    assert len(mail.outbox) == 1

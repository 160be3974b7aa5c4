"""« Message everyone on a shift »: each person once, by their own channel."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cordee.core.models import AuditEvent
from cordee.people.models import ShiftMessage, ShiftMessageRecipient, ShiftSignup, Volunteer
from cordee.people.services.messages import shift_message_deliver, shift_message_send

from .conftest import make_volunteer

SENT: list[tuple[str, str]] = []


class RecordingSmsBackend:
    def send(self, *, to: str, body: str) -> None:
        SENT.append((to, body))


@pytest.fixture(autouse=True)
def recording_sms(settings):
    settings.CORDEE_SMS_BACKEND = f"{__name__}.RecordingSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    SENT.clear()
    return SENT


@pytest.fixture
def crew(people, org_a):
    """On the shift (2 places): e-mail and SMS people confirmed, a phone person waiting,
    a cancelled one, and an e-mail person on another shift."""
    shift = people.shift
    shift.needed = 3
    shift.save()
    email_v = people.volunteers[0]
    sms_v = make_volunteer(org_a, "Sam Texto", channel="sms", phone="819 555-0101")
    phone_v = make_volunteer(org_a, "Paul Fil", channel="phone", phone="819 555-0102")
    waiting_v = make_volunteer(org_a, "Wanda Attente", channel="sms", phone="819 555-0103")
    gone_v = people.volunteers[1]
    for v, status in [
        (email_v, "confirmed"),
        (sms_v, "confirmed"),
        (phone_v, "confirmed"),
        (waiting_v, "waiting"),
        (gone_v, "cancelled"),
    ]:
        ShiftSignup.objects.create(shift=shift, volunteer=v, status=status)
    return {"email": email_v, "sms": sms_v, "phone": phone_v, "waiting": waiting_v}


def test_each_confirmed_person_once_by_their_channel(
    people, crew, recording_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = shift_message_send(
            actor=people.coordinator, shift=people.shift, body="  Apportez vos gants.  "
        )
    assert message.body == "Apportez vos gants."
    assert [m.to for m in mail.outbox] == [[crew["email"].email]]
    assert "Apportez vos gants." in mail.outbox[0].body
    assert [to for to, _body in recording_sms] == ["819 555-0101"]
    phone = ShiftMessageRecipient.objects.get(message=message, volunteer=crew["phone"])
    assert phone.channel == Volunteer.Channel.PHONE and phone.sent_at is None
    assert message.recipients.count() == 3  # nobody waiting, nobody cancelled
    assert AuditEvent.objects.filter(action="people.shift_message.send").count() == 1
    # A retried task sends nothing twice.
    assert shift_message_deliver(message_id=message.pk) == 0
    assert len(mail.outbox) == 1 and len(recording_sms) == 1


def test_waiting_list_on_request(people, crew, recording_sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        shift_message_send(
            actor=people.coordinator, shift=people.shift, body="Changement", include_waiting=True
        )
    assert sorted(to for to, _ in recording_sms) == ["819 555-0101", "819 555-0103"]


def test_nothing_sent_before_commit_nor_on_bad_input(people, crew, volunteer_a):
    with pytest.raises(ValidationError):
        shift_message_send(actor=people.coordinator, shift=people.shift, body="   ")
    with pytest.raises(ValidationError):
        shift_message_send(actor=people.coordinator, shift=people.shift, body="x" * 301)
    with pytest.raises(PermissionDenied):
        shift_message_send(actor=volunteer_a, shift=people.shift, body="Bonjour")
    assert not ShiftMessage.objects.exists()
    assert mail.outbox == []


def test_page_sends_and_dashboard_lists_the_call(
    client, people, crew, django_capture_on_commit_callbacks
):
    client.force_login(people.coordinator)
    url = f"/benevoles/quarts/{people.shift.pk}/message/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "Le local ouvre à 8 h 30."})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    home = client.get("/benevoles/").content.decode()
    assert "Paul Fil" in home and "Le local ouvre à 8 h 30." in home
    # An empty message: the page again, with the French message, nothing recorded.
    response = client.post(url, {"body": ""})
    assert response.status_code == 200
    assert "Écrivez le message." in response.content.decode()
    assert ShiftMessage.objects.count() == 1


def test_other_organisation_gets_404(client, people, crew, admin_b):
    client.force_login(admin_b)
    response = client.post(f"/benevoles/quarts/{people.shift.pk}/message/", {"body": "Salut"})
    assert response.status_code == 404
    assert not ShiftMessage.objects.exists()

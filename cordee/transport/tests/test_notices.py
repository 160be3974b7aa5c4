"""Cancelling a mobile counter date tells the households who agreed to be contacted, once."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cordee.core.models import Role, Site
from cordee.core.tests.factories import MembershipFactory, SiteFactory, UserFactory
from cordee.households.models import Consent, ConsentPurpose, Household, Visit
from cordee.households.services.households import consent_record, household_register
from cordee.households.services.visits import visit_check_in
from cordee.transport.models import MobileCounterNotice, MobileCounterStop
from cordee.transport.services.mobile import mobile_counter_cancel
from cordee.transport.services.notices import mobile_counter_notices_send

from .world import TOUR_DAY

SENT: list[tuple[str, str]] = []


class RecordingSmsBackend:
    """A test gateway: keeps the messages instead of sending them."""

    def send(self, *, to: str, body: str) -> None:
        SENT.append((to, body))


@pytest.fixture(autouse=True)
def sms(settings):
    settings.CORDEE_SMS_BACKEND = "cordee.transport.tests.test_notices.RecordingSmsBackend"
    SENT.clear()
    return SENT


def _household(world, name: str, *, org=None, site=None, consent=True, **kwargs) -> Household:
    """A household of `org` (the hub by default) that came to `site` (the stop's place)
    last month, with a « contact for notices » consent unless told otherwise."""
    org = org or world.hub
    actor = world.planner if org == world.hub else org.memberships.get().user
    household = household_register(
        actor=actor, organisation=org, first_name=name, last_name="Test", **kwargs
    )
    consent_record(
        actor=actor,
        household=household,
        purpose=ConsentPurpose.SERVICE,
        method="paper",
        given_on=date(2026, 1, 5),
    )
    if consent:
        consent_record(
            actor=actor,
            household=household,
            purpose=ConsentPurpose.NOTICES,
            method="paper",
            given_on=date(2026, 1, 5),
        )
    site = world.mobile.site if site is None else site
    visit_check_in(
        actor=actor,
        household=household,
        organisation=org,
        site=site or None,
        at=timezone.now() - timedelta(days=30),
    )
    return household


def _cancel(world, django_capture_on_commit_callbacks, day=TOUR_DAY):
    with django_capture_on_commit_callbacks(execute=True):
        return mobile_counter_cancel(
            actor=world.planner, stop=world.mobile, day=day, reason="Tempête de neige"
        )


def test_only_consenting_visitors_of_that_stop_are_told_once(
    world, django_capture_on_commit_callbacks, sms
):
    told = _household(world, "Alice", email="alice@example.org", phone="819 555-0101")
    by_text = _household(world, "Bruno", phone="819 555-0102")
    unreachable = _household(world, "Carole")
    _household(world, "Denis", email="denis@example.org", consent=False)
    withdrawn = _household(world, "Émile", email="emile@example.org")
    Consent.objects.filter(household=withdrawn, purpose=ConsentPurpose.NOTICES).update(
        withdrawn_on=date(2026, 2, 1)
    )
    expired = _household(world, "France", email="france@example.org")
    Consent.objects.filter(household=expired, purpose=ConsentPurpose.NOTICES).update(
        expires_on=date(2026, 3, 1)
    )
    # Came to the hub's counter, not to the stop; came to the stop too long ago.
    _household(world, "Gilles", email="gilles@example.org", site=world.warehouse)
    old = _household(world, "Hélène", email="helene@example.org")
    Visit.objects.filter(household=old).update(visited_at=timezone.now() - timedelta(days=200))
    # Another organisation's household, with a visit recorded at a place of its own.
    other = world.counters[0].organisation
    MembershipFactory(
        user=UserFactory(email="autre@example.org"), organisation=other, role=Role.COORDINATOR
    )
    _household(world, "Isabelle", org=other, email="isa@example.org", site=world.counters[0])

    cancellation = _cancel(world, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Comptoir mobile annulé le mercredi 2 décembre"
    assert "Comptoir mobile — Arundel, Stationnement de l'église" in message.body
    assert "13:00–14:30" in message.body
    assert "Tempête de neige" in message.body
    assert "Le prochain comptoir mobile à cet endroit : mercredi 9 décembre" in message.body
    assert [to for to, _ in sms] == ["819 555-0102"]
    assert "est annulé" in sms[0][1] and "9 décembre" in sms[0][1]
    notices = {n.household_id: n for n in MobileCounterNotice.objects.all()}
    assert set(notices) == {told.pk, by_text.pk, unreachable.pk}
    assert notices[told.pk].channel == "email" and notices[told.pk].sent_at
    assert notices[by_text.pk].channel == "sms" and notices[by_text.pk].sent_at
    assert notices[unreachable.pk].channel == "none" and notices[unreachable.pk].sent_at is None

    # Running the task again (a retry, a second worker) sends nothing more.
    assert mobile_counter_notices_send(cancellation_id=cancellation.pk) == 0
    assert len(mail.outbox) == 1 and len(sms) == 1
    assert MobileCounterNotice.objects.count() == 3


def test_a_newer_withdrawal_wins_over_an_older_consent(world, django_capture_on_commit_callbacks):
    household = _household(world, "Alice", email="alice@example.org")
    consent_record(
        actor=world.planner,
        household=household,
        purpose=ConsentPurpose.NOTICES,
        method="oral",
        given_on=date(2026, 6, 1),
    )
    Consent.objects.filter(household=household, given_on=date(2026, 6, 1)).update(
        withdrawn_on=date(2026, 7, 1)
    )
    _cancel(world, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_failed_sending_is_not_recorded_and_is_sent_by_the_next_run(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    _household(world, "Alice", email="alice@example.org")
    cancellation = mobile_counter_cancel(
        actor=world.planner, stop=world.mobile, day=TOUR_DAY, reason="Panne"
    )

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("cordee.transport.services.notices.send_mail", broken)
    with pytest.raises(RuntimeError):
        mobile_counter_notices_send(cancellation_id=cancellation.pk)
    assert not MobileCounterNotice.objects.exists()
    monkeypatch.undo()
    assert mobile_counter_notices_send(cancellation_id=cancellation.pk) == 1
    assert len(mail.outbox) == 1


def test_next_date_skips_cancelled_ones(world, django_capture_on_commit_callbacks):
    _household(world, "Alice", email="alice@example.org")
    mobile_counter_cancel(
        actor=world.planner, stop=world.mobile, day=TOUR_DAY + timedelta(weeks=1), reason="Férié"
    )
    _cancel(world, django_capture_on_commit_callbacks)
    assert "mercredi 16 décembre" in mail.outbox[-1].body


def test_planner_page_counts_and_tenancy(
    world, client, django_capture_on_commit_callbacks, org_b, admin_b, monkeypatch
):
    _household(world, "Alice", email="alice@example.org")
    _household(world, "Carole")
    today = TOUR_DAY - timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today, raising=True)
    client.force_login(world.planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("transport:mobile_counter_cancel", args=[world.mobile.pk]),
            {"date": TOUR_DAY.isoformat(), "reason": "Tempête"},
        )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "prévenus par courriel ou par texto" in html
    assert "1 ménage prévenu" in html
    assert "1 impossible à joindre" in html
    assert len(mail.outbox) == 1

    # Another organisation cannot cancel this stop, nor see its notices.
    client.force_login(admin_b)
    stop_b = MobileCounterStop.objects.create(
        organisation=org_b,
        site=SiteFactory(organisation=org_b, name="Arrêt B", kind=Site.Kind.MOBILE_STOP),
        weekday=TOUR_DAY.weekday(),
        starts_at=time(9),
        ends_at=time(10),
        first_date=TOUR_DAY,
    )
    html_b = client.get(reverse("transport:mobile_counter")).content.decode()
    assert "ménage prévenu" not in html_b and "Arrêt B" in html_b
    refused = client.post(
        reverse("transport:mobile_counter_cancel", args=[world.mobile.pk]),
        {"date": (TOUR_DAY + timedelta(weeks=1)).isoformat(), "reason": "X"},
    )
    assert refused.status_code == 404
    assert stop_b.cancellations.count() == 0

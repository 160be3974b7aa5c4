"""Two-step sign-in (TOTP): set-up, the sign-in code, removal, and required 2FA for admins."""

import time
from base64 import b32encode

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from cordee.core.models import AuditEvent, NetworkRole
from cordee.core.tests.factories import UserFactory
from cordee.core.tests.otp_helpers import (
    code_for,
    enable_two_factor,
    install_otp_clock,
    wrong_code,
)
from cordee.core.views.auth import PENDING_2FA_KEY

LOGIN = reverse("core:login")
CODE = reverse("core:login_code")
SETUP = reverse("core:two_factor")
HOME = reverse("core:home")


@pytest.fixture
def otp_clock(monkeypatch):
    return install_otp_clock(monkeypatch)


@pytest.fixture
def no_throttle(settings):
    """django-otp waits 1, 2, 4… seconds after each wrong code; tests do not wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def sign_in_with_password(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def is_verified(client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


# --- Set-up -----------------------------------------------------------------------------


def test_setup_page_shows_qr_code_key_and_apps(client_a, admin_a):
    response = client_a.get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=admin_a)
    assert not device.confirmed
    assert '<svg viewBox="' in html and 'class="qr"' in html
    secret = b32encode(device.bin_key).decode()
    assert response.context["secret"].replace(" ", "") == secret
    assert f'<code class="secret">{response.context["secret"]}</code>' in html
    assert "Google Authenticator" in html and "FreeOTP" in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
    assert " style=" not in html and "<script>" not in html  # CSP: no inline style or script


def test_setup_page_keeps_the_same_key_until_restarted(client_a, admin_a):
    client_a.get(SETUP)
    first = TOTPDevice.objects.get(user=admin_a).key
    client_a.get(SETUP)
    assert TOTPDevice.objects.get(user=admin_a).key == first
    response = client_a.post(SETUP, {"restart": "1"})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=admin_a)  # the old one is replaced, not added
    assert device.key != first


def test_setup_wrong_code_then_right_code(client_a, admin_a, otp_clock, no_throttle):
    client_a.get(SETUP)
    device = TOTPDevice.objects.get(user=admin_a)
    response = client_a.post(SETUP, {"token": wrong_code(device, otp_clock)})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert 'aria-invalid="true"' in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    response = client_a.post(SETUP, {"token": code_for(device, otp_clock), "next": "/organisme/"})
    assert response.status_code == 302
    assert response.url == "/organisme/"
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client_a)
    event = AuditEvent.objects.get(action="two_factor.enable")
    assert event.actor == admin_a and event.changed_fields == ["two_factor"]

    page = client_a.get(SETUP)  # now shows the status and the remove form
    assert page.context["device"] == device
    assert reverse("core:two_factor_remove") in page.content.decode()
    assert "<svg" not in page.content.decode()
    account = client_a.get(reverse("core:account"))
    assert account.context["two_factor_device"] == device


def test_setup_accepts_spaces_and_refuses_letters(client_a, admin_a, otp_clock):
    client_a.get(SETUP)
    device = TOTPDevice.objects.get(user=admin_a)
    response = client_a.post(SETUP, {"token": "12ab56"})
    assert response.context["form"].errors["token"]
    code = code_for(device, otp_clock)
    response = client_a.post(SETUP, {"token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_secrets_never_reach_the_audit_log(admin_a, otp_clock):
    device = enable_two_factor(admin_a, otp_clock)
    secret = b32encode(device.bin_key).decode()
    for event in AuditEvent.objects.all():
        text = f"{event.object_repr} {event.object_id} {event.changed_fields}"
        assert device.key not in text and secret not in text


# --- Sign-in with a code ----------------------------------------------------------------


def test_sign_in_asks_for_the_code_then_opens_the_session(client, admin_a, otp_clock):
    enable_two_factor(admin_a, otp_clock)
    admin_a.preferred_language = "en"
    admin_a.save()
    response = sign_in_with_password(client, admin_a, next_url="/organisme/")
    assert response.status_code == 302 and response.url == CODE
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.get(HOME).status_code == 302

    page = client.get(CODE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html

    device = TOTPDevice.objects.get(user=admin_a)
    response = client.post(CODE, {"token": code_for(device, otp_clock)})
    assert response.status_code == 302
    assert response.url == "/organisme/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert int(client.session["_auth_user_id"]) == admin_a.pk
    assert is_verified(client)
    assert PENDING_2FA_KEY not in client.session
    assert AuditEvent.objects.filter(action="two_factor.login", actor=admin_a).count() == 1
    assert client.get(HOME).status_code == 200


def test_user_without_device_signs_in_with_password_only(client, volunteer_a):
    response = sign_in_with_password(client, volunteer_a)
    assert response.status_code == 302 and response.url == HOME
    assert int(client.session["_auth_user_id"]) == volunteer_a.pk


def test_wrong_code_shows_message_next_to_the_field(client, admin_a, otp_clock, no_throttle):
    device = enable_two_factor(admin_a, otp_clock)
    sign_in_with_password(client, admin_a)
    good = code_for(device, otp_clock)
    bad = wrong_code(device, otp_clock)
    response = client.post(CODE, {"token": bad})
    assert response.status_code == 200
    errors = response.context["form"].errors["token"]
    assert "4" in errors[0]  # tries left
    assert 'id="id_token_error"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(CODE, {"token": good})
    assert response.status_code == 302 and response.url == HOME


def test_five_wrong_codes_drop_the_pending_sign_in(client, admin_a, otp_clock, no_throttle):
    device = enable_two_factor(admin_a, otp_clock)
    sign_in_with_password(client, admin_a)
    good = code_for(device, otp_clock)
    bad = wrong_code(device, otp_clock)
    for _ in range(4):
        assert client.post(CODE, {"token": bad}).status_code == 200
    response = client.post(CODE, {"token": bad})
    assert response.status_code == 302 and response.url == LOGIN
    assert PENDING_2FA_KEY not in client.session
    page = client.get(LOGIN)
    assert [str(m) for m in page.context["messages"]]
    # Even the right code is now refused: the password must be typed again.
    response = client.post(CODE, {"token": good})
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_throttled_device_asks_to_wait(client, admin_a, otp_clock):
    device = enable_two_factor(admin_a, otp_clock)
    sign_in_with_password(client, admin_a)
    good = code_for(device, otp_clock)
    client.post(CODE, {"token": wrong_code(device, otp_clock)})
    response = client.post(CODE, {"token": good})  # within django-otp's 1-second wait
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert "_auth_user_id" not in client.session
    # A code the device refused to check does not count as a wrong code.
    assert client.session[PENDING_2FA_KEY]["wrong"] == 1


def test_pending_sign_in_expires_after_five_minutes(client, admin_a, otp_clock):
    device = enable_two_factor(admin_a, otp_clock)
    sign_in_with_password(client, admin_a)
    session = client.session
    session[PENDING_2FA_KEY] = {**session[PENDING_2FA_KEY], "started": time.time() - 301}
    session.save()
    response = client.post(CODE, {"token": code_for(device, otp_clock)})
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session
    assert PENDING_2FA_KEY not in client.session


def test_code_page_without_pending_sign_in_goes_to_login(client, db):
    assert client.get(CODE).url == LOGIN
    assert client.post(CODE, {"token": "123456"}).url == LOGIN


def test_a_code_cannot_be_used_twice(client, admin_a, otp_clock):
    device = enable_two_factor(admin_a, otp_clock)
    code = code_for(device, otp_clock)
    sign_in_with_password(client, admin_a)
    assert client.post(CODE, {"token": code}).status_code == 302
    client.post(reverse("core:logout"))
    sign_in_with_password(client, admin_a)
    response = client.post(CODE, {"token": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_pending_sign_in_of_an_inactive_account_is_dropped(client, admin_a, otp_clock):
    device = enable_two_factor(admin_a, otp_clock)
    sign_in_with_password(client, admin_a)
    admin_a.is_active = False
    admin_a.save()
    response = client.post(CODE, {"token": code_for(device, otp_clock)})
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session


# --- Removal ----------------------------------------------------------------------------


def test_remove_needs_the_password(client, admin_a, otp_clock):
    device = enable_two_factor(admin_a, otp_clock)
    client.force_login(admin_a)
    url = reverse("core:two_factor_remove")
    assert client.get(url).status_code == 405
    response = client.post(url, {"password": "pas le bon"})
    assert response.status_code == 400
    assert response.context["remove_form"].errors["password"]
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:account")
    assert not TOTPDevice.objects.filter(user=admin_a).exists()
    event = AuditEvent.objects.get(action="two_factor.disable")
    assert event.actor == admin_a and event.changed_fields == ["two_factor"]

    client.post(reverse("core:logout"))
    response = sign_in_with_password(client, admin_a)
    assert response.url == HOME  # password alone again


def test_remove_without_device_goes_to_setup(client_a):
    response = client_a.post(reverse("core:two_factor_remove"), {"password": PASSWORD})
    assert response.url == SETUP
    assert not AuditEvent.objects.filter(action="two_factor.disable").exists()


def test_each_person_sees_only_their_own_device(client, admin_a, admin_b, otp_clock):
    enable_two_factor(admin_b, otp_clock)
    client.force_login(admin_a)
    response = client.get(SETUP)
    assert response.context["device"] is None  # admin_b's device is not admin_a's
    assert TOTPDevice.objects.get(user=admin_a, confirmed=False)
    assert TOTPDevice.objects.filter(user=admin_b, confirmed=True).count() == 1


# --- Required for administrators (production setting) -----------------------------------


@pytest.fixture
def required(settings):
    settings.CORDEE_REQUIRE_2FA_FOR_ADMINS = True


def test_admin_without_device_is_sent_to_setup_then_reaches_home(
    client,
    admin_a,
    otp_clock,
    required,
):
    response = sign_in_with_password(client, admin_a)
    assert response.url == HOME
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{SETUP}?next=%2F"
    # Pages needed on the way stay reachable.
    for url in (SETUP, reverse("core:account"), reverse("core:password_change")):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("core:organisation")).url.startswith(SETUP)
    assert client.get(reverse("core:people")).url.startswith(SETUP)

    device = TOTPDevice.objects.get(user=admin_a)
    response = client.post(SETUP, {"token": code_for(device, otp_clock), "next": "/"})
    assert response.url == "/"
    assert client.get(HOME).status_code == 200

    # Next time: password, then code, then home.
    otp_clock.advance(30)
    client.post(reverse("core:logout"))
    assert sign_in_with_password(client, admin_a).url == CODE
    response = client.post(CODE, {"token": code_for(device, otp_clock)})
    assert response.url == HOME
    assert client.get(HOME).status_code == 200


def test_admin_with_device_but_unverified_session_is_asked_for_the_code(
    client,
    admin_a,
    otp_clock,
    required,
):
    device = enable_two_factor(admin_a, otp_clock)
    client.force_login(admin_a)  # e.g. a session opened before the phone was set up
    response = client.get(reverse("core:organisation"))
    assert response.url == f"{CODE}?next=%2Forganisme%2F"
    page = client.get(response.url)
    assert page.status_code == 200
    response = client.post(f"{CODE}?next=/organisme/", {"token": code_for(device, otp_clock)})
    assert response.url == "/organisme/"
    assert client.get(reverse("core:organisation")).status_code == 200


def test_signed_in_unverified_wrong_codes_sign_out(
    client,
    admin_a,
    otp_clock,
    required,
    no_throttle,
):
    device = enable_two_factor(admin_a, otp_clock)
    client.force_login(admin_a)
    bad = wrong_code(device, otp_clock)
    for _ in range(4):
        assert client.post(CODE, {"token": bad}).status_code == 200
    assert client.post(CODE, {"token": bad}).url == LOGIN
    assert "_auth_user_id" not in client.session


def test_network_admin_is_also_required(client, volunteer_a, org_a, required):
    NetworkRole.objects.create(user=volunteer_a, network=org_a.networks.first())
    client.force_login(volunteer_a)
    assert client.get(HOME).url.startswith(SETUP)


def test_volunteer_is_not_affected(client, volunteer_a, required):
    client.force_login(volunteer_a)
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("core:organisation")).status_code == 200


def test_not_required_when_setting_is_off(client_a, settings):
    settings.CORDEE_REQUIRE_2FA_FOR_ADMINS = False
    assert client_a.get(HOME).status_code == 200


def test_site_administrator_is_also_required(client, db, required):
    staff = UserFactory(email="equipe@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").url.startswith(SETUP)

"""Personal API tokens: services, the account-page UI and the management command."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from cordee.core.forms_api import ApiTokenForm
from cordee.core.hashing import hash_token
from cordee.core.models import ApiToken, AuditEvent
from cordee.core.selectors.tokens import api_token_find, api_token_get, api_token_list
from cordee.core.services.tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)

# --- Services and selectors ----------------------------------------------------------------


def test_create_stores_only_a_hash(admin_a):
    token, raw = api_token_create(user=admin_a, name="  Rapport mensuel  ")
    assert raw.startswith("cordee_")
    assert len(raw) > 40
    token.refresh_from_db()
    assert token.name == "Rapport mensuel"
    assert token.prefix == raw[:12]
    assert token.token_hash == hash_token(raw)
    assert len(token.token_hash) == 64
    assert token.revoked_at is None and token.last_used_at is None


def test_raw_secret_is_stored_nowhere_in_the_database(admin_a):
    _token, raw = api_token_create(user=admin_a, name="Secret")
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    assert raw not in dump
    assert raw[12:] not in dump  # only the displayed prefix may be stored


def test_two_tokens_differ(admin_a):
    _t1, raw1 = api_token_create(user=admin_a, name="Un")
    _t2, raw2 = api_token_create(user=admin_a, name="Deux")
    assert raw1 != raw2


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_create_validates_the_name(admin_a, name):
    with pytest.raises(ValidationError) as exc:
        api_token_create(user=admin_a, name=name)
    assert "name" in exc.value.error_dict
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="api_token.create").exists()


def test_create_and_revoke_are_audited(admin_a):
    token, raw = api_token_create(user=admin_a, name="Audité")
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == admin_a
    assert event.organisation is None
    assert event.object_type == "apitoken"
    assert event.object_id == str(token.pk)
    assert event.changed_fields == ["name"]
    assert raw not in event.object_repr

    api_token_revoke(actor=admin_a, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor == admin_a and event.changed_fields == ["revoked_at"]

    # Revoking twice changes nothing and writes no second event.
    api_token_revoke(actor=admin_a, token=token)
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_nobody_revokes_someone_elses_token(admin_a, admin_b):
    token, _raw = api_token_create(user=admin_a, name="À moi")
    with pytest.raises(Http404):
        api_token_revoke(actor=admin_b, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_authenticate(admin_a):
    token, raw = api_token_create(user=admin_a, name="Auth")
    assert api_token_authenticate(raw_token=raw) == admin_a
    assert api_token_authenticate(raw_token=raw + "x") is None
    assert api_token_authenticate(raw_token="") is None
    assert api_token_authenticate(raw_token=token.token_hash) is None  # the hash is no key
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_authenticate_writes_last_used_at_at_most_once_a_minute(admin_a, django_assert_num_queries):
    token, raw = api_token_create(user=admin_a, name="Auth")
    with django_assert_num_queries(2):  # find + the first mark
        api_token_authenticate(raw_token=raw)
    with django_assert_num_queries(1):  # find only: no write
        api_token_authenticate(raw_token=raw)
    long_ago = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    api_token_authenticate(raw_token=raw)
    token.refresh_from_db()
    assert token.last_used_at > long_ago


def test_selectors_scope_tokens_to_their_owner(admin_a, admin_b):
    mine, _ = api_token_create(user=admin_a, name="Le mien")
    old, _ = api_token_create(user=admin_a, name="Ancien")
    theirs, raw_b = api_token_create(user=admin_b, name="Le sien")
    api_token_revoke(actor=admin_a, token=old)
    assert list(api_token_list(user=admin_a)) == [mine]
    assert api_token_get(user=admin_a, pk=mine.pk) == mine
    for pk in (theirs.pk, old.pk):
        with pytest.raises(Http404):
            api_token_get(user=admin_a, pk=pk)
    assert api_token_find(raw_token=raw_b) == theirs


def test_list_is_newest_first(admin_a):
    first, _ = api_token_create(user=admin_a, name="Premier")
    second, _ = api_token_create(user=admin_a, name="Second")
    assert list(api_token_list(user=admin_a)) == [second, first]


# --- Account page UI -----------------------------------------------------------------------


def _shown(response, msgid: str) -> str:
    """The text as the page shows it, in the language the request was answered in."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return escape(translation.gettext(msgid))


def test_create_shows_the_secret_once(client_a, admin_a):
    response = client_a.post(reverse("core:token_create"), {"name": "Tableur"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=admin_a)
    page = response.content.decode()
    secret = response.context["secret"]
    assert hash_token(secret) == token.token_hash
    assert page.count(secret) == 1
    assert '<code class="secret">' in page
    assert _shown(response, "Copy this token now: it will not be shown again.") in page
    assert "no-store" in response["Cache-Control"]

    # Afterwards only the prefix is ever displayed.
    listing = client_a.post(reverse("core:token_create"), {"name": ""}).content.decode()
    assert secret not in listing
    assert f"{token.prefix}…" in listing
    assert "Tableur" in listing


def test_create_with_an_empty_name_shows_the_error(client_a, admin_a):
    response = client_a.post(reverse("core:token_create"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["token_form"].errors["name"]
    assert 'role="alert"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_create_by_get_goes_back_to_the_account(client_a):
    response = client_a.get(reverse("core:token_create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account")
    assert not ApiToken.objects.exists()


def test_token_pages_need_sign_in(client, admin_a):
    token, _ = api_token_create(user=admin_a, name="Protégé")
    for url in (reverse("core:token_create"), reverse("core:token_revoke", args=[token.pk])):
        response = client.post(url, {"name": "x"})
        assert response.status_code == 302
        assert reverse("core:login") in response["Location"]
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_section_lists_prefix_and_revoke_buttons(admin_a, admin_b):
    used, raw = api_token_create(user=admin_a, name="Utilisé")
    api_token_authenticate(raw_token=raw)
    api_token_create(user=admin_a, name="Neuf")
    api_token_create(user=admin_b, name="Jeton de B")
    request = RequestFactory().get("/compte/")
    request.user = admin_a
    with translation.override("en"):
        html = render_to_string(
            "core/account/_tokens.html",
            {"tokens": api_token_list(user=admin_a), "token_form": ApiTokenForm()},
            request=request,
        )
    assert raw not in html
    assert f"<code>{used.prefix}…</code>" in html
    assert "Never" in html  # the new token was never used
    assert html.count('type="submit" class="danger"') == 2
    assert '<span class="visually-hidden"> — Utilisé</span>' in html
    assert reverse("core:token_revoke", args=[used.pk]) in html
    assert "Jeton de B" not in html
    assert 'name="name"' in html


def test_tokens_section_without_tokens(admin_a):
    with translation.override("en"):
        html = render_to_string(
            "core/account/_tokens.html", {"tokens": [], "token_form": ApiTokenForm()}
        )
    assert "You have no API token." in html
    assert "<table" not in html


def test_revoke_own_token(client_a, admin_a):
    token, raw = api_token_create(user=admin_a, name="À révoquer")
    response = client_a.post(reverse("core:token_revoke", args=[token.pk]), follow=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_authenticate(raw_token=raw) is None
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=admin_a).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("À révoquer" in m for m in messages)


def test_revoke_someone_elses_token_is_404(client_a, admin_b):
    token, _raw = api_token_create(user=admin_b, name="Jeton de B")
    response = client_a.post(reverse("core:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_an_already_revoked_token_is_404(client_a, admin_a):
    token, _raw = api_token_create(user=admin_a, name="Déjà")
    api_token_revoke(actor=admin_a, token=token)
    assert client_a.post(reverse("core:token_revoke", args=[token.pk])).status_code == 404


def test_revoke_needs_post(client_a, admin_a):
    token, _raw = api_token_create(user=admin_a, name="Get")
    assert client_a.get(reverse("core:token_revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_without_second_factor_cannot_create_a_token(client_a, admin_a, settings):
    """Otherwise a token would reach the API around the required two-step sign-in."""
    settings.CORDEE_REQUIRE_2FA_FOR_ADMINS = True
    response = client_a.post(reverse("core:token_create"), {"name": "Contournement"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:two_factor")
    assert not ApiToken.objects.exists()


def test_volunteer_can_create_a_token_when_2fa_is_required(client, volunteer_a, settings):
    settings.CORDEE_REQUIRE_2FA_FOR_ADMINS = True
    client.force_login(volunteer_a)
    response = client.post(reverse("core:token_create"), {"name": "Bénévole"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=volunteer_a).count() == 1


# --- Management command --------------------------------------------------------------------


def test_command_prints_only_a_token_that_works(client, admin_a):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token", "ADMIN-A@example.org", "--name", "Script", stdout=out, stderr=err
    )
    raw = out.getvalue()
    assert raw.endswith("\n") and raw.count("\n") == 1
    raw = raw.strip()
    assert raw.startswith("cordee_") and " " not in raw
    token = ApiToken.objects.get(user=admin_a)
    assert token.name == "Script"
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["email"] == "admin-a@example.org"
    assert AuditEvent.objects.filter(action="api_token.create", actor=admin_a).exists()


def test_command_default_name(admin_a):
    call_command("create_api_token", "admin-a@example.org", stdout=io.StringIO())
    assert ApiToken.objects.get(user=admin_a).name == "Ligne de commande"


def test_command_unknown_email(db):
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("create_api_token", "personne@example.org", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_command_closed_account(admin_a):
    admin_a.is_active = False
    admin_a.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="fermé"):
        call_command("create_api_token", "admin-a@example.org", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_account_page_lists_tokens_without_secrets(client_a, admin_a):
    created = client_a.post(reverse("core:token_create"), {"name": "Tableur"})
    secret = created.context["secret"]
    token = ApiToken.objects.get(user=admin_a)
    page = client_a.get(reverse("core:account")).content.decode()
    assert secret not in page
    assert f"{token.prefix}…" in page
    assert reverse("core:token_revoke", args=[token.pk]) in page

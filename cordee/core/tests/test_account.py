"""The account page: my details, language, password; nothing of anyone else."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from cordee.core.models import AuditEvent
from cordee.core.services.accounts import user_change_password, user_set_language
from cordee.core.services.tokens import api_token_create

NEW_PASSWORD = "une autre phrase assez longue"


def test_account_requires_sign_in(client, db):
    for name in ("account", "password_change"):
        response = client.get(reverse(f"core:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("core:login"))


def test_account_page_shows_my_sections(client_a, admin_a):
    api_token_create(user=admin_a, name="Rapport mensuel")
    response = client_a.get(reverse("core:account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert admin_a.email in html
    assert "Comptoir A" in html
    assert 'name="language"' in html
    assert reverse("core:account_language") in html
    assert reverse("core:password_change") in html
    assert reverse("core:two_factor") in html
    assert "Rapport mensuel" in html  # the API tokens section
    assert reverse("core:token_create") in html
    assert response.context["two_factor_device"] is None


def test_account_page_never_shows_another_users_data(client_a, admin_a, admin_b):
    api_token_create(user=admin_b, name="Jeton de B")
    response = client_a.get(reverse("core:account"))
    html = response.content.decode()
    assert admin_b.email not in html
    assert "Comptoir B" not in html
    assert "Jeton de B" not in html
    assert all(t.user_id == admin_a.pk for t in response.context["tokens"])
    assert {m.user_id for m in response.context["memberships"]} == {admin_a.pk}


def test_choose_english_then_french(client_a, admin_a):
    response = client_a.post(reverse("core:account_language"), {"language": "en"})
    assert response.status_code == 302
    assert response.url == reverse("core:account")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    admin_a.refresh_from_db()
    assert admin_a.preferred_language == "en"
    event = AuditEvent.objects.get(action="account.language")
    assert event.actor == admin_a
    assert event.changed_fields == ["preferred_language"]

    page = client_a.get(response.url)
    assert '<html lang="en">' in page.content.decode()

    response = client_a.post(reverse("core:account_language"), {"language": "fr-ca"}, follow=True)
    assert '<html lang="fr-CA">' in response.content.decode()
    admin_a.refresh_from_db()
    assert admin_a.preferred_language == "fr-ca"


def test_unknown_language_is_refused(client_a, admin_a):
    response = client_a.post(reverse("core:account_language"), {"language": "de"})
    assert response.status_code == 400
    admin_a.refresh_from_db()
    assert admin_a.preferred_language == "fr-ca"
    assert not AuditEvent.objects.filter(action="account.language").exists()
    assert client_a.get(reverse("core:account_language")).status_code == 405


def test_language_service_validates(admin_a):
    with pytest.raises(ValidationError):
        user_set_language(user=admin_a, language="xx")
    user_set_language(user=admin_a, language="fr-ca")  # unchanged: nothing recorded
    assert not AuditEvent.objects.exists()


def test_password_change_page_renders_fields(client_a):
    response = client_a.get(reverse("core:password_change"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in html
    assert 'autocomplete="current-password"' in html


def test_password_change_keeps_me_signed_in(client_a, admin_a):
    response = client_a.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("core:account")
    admin_a.refresh_from_db()
    assert admin_a.check_password(NEW_PASSWORD)
    page = client_a.get(reverse("core:account"), follow=True)
    assert page.status_code == 200
    assert page.wsgi_request.user == admin_a  # session hash updated: still signed in
    assert [str(m) for m in page.context["messages"]]
    event = AuditEvent.objects.get(action="account.password")
    assert event.changed_fields == ["password"]
    recorded = f"{event.object_repr} {event.changed_fields}"
    assert NEW_PASSWORD not in recorded and PASSWORD not in recorded


def test_password_change_wrong_current_password(client_a, admin_a):
    response = client_a.post(
        reverse("core:password_change"),
        {
            "old_password": "pas le bon",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert 'aria-invalid="true"' in response.content.decode()
    admin_a.refresh_from_db()
    assert admin_a.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password").exists()


def test_password_change_rules_and_mismatch(client_a, admin_a):
    response = client_a.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"},
    )
    assert response.context["form"].errors["new_password2"]
    response = client_a.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "autre chose"},
    )
    assert response.context["form"].errors["new_password2"]
    admin_a.refresh_from_db()
    assert admin_a.check_password(PASSWORD)


def test_password_service_checks_current_password(admin_a):
    with pytest.raises(ValidationError):
        user_change_password(user=admin_a, old_password="faux", new_password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        user_change_password(user=admin_a, old_password=PASSWORD, new_password="1234")
    user_change_password(user=admin_a, old_password=PASSWORD, new_password=NEW_PASSWORD)
    assert admin_a.check_password(NEW_PASSWORD)

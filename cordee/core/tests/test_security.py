"""Sign-in lock-out (django-axes) and the production security settings."""

import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse

from conftest import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[3]
LOGIN = reverse("core:login")
WRONG = "pas le bon mot de passe"


def attempt(client, email, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


# --- Lock-out -----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_email_and_ip_pair(client, volunteer_a, admin_a):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = attempt(client, volunteer_a.email, WRONG)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    response = attempt(client, volunteer_a.email, WRONG)  # the 5th wrong password locks
    assert response.status_code == 429

    # 6th attempt, with the right password: still the lock-out page, no session.
    response = attempt(client, volunteer_a.email, PASSWORD)
    assert response.status_code == 429
    assert "core/auth/locked_out.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert '<html lang="fr-CA">' in html
    assert reverse("core:password_reset") in html
    assert "_auth_user_id" not in client.session

    # Only that e-mail + IP pair is locked.
    assert attempt(client, admin_a.email, PASSWORD).status_code == 302
    client.post(reverse("core:logout"))
    assert attempt(client, volunteer_a.email, PASSWORD, ip="198.51.100.7").status_code == 302


def test_successful_sign_in_resets_the_count(client, volunteer_a):
    for _ in range(4):
        assert attempt(client, volunteer_a.email, WRONG).status_code == 200
    assert attempt(client, volunteer_a.email, PASSWORD).status_code == 302
    client.post(reverse("core:logout"))
    for _ in range(4):
        assert attempt(client, volunteer_a.email, WRONG).status_code == 200
    assert attempt(client, volunteer_a.email, PASSWORD).status_code == 302


def test_locked_out_template_renders(rf: RequestFactory, db):
    request = rf.get(LOGIN)
    html = render_to_string("core/auth/locked_out.html", request=request)
    assert "<h1>" in html and "</html>" in html
    assert reverse("core:password_reset") in html


# --- Production settings -------------------------------------------------------------------


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment documented for production, with throw-away values.

    Built from scratch: variables set for other tests (DJANGO_ALLOW_ASYNC_UNSAFE by the
    browser tests, CORDEE_*…) must not leak into the "production" process.
    """
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cordee.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        CSRF_TRUSTED_ORIGINS="https://cordee.example.org",
        CORDEE_VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=config.settings.production"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_has_no_warnings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?: (" not in output


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.fixture
def production_settings(monkeypatch):
    """The values of config/settings/production.py, loaded without touching this process.

    Kept from the test settings: the database, installed apps, static storage (no
    collectstatic in tests), hashers, hosts and logging.
    """
    import config.settings.base as base

    monkeypatch.setattr(base, "SECRET_KEY", secrets.token_urlsafe(50))
    sys.modules.pop("config.settings.production", None)
    try:
        module = importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)
    keep = {
        "DATABASES",
        "INSTALLED_APPS",
        "STORAGES",
        "PASSWORD_HASHERS",
        "ALLOWED_HOSTS",
        "LOGGING",
        "SECRET_KEY",
        "STATIC_ROOT",
        "MEDIA_ROOT",
        "VAR_DIR",
        "BASE_DIR",
        "TASKS",
        "EMAIL_BACKEND",
    }
    values = {k: getattr(module, k) for k in dir(module) if k.isupper() and k not in keep}
    with override_settings(**values):
        yield values


def test_production_responses_carry_security_headers(client, volunteer_a, production_settings):
    assert settings.DEBUG is False
    response = client.get(LOGIN, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"]

    response = client.post(
        LOGIN, {"username": volunteer_a.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]


def test_production_redirects_plain_http_to_https(client, db, production_settings):
    response = client.get(LOGIN)
    assert response.status_code == 301
    assert response.url == f"https://testserver{LOGIN}"


def test_production_requires_two_factor_for_admins(production_settings):
    assert production_settings["CORDEE_REQUIRE_2FA_FOR_ADMINS"] is True
    assert production_settings["DEBUG"] is False


# --- No secret in the repository -------------------------------------------------------------

SECRET_ASSIGNMENT = re.compile(r"""SECRET_KEY\s*=\s*(?:["']([^"']*)["'])""")


def test_no_secret_key_is_committed():
    """Only clearly dev/test-only keys appear in the code; production reads the environment."""
    found = []
    for path in [*BASE_DIR.glob("config/**/*.py"), *BASE_DIR.glob("cordee/**/*.py")]:
        for value in SECRET_ASSIGNMENT.findall(path.read_text(encoding="utf-8")):
            found.append((path.relative_to(BASE_DIR).as_posix(), value))
    assert found, "dev and test settings define their own keys"
    for path, value in found:
        assert "not-secret" in value, path


def test_lock_out_counts_the_same_email_whatever_its_case(client, admin_a, settings):
    from django.urls import reverse

    for i in range(settings.AXES_FAILURE_LIMIT):
        email = "ADMIN-A@example.org" if i % 2 else "admin-a@example.org"
        client.post(reverse("core:login"), {"username": email, "password": "faux"})
    response = client.post(
        reverse("core:login"),
        {"username": "admin-a@example.org", "password": "un mot de passe solide"},
    )
    assert response.status_code == 429

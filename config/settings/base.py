"""Settings shared by every environment. Environment-specific files import from here."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CORDEE_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves its own Swagger files, so the API docs need no CDN
    "cordee.core",
    "cordee.logistics",
    "cordee.transport",
    "cordee.households",
    "cordee.people",
    "cordee.reports",
    "cordee.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cordee.core.middleware.CurrentOrganisationMiddleware",
    "cordee.core.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks, so that it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "cordee.core.forms.CordeeFormRenderer"
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cordee.core.context_processors.cordee",
            ],
        },
    }
]


def database_from_env(default_sqlite: Path) -> dict:
    """PostgreSQL (or any engine) from DATABASE_URL; SQLite in WAL mode otherwise."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite,
        "OPTIONS": {
            # WAL lets the worker and the web process read while one writes; IMMEDIATE
            # avoids "database is locked" when a read transaction later turns into a write.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": database_from_env(VAR_DIR / "cordee.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out sign-ins before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Sign-in throttling (django-axes): lock an e-mail + IP pair after 5 failures, for 30 min.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "core/auth/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Same client address as the audit log: X-Forwarded-For only behind CORDEE_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "cordee.core.services.audit.client_ip"
AXES_USERNAME_CALLABLE = "cordee.core.forms.sign_in_username"

# Two-factor: required for org and network administrators when this is True.
CORDEE_REQUIRE_2FA_FOR_ADMINS = False
OTP_TOTP_ISSUER = "Cordée"

LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True
# Off: with it on, every number in a template is grouped, ids and form values included
# (« 1 956 » in a hidden field breaks the form once ids pass 1,000). Figures meant for
# people are grouped on purpose by the display filters (`kg`, `number`).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "cordee_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cordée <no-reply@cordee.localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CORDEE_INVITATION_DAYS = 7
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, trust
# REMOTE_ADDR only). Used for the IP address in the audit log.
CORDEE_PROXY_COUNT = int(os.environ.get("CORDEE_PROXY_COUNT", "0"))
# Public address used in e-mails (invitations, password reset) sent outside a request.
CORDEE_BASE_URL = os.environ.get("CORDEE_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Transport: seconds the optimiser may spend on one tour (it runs in the worker).
CORDEE_ROUTE_SECONDS = float(os.environ.get("CORDEE_ROUTE_SECONDS", "2"))
# SMS reminders: a class with send(phone, text); the default only writes to the log.
CORDEE_SMS_BACKEND = os.environ.get("CORDEE_SMS_BACKEND", "cordee.people.sms.LogSmsBackend")

"""Test settings: fast hashing, in-memory e-mail, tasks run immediately."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": database_from_env(BASE_DIR / "var" / "test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CORDEE_REQUIRE_2FA_FOR_ADMINS = os.environ.get("CORDEE_REQUIRE_2FA_FOR_ADMINS") == "1"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

"""Test suite: real PostgreSQL and Redis, fast hashing, mail in memory."""

import tempfile

from .base import *  # noqa: F401,F403
from .base import STOCKAGE_PIECES

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-1234567890"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Attachments written by the tests go to a folder of their own, never to var/pieces.
    "pieces": {**STOCKAGE_PIECES, "OPTIONS": {"location": tempfile.mkdtemp(prefix="pieces-tests-")}},
}
CLAMAV_ADRESSE = ""
AXES_FAILURE_LIMIT = 3

# `manage.py demo` in tests: no years of history unless a test asks for it (--historique leger).
DEMO_HISTORIQUE = "aucun"

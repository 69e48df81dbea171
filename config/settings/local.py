"""Demo and development on one machine (make run)."""

import os
from pathlib import Path
from urllib.parse import quote

# Without configuration, point at the embedded servers scripts/services.py keeps under var/
# (so a bare `manage.py ...` reaches the same database as `make run`).
_VAR = Path(__file__).resolve().parent.parent.parent / "var"
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@{quote(str(_VAR / 'pgdata'), safe='')}/qualite")
os.environ.setdefault("REDIS_URL", f"unix://{_VAR / 'redis' / 'redis.sock'}?db=0")

from .base import *  # noqa: E402,F401,F403
from .base import env  # noqa: E402

# Off by default, so that `make run` shows the users' French 403/404/500 pages, as in production, not Django's
# English debug pages (DEBUG=1 brings them back for development). Static files are then served by WhiteNoise
# straight from the apps' folders, without collectstatic.
DEBUG = env.bool("DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECRET_KEY = env("SECRET_KEY", default="local-only-not-secret-8b1f1d1a3e0c4f6b")
_HOST, _PORT = env("HOST", default="127.0.0.1"), env("PORT", default="8000")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=sorted({"127.0.0.1", "localhost", _HOST} - {"0.0.0.0"}) + (
    ["*"] if _HOST == "0.0.0.0" else []))
# Links in mails (digest, declarant's feedback) follow the address `make run` serves on.
SITE_URL = env("SITE_URL", default=f"http://{'127.0.0.1' if _HOST == '0.0.0.0' else _HOST}:{_PORT}")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mails"  # noqa: F405

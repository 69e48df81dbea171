"""Settings shared by every environment; values come from the environment."""

from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from qualite.identite.reglages import origine, reglages_ldap, reglages_oidc

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()


def obligatoire(nom: str) -> str:
    valeur = env(nom, default="")
    if not valeur:
        raise ImproperlyConfigured(
            f"La variable d'environnement {nom} est obligatoire (make run et make test la fournissent)."
        )
    return valeur


SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "csp",
    "bootstrap",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "qualite.organisation",
    "qualite.echeances",
    "qualite.paqss",
    "qualite.pilotage",
    "qualite.taches",
    "qualite.pieces",
    "qualite.identite",
    "qualite.api",
    "qualite.documents",
    "evenements",
    "usagers.ssc",
    "usagers.relations",
    "usagers.impact",
    "certification",
    "qualite.risques",  # after the domains it links to (events, processes)
    "qualite.espaces",  # services' meeting spaces: agenda sources registered by the domains
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qualite.organisation.middleware.RefusNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
    "qualite.organisation.middleware.PasDeCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qualite.organisation.context_processors.navigation",
            ],
        },
    },
]

# DATABASE_URL is required; scripts/services.py provides an embedded server when absent.
DATABASES = {"default": env.db_url_config(obligatoire("DATABASE_URL"))}
# A Unix-socket directory travels percent-encoded in the URL's host part.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST", ""))
# Persistent connections: opening one per request cost more than a list page's own queries.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
# A kept connection is pinged before its first query in each request: after a PostgreSQL restart the
# worker reconnects instead of answering 500 (docs/exploitation.md).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# JIT compilation cost more than it saved on the daily views (75 of 219 ms at 5 000 measures).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = obligatoire("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
}

# The most read pages are served again from the cache while nothing they read has changed
# (qualite/outils/cache_pages.py); 0 renders every page each time.
PAGES_EN_CACHE = env.bool("PAGES_EN_CACHE", default=True)

AUTH_USER_MODEL = "organisation.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Directory login, off while LDAP_URI is unset (qualite/identite/annuaire.py, docs/integration.md)
    "qualite.identite.annuaire.AnnuaireBackend",
    # Local passwords, refused with CONNEXION_LOCALE=0 except for COMPTE_SECOURS (qualite/identite/locale.py)
    "qualite.identite.locale.BackendLocal",
    # OpenID Connect sessions (the login itself is the /connexion/oidc/ exchange, qualite/identite/oidc.py)
    "qualite.identite.oidc.BackendOIDC",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Directory (LDAP / Active Directory): every AUTH_LDAP_* setting from LDAP_* variables.
globals().update(reglages_ldap(env.ENVIRON))
# OpenID Connect (off without OIDC_DISCOVERY_URL) and the local-password switch: OIDC_*, CONNEXION_LOCALE, COMPTE_SECOURS.
globals().update(reglages_oidc(env.ENVIRON))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "qualite:accueil"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Uploaded register files between preview and confirmation: never under MEDIA_ROOT (nominative data).
IMPORT_TEMP_DIR = Path(env("IMPORT_TEMP_DIR", default=str(BASE_DIR / "var" / "imports")))
IMPORT_TAILLE_MAX = env.int("IMPORT_TAILLE_MAX", default=30 * 1024 * 1024)
# A hostile file is refused while it is read (qualite/lecture.py): rows, columns, decompressed size, seconds.
IMPORT_LIGNES_MAX = env.int("IMPORT_LIGNES_MAX", default=200_000)
IMPORT_COLONNES_MAX = env.int("IMPORT_COLONNES_MAX", default=100)
IMPORT_DECOMPRESSE_MAX = env.int("IMPORT_DECOMPRESSE_MAX", default=200 * 1024 * 1024)
IMPORT_TAUX_COMPRESSION_MAX = env.int("IMPORT_TAUX_COMPRESSION_MAX", default=200)
IMPORT_DUREE_LECTURE_MAX = env.int("IMPORT_DUREE_LECTURE_MAX", default=60)
IMPORT_DUREE_LECTURE_MAX_COMMANDE = env.int("IMPORT_DUREE_LECTURE_MAX_COMMANDE", default=1800)
IMPORT_TAILLE_MAX_COMMANDE = env.int("IMPORT_TAILLE_MAX_COMMANDE", default=500 * 1024 * 1024)

# Attachments (qualite/pieces, docs/pieces-jointes.md): never under MEDIA_ROOT, served only by a view that
# checks the record's access rule. The storage is swappable (an S3-compatible bucket) by configuration.
PIECES_DIR = Path(env("PIECES_DIR", default=str(BASE_DIR / "var" / "pieces")))
STOCKAGE_PIECES = {
    "BACKEND": env("PIECES_STOCKAGE", default="qualite.pieces.stockage.StockagePrive"),
    # Readable by the application's user (and its group, for backups) only.
    "OPTIONS": env.json("PIECES_STOCKAGE_OPTIONS", default={
        "location": str(PIECES_DIR), "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750}),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "pieces": STOCKAGE_PIECES,
}
PIECES_TAILLE_MAX = env.int("PIECES_TAILLE_MAX", default=20 * 1024 * 1024)
# Types read from the content by libmagic (python-magic), never from the name's extension.
PIECES_TYPES = env.list("PIECES_TYPES", default=[
    "application/pdf", "image/jpeg", "image/png", "image/tiff", "text/plain", "text/csv",
    "application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "message/rfc822",
])
# Optional antivirus: clamd's "host:port" or Unix socket path. Set, every upload is scanned; clamd
# unreachable, the upload is refused (fail closed).
CLAMAV_ADRESSE = env("CLAMAV_ADRESSE", default="")
CLAMAV_DELAI = env.float("CLAMAV_DELAI", default=30.0)
# REST API (qualite/api, docs/integration.md): personal token or session; JSON only; the pages' filters;
# rate limits per user (and per address before authentication), in settings so a deployment tunes them.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qualite.api.authentification.JetonAuthentication",
        "qualite.api.authentification.PorteurOIDCAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qualite.api.permissions.PermissionDeLaPage"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "qualite.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["qualite.api.filtres.FiltresDesPages"],
    "DEFAULT_THROTTLE_CLASSES": ["qualite.api.debits.DebitUtilisateur", "qualite.api.debits.DebitAnonyme"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_DEBIT_UTILISATEUR", default="2000/hour"),
        "anon": env("API_DEBIT_ANONYME", default="60/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qualité, risques et usagers — API",
    "DESCRIPTION": "Lecture des registres et écriture des évènements indésirables, réclamations, actions du PAQSS "
                   "et valeurs d'indicateurs. Chaque appel voit exactement ce que les pages montrent à son "
                   "utilisateur ; les lectures de données nominatives sont tracées.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set several fields share (gravité estimée and gravité).
    "ENUM_NAME_OVERRIDES": {"GraviteEnum": "evenements.models.Gravite"},
}

# FHIR export of adverse events (evenements/fhir.py, docs/integration.md): root of the local code systems and
# extensions (gravité, statut, types...). Set it to an address the hospital controls.
FHIR_BASE_LOCALE = env("FHIR_BASE_LOCALE", default="https://qualite.hopital.invalid/fhir")
# Longest period of one FHIR bundle, in days.
FHIR_PERIODE_MAX_JOURS = env.int("FHIR_PERIODE_MAX_JOURS", default=366)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# django-filter: a filter left empty means « all », said in French (not « --------- »).
FILTERS_EMPTY_CHOICE_LABEL = "Tous"

# The field-history admin audits its reads and masks confidential declarants.
PGHISTORY_ADMIN_CLASS = "qualite.organisation.admin.HistoriqueAdmin"

# Login throttling (qualite/connexion.py): 5 failures on an account, from any address, lock it for
# 15 minutes; 20 failures from one address lock that address for every account.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_FAILURE_LIMIT_ADRESSE = env.int("AXES_FAILURE_LIMIT_ADRESSE", default=20)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = "qualite.organisation.connexion.parametres_verrouillage"
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if OIDC_DISCOVERY_URL:  # noqa: F821 (set by reglages_oidc above)
    # The logout form's answer redirects to the provider's end_session_endpoint: browsers check form-action
    # on that redirect too.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(origine(OIDC_DISCOVERY_URL))  # noqa: F821

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="qualite@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
# A message a lost worker held comes back after this delay: above the longest task's time limit (the
# report, 900 s), so a running task is never handed to a second worker (docs/exploitation.md).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1200}
# A broker that does not answer fails a publication in about a second instead of ~20: the request that
# published gets a French message (qualite/pilotage/rapport.py) or keeps its outbox row (qualite/taches).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "digest-echeances": {
        "task": "qualite.echeances.tasks.envoyer_digests_echeances",
        "schedule": crontab(hour=7, minute=0),
    },
    "taches-differees": {"task": "qualite.taches.tasks.traiter_taches_differees", "schedule": 60.0},
    "rapports-bloques": {"task": "qualite.pilotage.tasks.rapports_bloques_terminer", "schedule": 300.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint tells each rendering step at INFO (seven lines per PDF): only its warnings are worth a line.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# kombu names Redis over a Unix socket "redis+socket://"; redis-py says "unix://".
if REDIS_URL.startswith("unix://"):
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = "redis+socket://" + REDIS_URL[len("unix://"):]

"""Maillon settings: everything comes from environment variables (see docs/architecture.md)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG est désactivé."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789"  # noqa: S105
# Former keys, still accepted while signatures and API token fingerprints are renewed.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("MAILLON_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# "etat": State identity (Marianne bloc-marque), only for State services and operators.
# "neutre": the same accessible design without the State identity (collectivités, associations…).
MAILLON_BRANDING = os.environ.get("MAILLON_BRANDING", "neutre")
if MAILLON_BRANDING not in {"etat", "neutre"}:
    raise ImproperlyConfigured("MAILLON_BRANDING doit valoir « etat » ou « neutre ».")
MAILLON_SITE_NAME = os.environ.get("MAILLON_SITE_NAME", "Maillon")
MAILLON_OPERATOR = os.environ.get("MAILLON_OPERATOR", "")
# SIRET (14 digits) or RNA of the operator, used in the standard's export file names
# (YYYY-MM-DD_<idProducteur>_lieux-de-mediation-numerique_<territoire>.csv); "maillon" when empty.
MAILLON_PRODUCER_ID = os.environ.get("MAILLON_PRODUCER_ID", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # FORM_RENDERER = TemplatesSetting finds the stock widget templates through this app.
    "django.forms",
    "django_htmx",
    "csp",
    "axes",
    "dsfr",
    "widget_tweaks",
    "maillon.core",
    "maillon.territory",
    "maillon.accounts",
    "maillon.places",
    "maillon.activities",
    "maillon.activities.statistics",
    "maillon.beneficiaries",
    "maillon.coordination",
    "maillon.diagnosis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "maillon.core.middleware.LoginRequiredByDefaultMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Deny by default: every URL needs a login except the URL names listed here (and nothing else).
# tests/core/test_public_urls.py walks the URL resolver to enforce it.
MAILLON_PUBLIC_URL_NAMES = frozenset(
    {
        "home",
        "healthz",
        "places:exports",
        "places:export_standard",
        "places:export_data_inclusion",
        "places:export_geojson",
        "api:lieux",
        "api:lieu",
        "api:openapi",
        "statistics_api:statistiques",
        "accessibilite",
        "mentions_legales",
        "donnees_personnelles",
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "accounts:invitation_accept",
        "territory:search",
        "territory:region",
        "territory:departement",
        "territory:epci",
        "territory:commune",
        "places:search",
        "places:map",
        "places:print",
        "places:csv",
        "places:detail",
        "places:report",
        # Territorial diagnosis: public-data estimates (ADR 0014).
        "diagnosis:france",
        "diagnosis:france_pdf",
        "diagnosis:france_csv",
        "diagnosis:territory",
        "diagnosis:pdf",
        "diagnosis:csv",
        "admin:login",
    }
)

# Panels of « Mon espace », contributed by the domain apps (see maillon/core/dashboard.py).
MAILLON_DASHBOARD_PANELS = [
    "maillon.places.dashboard.panel",
    "maillon.activities.dashboard.panel",
    "maillon.activities.dashboard.statistics_panel",
    "maillon.beneficiaries.dashboard.panel",
    "maillon.coordination.dashboard.panel",
    "maillon.diagnosis.planning.dashboard.panel",
    "maillon.diagnosis.dashboard.panel",
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
                "maillon.core.context_processors.branding",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'maillon.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# SQLite reads the database through memory mapping (no copy per page read): each request opens
# its own connection, so its page cache starts empty; mapped pages come from the system's cache.
SQLITE_MMAP_BYTES = int(os.environ.get("MAILLON_SQLITE_MMAP_MB", "1024")) * 1024 * 1024
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA mmap_size={SQLITE_MMAP_BYTES};"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # 1 day
MAILLON_INVITATION_MAX_AGE = timedelta(days=int(os.environ.get("MAILLON_INVITATION_DAYS", "7")))
MAILLON_API_TOKEN_MAX_AGE = timedelta(days=int(os.environ.get("MAILLON_API_TOKEN_DAYS", "365")))

# Brute-force lockout: 5 failures for one e-mail from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Leaflet comes from the XStatic-Leaflet package, served locally under static/leaflet/.
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic_leaflet.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Maillon <ne-pas-repondre@maillon.invalid>"
)

# Tile server of the directory's map, e.g. "https://tiles.example.org/{z}/{x}/{y}.png". Empty: no
# tiles, the map draws the shipped département outlines only (no third-party request).
MAILLON_MAP_TILES_URL = os.environ.get("MAILLON_MAP_TILES_URL", "")
_TILES_ORIGIN = "/".join(MAILLON_MAP_TILES_URL.split("/")[:3]) if MAILLON_MAP_TILES_URL else ""

# Security headers. Content-Security-Policy allows no inline script and no third-party origin
# (except the map's tile server when one is configured).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_TILES_ORIGIN] if _TILES_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

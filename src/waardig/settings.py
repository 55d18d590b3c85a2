"""Django settings for Waardig.

Every setting that differs between machines comes from an environment variable
(documented in `.env.example`); the defaults give a working local system with the
embedded SQLite database under `var/`.
"""

import os
from pathlib import Path

import environ
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("WAARDIG_VAR_DIR", default=str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _kept_key(variable: str, file_name: str) -> str:
    """The key in ``variable`` when given; otherwise one generated for this machine and kept
    in var/, readable for the owner only from its first byte on."""
    if key := env.str(variable, default=""):
        return key
    key_file = VAR_DIR / file_name
    if not key_file.exists():
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(get_random_secret_key())
    return key_file.read_text().strip()


SECRET_KEY = _kept_key("SECRET_KEY", "secret-key")
# The key of the keyed hash that replaces person ids in guest registers (housing.pseudonyms).
# It must stay the same for the life of the data (one person keeps one pseudonym) and is not
# the secret key (rotating that must not change pseudonyms).
WAARDIG_PSEUDONYM_KEY = _kept_key("WAARDIG_PSEUDONYM_KEY", "pseudonym-key")
DEBUG = env.bool("WAARDIG_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "waardig.core",
    "waardig.areas",
    "waardig.organisations",
    "waardig.accounts",
    "waardig.programme",
    "waardig.monitor",
    "waardig.meetings",
    "waardig.housing",
    "waardig.compliance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "waardig.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "waardig.urls"
WSGI_APPLICATION = "waardig.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waardig.core.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'waardig.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the job worker write progress while the web server reads.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6 default, now

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
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
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = PROJECT_DIR / "node_modules"
# Only the built files of the front-end packages are served, never the whole of node_modules.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", NODE_MODULES / "@utrecht/design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
    ("vendor/vega", NODE_MODULES / "vega/build"),
    ("vendor/vega-lite", NODE_MODULES / "vega-lite/build"),
    ("vendor/vega-embed", NODE_MODULES / "vega-embed/build"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAARDIG_UPLOAD_MAX_BYTES = env.int("WAARDIG_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
# Uploads larger than this are imported by the job worker, with a progress bar on the page.
WAARDIG_IMPORT_BACKGROUND_BYTES = env.int("WAARDIG_IMPORT_BACKGROUND_BYTES", default=256 * 1024)

TASKS = {
    "default": {
        "BACKEND": env.str("WAARDIG_TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="waardig@localhost")
# Links in e-mails and calendar feeds need the address the site is reached at.
WAARDIG_SITE_URL = env.str("WAARDIG_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The daily action-item digest lists open items due within this many days (and overdue ones).
WAARDIG_DIGEST_DAYS = env.int("WAARDIG_DIGEST_DAYS", default=7)
# The public figures show a count below this as "< N" (small-number protection).
WAARDIG_PUBLIC_MIN_COUNT = env.int("WAARDIG_PUBLIC_MIN_COUNT", default=10)
# Counts from a location's guest register above 0 and below this are shown as "< N" to whoever
# may not see that register (small-number protection of the occupancy).
WAARDIG_REGISTER_MIN_COUNT = env.int("WAARDIG_REGISTER_MIN_COUNT", default=5)
# The memory the supervision scan's database (DuckDB, in memory) may use before it spills to
# temporary files (compliance.engine).
WAARDIG_SCAN_MEMORY = env.str("WAARDIG_SCAN_MEMORY", default="4GB")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["waardig.core.api_defaults.AccessPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "waardig.core.api_defaults.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "waardig.core.api_defaults.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Waardig API",
    "DESCRIPTION": (
        "API of Waardig, the information system for the integrated approach to labour "
        "migration. Areas are public reference data; everything else is scoped to the "
        "caller's role and municipalities, exactly as the pages are."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" (or "method"); each keeps a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "waardig.programme.models.Status",
        "ObservationStatusEnum": "waardig.monitor.models.ObservationStatus",
        "MethodEnum": "waardig.monitor.models.ForecastMethod",
        "LocationStatusEnum": "waardig.housing.models.LocationStatus",
        "ProjectStatusEnum": "waardig.housing.models.ProjectStatus",
        "PolicyStatusEnum": "waardig.housing.models.PolicyStatus",
        "NeedMethodEnum": "waardig.housing.models.NeedMethod",
        "SignalStatusEnum": "waardig.compliance.models.SignalStatus",
        "ScanStatusEnum": "waardig.compliance.models.ScanRun.Status",
        "NormKindEnum": "waardig.compliance.models.NormKind",
        "SignalKindEnum": "waardig.compliance.models.SignalKind",
        "SignalOutcomeEnum": "waardig.compliance.models.SignalOutcome",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

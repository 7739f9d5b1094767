"""One settings module for every mode, read from the environment.

PORTAL_ENV=production refuses to start without SECRET_KEY and ALLOWED_HOSTS and turns on every
transport-security setting; anything else is development (the demo, the tests).
"""

from datetime import timedelta
from pathlib import Path

import pghistory
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from portal.database import database_settings, embedded_url
from portal.env import env_bool, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PORTAL_ENV = env_str("PORTAL_ENV", "development")
PRODUCTION = PORTAL_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        env_required("ALLOWED_HOSTS")
    DEBUG = False
else:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-key-never-used-in-production-3f9c1a7e5b")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    DEBUG = env_bool("DJANGO_DEBUG", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "axes",
    "core",
    "disputes",
    "disclosure",
    "consultation",
    "workforce",
    "dashboards",
    "volunteers",
    "care",
    "interfaces",
    "django_tasks_db",  # after core, whose db_worker (this one's, and more) comes first
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.UnreadableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

# Django's form templates, a <select> written in Python (core/forms/renderer.py).
FORM_RENDERER = "core.forms.renderer.PortalFormRenderer"

# Databases: DATABASE_URL, or the embedded PostgreSQL that the portal starts in var/pgdata.
DATABASE_URL = env_str("DATABASE_URL") or embedded_url(BASE_DIR)
DATABASES = {"default": database_settings(DATABASE_URL)}
if not env_bool("DATABASE_POOL", True):
    DATABASES["default"]["OPTIONS"].pop("pool", None)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "governance.User"

# Background work: Django's task framework, queued in PostgreSQL; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# One cache that every process shares (public pages, rate limits): Redis when REDIS_URL is set,
# else a table in PostgreSQL. Never per-process memory, which each worker would keep apart.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Portals (or a test database) sharing one Redis keep their keys apart.
            "KEY_PREFIX": DATABASES["default"]["NAME"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.SharedDatabaseCache",
            "LOCATION": "portal_cache",
            # When full, a third of the entries go, rate-limit counts among them: room to spare.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "governance:home"
LOGOUT_REDIRECT_URL = "public:home"

# Sessions: 30 minutes idle, 8 hours at most. SessionLifetimeMiddleware renews the session (its
# row and cookie) on a request at least SESSION_RENEW_AFTER seconds after the last renewal, not
# on every request, which would write a row per page; so a session ends after 29 to 30 minutes
# idle. It also ends a session that began longer ago than SESSION_MAX_LIFETIME.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER = 60
SESSION_MAX_LIFETIME = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling: a user name tried from one address locks after 5 failures, for 15 minutes.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # lockouts every process sees
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a proxy: the header it sets to the client's address (e.g. X-Real-IP), read by the rate
# limits (core.client) and the login lockouts alike. Unset: gunicorn faces the clients.
PORTAL_CLIENT_IP_HEADER = env_str("PORTAL_CLIENT_IP_HEADER")
PORTAL_CLIENT_IP_META = (
    "HTTP_" + PORTAL_CLIENT_IP_HEADER.upper().replace("-", "_") if PORTAL_CLIENT_IP_HEADER else ""
)
AXES_CLIENT_IP_CALLABLE = "core.client.client_address"

# The open interfaces (/open311/v2/, /api/v1/): requests a minute from one client address without
# an API key (keys carry their own rate), and how long the log of keyed requests is kept.
PORTAL_API_KEYLESS_PER_MINUTE = int(env_str("PORTAL_API_KEYLESS_PER_MINUTE", "300"))
PORTAL_API_LOG_RETENTION_DAYS = int(env_str("PORTAL_API_LOG_RETENTION_DAYS", "180"))

# History: a tracked model (`@pghistory.track()`) records every insert, update and delete.
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
# Task workers on other machines read the uploads they import from here: a shared folder there.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Content security: every script and style comes from the portal itself; nothing inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"portal.audit": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# 智慧养老手环 platforms that may post alerts to /care/alerts/webhook/, each with its own HMAC
# secret: "platform:secret,other:secret". Development and the demo know one demo platform.
CARE_ALERT_SECRETS = env_str(
    "CARE_ALERT_SECRETS", "" if PRODUCTION else "demo-bracelet:demo-bracelet-secret"
)

# bench/pages.py times every page against a bare view served by the same server: /__hello/
# answers only when this is set, and never in production.
PORTAL_BENCH_HELLO = env_bool("PORTAL_BENCH_HELLO", False) and not PRODUCTION

PORTAL_NAME = _("Gangcheng District grassroots governance portal")

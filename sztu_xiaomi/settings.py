"""Settings, read from the environment (see .env.example); development defaults need no server."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "accounts",
    "notifications",
    "courses",
    "internships",
    "evaluations",
    "recommendations",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sztu_xiaomi.urls"
WSGI_APPLICATION = "sztu_xiaomi.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL (psycopg2) when DATABASE_URL points there.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs web, worker and beat on one SQLite file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in
AUTH_USER_MODEL = "accounts.User"
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# django-axes: five failures lock the (e-mail, address) pair for a while, whether or not the
# account exists, so the lockout itself reveals nothing.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field, not USERNAME_FIELD
AXES_USERNAME_CALLABLE = "accounts.access.axes_username"
# Reverse proxies in front of the app, each appending to X-Forwarded-For (env AXES_PROXY_COUNT;
# the setting has its own name because django-axes treats AXES_PROXY_COUNT as deprecated).
# django-axes takes the client's address from our callable (django-ipware is not installed):
# the N-th forwarded entry from the right, or the socket's peer when no proxy is configured.
TRUSTED_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AXES_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "accounts.access.client_ip"

# --- Language and time
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["sztu_xiaomi.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files. Third-party assets come from npm (package.json), not a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Personal files (CVs): never served by URL, only through views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
CV_MAX_BYTES = env.int("CV_MAX_BYTES", default=5 * 1024 * 1024)
# The privacy notice students accept when they apply; change the version when the text changes.
PRIVACY_NOTICE_VERSION = "2026-09"

# Course videos: hosts reachable in mainland China only.
COURSE_VIDEO_HOSTS = env.list(
    "COURSE_VIDEO_HOSTS",
    default=["www.bilibili.com", "player.bilibili.com", "v.qq.com", "www.ixigua.com", "www.icourse163.org"],
)
# Days before a course's due date when students who have not finished it get a reminder.
COURSE_DEADLINE_REMINDER_DAYS = [7, 2]

# The TrueType CJK font embedded in certificates (Debian: fonts-wqy-microhei). Where the file is
# missing, certificates fall back to reportlab's STSong-Light, which is not embedded: any
# CJK-capable PDF viewer renders it, but the file then depends on the viewer's fonts.
CERTIFICATE_FONT_PATH = env.str(
    "CERTIFICATE_FONT_PATH", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail: console by default; EMAIL_URL=smtp://user:pass@host:port (or smtp+tls://) in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if env.str("EMAIL_URL", default="") in ("", "consolemail://"):
    EMAIL_BACKEND = "sztu_xiaomi.console.ReadableConsoleBackend"  # Chinese subjects stay readable
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SZTU × Xiaomi <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery. Without a broker URL tasks run eagerly in-process, so the demo needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"  # never used while eager; keeps kombu from guessing a host
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True  # no result backend: a dead one would block .delay() for ~19 s
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = TIME_ZONE
# The database scheduler, minus the entries removed from CELERY_BEAT_SCHEDULE (sztu_xiaomi/beat.py).
CELERY_BEAT_SCHEDULER = "sztu_xiaomi.beat:SettingsDatabaseScheduler"
# How often beat runs the reminder sender; a retry due sooner is scheduled at its own time.
REMINDER_SENDER_EVERY_SECONDS = 120
CELERY_BEAT_SCHEDULE = {
    "notifications-deliver-due-reminders-every-2-minutes": {
        "task": "notifications.tasks.deliver_due_reminders_task",
        "schedule": crontab(minute=f"*/{REMINDER_SENDER_EVERY_SECONDS // 60}"),
    },
    "notifications-plan-daily-reminders-and-digests-at-9": {
        "task": "notifications.tasks.plan_daily_reminders_task",
        "schedule": crontab(hour=9, minute=0),  # Asia/Shanghai (CELERY_TIMEZONE)
    },
    "internships-complete-finished-placements-daily": {
        "task": "internships.tasks.complete_finished_placements_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "accounts-clear-expired-sessions-daily": {
        "task": "accounts.tasks.clear_expired_sessions_task",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Reminder engine (notifications app)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
REMINDER_RETRY_BASE_SECONDS = env.int("REMINDER_RETRY_BASE_SECONDS", default=60)
REMINDER_RETRY_MAX_SECONDS = env.int("REMINDER_RETRY_MAX_SECONDS", default=6 * 3600)
# A sender that claimed a reminder and died: after this long another sender takes it over.
# Checked at start-up (notifications.E001) to be at least twice CELERY_TASK_TIME_LIMIT.
REMINDER_CLAIM_LEASE_SECONDS = env.int("REMINDER_CLAIM_LEASE_SECONDS", default=600)
# One sender run stops starting new messages after this long and enqueues itself again; it must end
# well before CELERY_TASK_SOFT_TIME_LIMIT (notifications.E002).
REMINDER_SENDER_TIME_BUDGET_SECONDS = env.int("REMINDER_SENDER_TIME_BUDGET_SECONDS", default=30)

# --- Production hardening: on whenever DEBUG is off (each can be overridden).
# X-Forwarded-Proto is believed only when a proxy that sets it is configured; otherwise any client
# could claim to be on HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

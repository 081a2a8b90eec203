"""The platform's settings, read from the environment (and a ``.env`` file) with django-environ.

Every value a deployment changes is an environment variable; the README lists them.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = Path(os.environ.get("TALENTGATE_HOME", Path.cwd()))

env = environ.Env()
_env_file = PROJECT_DIR / ".env"
if _env_file.exists():
    environ.Env.read_env(str(_env_file), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Development-only fallbacks: a deployment must set its own (``check --deploy`` and
# the ``talentgate.W001`` system check flag the fallbacks).
INSECURE_DEV_SECRET_KEY = "insecure-dev-only-secret-key-change-me-0123456789abcdef"
INSECURE_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0wMTI="
INSECURE_DEV_AUDIT_KEY = "insecure-dev-only-audit-signing-key"
INSECURE_DEV_BLIND_INDEX_KEY = "insecure-dev-only-blind-index-key"

SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Encryption of sensitive personal fields (passport numbers and the like): a list of
# Fernet keys, newest first. Decryption tries each; encryption uses the first, so a new
# key is rotated in by putting it in front (MultiFernet).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[INSECURE_DEV_FIELD_KEY])
# Signs the heads of the audit hash chains. Kept outside the database on purpose: a
# person who can edit the database cannot re-sign a rewritten chain.
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default=INSECURE_DEV_AUDIT_KEY)
# HMAC key of the blind index of identity document numbers (exact matching on encrypted numbers,
# talentgate.identity). Its own key: knowing it lets one test guesses, so it is neither the field
# encryption key nor the audit key. After changing it, run `talentgate duplicate reindex`.
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default=INSECURE_DEV_BLIND_INDEX_KEY)

# Immigration-authority hand-off (talentgate.authority). Pushes go to AUTHORITY_PUSH_URL (empty: no
# push, the authority pulls); both sides sign requests with AUTHORITY_CALLBACK_SECRET (HMAC-SHA256),
# and a signed request is accepted only within AUTHORITY_SIGNATURE_TOLERANCE_SECONDS of its timestamp.
INSECURE_DEV_AUTHORITY_SECRET = "insecure-dev-only-authority-callback-secret"
AUTHORITY_PUSH_URL = env.str("AUTHORITY_PUSH_URL", default="")
AUTHORITY_CALLBACK_SECRET = env.str("AUTHORITY_CALLBACK_SECRET", default=INSECURE_DEV_AUTHORITY_SECRET)
AUTHORITY_SIGNATURE_TOLERANCE_SECONDS = env.int("AUTHORITY_SIGNATURE_TOLERANCE_SECONDS", default=300)
AUTHORITY_PUSH_TIMEOUT_SECONDS = env.float("AUTHORITY_PUSH_TIMEOUT_SECONDS", default=10.0)
# Retries: the wait after failed attempt n is BACKOFF_SECONDS * 2**(n-1), at most BACKOFF_MAX_SECONDS.
AUTHORITY_PUSH_MAX_ATTEMPTS = env.int("AUTHORITY_PUSH_MAX_ATTEMPTS", default=8)
AUTHORITY_PUSH_BACKOFF_SECONDS = env.float("AUTHORITY_PUSH_BACKOFF_SECONDS", default=30.0)
AUTHORITY_PUSH_BACKOFF_MAX_SECONDS = env.float("AUTHORITY_PUSH_BACKOFF_MAX_SECONDS", default=3600.0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # django-ninja as an app: its docs page then uses the bundled Swagger UI from /static/, not a CDN.
    "ninja",
    "csp",
    # Sign-in throttling (django-axes) and the staff second factor (django-otp: TOTP and backup codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "talentgate.common",
    "talentgate.accounts",
    "talentgate.reference",
    "talentgate.candidates",
    "talentgate.hosts",
    "talentgate.programmes",
    "talentgate.assessment",
    "talentgate.matching",
    "talentgate.cooperation",
    "talentgate.competitions",
    "talentgate.cases",
    "talentgate.authority",
    "talentgate.analytics",
    "talentgate.privacy",
    "talentgate.identity",
    "talentgate.notifications",
    "talentgate.ops",
    "talentgate.api",
    "talentgate.portal",
]

MIDDLEWARE = [
    # First, so every later middleware's log lines carry the request id.
    "talentgate.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "talentgate.api.middleware.ApiErrorEnvelopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the session's user as verified (or not) by a second factor; the next one acts on it.
    "django_otp.middleware.OTPMiddleware",
    "talentgate.portal.account.middleware.StaffSecondFactorMiddleware",
    # After auth and locale: a signed-in person's chosen language overrides Accept-Language.
    "talentgate.portal.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a sign-in refused for too many failures into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# The throttling backend first: it refuses a locked-out e-mail address and address before any password check.
AUTHENTICATION_BACKENDS = [
    "talentgate.accounts.throttling.WebSignInThrottle",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "talentgate.urls"
WSGI_APPLICATION = "talentgate.wsgi.application"

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
                "talentgate.portal.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

VAR_DIR = PROJECT_DIR / "var"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'talentgate.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the task worker writes; IMMEDIATE takes the
    # write lock at BEGIN so two writers queue on the busy timeout instead of failing
    # with "database is locked" on lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;"
        ),
    }
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Argon2id first: new and changed passwords are stored with it; the others only verify older hashes
# (a password stored with one of them is rehashed with Argon2 at the person's next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Per-language date formats that differ from Django's (English short dates in ISO day order).
FORMAT_MODULE_PATH = ["talentgate.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(PROJECT_DIR / "var" / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(PROJECT_DIR / "var" / "media"))

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="talentgate@localhost")
# Where people reach the portal: links in e-mails sent outside a request (notifications) start with it.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000/")
# How long the link in a sign-up's verification e-mail stays valid (seconds; default three days).
EMAIL_VERIFICATION_MAX_AGE = env.int("EMAIL_VERIFICATION_MAX_AGE", default=3 * 24 * 3600)
# The largest file anyone may upload (bytes; default 10 MB): profile and case documents, answers to
# requests for information, case messages' attachments and competition entries. Every upload is
# also checked by its content (PDF, PNG or JPEG; competition entries PDF), never by its name alone.
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# A request body Django reads into memory (the API's JSON uploads carry the file in base64, a third
# larger): room for the largest upload plus its other fields; anything bigger is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024

TASKS = {
    "default": {
        "BACKEND": env.str("TASK_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_HTTPONLY = True
# Lax: the cookies go along when a person follows a link here from elsewhere (an e-mail), never on a
# cross-site POST or a cross-site subresource request.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# htmx sends the token from the page (the hx-headers attribute), so no script needs to read the CSRF
# cookie: keep it out of JavaScript's reach.
CSRF_COOKIE_HTTPONLY = True
# A candidate's session lasts two weeks (Django's default); programme staff, who see many people's
# personal data, are signed out STAFF_SESSION_AGE_SECONDS after signing in (default 8 hours).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
STAFF_SESSION_AGE_SECONDS = env.int("STAFF_SESSION_AGE_SECONDS", default=8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed passwords for one e-mail address
# from one IP address, that pair is locked for AXES_COOLOFF_HOURS (an administrator unlocks it
# sooner: admin site, Axes > Access attempts, or `talentgate manage axes_reset_username EMAIL`).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form's field is "username" (it holds the e-mail address); Axes would guess "email".
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "talentgate.accounts.throttling.username_of"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "talentgate.portal.account.lockout.locked_out"
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the
# outermost trusted proxy put into X-Forwarded-For (what the client wrote there itself is not trusted).
AXES_CLIENT_IP_CALLABLE = "talentgate.accounts.throttling.client_ip"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# A second factor (an authenticator app, or a backup code) for programme staff after the password:
# talentgate.accounts.second_factor. Bearer API tokens are not affected.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="talentgate")

# Content-Security-Policy (django-csp): everything from this site only, no inline script or style, no
# eval, no plugins, never framed, forms post only here. A template that truly needs an inline script
# gives it nonce="{{ request.csp_nonce }}" (none does today). tests/security checks every page against it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # data: for the small icons the API documentation page (Swagger UI) draws.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# /health reports the task queue as degraded when a task has waited longer than this with no worker activity.
HEALTH_QUEUE_MAX_WAIT_SECONDS = env.int("HEALTH_QUEUE_MAX_WAIT_SECONDS", default=300)

# Structured logs (structlog): one JSON object per line with the request id, on web and worker alike;
# LOG_FORMAT=console renders the same events for people.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {"()": "talentgate.ops.logs.build_formatter", "fmt": env.str("LOG_FORMAT", default="json")}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

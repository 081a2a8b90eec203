"""Production settings: everything secret comes from the environment, HTTPS everywhere, whitenoise for static files.

``DJANGO_SETTINGS_MODULE=talentgate.settings.production``. A missing secret or host list
stops the process at start-up with Django's ImproperlyConfigured naming the variable,
instead of running with a development fallback. ``manage.py check --deploy`` is clean
with these settings (a test keeps it so). docs/deploy.md lists every variable.
"""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, MEDIA_ROOT, MIDDLEWARE, env

DEBUG = False

# Required: no development fallbacks in production.
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY")
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY")
AUTHORITY_CALLBACK_SECRET = env.str("AUTHORITY_CALLBACK_SECRET")

# HTTPS. Behind a proxy that terminates TLS, Django learns the scheme from X-Forwarded-Proto;
# set SECURE_PROXY_SSL_HEADER=false only when Django itself receives the HTTPS connections
# (otherwise a client could claim HTTPS on a plain connection).
if env.bool("SECURE_PROXY_SSL_HEADER", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /health over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^health$"]
# Sign-in throttling counts failures per client address: behind the TLS-terminating proxy that
# address is the one the proxy appends to X-Forwarded-For (one proxy unless TRUSTED_PROXY_COUNT says more).
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=1 if env.bool("SECURE_PROXY_SSL_HEADER", default=True) else 0
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Static files served by the application itself (whitenoise: compressed, content-hashed names,
# cached forever); `talentgate manage collectstatic` at deploy time fills STATIC_ROOT.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]

# Uploaded files: local disk (MEDIA_ROOT, shared by every web and worker process) or an
# S3-compatible object store (pip install 'talentgate[s3]'; AWS S3, MinIO, Ceph, ...).
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default="media"),
            # Documents are personal data: private objects, reached only through signed, short-lived URLs.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("S3_URL_EXPIRY_SECONDS", default=300),
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'local' or 's3' (got {STORAGE_BACKEND!r})")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Scale-out queue: TASK_BACKEND=django_tasks_rq.RQBackend with REDIS_URL (pip install 'talentgate[rq]');
# workers then run `talentgate manage rqworker --job-class django_tasks_rq.Job default`.
if env.str("TASK_BACKEND", default="") == "django_tasks_rq.RQBackend":
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {"URL": env.str("REDIS_URL"), "DEFAULT_TIMEOUT": env.int("RQ_DEFAULT_TIMEOUT", default=3600)}
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

# Optional single sign-on for agency and ministry staff (OpenID Connect; talentgate.ops.sso).
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [
        "talentgate.accounts.throttling.WebSignInThrottle",
        "django.contrib.auth.backends.ModelBackend",
        "talentgate.ops.sso.StaffOIDCBackend",
    ]
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile groups")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="") or None
    OIDC_USE_PKCE = True
    OIDC_ROLE_CLAIM = env.str("OIDC_ROLE_CLAIM", default="groups")
    # e.g. OIDC_ROLE_MAP=agency-officers=officer,agency-supervisors=supervisor,mvd-migration=authority
    OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})

# Keep database connections open between requests, checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

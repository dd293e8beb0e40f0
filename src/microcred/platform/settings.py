"""Django settings: everything comes from ``microcred.platform.config`` (MICROCRED_* variables)."""

from __future__ import annotations

import warnings

import dj_database_url

from microcred.obapi import conf as _obapi_conf
from microcred.platform import config as _config

CONFIG = _config.load()
if CONFIG.environment == "development":
    warnings.warn(
        "microcred runs with development secrets (MICROCRED_ENV=development): "
        "never expose this instance; set MICROCRED_ENV=production with real secrets",
        stacklevel=1,
    )

SECRET_KEY = CONFIG.secret_key
KEY_ENCRYPTION_KEY = CONFIG.key_encryption_key
# The previous KEK while a KEK rotation is under way (docs/operations.md, section 4).
OLD_KEY_ENCRYPTION_KEY = CONFIG.old_key_encryption_key
MICROCRED_BASE_URL = CONFIG.base_url
MICROCRED_WALLET_RECHECK_SECONDS = CONFIG.wallet_recheck_seconds
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its Swagger UI assets itself (no CDN)
    "django_tasks",
    "django_tasks_db",
    "microcred.platform",  # before allauth: its layout templates override allauth's
    "allauth",
    "allauth.account",
    "microcred.providers",
    "microcred.credentials",
    "microcred.bulk",
    "microcred.delivery",
    "oauth2_provider",
    "microcred.obapi",
    "microcred.verification",
    "microcred.wallet",
    "microcred.sharing",
    "microcred.portability",
    "microcred.pathways",
    "microcred.skills",
    "microcred.talent",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "microcred.platform.limits.SecurityHeadersMiddleware",  # CSP, HSTS (limits.py)
    "microcred.platform.limits.BodySizeMiddleware",  # 413 before a body is read
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "microcred.platform.limits.RateLimitMiddleware",  # 429: sign-in, sign-up, reset, import
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "microcred.platform.urls"
# Open Badges API (/ims/ob/v3p0): OAuth 2.0 authorization code + PKCE, the spec's scopes.
OAUTH2_PROVIDER = _obapi_conf.OAUTH2_PROVIDER
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # migrations reference it
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "microcred.platform.wsgi.application"
ASGI_APPLICATION = "microcred.platform.asgi.application"


def _databases(url: str) -> dict[str, dict[str, object]]:
    # No persistent connections: `microcred serve` is ASGI, where Django runs each request's
    # sync code in a thread of its own, so a kept connection is never reused and leaks until
    # PostgreSQL refuses clients (benchmarks/bench_load.py hit "too many clients").
    database = dict(dj_database_url.parse(url, conn_max_age=0))
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while a writer writes; IMMEDIATE avoids lock upgrades failing;
        # other processes' writers are waited for up to 20 s, not failed ("database is locked").
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        database["CONN_MAX_AGE"] = 0
    return {"default": database}


DATABASES = _databases(CONFIG.database_url)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Accounts (django-allauth): sign in with an email address, verified before use; a learner
# may add several addresses (work, personal, university).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Abuse limits (microcred.platform.limits): sign-in, sign-up and password-reset requests are
# counted by our middleware (429 + Retry-After, per address and per email); allauth's own
# limits for these answer without Retry-After (a failed-login lockout even as a 200 form
# error), so they are off. Its other limits (change password, manage email, reset from key:
# per minute) stay on and answer through ``handler429`` (urls.py).
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None, "signup": None, "reset_password": None}
# A reset request shows the same page whether an account has the address or not; a message
# goes to known accounts only, sent by the worker so the answer takes the same time.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_ADAPTER = "microcred.platform.accounts.AccountAdapter"
MICROCRED_TRUSTED_PROXIES = CONFIG.limits.trusted_proxies
MICROCRED_MAX_REQUEST_BYTES = CONFIG.limits.max_request_bytes
MICROCRED_VERIFY_RATE_PER_MINUTE = CONFIG.limits.verify_per_minute
MICROCRED_RATES = {
    "sign_in": CONFIG.limits.sign_in,
    "sign_in_failures": CONFIG.limits.sign_in_failures,
    "sign_up": CONFIG.limits.sign_up,
    "password_reset": CONFIG.limits.password_reset,
    "imports": CONFIG.limits.imports,
}
LOGIN_REDIRECT_URL = "/"

# Email: SMTP when MICROCRED_SMTP_HOST is set; otherwise every message is written to an outbox
# folder (development) so nothing is sent by accident.
DEFAULT_FROM_EMAIL = CONFIG.email.sender
if CONFIG.email.smtp_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = CONFIG.email.smtp_host, CONFIG.email.smtp_port
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = CONFIG.email.smtp_user, CONFIG.email.smtp_password
    EMAIL_USE_TLS = CONFIG.email.smtp_starttls
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = CONFIG.data_dir / "outbox"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# Production serves collected files (`microcred manage collectstatic`); development and tests
# serve straight from the apps through WhiteNoise's finders.
STATIC_ROOT = CONFIG.data_dir / "static" if CONFIG.environment == "production" else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step


# Rate-limit counters (and allauth's) must be shared by every app process: the database cache
# table (created by migrations, platform/migrations) unless MICROCRED_CACHE_URL says otherwise.
def _caches(url: str) -> dict[str, dict[str, object]]:
    if url == "db":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "microcred_cache",
            }
        }
    if url == "locmem":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if url.startswith(("redis://", "rediss://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    raise _config.ConfigurationError("MICROCRED_CACHE_URL must be db, locmem or redis://...")


CACHES = _caches(CONFIG.limits.cache_url)
# Request sizes: Django's defaults, written down. Form fields (not files) are held in
# memory up to 2.5 MiB; uploaded files over 2.5 MiB are spooled to disk; the whole body is
# capped earlier by MICROCRED_MAX_REQUEST_BYTES (limits.BodySizeMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
SECURE_REFERRER_POLICY = "same-origin"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if CONFIG.environment == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

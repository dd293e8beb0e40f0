"""One typed view of the MICROCRED_* environment, loud about insecure defaults.

Development (the default, and what `make demo` runs) works with no configuration at all:
a SQLite file under ``var/``, a fixed development secret key and key-encryption key, and a
warning saying so. Anything else (``MICROCRED_ENV=production``) refuses to start without a
real ``MICROCRED_SECRET_KEY`` and ``MICROCRED_KEY_ENCRYPTION_KEY``.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENTS = ("development", "test", "production")
# Public on purpose: they protect nothing, and production refuses them.
DEV_SECRET_KEY = "microcred-development-secret-key-do-not-use-in-production"
DEV_KEY_ENCRYPTION_KEY = base64.urlsafe_b64encode(b"microcred-dev-kek-not-for-prod!!").decode()


class ConfigurationError(Exception):
    """The environment does not describe a startable configuration."""


@dataclass(frozen=True)
class EmailConfig:
    """SMTP when ``smtp_host`` is set; otherwise messages go to an outbox folder."""

    sender: str = "microcred <no-reply@localhost>"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True


@dataclass(frozen=True)
class LimitsConfig:
    """Abuse limits (``microcred.platform.ratelimit``); a rate is ``COUNT/SECONDS``, ``0`` = off."""

    #: where the counters live, shared by every app process: ``db`` (the database cache
    #: table, the default), ``locmem`` (this process only; the default under tests) or
    #: ``redis://...`` (needs the ``redis`` package)
    cache_url: str = "db"
    #: proxy addresses (IPs or networks) whose X-Forwarded-For is believed
    trusted_proxies: tuple[str, ...] = ()
    sign_in: str = "20/60"  # sign-in attempts per client address
    sign_in_failures: str = "5/300"  # failed sign-ins per account (email), whoever tries
    sign_up: str = "10/3600"  # sign-ups per client address
    password_reset: str = "5/600"  # reset requests per client address, and per email
    imports: str = "30/600"  # wallet import/restore, bulk CSV, OB API uploads per user
    verify_per_minute: int = 3000  # credentials verified per client address per minute
    #: bodies declaring more than this are refused with 413 before they are read
    max_request_bytes: int = 80 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    environment: str
    secret_key: str
    key_encryption_key: bytes
    database_url: str
    data_dir: Path
    base_url: str
    allowed_hosts: tuple[str, ...]
    debug: bool
    email: EmailConfig
    #: how old a wallet credential's verification report may be before it is checked again
    wallet_recheck_seconds: int = 3600
    #: the previous KEK during a KEK rotation (MICROCRED_OLD_KEY_ENCRYPTION_KEY): secrets are
    #: opened with the current KEK or this one, sealed with the current one only
    old_key_encryption_key: bytes | None = None
    limits: LimitsConfig = LimitsConfig()

    @property
    def is_development(self) -> bool:
        return self.environment in ("development", "test")


def _kek(value: str, *, where: str) -> bytes:
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"{where} is not base64url") from None
    if len(raw) != 32:
        raise ConfigurationError(f"{where} must decode to 32 bytes (got {len(raw)})")
    return raw


def _secrets(environment: str, env: dict[str, str]) -> tuple[str, bytes]:
    secret = env.get("MICROCRED_SECRET_KEY", "")
    kek = env.get("MICROCRED_KEY_ENCRYPTION_KEY", "")
    if environment == "production":
        if not secret or secret == DEV_SECRET_KEY or len(secret) < 32:
            raise ConfigurationError("MICROCRED_SECRET_KEY must be set to 32+ random characters")
        if not kek or kek == DEV_KEY_ENCRYPTION_KEY:
            raise ConfigurationError(
                "MICROCRED_KEY_ENCRYPTION_KEY must be set (32 random bytes, base64url): "
                "provider signing keys are encrypted with it"
            )
    return secret or DEV_SECRET_KEY, _kek(
        kek or DEV_KEY_ENCRYPTION_KEY, where="MICROCRED_KEY_ENCRYPTION_KEY"
    )


def _old_kek(env: dict[str, str]) -> bytes | None:
    value = env.get("MICROCRED_OLD_KEY_ENCRYPTION_KEY", "")
    return _kek(value, where="MICROCRED_OLD_KEY_ENCRYPTION_KEY") if value else None


def load(env: dict[str, str] | None = None) -> Config:
    """Read the configuration from ``env`` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    # pytest sets PYTEST_VERSION before anything imports the settings: tests default to "test".
    default = "test" if "PYTEST_VERSION" in env else "development"
    environment = env.get("MICROCRED_ENV", default)
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(f"MICROCRED_ENV must be one of {', '.join(ENVIRONMENTS)}")
    secret, kek = _secrets(environment, env)
    data_dir = Path(env.get("MICROCRED_DATA_DIR", "var")).resolve()
    database_url = (
        env.get("MICROCRED_DATABASE_URL") or f"sqlite:///{data_dir / 'microcred.sqlite3'}"
    )
    base_url = env.get("MICROCRED_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    hosts = tuple(h for h in env.get("MICROCRED_ALLOWED_HOSTS", "").split(",") if h)
    default_hosts = ("127.0.0.1", "localhost", "testserver")
    return Config(
        environment=environment,
        secret_key=secret,
        key_encryption_key=kek,
        database_url=database_url,
        data_dir=data_dir,
        base_url=base_url,
        allowed_hosts=hosts or (default_hosts if environment != "production" else ()),
        debug=env.get("MICROCRED_DEBUG", "0") == "1" or environment == "development",
        email=_email(env),
        wallet_recheck_seconds=_seconds(env, "MICROCRED_WALLET_RECHECK_SECONDS", 3600),
        old_key_encryption_key=_old_kek(env),
        limits=_limits(env, environment),
    )


def _rate(env: dict[str, str], name: str, default: str) -> str:
    value = env.get(name, default).strip()
    count, _, seconds = value.partition("/")
    if value != "0" and not (count.isdigit() and seconds.isdigit() and int(seconds) > 0):
        raise ConfigurationError(f"{name} must be COUNT/SECONDS (e.g. 20/60) or 0 (off)")
    return value


def _limits(env: dict[str, str], environment: str) -> LimitsConfig:
    d = LimitsConfig()
    # Tests get a per-process cache, emptied before each test (conftest.py): no table needed.
    cache = "locmem" if environment == "test" else d.cache_url
    proxies = env.get("MICROCRED_TRUSTED_PROXIES", "")
    return LimitsConfig(
        cache_url=env.get("MICROCRED_CACHE_URL", cache),
        trusted_proxies=tuple(p.strip() for p in proxies.split(",") if p.strip()),
        sign_in=_rate(env, "MICROCRED_RATE_SIGN_IN", d.sign_in),
        sign_in_failures=_rate(env, "MICROCRED_RATE_SIGN_IN_FAILURES", d.sign_in_failures),
        sign_up=_rate(env, "MICROCRED_RATE_SIGN_UP", d.sign_up),
        password_reset=_rate(env, "MICROCRED_RATE_PASSWORD_RESET", d.password_reset),
        imports=_rate(env, "MICROCRED_RATE_IMPORT", d.imports),
        verify_per_minute=_whole(env, "MICROCRED_VERIFY_RATE_PER_MINUTE", d.verify_per_minute),
        max_request_bytes=_whole(env, "MICROCRED_MAX_REQUEST_BYTES", d.max_request_bytes),
    )


def _seconds(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name, str(default))
    if not value.isdigit():
        raise ConfigurationError(f"{name} must be a whole number of seconds")
    return int(value)


def _whole(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name, str(default)).strip()
    if not value.isdigit():
        raise ConfigurationError(f"{name} must be a whole number")
    return int(value)


def _email(env: dict[str, str]) -> EmailConfig:
    port = env.get("MICROCRED_SMTP_PORT", "587")
    if not port.isdigit():
        raise ConfigurationError("MICROCRED_SMTP_PORT must be a number")
    return EmailConfig(
        sender=env.get("MICROCRED_EMAIL_FROM", EmailConfig.sender),
        smtp_host=env.get("MICROCRED_SMTP_HOST", ""),
        smtp_port=int(port),
        smtp_user=env.get("MICROCRED_SMTP_USER", ""),
        smtp_password=env.get("MICROCRED_SMTP_PASSWORD", ""),
        smtp_starttls=env.get("MICROCRED_SMTP_STARTTLS", "1") == "1",
    )

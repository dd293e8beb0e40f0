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
    )


def _seconds(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name, str(default))
    if not value.isdigit():
        raise ConfigurationError(f"{name} must be a whole number of seconds")
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

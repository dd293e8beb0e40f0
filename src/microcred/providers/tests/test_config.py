"""Outside development the platform refuses to start without real secrets."""

from __future__ import annotations

import base64

import pytest

from microcred.platform import config

REAL_SECRET = "x" * 50
REAL_KEK = base64.urlsafe_b64encode(bytes(range(32))).decode()


def _production(**overrides: str) -> dict[str, str]:
    env = {
        "MICROCRED_ENV": "production",
        "MICROCRED_SECRET_KEY": REAL_SECRET,
        "MICROCRED_KEY_ENCRYPTION_KEY": REAL_KEK,
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v != "<unset>"}


def test_production_with_real_secrets_starts() -> None:
    loaded = config.load(_production())
    assert loaded.key_encryption_key == bytes(range(32))
    assert loaded.secret_key == REAL_SECRET
    assert not loaded.debug and loaded.allowed_hosts == ()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"MICROCRED_SECRET_KEY": "<unset>"}, "MICROCRED_SECRET_KEY"),
        ({"MICROCRED_SECRET_KEY": config.DEV_SECRET_KEY}, "MICROCRED_SECRET_KEY"),
        ({"MICROCRED_SECRET_KEY": "too-short"}, "MICROCRED_SECRET_KEY"),
        ({"MICROCRED_KEY_ENCRYPTION_KEY": "<unset>"}, "MICROCRED_KEY_ENCRYPTION_KEY"),
        ({"MICROCRED_KEY_ENCRYPTION_KEY": config.DEV_KEY_ENCRYPTION_KEY}, "KEY_ENCRYPTION"),
        (
            {"MICROCRED_KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(bytes(16)).decode()},
            "32 bytes",
        ),
        ({"MICROCRED_KEY_ENCRYPTION_KEY": "not base64 at all!"}, "KEY_ENCRYPTION_KEY"),
    ],
)
def test_production_refuses_missing_or_placeholder_secrets(
    overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(config.ConfigurationError, match=message):
        config.load(_production(**overrides))


def test_development_works_without_configuration_using_public_dev_secrets() -> None:
    loaded = config.load({"MICROCRED_ENV": "development"})
    assert loaded.secret_key == config.DEV_SECRET_KEY
    assert len(loaded.key_encryption_key) == 32
    assert loaded.is_development and loaded.debug


def test_a_wrong_size_kek_is_refused_in_development_too() -> None:
    short = base64.urlsafe_b64encode(bytes(31)).decode()
    with pytest.raises(config.ConfigurationError, match="32 bytes"):
        config.load({"MICROCRED_ENV": "development", "MICROCRED_KEY_ENCRYPTION_KEY": short})


def test_an_unknown_environment_is_refused() -> None:
    with pytest.raises(config.ConfigurationError, match="MICROCRED_ENV"):
        config.load({"MICROCRED_ENV": "staging"})

"""Which key-encryption keys (KEKs) this process seals and opens secrets with.

Every secret the platform stores (provider keys, the platform key, learners' holder keys) is
sealed with ``MICROCRED_KEY_ENCRYPTION_KEY``. During a KEK rotation
(``microcred keys rotate-kek``, docs/operations.md section 4) processes also get the previous
KEK as ``MICROCRED_OLD_KEY_ENCRYPTION_KEY``: secrets are then opened with either (the new one
first) and sealed with the new one only, so processes can be restarted one by one and
nothing fails to sign while the rows are being re-sealed.
"""

from __future__ import annotations

from django.conf import settings


def sealing() -> bytes:
    """The KEK new secrets are sealed with."""
    return bytes(settings.KEY_ENCRYPTION_KEY)


def reading() -> tuple[bytes, ...]:
    """The KEKs a stored secret may be sealed with, the current one first."""
    current = sealing()
    old = getattr(settings, "OLD_KEY_ENCRYPTION_KEY", None)
    return (current,) if not old or old == current else (current, bytes(old))

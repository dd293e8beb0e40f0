"""The exception tree of microcred's core.

Every error a user can cause is an :class:`InputError`: the CLI turns it into
one line on stderr and exit code 2, the web API into a 4xx problem body. Its
``where`` names the field, line or file that is wrong. Verification *failures*
are not exceptions: they are failed checks in a ``VerificationReport``.
"""

from __future__ import annotations


class MicrocredError(Exception):
    """Base class of every error microcred raises on purpose."""


class InputError(MicrocredError):
    """The input cannot be used (malformed, too large, wrong type, unsupported)."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ContextError(InputError):
    """A JSON-LD context that is not bundled (never fetched from the network)."""


class UndefinedTermError(InputError):
    """A term, type or relative IRI that the document's contexts do not define."""


class KeyFormatError(InputError):
    """A key file or key encoding that is malformed or of an unsupported type."""


class ImageError(InputError):
    """A PNG or SVG that is malformed, too large or unsafe to parse."""


class StatusListError(InputError):
    """A status list (or entry) that is malformed, too short or out of range."""


class SigningError(MicrocredError):
    """A proof could not be created (wrong key, issuer mismatch, bad options)."""


class FetchError(MicrocredError):
    """A remote resource could not be fetched, or fetching it was refused."""

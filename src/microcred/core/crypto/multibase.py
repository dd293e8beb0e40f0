"""base58btc, multibase (``z`` base58btc, ``u`` base64url) and multicodec key headers.

Only the encodings Data Integrity keys and proofs use are supported; anything
else is a :class:`KeyFormatError` that names what was found, so a user who
pastes a P-256 or RSA key learns *why* it is refused.
"""

from __future__ import annotations

import base64
import binascii

from microcred.core.errors import KeyFormatError

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: index for index, char in enumerate(B58_ALPHABET)}

# Varint-encoded multicodec headers (ed25519-pub 0xed, ed25519-priv 0x1300).
ED25519_PUB_HEADER = b"\xed\x01"
ED25519_PRIV_HEADER = b"\x80\x26"

# Headers of key types people are likely to paste, so the error can name them.
_KNOWN_UNSUPPORTED = {
    b"\x80\x24": "P-256 public key (p256-pub)",
    b"\x81\x24": "P-384 public key (p384-pub)",
    b"\xe7\x01": "secp256k1 public key",
    b"\xec\x01": "X25519 public key",
    b"\xeb\x01": "BLS12-381 G2 public key",
    b"\x85\x24": "RSA public key",
}

# Upper bound on what we decode: keys and signatures are < 100 bytes; this keeps the
# quadratic base58 arithmetic from being abused with megabyte strings.
MAX_B58_CHARS = 512


_CHUNK_DIGITS = 10
_CHUNK = 58**_CHUNK_DIGITS
# Every two-digit base58 string, so a chunk converts in five steps instead of ten.
_PAIRS = [a + b for a in B58_ALPHABET for b in B58_ALPHABET]


def _small_b58(number: int, width: int) -> str:
    pairs = []
    for _ in range(width // 2):
        number, rest = divmod(number, 3364)
        pairs.append(_PAIRS[rest])
    return "".join(reversed(pairs))


def b58encode(data: bytes) -> str:
    """Encode bytes as base58btc (Bitcoin alphabet), keeping leading zero bytes as ``1``.

    Divides the big number by 58**10 at a time and converts each small remainder, so a
    signature needs 9 big-integer divisions instead of 88 (this runs once per proof).
    """
    zeros = len(data) - len(data.lstrip(b"\x00"))
    number = int.from_bytes(data, "big")
    chunks: list[str] = []
    while number:
        number, rest = divmod(number, _CHUNK)
        chunks.append(_small_b58(rest, _CHUNK_DIGITS))
    text = "".join(reversed(chunks)).lstrip("1")
    return "1" * zeros + text


def b58decode(text: str, *, where: str | None = None) -> bytes:
    """Decode base58btc, raising :class:`KeyFormatError` on characters outside the alphabet."""
    if len(text) > MAX_B58_CHARS:
        raise KeyFormatError(f"base58 value is too long ({len(text)} characters)", where=where)
    number = 0
    for position, char in enumerate(text):
        digit = _B58_INDEX.get(char)
        if digit is None:
            raise KeyFormatError(
                f"{char!r} at position {position} is not a base58btc character", where=where
            )
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * zeros + body


def multibase_encode(data: bytes, base: str = "z") -> str:
    """Multibase-encode: ``z`` base58btc (default) or ``u`` base64url without padding."""
    if base == "z":
        return "z" + b58encode(data)
    if base == "u":
        return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
    raise KeyFormatError(f"unsupported multibase prefix {base!r}: use 'z' or 'u'")


def multibase_decode(value: object, *, where: str | None = None) -> bytes:
    """Decode a multibase string (``z`` base58btc or ``u`` base64url no padding)."""
    if not isinstance(value, str) or not value:
        raise KeyFormatError("expected a multibase string such as 'z6Mk…'", where=where)
    prefix, body = value[0], value[1:]
    if prefix == "z":
        return b58decode(body, where=where)
    if prefix == "u":
        if "=" in body or len(body) % 4 == 1:
            raise KeyFormatError("malformed base64url (multibase 'u') value", where=where)
        try:
            return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise KeyFormatError("malformed base64url (multibase 'u') value", where=where) from None
    raise KeyFormatError(
        f"unsupported multibase prefix {prefix!r}: expected 'z' (base58btc) or 'u' (base64url)",
        where=where,
    )


def describe_header(data: bytes) -> str:
    """A human name for the multicodec header of ``data`` (for error messages)."""
    for header, name in _KNOWN_UNSUPPORTED.items():
        if data.startswith(header):
            return name
    if data.startswith(ED25519_PUB_HEADER):
        return "Ed25519 public key"
    if data.startswith(ED25519_PRIV_HEADER):
        return "Ed25519 secret key"
    return f"unknown multicodec header 0x{data[:2].hex() or '(empty)'}"


def decode_multikey(value: object, header: bytes, lengths: tuple[int, ...], *, where: str) -> bytes:
    """Decode a multibase multicodec key, checking its header and key length.

    Returns the key bytes without the header. Any other key type or length is a
    :class:`KeyFormatError` that says which type was found.
    """
    raw = multibase_decode(value, where=where)
    if not raw.startswith(header):
        found = describe_header(raw)
        wanted = describe_header(header)
        raise KeyFormatError(
            f"unsupported key type: {found} (only {wanted} is supported)", where=where
        )
    key = raw[len(header) :]
    if len(key) not in lengths:
        expected = " or ".join(str(n) for n in lengths)
        raise KeyFormatError(f"key is {len(key)} bytes, expected {expected}", where=where)
    return key


def encode_multikey(key: bytes, header: bytes) -> str:
    """``z`` + base58btc(header || key)."""
    return multibase_encode(header + key, "z")

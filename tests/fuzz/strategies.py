"""Shared settings and input generators for the fuzz tests.

Every fuzz test is bounded (``max_examples``) and derandomized, so that CI runs the same
examples every time and a failure reproduces; no example database is written. Crashes
found while writing them are kept as explicit ``@example`` regressions beside each test.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zlib
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image

#: what every fuzz test runs with: reproducible, bounded, no wall-clock deadline
#: (``MICROCRED_FUZZ_EXAMPLES=5000`` digs deeper by hand; CI keeps the default)
FUZZ = settings(
    max_examples=int(os.environ.get("MICROCRED_FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
#: any JSON value (nesting bounded)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def small_png(color: tuple[int, int, int] = (20, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(buffer, "PNG")
    return buffer.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk with a correct CRC (so the reader gets past its integrity checks)."""
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each (position, cut, insert) applied: delete ``cut`` bytes, insert bytes."""
    out = bytearray(data)
    for position, cut, insert in edits:
        at = position % (len(out) + 1)
        out[at : at + cut] = insert
    return bytes(out)


edits = st.lists(
    st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=8)),
    min_size=1,
    max_size=4,
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)

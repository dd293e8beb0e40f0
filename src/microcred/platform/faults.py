"""A test-only pause point, so that process tests can SIGKILL a worker at a named moment.

``pause_point("bulk.chunk-issued")`` does nothing unless the environment variable
``MICROCRED_TEST_PAUSE_AT`` names that point (``name`` or ``name:n`` for its n-th pass,
default the first). When it does, the process writes ``paused at <name>`` to stderr and
sleeps until it is killed. Production never sets the variable: the cost there is one
dictionary lookup per call. The points are listed in docs/bulk-issuing.md.
"""

from __future__ import annotations

import os
import sys
import time

ENV = "MICROCRED_TEST_PAUSE_AT"
_passes: dict[str, int] = {}


def pause_point(name: str) -> None:
    spec = os.environ.get(ENV)
    if not spec:
        return
    wanted, _, count = spec.partition(":")
    if wanted != name:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] == int(count or 1):
        sys.stderr.write(f"paused at {name}\n")
        sys.stderr.flush()
        while True:  # until SIGKILL: what the test wants to see survive
            time.sleep(60)

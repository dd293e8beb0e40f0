"""The employer's side of the end-to-end tests: `microcred verify URL`, a separate process."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def verify_url(url: str) -> tuple[int, dict[str, Any]]:
    """Exit code and JSON report of `microcred verify URL` (loopback allowed, as for a test server)."""
    done = subprocess.run(
        [sys.executable, "-m", "microcred", "verify", url, "--json", "--allow-private-network"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    [report] = json.loads(done.stdout)
    return done.returncode, report

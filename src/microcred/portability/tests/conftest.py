"""Learners, platform credentials and the offline verifier of the wallet's tests, reused."""

from __future__ import annotations

from microcred.credentials.tests.conftest import (  # noqa: F401  (fixtures used here)
    definition,
    make_definition,
    provider,
    staff,
    verify,
)
from microcred.wallet.tests.conftest import (  # noqa: F401  (fixtures used here)
    ana,
    fixtures_offline,
    issue,
    learner,
    offline,
    other_learner,
)

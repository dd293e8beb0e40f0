"""Issue 5's cross-tool bar: the stacked credential microcred awards for a completed pathway
passes the independent Node verifier (../shared/interop) and an employer's `microcred verify
URL` over HTTP, and cites each of its components by id and digest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from microcred.pathways.earning import digest
from microcred.pathways.models import PathwayAward
from microcred.platform.seed import seed
from tests.e2e.employer import verify_url
from tests.interop.conftest import NodeInterop, node_interop  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.interop,
    pytest.mark.xdist_group("browser"),
]
ANA = "ana.andromeda@example.com"  # holds all four components of the demo micro-degree


def test_the_awarded_micro_degree_passes_node_and_microcred_verify(
    live_server: Any,
    settings: Any,
    node_interop: NodeInterop,  # noqa: F811
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MICROCRED_BASE_URL = live_server.url  # status lists and ids point at this server
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    award = PathwayAward.objects.get(learner=get_user_model().objects.get(email=ANA))
    document = award.credential.document

    evidence = " ".join(json.dumps(item) for item in document.get("evidence", []))
    components = award.credential.provider.issued_credentials.filter(
        credential_id__in=award.components
    )
    assert components.count() == len(award.components) == 4
    for component in components:
        assert component.credential_id.removeprefix("urn:uuid:") in evidence
        assert digest(component.document) in evidence  # sha256 of the JCS-canonical document

    (tmp_path / "award.json").write_text(json.dumps(document), encoding="utf-8")
    verdict = node_interop.verify(tmp_path)
    assert (verdict.passed, verdict.failed) == (1, 0), verdict.explain()

    url = (
        f"{live_server.url}/credentials/{award.credential.credential_id.removeprefix('urn:uuid:')}"
    )
    code, report = verify_url(url)
    assert code == 0 and report["verified"], report

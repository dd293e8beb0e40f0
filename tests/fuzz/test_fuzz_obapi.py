"""schemathesis against the Open Badges 3.0 API's own OpenAPI document (``GET
/ims/ob/v3p0/discovery``, the Service Description Document), on a live server, with a
learner's OAuth access token holding every scope.

The document points its component schemas at the 1EdTech JSON schemas on purl.imsglobal.org;
nothing is fetched in tests, so they are replaced by "any JSON object" here: the generated
bodies are arbitrary objects (hostile input for upsert and profile updates), and successes
are checked for status and content type. The OB spec's error shape is ``Imsx_StatusInfo``
(not problem+json): every error must be one, and nothing may be a 5xx.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from tests.fuzz.test_fuzz_openapi import EXAMPLES


def status_info(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every error answer is an Imsx_StatusInfo failure (OB 3.0 API, section 6)."""
    if response.status_code < 400:
        return None
    body = json.loads(response.content)
    assert body.get("imsx_codeMajor") == "failure", body
    assert body.get("imsx_severity") == "error", body
    assert isinstance(body.get("imsx_description"), str) and body["imsx_description"], body
    return True


def offline(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    assert all(s["$ref"].startswith("https://purl.imsglobal.org/") for s in schemas.values())
    document["components"]["schemas"] = {name: {"type": "object"} for name in schemas}
    return document


def fuzz(
    operation: Any, base_url: str, session: Any, headers: dict[str, str], seen: Counter[int]
) -> None:
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        seen[response.status_code] += 1
        case.validate_response(response, checks=[not_a_server_error, status_info], headers=headers)

    run()


@pytest.mark.django_db(transaction=True)
def test_every_operation_of_the_open_badges_api(live_server: Any) -> None:
    from microcred.platform.tests.access_world import build

    world = build()
    base_url = f"{live_server.url}/ims/ob/v3p0"
    document = requests.get(f"{base_url}/discovery", timeout=30)
    assert document.status_code == 200
    schema = schemathesis.openapi.from_dict(offline(document.json()))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "GET /credentials",
        "POST /credentials",
        "GET /profile",
        "PUT /profile",
    }
    headers = {"Authorization": f"Bearer {world.oauth['learner_a']}"}
    answered: dict[str, Counter[int]] = {}
    with requests.Session() as session:
        for operation in operations:
            answered[operation.label] = Counter()
            fuzz(operation, base_url, session, headers, answered[operation.label])
    print(dict(answered))
    # The learner's token was accepted: reading the credentials and profile succeeded.
    assert answered["GET /credentials"][200] and answered["GET /profile"][200], answered

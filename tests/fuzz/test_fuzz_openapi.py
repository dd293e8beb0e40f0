"""schemathesis against the served OpenAPI document of the provider API (``/api/v1``).

A live server (pytest-django's) holds the access-control world (providers A and B, their
definitions, credentials, bulk job, pathway, catalog offerings, API tokens); every
operation of ``/api/v1/openapi.json`` is called with provider A's issuer token, with
schema-valid and schema-violating data, and with the path parameters either generated or
naming A's real objects (so that handlers past the 404 are reached). Each answer must:

- never be a 5xx;
- for every error (4xx), be ``application/problem+json`` with ``type``, ``title``,
  ``status`` (the response's) and ``detail`` - the shape of microcred.platform.api;
- for a documented success, match the response schema and content type.

Bounded: ``MICROCRED_FUZZ_API_EXAMPLES`` examples per operation (default 12), derandomized,
so the whole run is repeatable and takes well under a minute. The Open Badges API
(``/ims/ob/v3p0``) publishes its own document; see test_fuzz_obapi.py.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

EXAMPLES = int(os.environ.get("MICROCRED_FUZZ_API_EXAMPLES", "12"))
PROBLEM = "application/problem+json"


def problem_details(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every error answer is RFC 9457 problem JSON in microcred's shape."""
    if response.status_code < 400:
        return None
    media = response.headers.get("content-type", [""])
    media = media[0] if isinstance(media, list) else media
    assert media.split(";")[0].strip() == PROBLEM, f"error {response.status_code} as {media!r}"
    body = json.loads(response.content)
    assert isinstance(body, dict), body
    missing = {"type", "title", "status", "detail"} - set(body)
    assert not missing, f"problem body lacks {sorted(missing)}: {body}"
    assert body["status"] == response.status_code, body
    assert isinstance(body["detail"], str) and body["detail"], body
    return True


def documented_success(check: Any) -> Any:
    """Run a schemathesis conformance check on 2xx answers only: microcred documents its
    successes; its errors are the one problem shape checked above."""

    def wrapped(ctx: Any, response: Any, case: Any) -> bool | None:
        if response.status_code >= 400:
            return None
        return check(ctx, response, case)  # type: ignore[no-any-return]

    wrapped.__name__ = check.__name__
    return wrapped


CHECKS = [
    not_a_server_error,
    problem_details,
    documented_success(response_schema_conformance),
    documented_success(content_type_conformance),
]


def known_objects(world: Any) -> dict[str, Any]:
    """Path parameter -> a real object of provider A (the token's provider)."""
    return {
        "slug": st.sampled_from(["alpha-data", "alpha-draft", "alpha-path", "alpha-course"]),
        "provider": st.just(world.providers["a"].slug),
        "credential_uuid": st.sampled_from(
            [world.uuid("a_active"), world.uuid("a_suspendable"), world.uuid("a_suspended")]
        ),
        "job_id": st.just(world.jobs["a"].pk),
        "prefix": st.just(world.token_prefixes["a_viewer"]),
    }


def cases(operation: Any, world: Any) -> st.SearchStrategy[Any]:
    names = {p.name for p in operation.path_parameters}
    known = known_objects(world)
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if names:
        fixed = st.fixed_dictionaries({name: known[name] for name in names if name in known})
        strategies.append(
            fixed.flatmap(
                lambda values: operation.as_strategy(
                    GenerationMode.POSITIVE, path_parameters=values
                )
            )
        )
    return st.one_of(strategies)


def fuzz_operation(
    operation: Any, world: Any, base_url: str, session: requests.Session, seen: Counter[int]
) -> None:
    headers = {"Authorization": f"Bearer {world.tokens['a_issuer']}"}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation, world))
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        seen[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.mark.django_db(transaction=True)
def test_every_operation_of_the_provider_api(live_server: Any) -> None:
    from microcred.platform.tests.access_world import build

    world = build()
    base_url = live_server.url  # the document's paths start with /api/v1
    document = requests.get(f"{base_url}/api/v1/openapi.json", timeout=30)
    assert document.status_code == 200
    schema = schemathesis.openapi.from_dict(document.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, "every router's operations are in the document"
    failures: dict[str, str] = {}
    answered: dict[str, Counter[int]] = {}
    with requests.Session() as session:
        for operation in operations:
            answered[operation.label] = Counter()
            try:
                fuzz_operation(operation, world, base_url, session, answered[operation.label])
            except Exception as failure:  # collect them all: one run shows every crash
                failures[operation.label] = str(failure)[:3000]
    print("\n".join(f"{label}: {dict(counts)}" for label, counts in answered.items()))
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
    # The token worked: most operations were reached past authentication, and succeeded.
    succeeded = [label for label, counts in answered.items() if any(c < 300 for c in counts)]
    assert len(succeeded) >= len(operations) // 2, answered

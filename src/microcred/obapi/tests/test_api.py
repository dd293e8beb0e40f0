"""The OB 3.0 API as a wallet uses it: discover, register, authorize with PKCE, call."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from microcred.obapi.conf import CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE
from microcred.obapi.tests.conftest import API, REDIRECT, authorize_code, basic, pkce_pair, register

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_status_info(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error"
    assert isinstance(body["imsx_description"], str) and body["imsx_description"]
    return dict(body)


def test_discovery_is_unprotected_and_points_to_registration_and_oauth(client: Client) -> None:
    response = client.get(f"{API}/discovery")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert {"title", "version", "termsOfService", "x-imssf-privacyPolicyUrl"} <= set(
        document["info"]
    )
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["x-imssf-registrationUrl"].endswith("/ims/ob/v3p0/register")
    flow = scheme["flows"]["authorizationCode"]
    assert urlsplit(flow["authorizationUrl"]).path == f"{API}/oauth/authorize/"
    assert urlsplit(flow["tokenUrl"]).path == f"{API}/oauth/token/"
    assert flow["refreshUrl"] == flow["tokenUrl"]
    assert {CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE} <= set(flow["scopes"])
    operations = {
        op["operationId"] for methods in document["paths"].values() for op in methods.values()
    }
    assert operations == {
        "getCredentials",
        "upsertCredential",
        "getProfile",
        "putProfile",
        "getServiceDescription",
    }


def test_registration_echoes_metadata_and_returns_a_secret(client: Client) -> None:
    response = register(client, logo_uri="https://wallet.example.com/logo.png")
    assert response.status_code == 201
    body = response.json()
    assert body["client_id"] and len(body["client_secret"]) >= 32
    assert body["redirect_uris"] == [REDIRECT]
    assert body["logo_uri"] == "https://wallet.example.com/logo.png"
    assert body["grant_types"] == ["authorization_code", "refresh_token"]
    assert body["token_endpoint_auth_method"] == "client_secret_basic"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"redirect_uris": ["http://wallet.example.com/cb"]}, "invalid_redirect_uri"),
        ({"redirect_uris": []}, "invalid_redirect_uri"),
        (
            {"scope": "https://purl.imsglobal.org/spec/ob/v3p0/scope/everything"},
            "invalid_client_metadata",
        ),
        ({"grant_types": ["client_credentials"]}, "invalid_client_metadata"),
        ({"client_uri": "ftp://wallet.example.com"}, "invalid_client_metadata"),
    ],
)
def test_registration_rejects_unusable_metadata(
    client: Client, overrides: dict[str, Any], error: str
) -> None:
    response = register(client, **overrides)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_authorization_requires_pkce(client: Client, learner: Any) -> None:
    registered = register(client).json()
    client.force_login(learner)
    params = {
        "response_type": "code",
        "client_id": registered["client_id"],
        "redirect_uri": REDIRECT,
        "scope": CREDENTIAL_READ,
    }
    response = client.post(f"{API}/oauth/authorize/", {**params, "allow": "Authorize"})
    assert "code=" not in response.get("Location", "")


def test_the_code_needs_the_right_verifier(client: Client, learner: Any) -> None:
    registered = register(client).json()
    _, challenge = pkce_pair()
    redirect = authorize_code(client, learner, registered["client_id"], CREDENTIAL_READ, challenge)
    query = parse_qs(urlsplit(redirect["Location"]).query)
    assert query["state"] == ["xyz"]
    wrong_verifier, _ = pkce_pair()
    response = Client().post(
        f"{API}/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT,
            "code_verifier": wrong_verifier,
        },
        HTTP_AUTHORIZATION=basic(registered["client_id"], registered["client_secret"]),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_client_cannot_get_scopes_it_did_not_register(client: Client, learner: Any) -> None:
    registered = register(client, scope=PROFILE_READ).json()
    _, challenge = pkce_pair()
    redirect = authorize_code_any(
        client, learner, registered["client_id"], CREDENTIAL_READ, challenge
    )
    assert "error=invalid_scope" in redirect


def authorize_code_any(
    client: Client, user: Any, client_id: str, scope: str, challenge: str
) -> str:
    client.force_login(user)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response = client.get(f"{API}/oauth/authorize/", params)
    return str(response.get("Location", ""))


def test_credentials_are_the_learners_own_with_paging_headers(
    token_for: Callable[..., str], learner: Any, issue: Callable[[str], Any]
) -> None:
    mine = [issue("Learner@Example.org").credential_id for _ in range(3)]
    issue("someone-else@example.org")
    token = token_for(learner, CREDENTIAL_READ)
    api = Client()
    response = api.get(f"{API}/credentials", {"limit": 2}, headers=bearer(token))
    assert response.status_code == 200, response.content
    assert response["X-Total-Count"] == "3"
    links = response["Link"]
    assert 'rel="next"' in links and 'rel="last"' in links and 'rel="first"' in links
    assert 'rel="prev"' not in links and "offset=2" in links
    first = response.json()["credential"]
    second = api.get(f"{API}/credentials", {"limit": 2, "offset": 2}, headers=bearer(token))
    assert 'rel="prev"' in second["Link"] and 'rel="next"' not in second["Link"]
    ids = [doc["id"] for doc in first + second.json()["credential"]]
    assert sorted(ids) == sorted(mine)
    assert "OpenBadgeCredential" in first[0]["type"] and first[0]["proof"]


def test_since_filters_and_bad_paging_is_400(
    token_for: Callable[..., str], learner: Any, issue: Callable[[str], Any]
) -> None:
    issue("learner@example.org")
    token = token_for(learner, CREDENTIAL_READ)
    api = Client()
    later = api.get(f"{API}/credentials", {"since": "2999-01-01T00:00:00Z"}, headers=bearer(token))
    assert later.status_code == 200 and later["X-Total-Count"] == "0"
    assert later.json().get("credential", []) == []
    assert_status_info(api.get(f"{API}/credentials", {"limit": "0"}, headers=bearer(token)), 400)
    assert_status_info(
        api.get(f"{API}/credentials", {"since": "yesterday"}, headers=bearer(token)), 400
    )
    # Found by fuzzing: an offset PostgreSQL refuses (+19:10) was a 500 there; now it is read
    # as the instant it names, and an instant outside UTC's years is a 400.
    odd = api.get(
        f"{API}/credentials", {"since": "0782-08-23T02:03:23+19:10"}, headers=bearer(token)
    )
    assert odd.status_code == 200 and odd["X-Total-Count"] == "1"
    assert_status_info(
        api.get(
            f"{API}/credentials", {"since": "0001-01-01T00:00:00+05:00"}, headers=bearer(token)
        ),
        400,
    )


def test_an_unverified_address_does_not_count(
    token_for: Callable[..., str], learner: Any, issue: Callable[[str], Any]
) -> None:
    from allauth.account.models import EmailAddress  # type: ignore[import-untyped]

    EmailAddress.objects.create(user=learner, email="old@example.org", verified=False)
    issue("old@example.org")
    token = token_for(learner, CREDENTIAL_READ)
    response = Client().get(f"{API}/credentials", headers=bearer(token))
    assert response["X-Total-Count"] == "0"


def test_no_token_is_401_and_wrong_scope_is_403(
    token_for: Callable[..., str], learner: Any
) -> None:
    api = Client()
    assert_status_info(api.get(f"{API}/credentials"), 401)
    assert_status_info(api.get(f"{API}/credentials", headers=bearer("not-a-token")), 401)
    token = token_for(learner, PROFILE_READ)
    body = assert_status_info(api.get(f"{API}/credentials", headers=bearer(token)), 403)
    assert CREDENTIAL_READ in body["imsx_description"]
    assert api.get(f"{API}/profile", headers=bearer(token)).status_code == 200


def upload(token: str, document: Any) -> Any:
    return Client().post(
        f"{API}/credentials",
        json.dumps(document),
        content_type="application/json",
        headers=bearer(token),
    )


def test_upsert_creates_then_replaces_and_lists_it(
    token_for: Callable[..., str], learner: Any, issue: Callable[[str], Any]
) -> None:
    document = issue("elsewhere@example.org").document  # a valid signed OB 3.0 credential
    token = token_for(learner, f"{CREDENTIAL_UPSERT} {CREDENTIAL_READ}")
    created = upload(token, document)
    assert created.status_code == 201 and created.json()["id"] == document["id"]
    # The spec's equality: same issuer id and id after percent-unescaping and trimming.
    again = {**document, "id": f"  {document['id'].replace(':', '%3A')} "}
    assert upload(token, again).status_code == 200
    listed = Client().get(f"{API}/credentials", headers=bearer(token))
    assert listed["X-Total-Count"] == "1"


def test_upsert_of_a_vc_jwt(
    token_for: Callable[..., str], learner: Any, issue: Callable[[str], Any]
) -> None:
    document = issue("elsewhere@example.org").document
    payload = base64.urlsafe_b64encode(json.dumps({"vc": document}).encode()).rstrip(b"=").decode()
    compact = f"eyJhbGciOiJFUzI1NiJ9.{payload}.c2ln"
    token = token_for(learner, f"{CREDENTIAL_UPSERT} {CREDENTIAL_READ}")
    response = Client().post(
        f"{API}/credentials", compact, content_type="text/plain", headers=bearer(token)
    )
    assert response.status_code == 201 and response.content.decode() == compact
    listed = Client().get(f"{API}/credentials", headers=bearer(token)).json()
    assert listed["compactJwsString"] == [compact]


@pytest.mark.parametrize(
    "body",
    ['{"type": ["VerifiableCredential"]}', "not json", "[]"],
)
def test_upsert_of_something_else_is_400(
    token_for: Callable[..., str], learner: Any, body: str
) -> None:
    token = token_for(learner, CREDENTIAL_UPSERT)
    response = Client().post(
        f"{API}/credentials", body, content_type="application/json", headers=bearer(token)
    )
    assert_status_info(response, 400)


def test_upsert_needs_the_upsert_scope(
    token_for: Callable[..., str], learner: Any, issue: Callable[[str], Any]
) -> None:
    token = token_for(learner, CREDENTIAL_READ)
    assert_status_info(upload(token, issue("x@example.org").document), 403)


def test_profile_read_and_replace(token_for: Callable[..., str], learner: Any) -> None:
    token = token_for(learner, f"{PROFILE_READ} {PROFILE_UPDATE}")
    api = Client()
    profile = api.get(f"{API}/profile", headers=bearer(token)).json()
    assert profile["type"] == ["Profile"] and profile["id"].startswith("urn:uuid:")
    assert profile["email"] == "learner@example.org"
    new = {
        "id": profile["id"],
        "type": ["Profile"],
        "name": "Lea Learner",
        "email": "lea@example.org",
    }
    put = api.put(
        f"{API}/profile", json.dumps(new), content_type="application/json", headers=bearer(token)
    )
    assert put.status_code == 200 and put.json() == new
    assert api.get(f"{API}/profile", headers=bearer(token)).json() == new
    bad = {"type": ["Organization"], "name": 5}
    response = api.put(
        f"{API}/profile", json.dumps(bad), content_type="application/json", headers=bearer(token)
    )
    assert_status_info(response, 400)


def test_profile_update_needs_its_scope(token_for: Callable[..., str], learner: Any) -> None:
    token = token_for(learner, PROFILE_READ)
    response = Client().put(
        f"{API}/profile", "{}", content_type="application/json", headers=bearer(token)
    )
    assert_status_info(response, 403)


def test_refresh_token_gives_a_new_access_token(client: Client, learner: Any) -> None:
    registered = register(client).json()
    verifier, challenge = pkce_pair()
    redirect = authorize_code(client, learner, registered["client_id"], CREDENTIAL_READ, challenge)
    code = parse_qs(urlsplit(redirect["Location"]).query)["code"][0]
    auth = basic(registered["client_id"], registered["client_secret"])
    tokens = (
        Client()
        .post(
            f"{API}/oauth/token/",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            HTTP_AUTHORIZATION=auth,
        )
        .json()
    )
    refreshed = Client().post(
        f"{API}/oauth/token/",
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        HTTP_AUTHORIZATION=auth,
    )
    assert refreshed.status_code == 200
    new = refreshed.json()["access_token"]
    assert new != tokens["access_token"]
    assert Client().get(f"{API}/credentials", headers=bearer(new)).status_code == 200


def test_an_older_copy_does_not_replace_a_newer_one(
    token_for: Callable[..., str], learner: Any, issue: Callable[[str], Any]
) -> None:
    document = issue("elsewhere@example.org").document
    token = token_for(learner, f"{CREDENTIAL_UPSERT} {CREDENTIAL_READ}")
    newer = {**document, "validFrom": "2030-01-01T00:00:00Z", "name": "newer"}
    older = {**document, "validFrom": "2020-01-01T00:00:00Z", "name": "older"}
    assert upload(token, newer).status_code == 201
    kept = upload(token, older)
    assert kept.status_code == 200 and kept.json()["name"] == "newer"
    listed = Client().get(f"{API}/credentials", headers=bearer(token)).json()["credential"]
    assert [doc["name"] for doc in listed] == ["newer"]


def test_a_revoked_token_is_401(client: Client, learner: Any) -> None:
    registered = register(client).json()
    verifier, challenge = pkce_pair()
    redirect = authorize_code(client, learner, registered["client_id"], PROFILE_READ, challenge)
    code = parse_qs(urlsplit(redirect["Location"]).query)["code"][0]
    auth = basic(registered["client_id"], registered["client_secret"])
    token = (
        Client()
        .post(
            f"{API}/oauth/token/",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            HTTP_AUTHORIZATION=auth,
        )
        .json()["access_token"]
    )
    assert Client().get(f"{API}/profile", headers=bearer(token)).status_code == 200
    revoked = Client().post(f"{API}/oauth/revoke/", {"token": token}, HTTP_AUTHORIZATION=auth)
    assert revoked.status_code == 200
    assert_status_info(Client().get(f"{API}/profile", headers=bearer(token)), 401)


def test_signed_out_learner_is_sent_to_sign_in_and_other_methods_are_405(client: Client) -> None:
    registered = register(client).json()
    response = client.get(
        f"{API}/oauth/authorize/", {"response_type": "code", "client_id": registered["client_id"]}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    not_allowed = client.delete(f"{API}/credentials")
    assert_status_info(not_allowed, 405)
    assert not_allowed["Allow"] == "GET, POST"

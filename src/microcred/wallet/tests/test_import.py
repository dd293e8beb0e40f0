"""Importing into the wallet: every kind of file from the 1EdTech examples and from this
platform, failing credentials refused or kept as the learner chooses, duplicates, bad input
(size, non-credential JSON, zip bombs, nested archives), and whom a credential is issued to."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.wallet import services, verifying
from microcred.wallet.models import WalletCredential
from microcred.wallet.tests.conftest import HOME, OB2, OB3, WORK

pytestmark = pytest.mark.django_db

VALID_FILES = [
    (OB3 / "simple.json", "ob3-json"),
    (OB3 / "simple-eddsa-2022.json", "ob3-json"),
    (OB3 / "simple-multiple-proofs.json", "ob3-json"),
    (OB3 / "simple-did-web-method.json", "ob3-json"),
    (OB3 / "endorsement-valid.json", "ob3-json"),
    (OB3 / "simple-json.png", "baked-png"),
    (OB3 / "simple-json.svg", "baked-svg"),
    (OB3 / "simple-jwt.png", "baked-png"),
    (OB3 / "simple-jwt.svg", "baked-svg"),
]
FAILING = [
    (OB3 / "simple-err-expired.json", "expired"),
    (OB3 / "simple-err-proof-value.json", "invalid"),
    (OB3 / "bit-string-list-credential-status-revoked.json", "revoked"),
]


def _upload(
    client: Client, path: Path | str, content: bytes | None = None, keep: bool = False
) -> Any:
    name = Path(path).name
    data = path.read_bytes() if content is None and isinstance(path, Path) else content or b""
    return client.post(
        "/wallet/import",
        {
            "method": "file",
            "file-file": SimpleUploadedFile(name, data),
            "file-if_failing": "keep" if keep else "refuse",
        },
    )


@pytest.mark.parametrize(("path", "fmt"), VALID_FILES, ids=lambda v: getattr(v, "name", v))
def test_each_valid_example_imports_and_verifies(
    ana: Client, learner: Any, fixtures_offline: None, path: Path, fmt: str
) -> None:
    page = _upload(ana, path).content.decode()
    assert "Added:" in page, page[page.find("Result") :][:800]
    item = WalletCredential.objects.get(owner=learner)
    assert (item.format, item.verdict, item.source) == (fmt, "valid", "upload")
    assert bytes(item.original) == path.read_bytes()
    detail = ana.get(f"/wallet/{item.pk}").content.decode()
    assert "✔ Valid" in detail and "every check passed" in detail


@pytest.mark.parametrize(("path", "verdict"), FAILING, ids=lambda v: getattr(v, "name", v))
def test_failing_credentials_are_refused_by_default(
    ana: Client, learner: Any, fixtures_offline: None, path: Path, verdict: str
) -> None:
    page = _upload(ana, path).content.decode()
    assert "Not added:" in page and "✘" in page
    assert not WalletCredential.objects.exists()


@pytest.mark.parametrize(("path", "verdict"), FAILING, ids=lambda v: getattr(v, "name", v))
def test_failing_credentials_are_kept_with_their_report_when_chosen(
    ana: Client, learner: Any, fixtures_offline: None, path: Path, verdict: str
) -> None:
    page = _upload(ana, path, keep=True).content.decode()
    assert "Added with its failing report" in page
    item = WalletCredential.objects.get(owner=learner)
    assert item.verdict == verdict and item.report["verified"] is False
    listing = ana.get("/wallet").content.decode()
    assert f"pill-{verdict}" in listing and "pill-valid" not in listing
    detail = ana.get(f"/wallet/{item.pk}").content.decode()
    assert "✔ Valid" not in detail and "✘" in detail


OB2_FILES = [
    (OB2 / "basic-assertion.json", "ob2-hosted"),
    (OB2 / "simple.jwt", "ob2-signed"),
    (OB2 / "simple-badge.png", "baked-png"),
]


@pytest.mark.parametrize(("path", "fmt"), OB2_FILES, ids=lambda v: getattr(v, "name", v))
def test_open_badges_2_assertions_import_and_verify(
    learner: Any, fixtures_offline: None, path: Path, fmt: str
) -> None:
    [result] = services.import_bytes(learner, path.read_bytes(), source="upload", name=path.name)
    assert result.state == "added", (result.message, result.report)
    assert result.item is not None
    assert (result.item.format, result.item.verdict) == (fmt, "valid")
    assert result.message == "Added: Awesome Robotics Badge."  # the BadgeClass, fetched


def test_a_revoked_open_badges_2_assertion_is_refused(learner: Any, fixtures_offline: None) -> None:
    data = (OB2 / "simple-revoked.jwt").read_bytes()
    [result] = services.import_bytes(learner, data, source="upload", name="r.jwt")
    assert result.state == "refused" and "Not added" in result.message
    assert not WalletCredential.objects.exists()


def test_the_same_assertion_hosted_and_signed_is_one_entry(
    ana: Client, learner: Any, fixtures_offline: None
) -> None:
    hosted = (OB2 / "basic-assertion.json").read_bytes()
    assert services.import_bytes(learner, hosted, source="upload", name="a")[0].state == "added"
    signed = (OB2 / "simple.jwt").read_bytes()
    [again] = services.import_bytes(learner, signed, source="upload", name="s.jwt")
    assert again.state == "duplicate" and "Already in your wallet" in again.message
    listing = ana.get("/wallet").content.decode()
    for shown in ("Awesome Robotics Badge", "An Example Badge Issuer", "31 Dec 2016", "pill-valid"):
        assert shown in listing, shown


def test_a_vc_jwt_keeps_its_token(learner: Any, fixtures_offline: None) -> None:
    data = (OB3 / "simple-jwt.png").read_bytes()
    [result] = services.import_bytes(learner, data, source="upload", name="b.png")
    assert result.item is not None and result.item.format == "baked-png"
    assert bytes(result.item.original) == data  # the image with its JWT, for re-checks and export


def test_a_platform_credential_imports_by_paste_and_is_recognised_as_claimed(
    ana: Client, learner: Any, issue: Any, offline: Any
) -> None:
    offline()
    other = issue("someone.else@example.org")
    text = json.dumps(other.document)
    page = ana.post(
        "/wallet/import", {"method": "paste", "paste-text": text, "paste-if_failing": "refuse"}
    ).content.decode()
    assert "Added:" in page
    assert "This field is required" not in page  # the other two sections stay untouched
    item = WalletCredential.objects.get(owner=learner)
    assert item.verdict == "valid" and item.source == "paste"
    assert "Issued to someone else" in ana.get(f"/wallet/{item.pk}").content.decode()
    # One of Ana's own, claimed automatically, is already in the wallet: not stored twice.
    mine = issue(WORK)
    from microcred.delivery.services import claim_all_for_user

    claim_all_for_user(learner)
    again = services.import_bytes(
        learner, json.dumps(mine.document).encode(), source="paste", name="pasted text"
    )
    assert again[0].state == "duplicate" and "claimed on this platform" in again[0].message
    assert WalletCredential.objects.count() == 1


def test_duplicates_are_recognised_whatever_the_format(
    ana: Client, learner: Any, fixtures_offline: None
) -> None:
    assert "Added:" in _upload(ana, OB3 / "simple-json.png").content.decode()
    for path in (OB3 / "simple-json.png", OB3 / "simple-json.svg"):
        page = _upload(ana, path).content.decode()
        assert "Already in your wallet" in page
    assert WalletCredential.objects.filter(owner=learner).count() == 1


def test_credentials_without_an_id_are_deduplicated_by_content(learner: Any, offline: Any) -> None:
    offline()
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
    }
    data = json.dumps(document).encode()
    first = services.import_bytes(learner, data, source="paste", name="p", keep_failing=True)
    spaced = json.dumps(document, indent=4).encode()
    second = services.import_bytes(learner, spaced, source="paste", name="p", keep_failing=True)
    assert (first[0].state, second[0].state) == ("added", "duplicate")
    assert first[0].item is not None and first[0].item.dedupe_key.startswith("sha256:")


def test_the_same_credential_in_two_wallets_is_fine(
    learner: Any, other_learner: Any, fixtures_offline: None
) -> None:
    data = (OB3 / "simple.json").read_bytes()
    for owner in (learner, other_learner):
        assert services.import_bytes(owner, data, source="upload", name="s")[0].state == "added"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"name": "my shopping list", "items": ["milk"]}', "not a credential"),
        (b'{"type": "Person"}', "is none of VerifiableCredential"),
        (b"hello, world", "not a credential"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "not a credential"),
    ],
)
def test_non_credentials_are_refused_with_a_reason(
    ana: Client, learner: Any, content: bytes, message: str
) -> None:
    page = _upload(ana, "x.json", content).content.decode()
    assert "Not added:" in page and message in page, page[page.find("Result") :][:600]
    assert not WalletCredential.objects.exists()


def test_a_file_over_the_limit_is_refused_before_reading(
    ana: Client, learner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcred.wallet import forms

    monkeypatch.setattr(forms, "MAX_IMPORT_BYTES", 100)
    page = _upload(ana, "big.json", b"{" + b" " * 200 + b"}")
    assert page.status_code == 400 and "larger than" in page.content.decode()
    monkeypatch.setattr(verifying, "MAX_IMPORT_BYTES", 100)
    result = services.import_bytes(learner, b" " * 101, source="paste", name="p")
    assert result[0].state == "refused" and "larger than" in result[0].message
    assert not WalletCredential.objects.exists()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_imports_each_credential_and_refuses_the_rest(
    ana: Client, learner: Any, fixtures_offline: None
) -> None:
    data = _zip(
        {
            "a.json": (OB3 / "simple-eddsa-2022.json").read_bytes(),
            "b.svg": (OB3 / "simple-jwt.svg").read_bytes(),
            "c.json": (OB3 / "simple.json").read_bytes(),
            "notes.txt": b"not a credential",
            "revoked.json": (OB3 / "bit-string-list-credential-status-revoked.json").read_bytes(),
        }
    )
    page = _upload(ana, "bundle.zip", data).content.decode()
    assert page.count("Added:") == 2  # b.svg and c.json are one credential (same id)
    assert "Already in your wallet" in page and page.count("Not added:") == 2
    formats = WalletCredential.objects.filter(owner=learner).values_list("format", flat=True)
    assert sorted(formats) == ["baked-svg", "ob3-json"]


def test_zip_bombs_and_nested_archives_store_nothing(ana: Client, learner: Any) -> None:
    bomb = _zip({"bomb.json": b"{" + b" " * (60 * 1024 * 1024) + b"}"})
    nested = _zip({"inner.zip": _zip({"a.json": b"{}"})})
    for name, data in (("bomb.zip", bomb), ("nested.zip", nested)):
        page = _upload(ana, name, data).content.decode()
        assert "Not added:" in page, name
    assert not WalletCredential.objects.exists()


@pytest.mark.parametrize(
    ("addresses", "expected"),
    [
        (
            (HOME, "student@1edtech.edu"),
            "Issued to one of your verified addresses: student@1edtech.edu",
        ),
        ((HOME,), "Issued to someone else"),
    ],
)
def test_the_recipient_is_compared_with_the_verified_addresses(
    client: Client, fixtures_offline: None, addresses: tuple[str, ...], expected: str
) -> None:
    from microcred.wallet.tests.conftest import make_learner

    user = make_learner("carla", *addresses)
    client.force_login(user)
    [result] = services.import_bytes(
        user, (OB3 / "complete.json").read_bytes(), source="upload", name="c", keep_failing=True
    )
    assert result.item is not None
    assert expected in client.get(f"/wallet/{result.item.pk}").content.decode()


def test_a_hashed_recipient_matches_a_verified_work_address(
    ana: Client, learner: Any, issue: Any, offline: Any
) -> None:
    offline()
    credential = issue(WORK.upper())  # issued hashed, to Ana's work address as typed
    assert "hashed" in json.dumps(credential.document["credentialSubject"]["identifier"])
    [result] = services.import_bytes(
        learner, json.dumps(credential.document).encode(), source="paste", name="p"
    )
    assert result.item is not None
    page = ana.get(f"/wallet/{result.item.pk}").content.decode()
    assert f"Issued to one of your verified addresses: {WORK}" in page

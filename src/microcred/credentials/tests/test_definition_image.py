"""A definition's image: PNG/SVG uploads checked, stored in the database, served with safe
headers, and referenced (``image.id``) from the Achievement inside issued credentials.

SVG ``<script>`` is accepted on purpose: it is neutralised by the image URL's
``Content-Security-Policy: default-src 'none'`` (and never runs through ``<img>``).
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from microcred.core.verify.report import VerificationReport
from microcred.credentials import images, services
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.credentials.tests.conftest import fetch_json, path_of
from microcred.credentials.tests.test_provider_pages import DEFINITION, as_user, errors

Make = Callable[..., Any]
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def png(width: int = 16, height: int = 16) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_png_and_svg_are_stored_served_and_in_the_achievement(
    make_definition: Make, client: Client
) -> None:
    for slug, data, media_type in (("p", png(), "image/png"), ("s", SVG, "image/svg+xml")):
        definition = make_definition(slug, image=data)
        definition.refresh_from_db()
        assert (bytes(definition.image), definition.image_type) == (data, media_type)
        url = f"{fetch_json(client, _achievement_url(definition))['id']}/image"
        response = client.get(path_of(url))
        assert response.status_code == 200 and response.content == data
        assert response["Content-Type"] == media_type
        assert response["Cache-Control"] == "public, max-age=86400"
        assert response["X-Content-Type-Options"] == "nosniff"
        # An SVG keeps its own sandboxing policy; a PNG gets the site's (no framing, no scripts).
        policy = response["Content-Security-Policy"]
        assert policy == SVG_CSP if slug == "s" else "frame-ancestors 'none'" in policy
        achievement = fetch_json(client, _achievement_url(definition))
        caption = definition.name
        assert achievement["image"] == {"id": url, "type": "Image", "caption": caption}


def _achievement_url(definition: Definition) -> str:
    return f"/achievements/uni/{definition.slug}/v{definition.version}"


def test_no_image_no_image_url(definition: Definition, client: Client) -> None:
    assert "image" not in fetch_json(client, _achievement_url(definition))
    assert client.get(_achievement_url(definition) + "/image").status_code == 404


def test_issued_credential_carries_the_image_and_verifies(
    make_definition: Make,
    staff: dict[str, Any],
    verify: Callable[[dict[str, Any]], VerificationReport],
    client: Client,
) -> None:
    definition = make_definition(image=png())
    issued = services.issue_credential(
        actor=staff["issuer"], definition=definition, recipient_email="ana@example.com"
    )
    image = issued.document["credentialSubject"]["achievement"]["image"]
    assert image["id"].endswith("/achievements/uni/data-101/v1/image")
    assert client.get(path_of(image["id"])).content == png()
    report = verify(issued.document)
    assert report.verified, report.to_json()
    # Changing the image after issuing makes version 2; v1 (and its image) stays.
    new = services.update_definition(actor=staff["owner"], definition=definition, image=SVG)
    assert (new.version, new.image_type) == (2, "image/svg+xml")
    assert client.get(path_of(image["id"])).content == png()
    # Another edit keeps the image of the version it copies.
    services.issue_credential(actor=staff["issuer"], definition=new, recipient_did="did:example:x")
    third = services.update_definition(actor=staff["owner"], definition=new, name="Renamed")
    assert (third.version, bytes(third.image), third.image_type) == (3, SVG, "image/svg+xml")
    removed = services.update_definition(actor=staff["owner"], definition=third, image=None)
    assert (bytes(removed.image), removed.image_type) == (b"", "")


def _bad_crc(data: bytes) -> bytes:
    # Flip a byte inside the IHDR chunk's data: its CRC no longer matches.
    return data[:20] + bytes([data[20] ^ 0xFF]) + data[21:]


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _huge_png() -> bytes:
    # A valid header claiming 4096x16 pixels (size checked before decoding).
    ihdr = struct.pack(">IIBBBBB", 4096, 16, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"".join(b"\x00" + b"\x00" * 4096 * 3 for _ in range(16)))
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"""
BAD_IMAGES = {
    "too large": (SVG[:-6] + b"<!--" + b"x" * images.MAX_BYTES + b"-->" + b"</svg>", "512 KiB"),
    "too many pixels": (_huge_png(), "4096x16 pixels, over the 2048x2048 limit"),
    "not an image": (b"%PDF-1.7 hello", "not a PNG or SVG image"),
    "bad CRC": (_bad_crc(png()), "not a valid PNG image"),
    "truncated": (png()[:-30], "not a valid PNG image"),
    "XML, not SVG": (b"<html><body/></html>", "root element is 'html', not <svg>"),
    "billion laughs": (LAUGHS, "entity declaration 'a' refused"),
    "external entity": (EXTERNAL, "external entity 'x' refused"),
    "empty": (b"", "no image"),
}


@pytest.mark.parametrize("problem", sorted(BAD_IMAGES))
def test_bad_images_are_refused(problem: str) -> None:
    data, message = BAD_IMAGES[problem]
    if not data:  # no bytes means "no image" to the services; the check itself refuses it
        with pytest.raises(ValidationError, match="empty"):
            images.validate_image(data)
        return
    with pytest.raises(ValidationError) as caught:
        images.validate_image(data)
    assert list(caught.value.message_dict) == ["image"]
    assert message in caught.value.message_dict["image"][0]


def test_the_services_refuse_a_bad_image(make_definition: Make, staff: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        make_definition("bad", image=_bad_crc(png()))
    assert "not a valid PNG image" in caught.value.message_dict["image"][0]
    assert not Definition.objects.filter(slug="bad").exists()
    definition = make_definition("good", publish=False)
    with pytest.raises(ValidationError, match="external entity"):
        services.update_definition(actor=staff["owner"], definition=definition, image=EXTERNAL)
    definition.refresh_from_db()
    assert bytes(definition.image) == b""


def test_an_svg_script_is_accepted_but_served_under_a_csp(
    make_definition: Make, client: Client
) -> None:
    scripted = SVG[:-6] + b"<script>alert(1)</script></svg>"
    make_definition("scripted", image=scripted)
    response = client.get("/achievements/uni/scripted/v1/image")
    assert response["Content-Security-Policy"] == SVG_CSP
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_form_uploads_and_shows_a_bad_file_next_to_the_field(
    provider: Any, staff: dict[str, Any]
) -> None:
    owner = as_user(staff["owner"])
    page = owner.get("/providers/uni/definitions/new").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input type="file" name="image" accept="image/png,image/svg\+xml"', page)
    upload = SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml")
    response = owner.post("/providers/uni/definitions/new", DEFINITION | {"image": upload})
    assert response.status_code == 302, errors(response)
    saved = Definition.objects.get(provider=provider, slug="sql-basics")
    assert (bytes(saved.image), saved.image_type) == (SVG, "image/svg+xml")
    # Editing without a file keeps the image; a bad file is shown on the image field.
    edit = "/providers/uni/definitions/sql-basics/edit"
    fields = {k: v for k, v in DEFINITION.items() if k != "slug"}
    assert owner.post(edit, fields | {"name": "SQL"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.name, bytes(saved.image)) == ("SQL", SVG)
    bad = SimpleUploadedFile("logo.png", _bad_crc(png()), content_type="image/png")
    response = owner.post(edit, fields | {"image": bad})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="id_image_error"><li>not a valid PNG image', page)
    # Removing it.
    assert owner.post(edit, fields | {"remove_image": "on"}).status_code == 302
    saved.refresh_from_db()
    assert (bytes(saved.image), saved.image_type) == (b"", "")

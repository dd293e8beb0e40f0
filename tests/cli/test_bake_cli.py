"""`microcred bake` / `unbake`: round trips through files, and one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import typer
from PIL import Image
from typer.testing import CliRunner

from microcred.cli.baking import bake, unbake
from tests.conftest import EXAMPLES

app = typer.Typer()
app.command("bake")(bake)
app.command("unbake")(unbake)
runner = CliRunner()
CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1"}
JWT = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZToxIn0.c2lnbmF0dXJl"


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    cred = tmp_path / "cred.json"
    cred.write_text(json.dumps(CREDENTIAL, indent=2))
    png = tmp_path / "badge.png"
    buffer = io.BytesIO()
    Image.new("RGBA", (6, 6), (0, 90, 200, 255)).save(buffer, "PNG")
    png.write_bytes(buffer.getvalue())
    svg = tmp_path / "badge.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>')
    return cred, png, svg


def test_bake_and_unbake_png_and_svg(tmp_path: Path) -> None:
    cred, png, svg = _files(tmp_path)
    for image in (png, svg):
        out = tmp_path / f"baked{image.suffix}"
        result = runner.invoke(app, ["bake", str(cred), "--image", str(image), "--out", str(out)])
        assert result.exit_code == 0, result.output
        shown = runner.invoke(app, ["unbake", str(out)])
        assert shown.exit_code == 0
        assert json.loads(shown.stdout) == CREDENTIAL
        assert "ob3 json" in shown.stderr


def test_bake_jwt_then_rebake(tmp_path: Path) -> None:
    cred, png, _ = _files(tmp_path)
    jwt = tmp_path / "cred.jwt"
    jwt.write_text(JWT + "\n")
    out = tmp_path / "baked.png"
    assert (
        runner.invoke(app, ["bake", str(cred), "--image", str(png), "--out", str(out)]).exit_code
        == 0
    )
    assert (
        runner.invoke(app, ["bake", str(jwt), "--image", str(out), "--out", str(out)]).exit_code
        == 0
    )
    assert runner.invoke(app, ["unbake", str(out)]).stdout.strip() == JWT


def test_unbake_fixture(tmp_path: Path) -> None:
    result = runner.invoke(app, ["unbake", str(EXAMPLES / "ob_v3p0/validator/simple-jwt.svg")])
    assert result.exit_code == 0 and result.stdout.startswith("eyJ")


def test_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    cred, png, _ = _files(tmp_path)
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(png.read_bytes()[:30])
    result = runner.invoke(app, ["unbake", str(truncated)])
    assert result.exit_code == 2
    assert "truncated PNG" in result.stderr and str(truncated) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    out = str(tmp_path / "o.png")
    result = runner.invoke(app, ["bake", str(broken), "--image", str(png), "--out", out])
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
    result = runner.invoke(app, ["bake", str(cred), "--image", str(cred), "--out", out])
    assert result.exit_code == 2 and "not a PNG or SVG" in result.stderr
    result = runner.invoke(app, ["unbake", str(png)])
    assert result.exit_code == 2 and "no Open Badges credential" in result.stderr
    assert not Path(out).exists()

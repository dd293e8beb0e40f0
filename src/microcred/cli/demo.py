"""`make demo`: a walk-through of the credential engine with the real `microcred` commands.

Create a provider key, write a sample EU micro-credential with a revocation entry, sign it,
bake it into a PNG, verify it, revoke it, verify again. The status list is served on
127.0.0.1 so the verifier fetches it over HTTP exactly as it would from an issuer's site.
"""

from __future__ import annotations

import functools
import io
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

console = Console(highlight=False, emoji=False)
OUT = Path("demo-output")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free loopback port, like an issuer's web site would."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def badge_png() -> bytes:
    """A plain round badge image to bake the credential into."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 248, 248), fill=(24, 90, 157), outline=(240, 180, 40), width=10)
    label = "SQL  EQF 6"
    left, top, right, bottom = draw.textbbox((0, 0), label)
    draw.text(((256 - right + left) / 2, (256 - bottom + top) / 2), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def run(step: str, *args: str, expect: int = 0) -> str:
    """Run one `microcred` command, show it and its output, and stop if it misbehaves."""
    console.print(Rule(step, align="left"))
    console.print(f"[bold cyan]$ microcred {shlex.join(args)}[/bold cyan]")
    done = subprocess.run(
        [sys.executable, "-m", "microcred", *args], capture_output=True, text=True, check=False
    )
    console.print(done.stdout.rstrip() or "", markup=False, soft_wrap=True)
    if done.stderr.strip():
        console.print(done.stderr.rstrip(), style="yellow", markup=False)
    if done.returncode != expect:
        console.print(f"[red]exit code {done.returncode}, expected {expect}: demo stopped[/red]")
        raise SystemExit(1)
    console.print(f"[dim](exit code {done.returncode})[/dim]")
    return done.stdout.strip()


def walkthrough(base: str) -> None:
    key, cred, status_file = OUT / "provider-key.json", OUT / "credential.json", OUT / "status.json"
    public_list = OUT / "public" / "status" / "1"
    did = run(
        "1. A provider creates its signing key (did:key)",
        "keys",
        "new",
        "--out",
        str(key),
        "--force",
    )
    run(
        "2. ...and a revocation list, published at its URL",
        "status",
        "new",
        "--url",
        f"{base}/status/1",
        "--out",
        str(status_file),
    )
    run(
        "3. Write a micro-credential for a learner (unsigned, with a status entry)",
        "credential",
        "sample",
        "--issuer",
        did,
        "--recipient-email",
        "ana.andromeda@example.com",
        "--status-list",
        str(status_file),
        "--out",
        str(OUT / "credential.unsigned.json"),
    )
    run(
        "4. Sign it (eddsa-rdfc-2022, as Open Badges 3.0 conformance requires)",
        "sign",
        str(OUT / "credential.unsigned.json"),
        "--key",
        str(key),
        "--out",
        str(cred),
    )
    publish = ("status", "publish", str(status_file), "--key", str(key), "--out", str(public_list))
    run("5. Sign and publish the status list", *publish)
    (OUT / "badge.png").write_bytes(badge_png())
    run(
        "6. Bake the credential into the badge image",
        "bake",
        str(cred),
        "--image",
        str(OUT / "badge.png"),
        "--out",
        str(OUT / "badge-baked.png"),
    )
    run(
        "7. Anyone verifies the baked badge",
        "verify",
        str(OUT / "badge-baked.png"),
        "--allow-private-network",
    )
    index = _status_index(cred)
    run("8. The provider revokes the credential", "status", "revoke", str(status_file), index)
    run("9. ...and republishes the list", *publish)
    run(
        "10. Verify again: now revoked",
        "verify",
        str(OUT / "badge-baked.png"),
        "--allow-private-network",
        expect=1,
    )
    run(
        "11. The same report as JSON, for tools",
        "verify",
        str(cred),
        "--json",
        "--allow-private-network",
        expect=1,
    )


def _status_index(credential: Path) -> str:
    import json

    entry = json.loads(credential.read_text(encoding="utf-8"))["credentialStatus"]
    return str(entry["statusListIndex"])


def main() -> None:
    (OUT / "public" / "status").mkdir(parents=True, exist_ok=True)
    console.print("[bold]microcred walk-through[/bold]: files go to ./demo-output\n")
    with serve_directory(OUT / "public") as base:
        walkthrough(base)
    console.print(Rule())
    console.print(
        "Done. Everything the demo wrote is in ./demo-output; try "
        "`.venv/bin/microcred verify demo-output/credential.json --allow-private-network`"
        " while nothing serves the list, and see how an unreachable list is reported."
    )


if __name__ == "__main__":
    main()

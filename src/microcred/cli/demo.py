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


def platform(port: int, *, serve: bool = True) -> None:
    """Migrate, seed the demo data and serve the web app (with a background worker)."""
    run("12. The platform: create or upgrade its database (SQLite in ./var)", "db", "upgrade")
    seeded = run("13. Demo providers, micro-credentials, learners and credentials", "seed-demo")
    ids = dict(line.split(": ", 1) for line in seeded.splitlines() if ": " in line)
    base = f"http://127.0.0.1:{port}"
    console.print(Rule("The web app"))
    for label, path in [
        ("home", "/"),
        ("sign in", "/accounts/login/"),
        ("operator admin", "/admin/"),
        ("a valid credential", "/credentials/" + _uuid(ids["a valid credential"])),
        ("a revoked credential", "/credentials/" + _uuid(ids["a revoked credential"])),
        ("verification portal", "/verify"),
        ("a learner's wallet", "/wallet  (sign in as ana.andromeda@example.com)"),
        ("an employer's role", "/employers/acme-analytics/  (employer@demo.microcred.test)"),
        ("provider API docs", "/api/v1/docs"),
    ]:
        console.print(f"  {label:<22} {base}{path}")
    console.print(
        "  logins: the accounts above, password [bold]microcred-demo[/bold]. Ctrl-C stops."
    )
    if not serve:
        return
    worker = subprocess.Popen([sys.executable, "-m", "microcred", "worker"])
    try:
        subprocess.run(
            [sys.executable, "-m", "microcred", "serve", "--port", str(port)], check=False
        )
    except KeyboardInterrupt:
        pass
    finally:
        worker.terminate()


def _uuid(credential_id: str) -> str:
    return credential_id.removeprefix("urn:uuid:")


def main() -> None:
    (OUT / "public" / "status").mkdir(parents=True, exist_ok=True)
    console.print("[bold]microcred walk-through[/bold]: files go to ./demo-output\n")
    with serve_directory(OUT / "public") as base:
        walkthrough(base)
    console.print(Rule())
    console.print("The engine walk-through is done (files in ./demo-output). Now the platform.")
    platform(port=8000, serve="--no-serve" not in sys.argv)


if __name__ == "__main__":
    main()

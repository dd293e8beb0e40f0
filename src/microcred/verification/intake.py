"""What a verifier hands the portal, as named items: uploaded files, pasted JSON or JWTs,
and URLs one per line. Plain Python (no Django): the page and the API both use it.

Every problem names where it is (the file, the URL, the line), and limits are checked
before anything is verified, so an oversized request does no work at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from microcred.verification.conf import size_text

MAX_URL = 2000


@dataclass(frozen=True)
class Item:
    """One input: its bytes, or (``url`` set) where to fetch them."""

    name: str
    data: bytes = b""
    url: str | None = None


class IntakeError(Exception):
    """The request cannot be verified as it is; ``messages`` say why, naming the input."""

    def __init__(self, messages: list[str], *, status: int = 400) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages
        self.status = status


def file_items(files: list[tuple[str, bytes]]) -> list[Item]:
    return [Item(f"file {name}", data) for name, data in files]


def _array_items(text: str) -> list[Item]:
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IntakeError(
            [f"pasted text: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from None
    items = []
    for number, value in enumerate(values, start=1):
        if isinstance(value, dict):
            items.append(Item(f"pasted item {number}", json.dumps(value).encode()))
        elif isinstance(value, str):
            items.append(Item(f"pasted item {number}", value.encode()))
        else:
            raise IntakeError([f"pasted item {number}: expected a JSON object or a JWT string"])
    return items


def pasted_items(text: str) -> list[Item]:
    """A JSON array of credentials, one JSON document, or JWTs one per line."""
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("["):
        return _array_items(stripped)
    if stripped.startswith("{"):
        # One document; if it does not parse, the report names the line and column.
        return [Item("pasted JSON", stripped.encode())]
    return [
        Item(f"pasted line {number}", line.strip().encode())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def url_error(url: str) -> str | None:
    if len(url) > MAX_URL:
        return f"longer than {MAX_URL} characters"
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "not an http(s) URL"
    return None


def url_items(text: str) -> list[Item]:
    """URLs one per line; every malformed line is named at once."""
    items, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if not url:
            continue
        problem = url_error(url)
        if problem:
            problems.append(f"URL line {number} ({url[:80]}): {problem}")
        items.append(Item(f"URL line {number}: {url}", url=url))
    if problems:
        raise IntakeError(problems)
    return items


def api_items(credentials: list[Any]) -> list[Item]:
    """The API's ``credentials`` array: each entry a JSON object or a JWT (or URL) string."""
    items = []
    for number, value in enumerate(credentials):
        name = f"credentials[{number}]"
        if isinstance(value, dict):
            items.append(Item(name, json.dumps(value).encode()))
        elif isinstance(value, str) and value.strip().startswith(("https://", "http://")):
            url = value.strip()
            problem = url_error(url)
            if problem:
                raise IntakeError([f"{name} ({url[:80]}): {problem}"])
            items.append(Item(f"{name}: {url}", url=url))
        else:
            items.append(Item(name, str(value).encode()))
    return items


def check_count(items: list[Item], limit: int, *, where: str = "one request") -> None:
    if not items:
        raise IntakeError(["nothing to verify: add files, paste a credential or give URLs"])
    if len(items) > limit:
        raise IntakeError(
            [f"{len(items)} inputs: at most {limit} can be verified in {where}"], status=413
        )


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise IntakeError(
            [f"the request is {size_text(size)}: at most {size_text(limit)} in total"],
            status=413,
        )

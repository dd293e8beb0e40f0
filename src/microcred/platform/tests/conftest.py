"""A real browser for page tests: Playwright driving Debian's chromium (never a downloaded one)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

CHROMIUM = os.environ.get("MICROCRED_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).resolve().parents[4] / "build" / "screenshots"


@pytest.fixture
def page(live_server: object) -> Iterator[object]:
    """A fresh browser page; Django's live server runs in this process, so the ORM is used
    from Playwright's event-loop thread (allowed explicitly, for tests only)."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail("chromium is missing: `apt-get install -y $(grep -v '^#' apt-packages.txt)`")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def screenshot(page: object, name: str) -> Path:
    """Save a screenshot under build/screenshots/ (looked at by people, not asserted)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """Providers A and B with staff, data and tokens (``access_world``), built once per
    module inside a transaction that is rolled back after it; each test's own transaction
    is a savepoint inside, so what one test writes is gone for the next."""
    from microcred.platform.tests.access_world import build

    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)

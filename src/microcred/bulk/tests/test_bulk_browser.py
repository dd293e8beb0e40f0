"""Issue 3: "a 10,000-row file works through the web page", in a real browser (Debian
chromium via Playwright): upload, the checked file's summary, start, a worker issuing in
the background while the progress page updates itself (with and without JavaScript), done."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Error as PlaywrightError

from microcred.bulk import running
from microcred.bulk.models import BulkJob
from microcred.bulk.tests.conftest import learners_csv
from microcred.credentials.models import IssuedCredential
from microcred.credentials.tests.test_provider_pages_browser import sign_in
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
    pytest.mark.slow,
]
ROWS = 10_000
PROGRESS = re.compile(r"([\d,]+) of 10,000 rows processed")


@contextmanager
def background_worker(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Start (by calling the result) a django-tasks database worker in a thread, as
    `microcred worker` runs beside `microcred serve`; yields (start, lock).

    pytest-django's SQLite test database is in memory, and the live server's threads share
    the test's connection to it. The worker shares it too, so the server (per request),
    the worker (per chunk of rows) and the test (per query) take turns with one lock. On
    PostgreSQL each thread has its own connection and the lock only slows things a little.
    """
    lock = threading.Lock()
    shared = dict(live_server.thread.connections_override)
    httpd = live_server.thread.httpd
    app = httpd.get_app()

    def one_at_a_time(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with lock:
            return app(environ, start_response)

    process = running._process

    def taking_turns(*args: Any) -> None:
        lock.release()
        time.sleep(0.01)  # a waiting request gets its turn between two chunks
        lock.acquire()
        process(*args)

    monkeypatch.setattr(running, "_process", taking_turns)
    stop, errors = threading.Event(), []

    def work() -> None:
        for alias, connection in shared.items():
            connections[alias] = connection
        try:
            while not stop.is_set():
                with lock:
                    Worker(
                        queue_names=["default"],
                        excluded_queue_names=[],
                        interval=0,
                        batch=True,
                        backend_name="default",
                        startup_delay=False,
                        max_tasks=1,
                        worker_id="browser-test",
                    ).run()
                stop.wait(0.2)
        except BaseException as error:  # reported below: the thread's failure fails the test
            errors.append(error)
        finally:
            if not shared:
                connections.close_all()

    thread = threading.Thread(target=work, daemon=True)
    httpd.set_app(one_at_a_time)
    try:
        yield thread.start, lock
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(timeout=120)
        httpd.set_app(app)
    assert errors == []


def _progress(tab: Any) -> int | None:
    """The rows processed as the page shows them now; None while it reloads itself."""
    try:
        text = tab.locator("main").inner_text(timeout=2_000)
    except PlaywrightError:  # the document went away under the reading
        return None
    found = PROGRESS.search(text)
    return int(found[1].replace(",", "")) if found else None


def _watch(tabs: dict[str, Any]) -> dict[str, list[int]]:
    """The progress each tab showed (distinct values, in order) until all rows were done;
    a screenshot of the first one part-way through."""
    seen: dict[str, list[int]] = {name: [] for name in tabs}
    deadline, shot = time.monotonic() + 600, False
    while time.monotonic() < deadline:
        for name, tab in tabs.items():
            done = _progress(tab)
            if done is not None and (not seen[name] or seen[name][-1] != done):
                seen[name].append(done)
            if done is not None and 0 < done < ROWS and not shot:
                shutil.copy(screenshot(tab, "provider-bulk-10k-progress"), "/tmp/")
                shot = True
        if all(values and values[-1] == ROWS for values in seen.values()):
            break
        next(iter(tabs.values())).wait_for_timeout(300)
    return seen


def test_a_10000_row_file_through_the_web_page(
    page: Any,  # noqa: F811
    live_server: Any,
    definition: Any,
    staff: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = learners_csv(ROWS)
    sign_in(page, live_server, staff["issuer"])
    page.goto(f"{live_server.url}/providers/uni/definitions/{definition.slug}/bulk")
    upload = {"name": "cohort-10k.csv", "mimeType": "text/csv", "buffer": content}
    page.get_by_label("CSV file:").set_input_files(files=[upload])
    with background_worker(live_server, monkeypatch) as (start_worker, lock):
        page.get_by_role("button", name="Check the file").click()
        page.get_by_role("heading", name="10,000 rows ready").wait_for(timeout=60_000)
        assert "The file was checked: no errors." in page.locator("main").inner_text()
        screenshot(page, "provider-bulk-10k-ready")
        with lock:
            job = BulkJob.objects.get()
            assert (job.total, job.state, IssuedCredential.objects.count()) == (
                ROWS,
                "validated",
                0,
            )
        page.get_by_role("button", name="Issue 10,000 credentials").click()
        page.get_by_role("heading", name="Waiting for a worker").wait_for()
        assert page.locator('meta[http-equiv="refresh"]').count() == 1
        # The same page without JavaScript: the meta refresh alone must show progress.
        no_js = page.context.browser.new_context(java_script_enabled=False).new_page()
        sign_in(no_js, live_server, staff["issuer"])
        no_js.goto(page.url)
        start_worker()
        seen = _watch({"js": page, "no-js": no_js})
        assert page.get_by_role("heading", level=2).first.inner_text() == "Done: 10,000 issued"
        assert no_js.get_by_role("heading", level=2).first.inner_text() == "Done: 10,000 issued"
        screenshot(page, "provider-bulk-10k-done")
        no_js.context.close()
    for name, values in seen.items():
        # Each page showed the job part-way through, never going backwards, up to all rows.
        assert any(0 < value < ROWS for value in values), (name, values)
        assert values == sorted(values) and values[-1] == ROWS, (name, values)
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert "10,000 of 10,000 rows processed (100%)" in page.locator("main").inner_text()
    job.refresh_from_db()
    assert (job.state, job.issued, job.skipped, job.failed) == ("done", ROWS, 0, 0)
    assert IssuedCredential.objects.filter(definition=definition).count() == ROWS

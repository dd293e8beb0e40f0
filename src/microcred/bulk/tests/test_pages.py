"""The bulk job page: what a provider sees before starting a job and while it waits."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.bulk import services
from microcred.bulk.models import BulkJob
from microcred.bulk.tests.conftest import learners_csv


def _upload(client: Client, content: bytes) -> str:
    upload = SimpleUploadedFile("cohort.csv", content, content_type="text/csv")
    response = client.post("/providers/uni/definitions/data-101/bulk", {"csv": upload})
    return str(response["Location"])


def test_rows_issued_before_are_announced_and_a_started_job_waits_for_a_worker(
    definition: Any, staff: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(staff["issuer"])
    first = BulkJob.objects.get(pk=_upload(client, learners_csv(3)).rsplit("/", 1)[1])
    services.run_job(first.pk)
    # The same three learners and two new ones: three will be skipped.
    url = _upload(client, learners_csv(5))
    page = client.get(url).content.decode()
    assert "5 rows ready" in page
    assert "3 of these rows were issued before (same idempotency key)" in page
    assert 'http-equiv="refresh"' not in page
    client.post(f"{url}/start")  # the database queue: no worker runs in this test
    waiting = client.get(url).content.decode()
    assert "Waiting for a worker…" in waiting and "0 of 5 rows processed (0%)" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "microcred worker" in waiting

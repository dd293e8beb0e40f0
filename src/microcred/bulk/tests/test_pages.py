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


def test_a_stopped_job_is_resumed_from_its_page_and_a_done_job_is_not_queued_again(
    definition: Any, staff: dict[str, Any]
) -> None:
    from django_tasks_db.models import DBTaskResult

    client = Client()
    client.force_login(staff["issuer"])
    url = _upload(client, learners_csv(4))
    job = BulkJob.objects.get(pk=url.rsplit("/", 1)[1])
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.FAILED, error="stopped: killed")
    stopped = client.get(url).content.decode()
    assert "Stopped" in stopped and "Resume: issue the 4 pending rows" in stopped
    client.post(f"{url}/start")
    job.refresh_from_db()
    assert (
        job.state == BulkJob.State.QUEUED
        and DBTaskResult.objects.filter(task_path__endswith="run_bulk_job").count() == 1
    )
    assert "Queue the job again" in client.get(url).content.decode()  # while it waits
    services.run_job(job.pk)
    done = client.get(url).content.decode()
    assert "Done: 4 issued" in done and "Queue the job again" not in done
    client.post(f"{url}/start")
    assert (
        DBTaskResult.objects.filter(task_path__endswith="run_bulk_job").count() == 1
    )  # a done job is not queued again

"""Background jobs of bulk issuing (django-tasks; run by ``microcred worker``)."""

from __future__ import annotations

from django_tasks import task

from microcred.bulk import services


@task()
def run_bulk_job(job_id: int) -> dict[str, int]:
    """Issue a bulk job's pending rows (resumes a job that was stopped mid-run)."""
    job = services.run_job(job_id)
    return {"issued": job.issued, "skipped": job.skipped, "failed": job.failed, "total": job.total}

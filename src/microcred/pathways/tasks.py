"""Background jobs of pathways (django-tasks; run by ``microcred worker``)."""

from __future__ import annotations

from django_tasks import task

from microcred.pathways import jobs


@task()
def reevaluate_pathway(pathway_id: int) -> dict[str, int]:
    """Re-evaluate every learner against one pathway (after it was published or changed)."""
    return jobs.reevaluate_all(pathway_id)


@task()
def refresh_expired_pathways() -> dict[str, int]:
    """Re-evaluate the learners whose counted credentials expired (schedule it daily)."""
    return {"learners": jobs.refresh_expired()}

"""A bulk-issuing job and its rows. Plain data: every state change lives in ``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BulkJob(models.Model):
    """One CSV file issued from one definition version by one staff member."""

    class State(models.TextChoices):
        VALIDATED = "validated", "Validated"
        QUEUED = "queued", "Queued"  # started, waiting for a worker
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="bulk_jobs"
    )
    definition = models.ForeignKey(
        "credentials.MicroCredentialDefinition", on_delete=models.PROTECT, related_name="bulk_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bulk_jobs"
    )
    filename = models.CharField(max_length=255)
    state = models.CharField(max_length=16, choices=State.choices, default=State.VALIDATED)
    error = models.TextField(blank=True)  # why the job failed as a whole
    total = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"bulk job {self.pk} ({self.state}, {self.issued}/{self.total} issued)"

    @property
    def pending(self) -> int:
        return self.total - self.issued - self.skipped - self.failed


class BulkRow(models.Model):
    """One data row of the file, with what became of it."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ISSUED = "issued", "Issued"
        SKIPPED = "skipped", "Skipped (issued before)"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    data = models.JSONField()
    idempotency_key = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    # Set before issue_credential is called: a key that exists afterwards is this job's own.
    attempted = models.BooleanField(default=False)
    # Who is working on the row (a worker id) and until when: see services.claim_rows.
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    credential = models.ForeignKey(
        "credentials.IssuedCredential",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("job_id", "line")
        constraints = (models.UniqueConstraint(fields=["job", "line"], name="bulk_row_line"),)
        indexes = (models.Index(fields=["job", "state", "line"], name="bulk_row_state"),)

    def __str__(self) -> str:
        return f"line {self.line} of job {self.job_id} ({self.state})"

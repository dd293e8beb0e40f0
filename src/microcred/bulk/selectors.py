"""The bulk app's reads: jobs a staff member may see, their rows, the CLI's lookups."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet

from microcred.bulk.models import BulkJob, BulkRow
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.providers.models import Membership, Provider
from microcred.providers.services import User, require_role

STAFF = tuple(Membership.Role.values)


def jobs_of(provider: Provider) -> QuerySet[BulkJob]:
    return BulkJob.objects.filter(provider=provider).select_related("definition", "created_by")


def job_for(user: User, job_id: int) -> BulkJob:
    """A job, if ``user`` is staff (any role) of its provider; else PermissionDenied."""
    try:
        job = BulkJob.objects.select_related("provider", "definition").get(pk=job_id)
    except BulkJob.DoesNotExist:
        raise ValidationError({"job": f"no bulk job {job_id}"}) from None
    require_role(user, job.provider, STAFF)
    return job


def failed_rows(job: BulkJob) -> QuerySet[BulkRow]:
    return job.rows.filter(state=BulkRow.State.FAILED).order_by("line")


def already_issued(job: BulkJob) -> int:
    """How many of a job's pending rows have a key the provider already issued under
    (the run will skip them); one query."""
    issued = IssuedCredential.objects.filter(provider_id=job.provider_id)
    keys = issued.values("idempotency_key")
    return job.rows.filter(state=BulkRow.State.PENDING, idempotency_key__in=keys).count()


def user_by_email(email: str) -> AbstractBaseUser:
    """The one active user with this email address (case-insensitive)."""
    users = list(get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)[:2])
    if len(users) != 1:
        problem = "no active user" if not users else "more than one user"
        raise ValidationError({"as": f"{problem} with the email address {email!r}"})
    return users[0]


def definition_for(
    provider_slug: str, slug: str, version: int | None = None
) -> MicroCredentialDefinition:
    """A definition version of a provider; without ``version`` the newest published one."""
    query = MicroCredentialDefinition.objects.select_related("provider").filter(
        provider__slug=provider_slug, slug=slug
    )
    if not Provider.objects.filter(slug=provider_slug).exists():
        raise ValidationError({"provider": f"no provider {provider_slug!r}"})
    try:
        if version is not None:
            return query.get(version=version)
        return query.filter(status=MicroCredentialDefinition.Status.PUBLISHED).latest("version")
    except ObjectDoesNotExist:
        which = f"v{version}" if version is not None else "a published version"
        message = f"{provider_slug!r} has no micro-credential {slug!r} ({which})"
        raise ValidationError({"definition": message}) from None

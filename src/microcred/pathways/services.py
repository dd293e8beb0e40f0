"""Writes of the pathways app: authoring (save, publish, archive) and the re-evaluation job.

Authoring rule: the source text (YAML or JSON) is parsed and validated by
``microcred.core.pathways`` before anything is stored; every problem names its place
(``requirement.all[2].achievement``, or a line of the file) and nothing is half-written.
A draft is edited in place; saving a published pathway makes version + 1, a draft, so the
version learners were evaluated against stays as it was until the new one is published.
Publishing makes (or reuses) the stacked credential's definition and queues the full
re-evaluation of every learner as a background job.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from microcred.core.errors import InputError
from microcred.core.pathways import Pathway, mentions, parse_pathway, validate_pathway
from microcred.credentials import definitions
from microcred.credentials.models import MicroCredentialDefinition
from microcred.pathways import selectors
from microcred.pathways.models import PathwayDefinition
from microcred.providers.models import Membership, Provider
from microcred.providers.services import User, record_event, require_role

EDITORS = (Membership.Role.OWNER, Membership.Role.ISSUER)
MAX_SOURCE = 200_000  # characters; a pathway is a page of YAML, not a data set
Status = PathwayDefinition.Status
Definition = MicroCredentialDefinition


def _format_of(source: str) -> str:
    return "json" if source.lstrip().startswith(("{", "[")) else "yaml"


def problem_text(message: str, where: str | None) -> str:
    return f"{where}: {message}" if where else message


def check_source(source: str) -> Pathway:
    """Parse and validate ``source``; raise ``ValidationError({"source": [...]})`` naming
    every problem's place. Achievement ids are checked against what this platform publishes
    only when they are its own (external achievements are known to their issuers alone)."""
    source = source or ""
    if not source.strip():
        raise ValidationError({"source": ["the pathway is empty: paste its YAML or JSON"]})
    if len(source) > MAX_SOURCE:
        raise ValidationError({"source": [f"the pathway is longer than {MAX_SOURCE} characters"]})
    try:
        pathway = parse_pathway(source)
    except InputError as exc:
        raise ValidationError({"source": [problem_text(exc.message, exc.where)]}) from None
    problems = validate_pathway(
        pathway,
        known_achievements=selectors.known_achievements(pathway),
        achievement_credits=selectors.credit_table(),
    )
    if problems:
        texts = [problem_text(p.message, getattr(p, "where", None)) for p in problems]
        raise ValidationError({"source": texts})
    return pathway


def _slug(pathway: Pathway, slug: str | None) -> str:
    value = (slug or "").strip().lower() or slugify(re.split(r"[/:#]", pathway.id)[-1])
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", value):
        raise ValidationError({"slug": f"{value!r} is not a slug (a-z, 0-9 and -)"})
    return value


@transaction.atomic
def save_pathway(
    *, actor: User, provider: Provider, source: str, slug: str | None = None
) -> PathwayDefinition:
    """Store a valid pathway as a draft (see the module note for versions)."""
    require_role(actor, provider, EDITORS)
    pathway = check_source(source)
    slug = _slug(pathway, slug)
    latest = (
        PathwayDefinition.objects.select_for_update()
        .filter(provider=provider, slug=slug)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.status == Status.DRAFT:
        row = latest
    else:
        version = latest.version + 1 if latest is not None else 1
        award = latest.award_definition if latest is not None else None
        row = PathwayDefinition(provider=provider, slug=slug, version=version)
        row.award_definition = award
    _fill(row, pathway, source)
    row.save()
    record_event(action="pathway.saved", actor=actor, provider=provider, subject=_subject(row))
    return row


def _fill(row: PathwayDefinition, pathway: Pathway, source: str) -> None:
    row.name = pathway.name[:200]
    row.description = pathway.description or ""
    row.source = source
    row.source_format = _format_of(source)
    row.parsed = _as_json(source)
    found = mentions(pathway)
    row.mentions = {
        "achievements": sorted(found.achievement_ids),
        "skills": sorted(found.skills),
        "any": found.any_credential,
    }


def _as_json(source: str) -> dict[str, Any]:
    """The source as data (JSON is YAML), which ``parse_pathway`` reads back without the text."""
    loaded = yaml.safe_load(source)
    return dict(loaded) if isinstance(loaded, dict) else {}


def _subject(row: PathwayDefinition) -> str:
    return f"pathway {row.provider.slug}/{row.slug} v{row.version}"


@transaction.atomic
def publish_pathway(
    *, actor: User, pathway: PathwayDefinition, award_definition: Definition | None = None
) -> PathwayDefinition:
    """Publish a draft: its stacked credential's definition is made (or checked), other
    published versions are archived, and every learner is re-evaluated in the background."""
    require_role(actor, pathway.provider, EDITORS)
    if pathway.status != Status.DRAFT:
        raise ValidationError({"status": f"only a draft can be published (it is {pathway.status})"})
    core = check_source(pathway.source)  # what is known may have changed since it was saved
    pathway.award_definition = _award_definition(actor, pathway, core, award_definition)
    PathwayDefinition.objects.filter(
        provider=pathway.provider, slug=pathway.slug, status=Status.PUBLISHED
    ).exclude(pk=pathway.pk).update(status=Status.ARCHIVED)
    pathway.status, pathway.published_by = Status.PUBLISHED, actor  # type: ignore[assignment]
    pathway.save()
    record_event(
        action="pathway.published",
        actor=actor,
        provider=pathway.provider,
        subject=_subject(pathway),
    )
    queue_reevaluation(pathway)
    return pathway


def _award_definition(
    actor: User, row: PathwayDefinition, core: Pathway, given: Definition | None
) -> Definition:
    """The definition of the stacked credential: the one given, the one the previous version
    used, the provider's definition with the pathway's slug, or a new one."""
    found = given or row.award_definition
    if found is None:
        found = (
            Definition.objects.filter(provider=row.provider, slug=row.slug)
            .order_by("-version")
            .first()
        )
    if found is None:
        found = definitions.create_definition(
            actor=actor,
            provider=row.provider,
            slug=row.slug,
            name=core.name[:200],
            description=core.description or f"Awarded for completing the pathway {core.name}.",
            criteria_narrative=f"Completed every requirement of the pathway {core.name}.",
            achievement_type="Certificate",
            status_purpose=_purpose(core),
        )
    if found.provider_id != row.provider_id:
        raise ValidationError({"award_definition": "must be a definition of the owning provider"})
    if core.revocation_policy == "suspend" and found.status_purpose != "suspension":
        message = (
            f"the policy 'suspend' needs a suspendable stacked credential: {found.slug!r} "
            "has status purpose 'revocation'"
        )
        raise ValidationError({"award_definition": message})
    if found.status == Definition.Status.DRAFT:
        found = definitions.publish(actor=actor, definition=found)
    return found


def _purpose(core: Pathway) -> str:
    return "suspension" if core.revocation_policy == "suspend" else "revocation"


@transaction.atomic
def archive_pathway(*, actor: User, pathway: PathwayDefinition) -> PathwayDefinition:
    """Stop evaluating and awarding; awards made stay."""
    require_role(actor, pathway.provider, EDITORS)
    pathway.status = Status.ARCHIVED
    pathway.save(update_fields=["status", "updated_at"])
    record_event(
        action="pathway.archived", actor=actor, provider=pathway.provider, subject=_subject(pathway)
    )
    return pathway


def queue_reevaluation(pathway: PathwayDefinition) -> None:
    """Re-evaluate every learner against ``pathway`` as a background job, after the commit."""
    from microcred.pathways.tasks import reevaluate_pathway  # tasks import the services

    pk = pathway.pk
    transaction.on_commit(lambda: reevaluate_pathway.enqueue(pk))

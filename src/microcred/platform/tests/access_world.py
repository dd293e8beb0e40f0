"""Demo data for the access-control tests: providers A and B, their staff, definitions,
credentials, a bulk job, API tokens, learners with OAuth tokens, and an operator.

Everything is made through the apps' services (as a provider would), except three shortcuts
that the services hide on purpose: a known claim token, a full status list (so that list 2
exists) and OAuth access tokens (the authorization-code flow is tested in ``obapi``).
"""

from __future__ import annotations

import functools
import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from PIL import Image

from microcred.bulk import services as bulk_services
from microcred.bulk.models import BulkJob
from microcred.core.crypto.statuslist import MIN_ENTRIES
from microcred.credentials import services
from microcred.credentials.models import IssuedCredential, StatusList
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.delivery import selectors as delivery_selectors
from microcred.delivery import services as delivery_services
from microcred.delivery.models import ClaimInvitation
from microcred.obapi.conf import ALL_SCOPES
from microcred.obapi.models import LearnerProfile, UploadedCredential
from microcred.providers import services as provider_services
from microcred.providers.models import ApiToken, AuditEvent, Membership, Provider

A, B = "alpha-uni", "beta-academy"
LEARNER_A, LEARNER_B = "ana@example.org", "bo@example.org"
# What only learner A's own pages may show (her goal's occupation, her matching name).
PRIVATE_GOAL, PRIVATE_NAME = "Ana's secret goal occupation", "Ana Private-Matching-Name"
SKILL = "urn:microcred:demo:skill:sql"
CLAIM_TOKEN = "claim-" + "a" * 40
COURSE: dict[str, Any] = {
    "description": "Cleans, explores and visualises tabular data.",
    "criteria_narrative": "Passed the final project and the written exam.",
    "learning_outcomes": ["Clean a messy data set"],
}


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    definitions: dict[str, Definition] = field(default_factory=dict)
    credentials: dict[str, IssuedCredential] = field(default_factory=dict)
    jobs: dict[str, BulkJob] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # name -> API token secret
    token_prefixes: dict[str, str] = field(default_factory=dict)
    oauth: dict[str, str] = field(default_factory=dict)  # learner -> OAuth access token
    oauth_client: str = ""  # client_id of the wallet that holds those tokens
    employer: str = ""  # slug of the employer whose only member is users["employer"]
    role: int = 0  # pk of that employer's role
    other_role: int = 0  # pk of a role of another employer ("globex")

    def uuid(self, credential: str) -> str:
        return self.credentials[credential].credential_id.removeprefix("urn:uuid:")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def _password() -> str:
    """One hash for every demo user: hashing is slow on purpose, and nobody signs in with it."""
    return make_password("x-unused-x")


def _user(name: str, *, email: str | None = None, **extra: Any) -> Any:
    email = email or f"{name}@example.net"
    user = get_user_model().objects.create_user(username=name, email=email, **extra)
    user.password = _password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _provider(slug: str, owner: Any) -> Provider:
    return provider_services.create_provider(
        actor=owner,
        slug=slug,
        name=f"{slug.title()}",
        legal_name=f"{slug.title()} B.V.",
        country="NL",
        did_method="web",  # so that did.json is served
    )


def _definition(
    world: World, key: str, provider: str, *, publish: bool = True, **extra: Any
) -> None:
    owner = world.users[f"{provider}_owner"]
    made = services.create_definition(
        actor=owner,
        provider=world.providers[provider],
        slug=key,
        name=key.replace("-", " ").title(),
        **COURSE,
        **extra,
    )
    world.definitions[key] = services.publish(actor=owner, definition=made) if publish else made


def _issue(world: World, key: str, definition: str, email: str) -> None:
    made = world.definitions[definition]
    side = "a" if made.provider_id == world.providers["a"].pk else "b"
    owner = world.users[f"{side}_owner"]
    world.credentials[key] = services.issue_credential(
        actor=owner, definition=made, recipient_email=email
    )


def _people(world: World) -> None:
    for name in ("a_owner", "a_issuer", "a_viewer", "b_owner", "stranger"):
        world.users[name] = _user(name)
    world.users["learner_a"] = _user("learner_a", email=LEARNER_A)
    world.users["learner_b"] = _user("learner_b", email=LEARNER_B)
    world.users["operator"] = _user("operator", is_staff=True, is_superuser=True)
    world.providers["a"] = _provider(A, world.users["a_owner"])
    world.providers["b"] = _provider(B, world.users["b_owner"])
    for role in ("issuer", "viewer"):
        provider_services.add_member(
            actor=world.users["a_owner"],
            provider=world.providers["a"],
            user=world.users[f"a_{role}"],
            role=role,
        )


def _credentials(world: World) -> None:
    _definition(world, "alpha-data", "a", image=png())
    _definition(world, "alpha-review", "a", status_purpose="suspension")
    _definition(world, "alpha-draft", "a", publish=False, image=png())
    _definition(world, "beta-course", "b")
    _issue(world, "a_active", "alpha-data", LEARNER_A)
    _issue(world, "a_suspendable", "alpha-review", LEARNER_A)
    _issue(world, "a_suspended", "alpha-review", "cy@example.org")
    _issue(world, "b_active", "beta-course", LEARNER_B)
    services.suspend(
        actor=world.users["a_owner"], credential=world.credentials["a_suspended"], reason="review"
    )
    # List 1 full: the next credential opens /status/<A>/revocation/2.
    full = (1 << MIN_ENTRIES) - 1
    StatusList.objects.filter(provider=world.providers["a"], purpose="revocation").update(
        allocated=full.to_bytes(MIN_ENTRIES // 8, "big")
    )
    _issue(world, "a_on_list_2", "alpha-data", "dee@example.org")
    invitation = delivery_services.invitation_for(world.credentials["a_active"])
    ClaimInvitation.objects.filter(pk=invitation.pk).update(
        token_hash=delivery_selectors.token_hash(CLAIM_TOKEN)
    )
    world.jobs["a"] = bulk_services.create_job(
        actor=world.users["a_owner"],
        definition=world.definitions["alpha-data"],
        csv_bytes=b"email\nbulk1@example.org\nbulk2@example.org\n",
        filename="cohort.csv",
    )


def _tokens(world: World) -> None:
    for name, provider, role in (("a_issuer", "a", "issuer"), ("a_viewer", "a", "viewer")):
        token, world.tokens[name] = provider_services.create_api_token(
            actor=world.users["a_owner"], provider=world.providers[provider], name=name, role=role
        )
        world.token_prefixes[name] = token.prefix
    token, world.tokens["b_issuer"] = provider_services.create_api_token(
        actor=world.users["b_owner"], provider=world.providers["b"], name="b", role="issuer"
    )
    world.token_prefixes["b_issuer"] = token.prefix
    wallet = Application.objects.create(
        name="Wallet",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:8765/callback",
    )
    world.oauth_client = wallet.client_id
    for learner in ("learner_a", "learner_b"):
        world.oauth[learner] = secrets.token_urlsafe(24)
        AccessToken.objects.create(
            user=world.users[learner],
            application=wallet,
            token=world.oauth[learner],
            expires=timezone.now() + timedelta(hours=1),
            scope=" ".join(ALL_SCOPES),
        )


def build() -> World:
    world = World()
    _people(world)
    _credentials(world)
    _tokens(world)
    _pathways(world)
    _catalog(world)
    _talent(world)
    return world


def _talent(world: World) -> None:
    """An employer with one member and a role; learner A's goal and matching consent."""
    from microcred.skills.models import Occupation, Skill
    from microcred.talent import employers, goals
    from microcred.talent import services as talent

    Skill.objects.create(scheme="custom", code="sql", uri=SKILL, label="SQL querying")
    occupation = Occupation.objects.create(
        scheme="custom", code="secret", uri="urn:microcred:test:occ", label=PRIVATE_GOAL
    )
    world.users["employer"] = _user("employer")
    made = employers.create_employer(actor=world.users["employer"], name="Acme", slug="acme")
    role = employers.create_role(actor=world.users["employer"], employer=made, title="Analyst")
    world.employer, world.role = made.slug, role.pk
    # Another employer (the stranger's), whose role nobody of Acme may reach.
    other = employers.create_employer(actor=world.users["stranger"], name="Globex", slug="globex")
    world.other_role = employers.create_role(
        actor=world.users["stranger"], employer=other, title="Secret role"
    ).pk
    goals.set_goal(learner=world.users["learner_a"], occupation=occupation.pk)
    talent.opt_in(world.users["learner_a"], display_name=PRIVATE_NAME)


def _catalog(world: World) -> None:
    """A's catalog: a published offering (public pages, unpublish) and a draft (edit, publish)."""
    from microcred.skills import catalog

    owner, provider = world.users["a_owner"], world.providers["a"]
    course = catalog.create_offering(
        actor=owner, provider=provider, slug="alpha-course", title="Alpha course", hours=20,
        definition="alpha-data",
    )  # fmt: skip
    catalog.publish_offering(actor=owner, offering=course)
    catalog.create_offering(
        actor=owner, provider=provider, slug="alpha-offer", title="Draft", hours=5
    )


def _pathways(world: World) -> None:
    """A draft pathway of A (its editor page and the API's publish name it)."""
    from microcred.pathways import services as pathways

    pathways.save_pathway(
        actor=world.users["a_owner"], provider=world.providers["a"], source=pathway_source()
    )


def pathway_source(slug: str = "alpha-path", target: str | None = None) -> str:
    """A pathway needing one credential: of A's alpha-data, or of ``target`` (an external
    achievement id, for requests that must not name anything of A's)."""
    from microcred.credentials.achievements import achievement_id

    target = target or achievement_id(Definition.objects.get(slug="alpha-data"))
    return (
        f"id: {slug}\nname: Alpha pathway\nrequirement:\n  type: all\n  children:\n"
        f"    - type: achievement\n      achievementId: {target}\n"
    )


def everything() -> dict[str, Any]:
    """``snapshot()`` plus the row count of every table and the latest ``updated_at`` of
    those that have one, in one query (sessions aside: signing in and out is not a change of
    data)."""
    with connection.cursor() as cursor:
        cursor.execute(_everything_sql())
        counts = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
    return snapshot() | {"tables": counts}


@functools.cache
def _everything_sql() -> str:
    quote, parts = connection.ops.quote_name, []
    for model in apps.get_models():
        if model._meta.label == "sessions.Session":
            continue
        columns = {f.name: f.column for f in model._meta.concrete_fields}
        # (as text: PostgreSQL's UNION wants one type in the column)
        latest = (
            f"CAST(MAX({quote(columns['updated_at'])}) AS TEXT)"
            if "updated_at" in columns
            else "NULL"
        )
        table = model._meta.db_table
        parts.append(f"SELECT '{table}', COUNT(*), {latest} FROM {quote(table)}")
    return " UNION ALL ".join(parts)


def anas() -> dict[str, Any]:
    """Everything of learner A's own: her account, addresses, goal, consent, matching index,
    wallet, sharing profile and links, OB profile and uploads."""
    from microcred.sharing.models import Profile, ShareLink
    from microcred.talent.goal_models import LearnerGoal
    from microcred.talent.models import HeldSkill, MatchingConsent
    from microcred.wallet.models import HolderKey, WalletCredential

    ana = get_user_model().objects.get(username="learner_a")
    found: dict[str, Any] = {"user": list(get_user_model().objects.filter(pk=ana.pk).values())}
    for model, owner in (
        (EmailAddress, "user"), (LearnerGoal, "learner"), (MatchingConsent, "owner"),
        (HeldSkill, "owner"), (WalletCredential, "owner"), (HolderKey, "owner"),
        (Profile, "owner"), (ShareLink, "owner"), (LearnerProfile, "user"),
        (UploadedCredential, "user"),
    ):  # fmt: skip
        found[model.__name__] = list(model.objects.filter(**{owner: ana}).order_by("pk").values())
    return found


def snapshot(provider: Provider | None = None) -> dict[str, Any]:
    """What a refused request must leave as it was: row counts, and the state of every
    definition, credential, job, token, claim and status list (of ``provider`` if given)."""

    def rows(model: Any, *fields: str, owner: str = "provider") -> list[Any]:
        found = model.objects.all()
        if provider is not None:
            found = found.filter(**{owner: provider})
        return list(found.order_by("pk").values_list("pk", *fields))

    tasks = apps.get_model("django_tasks_database", "DBTaskResult")
    counted: list[Any] = [Provider, Membership, tasks, LearnerProfile, UploadedCredential]
    return {
        "counts": {model.__name__: model.objects.count() for model in counted},
        "definitions": rows(Definition, "status", "version", "name", "updated_at"),
        "credentials": rows(IssuedCredential, "state", "reason", "revoked_at"),
        "audit": rows(AuditEvent, "action"),
        "jobs": rows(BulkJob, "state", "started_at"),
        "tokens": rows(ApiToken, "revoked_at"),
        "members": rows(Membership, "role"),
        "lists": rows(StatusList, "updated_at"),
        "claims": rows(ClaimInvitation, "claimed_by", owner="credential__provider"),
    }

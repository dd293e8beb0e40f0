"""A database with at least one realistic row in every table: the demo seed, then the few
models it leaves empty, each filled the way the platform fills it (services where there is
one; the third-party tables - OAuth grants, sessions, admin log - as those libraries would).

``empty_models()`` names what is still empty, so a new model without a row here fails the
round-trip test with a message saying where to add one.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation  # type: ignore[import-untyped]
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import (
    AccessToken,
    Application,
    DeviceGrant,
    Grant,
    IDToken,
    RefreshToken,
)

from microcred.bulk import services as bulk_services
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.credentials.pageviews import record_page_view
from microcred.obapi import services as obapi_services
from microcred.obapi.models import RegisteredClient
from microcred.pathways.models import PathwayDefinition
from microcred.platform.seed import seed
from microcred.portability import identity
from microcred.providers import services as provider_services
from microcred.sharing import services as sharing_services
from microcred.skills.models import Occupation, Skill, SkillVector
from microcred.talent import goals
from microcred.wallet import holder
from microcred.wallet import selectors as wallet_selectors
from microcred.wallet import services as wallet_services


def empty_models() -> list[str]:
    """Labels of the models (and many-to-many tables) that hold no row."""
    return [
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if not model._default_manager.exists()
    ]


@transaction.atomic
def fill_every_model() -> None:
    seed()
    credential = IssuedCredential.objects.filter(state="active").order_by("pk").first()
    assert credential is not None
    owner = credential.provider.memberships.get(role="owner").user
    learner = get_user_model().objects.get(email=credential.recipient_email)
    _provider_side(owner, credential)
    _learner_side(learner, credential)
    _oauth(learner)
    _django(owner, learner)


def _provider_side(owner: Any, credential: IssuedCredential) -> None:
    provider = credential.provider
    provider_services.create_api_token(
        actor=owner, provider=provider, name="Registrar's office export", role="viewer"
    )
    record_page_view(credential, today=date(2026, 11, 2))
    definition = MicroCredentialDefinition.objects.filter(provider=provider, status="published")
    bulk_services.create_job(
        actor=owner,
        definition=definition.order_by("pk")[0],
        csv_bytes=b"email\nfarah.haddad@example.org\nlars.berg@example.org\n",
        filename="spring-cohort.csv",
    )
    pathway = PathwayDefinition.objects.order_by("pk").first()
    assert pathway is not None
    pathway.co_owners.add(provider)
    identity.rotate()  # the platform's own signing key (signed CLR exports)
    skill = Skill.objects.order_by("pk").first()
    assert skill is not None
    SkillVector.objects.create(
        skill=skill, model="tfidf-demo", vector=bytes(16), text_digest="0" * 64
    )


def _learner_side(learner: Any, credential: IssuedCredential) -> None:

    # A credential of someone else's, kept although it does not name this learner.
    other = IssuedCredential.objects.exclude(recipient_email=learner.email).order_by("pk")[0]
    document = json.dumps(other.document).encode()
    wallet_services.import_bytes(
        learner, document, source="upload", name="data-cleaning.json", keep_failing=True
    )
    holder.holder_key(learner)
    sharing_services.save_profile(
        learner, is_public=True, handle="ana-de-vries", display_name="Ana de Vries", bio="Analyst"
    )
    keys = [entry.key for entry in wallet_selectors.wallet_of(learner)][:2]
    sharing_services.create_link(learner, keys, label="For the hiring panel")
    occupation = Occupation.objects.order_by("pk").first()
    assert occupation is not None
    goals.set_goal(learner=learner, occupation=occupation.pk)
    obapi_services.put_profile(learner, {"name": "Ana de Vries", "email": learner.email})
    obapi_services.upsert_credential(learner, credential.document)


def _oauth(learner: Any) -> None:
    later = timezone.now() + timedelta(hours=1)
    app = Application.objects.create(
        name="Backpack wallet",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://wallet.example.org/callback",
    )
    RegisteredClient.objects.create(
        application=app,
        scope="https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly",
        metadata={"client_name": "Backpack wallet", "redirect_uris": [app.redirect_uris]},
    )
    Grant.objects.create(
        user=learner, application=app, code=secrets.token_urlsafe(16), expires=later,
        redirect_uri=app.redirect_uris, scope="openid", claims="{}",
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method="S256",
    )  # fmt: skip
    id_token = IDToken.objects.create(user=learner, application=app, expires=later, scope="openid")
    access = AccessToken.objects.create(
        user=learner, application=app, token=secrets.token_urlsafe(24), expires=later,
        scope="openid", id_token=id_token,
    )  # fmt: skip
    RefreshToken.objects.create(
        user=learner, application=app, token=secrets.token_urlsafe(24), access_token=access
    )
    DeviceGrant.objects.create(
        device_code=secrets.token_urlsafe(16), user_code="WDJB-MJHT", scope="openid",
        expires=later, client_id=app.client_id,
    )  # fmt: skip


def _django(owner: Any, learner: Any) -> None:
    group = Group.objects.create(name="Support desk")
    view_users = Permission.objects.get(codename="view_user")
    group.permissions.add(view_users)
    owner.groups.add(group)
    owner.user_permissions.add(view_users)
    address = EmailAddress.objects.filter(user=learner).first()
    EmailConfirmation.create(address).save()
    session = SessionStore()
    session["_auth_user_id"] = str(learner.pk)
    session.save()
    LogEntry.objects.create(
        user=owner, content_type=ContentType.objects.get_for_model(learner),
        object_id=str(learner.pk), object_repr=learner.email, action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Active"]}}]',
    )  # fmt: skip

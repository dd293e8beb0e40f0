"""Every write of the providers app: one transaction and one audit trail per call.

Permissions: a provider's owners manage it (members, keys, profile); the platform
operator (an active superuser) may do the same for any provider, which is how providers
created in the Django admin get their first real owner. Nobody else may, and a role at
provider A gives no right at provider B. Invalid input raises
``django.core.exceptions.ValidationError`` keyed by field name; a refused action raises
``django.core.exceptions.PermissionDenied``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.errors import InputError
from microcred.providers import identity, kek, keystore, selectors
from microcred.providers.countries import country_error
from microcred.providers.models import ApiToken, AuditEvent, Membership, Provider, ProviderKey

User = AbstractBaseUser | AnonymousUser
PROFILE_FIELDS = (
    "name",
    "legal_name",
    "country",
    "region",
    "website",
    "contact_email",
    "accreditation",
)
ROLES = tuple(Membership.Role.values)


def record_event(
    *,
    action: str,
    actor: User | None = None,
    provider: Provider | None = None,
    subject: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event (the only way AuditEvents are written)."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        action=action, actor_id=actor_id, provider=provider, subject=subject, details=details or {}
    )


def is_operator(user: User | None) -> bool:
    """The platform operator: an active superuser."""
    return bool(user is not None and user.is_active and getattr(user, "is_superuser", False))


def require_role(user: User | None, provider: Provider, roles: tuple[str, ...]) -> str:
    """The user's role at ``provider`` if it is one of ``roles`` (operators pass as owner)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("sign in first")
    role = selectors.role_of(user, provider)
    if role in roles:
        return role
    if is_operator(user):
        return Membership.Role.OWNER
    raise PermissionDenied(f"only a provider's {' or '.join(roles)} may do this")


def _normalise(fields: dict[str, str]) -> dict[str, str]:
    clean = {name: (value or "").strip() for name, value in fields.items()}
    if "country" in clean:
        clean["country"] = clean["country"].upper()
    return clean


def _validate(provider: Provider, *, exclude: list[str]) -> None:
    errors: dict[str, list[str]] = {}
    try:
        provider.full_clean(exclude=exclude)
    except ValidationError as error:
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
    if provider.country and "country" not in errors:
        message = country_error(provider.country)
        if message:
            errors["country"] = [message]
    if errors:
        raise ValidationError(errors)


def _did_method(value: str | None) -> str:
    if value is None:
        return identity.default_did_method(settings.MICROCRED_BASE_URL)
    if value not in identity.METHODS:
        raise ValidationError({"did_method": [f"{value!r} is not one of: web, key"]})
    return value


def _provider_did(provider: Provider, key: Ed25519KeyPair) -> str:
    if provider.did_method == identity.KEY:
        return key.did_key
    try:
        return identity.did_web_for(settings.MICROCRED_BASE_URL, provider.slug)
    except InputError as error:
        raise ValidationError({"did_method": [f"no did:web DID possible: {error}"]}) from None


def _store_key(provider: Provider, key: Ed25519KeyPair, key_id: str) -> ProviderKey:
    sealed = keystore.seal_key(key, kek=kek.sealing(), did=provider.did, key_id=key_id)
    return ProviderKey.objects.create(
        provider=provider,
        key_id=key_id,
        public_key_multibase=key.public_key_multibase,
        encrypted_secret=sealed,
    )


@transaction.atomic
def create_provider(
    *,
    actor: User,
    slug: str,
    name: str,
    legal_name: str,
    country: str,
    region: str = "",
    website: str = "",
    contact_email: str = "",
    accreditation: str = "",
    did_method: str | None = None,
) -> Provider:
    """A new provider with its first signing key; ``actor`` becomes its owner."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("sign in to create a provider")
    provider = Provider(slug=(slug or "").strip().lower(), did_method=_did_method(did_method))
    profile = dict(name=name, legal_name=legal_name, country=country, region=region)
    profile |= dict(website=website, contact_email=contact_email, accreditation=accreditation)
    for field, value in _normalise(profile).items():
        setattr(provider, field, value)
    _validate(provider, exclude=["did"])
    key = Ed25519KeyPair.generate()
    provider.did = _provider_did(provider, key)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:
        raise ValidationError({"slug": [f"the slug {provider.slug!r} is taken"]}) from None
    stored = _store_key(provider, key, identity.first_key_id(provider.did_method, key))
    Membership.objects.create(user_id=actor.pk, provider=provider, role=Membership.Role.OWNER)
    _audit_creation(actor, provider, stored)
    return provider


def _audit_creation(actor: User, provider: Provider, key: ProviderKey) -> None:
    created = {"did": provider.did, "did_method": provider.did_method}
    record_event(
        action="provider.created",
        actor=actor,
        provider=provider,
        subject=provider.slug,
        details=created,
    )
    record_event(
        action="key.created",
        actor=actor,
        provider=provider,
        subject=key.key_id,
        details={"publicKeyMultibase": key.public_key_multibase},
    )
    record_event(
        action="member.added",
        actor=actor,
        provider=provider,
        subject=str(actor),
        details={"user_id": actor.pk, "role": Membership.Role.OWNER},
    )


@transaction.atomic
def update_provider(*, actor: User, provider: Provider, **changes: str) -> Provider:
    """Change profile fields (not the slug or DID: credentials already name them)."""
    require_role(actor, provider, (Membership.Role.OWNER,))
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError({field: ["this field cannot be changed"] for field in unknown})
    provider = Provider.objects.select_for_update(no_key=True).get(pk=provider.pk)
    before = {field: getattr(provider, field) for field in changes}
    for field, value in _normalise(changes).items():
        setattr(provider, field, value)
    _validate(provider, exclude=[])
    changed = {
        f: {"from": before[f], "to": getattr(provider, f)}
        for f in changes
        if before[f] != getattr(provider, f)
    }
    if changed:
        provider.save(update_fields=list(changed))
        record_event(
            action="provider.updated",
            actor=actor,
            provider=provider,
            subject=provider.slug,
            details={"fields": changed},
        )
    return provider


@transaction.atomic
def add_member(*, actor: User, provider: Provider, user: AbstractBaseUser, role: str) -> Membership:
    """Give ``user`` a role at ``provider`` (owners only)."""
    require_role(actor, provider, (Membership.Role.OWNER,))
    if role not in ROLES:
        raise ValidationError({"role": [f"{role!r} is not one of: {', '.join(ROLES)}"]})
    if user is None or not user.is_active:
        raise ValidationError({"user": ["only an active user can become a member"]})
    if Membership.objects.filter(user_id=user.pk, provider=provider).exists():
        raise ValidationError({"user": [f"{user} is already a member of {provider.slug}"]})
    membership = Membership.objects.create(user_id=user.pk, provider=provider, role=role)
    record_event(
        action="member.added",
        actor=actor,
        provider=provider,
        subject=str(user),
        details={"user_id": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def rotate_key(*, actor: User, provider: Provider) -> ProviderKey:
    """Retire the active key and create the next one; the old key stays in the DID document."""
    require_role(actor, provider, (Membership.Role.OWNER,))
    # Lock the provider row so that two rotations at once cannot both retire the same key.
    # NO KEY UPDATE (as status-list allocation takes): it still serialises rotations and
    # allocations, but lets other transactions insert rows that reference the provider (their
    # foreign-key check takes KEY SHARE), which FOR UPDATE would block into a deadlock.
    provider = Provider.objects.select_for_update(no_key=True).get(pk=provider.pk)
    if provider.did_method == identity.KEY:
        raise ValidationError(
            {
                "did_method": [
                    "a did:key provider cannot rotate its key: its DID is the key itself, so a new key "
                    "would be a new issuer"
                ]
            }
        )
    old = selectors.active_key(provider)
    old.retired_at = timezone.now()
    old.save(update_fields=["retired_at"])
    key_id = identity.next_key_id(ProviderKey.objects.filter(provider=provider).count())
    new = _store_key(provider, Ed25519KeyPair.generate(), key_id)
    record_event(
        action="key.rotated",
        actor=actor,
        provider=provider,
        subject=new.key_id,
        details={
            "retired": old.key_id,
            "active": new.key_id,
            "publicKeyMultibase": new.public_key_multibase,
        },
    )
    return new


def signing_key(provider: Provider) -> Ed25519KeyPair:
    """The provider's active key, decrypted, identified as ``did#key-N`` (or did:key#z6Mk…)."""
    stored = selectors.active_key(provider)
    try:
        return keystore.open_key(
            bytes(stored.encrypted_secret),
            kek=kek.reading(),
            did=provider.did,
            key_id=stored.key_id,
            vm_id=identity.vm_id(provider.did, stored.key_id),
            public_key_multibase=stored.public_key_multibase,
        )
    except keystore.KeyStoreError as error:
        raise keystore.KeyStoreError(f"provider {provider.slug}: {error}") from None


# API tokens: the secret ``mc_<prefix>_<random>`` is returned once and never stored; the
# lookup goes by its SHA-256, so no secret-dependent string comparison happens in Python.
TOKEN_ROLES = tuple(ApiToken.Role.values)
_LAST_USED_EVERY = timedelta(minutes=1)  # one write per token per minute, not per request


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def create_api_token(
    *, actor: User, provider: Provider, name: str, role: str
) -> tuple[ApiToken, str]:
    """A new token of ``provider`` acting as ``actor`` with ``role``; returns it and its secret."""
    require_role(actor, provider, (Membership.Role.OWNER,))
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        errors["name"] = ["give the token a name of at most 100 characters"]
    if role not in TOKEN_ROLES:
        errors["role"] = [f"{role!r} is not one of: {', '.join(TOKEN_ROLES)}"]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = f"mc_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        provider=provider,
        created_by_id=cast(int, actor.pk),  # require_role: a signed-in user
        name=name,
        prefix=prefix,
        secret_hash=token_hash(secret),
        role=role,
    )
    details = {"name": name, "role": role, "prefix": prefix}
    record_event(
        action="api_token.created", actor=actor, provider=provider, subject=name, details=details
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token from working, for good (owners only)."""
    require_role(actor, token.provider, (Membership.Role.OWNER,))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            action="api_token.revoked",
            actor=actor,
            provider=token.provider,
            subject=token.name,
            details={"prefix": token.prefix},
        )
    return token


def authenticate_api_token(secret: str) -> ApiToken | None:
    """The live token whose secret this is (recording its use), or None."""
    digest = token_hash(secret or "")
    token = (
        ApiToken.objects.select_related("provider", "created_by")
        .filter(secret_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    if not token.created_by.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

"""`microcred keys rotate-provider | rotate-kek | compromised`: the platform's key lifecycle.

Thin shells over ``microcred.providers`` (services, rekey, compromise); the procedures and
their decisions are in docs/operations.md, section 4. Refusals exit 2 with one line naming
what is wrong; no command ever prints a key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from microcred.cli.platform import setup_django


def _fail(message: str) -> typer.Exit:
    typer.echo(f"microcred: {message}", err=True)
    return typer.Exit(2)


def _explain(error: Exception) -> str:
    """A ValidationError / PermissionDenied as one line."""
    messages = getattr(error, "message_dict", None)
    if messages:
        return "; ".join(f"{field}: {' '.join(text)}" for field, text in messages.items())
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _provider_and_user(slug: str, email: str) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from microcred.providers import selectors
    from microcred.providers.models import Provider

    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise _fail(f"--as {email}: no active account with that email")
    try:
        return selectors.provider_by_slug(slug), user
    except Provider.DoesNotExist:
        raise _fail(f"no provider {slug!r}") from None


AsOption = Annotated[
    str, typer.Option("--as", metavar="EMAIL", help="An owner of the provider (or an operator).")
]


def rotate_provider(
    slug: Annotated[str, typer.Argument(help="The provider's slug.")],
    acting: AsOption,
) -> None:
    """Retire a did:web provider's active key and sign with a new one from now on; old keys
    stay in its DID document, so everything issued keeps verifying."""
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from microcred.providers import services

    provider, user = _provider_and_user(slug, acting)
    try:
        new = services.rotate_key(actor=user, provider=provider)
    except (PermissionDenied, ValidationError) as error:
        raise _fail(f"{slug}: {_explain(error)}") from None
    typer.echo(f"{slug}: {new.key_id} signs from now on ({provider.did}#{new.key_id})")


def rotate_kek() -> None:
    """Re-seal every stored secret under MICROCRED_KEY_ENCRYPTION_KEY (the new KEK), opening
    them with MICROCRED_OLD_KEY_ENCRYPTION_KEY (the previous one). One transaction;
    idempotent. Both are read from the environment only, never from the command line."""
    setup_django()
    from django.conf import settings

    from microcred.providers import rekey
    from microcred.providers.keystore import KeyStoreError

    old = settings.OLD_KEY_ENCRYPTION_KEY
    if not old:
        raise _fail(
            "set MICROCRED_OLD_KEY_ENCRYPTION_KEY to the previous KEK and "
            "MICROCRED_KEY_ENCRYPTION_KEY to the new one"
        )
    try:
        result = rekey.rotate_kek(old=old, new=settings.KEY_ENCRYPTION_KEY)
    except KeyStoreError as error:
        raise _fail(str(error)) from None
    for label, count in result.resealed.items():
        typer.echo(f"{label}: {count} re-sealed, {result.already[label]} already under the new KEK")
    typer.echo(
        "done: every sealed secret opens with the new KEK. Remove "
        "MICROCRED_OLD_KEY_ENCRYPTION_KEY from every process's environment and restart them."
    )


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise _fail(f"--since {value!r}: give a date as YYYY-MM-DD") from None
    return day.replace(tzinfo=UTC)


def compromised(
    slug: Annotated[str, typer.Argument(help="The provider's slug.")],
    key_id: Annotated[str, typer.Argument(help="The compromised key, e.g. key-2.")],
    acting: AsOption,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Re-issue the affected credentials, revoke the old.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="YYYY-MM-DD", help="Re-issue only credentials issued from then."
        ),
    ] = None,
    batch: Annotated[int, typer.Option("--batch", help="Credentials per transaction.")] = 100,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list the affected credentials.")
    ] = False,
) -> None:
    """Take a provider key out of its DID document (nothing it signed verifies any more),
    rotate to a new key, list what it signed and, with --reissue, re-issue those credentials
    with the new key and revoke the old ones. Safe to run again."""
    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from microcred.providers import compromise

    provider, user = _provider_and_user(slug, acting)
    start = _since(since)
    try:
        _compromise(compromise, provider, user, key_id, dry_run=dry_run)
        if reissue and not dry_run:
            result = compromise.reissue(
                actor=user, provider=provider, key_id=key_id, since=start, batch=batch
            )
            for old_id, new_id in result.reissued:
                typer.echo(f"re-issued {old_id} as {new_id} (old one revoked)")
            typer.echo(
                f"{len(result.reissued)} re-issued, {result.already} already re-issued, "
                f"{result.not_active} not active (left alone)"
            )
    except (PermissionDenied, ValidationError) as error:
        raise _fail(f"{slug}: {_explain(error)}") from None


def _compromise(compromise: Any, provider: Any, user: Any, key_id: str, *, dry_run: bool) -> None:
    from microcred.providers.models import ProviderKey

    if dry_run:
        key = compromise.key_of(provider, key_id)
        typer.echo(f"dry run: {provider.slug}#{key_id} is not changed")
    else:
        key, rotated = compromise.mark_compromised(actor=user, provider=provider, key_id=key_id)
        when = f"{key.compromised_at:%Y-%m-%d %H:%M:%S} UTC"
        typer.echo(f"{provider.slug}#{key_id} is compromised since {when}: out of the DID document")
        if rotated is not None:
            typer.echo(f"rotated: {rotated.key_id} signs from now on")
    assert isinstance(key, ProviderKey)
    rows = compromise.signed_by(provider, key)  # all of them: --since limits the re-issue only
    typer.echo(f"{len(rows)} credential(s) signed with {key_id}:")
    for row in rows:
        recipient = row.recipient_email or row.recipient_did or row.recipient_email_hash
        typer.echo(f"  {row.credential_id}  {row.issued_at:%Y-%m-%d}  {row.state:9}  {recipient}")

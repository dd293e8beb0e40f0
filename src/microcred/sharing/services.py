"""Writes of sharing: which credentials are public, the public profile, share links and
the presentation a share link serves.

Nothing here is audited or logged: who looked at a learner's link is the learner's business,
and a token in a log would open the link. Tokens are 32 random bytes; only their SHA-256 is
stored (``selectors.link_by_token`` looks links up by it).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from microcred.core.errors import FetchError, InputError
from microcred.credentials.models import IssuedCredential
from microcred.sharing import handles, selectors
from microcred.sharing.models import Profile, ShareLink
from microcred.talent import hooks as talent_hooks
from microcred.wallet import holder
from microcred.wallet import selectors as wallet_selectors
from microcred.wallet import services as wallet_services
from microcred.wallet.models import WalletCredential

TOKEN_BYTES = 32
MAX_PER_LINK = 50
MAX_LABEL = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------- visibility


def set_public(owner: Any, public: set[str]) -> int:
    """Make exactly the wallet entries named in ``public`` public (every other one private);
    returns how many are public now. Unknown keys are a 404, as for another learner's."""
    entries = {entry.key: entry for entry in wallet_selectors.wallet_of(owner)}
    if public - set(entries):
        raise Http404("No such credential in your wallet.")
    with transaction.atomic():
        for entry in entries.values():
            wanted = entry.key in public
            if entry.item is not None:
                if entry.item.is_public != wanted:
                    WalletCredential.objects.filter(pk=entry.item.pk).update(is_public=wanted)
            elif entry.issued is not None:
                _set_claimed_public(owner, entry.issued, wanted)
        talent_hooks.sharing_changed(owner)  # the matching index's copy of the flags
    return len(public)


def _set_claimed_public(owner: Any, issued: IssuedCredential, wanted: bool) -> None:
    """The flag of a claimed credential lives on its materialised wallet row (made on the
    first "public"; see the module note in ``models.py``)."""
    rows = WalletCredential.objects.filter(owner=owner, issued=issued)
    if rows.exists() or not wanted:
        rows.update(is_public=wanted)
        return
    WalletCredential.objects.create(
        owner=owner,
        source=WalletCredential.Source.CLAIMED,
        format=WalletCredential.Format.OB3_JSON,
        document=issued.document,
        # not reading.dedupe_key: a copy imported before the claim may hold "id:<id>"
        dedupe_key="claimed:" + issued.credential_id,
        credential_id=issued.credential_id,
        issued=issued,
        report={},  # unused: a claimed credential's standing is read from its issued row
        verdict=WalletCredential.Verdict.UNCHECKED,
        verified_at=timezone.now(),
        is_public=True,
    )


# ------------------------------------------------------------------------------- profile


def save_profile(
    owner: Any, *, is_public: bool, handle: str, display_name: str, bio: str
) -> Profile:
    """Opt in or out and set the handle, name and bio. Raises InputError naming the field."""
    handle = handles.normalise(handle)
    if handle:
        problem = handles.handle_error(handle)
        if problem:
            raise InputError(problem, where="handle")
    elif is_public:
        raise InputError("choose a handle to make your profile public", where="handle")
    if is_public and not display_name.strip():
        raise InputError("give the name to show on your public profile", where="display_name")
    try:
        with transaction.atomic():
            profile, _ = Profile.objects.select_for_update().get_or_create(owner=owner)
            profile.is_public = is_public
            profile.handle = handle or None
            profile.display_name = display_name.strip()[:80]
            profile.bio = bio.strip()[:500]
            profile.save()
    except IntegrityError:
        raise InputError("that handle is taken; choose another", where="handle") from None
    return profile


# --------------------------------------------------------------------------- share links


def create_link(
    owner: Any, keys: list[str], *, label: str = "", expires_at: datetime | None = None
) -> tuple[ShareLink, str]:
    """A new link to the owner's chosen wallet entries; returns it and its token (shown
    once: only the hash is kept)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise InputError("choose at least one credential to share", where="credential")
    if len(keys) > MAX_PER_LINK:
        raise InputError(f"a link shares at most {MAX_PER_LINK} credentials", where="credential")
    if set(keys) - {entry.key for entry in wallet_selectors.wallet_of(owner)}:
        raise Http404("No such credential in your wallet.")
    if expires_at is not None and expires_at <= timezone.now():
        raise InputError("the expiry must be in the future", where="expires")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink.objects.create(
        owner=owner,
        token_hash=hash_token(token),
        label=label.strip()[:MAX_LABEL],
        keys=keys,
        challenge=secrets.token_urlsafe(16),
        expires_at=expires_at,
    )
    return link, token


def revoke_link(owner: Any, pk: int) -> ShareLink:
    """Revoke one of the owner's links (again: no change); 404 for anybody else's."""
    with transaction.atomic():
        link = ShareLink.objects.select_for_update().filter(owner=owner, pk=pk).first()
        if link is None:
            raise Http404("No such share link.")
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
    return link


def open_link(token: str) -> selectors.Shared:
    """What a valid link shows, its imported credentials re-checked first if their report is
    older than the wallet's re-check time. Raises Http404 (no such link) or LinkGone."""
    link = selectors.link_by_token(token)
    for entry in selectors.shared_entries(link):
        if entry.item is not None:
            wallet_services.refresh_if_stale(entry.item)
    return selectors.shared(link)


def share_origin() -> str:
    parts = urlsplit(str(settings.MICROCRED_BASE_URL))
    return f"{parts.scheme}://{parts.netloc}"


def presentation(link: ShareLink) -> dict[str, Any]:
    """The link's credentials as a Verifiable Presentation signed by the owner's holder key:
    ``domain`` is this site's origin, ``challenge`` the link's fixed value (holder binding,
    not freshness). Credentials that cannot travel in a presentation (an Open Badges 2.0
    hosted assertion has no proof of its own) are left out; the page says so."""
    keys = [e.key for e in selectors.shared_entries(link) if selectors.presentable(e)]
    if not keys:
        raise InputError("none of the shared credentials can be put in a signed presentation")
    return holder.presentation(link.owner, keys, challenge=link.challenge, domain=share_origin())


def local_presentation(url: str, token: str) -> bytes:
    """What ``url`` (a share link of this site) answers a JSON client, without HTTP: for the
    verification portal, which answers this site's own URLs from the database (a server with
    one worker cannot fetch from itself). Errors read as the HTTP answer would."""
    try:
        link = selectors.link_by_token(token)
    except Http404:
        raise FetchError(f"{url}: HTTP 404 (no such share link)") from None
    except selectors.LinkGone:
        raise FetchError(f"{url}: HTTP 410 (the share link is no longer valid)") from None
    try:
        return json.dumps(presentation(link)).encode("utf-8")
    except InputError as exc:
        raise FetchError(f"{url}: HTTP 422 ({exc.message})") from None

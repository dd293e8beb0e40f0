"""Reads of sharing: the learner's links and public choices, a link as its visitor sees it,
the public profile, and the URLs of all of these.

Every public read resolves credentials through the owner's wallet
(``wallet.selectors.wallet_of``), so nothing that is not the owner's can ever be shown, and
a credential removed from the wallet vanishes from the profile and from every link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from microcred.core.model.facts import linkedin_url
from microcred.sharing.models import Profile, ShareLink
from microcred.wallet import selectors as wallet_selectors
from microcred.wallet.models import WalletCredential
from microcred.wallet.selectors import WalletEntry

# Formats whose secured form (a JWT, or a document with its proof) a presentation can carry.
_ENVELOPED = ("vc-jwt", "baked-png", "baked-svg")


class LinkGone(Exception):
    """The link existed but was revoked or has expired: it shows nothing (410)."""


def absolute(path: str) -> str:
    return str(settings.MICROCRED_BASE_URL).rstrip("/") + path


def share_url(token: str) -> str:
    return absolute(reverse("sharing:shared", args=[token]))


def presentable(entry: WalletEntry) -> bool:
    """Whether the entry can go into a signed presentation (it carries its own proof)."""
    if "proof" in entry.document:
        return True
    return entry.item is not None and entry.item.format in _ENVELOPED


# ------------------------------------------------------------------------ the owner's side


def public_keys(owner: Any) -> set[str]:
    """Wallet keys of the owner's public credentials."""
    rows = WalletCredential.objects.filter(owner=owner, is_public=True)
    keys = set()
    for pk, credential_id, issued_id in rows.values_list("pk", "credential_id", "issued_id"):
        keys.add(f"c{credential_id.removeprefix('urn:uuid:')}" if issued_id else f"w{pk}")
    return keys


def profile_of(owner: Any) -> Profile:
    """The owner's profile (an unsaved, private one before the first save)."""
    return Profile.objects.filter(owner=owner).first() or Profile(owner=owner)


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    state: str  # "active", "expired" or "revoked"
    names: list[str]


def state_of(link: ShareLink, now: datetime | None = None) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at is not None and link.expires_at <= (now or timezone.now()):
        return "expired"
    return "active"


def links_of(owner: Any) -> list[LinkRow]:
    names = {entry.key: wallet_selectors.title_of(entry.document) for entry in wallet_of(owner)}
    now = timezone.now()
    return [
        LinkRow(link, state_of(link, now), [names[key] for key in link.keys if key in names])
        for link in ShareLink.objects.filter(owner=owner)
    ]


def wallet_of(owner: Any) -> list[WalletEntry]:
    return wallet_selectors.wallet_of(owner)


# ---------------------------------------------------------------------- the visitor's side


def link_by_token(token: str) -> ShareLink:
    """A link that may be shown; Http404 for no such link, LinkGone for a revoked or expired one."""
    if not 20 <= len(token) <= 100:
        raise Http404("No such share link.")
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    link = ShareLink.objects.select_related("owner").filter(token_hash=digest).first()
    if link is None:
        raise Http404("No such share link.")
    if state_of(link) != "active":
        raise LinkGone()
    return link


def shared_entries(link: ShareLink) -> list[WalletEntry]:
    """Exactly the entries the link names that are still in the owner's wallet, in order."""
    entries = {entry.key: entry for entry in wallet_of(link.owner)}
    return [entries[key] for key in link.keys if key in entries]


@dataclass(frozen=True)
class Shared:
    link: ShareLink
    entries: list[WalletEntry]

    @property
    def not_presentable(self) -> list[WalletEntry]:
        return [entry for entry in self.entries if not presentable(entry)]


def shared(link: ShareLink) -> Shared:
    return Shared(link, shared_entries(link))


# ------------------------------------------------------------------------ public profile


@dataclass(frozen=True)
class PublicProfile:
    profile: Profile
    entries: list[WalletEntry]

    @property
    def url(self) -> str:
        return profile_url(self.profile)


def profile_url(profile: Profile) -> str:
    return absolute(reverse("sharing:profile", args=[profile.handle]))


def entry_url(profile: Profile, key: str) -> str:
    return absolute(reverse("sharing:public-credential", args=[profile.handle, key]))


def badge_url(profile: Profile, key: str) -> str:
    return absolute(reverse("sharing:badge", args=[profile.handle, key]))


def public_profile(handle: str) -> PublicProfile:
    """A public profile and its public credentials; Http404 for an unknown handle or a
    profile that is not public (the same answer: nobody learns that a handle exists)."""
    profile = (
        Profile.objects.select_related("owner")
        .filter(handle=handle.lower(), is_public=True)
        .first()
    )
    if profile is None:
        raise Http404("No such profile.")
    public = public_keys(profile.owner)
    return PublicProfile(profile, [e for e in wallet_of(profile.owner) if e.key in public])


def public_entry(handle: str, key: str) -> tuple[PublicProfile, WalletEntry]:
    found = public_profile(handle)
    for entry in found.entries:
        if entry.key == key:
            return found, entry
    raise Http404("No such public credential.")


@dataclass(frozen=True)
class Outreach:
    """What the learner copies to show a public credential elsewhere."""

    entry: WalletEntry
    page_url: str
    badge_url: str
    linkedin_url: str

    @property
    def embed_html(self) -> str:
        """The snippet to paste into another site (every value escaped)."""
        name = self.entry.facts.name or "Credential"
        issuer = self.entry.facts.issuer_name
        return str(
            format_html(
                '<a href="{}" title="{}"><img src="{}" alt="{}" width="160" height="160"></a>',
                self.page_url,
                f"{name} — {issuer}" if issuer else name,
                self.badge_url,
                f"Badge: {name}",
            )
        )


def outreach_of(owner: Any) -> list[Outreach]:
    """LinkedIn and embed links of the owner's public credentials (empty while the profile is
    not public: those pages would be 404s)."""
    profile = profile_of(owner)
    if not (profile.pk and profile.is_public and profile.handle):
        return []
    public = public_keys(owner)
    return [
        Outreach(
            entry,
            entry_url(profile, entry.key),
            badge_url(profile, entry.key),
            linkedin_url(entry.facts, entry_url(profile, entry.key)),
        )
        for entry in wallet_of(owner)
        if entry.key in public
    ]

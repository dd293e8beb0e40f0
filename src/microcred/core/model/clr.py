"""CLR 2.0 ``ClrCredential``: a learner's credentials in one record, with the associations
between stacked credentials. Framework-free: the platform signs what :func:`build_clr` returns.

What goes in (``verifiableCredential``): each credential **as it is**, with its own
``@context`` and proof, so a verifier can check every one on its own and the CLR's proof
covers them all. Only VC 2.0 JSON-LD credentials with an embedded proof qualify
(:func:`not_embeddable` says why another one does not): a VC-JWT has no JSON form that keeps
its signature, and a VC 1.1 credential's protected terms clash with the VC 2.0 context the
CLR itself uses. A CLR that leaves something out says ``partial: true``.

Associations (``association``): derived only from what the embedded credentials themselves
say, and only between achievements that are both in the CLR (an association to an
achievement a verifier cannot see would be an unverifiable claim):

- achievement A lists B's id in ``stackableTowards`` (the EU "integration/stacking" element,
  microcred context) -> ``A isPartOf B`` (A stacks into B);
- A lists B's id in ``related`` (OB 3.0: another version or language of the same thing) ->
  ``A isRelatedTo B``;
- A has an ``alignment`` whose ``targetUrl`` is B's id -> ``A isRelatedTo B``;
- a credential cites another credential of the record in its ``evidence`` (by its id, or by a
  URL ending in the UUID of a ``urn:uuid:`` id: a public page) -> the cited credential's
  achievement ``isPartOf`` the citing one's (how microcred's pathway awards name their
  components).

Each pair and type is listed once, and an achievement is never associated with itself.
``achievement`` then lists every achievement that takes part in an association, reduced to
the OB terms the CLR's own contexts define (id, type, name, description, criteria), so the
record stays readable without the embedded credentials' extension contexts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from microcred.core.model.builder import now_z
from microcred.core.model.credential import OB_CONTEXT, OB_EXTENSIONS_CONTEXT, VC_V2_CONTEXT
from microcred.core.model.identity import IdentityObject

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
#: as the 1EdTech CLR test vector; the extensions context defines the 1EdTech schema type
#: (``credentialSchema``), for the CLR and for embedded credentials that use it without it
CLR_CONTEXTS = (VC_V2_CONTEXT, CLR_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT)
CLR_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
IS_PART_OF, IS_RELATED_TO = "isPartOf", "isRelatedTo"


@dataclass(frozen=True)
class Association:
    source_id: str
    target_id: str
    association_type: str

    def to_json(self) -> dict[str, str]:
        return {
            "type": "Association",
            "associationType": self.association_type,
            "sourceId": self.source_id,
            "targetId": self.target_id,
        }


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(document: dict[str, Any]) -> set[str]:
    return {t for t in _as_list(document.get("type")) if isinstance(t, str)}


def not_embeddable(document: Any) -> str | None:
    """Why ``document`` cannot be embedded in a CLR as it is (None: it can)."""
    if not isinstance(document, dict):
        return "it is no JSON credential"
    if "VerifiableCredential" not in _types(document):
        return "it is no Verifiable Credential (an Open Badges 2.0 assertion?)"
    contexts = _as_list(document.get("@context"))
    if not contexts or contexts[0] != VC_V2_CONTEXT:
        return "it is a VC 1.1 credential; a CLR 2.0 embeds VC 2.0 credentials"
    if not document.get("proof"):
        return "it carries no embedded proof (a VC-JWT keeps its signature only as the JWT)"
    return None


def achievement_of(document: dict[str, Any]) -> dict[str, Any] | None:
    """The first subject's achievement (OB 3.0 credentials have one)."""
    for subject in _as_list(document.get("credentialSubject")):
        if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
            achievement: dict[str, Any] = subject["achievement"]
            return achievement
    return None


def _targets(achievement: dict[str, Any]) -> list[tuple[str, str]]:
    """(target id, association type) that ``achievement`` itself names."""
    found = [(t, IS_PART_OF) for t in _as_list(achievement.get("stackableTowards"))]
    found += [
        (r.get("id"), IS_RELATED_TO)
        for r in _as_list(achievement.get("related"))
        if isinstance(r, dict)
    ]
    found += [
        (a.get("targetUrl"), IS_RELATED_TO)
        for a in _as_list(achievement.get("alignment"))
        if isinstance(a, dict)
    ]
    return [(t, kind) for t, kind in found if isinstance(t, str)]


def associations(documents: list[dict[str, Any]]) -> list[Association]:
    """The associations between the achievements of ``documents`` (rule: module note)."""
    achievements = [a for a in map(achievement_of, documents) if a and isinstance(a.get("id"), str)]
    present = {a["id"] for a in achievements}
    pairs = [(a["id"], target, kind) for a in achievements for target, kind in _targets(a)]
    pairs += _cited(documents)
    found: dict[tuple[str, str, str], Association] = {}
    for source, target, kind in pairs:
        if target in present and target != source:
            found.setdefault((source, target, kind), Association(source, target, kind))
    return list(found.values())


def _reference_keys(credential_id: str) -> set[str]:
    """How evidence may cite a credential: its id, or (urn:uuid ids) its UUID at a URL's end."""
    keys = {credential_id}
    if credential_id.startswith("urn:uuid:"):
        keys.add(credential_id.removeprefix("urn:uuid:"))
    return keys


def _cited(documents: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(component achievement, citing achievement, isPartOf) for evidence that cites a
    credential of the record."""
    achievement_by_key: dict[str, str] = {}
    for document in documents:
        achievement = achievement_of(document)
        if achievement and isinstance(document.get("id"), str) and achievement.get("id"):
            for key in _reference_keys(document["id"]):
                achievement_by_key[key] = achievement["id"]
    found: list[tuple[str, str, str]] = []
    for document in documents:
        citing = (achievement_of(document) or {}).get("id")
        for item in _as_list(document.get("evidence")):
            ref = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ref, str) or not isinstance(citing, str):
                continue
            key = ref if ref in achievement_by_key else ref.rstrip("/").rsplit("/", 1)[-1]
            if key in achievement_by_key:
                found.append((achievement_by_key[key], citing, IS_PART_OF))
    return found


def _summary(achievement: dict[str, Any]) -> dict[str, Any]:
    """The achievement with only the terms the CLR's own contexts define."""
    kept: dict[str, Any] = {
        k: achievement[k] for k in ("id", "name", "description") if k in achievement
    }
    criteria = achievement.get("criteria")
    if isinstance(criteria, dict):
        kept["criteria"] = {k: criteria[k] for k in ("id", "narrative") if k in criteria}
    return {"type": ["Achievement"], **kept}


def _associated_achievements(
    documents: list[dict[str, Any]], links: list[Association]
) -> list[dict[str, Any]]:
    wanted = {link.source_id for link in links} | {link.target_id for link in links}
    chosen: dict[str, dict[str, Any]] = {}
    for achievement in filter(None, map(achievement_of, documents)):
        if achievement.get("id") in wanted:
            chosen.setdefault(achievement["id"], _summary(achievement))
    return list(chosen.values())


@dataclass(frozen=True)
class ClrIssuer:
    """Who publishes the CLR: the platform's DID and a display name."""

    id: str
    name: str
    url: str | None = None


def build_clr(
    credentials: list[dict[str, Any]],
    *,
    issuer: ClrIssuer,
    learner_emails: list[str],
    name: str = "Comprehensive Learner Record",
    partial: bool = False,
    valid_from: str | None = None,
    clr_id: str | None = None,
) -> dict[str, Any]:
    """An unsigned ClrCredential of ``credentials`` (each embeddable, see
    :func:`not_embeddable`) about the learner with ``learner_emails`` (hashed, salted)."""
    if not credentials:
        raise ValueError("a CLR holds at least one credential")
    links = associations(credentials)
    subject: dict[str, Any] = {"type": ["ClrSubject"]}
    if learner_emails:
        subject["identifier"] = [IdentityObject.for_email(e).to_json() for e in learner_emails]
    subject["verifiableCredential"] = list(credentials)
    if links:
        subject["achievement"] = _associated_achievements(credentials, links)
        subject["association"] = [link.to_json() for link in links]
    profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        profile["url"] = issuer.url
    document: dict[str, Any] = {
        "@context": list(CLR_CONTEXTS),
        "id": clr_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": name,
        "issuer": profile,
        "validFrom": valid_from or now_z(),
        "credentialSubject": subject,
        "credentialSchema": [dict(CLR_SCHEMA)],
    }
    if partial:
        document["partial"] = True
    return document

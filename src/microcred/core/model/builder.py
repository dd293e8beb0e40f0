"""Build unsigned, JSON-ready Open Badges 3.0 credentials (the input of signing).

What the builder guarantees for every document it returns:

- ``@context`` is ``[VC 2.0, OB 3.0.3, OB extensions]`` plus ``https://w3id.org/microcred/v1``
  when the achievement carries EU elements. The extensions context is always there because
  ``credentialSchema`` uses the type ``1EdTechJsonSchemaValidator2019``, which only that
  context defines (without it, safe-mode signers refuse the credential and pyld drops it).
- No property outside the model and the microcred context: unknown extension properties
  are refused, because they would be undefined JSON-LD terms, silently missing from the
  signed RDF.
- The document parses with :func:`parse_credential` (so it is a valid OB 3.0 credential),
  and, when EU elements are given, carries every Annex I mandatory element.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from microcred.core.errors import InputError
from microcred.core.model.achievement import Achievement
from microcred.core.model.annex import EUMicroCredential
from microcred.core.model.base import OBModel
from microcred.core.model.common import CredentialStatus, Evidence, Result
from microcred.core.model.credential import (
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    VC_V2_CONTEXT,
)
from microcred.core.model.eu import ECTS, EU_TERMS, MICROCRED_CONTEXT, EUElements
from microcred.core.model.identity import IdentityObject
from microcred.core.model.parse import parse_credential, parse_endorsement, parse_model
from microcred.core.model.profile import Profile

SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019"
_SCHEMA_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
ACHIEVEMENT_CREDENTIAL_SCHEMA = _SCHEMA_BASE + "ob_v3p0_achievementcredential_schema.json"
ENDORSEMENT_CREDENTIAL_SCHEMA = _SCHEMA_BASE + "ob_v3p0_endorsementcredential_schema.json"

DateLike = datetime | str | None
M = TypeVar("M", bound=OBModel)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_PROBE_RECIPIENT = "did:example:template-probe"


def credential_contexts(*, eu: bool = False) -> list[str]:
    """The ``@context`` of a credential microcred issues."""
    contexts = [VC_V2_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT]
    return [*contexts, MICROCRED_CONTEXT] if eu else contexts


def now_z() -> str:
    """The current UTC time, second precision, ``Z`` suffix (VC ``dateTimeStamp``)."""
    return format_datetime_z(datetime.now(UTC))


def format_datetime_z(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise InputError("date-time has no time zone", where="validFrom/validUntil")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _datetime_z(value: DateLike, where: str) -> str | None:
    if value is None or isinstance(value, datetime):
        return None if value is None else format_datetime_z(value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not an ISO 8601 date-time", where=where) from None
    if parsed.tzinfo is None:
        raise InputError(f"{value!r} has no time zone", where=where)
    return format_datetime_z(parsed)


def reject_extensions(model: BaseModel, where: str, allowed: Iterable[str] = ()) -> None:
    """Refuse properties that no bundled context defines (recursively)."""
    allowed = frozenset(allowed)
    for key in model.model_extra or {}:
        if key not in allowed:
            raise InputError(
                f"unknown property {key!r}: it is not defined by the credential's "
                "JSON-LD contexts and would be missing from the signed data",
                where=f"{where}.{key}",
            )
    for name, field in type(model).model_fields.items():
        _reject_in(getattr(model, name), f"{where}.{field.alias or name}")


def _reject_in(value: Any, where: str) -> None:
    if isinstance(value, BaseModel):
        reject_extensions(value, where, EU_TERMS if isinstance(value, Achievement) else ())
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _reject_in(item, f"{where}[{index}]")


def _as_models(items: Iterable[Any], model: type[M], where: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        parsed = item if isinstance(item, model) else _parse_part(model, item, f"{where}[{index}]")
        reject_extensions(parsed, f"{where}[{index}]")
        out.append(parsed.to_json())
    return out


def _parse_part(model: type[M], item: Any, where: str) -> M:
    try:
        return parse_model(model, item)
    except InputError as exc:
        inner = "" if exc.where in (None, "document") else f".{exc.where}"
        raise InputError(exc.message, where=f"{where}{inner}") from None


def _achievement_json(achievement: Achievement, eu: EUElements | None) -> dict[str, Any]:
    reject_extensions(achievement, "achievement", EU_TERMS)
    document = achievement.to_json()
    if eu is not None:
        document.update(eu.achievement_properties())
        document.setdefault("achievementType", "MicroCredential")
        if eu.credit_points is not None and eu.credit_system == ECTS:
            # Generic OB displayers show creditsAvailable; for microcred it is ECTS credits.
            document.setdefault("creditsAvailable", eu.credit_points)
    return document


def _subject(
    achievement: dict[str, Any],
    recipient_email: str | None,
    recipient_id: str | None,
    salt: str | None,
) -> dict[str, Any]:
    if not recipient_email and not recipient_id:
        raise InputError("a recipient email or id is required", where="recipient")
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if recipient_id:
        subject["id"] = recipient_id
    if recipient_email:
        identity = IdentityObject.for_email(recipient_email, salt)
        subject["identifier"] = [identity.to_json()]
    subject["achievement"] = achievement
    return subject


def _issuer_json(issuer: Profile | str) -> str | dict[str, Any]:
    if isinstance(issuer, str):
        return issuer
    reject_extensions(issuer, "issuer")
    return issuer.to_json()


def _status_json(status: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return _parse_part(CredentialStatus, dict(status), "credentialStatus").to_json()


def _validity(valid_from: DateLike, valid_until: DateLike) -> tuple[str, str | None]:
    start = _datetime_z(valid_from, "validFrom") or now_z()
    end = _datetime_z(valid_until, "validUntil")
    if end is not None and end <= start:  # same format, so string order is time order
        raise InputError(f"validUntil {end} is not after validFrom {start}", where="validUntil")
    return start, end


@dataclass(frozen=True)
class CredentialTemplate:
    """What every credential of one achievement shares, serialized and checked once.

    Bulk issuing builds thousands of credentials from one template: the issuer and the
    achievement are validated (no undefined terms, a complete EU micro-credential) when the
    template is made, by building and fully parsing a probe credential; each credential then
    validates only what differs (recipient, results, evidence, status, dates).
    """

    issuer: str | dict[str, Any]
    achievement: dict[str, Any]
    contexts: tuple[str, ...]
    name: str


def credential_template(
    *,
    issuer: Profile | str,
    achievement: Achievement,
    eu: EUElements | None = None,
    name: str | None = None,
) -> CredentialTemplate:
    """The shared parts of the credentials of ``achievement`` (see :class:`CredentialTemplate`)."""
    achievement_json = _achievement_json(achievement, eu)
    contexts = credential_contexts(eu=bool(EU_TERMS & achievement_json.keys()))
    template = CredentialTemplate(
        _issuer_json(issuer), achievement_json, tuple(contexts), name or achievement.name
    )
    probe = build_from_template(template, recipient_id=_PROBE_RECIPIENT)
    parsed = parse_credential(probe)
    if eu is not None:
        EUMicroCredential.from_credential(parsed).check()
    return template


def build_from_template(
    template: CredentialTemplate,
    *,
    recipient_email: str | None = None,
    recipient_id: str | None = None,
    credential_id: str | None = None,
    valid_from: DateLike = None,
    valid_until: DateLike = None,
    evidence: Sequence[Evidence | Mapping[str, Any]] = (),
    result: Sequence[Result | Mapping[str, Any]] = (),
    narrative: str | None = None,
    credential_status: Mapping[str, Any] | None = None,
    salt: str | None = None,
) -> dict[str, Any]:
    """One unsigned credential from ``template``; each document gets its own copies of the
    shared parts, so changing one never changes another."""
    if recipient_id is not None and not _URI.match(recipient_id):
        raise InputError(f"{recipient_id!r} is not a URI", where="credentialSubject.id")
    subject = _subject(_json_copy(template.achievement), recipient_email, recipient_id, salt)
    if result:
        subject["result"] = _as_models(result, Result, "credentialSubject.result")
    if narrative:
        subject["narrative"] = narrative
    start, end = _validity(valid_from, valid_until)
    document: dict[str, Any] = {
        "@context": list(template.contexts),
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": template.name,
        "issuer": _json_copy(template.issuer),
        "validFrom": start,
        "awardedDate": start,
        "credentialSubject": subject,
        "credentialSchema": [{"id": ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR_TYPE}],
    }
    _add_optional(document, validUntil=end, credentialStatus=_status_json(credential_status))
    if evidence:
        document["evidence"] = _as_models(evidence, Evidence, "evidence")
    return document


def _json_copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars), several times faster than deepcopy."""
    if isinstance(value, dict):
        return {key: _json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_copy(item) for item in value]
    return value


def build_credential(
    *,
    issuer: Profile | str,
    achievement: Achievement,
    recipient_email: str | None = None,
    recipient_id: str | None = None,
    credential_id: str | None = None,
    valid_from: DateLike = None,
    valid_until: DateLike = None,
    name: str | None = None,
    evidence: Sequence[Evidence | Mapping[str, Any]] = (),
    result: Sequence[Result | Mapping[str, Any]] = (),
    narrative: str | None = None,
    credential_status: Mapping[str, Any] | None = None,
    eu: EUElements | None = None,
    salt: str | None = None,
) -> dict[str, Any]:
    """An unsigned OB 3.0 ``OpenBadgeCredential`` as a JSON-ready dict (see module doc)."""
    template = credential_template(issuer=issuer, achievement=achievement, eu=eu, name=name)
    document = build_from_template(
        template,
        recipient_email=recipient_email,
        recipient_id=recipient_id,
        credential_id=credential_id,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence=evidence,
        result=result,
        narrative=narrative,
        credential_status=credential_status,
        salt=salt,
    )
    return document


def _add_optional(document: dict[str, Any], **values: Any) -> None:
    document.update({key: value for key, value in values.items() if value is not None})


def build_endorsement(
    *,
    issuer: Profile | str,
    subject_id: str,
    comment: str | None = None,
    name: str,
    credential_id: str | None = None,
    valid_from: DateLike = None,
    valid_until: DateLike = None,
) -> dict[str, Any]:
    """An unsigned OB 3.0 ``EndorsementCredential`` about ``subject_id`` (a profile,
    achievement or credential id)."""
    start, end = _validity(valid_from, valid_until)
    subject: dict[str, Any] = {"id": subject_id, "type": ["EndorsementSubject"]}
    _add_optional(subject, endorsementComment=comment)
    document: dict[str, Any] = {
        "@context": credential_contexts(),
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": name,
        "issuer": _issuer_json(issuer),
        "validFrom": start,
        "credentialSubject": subject,
        "credentialSchema": [{"id": ENDORSEMENT_CREDENTIAL_SCHEMA, "type": SCHEMA_VALIDATOR_TYPE}],
    }
    _add_optional(document, validUntil=end)
    parse_endorsement(document)
    return document

"""Open Badges 3.0 model, EU micro-credential elements and the credential builder.

The public API is re-exported here; modules: ``base`` (shared base class), ``common``,
``identity``, ``profile``, ``achievement``, ``credential`` (the OB 3.0 classes), ``parse``
(untrusted JSON -> model, path-naming errors), ``eu`` and ``annex`` (EU micro-credential
elements and the Annex I check), ``builder`` and ``samples``.
"""

from microcred.core.model.achievement import Achievement, AchievementSubject
from microcred.core.model.annex import ANNEX_I_MANDATORY, EUMicroCredential
from microcred.core.model.base import OBModel
from microcred.core.model.builder import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA,
    ENDORSEMENT_CREDENTIAL_SCHEMA,
    CredentialTemplate,
    build_credential,
    build_endorsement,
    build_from_template,
    credential_contexts,
    credential_template,
    now_z,
)
from microcred.core.model.common import (
    Address,
    Alignment,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    Evidence,
    GeoCoordinates,
    IdentifierEntry,
    Image,
    Proof,
    RefreshService,
    Related,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    TermsOfUse,
)
from microcred.core.model.credential import (
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    VC_V1_CONTEXT,
    VC_V2_CONTEXT,
    AchievementCredential,
    EndorsementCredential,
    EndorsementSubject,
    OpenBadgeCredential,
)
from microcred.core.model.eu import (
    EU_TERMS,
    MICROCRED_CONTEXT,
    EUElements,
    IntegrationOption,
    ParticipationForm,
    SupervisionVerification,
)
from microcred.core.model.identity import IdentityObject, hash_email, normalize_email
from microcred.core.model.parse import parse_credential, parse_endorsement, parse_model
from microcred.core.model.profile import Profile
from microcred.core.model.samples import (
    sample_achievement,
    sample_credential,
    sample_eu_elements,
    sample_issuer,
)

__all__ = [
    "ACHIEVEMENT_CREDENTIAL_SCHEMA",
    "ANNEX_I_MANDATORY",
    "ENDORSEMENT_CREDENTIAL_SCHEMA",
    "EU_TERMS",
    "MICROCRED_CONTEXT",
    "OB_CONTEXT",
    "OB_EXTENSIONS_CONTEXT",
    "VC_V1_CONTEXT",
    "VC_V2_CONTEXT",
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Address",
    "Alignment",
    "CredentialSchema",
    "CredentialStatus",
    "CredentialTemplate",
    "Criteria",
    "EUElements",
    "EUMicroCredential",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "GeoCoordinates",
    "IdentifierEntry",
    "IdentityObject",
    "Image",
    "IntegrationOption",
    "OBModel",
    "OpenBadgeCredential",
    "ParticipationForm",
    "Profile",
    "Proof",
    "RefreshService",
    "Related",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "SupervisionVerification",
    "TermsOfUse",
    "build_credential",
    "build_endorsement",
    "build_from_template",
    "credential_contexts",
    "credential_template",
    "hash_email",
    "normalize_email",
    "now_z",
    "parse_credential",
    "parse_endorsement",
    "parse_model",
    "sample_achievement",
    "sample_credential",
    "sample_eu_elements",
    "sample_issuer",
]

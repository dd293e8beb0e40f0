"""Realistic rows for every microcred model, written through *historical* models (the app
registry of a migration state), so the same builders fill the database at any schema version.

Each builder returns the row's field values; ``insert`` keeps only the fields the historical
model has (a column added later is simply not set yet) and records what it wrote, so that the
values can be checked after the upgrade. A model with no builder here fails the upgrade tests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
LEARNER, OWNER = "ana.de.vries@example.org", "registrar@tu-delft.example"
CRED_ID = "urn:uuid:5f1c9a2e-7d64-4b0e-9c53-2a8f0d6e1b47"
BASE = "http://127.0.0.1:8000"
DID = "did:web:127.0.0.1%3A8000:providers:tu-delft"
SKILL_URI = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
OCCUPATION_URI = "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30"

DOCUMENT: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": CRED_ID,
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": DID, "type": ["Profile"], "name": "TU Delft"},
    "validFrom": "2026-03-14T09:30:00Z",
    "name": "Data Cleaning in Practice",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                        "hashed": False, "identityHash": LEARNER}],
        "achievement": {"id": f"{BASE}/achievements/tu-delft/data-cleaning/1",
                        "type": ["Achievement"], "name": "Data Cleaning in Practice",
                        "criteria": {"narrative": "Passed the final project."}},
    },
}  # fmt: skip


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


B = dict[str, Any]
Ctx = dict[str, Any]

# label -> builder(ctx) -> field values; in dependency order (ctx holds what came before).
BUILDERS: dict[str, Callable[[Ctx], B]] = {
    "auth.User": lambda c: {"username": LEARNER, "email": LEARNER, "password": "!"},
    "providers.Provider": lambda c: {
        "slug": "tu-delft", "name": "TU Delft", "legal_name": "Technische Universiteit Delft",
        "country": "NL", "website": "https://www.tudelft.nl", "contact_email": OWNER,
        "did_method": "web", "did": DID, "accreditation": "NVAO accredited",
    },
    "providers.Membership": lambda c: {"user": c["auth.User"], "provider": c["providers.Provider"],
                                       "role": "owner"},
    "providers.ProviderKey": lambda c: {
        "provider": c["providers.Provider"], "key_id": f"{DID}#key-1",
        "public_key_multibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "encrypted_secret": b"\x01sealed-ed25519-seed",
    },
    "providers.AuditEvent": lambda c: {
        "provider": c["providers.Provider"], "actor": c["auth.User"],
        "action": "credential.issued", "subject": CRED_ID, "details": {"recipient": LEARNER},
    },
    "providers.ApiToken": lambda c: {
        "provider": c["providers.Provider"], "created_by": c["auth.User"], "name": "SIS export",
        "prefix": "mc_ab12c", "secret_hash": digest("token"), "role": "issuer",
    },
    "credentials.MicroCredentialDefinition": lambda c: {
        "provider": c["providers.Provider"], "slug": "data-cleaning", "version": 1,
        "status": "published", "name": "Data Cleaning in Practice",
        "description": "Cleans, explores and documents tabular data.",
        "criteria_narrative": "Passed the final project.",
        "learning_outcomes": ["Clean a messy data set"], "expiry_months": 36,
        "eu_elements": {"ects": 3, "eqf_level": 6}, "is_eu": True,
    },
    "credentials.StatusList": lambda c: {
        "provider": c["providers.Provider"], "purpose": "revocation",
        "url": f"{BASE}/status/tu-delft/revocation/1", "bits": bytes(16384),
        "allocated": bytes(16384), "signed": {},
    },
    "credentials.IssuedCredential": lambda c: {
        "provider": c["providers.Provider"], "definition": c["credentials.MicroCredentialDefinition"],
        "credential_id": CRED_ID, "recipient_email": LEARNER,
        "recipient_email_hash": digest(LEARNER), "document": DOCUMENT, "status_index": 4711,
        "suspension_index": 912,  # required before credentials.0002, as both lists were
        "state": "active", "idempotency_key": "sis:2026:4711", "issued_at": WHEN,
    },
    "credentials.CredentialPageView": lambda c: {
        "credential": c["credentials.IssuedCredential"], "day": date(2026, 3, 15), "count": 7,
    },
    "bulk.BulkJob": lambda c: {
        "provider": c["providers.Provider"], "definition": c["credentials.MicroCredentialDefinition"],
        "created_by": c["auth.User"], "filename": "spring-cohort.csv", "state": "done",
        "total": 1, "issued": 1,
    },
    "bulk.BulkRow": lambda c: {
        "job": c["bulk.BulkJob"], "line": 2, "data": {"email": LEARNER},
        "idempotency_key": "bulk:1:2", "state": "issued", "attempted": True,
        "credential": c["credentials.IssuedCredential"],
    },
    "delivery.ClaimInvitation": lambda c: {
        "credential": c["credentials.IssuedCredential"], "token_hash": digest("claim"),
        "sent_at": WHEN, "send_attempts": 1, "claimed_by": c["auth.User"], "claimed_at": WHEN,
    },
    "oauth2_provider.Application": lambda c: {
        "name": "Backpack wallet", "client_type": "confidential",
        "authorization_grant_type": "authorization-code",
        "redirect_uris": "https://wallet.example.org/callback",
    },
    "obapi.RegisteredClient": lambda c: {
        "application": c["oauth2_provider.Application"],
        "scope": "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly",
        "metadata": {"client_name": "Backpack wallet"},
    },
    "obapi.LearnerProfile": lambda c: {"user": c["auth.User"], "name": "Ana de Vries",
                                       "email": LEARNER},
    "obapi.UploadedCredential": lambda c: {
        "user": c["auth.User"], "issuer_id": DID, "credential_id": CRED_ID, "document": DOCUMENT,
        "valid_from": WHEN,
    },
    "verification.TrustedIssuer": lambda c: {
        "name": "TU Delft", "website": "https://www.tudelft.nl", "vetting_method": "accreditation",
        "vetted_by": "operator@example.org", "vetted_on": date(2026, 1, 5), "state": "active",
    },
    "verification.TrustedIssuerDid": lambda c: {"issuer": c["verification.TrustedIssuer"],
                                                "did": DID},
    "verification.TrustedIssuerDomain": lambda c: {"issuer": c["verification.TrustedIssuer"],
                                                   "domain": "tudelft.nl"},
    "wallet.WalletCredential": lambda c: {
        "owner": c["auth.User"], "source": "upload", "source_name": "data-cleaning.json",
        "original": b"{}", "format": "json", "document": DOCUMENT, "dedupe_key": f"id:{CRED_ID}",
        "credential_id": CRED_ID, "report": {"verdict": "valid"}, "verdict": "valid",
        "verified_at": WHEN, "is_public": True,
    },
    "wallet.HolderKey": lambda c: {
        "owner": c["auth.User"], "did": "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",
        "public_key_multibase": "z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",
        "sealed_secret": b"\x01sealed-holder-seed",
    },
    "sharing.Profile": lambda c: {"owner": c["auth.User"], "is_public": True,
                                  "handle": "ana-de-vries", "display_name": "Ana de Vries"},
    "sharing.ShareLink": lambda c: {
        "owner": c["auth.User"], "token_hash": digest("share"), "label": "Hiring panel",
        "keys": [f"claimed:{CRED_ID}"], "challenge": "c2hhcmUtY2hhbGxlbmdl",
    },
    "portability.PlatformKey": lambda c: {
        "did": "did:web:127.0.0.1%3A8000", "key_id": "did:web:127.0.0.1%3A8000#key-1",
        "public_key_multibase": "z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
        "sealed_secret": b"\x01sealed-platform-seed",
    },
    "pathways.PathwayDefinition": lambda c: {
        "provider": c["providers.Provider"], "slug": "data-analyst", "version": 1,
        "status": "published", "name": "Data Analyst micro-degree",
        "source": "name: Data Analyst micro-degree\nall:\n  - achievement: data-cleaning\n",
        "source_format": "yaml", "parsed": {"all": [{"achievement": "data-cleaning"}]},
        "award_definition": c["credentials.MicroCredentialDefinition"],
    },
    "pathways.PathwayProgress": lambda c: {
        "learner": c["auth.User"], "pathway": c["pathways.PathwayDefinition"], "fraction": 1.0,
        "complete": True, "used": [CRED_ID], "evaluated_at": WHEN,
    },
    "pathways.PathwayAward": lambda c: {
        "learner": c["auth.User"], "pathway": c["pathways.PathwayDefinition"],
        "credential": c["credentials.IssuedCredential"], "components": [CRED_ID],
        "state": "active",
    },
    "skills.Skill": lambda c: {"scheme": "esco", "code": "S5.6.1", "uri": SKILL_URI,
                               "label": "clean data", "alt_labels": ["data cleansing"]},
    "skills.Occupation": lambda c: {"scheme": "esco", "code": "2511.3", "uri": OCCUPATION_URI,
                                    "label": "data analyst"},
    "skills.OccupationSkill": lambda c: {"occupation": c["skills.Occupation"],
                                         "skill": c["skills.Skill"], "relation": "essential"},
    "skills.SkillVector": lambda c: {"skill": c["skills.Skill"], "model": "all-MiniLM-L6-v2",
                                     "vector": bytes(768), "text_digest": digest("clean data")},
    "skills.Offering": lambda c: {
        "provider": c["providers.Provider"], "slug": "data-cleaning-spring",
        "title": "Data Cleaning in Practice (spring)",
        "definition": c["credentials.MicroCredentialDefinition"], "hours": Decimal("84.0"),
        "ects": Decimal("3.0"), "price": Decimal("450.00"), "currency": "EUR", "mode": "online",
        "language": "en", "is_published": True,
    },
    "skills.OfferingSkill": lambda c: {"offering": c["skills.Offering"], "skill": c["skills.Skill"],
                                       "level": 2},
    "talent.Employer": lambda c: {"name": "Rabobank Data Office", "slug": "rabobank-data"},
    "talent.EmployerMember": lambda c: {"employer": c["talent.Employer"], "user": c["auth.User"],
                                        "role": "owner"},
    "talent.Role": lambda c: {"employer": c["talent.Employer"], "title": "Junior data analyst",
                              "occupation": c["skills.Occupation"], "status": "open"},
    "talent.RoleSkill": lambda c: {"role": c["talent.Role"], "skill": c["skills.Skill"],
                                   "must_have": True, "weight": 1.0, "min_level": 2},
    "talent.MatchingConsent": lambda c: {"owner": c["auth.User"], "opted_in": True, "scope": "all",
                                         "display_name": "Ana de Vries"},
    "talent.HeldSkill": lambda c: {
        "owner": c["auth.User"], "skill_uri": SKILL_URI, "level": 2, "issued_at": WHEN,
        "credential_key": f"wallet:{c['wallet.WalletCredential'].pk}",
        "wallet": c["wallet.WalletCredential"], "credential_name": "Data Cleaning in Practice",
        "issuer_name": "TU Delft", "trust": 1.0,
    },
    "talent.LearnerGoal": lambda c: {"learner": c["auth.User"], "occupation": c["skills.Occupation"],
                                     "cost_by": "price"},
}  # fmt: skip


@dataclass
class Inserted:
    """What was written before the upgrade: instances by label, and the values given."""

    rows: Ctx = field(default_factory=dict)
    values: dict[str, B] = field(default_factory=dict)


def missing_builders(state_apps: Any) -> list[str]:
    """Microcred models in a state that have no builder here."""
    return sorted(
        model._meta.label
        for model in state_apps.get_models()
        if model.__module__.startswith("__fake__")
        and _is_microcred(model._meta.app_label)
        and model._meta.label not in BUILDERS
    )


def _is_microcred(label: str) -> bool:
    from django.apps import apps

    try:
        return apps.get_app_config(label).name.startswith("microcred.")
    except LookupError:
        return False


def insert(state_apps: Any) -> Inserted:
    """One row per model that exists in ``state_apps``, with the fields it has there."""
    done = Inserted()
    for label, builder in BUILDERS.items():
        try:
            model = state_apps.get_model(label)
        except LookupError:
            continue  # created by a later migration
        names = {f.name for f in model._meta.get_fields()}
        given = {k: v for k, v in builder(done.rows).items() if k in names}
        done.rows[label] = model.objects.create(**given)
        done.values[label] = given
    return done

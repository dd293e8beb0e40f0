"""Is this credential a complete EU micro-credential? (Annex I mandatory elements.)

Annex I of Council Recommendation 2022/C 243/02 lists eleven mandatory elements. Each
is looked up where microcred writes it (OB 3.0 field or microcred extension term):

==============================  ======================================================
Identification of the learner   ``credentialSubject.id`` or an ``identifier``
Title                           ``achievement.name``
Country/region of the issuer    issuer Profile ``address.addressCountry`` / ``…Code``
Awarding body                   issuer Profile ``name``
Date of issuing                 ``validFrom`` (``issuanceDate`` for VC 1.1)
Learning outcomes               ``learningOutcomes``, or an OB ``alignment`` to a
                                competency (``targetType`` ``ceasn:Competency``/``CFItem``)
Notional workload               ``creditPoints`` (ECTS) or ``notionalWorkloadHours``
Level                           ``eqfLevel`` or ``nqfLevel`` (one of them is required:
                                "if applicable" is read as "give the national level if
                                there is no EQF level")
Type of assessment              ``assessmentType``
Form of participation           ``participationForm``
Type of quality assurance       ``qualityAssurance``
==============================  ======================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from microcred.core.errors import InputError
from microcred.core.model.credential import AchievementCredential
from microcred.core.model.eu import EUElements
from microcred.core.model.profile import Profile


def _country(credential: AchievementCredential) -> bool:
    issuer = credential.issuer
    if not isinstance(issuer, Profile) or issuer.address is None:
        return False
    return bool(issuer.address.address_country or issuer.address.address_country_code)


def _awarding_body(credential: AchievementCredential) -> bool:
    return isinstance(credential.issuer, Profile) and bool(credential.issuer.name)


_COMPETENCY_TARGETS = frozenset({"ceasn:Competency", "CFItem"})


def _outcomes(credential: AchievementCredential, eu: EUElements) -> bool:
    if eu.learning_outcomes:
        return True
    alignments = credential.achievement.alignment or []
    return any(a.target_type in _COMPETENCY_TARGETS for a in alignments)


def _learner(credential: AchievementCredential) -> bool:
    subject = credential.credential_subject
    return bool(subject.id or subject.identifier)


_Check = Callable[[AchievementCredential, EUElements], bool]

#: Annex I mandatory elements, in the Recommendation's order, with how each is found.
ANNEX_I_MANDATORY: tuple[tuple[str, _Check], ...] = (
    ("identification of the learner", lambda c, _: _learner(c)),
    ("title of the micro-credential", lambda c, _: bool(c.achievement.name)),
    ("country/region of the issuer", lambda c, _: _country(c)),
    ("awarding body", lambda c, _: _awarding_body(c)),
    ("date of issuing", lambda c, _: c.starts is not None),
    ("learning outcomes", _outcomes),
    (
        "notional workload (ECTS credits or hours)",
        lambda _, eu: eu.credit_points is not None or eu.notional_workload_hours is not None,
    ),
    ("level (EQF or NQF)", lambda _, eu: eu.eqf_level is not None or eu.nqf_level is not None),
    ("type of assessment", lambda _, eu: eu.assessment_type is not None),
    ("form of participation", lambda _, eu: eu.participation_form is not None),
    ("type of quality assurance", lambda _, eu: eu.quality_assurance is not None),
)


@dataclass(frozen=True)
class EUMicroCredential:
    """A credential read as an EU micro-credential: its EU elements and what is missing."""

    credential: AchievementCredential
    eu: EUElements

    @classmethod
    def from_credential(cls, credential: AchievementCredential) -> EUMicroCredential:
        eu = EUElements.from_achievement(credential.achievement) or EUElements()
        return cls(credential=credential, eu=eu)

    def missing(self) -> list[str]:
        """The mandatory Annex I elements this credential does not carry (empty if none)."""
        return [
            name for name, present in ANNEX_I_MANDATORY if not present(self.credential, self.eu)
        ]

    def check(self) -> None:
        """Raise :class:`InputError` listing every missing mandatory element."""
        missing = self.missing()
        if missing:
            raise InputError(
                "not a complete EU micro-credential, missing Annex I elements: "
                + ", ".join(missing),
                where="credentialSubject.achievement",
            )

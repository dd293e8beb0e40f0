"""A realistic sample micro-credential for the demo, the docs and the tests.

"Data Analysis with SQL": 5 ECTS, EQF level 6, online, assessed by a proctored exam with
identity verification, stackable towards a certificate programme. All names and URLs are
fictitious (``example.edu`` is reserved for documentation).
"""

from __future__ import annotations

from typing import Any

from microcred.core.model.achievement import Achievement
from microcred.core.model.builder import build_credential
from microcred.core.model.common import Address, Alignment, Criteria, ResultDescription
from microcred.core.model.eu import (
    EUElements,
    IntegrationOption,
    ParticipationForm,
    SupervisionVerification,
)
from microcred.core.model.profile import Profile

SAMPLE_ISSUER_ID = "https://example.edu/issuers/1"
_ACHIEVEMENT_ID = "https://example.edu/achievements/data-analysis-sql"


def sample_issuer(issuer_id: str = SAMPLE_ISSUER_ID) -> Profile:
    """The issuing institution, with the country Annex I asks for."""
    return Profile(
        id=issuer_id,
        name="Example University of Applied Sciences",
        url="https://example.edu",
        email="credentials@example.edu",
        address=Address(
            address_country="Netherlands",
            address_country_code="NL",
            address_locality="Utrecht",
        ),
    )


def sample_eu_elements() -> EUElements:
    return EUElements(
        credit_points=5,
        notional_workload_hours=140,
        eqf_level=6,
        participation_form=ParticipationForm.ONLINE,
        assessment_type="Proctored online written exam and a graded SQL analysis project",
        supervision_verification=SupervisionVerification.SUPERVISED_WITH_ID,
        quality_assurance="Internal quality assurance of the institution (ESG 2015), "
        "externally reviewed by the national accreditation body",
        integration_option=IntegrationOption.INTEGRATED_STACKABLE,
        stackable_towards=["https://example.edu/programmes/data-analytics-certificate"],
        prerequisites="Basic spreadsheet skills; no programming experience required",
        learning_outcomes=[
            "Write SQL queries that filter, join and aggregate relational data",
            "Design a normalised relational schema for a small business domain",
            "Analyse a real data set with SQL and report the findings to stakeholders",
        ],
    )


def sample_achievement() -> Achievement:
    """The "Data Analysis with SQL" achievement (without its EU elements)."""
    return Achievement(
        id=_ACHIEVEMENT_ID,
        name="Data Analysis with SQL",
        description="Query, combine and summarise relational data with SQL to answer "
        "business questions, and communicate the results.",
        criteria=Criteria(
            id=f"{_ACHIEVEMENT_ID}/criteria",
            narrative="Pass the proctored online exam (at least 55%) and the graded "
            "analysis project.",
        ),
        achievement_type="MicroCredential",
        field_of_study="Information and Communication Technologies",
        specialization="Data analysis",
        human_code="DA-SQL-6",
        in_language="en",
        tag=["SQL", "data analysis", "databases"],
        version="2025.1",
        alignment=[
            Alignment(
                target_name="EQF level 6",
                target_url="http://data.europa.eu/snb/eqf/6",
                target_framework="European Qualifications Framework",
            )
        ],
        result_description=[
            ResultDescription(
                id=f"{_ACHIEVEMENT_ID}/results/final",
                name="Final grade",
                result_type="Percent",
                value_min="0",
                value_max="100",
                required_value="55",
            )
        ],
    )


def sample_credential(
    *,
    issuer_id: str = SAMPLE_ISSUER_ID,
    recipient_email: str = "ana.andromeda@example.com",
    salt: str | None = None,
    credential_id: str | None = None,
    valid_from: str | None = None,
) -> dict[str, Any]:
    """An unsigned EU micro-credential for "Data Analysis with SQL" with a grade of 87%."""
    return build_credential(
        issuer=sample_issuer(issuer_id),
        achievement=sample_achievement(),
        recipient_email=recipient_email,
        recipient_id=None,
        credential_id=credential_id,
        valid_from=valid_from,
        result=[
            {
                "type": ["Result"],
                "resultDescription": f"{_ACHIEVEMENT_ID}/results/final",
                "value": "87",
            }
        ],
        credential_status=None,
        eu=sample_eu_elements(),
        salt=salt,
    )

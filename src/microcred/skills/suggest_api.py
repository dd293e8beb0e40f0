"""``POST /api/v1/skills/suggest``: the skills a text (a learning outcome) is about.

For provider staff writing definitions (a provider token or a signed-in staff session, any
role: it reads only the public taxonomies). Body ``{"text": str, "k": 1-20, "scheme"?:
"esco" | "onet" | "custom"}``; the answer lists up to ``k`` skills, best first, each with the
OB alignment a definition would store for it.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from microcred.providers.api import AUTH, caller
from microcred.skills import suggesting

router = Router(tags=["skills"], auth=AUTH)


class SuggestRequest(Schema):
    text: str = Field(..., min_length=1, max_length=5000, description="A learning outcome")
    k: int = Field(5, ge=1, le=20, description="How many skills")
    scheme: Literal["esco", "onet", "custom"] | None = Field(
        None, description="Only this taxonomy (default: every imported one)"
    )


class SuggestedSkill(Schema):
    uri: str
    label: str
    score: float = Field(..., description="Similarity; compare within one answer only")
    framework: str
    alignment: dict[str, str] = Field(..., description="The OB 3.0 Alignment to store")


class SuggestResponse(Schema):
    suggestions: list[SuggestedSkill]


@router.post("/suggest", response=SuggestResponse, summary="Skills a text is about")
def suggest(request: HttpRequest, payload: SuggestRequest) -> Any:
    caller(request)
    found = suggesting.suggest_skills(payload.text, payload.k, payload.scheme)
    alignments = suggesting.alignments_for([s.uri for s in found])
    return {
        "suggestions": [
            {
                "uri": s.uri,
                "label": s.label,
                "score": s.score,
                "framework": s.framework,
                "alignment": alignments[s.uri],
            }
            for s in found
        ]
    }

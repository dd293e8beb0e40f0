"""The credit lines ESCO and O*NET require wherever their data is shown.

Exact texts: ESCO's from the Commission's reuse terms; O*NET's is the CC BY 4.0 "modified"
credit from the O*NET release's Read Me, naming microcred as the modifier (the import maps
O*NET's scales onto microcred's and drops rows; see docs/skills.md). Custom taxonomies need no
credit. ``attribution_for`` takes scheme names and touches no database, so a page that knows
which schemes it displays can call it (or include ``skills/_attribution.html``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
ONET_RELEASE = "29.2"


def onet_attribution(release: str = ONET_RELEASE) -> str:
    return (
        f"This page includes information from the O*NET {release} Database by the U.S. "
        "Department of Labor, Employment and Training Administration (USDOL/ETA). Used under "
        "the CC BY 4.0 license. O*NET\u00ae is a trademark of USDOL/ETA. microcred has modified "
        "all or some of this information. USDOL/ETA has not approved, endorsed, or tested "
        "these modifications."
    )


@dataclass(frozen=True)
class Attribution:
    scheme: str
    name: str
    text: str
    url: str
    licence: str
    licence_url: str
    #: how microcred changed the data, when the required text does not say it already
    note: str = ""


ESCO = Attribution(
    scheme="esco",
    name="ESCO",
    text=ESCO_ATTRIBUTION,
    url="https://esco.ec.europa.eu/",
    licence="European Commission reuse policy (CC BY 4.0)",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    note=(
        "microcred has modified some of this information: occupations' skills are matched to "
        "ESCO skills by label where the source names no URI."
    ),
)
ONET = Attribution(
    scheme="onet",
    name="O*NET",
    text=onet_attribution(),
    url="https://www.onetcenter.org/",
    licence="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
)
_BY_SCHEME = {"esco": ESCO, "onet": ONET}


def attribution_for(schemes: Iterable[str] | str | None) -> list[Attribution]:
    """The credits for the schemes shown, ESCO first, each once. ``schemes`` is any iterable
    of scheme names (``"esco"``, ``"onet"``, ``"custom"``) or one comma-separated string."""
    if not schemes:
        return []
    names = schemes.split(",") if isinstance(schemes, str) else list(schemes)
    wanted = {str(name).strip().lower() for name in names}
    return [credit for scheme, credit in _BY_SCHEME.items() if scheme in wanted]

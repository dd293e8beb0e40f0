"""The badge image for a public credential: an SVG to embed on other sites.

Not baked: the image is a picture of the credential, not the credential (an imported one may
be a JWT whose proof a re-serialised copy would lose); the link around it leads to the page
with the facts and the verdict. Every text is escaped: names come from other issuers.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape, quoteattr

VERDICT_COLOURS = {"valid": "#1d7a46"}
OTHER_COLOUR = "#a3262d"


def _lines(text: str, width: int, most: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], textwrap.shorten(" ".join(lines[most - 1 :]), width)]
    return lines


def badge_svg(name: str, issuer: str, verdict: str, verdict_label: str) -> bytes:
    names = _lines(name, 20, 3)
    top = 185 - 18 * len(names)
    texts = [
        f'<text x="200" y="{top + 36 * n}" font-size="28" font-weight="700">{escape(line)}</text>'
        for n, line in enumerate(names)
    ]
    issuer_y = top + 36 * len(names) + 8
    texts += [
        f'<text x="200" y="{issuer_y + 24 * n}" font-size="18" fill="#e6ecf5">{escape(line)}</text>'
        for n, line in enumerate(_lines(issuer, 28, 2))
    ]
    mark = "✔" if verdict == "valid" else "✘"
    colour = VERDICT_COLOURS.get(verdict, OTHER_COLOUR)
    label = f"{name} — {issuer} — {verdict_label}"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"'
        f' role="img" aria-label={quoteattr(label)}><title>{escape(label)}</title>'
        '<circle cx="200" cy="200" r="187" fill="#16518f" stroke="#b7791f" stroke-width="10"/>'
        '<g fill="#ffffff" text-anchor="middle" font-family="sans-serif">' + "".join(texts) + "</g>"
        f'<rect x="110" y="318" width="180" height="36" rx="18" fill="{colour}"/>'
        '<text x="200" y="342" fill="#ffffff" text-anchor="middle" font-family="sans-serif"'
        f' font-size="17" font-weight="700">{escape(mark + " " + verdict_label)}</text></svg>'
    )
    return svg.encode("utf-8")

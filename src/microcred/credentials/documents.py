"""What a signed credential says, as people read it: page facts, badges, a PDF certificate.

Everything is read from the signed document (never from the definition, which may have
changed since), so the page, the badge and the certificate show exactly what was signed.
Badges are baked with the engine (``bake_png`` / ``bake_svg``); the certificate is an fpdf2
A4 page whose QR code (segno) is drawn as vector squares and points to the public page.
"""

from __future__ import annotations

import io
import json
import textwrap
import unicodedata
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import segno
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from microcred.core.crypto.baking import bake_png, bake_svg
from microcred.core.model.facts import facts_of

BRAND = (22, 81, 143)
# Typographic punctuation that neither Latin-1 nor NFKD folding maps to something readable.
PUNCTUATION = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2022": "-",
    }
)


def payload(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- badges

BADGE_SIZE = 400


def _wrapped(text: str, width: int, lines: int) -> list[str]:
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1 :]), width)]
    return wrapped


def _fonts() -> tuple[Any, Any, bool]:
    """Title and small fonts, and whether they cover more than ASCII.

    Pillow's built-in font has ASCII glyphs only: use DejaVu when the system has it (Debian's
    fonts-dejavu-core), otherwise fold text to ASCII rather than draw empty boxes.
    """
    try:
        bold = "DejaVuSans-Bold.ttf"
        return ImageFont.truetype(bold, 40), ImageFont.truetype("DejaVuSans.ttf", 22), True
    except OSError:
        return ImageFont.load_default(size=42), ImageFont.load_default(size=24), False


def ascii_fold(text: str) -> str:
    text = text.translate(PUNCTUATION)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def badge_png(document: dict[str, Any]) -> bytes:
    """A generated round badge with the achievement and issuer names, the credential baked in."""
    facts = facts_of(document)
    image = Image.new("RGBA", (BADGE_SIZE, BADGE_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        (8, 8, BADGE_SIZE - 8, BADGE_SIZE - 8), fill=BRAND, outline=(183, 121, 31), width=10
    )
    title, small, unicode = _fonts()
    fold = (lambda text: text) if unicode else ascii_fold
    lines = _wrapped(fold(facts.name), 13, 3)
    y = BADGE_SIZE // 2 - 26 * len(lines) - 16
    for line in lines:
        draw.text((BADGE_SIZE // 2, y), line, font=title, fill="white", anchor="mt")
        y += 50
    for line in _wrapped(fold(facts.issuer_name), 22, 2):
        draw.text((BADGE_SIZE // 2, y + 10), line, font=small, fill=(230, 236, 245), anchor="mt")
        y += 30
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return bake_png(buffer.getvalue(), payload(document))


def badge_svg(document: dict[str, Any]) -> bytes:
    """The same badge as SVG, the credential baked in."""
    facts = facts_of(document)
    lines = _wrapped(facts.name, 18, 3)
    top = 200 - 20 * len(lines)
    texts = [
        f'<text x="200" y="{top + 38 * n}" font-size="30" font-weight="700">{escape(line)}</text>'
        for n, line in enumerate(lines)
    ]
    issuer_y = top + 38 * len(lines) + 12
    texts.extend(
        f'<text x="200" y="{issuer_y + 24 * n}" font-size="18" fill="#e6ecf5">{escape(line)}</text>'
        for n, line in enumerate(_wrapped(facts.issuer_name, 28, 2))
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"'
        f' role="img" aria-label={quoteattr(facts.name)}>'
        '<circle cx="200" cy="200" r="187" fill="#16518f" stroke="#b7791f" stroke-width="10"/>'
        '<g fill="#ffffff" text-anchor="middle" font-family="sans-serif">'
        + "".join(texts)
        + "</g></svg>"
    )
    return bake_svg(svg, payload(document))


# ---------------------------------------------------------------- PDF certificate


def latin1(text: str) -> str:
    """fpdf2's core fonts are Latin-1: fold accents elsewhere, mark what cannot be shown."""
    out = []
    for char in text.translate(PUNCTUATION):
        if ord(char) < 256:
            out.append(char)
            continue
        folded = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(folded or "?")
    return "".join(out)


def qr_modules(url: str) -> list[tuple[int, int]]:
    """(column, row) of every dark module of the page's QR code (quiet zone excluded)."""
    matrix = segno.make(url, error="m", micro=False).matrix
    return [(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark]


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    count = len(segno.make(url, error="m", micro=False).matrix)
    module = size / count
    pdf.set_fill_color(0, 0, 0)
    for col, row in qr_modules(url):
        pdf.rect(x + col * module, y + row * module, module, module, style="F")
    pdf.link(x, y, size, size, url)


def _line(pdf: FPDF, text: str, size: float, style: str = "", height: float = 9) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, height, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")


def certificate_pdf(document: dict[str, Any], page_url: str, *, compress: bool = True) -> bytes:
    """An A4 landscape certificate with a QR code to the public page (where it is verified)."""
    facts = facts_of(document)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_title(latin1(facts.name))
    pdf.set_author(latin1(facts.issuer_name))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_text_color(*BRAND)
    pdf.set_y(28)
    _line(pdf, "Certificate of achievement", 14, "B")
    pdf.set_text_color(27, 35, 48)
    pdf.ln(6)
    _line(pdf, facts.name, 28, "B", 13)
    pdf.ln(4)
    _line(pdf, f"awarded by {facts.issuer_name}", 15)
    if facts.issued:
        _line(pdf, f"Issued {facts.issued:%d %B %Y}", 12)
    if facts.valid_until:
        _line(pdf, f"Valid until {facts.valid_until:%d %B %Y}", 12)
    pdf.ln(4)
    eu = "; ".join(f"{fact.label}: {fact.value}" for fact in facts.eu[:4])
    if eu:
        _line(pdf, eu, 10, "", 6)
    pdf.set_xy(20, 160)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(200, 5, latin1(f"Credential {facts.credential_id}\nCheck it at {page_url}"))
    _draw_qr(pdf, page_url, 242, 155, 35)
    return bytes(pdf.output())

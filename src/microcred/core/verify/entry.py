"""One entry point for whatever a user hands over: a credential, a presentation, a zip.

``verify_any`` returns one report per thing a person would check: a file gives one, a zip
one per entry, a presentation its own report and then one per credential inside. Each
report's ``input`` says where it came from (``bundle.zip › a.json``,
``vp.json › credential 2``) and its ``overview`` fills a summary-table row. Nothing raises
for bad input: an unusable file or archive is a failed report saying why.
"""

from __future__ import annotations

from microcred.core.errors import InputError
from microcred.core.verify.containers import expand, is_zip
from microcred.core.verify.inputs import decode_bytes
from microcred.core.verify.overview import describe
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions, verify_decoded


def verify_any(data: bytes, *, name: str, options: VerifyOptions) -> list[VerificationReport]:
    """Verify a file's bytes (JSON, JWT, baked PNG/SVG, presentation or zip of those)."""
    if is_zip(data):
        try:
            entries = expand(data, name)
        except InputError as exc:
            return [_unusable(name, exc)]
        if not entries:
            return [_unusable(name, InputError("the zip holds no files", where=name))]
        reports = []
        for entry, content in entries:
            reports.extend(_verify_file(content, entry, options))
        return reports
    return _verify_file(data, name, options)


def _verify_file(data: bytes, name: str, options: VerifyOptions) -> list[VerificationReport]:
    try:
        decoded = decode_bytes(data, where=name)
    except InputError as exc:
        return [_unusable(name, exc)]
    if decoded.encoding == "vp":
        from microcred.core.verify.presentations import verify_presentation

        reports = verify_presentation(decoded.document, name=name, options=options)
    else:
        reports = [verify_decoded(decoded, name=name, options=options)]
    for report in reports:
        report.overview = describe(report)
    return reports


def _unusable(name: str, exc: InputError) -> VerificationReport:
    report = VerificationReport(name)
    # The message already names the entry when it is one inside an archive.
    message = str(exc) if exc.where and exc.where != name else exc.message
    report.add("structure", False, f"Unusable input: {message}", "unusable")
    report.summary = "not a usable credential"
    report.overview = describe(report)
    return report

"""Open Badges 2.0 assertions (hosted and signed); see verify_ob2."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microcred.core.verify.inputs import DecodedInput
from microcred.core.verify.report import VerificationReport

if TYPE_CHECKING:
    from microcred.core.verify.verifier import VerifyOptions


def verify_ob2(decoded: DecodedInput, *, name: str, options: VerifyOptions) -> VerificationReport:
    report = VerificationReport(name, credential=decoded.document, kind="ob2")
    report.add("structure", False, "An Open Badges 2.0 assertion: not verified yet.")
    return report

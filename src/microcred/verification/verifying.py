"""Verify what the portal and the API were given: one place that calls the engine.

Nothing is stored. URLs are fetched through the request's :class:`PortalFetcher`; a file
may hold several credentials (a zip, a Verifiable Presentation), which the engine's
``verify_any`` expands into one report each (a presentation's own report first).
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.core.errors import FetchError
from microcred.core.verify.entry import verify_any
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions
from microcred.verification import throttle
from microcred.verification.conf import Limits, limits
from microcred.verification.fetchers import PortalFetcher
from microcred.verification.intake import IntakeError, Item, check_count
from microcred.verification.reports import PlainReport, present_all


@dataclass(frozen=True)
class Request:
    """What the caller asks beyond the inputs: a presentation's expected challenge and domain."""

    challenge: str | None = None
    domain: str | None = None


def _options(fetcher: PortalFetcher, request: Request) -> VerifyOptions:
    return VerifyOptions(fetcher=fetcher, challenge=request.challenge, domain=request.domain)


def _fetched(item: Item, options: VerifyOptions) -> VerificationReport | bytes:
    if item.url is None:
        return item.data
    try:
        return options.fetcher.fetch(item.url)
    except FetchError as exc:
        report = VerificationReport(item.name)
        report.add("structure", False, f"Unusable input: could not fetch the credential: {exc}")
        return report


def verify_items(
    items: list[Item], *, request: Request | None = None, settings: Limits | None = None
) -> list[VerificationReport]:
    """One report per credential found, in input order."""
    fetcher = PortalFetcher(settings or limits())
    options = _options(fetcher, request or Request())
    reports: list[VerificationReport] = []
    try:
        for item in items:
            data = _fetched(item, options)
            if isinstance(data, VerificationReport):
                reports.append(data)
            else:
                reports.extend(verify_any(data, name=item.name, options=options))
    finally:
        fetcher.close()
    return reports


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many verifications from this address; retry in {retry_after} s")
        self.retry_after = retry_after


def check(
    items: list[Item],
    *,
    address: str,
    max_items: int,
    where: str,
    request: Request | None = None,
) -> list[PlainReport]:
    """Limits, the client's rate budget, verification, then the plain-language reports.
    Raises :class:`IntakeError` (naming the input or the limit) or :class:`Throttled`."""
    settings = limits()
    check_count(items, max_items, where=where)
    spent = throttle.spend(address, len(items), settings.rate_per_minute)
    if not spent.allowed:
        raise Throttled(spent.retry_after)
    reports = verify_items(items, request=request, settings=settings)
    if len(reports) > max_items:
        raise IntakeError(
            [f"the inputs hold {len(reports)} credentials: at most {max_items} in {where}"],
            status=413,
        )
    return present_all(reports)

"""Reads for employers: their roles, and the ranked candidates for a role.

Privacy (the rules every read here keeps):
- only learners whose ``MatchingConsent.opted_in`` is True at query time are read; the
  index rows of anyone else are never selected, even if a hook left some behind;
- a consent scoped to public credentials shows only credentials whose wallet entry is
  public (``WalletCredential.is_public``, checked at query time);
- each credential shown is re-checked in the query: a platform credential must be active,
  an import's last check valid, and neither expired, so a revocation drops out at once;

How (docs/performance.md): the ranking reads the index alone - its rows carry copies of
the consent's scope, the public flag and the credential's usability, kept by
``talent.hooks`` - and scores plain rows (``core.skills.matching_rows``); only the best
``limit`` candidates are then re-checked against the consent, credential and wallet
records (the rules above), refilled from the next in line when a missed hook left a row
stale, and explained.
- an employer sees the display name the learner chose (else "Candidate <n>"), the matched
  credentials' names, issuers and dates, and the learner's address only if allowed.
Consenting learners who hold none of the role's skills are not listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from microcred.core.skills import matching
from microcred.core.skills.matching_rows import Key, Row, score_rows
from microcred.skills.models import Occupation
from microcred.talent.models import Employer, EmployerMember, HeldSkill, MatchingConsent, Role
from microcred.wallet.models import WalletCredential

_FIELDS = (
    "owner_id",
    "skill_uri",
    "credential_key",
    "credential_name",
    "issuer_name",
    "issued_at",
    "valid_until",
    "level",
    "trust",
)


@dataclass(frozen=True)
class Candidate:
    """One ranked candidate as an employer sees them."""

    match: matching.Match
    contact: str | None
    rank: int

    @property
    def percent(self) -> int:
        return round(self.match.score * 100)


def employers_of(user: Any) -> QuerySet[Employer]:
    return Employer.objects.filter(members__user=user).distinct()


def membership(user: Any, slug: str) -> tuple[Employer, str] | None:
    """The employer ``slug`` and the user's role there, or None (not a member, or none)."""
    if not user.is_authenticated:
        return None
    row = (
        EmployerMember.objects.filter(user=user, employer__slug=slug)
        .select_related("employer")
        .first()
    )
    return (row.employer, row.role) if row else None


def roles_of(employer: Employer) -> QuerySet[Role]:
    return employer.roles.select_related("occupation").prefetch_related("skills__skill")


def role_of(employer: Employer, pk: int) -> Role | None:
    return roles_of(employer).filter(pk=pk).first()


def members_of(employer: Employer) -> QuerySet[EmployerMember]:
    return employer.members.select_related("user").order_by("role", "user__email")


def search_occupations(query: str, *, limit: int = 20) -> list[Occupation]:
    query = (query or "").strip()
    if not query:
        return []
    found = Occupation.objects.filter(Q(label__icontains=query) | Q(code__iexact=query))
    return list(found.order_by("label", "id")[:limit])


def role_skills(role: Role) -> list[matching.RoleSkill]:
    return [
        matching.RoleSkill(
            skill=row.skill.uri,
            label=row.skill.label,
            must_have=row.must_have,
            weight=row.weight,
            min_level=row.min_level,
        )
        for row in role.skills.select_related("skill").order_by("position", "id")
    ]


def _unexpired(uris: list[str], now: datetime) -> QuerySet[HeldSkill]:
    return HeldSkill.objects.filter(skill_uri__in=uris).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    )


def _ranking_rows(uris: list[str], now: datetime) -> QuerySet[HeldSkill]:
    """The index rows that may count, from the index's own columns alone (one table)."""
    return _unexpired(uris, now).filter(usable=True).filter(Q(scope_all=True) | Q(public=True))


def _fresh_rows(uris: list[str], now: datetime) -> QuerySet[HeldSkill]:
    """The index rows that may be shown now, judged from the records themselves."""
    return _checked(_unexpired(uris, now))


def _checked(rows: QuerySet[HeldSkill]) -> QuerySet[HeldSkill]:
    """``rows`` re-checked against the records the index copies (see the module note)."""
    public_claim = WalletCredential.objects.filter(
        owner_id=OuterRef("owner_id"), issued_id=OuterRef("issued_id"), is_public=True
    )
    shown = (
        Q(owner__matching_consent__scope=MatchingConsent.Scope.ALL)
        | Q(wallet__is_public=True)
        | Q(Exists(public_claim), issued__isnull=False)
    )
    return (
        rows.filter(owner__matching_consent__opted_in=True)
        .filter(Q(issued__isnull=True) | Q(issued__state="active"))
        .filter(Q(wallet__isnull=True) | Q(wallet__verdict=WalletCredential.Verdict.VALID))
        .filter(shown)
    )


def _with_must_haves(
    rows: QuerySet[HeldSkill], wanted: list[matching.RoleSkill], now: datetime
) -> QuerySet[HeldSkill]:
    """Only the rows of learners with a row that may count for every must-have at the
    level asked.

    The ranking drops everyone else anyway (a must-have counts only when matched, and a
    match needs the level asked), so this changes no result; it keeps the rows of learners
    who cannot be ranked from being read.
    """
    for need in wanted:
        if not need.must_have:
            continue
        holders = _ranking_rows([need.skill], now)
        if need.min_level is not None:
            holders = holders.filter(level__gte=need.min_level)
        rows = rows.filter(owner_id__in=holders.values("owner_id"))
    return rows


def _epoch(db: str) -> RawSQL:
    """``issued_at`` as seconds since the epoch, computed by the database: converting
    100,000s of timestamps in Python is most of a second (docs/performance.md)."""
    column = '"talent_heldskill"."issued_at"'
    if connections[db].vendor == "postgresql":
        return RawSQL(f"EXTRACT(EPOCH FROM {column})::float8", ())
    return RawSQL(f"(julianday({column}) - 2440587.5) * 86400.0", ())


def _moment(value: datetime | str) -> datetime:
    """A timestamp as the database driver returned it, as an aware datetime (UTC).

    SQLite's driver hands back naive datetimes (or text) in UTC, PostgreSQL's aware ones.
    """
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _raw(query: QuerySet[HeldSkill], *fields: str) -> Iterator[tuple[Any, ...]]:
    """The raw rows of ``query`` (fields, then ``issued_at`` as epoch seconds), without
    Django's per-row converters."""
    values = query.annotate(epoch=_epoch(query.db)).values_list(*fields, "epoch")
    sql, params = values.query.get_compiler(using=values.db).as_sql()
    with connections[values.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            yield from chunk


def _verified(
    wanted: list[matching.RoleSkill], owners: list[int], now: datetime
) -> dict[int, list[tuple[Any, ...]]]:
    """Each owner's rows that pass the index's columns *and* the re-check."""
    shown = Q(usable=True) & (Q(scope_all=True) | Q(public=True))  # as ranked: see _top
    query = _fresh_rows([s.skill for s in wanted], now).filter(shown, owner_id__in=owners)
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in _raw(query, *_FIELDS):
        out[row[0]].append(row)
    return out


def _plain(rows: list[tuple[Any, ...]]) -> list[Row]:
    return [(owner, uri, epoch, level, trust) for owner, uri, *_, level, trust, epoch in rows]


def _top(wanted: list[matching.RoleSkill], now: datetime, limit: int | None) -> dict[int, Any]:
    """The best ``limit`` owners, each with their re-checked rows.

    Ranked from the index's columns, then the best are re-checked (one query a batch); a
    candidate whose rows were stale (a missed hook) is scored again on what is left and
    goes back in line, and the next ones are checked, until the best ``limit`` checked
    rank at least as high as everyone not yet checked. Dropping rows never raises a
    score, so nobody who would rank higher is skipped.
    """
    fast = _with_must_haves(_ranking_rows([s.skill for s in wanted], now), wanted, now)
    index = _raw(fast, "owner_id", "skill_uri", "level", "trust")
    keys = score_rows(wanted, ((o, u, e, lv, t) for o, u, lv, t, e in index), now=now)
    line = sorted(keys, key=keys.__getitem__)
    batch = limit or len(line) or 1
    done: dict[int, tuple[Key, list[tuple[Any, ...]]]] = {}
    for start in range(0, len(line), batch):
        best = sorted(key for key, _ in done.values())
        if limit is not None and len(best) >= limit and best[limit - 1] <= keys[line[start]]:
            break
        rows = _verified(wanted, line[start : start + batch], now)
        scored = score_rows(wanted, (r for owner in rows for r in _plain(rows[owner])), now=now)
        done.update((owner, (key, rows[owner])) for owner, key in scored.items())
    chosen = sorted(done, key=lambda owner: done[owner][0])[:limit]
    return {owner: done[owner][1] for owner in chosen}


def _candidates(rows_of: dict[int, Any]) -> list[matching.Candidate]:
    out = []
    for owner, rows in rows_of.items():
        evidence = tuple(
            matching.Evidence(
                uri, key, name, issuer, _moment(issued), until and _moment(until), level, trust
            )
            for _, uri, key, name, issuer, issued, until, level, trust, _ in rows
        )
        out.append(matching.Candidate(key=str(owner), display_name="", evidence=evidence))
    return out


def _shown(owner_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """Display name and (if allowed) address of each owner, from their consent."""
    rows = MatchingConsent.objects.filter(owner_id__in=owner_ids).values_list(
        "owner_id", "display_name", "show_contact", "owner__email"
    )
    return {owner: (name, email if show and email else None) for owner, name, show, email in rows}


def candidates(role: Role, *, now: datetime | None = None, limit: int = 50) -> list[Candidate]:
    """The consenting learners ranked for ``role``, best first, with explanations."""
    now = now or timezone.now()
    wanted = role_skills(role)
    if not wanted:
        return []
    ranked = matching.rank(wanted, _candidates(_top(wanted, now, limit)), now=now, limit=limit)
    shown = _shown([int(m.candidate.key) for m in ranked])
    out = []
    for position, found in enumerate(ranked, start=1):
        name, contact = shown.get(int(found.candidate.key), ("", None))
        person = matching.Candidate(
            key=found.candidate.key,
            display_name=name or f"Candidate {position}",
            evidence=found.candidate.evidence,
        )
        match = matching.Match(candidate=person, score=found.score, skills=found.skills)
        out.append(Candidate(match=match, contact=contact, rank=position))
    return out

"""Storing a taxonomy release: skills, occupations and their skill relations, in one transaction.

Idempotent: skills and occupations are upserted by URI (only rows whose fields changed are
written), and each occupation's relations are compared row by row with what is stored (only
new, changed and dropped relations are written). A second import of the same files writes
nothing and reports 0 created, 0 updated.

Decision (nothing is deleted but relations): a skill or occupation missing from a newer
release stays, since credentials' alignments, roles and catalog offerings may name it; the
occupations of the release get exactly the release's relations. An occupation of the scheme
that the release does not list keeps its relations.

Speed: everything is read per scheme in a handful of queries and written with
``bulk_create``/``bulk_update`` in batches; the full ESCO 1.2.0 files (14k skills, 3k
occupations, 129k relations) take seconds (docs/skills.md has the measured times).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from microcred.core.errors import InputError
from microcred.core.skills.custom import read_custom
from microcred.core.skills.esco import read_esco
from microcred.core.skills.onet import read_onet
from microcred.core.skills.taxonomy import Taxonomy, TaxonomyOccupation, TaxonomySkill
from microcred.skills.models import Occupation, OccupationSkill, Skill

DEMO_TAXONOMY = Path(__file__).resolve().parent / "demo_data" / "demo-taxonomy.yaml"
READERS: dict[str, Callable[[Path], Taxonomy]] = {
    "esco": read_esco,
    "onet": read_onet,
    "custom": read_custom,
}
BATCH = 1000
#: "code" comes first in both: _upsert compares it to refuse take-overs
SKILL_FIELDS = (
    "code",
    "label",
    "alt_labels",
    "description",
    "skill_type",
    "broader_uri",
    "release",
)
OCCUPATION_FIELDS = ("code", "label", "alt_labels", "description", "release")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: relations only: dropped because the release no longer lists them
    removed: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", {self.removed} removed" if self.removed else "")


@dataclass
class ImportResult:
    scheme: str
    release: str
    skills: Counts = field(default_factory=Counts)
    occupations: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.removed for c in self.parts())

    def parts(self) -> tuple[Counts, Counts, Counts]:
        return (self.skills, self.occupations, self.relations)


def import_taxonomy(scheme: str, path: Path) -> ImportResult:
    """Read ``path`` (a folder for ESCO and O*NET, a YAML file for custom) and store it."""
    reader = READERS.get(scheme)
    if reader is None:
        raise InputError(f"unknown scheme {scheme!r}: one of {', '.join(READERS)}")
    return store_taxonomy(reader(path))


def import_demo_taxonomy() -> ImportResult:
    """The demo's own taxonomy (``demo_data/demo-taxonomy.yaml``); idempotent."""
    return import_taxonomy("custom", DEMO_TAXONOMY)


@transaction.atomic
def store_taxonomy(taxonomy: Taxonomy) -> ImportResult:
    result = ImportResult(taxonomy.scheme, taxonomy.release)
    skill_ids = _upsert(Skill, taxonomy, taxonomy.skills, SKILL_FIELDS, result.skills)
    occupation_ids = _upsert(
        Occupation, taxonomy, taxonomy.occupations, OCCUPATION_FIELDS, result.occupations
    )
    _sync_relations(taxonomy, skill_ids, occupation_ids, result.relations)
    return result


def _values(
    item: TaxonomySkill | TaxonomyOccupation, release: str, fields: Sequence[str]
) -> dict[str, Any]:
    data = {name: getattr(item, name, None) for name in fields}
    data["alt_labels"] = list(item.alt_labels)
    data["release"] = release
    return data


def _upsert(
    model: type[Skill] | type[Occupation],
    taxonomy: Taxonomy,
    items: Sequence[TaxonomySkill | TaxonomyOccupation],
    fields: Sequence[str],
    counts: Counts,
) -> dict[str, int]:
    """Create or update the scheme's rows by URI; returns URI -> id for every item."""
    stored = {
        row[1]: (row[0], tuple(row[2:]))
        for row in model.objects.filter(scheme=taxonomy.scheme).values_list("id", "uri", *fields)
    }
    code_owner = {values[0]: uri for uri, (_id, values) in stored.items()}
    creates, updates = [], []
    for item in items:
        values = _values(item, taxonomy.release, fields)
        owner = code_owner.get(item.code, item.uri)
        if owner != item.uri:
            raise InputError(f"{model.__name__.lower()} code {item.code!r} belongs to {owner}")
        if item.uri in stored and stored[item.uri][1][0] != item.code:
            # another custom taxonomy's URI: one file must not take over another's skills
            kind = f"{taxonomy.scheme} {model.__name__.lower()}"
            raise InputError(f"{item.uri} is already a {kind} ({stored[item.uri][1][0]})")
        code_owner[item.code] = item.uri
        if item.uri not in stored:
            creates.append(model(scheme=taxonomy.scheme, uri=item.uri, **values))
        elif stored[item.uri][1] != tuple(values.values()):
            updates.append(model(id=stored[item.uri][0], **values))
    _refuse_foreign_uris(model, taxonomy.scheme, [row.uri for row in creates])
    model.objects.bulk_create(creates, batch_size=BATCH)  # type: ignore[arg-type]
    model.objects.bulk_update(updates, fields, batch_size=BATCH)  # type: ignore[arg-type]
    counts.created, counts.updated = len(creates), len(updates)
    counts.unchanged = len(items) - len(creates) - len(updates)
    return dict(model.objects.filter(scheme=taxonomy.scheme).values_list("uri", "id"))


def _refuse_foreign_uris(
    model: type[Skill] | type[Occupation], scheme: str, uris: list[str]
) -> None:
    """A URI is unique across schemes: a custom file cannot take over an ESCO skill's URI."""
    for start in range(0, len(uris), 500):
        clash = (
            model.objects.exclude(scheme=scheme)
            .filter(uri__in=uris[start : start + 500])
            .values_list("uri", "scheme")
            .first()
        )
        if clash:
            raise InputError(f"{clash[0]} is already a {clash[1]} {model.__name__.lower()}")


def _skill_id(uri: str, skill_ids: dict[str, int], occupation: TaxonomyOccupation) -> int:
    if uri in skill_ids:
        return skill_ids[uri]
    found = Skill.objects.filter(uri=uri).values_list("id", flat=True).first()
    if found is None:
        raise InputError(
            f"needs skill {uri}, which is neither in the file nor imported",
            where=f"occupation {occupation.code}",
        )
    skill_ids[uri] = found
    return found


Want = tuple[str, float, int | None]


def _same(old: Want, new: Want) -> bool:
    return old[0] == new[0] and old[2] == new[2] and math.isclose(old[1], new[1], abs_tol=1e-9)


def _sync_relations(
    taxonomy: Taxonomy, skill_ids: dict[str, int], occupation_ids: dict[str, int], counts: Counts
) -> None:
    stored: dict[int, dict[int, tuple[int, Want]]] = {}
    rows = OccupationSkill.objects.filter(occupation__scheme=taxonomy.scheme).values_list(
        "id", "occupation_id", "skill_id", "relation", "importance", "level"
    )
    for row_id, occupation_id, skill_id, relation, importance, level in rows.iterator(2000):
        stored.setdefault(occupation_id, {})[skill_id] = (row_id, (relation, importance, level))
    creates, updates, removes = [], [], []
    for occupation in taxonomy.occupations:
        occupation_id = occupation_ids[occupation.uri]
        old = stored.get(occupation_id, {})
        new: dict[int, Want] = {}
        for need in occupation.skills:
            skill_id = _skill_id(need.skill_uri, skill_ids, occupation)
            new[skill_id] = (need.relation, need.importance, need.level)
        for skill_id, want in new.items():
            if skill_id not in old:
                creates.append(_relation(occupation_id, skill_id, want))
            elif not _same(old[skill_id][1], want):
                updates.append(_relation(occupation_id, skill_id, want, old[skill_id][0]))
            else:
                counts.unchanged += 1
        removes += [row_id for skill_id, (row_id, _w) in old.items() if skill_id not in new]
    for start in range(0, len(removes), BATCH):
        OccupationSkill.objects.filter(id__in=removes[start : start + BATCH]).delete()
    OccupationSkill.objects.bulk_create(creates, batch_size=BATCH)
    OccupationSkill.objects.bulk_update(
        updates, ("relation", "importance", "level"), batch_size=BATCH
    )
    counts.created, counts.updated, counts.removed = len(creates), len(updates), len(removes)


def _relation(
    occupation_id: int, skill_id: int, want: Want, row_id: int | None = None
) -> OccupationSkill:
    relation, importance, level = want
    return OccupationSkill(
        id=row_id,
        occupation_id=occupation_id,
        skill_id=skill_id,
        relation=relation,
        importance=importance,
        level=level,
    )

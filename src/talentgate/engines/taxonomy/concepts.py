"""The concepts the normaliser can return: ESCO occupations and skills from the bundled tables plus the
talentgate concepts of the synonym list, each with every label it is known by.

>>> taxonomy = load_taxonomy()
>>> taxonomy.get("http://data.europa.eu/esco/occupation/d7e663b2-f042-47d8-9fda-b5b8ba30ca04").label
'aerospace engineer'
"""

from __future__ import annotations

import csv
import functools
import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from talentgate.engines.taxonomy.synonyms import SYNONYMS_PATH, SynonymEntry, load_synonyms

__all__ = ["DATA_DIR", "Concept", "Taxonomy", "load_taxonomy"]

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class Concept:
    """One occupation or skill; ``source`` is "esco" or "talentgate" (a curated concept ESCO lacks)."""

    uri: str
    kind: str
    label: str
    alternative_labels: tuple[str, ...] = ()
    description: str = ""
    isco_group: str = ""
    source: str = "esco"
    synonyms: list[str] = field(default_factory=list)
    sectors: set[str] = field(default_factory=set)

    @property
    def is_esco(self) -> bool:
        return self.source == "esco"

    def all_labels(self) -> Iterator[str]:
        """Preferred label, alternative labels, then curated synonyms."""
        yield self.label
        yield from self.alternative_labels
        yield from self.synonyms


@dataclass
class Taxonomy:
    """Concepts by URI, with the ISCO-08 group titles; build with :func:`load_taxonomy`."""

    concepts: dict[str, Concept]
    isco_titles: dict[str, str]
    synonyms: list[SynonymEntry]

    def get(self, uri: str) -> Concept:
        """The concept with this URI; KeyError names it when unknown."""
        try:
            return self.concepts[uri]
        except KeyError:
            raise KeyError(f"unknown concept URI: {uri}") from None

    def of_kind(self, kind: str) -> list[Concept]:
        """Concepts of one kind ("occupation" or "skill"), in a stable order (by URI)."""
        return sorted((c for c in self.concepts.values() if c.kind == kind), key=lambda c: c.uri)


def _read_table(name: str) -> list[dict[str, str]]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def build_taxonomy(synonyms_path: Path = SYNONYMS_PATH) -> Taxonomy:
    """Read the bundled tables and merge the synonym list into them (no cache; see :func:`load_taxonomy`)."""
    concepts: dict[str, Concept] = {}
    for kind, table in (("occupation", "esco_occupations.csv.gz"), ("skill", "esco_skills.csv.gz")):
        for row in _read_table(table):
            alternatives = tuple(a for a in row["alternative_labels"].split("|") if a)
            concepts[row["uri"]] = Concept(
                uri=row["uri"],
                kind=kind,
                label=row["preferred_label"],
                alternative_labels=alternatives,
                description=row["description"],
                isco_group=row.get("isco_group", ""),
            )
    isco_titles = {row["code"]: row["title"] for row in _read_table("isco_groups.csv.gz")}
    known = {kind: {u for u, c in concepts.items() if c.kind == kind} for kind in ("occupation", "skill")}
    entries = load_synonyms(synonyms_path, known)
    for entry in entries:
        concept = concepts.get(entry.uri)
        if concept is None:
            concept = concepts[entry.uri] = Concept(
                uri=entry.uri, kind=entry.kind, label=entry.label or entry.id, source="talentgate"
            )
        concept.synonyms.extend(t for t in entry.terms if t not in concept.synonyms)
        if entry.sector:
            concept.sectors.add(entry.sector)
    return Taxonomy(concepts, isco_titles, entries)


@functools.cache
def load_taxonomy() -> Taxonomy:
    """The bundled taxonomy, read once per process."""
    return build_taxonomy()

"""The curated priority-sector synonym list (``data/synonyms.yaml``): loading and validation.

Each entry maps English and Russian terms to one concept: an ESCO URI where one fits, else a
talentgate concept of its own (``talentgate:<id>``). A malformed file is refused with an error
naming the entry and the rule, e.g. ``entries[4].esco: not an ESCO occupation in the bundled tables``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LOCAL_PREFIX", "SYNONYMS_PATH", "SynonymEntry", "SynonymError", "load_synonyms", "parse_synonyms"]

SYNONYMS_PATH = Path(__file__).resolve().parent / "data" / "synonyms.yaml"
LOCAL_PREFIX = "talentgate:"
KINDS = ("occupation", "skill")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class SynonymError(ValueError):
    """The synonym list breaks a rule; the message names the entry path and the rule."""


@dataclass(frozen=True)
class SynonymEntry:
    """One curated concept: its terms in English and Russian and the concept they mean."""

    id: str
    kind: str
    sector: str
    esco: str | None
    label: str | None
    en: tuple[str, ...]
    ru: tuple[str, ...]
    rationale: str

    @property
    def uri(self) -> str:
        """The concept's URI: the ESCO one, or ``talentgate:<id>`` for a concept ESCO lacks."""
        return self.esco or f"{LOCAL_PREFIX}{self.id}"

    @property
    def terms(self) -> tuple[str, ...]:
        return self.en + self.ru


def _terms(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise SynonymError(f"{where}: must be a list of non-empty strings")
    return tuple(" ".join(t.split()) for t in value)


def parse_synonyms(document: Any, known_uris: dict[str, set[str]] | None = None) -> list[SynonymEntry]:
    """Validate a parsed synonyms document; ``known_uris`` ({kind: URIs}) checks that ESCO URIs exist."""
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise SynonymError("entries: the file must be a mapping with a list under 'entries'")
    entries: list[SynonymEntry] = []
    seen: set[str] = set()
    for i, raw in enumerate(document["entries"]):
        where = f"entries[{i}]"
        if not isinstance(raw, dict):
            raise SynonymError(f"{where}: must be a mapping")
        unknown = set(raw) - {"id", "kind", "sector", "esco", "label", "en", "ru", "rationale"}
        if unknown:
            raise SynonymError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        entry_id = raw.get("id")
        if not isinstance(entry_id, str) or not _ID.match(entry_id):
            raise SynonymError(f"{where}.id: must be kebab-case (a-z, 0-9, hyphens)")
        if entry_id in seen:
            raise SynonymError(f"{where}.id: duplicate id {entry_id!r}")
        seen.add(entry_id)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise SynonymError(f"{where}.kind: must be one of {', '.join(KINDS)}")
        esco = raw.get("esco")
        if esco is not None:
            if not isinstance(esco, str) or not esco.startswith(f"http://data.europa.eu/esco/{kind}/"):
                raise SynonymError(f"{where}.esco: must be an ESCO {kind} URI (http://data.europa.eu/esco/{kind}/...)")
            if known_uris is not None and esco not in known_uris.get(kind, set()):
                raise SynonymError(f"{where}.esco: not an ESCO {kind} in the bundled tables: {esco}")
        label = raw.get("label")
        if esco is None and not (isinstance(label, str) and label.strip()):
            raise SynonymError(f"{where}.label: required when esco is null (the concept needs a display label)")
        rationale = raw.get("rationale")
        if not isinstance(rationale, str) or not rationale.strip():
            raise SynonymError(f"{where}.rationale: required (say why the terms mean this concept)")
        en, ru = _terms(raw.get("en"), f"{where}.en"), _terms(raw.get("ru"), f"{where}.ru")
        if not en and not ru:
            raise SynonymError(f"{where}: needs at least one term in en or ru")
        entries.append(
            SynonymEntry(entry_id, kind, str(raw.get("sector") or ""), esco, label, en, ru, rationale.strip())
        )
    return entries


def load_synonyms(path: Path = SYNONYMS_PATH, known_uris: dict[str, set[str]] | None = None) -> list[SynonymEntry]:
    """Read and validate the synonym list at ``path``."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    try:
        return parse_synonyms(document, known_uris)
    except SynonymError as exc:
        raise SynonymError(f"{path.name}: {exc}") from None

"""The normaliser's hand-labelled evaluation set (``data/evaluation.tsv``) and its accuracy figures.

Each row is a job title or skill phrase as people write it (English or Russian, with typos and
abbreviations), its kind, whether it belongs to the space subset, and the ESCO URI a person chose
for it, or ``-`` for "no good match". A phrase labelled with a URI is a hit at k when that URI is
among the normaliser's first k ESCO results; a "no good match" phrase is a hit when the best
result is not an ESCO concept (nothing, or a talentgate concept from the synonym list), at any k.

The set was written and committed before the normaliser's weights were tuned; no phrase appears
verbatim in the indexed text (checked by a test with :func:`leaked_phrases`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from talentgate.engines.taxonomy.concepts import Taxonomy
from talentgate.engines.taxonomy.normaliser import ConceptNormaliser
from talentgate.engines.taxonomy.text import fold, has_cyrillic

__all__ = [
    "EVALUATION_PATH",
    "NO_MATCH",
    "SUBSETS",
    "Accuracy",
    "EvaluationItem",
    "comparison_table",
    "evaluate",
    "leaked_phrases",
    "load_evaluation",
]

EVALUATION_PATH = Path(__file__).resolve().parent / "data" / "evaluation.tsv"
NO_MATCH = "-"
#: The groups :func:`evaluate` reports, in the order tables print them. "english" is every phrase
#: without a Cyrillic letter and "russian" every phrase with one, so an English-only model is
#: judged on both separately.
SUBSETS = ("overall", "occupation", "skill", "space", "english", "russian")


@dataclass(frozen=True)
class EvaluationItem:
    """One labelled phrase."""

    kind: str
    space: bool
    text: str
    expected_uri: str  # an ESCO URI, or NO_MATCH

    @property
    def expects_no_match(self) -> bool:
        return self.expected_uri == NO_MATCH


@dataclass
class Accuracy:
    """Hits at 1 and at 5 over ``count`` phrases; ``misses`` lists (text, expected, best found) at 1."""

    count: int = 0
    hits_at_1: int = 0
    hits_at_5: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def at_1(self) -> float:
        return self.hits_at_1 / self.count if self.count else 0.0

    @property
    def at_5(self) -> float:
        return self.hits_at_5 / self.count if self.count else 0.0


def load_evaluation(path: Path = EVALUATION_PATH) -> list[EvaluationItem]:
    """Read the evaluation set; a malformed row is refused with its line number and the rule."""
    items = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        for line, row in enumerate(reader, start=2):
            if row["kind"] not in ("occupation", "skill"):
                raise ValueError(f"{path.name}:{line}: kind: must be occupation or skill")
            if row["space"] not in ("yes", "no"):
                raise ValueError(f"{path.name}:{line}: space: must be yes or no")
            uri = row["expected_uri"]
            if uri != NO_MATCH and not uri.startswith(f"http://data.europa.eu/esco/{row['kind']}/"):
                raise ValueError(f"{path.name}:{line}: expected_uri: must be an ESCO {row['kind']} URI or '-'")
            items.append(EvaluationItem(row["kind"], row["space"] == "yes", row["text"], uri))
    return items


def evaluate(normaliser: ConceptNormaliser, items: Iterable[EvaluationItem]) -> dict[str, Accuracy]:
    """Accuracy@1 and @5 for each of :data:`SUBSETS` that has phrases."""
    groups: dict[str, Accuracy] = {}
    for item in items:
        found = [m for m in normaliser.normalise(item.text, kind=item.kind, top=5)]
        esco = [m.uri for m in found if m.is_esco]
        if item.expects_no_match:
            hit_1 = hit_5 = not found or not found[0].is_esco
        else:
            hit_1 = bool(found) and found[0].uri == item.expected_uri
            hit_5 = item.expected_uri in esco
        names = ["overall", item.kind]
        if item.space:
            names.append("space")
        names.append("russian" if has_cyrillic(item.text) else "english")
        for name in names:
            accuracy = groups.setdefault(name, Accuracy())
            accuracy.count += 1
            accuracy.hits_at_1 += hit_1
            accuracy.hits_at_5 += hit_5
            if not hit_1 and name == "overall":
                accuracy.misses.append((item.text, item.expected_uri, found[0].uri if found else NO_MATCH))
    return groups


def indexed_strings(taxonomy: Taxonomy) -> set[str]:
    """Every string the normaliser indexes, folded: labels, label blocks and synonym terms."""
    strings: set[str] = set()
    for concept in taxonomy.concepts.values():
        strings.update(fold(label) for label in concept.all_labels())
        if concept.alternative_labels:
            strings.add(fold(" ".join([concept.label, *concept.alternative_labels])))
    for entry in taxonomy.synonyms:
        strings.update(fold(term) for term in entry.terms)
    strings.discard("")
    return strings


def leaked_phrases(items: Iterable[EvaluationItem], taxonomy: Taxonomy) -> list[str]:
    """Evaluation phrases that occur verbatim (whole words, case-insensitively) inside an indexed string."""
    haystack = "\n".join(f" {s} " for s in indexed_strings(taxonomy))
    leaked = []
    for item in items:
        needle = f" {fold(item.text)} "
        if needle.strip() and needle in haystack:
            leaked.append(item.text)
    return leaked


def comparison_table(results: dict[str, dict[str, Accuracy]]) -> list[str]:
    """Lines of a table with one row per subset and acc@1 / acc@5 columns per method (``results[method]``).

    >>> a = Accuracy(count=4, hits_at_1=1, hits_at_5=3)
    >>> print("\\n".join(comparison_table({"lexical": {"overall": a}})))
    subset        phrases  lexical@1  lexical@5
    overall             4      0.250      0.750
    """
    methods = list(results)
    header = f"{'subset':<12} {'phrases':>8}" + "".join(f" {m + '@1':>10} {m + '@5':>10}" for m in methods)
    lines = [header]
    for subset in SUBSETS:
        present = [results[m][subset] for m in methods if subset in results[m]]
        if not present:
            continue
        row = f"{subset:<12} {present[0].count:>8}"
        for method in methods:
            accuracy = results[method].get(subset)
            row += f" {accuracy.at_1:>10.3f} {accuracy.at_5:>10.3f}" if accuracy else f" {'-':>10} {'-':>10}"
        lines.append(row)
    return lines

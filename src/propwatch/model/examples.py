"""Annotated spans like this one: the nearest training examples of a span's technique, shown as a reason.

A model folder may ship ``examples.npz``: one row per span the PTC annotators marked in the articles the model
was trained on, with its technique, its text, a few words around it, its article, and its vector: the mean of
the model's token states over the span, normalised. A detected span's vector is made the same way from the
same encoder, so the rows nearest to it by cosine are the annotated spans the model sees as most alike: "the
annotators marked phrases like these as loaded language". The file is built offline
(``propwatch examples``, ``evaluation.examples``) and loaded here on first use; a folder without it gives no
examples, and nothing else changes.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..schema import SpanExample
from ..techniques import TECHNIQUE_IDS
from .spans import normalise

EXAMPLES_FILE = "examples.npz"
MAX_EXAMPLES = 3


def span_vectors(hidden: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray:
    """``[S, H]`` unit vectors: the mean token state of each (first, last-inclusive) token range, normalised
    (the offline builder and the runtime both call this, so a span and its examples are comparable)."""
    out = np.zeros((len(ranges), hidden.shape[1]), np.float32)
    for i, (a, b) in enumerate(ranges):
        out[i] = hidden[a : b + 1].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-9)


@dataclass(frozen=True)
class ExampleRecord:
    """One annotated span of the examples file, as the builder writes it."""

    technique: str
    text: str
    before: str
    after: str
    article: str


def write_examples(path: str | Path, vectors: np.ndarray, records: list[ExampleRecord], model: str) -> None:
    """Write the examples file: float16 unit vectors, technique indices, and the records as one JSON text
    (``model``: the name and version of the model whose states the vectors are, checked on loading)."""
    if len(vectors) != len(records):
        raise ValueError(f"{len(vectors)} vectors but {len(records)} records")
    rows = [[r.text, r.before, r.after, r.article] for r in records]
    np.savez_compressed(
        path,
        vectors=np.asarray(vectors, np.float16),
        techniques=np.asarray([TECHNIQUE_IDS.index(r.technique) for r in records], np.int8),
        records=np.frombuffer(json.dumps(rows, ensure_ascii=False).encode("utf-8"), np.uint8),
        model=np.frombuffer(model.encode("utf-8"), np.uint8),
    )


class ExampleIndex:
    """The examples of one model folder, searched by cosine similarity within a technique."""

    def __init__(self, vectors: np.ndarray, techniques: np.ndarray, records: list[list[str]], model: str = ""):
        self.model = model
        self.records = records
        self.dim = int(vectors.shape[1]) if vectors.ndim == 2 else 0
        self.keys = [normalise(r[0]) for r in records]
        self.vectors = vectors.astype(np.float32)
        self.techniques = techniques.astype(np.int64)
        counts = np.bincount(self.techniques, minlength=len(TECHNIQUE_IDS)) if len(techniques) else None
        # each technique's share of the examples (what a vote is balanced against: ``spans.neighbour_votes``)
        self.shares = (counts / counts.sum() if counts is not None else np.zeros(len(TECHNIQUE_IDS)))
        self.by_technique: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for k, technique in enumerate(TECHNIQUE_IDS):
            rows = np.flatnonzero(techniques == k)
            if rows.size:
                self.by_technique[technique] = (rows, vectors[rows].astype(np.float32))

    def __len__(self) -> int:
        return len(self.records)

    @classmethod
    def load(cls, path: str | Path) -> ExampleIndex:
        try:
            with np.load(path) as f:
                vectors, techniques = f["vectors"], f["techniques"]
                records = json.loads(f["records"].tobytes().decode("utf-8"))
                model = f["model"].tobytes().decode("utf-8") if "model" in f else ""
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot read the span examples {path}: {exc}") from None
        if vectors.ndim != 2 or len(vectors) != len(techniques) or len(records) != len(vectors):
            raise ModelError(f"the span examples {path} are not consistent: rebuild them with propwatch examples")
        return cls(vectors, techniques, records, model)

    def nearest(self, vector: np.ndarray, technique: str, own_text: str = "",
                limit: int = MAX_EXAMPLES) -> list[SpanExample]:
        """The ``limit`` examples of ``technique`` most similar to the unit ``vector``, most similar first, each
        text once, none with the same words as ``own_text`` (the span itself, where it was annotated)."""
        return self.nearest_many(vector[None, :], [technique], [own_text], limit)[0]

    def nearest_many(self, vectors: np.ndarray, techniques: list[str], own_texts: list[str],
                     limit: int = MAX_EXAMPLES) -> list[list[SpanExample]]:
        """``nearest`` for several spans (``[S, H]`` unit vectors): one matrix product per technique, since
        many small products cost more than the arithmetic (each wakes the BLAS threads)."""
        if vectors.shape[-1] != self.dim:
            raise ModelError(f"the span examples have {self.dim}-dimensional vectors but the model gives "
                             f"{vectors.shape[-1]}: rebuild them with propwatch examples")
        found: list[list[SpanExample]] = [[] for _ in techniques]
        for technique in set(techniques) & set(self.by_technique):
            which = [k for k, t in enumerate(techniques) if t == technique]
            rows, matrix = self.by_technique[technique]
            similarities = vectors[which].astype(np.float32) @ matrix.T
            for k, similarity in zip(which, similarities):
                found[k] = self._best(rows, similarity, own_texts[k], limit)
        return found

    def nearest_rows(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``([S, k], [S, k])``: the cosine similarities and technique indices of the ``k`` examples of any
        technique most similar to each unit vector, most similar first (fewer where the index holds fewer)."""
        if vectors.shape[-1] != self.dim:
            raise ModelError(f"the span examples have {self.dim}-dimensional vectors but the model gives "
                             f"{vectors.shape[-1]}: rebuild them with propwatch examples")
        k = min(k, len(self.vectors))
        similarity = vectors.astype(np.float32) @ self.vectors.T
        if k <= 0 or not len(similarity):
            return np.zeros((len(vectors), 0), np.float32), np.zeros((len(vectors), 0), np.int64)
        best = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(similarity, best, axis=1), axis=1)
        best = np.take_along_axis(best, order, axis=1)
        return np.take_along_axis(similarity, best, axis=1), self.techniques[best]

    def _best(self, rows: np.ndarray, similarity: np.ndarray, own_text: str, limit: int) -> list[SpanExample]:
        seen = {normalise(own_text)}
        found: list[SpanExample] = []
        for i in self._ranked(similarity, 4 * limit):
            row = int(rows[i])
            if self.keys[row] in seen:
                continue
            seen.add(self.keys[row])
            text, before, after, article = self.records[row]
            found.append(SpanExample(text=text, before=before, after=after, article=article,
                                     similarity=round(float(np.clip(similarity[i], -1.0, 1.0)), 3)))
            if len(found) == limit:
                break
        return found

    @staticmethod
    def _ranked(similarity: np.ndarray, head: int):
        """Row indices, most similar first: the ``head`` best sorted (enough, but for many repeats of the span's
        own words), then the rest."""
        if len(similarity) <= head:
            yield from np.argsort(-similarity)
            return
        best = np.argpartition(-similarity, head)[:head]
        best = best[np.argsort(-similarity[best])]
        yield from best
        rest = np.setdiff1d(np.arange(len(similarity)), best, assume_unique=True)
        yield from rest[np.argsort(-similarity[rest])]


class LazyExamples:
    """A model folder's examples, read on first use (most analyses never need them before the first span, and
    a folder without the file costs nothing)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / EXAMPLES_FILE
        self._index: ExampleIndex | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.path.is_file()

    def get(self) -> ExampleIndex | None:
        if self._index is None and self.available:
            with self._lock:
                if self._index is None:
                    self._index = ExampleIndex.load(self.path)
        return self._index

"""The techniques page and ``GET /api/v1/techniques``: each technique of the taxonomy with what the loaded model's
folder says about it, so a reader can learn what a highlight means and how far to trust its absence.

- **Examples**: two spans the PTC annotators marked, from the model's ``examples.npz``. Chosen the same way
  every time: the most typical, by cosine similarity to the mean vector of the technique's examples, among
  the short ones (a definition is read beside them, so a sentence-long span is kept only where no short one
  is left), each from a different article, with different words and not a near copy of the other
  (``NEAR_COPY``: the same quote spelled twice in two articles).
- **Reliability**: recall and precision as ``ModelInfo`` carries them (``evaluation.reliability``), worded as
  the result page's legend words them (``render.reasons.Reliability``).
- **Confusions**: what the model names the technique's annotated spans instead (``config.json``'s
  ``confusions``, ``evaluation.confusions``).

Before the model is loaded, and for a folder that ships none of them, the taxonomy alone is given.
"""

from __future__ import annotations

import numpy as np

from ..analyzer import Analyzer
from ..model.examples import ExampleIndex
from ..model.runtime import ModelBase
from ..render.reasons import Reliability
from ..schema import SpanExample
from ..techniques import TECHNIQUES, get
from .schemas import Confusion, TechniqueInfo

EXAMPLES_SHOWN = 2
SHORT_WORDS = 12  # an example of at most this many words is short
NEAR_COPY = 0.95  # cosine between two examples' vectors from which the second adds nothing


def technique_guide(analyzer: Analyzer | None) -> list[TechniqueInfo]:
    """The 14 techniques in taxonomy order, with the loaded model's examples, reliability and confusions."""
    model = technique_model(analyzer)
    index = examples_index(model) if model is not None else None
    reliability = analyzer.model_info.reliability if analyzer is not None else {}
    confusions = (model.config.confusions if model is not None else None) or {}
    out = []
    for t in TECHNIQUES:
        measured = reliability.get(t.id)
        confused = confusions.get(t.id) or {}
        out.append(TechniqueInfo(
            **vars(t),
            examples=typical_examples(index, t.id) if index is not None else [],
            reliability=measured,
            often_missed=bool(measured and Reliability(measured.recall, measured.precision,
                                                       measured.support).often_missed),
            mistaken_for=[Confusion(technique=m["technique"], name=get(m["technique"]).name, spans=m["spans"],
                                    share=m["share"]) for m in confused.get("mistaken_for", ())],
            classified=int(confused.get("support", 0)),
        ))
    return out


def technique_model(analyzer: Analyzer | None) -> ModelBase | None:
    """The technique model behind ``analyzer`` (None before it is loaded, or for a stand-in without one)."""
    try:
        model = analyzer.techniques.model if analyzer is not None else None
    except (AttributeError, KeyError, AssertionError):
        return None
    return model if isinstance(model, ModelBase) else None


def examples_index(model: ModelBase) -> ExampleIndex | None:
    """The examples the model ships: its own, or an ensemble's first member's (as ``example_source`` picks)."""
    for candidate in [model, *getattr(model, "members", [])]:
        lazy = getattr(candidate, "examples", None)
        if lazy is not None and lazy.available:
            return lazy.get()
    return None


def typical_examples(index: ExampleIndex, technique: str, limit: int = EXAMPLES_SHOWN) -> list[SpanExample]:
    """The ``limit`` most typical annotated spans of ``technique`` (see the module's docstring)."""
    if technique not in index.by_technique:
        return []
    rows, matrix = index.by_technique[technique]
    mean = matrix.mean(axis=0)
    similarity = matrix @ (mean / max(float(np.linalg.norm(mean)), 1e-9))
    order = np.argsort(-similarity, kind="stable")
    words = [len(index.records[int(rows[i])][0].split()) for i in order]
    short_first = [i for i, n in zip(order, words) if n <= SHORT_WORDS] + [i for i, n in zip(order, words)
                                                                         if n > SHORT_WORDS]
    chosen: list[SpanExample] = []
    chosen_vectors: list[np.ndarray] = []
    seen_texts: set[str] = set()
    seen_articles: set[str] = set()
    for i in short_first:
        row = int(rows[i])
        text, before, after, article = index.records[row]
        if index.keys[row] in seen_texts or article in seen_articles or not text.strip():
            continue
        if any(float(matrix[i] @ v) >= NEAR_COPY for v in chosen_vectors):
            continue
        chosen_vectors.append(matrix[i])
        seen_texts.add(index.keys[row])
        seen_articles.add(article)
        chosen.append(SpanExample(text=text, before=before, after=after, article=article,
                                  similarity=round(float(np.clip(similarity[i], -1.0, 1.0)), 3)))
        if len(chosen) == limit:
            break
    return chosen

"""The scores of a model on a labelled corpus, in one object, for the CLI, the benchmarks and training alike."""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from ..techniques import TECHNIQUES
from .classification import TCResult
from .spans import PRF


class TechniqueRow(NamedTuple):
    """One line of the per-technique table: TC on the gold spans, then end-to-end F1."""

    id: str
    name: str
    support: int
    precision: float
    recall: float
    f1: float
    end_to_end_f1: float


def _prf_dict(r: PRF) -> dict[str, Any]:
    return {"precision": r.precision, "recall": r.recall, "f1": r.f1,
            "pred_spans": r.pred_spans, "gold_spans": r.gold_spans}


class CorpusScores(BaseModel):
    """SI, TC, end-to-end and (optionally) sentence-level scores over ``articles`` labelled articles."""

    model_config = ConfigDict(frozen=True)

    si: PRF
    tc: TCResult
    end_to_end: PRF
    sentence: PRF | None = None
    articles: int

    def to_json_dict(self) -> dict[str, Any]:
        """The stable JSON shape: ``si``, ``tc``, ``end_to_end``, ``articles`` (and ``sentence`` when scored)."""
        out: dict[str, Any] = {
            "si": _prf_dict(self.si),
            "tc": {
                "micro_f1": self.tc.micro_f1,
                "macro_f1": self.tc.macro_f1,
                "macro_f1_gold_labels": self.tc.macro_f1_gold_labels,
                "gold_spans": self.tc.gold_spans,
                "per_technique": {t: dict(row) for t, row in self.tc.per_technique.items()},
            },
            "end_to_end": {
                **_prf_dict(self.end_to_end),
                "per_technique": {t: _prf_dict(r) for t, r in self.end_to_end.per_technique.items()},
            },
            "articles": self.articles,
        }
        if self.sentence is not None:
            out["sentence"] = _prf_dict(self.sentence)
        return out

    def end_to_end_per_technique(self) -> dict[str, float]:
        """End-to-end F1 by technique id."""
        return {t: r.f1 for t, r in self.end_to_end.per_technique.items()}

    def per_technique_rows(self) -> list[TechniqueRow]:
        """One row per technique in taxonomy order, ready for a rich table."""
        e2e = self.end_to_end_per_technique()
        rows = []
        for t in TECHNIQUES:
            tc = self.tc.per_technique.get(t.id, {})
            rows.append(TechniqueRow(
                id=t.id,
                name=t.name,
                support=int(tc.get("support", 0)),
                precision=float(tc.get("precision", 0.0)),
                recall=float(tc.get("recall", 0.0)),
                f1=float(tc.get("f1", 0.0)),
                end_to_end_f1=e2e.get(t.id, 0.0),
            ))
        return rows

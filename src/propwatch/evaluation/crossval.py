"""Cross-validated figures: the decoding chosen on some articles and scored on others, fold by fold, so that no
figure comes from the articles its choices were made on (issue 12: the 50 validation articles had been both).

Two settings share the code:

- **Fold models** (``propwatch crossval``): one model a fold of the PTC ``train`` IDs, each trained on the
  other folds (``training.crossval``). Each fold's held-out outputs are decoded with the decoding tuned on the
  *other* folds' held-out outputs, so training, decoding and scoring never see the same article twice. The
  decoding tuned on all held-out outputs is the one a model trained on every ``train`` article ships with.
- **One model, cross-fitted** (``cross_fit``): a model already trained (``accurate``'s all-mpnet-base-v2 takes
  over an hour a training, so k of them do not fit on two cores); its decoding tuned on k-1 parts of a set of
  articles and scored on the remaining part, k times. It measures what tuning on the scored articles inflates,
  not what the training choices do.

Tuning across fold models needs one ``ModelBase`` to label every article's spans with the span head of the
model that produced that article's outputs: ``FoldModels``.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import DataError
from ..inputs.corpus import CorpusArticle
from ..metrics import CorpusScores
from ..model.decode import DecodingConfig
from ..model.runtime import ModelBase, OnnxModel, TokenPredictions
from .examples import write_model_examples
from .run import ArticleOutput, no_progress, redecode, run_model, score
from .tuning import TuningSteps, tune_decoding

FIGURES = ("si", "tc_micro", "tc_macro", "end_to_end", "sentence")
FIGURE_NAMES = {"si": "SI F1", "tc_micro": "TC micro-F1", "tc_macro": "TC macro-F1", "end_to_end": "end-to-end F1",
                "sentence": "sentence F1"}


class FoldModels(ModelBase):
    """Several models that answer as one while tuning: an article's spans are labelled by the span head of the
    model that produced its outputs (found by the article's text), under the decoding being tried. It runs no
    encoder: tuning only re-decodes outputs already computed."""

    def __init__(self, by_text: dict[str, ModelBase], like: ModelBase):
        self.path = like.path
        self.config = like.config
        self.by_text = by_text

    def predict_many(self, texts, progress=None) -> list[TokenPredictions]:
        raise TypeError("FoldModels re-decodes held-out outputs; run each fold's own model on new text")

    def span_head_probabilities(self, text, pred, spans):
        return self.by_text[text].span_head_probabilities(text, pred, spans)

    def example_source(self, pred):
        return None

    def nearest_examples(self, text, pred, spans, k):
        """The examples of the model that produced this article's outputs: each fold model ships its own, built
        from the articles it was trained on."""
        return self.by_text[text].nearest_examples(text, pred, spans, k)


def figures_of(scores: CorpusScores) -> dict[str, float]:
    """The five headline figures of a scorecard, by ``FIGURES`` key."""
    assert scores.sentence is not None  # corpus runs score sentences
    return {"si": scores.si.f1, "tc_micro": scores.tc.micro_f1, "tc_macro": scores.tc.macro_f1,
            "end_to_end": scores.end_to_end.f1, "sentence": scores.sentence.f1}


@dataclass(frozen=True)
class CrossValidated:
    """Per-fold figures of decodings chosen elsewhere, their mean and spread, and the figures of all folds'
    articles pooled into one scorecard (the SemEval way of counting: every span of every article at once)."""

    per_fold: list[dict[str, float]]
    pooled: dict[str, float]
    articles: list[int]
    pooled_scores: CorpusScores | None = None  # the pooled scorecard, per technique included
    recorded_techniques: dict[str, dict[str, float]] | None = None  # ``per_technique`` as read from a record

    @classmethod
    def from_json(cls, d: dict) -> CrossValidated:
        """What ``to_json`` wrote (``propwatch crossval``'s crossval.json)."""
        return cls(d["per_fold"], d["pooled"], d["articles"], recorded_techniques=d.get("per_technique"))

    def per_technique(self) -> dict[str, dict[str, float]]:
        """Per technique over the pooled articles: gold lines, TC recall and F1, end-to-end F1."""
        if self.pooled_scores is None:
            return self.recorded_techniques or {}
        e2e = self.pooled_scores.end_to_end_per_technique()
        return {t: {"support": float(row["support"]), "tc_recall": float(row["recall"]), "tc_f1": float(row["f1"]),
                    "end_to_end_f1": e2e.get(t, 0.0)} for t, row in self.pooled_scores.tc.per_technique.items()}

    @property
    def mean(self) -> dict[str, float]:
        return {k: statistics.fmean(f[k] for f in self.per_fold) for k in FIGURES}

    @property
    def spread(self) -> dict[str, float]:
        """The sample standard deviation across folds (0 with one fold)."""
        return {k: statistics.stdev([f[k] for f in self.per_fold]) if len(self.per_fold) > 1 else 0.0
                for k in FIGURES}

    def to_json(self) -> dict:
        return {"per_fold": self.per_fold, "pooled": self.pooled, "mean": self.mean, "spread": self.spread,
                "articles": self.articles, "per_technique": self.per_technique()}


def _router(folds: list[list[ArticleOutput]], models: Sequence[ModelBase]) -> FoldModels:
    by_text = {o.text: m for outputs, m in zip(folds, models) for o in outputs}
    return FoldModels(by_text, models[0])


def tune_across(folds: list[list[ArticleOutput]], models: Sequence[ModelBase],
                steps: TuningSteps = TuningSteps()) -> tuple[DecodingConfig, dict]:
    """The decoding tuned on every fold's held-out outputs together (what the model trained on all of them
    ships with), with the optional ``steps`` (``tuning.TuningSteps``)."""
    router = _router(folds, models)
    return tune_decoding(router, [o for outputs in folds for o in outputs], steps)


def tuned_on_folds(model: ModelBase) -> bool:
    """Whether ``model``'s decoding was tuned on the held-out articles of cross-validation folds (``propwatch
    crossval --store`` records the folds under ``validation.crossval``): judged on those folds as it ships, it
    would be judged on the articles it was chosen on, so judges there re-tune it without each fold
    (``decoded_without_each``)."""
    return bool((model.config.validation or {}).get("crossval"))


def decoded_without_each(folds: list[list[ArticleOutput]], models: Sequence[ModelBase],
                         say=lambda message: None,
                         steps: TuningSteps = TuningSteps()) -> list[list[ArticleOutput]]:
    """Fold ``k``'s held-out outputs (run with ``keep_hidden=True``) decoded by its model with the decoding tuned
    on the other folds' held-out outputs: no article is decoded by a tuning that saw it."""
    decoded = []
    for k, (outputs, model) in enumerate(zip(folds, models)):
        others = [f for j, f in enumerate(folds) if j != k]
        say(f"fold {k + 1} of {len(folds)}: tuning on {sum(map(len, others))} held-out articles of the other "
            f"folds, decoding its {len(outputs)}")
        chosen, _ = tune_across(others, [m for j, m in enumerate(models) if j != k], steps)
        decoded.append(redecode(model.with_decoding(chosen), outputs))
    return decoded


def nested_scores(folds: list[list[ArticleOutput]], models: Sequence[ModelBase], say=lambda message: None,
                  decoding: DecodingConfig | None = None, steps: TuningSteps = TuningSteps()) -> CrossValidated:
    """Fold ``k``'s held-out outputs decoded with the decoding tuned on the other folds' held-out outputs (or,
    with ``decoding``, with that one fixed decoding everywhere, to judge a decoding chosen elsewhere on the
    same articles) and scored."""
    decoded = (decoded_without_each(folds, models, say, steps)
               if decoding is None else
               [redecode(model.with_decoding(decoding), outputs) for outputs, model in zip(folds, models)])
    per_fold = [figures_of(score(fold)) for fold in decoded]
    pooled = score([o for fold in decoded for o in fold])
    return CrossValidated(per_fold, figures_of(pooled), [len(f) for f in folds], pooled)


def fold_outputs(runs: list[tuple[OnnxModel, list[CorpusArticle]]], on_progress=None) -> list[list[ArticleOutput]]:
    """Each fold model run on its held-out articles, kept for re-decoding."""
    return [run_model(model, articles, on_progress=on_progress, keep_hidden=True) for model, articles in runs]


def cross_fit(model: ModelBase, outputs: list[ArticleOutput], folds: int = 5,
              say=lambda message: None, steps: TuningSteps = TuningSteps()) -> CrossValidated:
    """One model's decoding tuned on ``folds - 1`` parts of ``outputs`` (run with ``keep_hidden=True``) and
    scored on the remaining part, ``folds`` times (part ``k`` holds every ``folds``-th article from the
    ``k``-th, as ``reliability.held_out_spans`` splits them)."""
    parts = [outputs[k::folds] for k in range(folds)]
    return nested_scores(parts, [model] * folds, say, steps=steps)


def build_fold_examples(trained: list[tuple[OnnxModel, list[CorpusArticle]]], progress=no_progress) -> int:
    """Give each fold model that has none the span examples of the articles paired with it, the ones it was
    trained on (``examples.write_model_examples``), as the shipped model carries those of its training articles:
    what the neighbour vote reads. Returns how many were given examples."""
    built = 0
    for model, trained_on in trained:
        if not model.examples.available:
            write_model_examples(model, trained_on, progress=progress)
            built += 1
    return built


def training_articles(runs: list[tuple[OnnxModel, list[CorpusArticle]]]) -> list[tuple[OnnxModel, list[CorpusArticle]]]:
    """Each fold model with the articles it was trained on: the other folds' held-out articles."""
    return [(model, [a for j, (_, held_out) in enumerate(runs) if j != k for a in held_out])
            for k, (model, _) in enumerate(runs)]


def load_fold_model(folder: str | Path, window: int, stride: int) -> OnnxModel:
    """A fold's model reading ``window``/``stride`` tokens at inference: folds train as the shipped model did, on
    254-token windows, and are scored as it runs."""
    model = OnnxModel(folder)
    model.window, model.stride = window, stride
    model.config = replace(model.config, window=window, stride=stride)
    return model


def read_finished(cv: str | Path) -> tuple[dict, dict]:
    """``(plan, figures)`` of a finished ``propwatch crossval --out CV``: its ``folds.json`` (written by
    ``training.crossval``: the split, the folds' IDs) and its ``crossval.json`` (``cli.crossval``: the windows the
    folds were scored on, the figures); a ``DataError`` where either is missing."""
    cv = Path(cv)
    for name in ("folds.json", "crossval.json"):
        if not (cv / name).is_file():
            raise DataError(f"{cv} holds no {name}: not a finished cross-validation (run propwatch crossval)")
    return (json.loads((cv / "folds.json").read_text(encoding="utf-8")),
            json.loads((cv / "crossval.json").read_text(encoding="utf-8")))


def finished_folds(cv: str | Path, articles: Sequence[CorpusArticle]) -> list[tuple[OnnxModel, list[CorpusArticle]]]:
    """The fold models of a finished ``propwatch crossval --out CV`` with their held-out articles (from
    ``articles``), read on the windows the folds were scored on: what later judgements on the folds start from."""
    plan, run = read_finished(cv)
    by_id = {a.article.id: a for a in articles}
    missing = [i for fold in plan["folds"] for i in fold if i not in by_id]
    if missing:
        raise DataError(f"{len(missing)} held-out IDs of {cv} are not among the given articles, e.g. {missing[:3]}")
    return [(load_fold_model(Path(cv) / f"fold-{k + 1}" / "model", run["window"], run["stride"]),
             [by_id[i] for i in ids]) for k, ids in enumerate(plan["folds"])]


@dataclass(frozen=True)
class FoldsReport:
    """What ``score_folds`` found: the nested figures, a reference decoding's figures on the same held-out
    outputs (where one was given), and the decoding tuned on every held-out article."""

    nested: CrossValidated
    reference: CrossValidated | None
    decoding: DecodingConfig
    record: dict

    def to_json(self) -> dict:
        return {"nested": self.nested.to_json(), "reference": self.reference.to_json() if self.reference else None,
                "tuning": self.record}


def score_folds(runs: list[tuple[OnnxModel, list[CorpusArticle]]], reference: DecodingConfig | None = None,
                progress=None, say=lambda message: None, steps: TuningSteps = TuningSteps()) -> FoldsReport:
    """Run each fold model on its held-out articles; score decodings chosen on the other folds (``nested``),
    and ``reference`` (a decoding chosen elsewhere, e.g. the shipped model's) on the same outputs; tune on
    all of them for the model that is trained on every article."""
    models = [m for m, _ in runs]
    if progress is None:
        folds = fold_outputs(runs)
    else:
        with progress(sum(len(a) for _, a in runs)) as advance:
            folds = fold_outputs(runs, on_progress=advance)
    nested = nested_scores(folds, models, say, steps=steps)
    fixed = nested_scores(folds, models, decoding=reference) if reference is not None else None
    say(f"tuning on all {sum(map(len, folds))} held-out articles")
    decoding, record = tune_across(folds, models, steps)
    return FoldsReport(nested, fixed, decoding, record)

"""The attribution task of ``propwatch predict`` and ``propwatch evaluate`` (PolNeAR layout): kept apart from the
technique commands so each stays a few lines."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from ..components.attributions.component import AttributionFinder
from ..errors import DataError
from ..evaluation.attributions import evaluate_attributions, prediction_rows, texts_of
from ..files import atomic_write_text
from ._corpus import article_progress
from ._util import console, err_console, handle_errors

ROLE_NAMES = {"source": "source (who)", "cue": "cue (reporting words)", "content": "content (what)"}


def predict_attributions_command(data: Path, out: Path, model: str | None) -> None:
    """One JSON line per attribution of every ``DATA/text/*.txt``."""
    with handle_errors():
        count = len(texts_of(data))  # a clear error before the model loads
        finder = AttributionFinder.load(model)
        with article_progress(err_console, count, "finding attributions") as bar:
            task = bar.add_task("predict", total=count)
            rows = list(prediction_rows(finder.model, data, on_article=lambda: bar.advance(task)))
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, "".join(json.dumps(r) + "\n" for r in rows))
        err_console.print(f"wrote {len(rows)} attributions of {count} articles to {out}")


def evaluate_attributions_command(data: Path, split: str | None, model: str | None, as_json: bool) -> None:
    """Exact-match and overlap F1 per role and source-type accuracy on ``DATA/SPLIT`` (e.g. PolNeAR's dev)."""
    with handle_errors():
        compartment = data / split if split else data
        count = len(texts_of(compartment))
        if not (compartment / "attributions").is_dir():
            raise DataError(f"{compartment} has no attributions/ folder to score against")
        finder = AttributionFinder.load(model)
        with article_progress(err_console, count, "evaluating") as bar:
            task = bar.add_task("evaluate", total=count)
            scores = evaluate_attributions(finder.model, compartment, on_article=lambda: bar.advance(task))
        if as_json:
            print(json.dumps(scores.to_dict(), indent=2))
            return
        table = Table(title=f"{finder.model.name} {finder.model.version} on {count} articles of {compartment}")
        for col in ("role", "exact P", "exact R", "exact F1", "overlap F1", "gold", "predicted"):
            table.add_column(col, justify="left" if col == "role" else "right")
        for role, name in ROLE_NAMES.items():
            exact, overlap = scores.exact[role], scores.overlap[role]
            table.add_row(name, f"{exact.precision:.3f}", f"{exact.recall:.3f}", f"[bold]{exact.f1:.3f}",
                          f"{overlap.f1:.3f}", str(exact.gold), str(exact.predicted))
        console.print(table)
        accuracy = scores.source_type_accuracy
        console.print(f"source type accuracy: {'-' if accuracy is None else f'{accuracy:.3f}'} over "
                      f"{scores.source_type_pairs} attributions whose cue matches a gold cue; whole attributions "
                      f"F1 {scores.attribution.f1:.3f}")

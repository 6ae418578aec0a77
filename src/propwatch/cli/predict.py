"""``propwatch predict``: SemEval-2020 Task 11 submission files, so any official scorer can check the model."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import DataError
from ..evaluation.run import run_model
from ..inputs import write_si, write_tc
from ..model import load_model
from ._corpus import article_progress, select_articles
from ._util import err_console, handle_errors


class Task(str, Enum):
    si = "si"
    tc = "tc"


def predict_command(
    data: Path = typer.Option(..., "--data", help="Corpus folder: articles/article<ID>.txt (and labels/ for tc)."),
    task: Task = typer.Option(..., "--task", help="si: spans (id start end); tc: techniques of the labelled spans."),
    out: Path = typer.Option(..., "--out", help="Submission file to write."),
    ids: Optional[Path] = typer.Option(None, "--ids", help="File with one article ID per line."),
    split: Optional[str] = typer.Option(None, "--split", help="Split name in the split file."),
    split_file: Optional[Path] = typer.Option(None, "--split-file", help="Default: DATA/../splits.json."),
    model: Optional[str] = typer.Option(None, "--model", help="fast (default, shipped), accurate (built by make "
                                                               "accurate-model), a model name or a folder."),
) -> None:
    """Write SI (`id start end`) or TC (`id technique start end`) predictions for a corpus folder.

    TC classifies the spans listed in the folder's label files (the SemEval TC setting)."""
    with handle_errors():
        articles = select_articles(data, ids, split, split_file)
        if task is Task.tc:
            unlabelled = [a.article.id for a in articles if a.gold is None]
            if unlabelled:
                raise DataError(
                    f"--task tc needs label files listing the spans; {len(unlabelled)} articles have none "
                    f"(e.g. {unlabelled[0]})"
                )
        onnx = load_model(model)
        with article_progress(err_console, len(articles), "predicting") as bar:
            progress_task = bar.add_task("predict", total=len(articles))
            outputs = run_model(onnx, articles, on_progress=lambda n: bar.advance(progress_task, n))
        out.parent.mkdir(parents=True, exist_ok=True)
        if task is Task.si:
            spans = [(o.id, s, e) for o in outputs for s, e in sorted(o.si)]
            write_si(spans, out)
            written = len(spans)
        else:
            labels = [(o.id, t, s, e) for o in outputs for s, e, t in o.tc_labels]
            write_tc(labels, out)
            written = len(labels)
        err_console.print(f"wrote {written} {task.value.upper()} predictions for {len(outputs)} articles to {out}")

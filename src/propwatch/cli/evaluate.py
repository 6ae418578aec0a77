"""``propwatch evaluate``: SemEval-2020 Task 11 figures of a model on a labelled corpus folder; with ``--task
roles``, SemEval-2025 Task 10 subtask 1 figures of a role model and the actor finder's recall."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..evaluation.run import evaluate
from ..model import load_model
from ..techniques import TECHNIQUES
from ._corpus import article_progress, select_articles
from ._util import console, err_console, handle_errors


class EvaluateTask(str, Enum):
    techniques = "techniques"
    roles = "roles"
    attribution = "attribution"


def evaluate_command(
    data: Path = typer.Option(..., "--data", help="Corpus folder: articles/article<ID>.txt and labels/; for roles "
                                                  "a framing folder (documents/, subtask-1-annotations.txt)."),
    task: EvaluateTask = typer.Option(EvaluateTask.techniques, "--task",
                                      help="techniques (default), attribution (who says so) or roles (who is "
                                           "cast as what)."),
    ids: Optional[Path] = typer.Option(None, "--ids", help="File with one article ID per line."),
    split: Optional[str] = typer.Option(None, "--split", help="Split name in the split file, e.g. validation."),
    split_file: Optional[Path] = typer.Option(None, "--split-file",
                                              help="Default: DATA/../splits.json (roles: DATA/splits.json)."),
    model: Optional[str] = typer.Option(None, "--model", help="fast (default, shipped), accurate (larger, "
                                                               "shipped), a model name or a folder; for "
                                                               "roles a role model (propwatch train --task roles)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
) -> None:
    """Print SI precision/recall/F1, TC micro/macro-F1, end-to-end F1 and a per-technique table; with --task
    roles, the exact match ratio of the fine roles, main-role accuracy and fine-role micro-F1 on the annotated
    mentions, and the actor finder's recall of them."""
    if task is EvaluateTask.attribution:
        from ._attributions import evaluate_attributions_command

        if ids is not None or split_file is not None:
            raise typer.BadParameter("--task attribution scores the folder DATA/SPLIT (e.g. --data "
                                     "../shared/polnear --split dev)", param_hint="--ids")
        evaluate_attributions_command(data, split, model, as_json)
        return
    if task is EvaluateTask.roles:
        from ._roles import evaluate_roles_command

        if ids is not None:
            raise typer.BadParameter("--task roles selects articles with --split", param_hint="--ids")
        evaluate_roles_command(data, split, split_file, model, as_json)
        return
    with handle_errors():
        articles = [a for a in select_articles(data, ids, split, split_file) if a.gold is not None]
        if not articles:
            raise typer.BadParameter("none of the selected articles has a labels file", param_hint="--data")
        onnx = load_model(model)
        with article_progress(err_console, len(articles), "evaluating") as bar:
            task = bar.add_task("evaluate", total=len(articles))
            report = evaluate(onnx, articles, on_progress=lambda n: bar.advance(task, n))
        if as_json:
            print(json.dumps(report.to_json_dict(), indent=2))
            return
        summary = Table(title=f"{onnx.name} {onnx.version} on {report.articles} articles")
        for col in ("task", "precision", "recall", "F1"):
            summary.add_column(col, justify="right" if col != "task" else "left")
        summary.add_row("span identification (SI)", f"{report.si.precision:.4f}", f"{report.si.recall:.4f}",
                        f"[bold]{report.si.f1:.4f}")
        summary.add_row("end-to-end (span + technique)", f"{report.end_to_end.precision:.4f}",
                        f"{report.end_to_end.recall:.4f}", f"[bold]{report.end_to_end.f1:.4f}")
        if report.sentence is not None:
            summary.add_row("sentence level", f"{report.sentence.precision:.4f}", f"{report.sentence.recall:.4f}",
                            f"[bold]{report.sentence.f1:.4f}")
        summary.add_row("technique classification (TC)", "", "micro", f"[bold]{report.tc.micro_f1:.4f}")
        summary.add_row("", "", "macro", f"{report.tc.macro_f1:.4f}")
        console.print(summary)
        table = Table(title="per technique (TC on gold spans; end-to-end F1)")
        for col in ("technique", "gold spans", "TC precision", "TC recall", "TC F1", "end-to-end F1"):
            table.add_column(col, justify="left" if col == "technique" else "right")
        e2e = report.end_to_end_per_technique()
        for t in TECHNIQUES:
            row = report.tc.per_technique[t.id]
            table.add_row(t.name, str(row["support"]), f"{row['precision']:.3f}", f"{row['recall']:.3f}",
                          f"{row['f1']:.3f}", f"{e2e.get(t.id, 0.0):.3f}")
        console.print(table)

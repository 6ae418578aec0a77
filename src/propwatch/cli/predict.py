"""``propwatch predict``: submission files, so any official scorer can check the model: SemEval-2020 Task 11
(``--task si|tc``) and the roles of given mentions, SemEval-2025 Task 10 subtask 1 (``--task roles``)."""

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
    roles = "roles"
    attribution = "attribution"


def predict_command(
    data: Path = typer.Option(..., "--data", help="Corpus folder: articles/article<ID>.txt (and labels/ for tc); "
                                                  "for roles a folder with documents/<ARTICLE>."),
    task: Task = typer.Option(..., "--task", help="si: spans (id start end); tc: techniques of the labelled spans; "
                                                  "roles: the roles of the mentions listed in --mentions; "
                                                  "attribution: every attribution of text/*.txt, one a line."),
    out: Path = typer.Option(..., "--out", help="Submission file to write."),
    mentions: Optional[Path] = typer.Option(
        None, "--mentions", help="roles: one ARTICLE<TAB>ENTITY<TAB>START<TAB>END line per mention (END inclusive)."),
    ids: Optional[Path] = typer.Option(None, "--ids", help="File with one article ID per line."),
    split: Optional[str] = typer.Option(None, "--split", help="Split name in the split file."),
    split_file: Optional[Path] = typer.Option(None, "--split-file", help="Default: DATA/../splits.json."),
    model: Optional[str] = typer.Option(None, "--model", help="fast (default, shipped), accurate (larger, "
                                                               "shipped), a model name or a folder; for "
                                                               "roles a role model (propwatch train --task roles)."),
) -> None:
    """Write SI (`id start end`) or TC (`id technique start end`) predictions for a corpus folder, the roles
    of given mentions (`article entity start end main_role fine_role...`, tab-separated), or the attributions
    of a PolNeAR-layout folder's text/*.txt (one JSON object a line).

    TC classifies the spans listed in the folder's label files (the SemEval TC setting)."""
    if task is Task.attribution:
        from ._attributions import predict_attributions_command

        if any(v is not None for v in (ids, split, split_file, mentions)):
            raise typer.BadParameter("--task attribution reads every DATA/text/*.txt; --ids, --split, "
                                     "--split-file and --mentions are for the other tasks", param_hint="--task")
        predict_attributions_command(data, out, model)
        return
    if task is Task.roles:
        from ._roles import predict_roles_command

        if ids is not None or split is not None or split_file is not None:
            raise typer.BadParameter("--task roles classifies the mentions listed in --mentions; --ids, --split and "
                                     "--split-file are for si and tc", param_hint="--task")

        predict_roles_command(data, mentions, out, model)
        return
    with handle_errors():
        if mentions is not None:
            raise DataError("--mentions is for --task roles")
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

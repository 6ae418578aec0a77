"""The roles task of ``train``, ``predict`` and ``evaluate`` (who is cast as what, SemEval-2025 Task 10
subtask 1): reading the options and printing; the work is in ``training.roles``, ``evaluation.roles`` and
``inputs.framing``."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from ..errors import DataError, ModelError
from ._corpus import article_progress
from ._util import console, err_console, handle_errors


def _needs(extra: str, exc: ImportError) -> ModelError:
    return ModelError(f"the roles task needs the [{extra}] extra ({exc.name} is missing): "
                      f"pip install 'propwatch[{extra}]'")


def _spacy_check() -> None:
    from ..components.spacy_pipeline import load_spacy

    load_spacy()  # a ModelError saying how to install it, before any work is done


def _role_model(model: str | None):
    from ..components.actors.roles import RoleModel

    return RoleModel.load(model)


def train_roles_command(data: Path, split_file: Path | None, out: Path, encoder: str, max_articles: int | None,
                        name: str | None, version: str | None, install_as: str | None) -> None:
    with handle_errors():
        try:
            import sklearn  # noqa: F401

            from ..training.roles import RolesTrainConfig, train_roles
        except ImportError as exc:
            raise _needs("train", exc) from exc
        _spacy_check()
        if split_file is None and not (data / "splits.json").is_file():
            raise DataError(f"--task roles needs a split file: {data / 'splits.json'} does not exist (use --split)")
        cfg = RolesTrainConfig(data=str(data), out=str(out), split_file=str(split_file) if split_file else None,
                               encoder=encoder, max_articles=max_articles,
                               name=name or RolesTrainConfig.name, version=version or RolesTrainConfig.version)
        folder = train_roles(cfg, log=err_console.print)
        if install_as:
            from ..model.loader import install_folder

            folder = install_folder(folder, install_as)
            err_console.print(f"installed as {install_as!r} in {folder.parent}")
        err_console.print(f"use it with: propwatch evaluate --task roles --data {data} --split validation "
                          f"--model {install_as or folder}")


def predict_roles_command(data: Path, mentions: Path | None, out: Path, model: str | None) -> None:
    with handle_errors():
        from ..inputs.framing import Documents, read_mentions

        if mentions is None:
            raise DataError("--task roles needs --mentions: a file with one ARTICLE<TAB>ENTITY<TAB>START<TAB>END "
                            "line per mention (END inclusive)")
        documents = Documents(data)
        given = read_mentions(mentions, documents)
        if not given:
            raise DataError(f"{mentions} lists no mentions")
        role_model = _role_model(model)
        if role_model.features_used == "actor":
            _spacy_check()
        from ..evaluation.roles import predict_roles

        predictions = predict_roles(role_model, given, documents)
        out.parent.mkdir(parents=True, exist_ok=True)
        from ..files import atomic_write_text

        atomic_write_text(out, "".join(p.row() + "\n" for p in predictions))
        articles = len({m.article for m in given})
        err_console.print(f"wrote the roles of {len(predictions)} mentions in {articles} articles to {out}")


def evaluate_roles_command(data: Path, split: str | None, split_file: Path | None, model: str | None,
                           as_json: bool) -> None:
    with handle_errors():
        from ..inputs.framing import read_framing

        framing = read_framing(data, split, split_file=split_file)
        role_model = _role_model(model)
        _spacy_check()
        from ..evaluation.roles import evaluate_roles

        with article_progress(err_console, len(framing.articles), "evaluating") as bar:
            task = bar.add_task("evaluate", total=len(framing.articles))
            report, _ = evaluate_roles(role_model, framing, on_progress=lambda n: bar.advance(task, n))
        if as_json:
            print(json.dumps(report.to_json_dict(), indent=2))
            return
        s, f = report.scores, report.finder
        table = Table(title=f"{report.model} on {f.articles} {report.split} articles ({s.mentions} annotated "
                            "mentions, given)")
        table.add_column("roles")
        table.add_column("", justify="right")
        table.add_row("exact match ratio (fine roles)", f"[bold]{s.exact_match_ratio:.4f}")
        table.add_row("main-role accuracy", f"[bold]{s.main_role_accuracy:.4f}")
        table.add_row("fine roles micro-F1", f"{s.fine_f1:.4f} (P {s.fine_precision:.4f}, R {s.fine_recall:.4f})")
        console.print(table)
        finder = Table(title="actor finder: annotated mentions among the found actors' mentions")
        finder.add_column("recall")
        finder.add_column("", justify="right")
        finder.add_row("overlapping a found mention", f"[bold]{f.overlap:.4f}")
        finder.add_row("the same span", f"{f.exact:.4f}")
        finder.add_row("annotated (article, entity) pairs", f"{f.entities:.4f}")
        finder.add_row("actors per article", f"{f.actors_per_article:.1f}")
        console.print(finder)

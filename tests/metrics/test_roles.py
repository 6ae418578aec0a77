"""The entity-framing scorer (metrics/roles.py), by hand and against shared/tools/framing_score.py."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from propwatch.metrics.roles import format_role_row, parse_role_rows, score_roles

ROOT = Path(__file__).resolve().parents[2]
SCORER = ROOT.parent / "shared" / "tools" / "framing_score.py"
FRAMING = ROOT.parent / "shared" / "framing"

GOLD = [
    "A1\tRussia\t10\t15\tAntagonist\tInstigator",
    "A1\tUkraine\t20\t26\tProtagonist\tUnderdog\tVirtuous",
    "A2\tBiden\t0\t4\tAntagonist\tIncompetent",
    "A2\tKurds\t30\t34\tInnocent\tVictim",
]
PRED = [
    "A1\tRussia\t10\t15\tAntagonist\tInstigator",  # exact
    "A1\tUkraine\t20\t26\tProtagonist\tVirtuous\tUnderdog",  # exact: order does not matter
    "A2\tBiden\t0\t4\tAntagonist\tCorrupt",  # main right, fine wrong
    "A9\tNobody\t0\t4\tInnocent\tVictim",  # not a gold mention: not scored
]  # "Kurds" missing: wrong


def test_hand_made_scores():
    s = score_roles(parse_role_rows(GOLD), parse_role_rows(PRED))
    assert s.mentions == 4 and s.found == 3
    assert s.exact_match_ratio == pytest.approx(2 / 4)
    assert s.main_role_accuracy == pytest.approx(3 / 4)
    # fine roles: predicted 4 over gold mentions, 3 right; gold has 5
    assert s.fine_precision == pytest.approx(3 / 4)
    assert s.fine_recall == pytest.approx(3 / 5)
    assert s.fine_f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_perfect_and_empty():
    gold = parse_role_rows(GOLD)
    perfect = score_roles(gold, gold)
    assert perfect.exact_match_ratio == perfect.main_role_accuracy == perfect.fine_f1 == 1.0
    nothing = score_roles(gold, {})
    assert nothing.exact_match_ratio == nothing.main_role_accuracy == nothing.fine_f1 == 0.0
    assert score_roles({}, gold).mentions == 0


def test_labels_are_stripped_and_rows_round_trip():
    rows = parse_role_rows(["A\tX\t1\t2\t Antagonist \t Spy \r\n", "header without numbers"])
    assert rows == {("A", 1, 2): ("Antagonist", frozenset({"Spy"}))}
    line = format_role_row("A", "X", 1, 2, "Antagonist", ["Spy", "Traitor"])
    assert parse_role_rows([line]) == {("A", 1, 2): ("Antagonist", frozenset({"Spy", "Traitor"}))}


def _reference(tmp_path: Path, gold: list[str], pred: list[str]) -> dict:
    g, p = tmp_path / "gold.txt", tmp_path / "pred.txt"
    g.write_text("\n".join(gold) + "\n", encoding="utf-8")
    p.write_text("\n".join(pred) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCORER), str(g), str(p)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _assert_same(ours, ref: dict) -> None:
    assert ref["mentions"] == ours.mentions and ref["found"] == ours.found
    assert ref["emr"] == pytest.approx(ours.exact_match_ratio, abs=1e-4)
    assert ref["main_role_accuracy"] == pytest.approx(ours.main_role_accuracy, abs=1e-4)
    assert ref["fine_micro"]["f1"] == pytest.approx(ours.fine_f1, abs=1e-4)
    assert ref["fine_micro"]["precision"] == pytest.approx(ours.fine_precision, abs=1e-4)


def test_matches_reference_scorer_by_hand(tmp_path):
    if not SCORER.exists():
        pytest.skip(f"{SCORER} not found")
    _assert_same(score_roles(parse_role_rows(GOLD), parse_role_rows(PRED)), _reference(tmp_path, GOLD, PRED))


def test_matches_reference_scorer_on_the_framing_release(tmp_path):
    annotations = FRAMING / "subtask-1-annotations.txt"
    if not SCORER.exists() or not annotations.exists():
        pytest.skip("../shared/framing or the reference scorer not found")
    gold = annotations.read_text(encoding="utf-8").splitlines()
    rng = random.Random(14)
    fines = ["Guardian", "Victim", "Conspirator", "Deceiver", "Instigator"]
    pred = []
    for line in gold:
        parts = line.split("\t")
        r = rng.random()
        if r < 0.1:
            continue  # missing
        if r < 0.4:
            parts = parts[:4] + [rng.choice(["Protagonist", "Antagonist", "Innocent"]), rng.choice(fines)]
        elif r < 0.5:
            parts = parts + [rng.choice(fines)]
        pred.append("\t".join(parts))
    _assert_same(score_roles(parse_role_rows(gold), parse_role_rows(pred)), _reference(tmp_path, gold, pred))

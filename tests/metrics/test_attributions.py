"""The attribution scorer: CofeNet's exact match over trimmed word spans, overlap F1, source types; checked
against the independent ``shared/tools/attrib_score.py`` where it is present."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from propwatch.metrics.attributions import score_attributions, word_range, words_of

ROOT = Path(__file__).resolve().parents[2]
ATTRIB_SCORE = Path(os.environ.get("PROPWATCH_ATTRIB_SCORE", ROOT.parent / "shared" / "tools" / "attrib_score.py"))
POLNEAR = Path(os.environ.get("PROPWATCH_POLNEAR", ROOT.parent / "shared" / "polnear"))

TEXT = "“The plan is dead,” Smith said. Officials reportedly agreed, a source said."


def at(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


GOLD = [
    {"source": at("Smith"), "cue": at("said"), "content": [at("“The plan is dead,”")], "source_type": "named"},
    {"source": None, "cue": at("reportedly"), "content": [at("Officials"), at("agreed")], "source_type": "none"},
    {"source": at("a source"), "cue": at("said", 1), "content": [at("Officials reportedly agreed")],
     "source_type": "anonymous"},
]


def test_word_range_trims_punctuation():
    words = words_of(TEXT)
    found = word_range(words, *at("“The plan is dead,”"))
    assert found is not None
    a, b = found
    assert (words[a].start, words[b - 1].end) == at("The plan is dead")
    assert word_range(words, *at("“")) is None


def test_perfect_prediction():
    scores = score_attributions({"a": TEXT}, {"a": GOLD}, {"a": GOLD})
    for role in ("source", "cue", "content"):
        assert scores.exact[role].f1 == 1.0 and scores.overlap[role].f1 == 1.0
    assert scores.attribution.f1 == 1.0
    assert scores.source_type_accuracy == 1.0 and scores.source_type_pairs == 3


def test_partial_prediction():
    pred = [
        {"source": at("Smith"), "cue": at("said"), "content": [at("The plan")], "source_type": "anonymous"},
        {"source": None, "cue": at("reportedly"), "content": [], "source_type": "none"},
    ]
    scores = score_attributions({"a": TEXT}, {"a": GOLD}, {"a": pred})
    assert scores.exact["cue"].precision == 1.0 and scores.exact["cue"].recall == pytest.approx(2 / 3)
    assert scores.exact["content"].f1 == 0.0
    # "The plan" lies wholly inside "The plan is dead": full precision credit, half the recall credit.
    assert scores.overlap["content"].precision == 1.0
    assert scores.overlap["content"].recall == pytest.approx((2 / 4) / 4)
    assert scores.source_type_accuracy == 0.5  # Smith is named, "none" matches
    assert scores.confusion == {"named": {"anonymous": 1}, "none": {"none": 1}}
    assert scores.unsourced == {"unsourced": 1, "source missed": 0, "not annotated": 0}


def test_attributions_without_a_source_are_told_apart_by_what_their_cue_overlaps():
    pred = [
        {"source": None, "cue": at("Smith said"), "content": [at("The plan is dead")], "source_type": "none"},
        {"source": None, "cue": at("reportedly agreed"), "content": [at("Officials")], "source_type": "none"},
        {"source": None, "cue": at("plan"), "content": [at("dead")], "source_type": "none"},
    ]
    scores = score_attributions({"a": TEXT}, {"a": GOLD}, {"a": pred})
    assert scores.unsourced == {"unsourced": 1, "source missed": 1, "not annotated": 1}


def test_no_attributions_anywhere():
    scores = score_attributions({"a": "Nothing here."}, {}, {})
    assert scores.exact["cue"].f1 == 0.0 and scores.source_type_accuracy is None


def _reference(gold_dir: Path, pred_file: Path) -> dict:
    if not ATTRIB_SCORE.is_file():
        pytest.skip(f"reference scorer not found at {ATTRIB_SCORE} (set PROPWATCH_ATTRIB_SCORE)")
    out = subprocess.run([sys.executable, str(ATTRIB_SCORE), str(gold_dir), str(pred_file)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def _agree(ours, reference: dict) -> None:
    for role in ("source", "cue", "content"):
        for kind, table in (("exact", ours.exact), ("overlap", ours.overlap)):
            for k in ("precision", "recall", "f1"):
                assert getattr(table[role], k) == pytest.approx(reference[role][kind][k], abs=6e-4), (role, kind, k)


def _write_pred(path: Path, by_article: dict) -> None:
    with open(path, "w") as f:
        for art, atts in by_article.items():
            for a in atts:
                f.write(json.dumps({"article": art, "source": a["source"], "cue": a["cue"],
                                    "content": a["content"]}) + "\n")


def _ann(attributions) -> str:
    lines, t = [], 0
    for i, a in enumerate(attributions, 1):
        args = []
        for role in ("source", "cue", "content"):
            spans = a[role] if role == "content" else ([a[role]] if a[role] else [])
            for s, e in spans:
                t += 1
                lines.append(f"T{t}\t{role.capitalize()} {s} {e}\t{TEXT[s:e]}")
                args.append(f"{role.capitalize()}:T{t}")
        lines.append(f"E{i}\tAttribution:T0 " + " ".join(args))
    return "\n".join(lines) + "\n"


def test_agrees_with_the_reference_scorer(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT)
    (tmp_path / "attributions" / "a.ann").write_text(_ann(GOLD))
    pred = [
        {"source": list(at("Smith")), "cue": list(at("said")), "content": [list(at("The plan"))]},
        {"source": list(at("source")), "cue": list(at("said", 1)), "content": [list(at("Officials reportedly"))]},
        {"source": None, "cue": list(at("reportedly")), "content": []},
    ]
    _write_pred(tmp_path / "pred.jsonl", {"a": pred})
    ours = score_attributions({"a": TEXT}, {"a": GOLD}, {"a": pred})
    _agree(ours, _reference(tmp_path, tmp_path / "pred.jsonl"))


def test_agrees_with_the_reference_scorer_on_polnear_dev(tmp_path):
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {POLNEAR} (set PROPWATCH_POLNEAR)")
    from propwatch.inputs.polnear import annotation_files, read_compartment

    dev = read_compartment(POLNEAR / "dev")[:12]
    files = annotation_files(POLNEAR / "dev")
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    texts, gold, pred = {}, {}, {}
    for art in dev:
        os.symlink(POLNEAR / "dev" / "text" / f"{art.name}.txt", tmp_path / "text" / f"{art.name}.txt")
        os.symlink(files[art.name].resolve(), tmp_path / "attributions" / f"{art.name}.ann")
        texts[art.name], gold[art.name] = art.text, art.attributions
        # A degraded copy of the gold: every third attribution dropped, cues widened by one character.
        pred[art.name] = [
            {"source": a.source[0] if a.source else None,
             "cue": [a.cue[0][0], a.cue[0][1] + (i % 2)] if a.cue else None,
             "content": [list(c) for c in a.content]}
            for i, a in enumerate(art.attributions) if i % 3
        ]
    _write_pred(tmp_path / "pred.jsonl", pred)
    _agree(score_attributions(texts, gold, pred), _reference(tmp_path, tmp_path / "pred.jsonl"))

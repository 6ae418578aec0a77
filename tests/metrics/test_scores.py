from __future__ import annotations

import json

from propwatch.metrics import CorpusScores, end_to_end, sentence_f1, span_identification, technique_classification

GOLD = {"a": [(0, 10, "doubt"), (20, 30, "loaded_language")]}
PRED = {"a": [(0, 10, "doubt"), (25, 35, "loaded_language")]}


def make(sentence=True):
    return CorpusScores(
        si=span_identification(GOLD, PRED),
        tc=technique_classification(GOLD, GOLD),
        end_to_end=end_to_end(GOLD, PRED),
        sentence=sentence_f1(GOLD, PRED, {"a": [(0, 15), (16, 40)]}) if sentence else None,
        articles=1,
    )


def test_json_shape():
    out = make(sentence=False).to_json_dict()
    assert set(out) == {"si", "tc", "end_to_end", "articles"}
    assert {"precision", "recall", "f1"} <= set(out["si"])
    assert {"micro_f1", "macro_f1", "per_technique"} <= set(out["tc"])
    assert {"precision", "recall", "f1"} <= set(out["end_to_end"])
    assert out["articles"] == 1
    assert out["tc"]["per_technique"]["doubt"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert out["end_to_end"]["per_technique"]["loaded_language"]["f1"] == 0.5
    json.dumps(out)
    assert set(make().to_json_dict()) == {"si", "tc", "end_to_end", "articles", "sentence"}


def test_rows_and_round_trip():
    report = make()
    rows = report.per_technique_rows()
    assert [r.id for r in rows][:2] == ["appeal_to_authority", "appeal_to_fear"] and len(rows) == 14
    doubt = next(r for r in rows if r.id == "doubt")
    assert (doubt.name, doubt.support, doubt.f1, doubt.end_to_end_f1) == ("Doubt", 1, 1.0, 1.0)
    assert report.end_to_end_per_technique()["loaded_language"] == 0.5
    assert CorpusScores.model_validate_json(report.model_dump_json()) == report

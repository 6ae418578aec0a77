import re

import pytest

from propwatch import techniques as T


def test_taxonomy_matches_the_corpus_label_list(ptc_dir):
    labels = (ptc_dir / "techniques.txt").read_text().split()
    assert sorted(t.ptc_label for t in T.TECHNIQUES) == sorted(labels)


def test_every_technique_is_complete_and_distinct():
    assert len(T.TECHNIQUES) == 14
    for field in ("id", "ptc_label", "name", "short", "colour"):
        values = [getattr(t, field) for t in T.TECHNIQUES]
        assert len(set(values)) == 14, field
    for t in T.TECHNIQUES:
        assert re.fullmatch(r"[a-z_]+", t.id)
        assert re.fullmatch(r"#[0-9A-F]{6}", t.colour)
        assert len(t.definition) > 30 and len(t.example) > 10


def test_lookup_and_filters():
    assert T.get("Name_Calling,Labeling").id == "name_calling"
    assert T.get("doubt").ptc_label == "Doubt"
    assert T.parse_filter("Name_Calling,Labeling, doubt ,LOAD") == {"name_calling", "doubt", "loaded_language"}
    assert T.parse_filter("") is None
    with pytest.raises(ValueError, match="valid ids"):
        T.parse_filter("propaganda")

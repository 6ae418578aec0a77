from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.components.attributions import find_attributions
from propwatch.components.attributions.decode import RoleSpan
from propwatch.components.attributions.subjects import subject_source
from propwatch.components.spacy_pipeline import parse
from propwatch.sentences import split_sentences

from .conftest import tagged

EXAMPLE = Path(__file__).resolve().parents[3] / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


def _cue(text: str, phrase: str, tagged_too: tuple[tuple[str, str], ...] = ()) -> RoleSpan | None:
    start = text.index(phrase)
    cue = RoleSpan("cue", start, start + len(phrase), 0, 0, 0.8)
    others = [RoleSpan(role, text.rindex(p), text.rindex(p) + len(p), 0, 0, 0.9) for role, p in tagged_too]
    return subject_source(text, cue, split_sentences(text), [cue, *others], parse)


def _source(text: str, cue: str, tagged_too: tuple[tuple[str, str], ...] = ()) -> str | None:
    found = _cue(text, cue, tagged_too)
    return text[found.start : found.end] if found else None


def test_the_example_articles_kurds_decided_for_themselves():
    text = EXAMPLE.read_text(encoding="utf-8")
    cue = "also decided"
    found = _cue(text, cue)
    assert found is not None and text[found.start : found.end] == "the Kurds"
    assert found.role == "source" and found.score == 0.8  # scored as its cue: the parse adds no confidence


def test_a_verb_joined_by_and_takes_the_subject_of_the_verb_it_is_joined_to():
    assert _source("The minister arrived late and said that the talks had failed.", "said") == "The minister"


def test_according_to_takes_its_object():
    assert _source("The plan failed, according to two senior officials.", "according to") == "two senior officials"


@pytest.mark.parametrize("text, cue", [
    ("It seems that the plan failed.", "seems"),  # an expletive says nobody
    ("There is said to be a plan.", "said"),
    ("No one knows whether the plan failed.", "knows"),  # nobody
    ("No official believes that the plan failed.", "believes"),
    ("The senator was criticized for the plan.", "was criticized for"),  # a passive's subject is talked about
    ("The plan, reportedly, failed.", "reportedly"),  # a hedge has no subject of its own
])
def test_no_subject_that_says_nobody_or_is_talked_about(text, cue):
    assert _source(text, cue) is None


def test_a_subject_the_tagger_gave_another_role_is_not_taken():
    text = "The plan that the minister backed failed, he admitted."
    assert _source(text, "admitted") == "he"
    assert _source(text, "admitted", (("content", " he"),)) is None


def test_find_attributions_names_who_decided_only_when_given_a_parser():
    """Off in the product (it failed its judge, ``benchmarks/cue_subjects.py``): on where the benchmark asks."""
    text = "Things went badly, so the Kurds also decided to leave the town."
    offsets, probs = tagged(text, [("cue", "also decided"), ("content", "to leave the town")])
    (with_rule,) = find_attributions(text, offsets, probs, parse=parse)
    assert with_rule.source is not None and with_rule.source.text == "the Kurds"
    assert with_rule.source_type != "none"
    (shipped,) = find_attributions(text, offsets, probs)
    assert shipped.source is None and shipped.source_type == "none"

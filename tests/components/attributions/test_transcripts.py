from __future__ import annotations

from propwatch.components.attributions import find_attributions
from propwatch.components.attributions.transcripts import transcript_turns

from .conftest import tagged

INTERVIEW = (
    "Flowers Will Not Be at the Debate.\n\n"
    "On this weekend’s broadcast, the host Chris Wallace asked Gov. Mike Pence about the debate.\n\n"
    '"WALLACE: Will Gennifer Flowers be there?\n\n'
    '"PENCE: Well, look, she will not.\n\n'
    '"(CROSSTALK.)\n\n'
    '"But the truth is simple.\n\n'
    '"WALLACE: Are you sure?\n\n'
    '"PENCE: I am.\n\n'
    '"Follow Pam Key on Twitter @pamkeyNEN."'
)


def _turns(text: str) -> list[tuple[str, list[str]]]:
    return [(text[t.source[0] : t.source[1]], [text[s:e] for s, e in t.content]) for t in transcript_turns(text)]


def test_each_turn_is_its_speakers_with_quoted_paragraphs_carrying_it_on_to_the_next_turn():
    assert _turns(INTERVIEW) == [
        ("WALLACE", ["Will Gennifer Flowers be there?"]),
        ("PENCE", ["Well, look, she will not.", "But the truth is simple."]),  # not the stage direction
        ("WALLACE", ["Are you sure?"]),
        ("PENCE", ["I am."]),  # the article goes on after the last turn: not Pence's words
    ]


def test_a_turn_without_quotation_marks_is_its_own_paragraph_and_a_label_is_known_by_its_last_word():
    text = ("KATE BOULDUAN: Why not debate?\n\nJOEL BENENSON: He runs negative ads.\n\nThe ads are too tough?\n\n"
            "BOULDUAN: You were open to it.\n\nBENENSON: Not now.\n\nCLINTON: Anytime.")
    assert _turns(text) == [("KATE BOULDUAN", ["Why not debate?"]), ("JOEL BENENSON", ["He runs negative ads."]),
                            ("BOULDUAN", ["You were open to it."]), ("BENENSON", ["Not now."]),
                            ("CLINTON", ["Anytime."])]


def test_column_labels_and_datelines_are_no_transcript():
    text = ("BREAKING: The report is out.\n\nWASHINGTON: Officials met.\n\nUPDATE: More soon.\n\n"
            "WATCH: The video.\n\nBREAKING: Another.\n\nUPDATE: Again.")
    assert transcript_turns(text) == []
    # one speaker taking turns is a quote, not a dialogue
    assert transcript_turns("SMITH: One.\n\nSMITH: Two.\n\nJONES: Three.") == []


def test_turns_become_named_attributions_and_other_cues_keep_only_their_own_turn():
    text = INTERVIEW.replace("Will Gennifer", "The Journal wrote it matters. Will Gennifer")
    # the tagger gives "wrote" (in Wallace's first turn) a piece of Pence's turn too
    offsets, probs = tagged(text, [("source", "The Journal"), ("cue", "wrote"), ("content", "it matters"),
                                   ("content", "Well, look, she will not")])
    found = find_attributions(text, offsets, probs)
    assert [(a.source.text, a.cue.text, a.source_type, a.source_name, [c.text for c in a.content]) for a in found] == [
        ("WALLACE", ":", "named", "Chris Wallace", ["The Journal wrote it matters. Will Gennifer Flowers be there?"]),
        ("The Journal", "wrote", "named", "Journal", ["it matters"]),
        ("PENCE", ":", "named", "Gov. Mike Pence", ["Well, look, she will not.", "But the truth is simple."]),
        ("WALLACE", ":", "named", "Chris Wallace", ["Are you sure?"]),
        ("PENCE", ":", "named", "Gov. Mike Pence", ["I am."]),
    ]


def test_a_cue_on_a_label_gives_way_to_the_turn():
    offsets, probs = tagged(INTERVIEW, [("cue", "WALLACE"), ("content", "Will Gennifer Flowers")])
    found = find_attributions(INTERVIEW, offsets, probs)
    assert [(a.source and a.source.text, a.cue.text) for a in found] == [
        ("WALLACE", ":"), ("PENCE", ":"), ("WALLACE", ":"), ("PENCE", ":")]


def test_a_cue_inside_a_turn_keeps_content_of_its_own_turn():
    text = INTERVIEW.replace("she will not", "Hillary Clinton thinks this is a game")
    offsets, probs = tagged(text, [("source", "Hillary Clinton"), ("cue", "thinks"), ("content", "this is a game")])
    found = find_attributions(text, offsets, probs)
    clinton = [a for a in found if a.cue.text == "thinks"]
    assert [(a.source.text, [c.text for c in a.content]) for a in clinton] == [("Hillary Clinton", ["this is a game"])]


def test_an_articles_furniture_repeated_is_no_dialogue():
    text = "SEE ALSO: One.\n\nREAD MORE: Two.\n\nSEE ALSO: Three.\n\nREAD MORE: Four."
    assert transcript_turns(text) == []

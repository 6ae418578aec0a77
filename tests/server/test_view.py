"""The result page's model: every span drawn, each with one keyboard stop, nested spans stacked without gaps,
filters hiding spans without dropping them, and a strip that maps sentences."""

from __future__ import annotations

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.server import view


@pytest.fixture
def analysis():
    return fakes.make_analysis()


def all_pieces(v):
    return [p for block in ([v.heading] if v.heading else []) + v.paragraphs for p in block.pieces]


def test_the_text_is_drawn_whole_and_in_order(analysis):
    v = view.build(analysis)
    text = analysis.article.text
    at = 0
    for block in ([v.heading] if v.heading else []) + v.paragraphs:
        chunk = "".join(p.text for p in block.pieces)
        found = text.index(chunk, at)
        assert text[at:found].strip() == ""  # only the blank lines between paragraphs are left out
        at = found + len(chunk)
    assert text[at:].strip() == ""
    assert v.heading is not None and "".join(p.text for p in v.heading.pieces) == analysis.article.title


def test_each_span_is_drawn_with_exactly_one_keyboard_stop(analysis):
    v = view.build(analysis)
    openers = [m.index for p in all_pieces(v) for m in p.marks if m.opens]
    assert sorted(openers) == list(range(len(analysis.spans)))
    tags = [m.index for p in all_pieces(v) for m in p.tags]
    assert sorted(tags) == list(range(len(analysis.spans)))  # one label per span, at its end
    for p in all_pieces(v):
        assert analysis.article.text[p.start : p.start + len(p.text)] == p.text
        for m in p.marks:
            span = analysis.spans[m.index]
            assert span.start <= p.start and p.start + len(p.text) <= span.end


def test_nested_spans_stack_underlines_innermost_nearest(analysis):
    v = view.build(analysis)
    nested = [p for p in all_pieces(v) if len(p.marks) > 1]
    assert nested, "the fake analysis has nested spans"
    for p in nested:
        assert [m.level for m in p.marks] == list(range(len(p.marks), 0, -1))
        lengths = [analysis.spans[m.index].end - analysis.spans[m.index].start for m in p.marks]
        assert lengths == sorted(lengths, reverse=True)  # outermost (longest) first


def test_filters_hide_spans_and_close_the_gaps(analysis):
    v = view.build(analysis, min_score=0.6)
    for p in all_pieces(v):
        for m in p.marks:
            assert m.hidden == (m.score < 0.6)
            assert (m.level == 0) == m.hidden
        shown = [m.level for m in p.marks if not m.hidden]
        assert shown == list(range(len(shown), 0, -1))
    assert v.shown_spans == sum(s.score >= 0.6 for s in analysis.spans)
    assert v.filtered

    only = view.build(analysis, techniques=frozenset({"doubt"}))
    rows = {row.technique.id: row for row in only.legend}
    assert rows["doubt"].enabled and rows["doubt"].shown == rows["doubt"].total == 2
    assert not rows["loaded_language"].enabled and rows["loaded_language"].shown == 0
    assert rows["loaded_language"].total == analysis.technique_counts["loaded_language"]


def test_every_sentence_has_an_anchor_and_a_bar(analysis):
    v = view.build(analysis)
    anchors = sorted(i for p in all_pieces(v) for i in p.anchors)
    assert anchors == list(range(len(analysis.sentences)))
    assert [bar.index for bar in v.strip] == anchors
    for bar, sent in zip(v.strip, analysis.sentences):
        assert bar.flagged == sent.flagged
        assert 0 <= bar.y <= 100 and bar.height > 0
        assert bar.level == view.strip_level(sent.score) and (bar.width == 10) == bar.flagged


def test_summary_figures(analysis):
    v = view.build(analysis)
    words = len(analysis.article.text.split())
    assert v.words == words
    assert v.spans_per_1000_words == round(1000 * len(analysis.spans) / words, 1)
    assert abs(sum(part.width for part in v.mix) - 100) < 0.01
    assert [t.id for t, _ in v.top_techniques][0] == "loaded_language"
    assert len(v.data["spans"]) == len(analysis.spans) and set(v.data["techniques"]) >= {"doubt"}


def test_no_spans_at_all():
    plain = fakes.make_analysis(spans=[])
    v = view.build(plain)
    assert v.legend == [] and v.mix == [] and v.shown_spans == 0
    assert all(not p.marks for p in all_pieces(v))

"""The comparison the web page, the API and ``propwatch compare`` share, from hand-made analyses."""

from __future__ import annotations

import propwatch_test_fakes as fakes  # registered by tests/conftest.py

from propwatch.comparison import compare
from propwatch.schema import Article


def test_figures_sources_mix_and_cast():
    whole = fakes.make_full_analysis()
    part = fakes.FakeAnalyzer().analyze(Article.from_ptc_text(fakes.EXAMPLE[:3000], id="part", source="x"))
    c = compare(whole, part, "id-a", "id-b")
    a, b = c.a, c.b
    assert (a.id, b.id) == ("id-a", "id-b")
    assert a.spans == len(whole.spans) and a.words == len(whole.article.text.split())
    assert a.spans_per_1000_words == round(1000 * a.spans / a.words, 1)
    assert a.sentences_flagged == len(whole.flagged_sentences) and a.score == whole.score
    assert (a.sources.named, a.sources.anonymous, a.sources.unsourced, a.sources.total) == (2, 3, 1, 6)
    assert a.sources.share_anonymous == 0.5
    assert a.sources.anonymous_sources == [
        "Our source in the military leadership of the Russian Federation", "our specialists", "the source"]
    assert b.sources.share_anonymous == 0.0 and b.sources.anonymous_sources == []
    # every technique used by either side, densest first; counts as the analyses give them
    assert {r.technique for r in c.techniques} == {t for t, n in whole.technique_counts.items() if n} | {
        t for t, n in part.technique_counts.items() if n}
    dens = [r.a_per_1000_words + r.b_per_1000_words for r in c.techniques]
    assert dens == sorted(dens, reverse=True)
    assert all(r.a == whole.technique_counts[r.technique] for r in c.techniques)
    # the cast matched by name: Turkey only in the whole article
    rows = {r.name: r for r in c.cast}
    assert rows["United States"].a.main_role == rows["United States"].b.main_role == "Antagonist"
    assert rows["Turkey"].a is not None and rows["Turkey"].b is None
    assert c.has_cast and c.has_sources


def test_no_actors_no_cast_and_no_attributions_no_share():
    plain = fakes.make_analysis()
    c = compare(plain, plain)
    assert c.cast == [] and not c.has_cast and not c.has_sources
    assert c.a.sources.total == 0 and c.a.sources.share_anonymous is None and c.a.id is None

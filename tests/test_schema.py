import pytest
from pydantic import ValidationError

from propwatch.schema import Analysis, Article, ModelInfo, SentenceResult, TechniqueSpan, count_techniques


def _analysis():
    text = "Title\n\nThe evil regime lied. Calm sentence."
    article = Article.from_ptc_text(text, id="a1")
    loaded = text.index("evil regime")
    s2, s3 = text.index("The evil"), text.index("Calm")
    spans = [
        TechniqueSpan(start=loaded, end=loaded + 11, technique="loaded_language", score=0.9, text="evil regime"),
        TechniqueSpan(start=s2, end=s3 - 1, technique="doubt", score=0.4, text=text[s2 : s3 - 1]),
    ]
    sentences = [
        SentenceResult(start=0, end=5, score=0.0),
        SentenceResult(start=s2, end=s3 - 1, score=0.9, techniques=["doubt", "loaded_language"]),
        SentenceResult(start=s3, end=len(text), score=0.1),
    ]
    return Analysis(article=article, spans=spans, sentences=sentences, score=0.5,
                    technique_counts=count_techniques(spans), model=ModelInfo(name="m", version="1"))


def test_ptc_title_convention_and_bom():
    assert Article.from_ptc_text("My title\n\nBody.").title == "My title"
    assert Article.from_ptc_text("\ufeffMy title\n\nBody.").title == "My title"
    assert Article.from_ptc_text("Short headline\nA body paragraph that is clearly longer than its headline.").title \
        == "Short headline"


LEDE = ("The government announced on Monday that it would close three hospitals in the north, a decision that "
        "unions say will leave thousands of patients without care.")
SECOND = "Officials said the plan had been discussed for months, and that no jobs would be lost in the process."


@pytest.mark.parametrize("text", [
    f"{LEDE}\n\n{SECOND}",  # a pasted article without its headline: blank lines between paragraphs
    f"{LEDE}\n{SECOND}",  # the same with single line breaks
    f"The president spoke on Monday.\n\n{SECOND}",  # a short lead sentence: a full stop, not Title Case
    f"Officials said the following:\n\n{SECOND}",  # a clause that goes on
    "One short line\nAnother short line\nA third one",  # no line is clearly shorter than the others
    "The so-called experts have lied to you again.",  # one line and nothing after it
])
def test_a_first_paragraph_is_not_taken_for_a_headline(text):
    """Newsroom issue, defect 2: a paste without a headline made its whole first paragraph the title (a giant
    heading on the result page). The title is then a short label that the text does not start with, so no
    renderer draws it as a heading."""
    article = Article.from_ptc_text(text, id="t")
    assert article.title.endswith("…") and len(article.title.split()) <= 8
    assert not text.startswith(article.title)
    assert article.text == text


@pytest.mark.parametrize("text, title", [
    ("Plague returns to Madagascar\n\nGeneva - The WHO chief said on Wednesday.", "Plague returns to Madagascar"),
    (f"Is the war over?\n\n{LEDE}", "Is the war over?"),
    (f"Assange Never Met Manafort.\n\n{LEDE}", "Assange Never Met Manafort."),  # a PTC title with a full stop
    (f"\n\n  Hospitals to close in the north  \n\n{LEDE}", "Hospitals to close in the north"),
    (f'CNN\'s Lemon: "We Have to Stop Demonizing People ..."\n\n{LEDE}',
     'CNN\'s Lemon: "We Have to Stop Demonizing People ..."'),
])
def test_a_headline_is_still_the_title(text, title):
    assert Article.from_ptc_text(text, id="t").title == title


def test_the_bundled_example_keeps_its_headline():
    from importlib import resources

    text = resources.files("propwatch").joinpath("examples/deir-ez-zor.txt").read_text(encoding="utf-8")
    assert Article.from_ptc_text(text).title == "The Americans left the Kurds at the mercy of ISIS"


def test_json_round_trip_keeps_offsets_exact():
    a = _analysis()
    again = Analysis.model_validate_json(a.model_dump_json())
    assert again == a
    for s in again.spans:
        assert again.article.text[s.start : s.end] == s.text


def test_invalid_spans_are_rejected():
    with pytest.raises(ValidationError):
        TechniqueSpan(start=5, end=5, technique="doubt", score=0.5)
    with pytest.raises(ValidationError):
        TechniqueSpan(start=0, end=5, technique="no_such_technique", score=0.5)
    with pytest.raises(ValidationError):
        TechniqueSpan(start=0, end=5, technique="doubt", score=1.5)
    a = _analysis()
    data = a.model_dump()
    data["spans"][0]["text"] = "something else"
    with pytest.raises(ValidationError, match="does not match"):
        Analysis.model_validate(data)
    data = a.model_dump()
    data["spans"][0]["end"] = 10_000
    with pytest.raises(ValidationError, match="past the end"):
        Analysis.model_validate(data)


def test_filtered_recomputes_counts_and_sentence_techniques():
    a = _analysis()
    f = a.filtered(min_score=0.5)
    assert [s.technique for s in f.spans] == ["loaded_language"]
    assert f.technique_counts["doubt"] == 0 and f.technique_counts["loaded_language"] == 1
    assert f.sentences[1].techniques == ["loaded_language"]
    assert f.score == a.score
    g = a.filtered(techniques=frozenset({"doubt"}))
    assert [s.technique for s in g.spans] == ["doubt"]
    assert [s.start for s in a.top_sentences(1)] == [7]
    assert a.article.text[7:28] == "The evil regime lied."


def test_attributions_and_actors_round_trip_and_index_the_text():
    from propwatch.schema import Actor, Attribution, TextSpan

    text = "Title\n\nOfficials said the Kurds were abandoned. The Kurds fought on."
    article = Article.from_ptc_text(text, id="t")

    def part(s: str, after: int = 0) -> TextSpan:
        start = text.index(s, after)
        return TextSpan(start=start, end=start + len(s), text=s)

    attribution = Attribution(source=part("Officials"), cue=part("said"), content=[part("the Kurds were abandoned")],
                              source_type="anonymous", score=0.9)
    actor = Actor(name="the Kurds", kind="group", mentions=[part("Kurds"), part("Kurds", 40)],
                  main_role="Innocent", fine_roles=["Victim"], score=0.8, evidence=[1])
    sentences = [SentenceResult(start=0, end=5, score=0.0), SentenceResult(start=7, end=len(text), score=0.1)]
    analysis = Analysis(article=article, spans=[], sentences=sentences, score=0.1, technique_counts={},
                        model=ModelInfo(name="m", version="1"), attributions=[attribution], actors=[actor])
    assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis
    assert [p.text for p in attribution.parts] == ["Officials", "said", "the Kurds were abandoned"]
    with pytest.raises(ValueError, match="does not match the article text"):
        Analysis(**{**analysis.model_dump(), "attributions": [
            {**attribution.model_dump(), "cue": {"start": 0, "end": 4, "text": "said"}}]})
    with pytest.raises(ValueError, match="names a sentence the analysis does not have"):
        Analysis(**{**analysis.model_dump(), "actors": [{**actor.model_dump(), "evidence": [7]}]})


def test_an_analysis_stored_before_attributions_and_actors_still_loads():
    """History rows and batch tables keep older analyses as JSON: the new fields read as empty."""
    article = Article.from_ptc_text("T\n\nBody.", id="t")
    old = {"article": article.model_dump(), "spans": [], "sentences": [], "score": 0.0, "technique_counts": {},
           "model": {"name": "m", "version": "1"}}
    loaded = Analysis.model_validate(old)
    assert loaded.attributions == [] and loaded.actors == []

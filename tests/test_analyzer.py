"""The shipped model on real text: what `propwatch analyze` and the Python API give users."""

import subprocess
import sys

import pytest

from propwatch import Analysis, Analyzer, Article, InputError, ModelError, load_analyzer


def test_example_article_gets_consistent_results(analyzer, example_text):
    a = analyzer.analyze_text(example_text, id="deir-ez-zor")
    assert a.article.title == "The Americans left the Kurds at the mercy of ISIS"
    assert a.spans, "the example article is full of loaded language; the model found nothing"
    assert {"loaded_language", "name_calling"} & {s.technique for s in a.spans}
    for s in a.spans:
        assert a.article.text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    # Sentences cover the text in order; flagged ones are exactly those with a span in them.
    starts = [s.start for s in a.sentences]
    assert starts == sorted(starts)
    for sent in a.sentences:
        has_span = any(sp.start < sent.end and sp.end > sent.start for sp in a.spans)
        assert sent.flagged == has_span
    assert 0.0 < a.score < 1.0
    assert sum(a.technique_counts.values()) == len(a.spans)
    assert Analysis.model_validate_json(a.model_dump_json()) == a
    assert not a.warnings


def test_batch_analysis_equals_one_by_one(analyzer, example_text):
    texts = [example_text, "Short title\n\nThe weather was mild today.", example_text[:1500]]
    together = analyzer.analyze_many([analyzer.analyze_text(t).article for t in texts])
    for t, a in zip(texts, together):
        alone = analyzer.analyze_text(t)
        assert [(s.start, s.end, s.technique) for s in a.spans] == [(s.start, s.end, s.technique) for s in alone.spans]


def test_non_english_article_is_analysed_with_a_warning(analyzer):
    text = ("Le gouvernement a annoncé hier une nouvelle réforme des retraites. Les syndicats dénoncent une "
            "trahison et appellent à la grève dans toute la France. Selon le ministre, cette réforme est "
            "indispensable pour sauver le système.")
    a = analyzer.analyze_text("Titre\n\n" + text)
    assert any("English" in w for w in a.warnings)


def test_inference_does_not_import_torch(analyzer):
    code = ("import sys; from propwatch import load_analyzer; a = load_analyzer(); "
            "a.analyze_text('T\\n\\nThe corrupt regime lied.'); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_analyzer_is_callable_and_pipes_a_stream(analyzer, example_text):
    """``load_analyzer()(text)`` is the README's first example; ``pipe`` streams articles in batches and gives
    exactly what one-by-one calls give, in order, whatever the batch size."""
    called = analyzer(example_text)
    assert called.spans == analyzer.analyze_text(example_text).spans
    texts = [example_text, "Title\n\nThe weather was mild today.", example_text[:900]]
    piped = list(analyzer.pipe(iter(texts), batch_size=2))
    assert [a.article.text for a in piped] == texts
    for text, a in zip(texts, piped):
        assert a.spans == analyzer(text).spans and a.score == analyzer(text).score
    with pytest.raises(ValueError, match="batch_size"):
        next(analyzer.pipe(texts, batch_size=0))


@pytest.mark.parametrize("given, message", [
    ("", "empty"), ("  \n\n ", "empty"), (Article(id="blank", text=" "), "'blank' is empty"),
    (b"The traitors lie.", "not bytes: decode it first"), (123, "not int"), (None, "not NoneType"),
    (["a text"], "not list"),
])
def test_input_that_is_no_article_is_refused_as_the_docs_say(analyzer, given, message):
    """python-api.md: empty or malformed input raises ``InputError``, never an analysis of nothing or an
    AttributeError from inside, whichever of the analyzer's entry points it is given to."""
    for entry in (analyzer, analyzer.analyze, lambda one: analyzer.analyze_many([one])[0]):
        with pytest.raises(InputError, match=message):
            entry(given)


def test_analyze_and_analyze_many_take_a_text_as_the_analyzer_itself_does(analyzer, example_text):
    """``analyze`` was typed for an ``Article`` only, and a text given to it failed with an AttributeError."""
    called = analyzer(example_text)
    assert analyzer.analyze(example_text).spans == called.spans
    assert [a.spans for a in analyzer.analyze_many([example_text, Article.from_ptc_text(example_text)])] == [
        called.spans, called.spans]


def test_pipe_and_exclude_do_not_take_a_string_for_its_letters(analyzer):
    with pytest.raises(InputError, match="pipe takes several articles"):
        next(analyzer.pipe("ab"))
    assert load_analyzer(exclude="actors").component_names == ["techniques", "attributions"]


def test_each_component_reports_its_own_timings(analyzer, example_text):
    timings = analyzer(example_text).timings_ms
    assert set(timings) == {"sentences", "techniques.model", "techniques.decode", "attributions", "actors"}
    assert all(v >= 0 for v in timings.values()) and timings["techniques.model"] > 0


def test_components_can_be_named_and_switched_off_only_where_optional(analyzer):
    assert analyzer.component_names == ["techniques", "attributions", "actors"]
    assert analyzer.get("techniques").name == "techniques"
    with pytest.raises(KeyError, match="techniques, attributions, actors"):
        analyzer.get("colour")
    with pytest.raises(ModelError, match="unknown analysis colour"):
        load_analyzer(exclude=["colour"])
    with pytest.raises(ModelError, match="cannot be switched off"):
        load_analyzer(exclude=["techniques"])


def test_a_pipeline_runs_each_analysis_once(analyzer):
    with pytest.raises(ModelError, match="once"):
        Analyzer([analyzer.techniques, analyzer.techniques])


def test_importing_propwatch_loads_no_network_library():
    """The English check lives below the inputs, so the Python API does not pull in httpx (or trafilatura)."""
    code = "import sys, propwatch; print(sorted(m for m in ('httpx', 'trafilatura') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_analysis_has_a_bound_on_its_length(analyzer, example_text):
    """The cost of an analysis grows with the article; past ``max_words`` words and symbols it is refused with
    a message that says how to split it, whichever way the article arrived."""
    from propwatch.analyzer import check_length
    from propwatch.errors import TooLongError

    with pytest.raises(TooLongError, match=r"more than 30,000 words and symbols.*split it into parts"):
        analyzer("&" * 30_001)
    with pytest.raises(TooLongError, match="more than 10 words"):
        check_length(Article.from_ptc_text("one two three four five six seven eight nine ten eleven"), 10)
    check_length(Article.from_ptc_text("one two three four five six seven eight nine ten"), 10)
    assert len(analyzer("word " * 29_990).sentences) >= 1  # at the bound: analysed


def test_the_attributions_analysis_can_be_left_out(analyzer, example_text):
    full = analyzer(example_text)
    assert full.attributions and set(full.models) == {"techniques", "attributions", "actors"}
    without = load_analyzer(exclude=["attributions"])(example_text)
    assert without.attributions == [] and set(without.models) == {"techniques", "actors"}
    assert without.spans == full.spans and "attributions" not in without.timings_ms


def test_the_example_article_says_on_whose_word(analyzer, example_text):
    """The sources issue's expectations for the article the project started from: its three anonymous sources,
    the unsourced "reportedly", and the named United States and Americans."""
    found = {(a.source.text if a.source else None, a.cue.text): a for a in analyzer(example_text).attributions}
    for source, cue in (("Our source in the military leadership of the Russian Federation", "reports"),
                        ("our specialists", "recorded"), ("the source", "believes")):
        assert found[(source, cue)].source_type == "anonymous"
    assert found[(None, "reportedly")].source_type == "none"
    assert found[("the United States", "announced")].source_name == "United States"
    assert found[("The Americans", "believe")].source_type == "named"
    for a in found.values():
        assert all(example_text[p.start : p.end] == p.text for p in a.parts)


def test_lines_of_punctuation_are_scored_as_holding_no_propaganda(analyzer):
    a = analyzer.analyze_text("“ ” ‘ ’\n\n\" \" \" \"\n\n« » —\n\nThe weather was mild today.")
    assert [s.score for s in a.sentences[:3]] == [0.0, 0.0, 0.0]
    assert not a.spans and 0.0 <= a.score <= a.sentences[3].score

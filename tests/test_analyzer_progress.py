"""Progress of one analysis (newsroom issue, feature 8): the analyzer tells a callback which component runs and
how many of its encoder windows are done, counted from the work itself; asking for progress changes no result."""

from __future__ import annotations

from propwatch.analyzer import Analyzer, Progress
from propwatch.components import Draft
from propwatch.schema import Article, ModelInfo


def without_timings(analysis) -> dict:
    return analysis.model_dump(exclude={"timings_ms"})


def test_the_shipped_pipeline_reports_its_windows_and_gives_the_same_analysis(analyzer, example_text):
    text = example_text + "\n\n" + example_text.split("\n", 2)[2]  # a longer article: several windows
    told: list[Progress] = []
    article = Article.from_ptc_text(text, id="long")
    with_progress = analyzer.analyze(article, progress=told.append)
    plain = analyzer.analyze(article)
    assert without_timings(with_progress) == without_timings(plain)

    names = analyzer.component_names
    assert [p.step for p in told if p.total == 0 and p.done == 0][: len(names)] == names
    for number, name in enumerate(names, 1):
        mine = [p for p in told if p.step == name]
        assert all(p.step_number == number and p.steps == len(names) for p in mine)
        counted = [p for p in mine if p.total]
        assert counted, f"{name} reported no windows"
        # the actors analysis reuses the technique model's encoder states: one unit for the article, no window
        assert counted[-1].done == counted[-1].total > (0 if name == "actors" else 1)
        assert [p.done for p in counted] == sorted(p.done for p in counted)
    assert analyzer.techniques.model.count_windows([text]) == [p for p in told if p.step == "techniques"][-1].total
    fractions = [p.fraction for p in told]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


class Counting:
    """A technique stand-in that runs ``windows`` pretend windows and reports each one."""

    name = "techniques"

    def __init__(self, windows: int):
        self.windows = windows

    def __call__(self, drafts: list[Draft], progress=None) -> None:
        for done in range(self.windows + 1):
            if progress is not None:
                progress(done, self.windows)
        for draft in drafts:
            draft.sentence_scores = [0.0] * len(draft.sentences)
            draft.model = ModelInfo(name="counting", version="0")


class Silent:
    """A component written before progress existed: its ``__call__`` takes no ``progress``."""

    name = "silent"

    def __init__(self):
        self.calls = 0

    def __call__(self, drafts: list[Draft]) -> None:
        self.calls += 1


def test_components_that_do_not_report_still_run_and_are_named():
    silent = Silent()
    analyzer = Analyzer([Counting(4), silent])
    told: list[Progress] = []
    analysis = analyzer.analyze(Article.from_ptc_text("A title\n\nOne sentence here. Another one.", id="x"),
                                progress=told.append)
    assert analysis.model.name == "counting" and silent.calls == 1
    assert [(p.step, p.done, p.total) for p in told] == [
        ("techniques", 0, 0), *[("techniques", d, 4) for d in range(5)], ("silent", 0, 0)]
    assert [round(p.fraction, 3) for p in told] == [0.0, 0.0, 0.125, 0.25, 0.375, 0.5, 0.5]
    analyzer.analyze(Article.from_ptc_text("Plain call.", id="y"))  # no progress asked: none passed down
    assert silent.calls == 2


def test_a_batch_counts_the_windows_of_all_its_articles(analyzer, example_text):
    articles = [Article.from_ptc_text(example_text, id="one"), Article.from_ptc_text(example_text[:2000], id="two")]
    told: list[Progress] = []
    analyzer.analyze_many(articles, progress=told.append)
    for name in analyzer.component_names:
        counted = [p for p in told if p.step == name and p.total]
        assert counted[-1].done == counted[-1].total
        assert [p.done for p in counted] == sorted(p.done for p in counted)
    techniques = [p for p in told if p.step == "techniques" and p.total][-1]
    assert techniques.total == analyzer.techniques.model.count_windows([a.text for a in articles])

"""The attributions component in the pipeline: its model's pass begins in the background when the batch begins
(``AttributionFinder.start``) and changes nothing about what it finds."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from propwatch.components.attributions.component import AttributionFinder
from propwatch.components.base import Draft
from propwatch.schema import Article


@pytest.fixture(scope="module")
def finder() -> AttributionFinder:
    return AttributionFinder.load()


def drafts_of(*texts: str) -> list[Draft]:
    return [Draft(article=Article.from_ptc_text(t, id=f"a{i}"), sentences=[]) for i, t in enumerate(texts)]


def test_the_pass_started_early_gives_what_the_component_finds_on_its_own(finder, example_text):
    texts = (example_text, "Title\n\nNobody said anything.")
    early, plain = drafts_of(*texts), drafts_of(*texts)
    finder.start(early)
    assert [set(d.ahead) for d in early] == [{"attributions"}, {"attributions"}]
    finder(early)
    finder(plain)  # no start: the component runs the model itself
    assert all(d.ahead == {} for d in early)  # what start left was taken
    assert [d.attributions for d in early] == [d.attributions for d in plain]
    assert any(a.source_type == "anonymous" for a in early[0].attributions)


class Failing:
    """A model whose pass fails, as a corrupt model file would, and says on which thread it ran."""

    name, version, labels = "failing", "0", ("O",)

    def __init__(self):
        self.threads: list[str] = []

    def token_probabilities(self, text, progress=None):
        self.threads.append(threading.current_thread().name)
        raise RuntimeError("the model file is damaged")

    def count_windows(self, text):
        return 1


def test_a_failure_in_the_background_pass_is_raised_where_the_pipeline_waits_for_it():
    model = Failing()
    finder = AttributionFinder(model)  # type: ignore[arg-type]
    drafts = drafts_of("Title\n\nShe said it rained.")
    finder.start(drafts)
    with pytest.raises(RuntimeError, match="damaged"):
        finder(drafts)
    assert model.threads == ["propwatch-attributions_0"]


def test_progress_reaches_every_window_when_the_pass_ran_early(finder, example_text):
    drafts = drafts_of(example_text)
    finder.start(drafts)
    told: list[tuple[int, int]] = []
    finder(drafts, progress=lambda done, total: told.append((done, total)))
    windows = finder.model.count_windows(drafts[0].article.text)
    assert told[-1] == (windows, windows) and np.all(np.diff([d for d, _ in told]) >= 0)

"""Building span examples: context, display text, and a build over real PTC articles."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from propwatch.errors import ModelError
from propwatch.evaluation.examples import build_examples, context, shortened, write_model_examples
from propwatch.inputs import read_corpus
from propwatch.model import load_model
from propwatch.model.examples import EXAMPLES_FILE, ExampleIndex
from propwatch.model.spans import normalise

SHIPPED = Path(__file__).parents[2] / "src" / "propwatch" / "models" / "minilm-v1"


def test_context_is_a_few_words_as_written_within_the_line():
    text = "Title\n\nOne two three four five six seven Let the Americans, who relish playing empire, pay.\nNext"
    i = text.index("the Americans")
    before, after = context(text, i, i + len("the Americans"), words=3)
    assert before == "six seven Let"
    assert after == ", who relish"
    start = text.index("One")
    assert context(text, start, start + 3)[0] == ""  # never across a line break
    end = text.index("pay.") + 4
    assert context(text, end - 4, end)[1] == ""


def test_long_spans_are_cut_at_a_word_for_display():
    assert shortened("short  and\nsweet") == "short and sweet"
    long = "word " * 100
    cut = shortened(long, 50)
    assert len(cut) <= 50 and cut.endswith("…") and not cut.endswith(" …")


def test_examples_of_ptc_articles_one_per_distinct_phrase_and_technique(ptc_dir, tmp_path):
    articles = read_corpus(ptc_dir / "train")[:3]
    model = load_model()
    vectors, records = build_examples(model, articles)
    assert len(vectors) == len(records) > 0
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    keys = [(r.technique, normalise(r.text)) for r in records]
    assert len(keys) == len(set(keys))
    by_id = {a.article.id: a for a in articles}
    for r in records:
        gold = by_id[r.article].gold
        assert any(r.technique == g.technique and normalise(r.text.rstrip("…")) in
                   normalise(by_id[r.article].article.text[g.start : g.end]) for g in gold)

    folder = tmp_path / "model"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns(EXAMPLES_FILE))
    model = load_model(folder)
    path, count = write_model_examples(model, articles)
    assert path == folder / EXAMPLES_FILE and count == len(records)
    index = ExampleIndex.load(path)
    assert len(index) == count
    # named by the weights the vectors come from: a new decoding (weights_version kept) needs no new examples
    assert index.model == f"{model.name} {model.config.weights_identity}"


def test_ensembles_are_refused_with_what_to_do_instead():
    class NotOneModel:
        pass

    with pytest.raises(ModelError, match="member"):
        build_examples(NotOneModel(), [])  # type: ignore[arg-type]

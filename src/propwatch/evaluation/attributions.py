"""Attribution predictions and figures on PolNeAR-layout folders (``text/<name>.txt``, and for scoring
``attributions/<name>_<annotator>.ann``): what ``propwatch predict --task attribution`` writes and
``propwatch evaluate --task attribution`` reports, through the same component the analyzer runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..components.attributions import Attribution
from ..components.attributions.ensemble import AttributionEnsemble
from ..components.attributions.model import AttributionModel
from ..errors import DataError
from ..inputs.polnear import read_compartment
from ..metrics.attributions import AttributionScores, score_attributions
from ..sentences import split_sentences


def texts_of(folder: str | Path) -> list[tuple[str, str]]:
    """``(name, text)`` of every ``text/<name>.txt`` in ``folder``, sorted by name (a ``DataError`` where there is
    no ``text/`` folder or it holds no article)."""
    text_dir = Path(folder) / "text"
    if not text_dir.is_dir():
        raise DataError(f"{folder} has no text/ folder: give a folder in the PolNeAR layout (text/<name>.txt)")
    paths = sorted(text_dir.glob("*.txt"))
    if not paths:
        raise DataError(f"{text_dir} holds no .txt article")
    return [(p.stem, p.read_text(encoding="utf-8")) for p in paths]


def attributions_of(model: AttributionModel | AttributionEnsemble, text: str) -> list[Attribution]:
    from ..components.attributions import find_attributions

    offsets, probs = model.token_probabilities(text)
    return find_attributions(text, offsets, probs, model.labels, sentences=split_sentences(text))


def prediction_rows(model: AttributionModel | AttributionEnsemble, folder: str | Path,
                    on_article: Callable[[], None] | None = None) -> Iterator[dict[str, Any]]:
    """One JSON-ready row per attribution: ``article``, ``source`` ([start, end] or None), ``cue``, ``content``
    (a list of [start, end]) and ``source_type``, character offsets with the end exclusive."""
    for name, text in texts_of(folder):
        for a in attributions_of(model, text):
            yield {
                "article": name,
                "source": [a.source.start, a.source.end] if a.source else None,
                "cue": [a.cue.start, a.cue.end],
                "content": [[c.start, c.end] for c in a.content],
                "source_type": a.source_type,
            }
        if on_article:
            on_article()


def evaluate_attributions(model: AttributionModel | AttributionEnsemble, compartment: str | Path,
                          on_article: Callable[[], None] | None = None) -> AttributionScores:
    """Exact-match and overlap figures per role, source-type accuracy and whole-attribution F1 on a labelled
    compartment (e.g. ``../shared/polnear/dev``), one annotator per article."""
    articles = read_compartment(compartment)
    if not articles:
        raise DataError(f"{compartment} holds no article (expected text/<name>.txt and attributions/)")
    texts, gold, predicted = {}, {}, {}
    for article in articles:
        texts[article.name] = article.text
        gold[article.name] = article.attributions
        predicted[article.name] = attributions_of(model, article.text)
        if on_article:
            on_article()
    return score_attributions(texts, gold, predicted)

"""Soft targets for the attribution tagger from a trained attribution model or ensemble (``--teacher``).

Why: ``accurate``'s ensemble of two taggers is better than ``fast``'s one tagger on every role of PolNeAR dev, and
``fast`` cannot run two (its latency goal). Knowledge distillation gives the one small tagger what the ensemble
knows beyond the gold tags: how likely each other tag was at every token, which tells a boundary the annotator
drew by a hair from one the text makes plain. The teacher runs as the product runs it (``load_attribution_model``:
its windows, its stride, its mix of members), once per article text, and its probabilities are moved onto the
student's tokens through character offsets (``model.ensemble.project_probabilities``), so the teacher may read
the text as the product does (``model_view``) and tokenise it differently.

The targets are cached in the run folder (``teacher.npz``, with the teacher's name and version), so resuming a run
does not rerun the teacher, and a cache from another teacher or other articles is refused rather than mixed in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..components.attributions.component import find_attribution_model
from ..components.attributions.decode import LABELS
from ..components.attributions.ensemble import load_attribution_model
from ..errors import ModelError
from ..model.ensemble import project_probabilities
from .attribution_data import TaggedArticle

Log = Callable[[str], None]
CACHE = "teacher.npz"


def _identity(model: object) -> str:
    return f"{getattr(model, 'name', '?')} {getattr(model, 'version', '?')}"


def teacher_targets(teacher: str, articles: list[TaggedArticle], out: Path, log: Log = print) -> list[np.ndarray]:
    """Per article of ``articles``, ``[N tokens, len(LABELS)]`` tag probabilities of the model ``teacher`` (a name
    such as ``accurate`` or a folder) on the article's own tokens, each row summing to 1."""
    model = load_attribution_model(find_attribution_model(teacher))
    if list(model.labels) != list(LABELS):
        raise ModelError(f"the teacher {teacher!r} tags {list(model.labels)}, not the tagger's {list(LABELS)}")
    who = _identity(model)
    cache = out / CACHE
    names = [a.name for a in articles]
    if cache.is_file():
        saved = np.load(cache, allow_pickle=False)
        if str(saved["teacher"]) != who or list(saved["names"]) != names:
            raise ModelError(f"{cache} holds another teacher's or other articles' targets ({saved['teacher']}); "
                             "delete it or use another --out")
        return [saved[f"p{k}"] for k in range(len(articles))]
    log(f"the teacher {who} reads the {len(articles)} training articles")
    by_text: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    targets: list[np.ndarray] = []
    started = time.time()
    for k, art in enumerate(articles):
        if art.text not in by_text:  # an article with several annotators is read once
            by_text[art.text] = model.token_probabilities(art.text)
        offsets, probs = by_text[art.text]
        mine = project_probabilities(art.tokens.offsets, offsets, probs)
        mine /= np.maximum(mine.sum(axis=1, keepdims=True), 1e-12)
        targets.append(mine.astype(np.float32))
        if (k + 1) % 100 == 0:
            log(f"teacher: {k + 1}/{len(articles)} articles, {time.time() - started:.0f} s")
    arrays: dict[str, np.ndarray] = {"teacher": np.asarray(who), "names": np.asarray(names)}
    arrays.update({f"p{k}": t for k, t in enumerate(targets)})
    np.savez(cache, allow_pickle=False, **arrays)
    return targets

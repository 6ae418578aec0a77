"""Folds by article for cross-validation: which articles each fold holds out, and the split files that
``propwatch train`` reads to train one model per fold.

Folds are drawn from the PTC ``train`` IDs only. PTC's rules (``../shared/ptc/README.md``) say never to train on
the ``validation`` IDs, so cross-validation cannot range over all 371 labelled articles as issue 12 first asked:
the 321 ``train`` articles are cross-validated (each fold's model trained on the others, no choice made on the
fold it is scored on), and the 50 ``validation`` articles stay a second, untouched judge.

Deterministic: the same IDs, ``k`` and seed give the same folds on every machine, so a fold trained on one
machine and scored on another are the same fold.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from ..errors import DataError
from ..files import atomic_write_text

DEFAULT_FOLDS = 3
DEFAULT_SEED = 13


def article_folds(ids: list[str], k: int = DEFAULT_FOLDS, seed: int = DEFAULT_SEED) -> list[list[str]]:
    """``k`` disjoint folds covering ``ids``, sizes differing by at most one, each sorted. The IDs are sorted
    before shuffling so that the order they were read in does not matter."""
    if k < 2:
        raise DataError(f"cross-validation needs at least 2 folds, not {k}")
    unique = sorted(set(ids))
    if len(unique) < k:
        raise DataError(f"{len(unique)} articles cannot make {k} folds")
    random.Random(seed).shuffle(unique)
    return [sorted(unique[i::k]) for i in range(k)]


def write_fold_splits(folds: list[list[str]], out: str | Path) -> list[Path]:
    """One split file a fold (``fold-<i>.json``: ``train`` is every other fold, ``held_out`` the fold itself;
    no ``validation``, so training selects nothing on the held-out articles). Returns the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, held in enumerate(folds):
        train = sorted(x for j, fold in enumerate(folds) if j != i for x in fold)
        path = out / f"fold-{i + 1}.json"
        atomic_write_text(path, json.dumps({"train": train, "held_out": held}, indent=1))
        paths.append(path)
    return paths

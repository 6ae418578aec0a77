"""The role model's heads (``training.roles``): robust to main roles missing from a fold, hierarchical fine
roles, the cross-validation grouped by article; no encoder needed."""

from __future__ import annotations

import numpy as np
import pytest

from propwatch.components.actors.roles import decide
from propwatch.components.actors.taxonomy import ALL_FINE_ROLES, MAIN_ROLES
from propwatch.inputs.framing import FramingMention

pytest.importorskip("sklearn", reason="training the role model needs the [train] extra")

from propwatch.training.roles import cross_validate, fit_head, fit_main  # noqa: E402

ROLES = [("Antagonist", ("Instigator",)), ("Protagonist", ("Guardian",)), ("Innocent", ("Victim",)),
         ("Antagonist", ("Tyrant",))]


def _data(n: int = 40, seed: int = 0) -> tuple[np.ndarray, list[FramingMention]]:
    """Separable made-up features: each of the four role pairs has its own direction."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(ROLES), 16)) * 3
    x, mentions = [], []
    for i in range(n):
        k = i % len(ROLES)
        x.append(centres[k] + rng.normal(size=16))
        main, fine = ROLES[k]
        mentions.append(FramingMention(f"A{i // 4}.txt", "X", i, i + 1, (i, i + 2), main, fine))
    return np.asarray(x, dtype=np.float32), mentions


@pytest.mark.parametrize("present", [[1], [0, 2], [0, 1, 2]])
def test_main_head_covers_every_main_role(present):
    rng = np.random.default_rng(1)
    y = np.array([present[i % len(present)] for i in range(30)])
    x = rng.normal(size=(30, 4)).astype(np.float32) + y[:, None] * 3
    w, b = fit_main(x, y, 1.0)
    assert w.shape == (len(MAIN_ROLES), 4) and b.shape == (len(MAIN_ROLES),)
    chosen = (x @ w.T + b).argmax(axis=1)
    assert set(chosen.tolist()) <= set(present)
    assert (chosen == y).mean() >= 0.9


def test_heads_learn_separable_roles_and_fine_roles_stay_within_the_main_role():
    x, mentions = _data()
    head = fit_head(x, mentions, 1.0, 1.0)
    decisions = decide(head, x, list(ALL_FINE_ROLES), 1.01)
    assert [d.main_role for d in decisions] == [m.main_role for m in mentions]
    assert [tuple(d.fine_roles) for d in decisions] == [m.fine_roles for m in mentions]


def test_cross_validation_scores_every_threshold_out_of_fold():
    x, mentions = _data()
    scores = cross_validate(x, mentions, 1.0, 1.0, thresholds=(0.5, 1.01))
    assert set(scores) == {0.5, 1.01}
    assert scores[1.01]["mentions"] == len(mentions) and scores[1.01]["main_role_accuracy"] >= 0.9

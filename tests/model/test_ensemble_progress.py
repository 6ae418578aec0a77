"""An ensemble's progress counts the windows of all its members as one run (they run one after the other)."""

import numpy as np

from propwatch.model import OnnxModel, load_model
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED
from propwatch.training.ensemble import build_ensemble


def test_an_ensemble_reports_its_members_windows_as_one_run(tmp_path, example_text):
    folder = build_ensemble(["fast", SHIPPED / DEFAULT_MODEL], tmp_path / "twin", name="twin", version="0.1")
    ensemble = load_model(folder)
    per_member = OnnxModel().count_windows([example_text])
    assert per_member > 1
    told: list[tuple[int, int]] = []
    (with_progress,) = ensemble.predict_many([example_text], progress=lambda d, t: told.append((d, t)))
    (plain,) = ensemble.predict_many([example_text])
    assert np.array_equal(with_progress.probs, plain.probs)
    assert told[0] == (0, 2 * per_member) and told[-1] == (2 * per_member, 2 * per_member)
    assert (per_member, 2 * per_member) in told and [d for d, _ in told] == sorted(d for d, _ in told)

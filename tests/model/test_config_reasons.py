"""The strength thresholds and reliability in config.json: optional, typed, written back as read."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from propwatch.errors import ModelError
from propwatch.model.config import ModelConfig

SHIPPED = Path(__file__).parents[2] / "src" / "propwatch" / "models" / "minilm-v1"


def test_thresholds_and_reliability_round_trip(tmp_path):
    config = replace(ModelConfig.read(SHIPPED), strength_thresholds=(0.55, 0.3),
                     reliability={"doubt": {"recall": 0.5, "precision": 0.4, "support": 12}})
    config.write(tmp_path)
    again = ModelConfig.read(tmp_path)
    assert again.strength_thresholds == (0.55, 0.3)
    assert again.reliability == {"doubt": {"recall": 0.5, "precision": 0.4, "support": 12}}
    assert again == config


def test_folders_without_them_read_as_none_and_write_without_them(tmp_path):
    raw = json.loads((SHIPPED / "config.json").read_text(encoding="utf-8"))
    raw.pop("strength_thresholds", None)
    raw.pop("reliability", None)
    (tmp_path / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    config = ModelConfig.read(tmp_path)
    assert config.strength_thresholds is None and config.reliability is None
    assert "strength_thresholds" not in config.to_json() and "reliability" not in config.to_json()


@pytest.mark.parametrize("bad", [[0.2, 0.5], [1.5, 0.2], [0.5]])
def test_impossible_thresholds_are_refused(tmp_path, bad):
    raw = json.loads((SHIPPED / "config.json").read_text(encoding="utf-8"))
    raw["strength_thresholds"] = bad
    (tmp_path / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ModelError, match="not valid"):
        ModelConfig.read(tmp_path)

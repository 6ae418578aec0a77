"""Issue 12: `propwatch analyze --model accurate` works right after install, with nothing trained or downloaded,
and runs every analysis (the role model reads the ensemble's MiniLM states instead of running an encoder)."""

import inspect
import json
from pathlib import Path

from typer.testing import CliRunner

from propwatch.cli.app import app
from propwatch.model import EnsembleModel, load_model
from propwatch.schema import Analysis

EXAMPLE_FILE = Path(__file__).parents[2] / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


def test_analyze_with_the_shipped_accurate_model(monkeypatch, tmp_path):
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))  # nothing built on this machine: only what ships
    options = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else {}
    result = CliRunner(**options).invoke(app, ["analyze", str(EXAMPLE_FILE), "--model", "accurate",
                                               "--format", "json"])
    assert result.exit_code == 0, result.stderr
    analysis = Analysis.model_validate(json.loads(result.stdout))
    assert analysis.model.name == "propwatch-mpnet-minilm"
    assert analysis.spans and analysis.attributions and analysis.actors
    assert all(s.strength in ("strong", "moderate", "weak") for s in analysis.spans)
    assert analysis.model.strength_thresholds is not None and analysis.model.reliability


def test_the_shipped_ensemble_hands_minilms_states_to_the_role_model():
    from propwatch.components.actors.component import ActorCaster

    model = load_model("accurate")
    assert isinstance(model, EnsembleModel)
    pred = model.predict(EXAMPLE_FILE.read_text())
    encoder = ActorCaster.load().roles.encoder
    assert encoder.reads_as(model.encoder_states(pred)) is not None

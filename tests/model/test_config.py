"""``ModelConfig``: the one reader and writer of a model folder's config.json. The shipped config must read and
write back unchanged, unknown formats are refused by name, and changing a model never changes it in place."""

import json
import shutil
from dataclasses import replace

import pytest

from propwatch.errors import ModelError
from propwatch.model import ModelConfig, OnnxModel
from propwatch.model.config import FORMAT_VERSION, READABLE_FORMATS
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED

SHIPPED_FOLDER = SHIPPED / DEFAULT_MODEL


@pytest.fixture
def shipped_config():
    if not (SHIPPED_FOLDER / "config.json").exists():
        pytest.skip("no shipped model in this checkout")
    return ModelConfig.read(SHIPPED_FOLDER)


def test_the_shipped_config_round_trips_byte_for_byte(shipped_config, tmp_path):
    shipped_config.write(tmp_path)
    assert (tmp_path / "config.json").read_bytes() == (SHIPPED_FOLDER / "config.json").read_bytes()
    assert ModelConfig.read(tmp_path) == shipped_config


def test_typed_fields(shipped_config):
    assert shipped_config.format_version == FORMAT_VERSION and not shipped_config.is_ensemble
    assert (shipped_config.window, shipped_config.stride, shipped_config.batch_windows) == (382, 320, 1)
    assert shipped_config.decoding.si_spans == "all" and shipped_config.decoding.calibration
    assert shipped_config.precision == "int8" and "figures" in shipped_config.validation


def test_changes_are_new_configs_and_keep_the_key_order(shipped_config, tmp_path):
    changed = replace(shipped_config, version="9.9.9")
    assert shipped_config.version != "9.9.9"
    changed.write(tmp_path)
    written = json.loads((tmp_path / "config.json").read_text())
    assert written["version"] == "9.9.9"
    assert list(written) == list(json.loads((SHIPPED_FOLDER / "config.json").read_text()))


def test_unknown_formats_and_broken_files_are_refused_by_name(shipped_config, tmp_path):
    raw = shipped_config.to_json()
    (tmp_path / "config.json").write_text(json.dumps({**raw, "format_version": 7}))
    with pytest.raises(ModelError) as info:
        ModelConfig.read(tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message and "format 7" in message
    assert all(str(v) in message for v in READABLE_FORMATS)
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ModelError, match="cannot read the model configuration"):
        ModelConfig.read(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({k: v for k, v in raw.items() if k != "name"}))
    with pytest.raises(ModelError, match="not valid"):
        ModelConfig.read(tmp_path)


def test_unknown_keys_are_kept(shipped_config, tmp_path):
    raw = {**shipped_config.to_json(), "notes": {"by": "someone"}}
    (tmp_path / "config.json").write_text(json.dumps(raw, indent=2))
    ModelConfig.read(tmp_path).write(tmp_path)
    assert json.loads((tmp_path / "config.json").read_text()) == raw


def test_with_decoding_gives_a_new_model_sharing_the_session(tmp_path):
    if not SHIPPED_FOLDER.is_dir():
        pytest.skip("no shipped model in this checkout")
    folder = tmp_path / "model"
    shutil.copytree(SHIPPED_FOLDER, folder)
    model = OnnxModel(folder)
    stored = model.decoding
    other = model.with_decoding(replace(stored, any_low=0.9))
    assert model.decoding is stored and other.decoding.any_low == 0.9
    assert other.session is model.session and other.config.name == model.config.name
    assert ModelConfig.read(folder).decoding == stored  # nothing written

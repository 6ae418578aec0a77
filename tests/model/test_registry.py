"""Model names: aliases, shipped models, models built on this machine, paths, and clear errors."""

import shutil

import pytest

from propwatch.errors import ModelError
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED, available_models, resolve_model


def test_fast_is_the_shipped_default(monkeypatch, tmp_path):
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))
    if not (SHIPPED / DEFAULT_MODEL).is_dir():
        pytest.skip("no shipped model in this checkout")
    assert resolve_model("fast") == resolve_model(None) == SHIPPED / DEFAULT_MODEL
    assert "fast" in available_models()


def test_accurate_resolves_to_a_model_built_on_this_machine(monkeypatch, tmp_path):
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))
    with pytest.raises(ModelError, match="make accurate-model"):
        resolve_model("accurate")
    if not (SHIPPED / DEFAULT_MODEL).is_dir():
        pytest.skip("no shipped model to copy")
    shutil.copytree(SHIPPED / DEFAULT_MODEL, tmp_path / "mpnet-v1")
    assert resolve_model("accurate") == tmp_path / "mpnet-v1"
    assert available_models()["accurate"] == tmp_path / "mpnet-v1"


def test_paths_work_and_incomplete_folders_are_named(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="incomplete: missing model.onnx"):
        resolve_model(tmp_path)
    with pytest.raises(ModelError, match="no model at /no/such/folder"):
        resolve_model("/no/such/folder")


def test_install_model_makes_a_folder_available_by_name(monkeypatch, tmp_path):
    from propwatch.model.loader import install_model

    if not (SHIPPED / DEFAULT_MODEL).is_dir():
        pytest.skip("no shipped model to install")
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path / "models"))
    installed = install_model(SHIPPED / DEFAULT_MODEL, "mpnet-v1")
    assert resolve_model("accurate") == installed and (installed / "model.onnx").exists()
    assert install_model(SHIPPED / DEFAULT_MODEL, "mpnet-v1") == installed  # reinstalling replaces it
    with pytest.raises(ModelError, match="cannot be a model name"):
        install_model(SHIPPED / DEFAULT_MODEL, "fast")


def test_install_folder_installs_a_folder_without_technique_files(tmp_path, monkeypatch):
    """Role and attribution models lack model.onnx or span_head.npz: they install all the same."""
    from propwatch.model.loader import install_folder

    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path / "models"))
    folder = tmp_path / "roles"
    folder.mkdir()
    (folder / "head.npz").write_bytes(b"x")
    installed = install_folder(folder, "roles-v1")
    assert installed == tmp_path / "models" / "roles-v1" and (installed / "head.npz").read_bytes() == b"x"
    with pytest.raises(ModelError, match="cannot be a model name"):
        install_folder(folder, "a/b")

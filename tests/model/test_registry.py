"""Model names: aliases, shipped models, models built on this machine, paths, and clear errors."""


import pytest

from propwatch.errors import ModelError
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED, available_models, member_folders, resolve_model


def test_fast_is_the_shipped_default(monkeypatch, tmp_path):
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))
    if not (SHIPPED / DEFAULT_MODEL).is_dir():
        pytest.skip("no shipped model in this checkout")
    assert resolve_model("fast") == resolve_model(None) == SHIPPED / DEFAULT_MODEL
    assert "fast" in available_models()


def test_accurate_is_shipped_and_needs_no_training(monkeypatch, tmp_path):
    """Issue 12: `--model accurate` works right after install: the ensemble ships beside its members."""
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))
    assert resolve_model("accurate") == SHIPPED / "mpnet-minilm-v1"
    assert available_models()["accurate"] == SHIPPED / "mpnet-minilm-v1"
    assert [p.name for p in member_folders(SHIPPED / "mpnet-minilm-v1")] == ["mpnet-v1", DEFAULT_MODEL]


def test_every_shipped_file_is_under_the_caps():
    """DEVELOPERS.md: each model file at most 50 MB, all shipped models together at most 200 MB."""
    files = [p for p in SHIPPED.rglob("*") if p.is_file()]
    assert files and max(p.stat().st_size for p in files) <= 50_000_000
    assert sum(p.stat().st_size for p in files) <= 200_000_000


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
    installed = install_model(SHIPPED / DEFAULT_MODEL, "mine")
    assert resolve_model("mine") == installed and (installed / "model.onnx").exists()
    assert available_models()["mine"] == installed
    assert install_model(SHIPPED / DEFAULT_MODEL, "mine") == installed  # reinstalling replaces it
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

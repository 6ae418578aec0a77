"""Settings refuse unsafe configurations with a message that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.errors import PropwatchError
from propwatch.history import DB_ENV, default_db_path
from propwatch.server.settings import TOKEN_ENV, Settings, is_loopback

TOKEN = "a-long-enough-random-token-0123456789"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_binding_beyond_loopback_needs_a_token(host, tmp_path):
    with pytest.raises(PropwatchError, match=TOKEN_ENV):
        Settings(host=host, api_token=None, db_path=tmp_path / "h.db").check()
    assert Settings(host=host, api_token=TOKEN, db_path=tmp_path / "h.db").check().api_token == TOKEN


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_needs_no_token(host, tmp_path):
    assert is_loopback(host)
    Settings(host=host, api_token=None, db_path=tmp_path / "h.db").check()


def test_a_short_token_is_refused(tmp_path):
    with pytest.raises(PropwatchError, match="too short"):
        Settings(api_token="1234", db_path=tmp_path / "h.db").check()


def test_token_and_db_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    monkeypatch.setenv(DB_ENV, str(tmp_path / "from-env.sqlite3"))
    settings = Settings()
    assert settings.api_token == TOKEN
    assert settings.db_path == tmp_path / "from-env.sqlite3"


def test_default_db_is_in_the_platform_data_directory(monkeypatch):
    monkeypatch.delenv(DB_ENV, raising=False)
    path = default_db_path()
    assert path.name == "analyses.sqlite3" and "propwatch" in path.parent.parts[-1]
    assert path.is_absolute() and Path.home() in path.parents


def test_loopback_servers_answer_only_to_loopback_names(tmp_path):
    assert Settings(db_path=tmp_path / "h.db").hosts == ("127.0.0.1", "localhost", "::1")
    assert Settings(host="0.0.0.0", api_token=TOKEN, db_path=tmp_path / "h.db").hosts is None
    assert Settings(allowed_hosts=("News.Example",), db_path=tmp_path / "h.db").hosts == ("news.example",)


@pytest.mark.parametrize("token", ["a" * 16, "abababababababab", "0000000011111111" * 2])
def test_a_predictable_token_is_refused_with_how_to_make_one(tmp_path, token):
    with pytest.raises(PropwatchError, match="too predictable") as refused:
        Settings(api_token=token, db_path=tmp_path / "h.db").check()
    assert 'python -c "import secrets; print(secrets.token_urlsafe(32))"' in str(refused.value)
    import secrets

    made = secrets.token_urlsafe(32)
    assert Settings(api_token=made, db_path=tmp_path / "h.db").check().api_token == made

"""Every kind of bad input named in the core issue, through the real command: one clear line, a non-zero exit
where it failed, never a traceback. Input is read before the model loads, so these need no model."""

import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app

runner = CliRunner()


def _run(*args, input=None):
    result = runner.invoke(app, ["analyze", *args], input=input)
    output = result.output  # stdout and stderr, interleaved
    assert "Traceback" not in output
    return result, output


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t \n", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("nul.txt", b"some text\x00\x00\x00more\x00text", "binary"),
    ],
)
def test_unreadable_files_fail_with_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result, output = _run(str(path))
    assert result.exit_code == 1
    assert message in output.lower()
    assert len([line for line in output.strip().splitlines() if line.strip()]) == 1


def test_twenty_megabyte_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(20 * 1024 * 1024)
    result, output = _run(str(path))
    assert result.exit_code == 1 and "MB" in output or "bytes" in output


def test_missing_path_and_unreachable_url():
    result, output = _run("/no/such/article.txt")
    assert result.exit_code == 1 and "No such file" in output
    result, output = _run("http://nonexistent.invalid/article", "--timeout", "3")
    assert result.exit_code == 1 and "Error:" in output


def test_private_address_is_refused_without_allow_private():
    result, output = _run("http://127.0.0.1:9/article")
    assert result.exit_code == 1
    assert "private" in output.lower() or "loopback" in output.lower()
    assert "unless --allow-private is given" in output and "allow_private=" not in output


def test_undecodable_bytes_are_decoded_or_explained(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Titre\n\nLe président a déclaré que la réforme était nécessaire.".encode("cp1252"))
    result, output = _run(str(path), "--format", "json")
    # Either decoded correctly (analysed) or a clear error: never mojibake silently, never a crash.
    if result.exit_code == 0:
        assert "président" in result.stdout
    else:
        assert "encoding" in output.lower()


def test_non_english_article_is_analysed_with_a_warning(tmp_path, analyzer):
    path = tmp_path / "fr.txt"
    path.write_text("Titre\n\nLe gouvernement a annoncé hier une nouvelle réforme des retraites. Les syndicats "
                    "dénoncent une trahison et appellent à la grève dans toute la France.", encoding="utf-8")
    result, output = _run(str(path), "--format", "json")
    assert result.exit_code == 0
    assert "Warning:" in output and "English" in output

import pytest

from propwatch.errors import InputError
from propwatch.inputs import text as text_module
from propwatch.inputs.text import read_bytes, read_text, read_text_file


def test_text_file_becomes_an_article_with_the_ptc_title_convention(tmp_path):
    path = tmp_path / "article42.txt"
    content = "Plague returns to Madagascar\n\nGeneva - The WHO chief said on Wednesday.\n"
    path.write_text(content, encoding="utf-8")
    article = read_text_file(path)
    assert article.id == "article42"
    assert article.source == str(path)
    assert article.title == "Plague returns to Madagascar"
    assert article.text == content  # title line included: offsets index the whole text


def test_crlf_file_is_read_like_python_open(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes("Title\r\n\r\nBody with “quotes”.\r\nMore.\r\n".encode("utf-8"))
    assert read_text(path) == path.read_text(encoding="utf-8") == "Title\n\nBody with “quotes”.\nMore.\n"
    assert read_text_file(path).title == "Title"


def test_cp1252_file(tmp_path):
    path = tmp_path / "legacy.txt"
    text = "Un été à Paris\n\nLe café était très bon, même à l'été. Crème brûlée et naïveté.\n"
    path.write_bytes(text.encode("cp1252"))
    assert read_text(path) == text


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"^No such file: .*nothere\.txt$"):
        read_text_file(tmp_path / "nothere.txt")


def test_directory_points_to_data_option(tmp_path):
    with pytest.raises(InputError, match=r"is a folder, not an article; to analyse every article in it, run "
                                         r"propwatch batch .* --out RUN_FOLDER"):
        read_text_file(tmp_path)


def test_file_over_the_cap_fails_fast_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(20 * 1024 * 1024)  # a sparse 20 MB file: created instantly, no disk used
    reads = []
    real_open = open

    class Spy:
        def __init__(self, f):
            self._f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

        def fileno(self):
            return self._f.fileno()

        def read(self, n=-1):
            reads.append(n)
            return self._f.read(n)

    monkeypatch.setattr(text_module, "open", lambda *a, **k: Spy(real_open(*a, **k)), raising=False)
    with pytest.raises(InputError, match=r"huge\.txt is 20\.0 MiB, over the 5\.0 MiB limit"):
        read_text_file(path)
    assert reads == []


def test_read_is_capped_even_when_the_size_is_not_known(tmp_path, monkeypatch):
    # Pipes and /proc files report size 0; the read itself must stop at the cap.
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 100)

    class Stat:
        st_size = 0

    monkeypatch.setattr(text_module.os, "fstat", lambda fd: Stat())
    with pytest.raises(InputError, match=r"is more than 50 bytes, over the 50 bytes limit"):
        read_bytes(path, max_bytes=50)
    assert read_bytes(path, max_bytes=100) == b"x" * 100


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(InputError, match=r"photo\.txt looks like a binary file \(a PNG image\)"):
        read_text_file(path)

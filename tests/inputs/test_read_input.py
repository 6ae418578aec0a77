import io

import pytest

import propwatch.inputs as inputs
from propwatch.errors import InputError
from propwatch.inputs import DEFAULT_MAX_BYTES, read_input

ARTICLE = "Plague returns to Madagascar\n\nGeneva - The WHO chief said on Wednesday that the outbreak is over.\n"


def test_public_names_are_exported():
    for name in ("read_input", "fetch_article", "read_corpus", "read_split", "read_ids", "GoldSpan",
                 "CorpusArticle", "write_si", "write_tc", "format_si", "format_tc", "read_labels",
                 "DEFAULT_MAX_BYTES"):
        assert name in inputs.__all__ and hasattr(inputs, name)


def test_text_file(tmp_path):
    path = tmp_path / "madagascar.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    article = read_input(str(path))
    assert (article.id, article.source, article.title, article.text) == (
        "madagascar", str(path), "Plague returns to Madagascar", ARTICLE)


def test_stdin():
    article = read_input("-", stdin=io.BytesIO(ARTICLE.encode("utf-8")))
    assert (article.id, article.source, article.title, article.text) == (
        "stdin", "stdin", "Plague returns to Madagascar", ARTICLE)


def test_stdin_html_is_extracted(article_html):
    article = read_input("-", stdin=io.BytesIO(article_html.encode("utf-8")))
    assert article.title == "Minister denies plan to close hospitals"
    assert "SCRIPT_IN_BODY" not in article.text


def test_stdin_over_the_cap():
    with pytest.raises(InputError, match=r"^stdin is more than 100 bytes, over the 100 bytes limit"):
        read_input("-", stdin=io.BytesIO(b"x" * 101), max_bytes=100)


def test_empty_stdin():
    with pytest.raises(InputError, match=r"^stdin is empty"):
        read_input("-", stdin=io.BytesIO(b""))


@pytest.mark.parametrize("name", ["page.html", "page.HTM"])
def test_html_file_by_suffix(tmp_path, article_html, article_paragraphs, name):
    path = tmp_path / name
    path.write_text(article_html.replace("<!DOCTYPE html>\n", ""), encoding="utf-8")
    article = read_input(str(path))
    assert article.id == "page"
    assert all(p in article.text for p in article_paragraphs)
    assert "World news menu" not in article.text and "SCRIPT_IN_HEAD" not in article.text


def test_html_content_in_a_txt_file_is_recognised(tmp_path, article_html):
    path = tmp_path / "saved.txt"
    path.write_text("\n  " + article_html, encoding="utf-8")
    assert read_input(str(path)).title == "Minister denies plan to close hospitals"


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match=r"^No such file: "):
        read_input(str(tmp_path / "missing.txt"))


def test_directory(tmp_path):
    with pytest.raises(InputError, match="propwatch batch"):
        read_input(str(tmp_path))


@pytest.mark.parametrize("url", ["ftp://example.com/a.txt", "file:///etc/passwd", "gopher://x/"])
def test_other_schemes_are_refused(url):
    with pytest.raises(InputError, match=r"^unsupported URL scheme '(ftp|file|gopher)' in .*http:// and https://"):
        read_input(url)


def test_urls_go_to_fetch_article_with_the_options(monkeypatch):
    calls = []
    monkeypatch.setattr(inputs, "fetch_article", lambda url, **kw: calls.append((url, kw)) or "article")
    assert read_input("https://example.com/news", allow_private=True, timeout=3.0, max_bytes=1234) == "article"
    assert read_input("HTTP://example.com/") == "article"
    assert calls == [
        ("https://example.com/news", {"allow_private": True, "timeout": 3.0, "max_bytes": 1234}),
        ("HTTP://example.com/", {"allow_private": False, "timeout": 10.0, "max_bytes": DEFAULT_MAX_BYTES}),
    ]


def test_file_over_the_cap(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(InputError, match=r"long\.txt is 500 bytes, over the 100 bytes limit"):
        read_input(str(path), max_bytes=100)

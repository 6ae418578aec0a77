"""The browser app without a browser: forms, the result page as served (it must work without JavaScript),
downloads identical to the CLI's reports, the history and its delete."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from propwatch.render import render_html, to_json

from .conftest import SHORT, post_form


def analyse(client, **data):
    r = post_form(client, "/analyze", data)
    assert r.status_code == 303, r.text[:500]
    return r.headers["location"].rsplit("/", 1)[-1]


def stored(client, id):
    return client.app.state.service.store.get(id).analysis


@pytest.fixture(scope="module")
def example_id(client):
    return analyse(client, example="1")


def test_input_page_offers_text_file_url_and_the_example(client):
    html = client.get("/").text
    assert '<textarea id="text" name="text"' in html
    assert 'type="file" id="file" name="file" accept=".txt,.text,.html,.htm' in html
    assert 'type="text" id="url" name="url"' in html and 'inputmode="url"' in html  # example.com/x is accepted
    assert html.count('id="analyse"') == 1 and ">Analyse</button>" in html
    assert 'name="example"' in html and 'enctype="multipart/form-data"' in html
    assert '<script src="/static/app.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html)  # no inline scripts


def test_static_assets_are_served_locally(client):
    for path, kind in [("/static/app.css", "text/css"), ("/static/app.js", "javascript"),
                       ("/assets/techniques.css", "text/css"), ("/static/favicon.svg", "svg")]:
        r = client.get(path)
        assert r.status_code == 200 and kind in r.headers["content-type"], path
    assert ".t-loaded_language{--c:#EE7733" in client.get("/assets/techniques.css").text
    for page in ("/", "/history", "/docs"):
        assert not re.search(r"""(src|href)=["']https?://""", client.get(page).text), page


def test_the_example_is_one_click_away_and_fully_highlighted(client, example_id):
    analysis = stored(client, example_id)
    assert analysis.article.id == "deir-ez-zor" and analysis.spans
    html = client.get(f"/analyses/{example_id}").text
    for i, span in enumerate(analysis.spans):
        assert f'data-span="{i}" tabindex="0"' in html  # one keyboard stop per span
        assert f'class="hl t-{span.technique} ' in html
    assert html.count('class="anchor" id="s-') == len(analysis.sentences)
    assert html.count('class="bar lv') == len(analysis.sentences)
    data = json.loads(unescape(re.search(r'<script type="application/json" id="analysis-data">(.*?)</script>',
                                         html, re.S).group(1)))
    assert len(data["spans"]) == len(analysis.spans)
    assert f"{analysis.score * 100:.0f}%" in html
    assert f'model <span class="model">{analysis.model.name} {analysis.model.version}</span>' in html
    for technique, n in analysis.technique_counts.items():
        if n:
            assert f'data-count="{technique}" data-total="{n}">{n}<' in html


def test_filters_work_without_javascript(client, example_id):
    analysis = stored(client, example_id)
    scores = sorted(s.score for s in analysis.spans)
    cut = scores[len(scores) // 2]
    html = client.get(f"/analyses/{example_id}", params={"min_score": cut}).text
    hidden = set(int(i) for i in re.findall(r'class="hl t-\w+ off(?: first)?(?: last)?" data-span="(\d+)"', html))
    assert hidden == {i for i, s in enumerate(analysis.spans) if s.score < cut}
    keep = analysis.spans[0].technique
    html = client.get(f"/analyses/{example_id}?f=1&t={keep}").text
    hidden = set(int(i) for i in re.findall(r'class="hl t-\w+ off(?: first)?(?: last)?" data-span="(\d+)"', html))
    assert hidden == {i for i, s in enumerate(analysis.spans) if s.technique != keep}
    assert f'name="t" value="{keep}" checked' in html
    # a hand-edited address still shows the article
    assert client.get(f"/analyses/{example_id}?min_score=lots&t=nonsense").status_code == 200


def test_downloads_are_the_cli_reports(client, example_id, tmp_path):
    analysis = stored(client, example_id)
    r = client.get(f"/analyses/{example_id}/report.html")
    created = client.app.state.service.store.get(example_id).created_at
    assert r.status_code == 200 and r.text == render_html(analysis, analysed_at=created) + "\n"
    assert r.headers["content-disposition"].startswith("attachment;")
    assert "script-src" not in r.headers["content-security-policy"] and "default-src 'none'" in r.headers[
        "content-security-policy"]
    j = client.get(f"/analyses/{example_id}/analysis.json")
    assert j.text == to_json(analysis) + "\n" and j.headers["content-disposition"].endswith('.json"')
    filtered = client.get(f"/analyses/{example_id}/analysis.json", params={"min_score": 0.5})
    assert filtered.text == to_json(analysis.filtered(0.5)) + "\n"


def test_the_downloaded_report_equals_the_cli_file(client, tmp_path):
    """The same article through ``propwatch analyze --format html --out`` and through the page's download."""
    from typer.testing import CliRunner

    from propwatch.cli.app import app

    article = tmp_path / "story.txt"
    article.write_text(SHORT, encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["analyze", str(article), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    r = post_form(client, "/analyze", files={"file": ("story.txt", SHORT.encode(), "text/plain")})
    id = r.headers["location"].rsplit("/", 1)[-1]
    downloaded = client.get(f"/analyses/{id}/report.html").text
    # the only differences allowed: where the article came from (a path on the command line, a file name
    # here) and how long the analysis took
    expected = out.read_text(encoding="utf-8").replace(str(article), "story.txt")

    def untimed(html):  # the web report also says when it was analysed (the history knows)
        html = re.sub(r" · analysed <time [^>]*>[^<]*</time>", "", html)
        return re.sub(r"analysed in \d+ ms", "analysed in … ms", html)

    assert untimed(downloaded) == untimed(expected)


def test_pasted_text_and_uploaded_files(client):
    pasted = stored(client, analyse(client, text=SHORT))
    assert pasted.article.title == "Experts warn of a crisis" and pasted.article.source is None

    def upload(name, content, kind):
        return post_form(client, "/analyze", files={"file": (name, content, kind)})

    r = upload("story.txt", SHORT.encode("cp1252"), "text/plain")
    assert r.status_code == 303
    article = stored(client, r.headers["location"].rsplit("/", 1)[-1]).article
    assert article.id == "story" and article.source == "story.txt" and article.text == SHORT

    page = ("<html><head><title>Big story</title></head><body><article><p>The traitors in parliament have sold "
            "out every one of us, and they laugh at you.</p></article></body></html>")
    r = upload("page.html", page.encode(), "text/html")
    assert r.status_code == 303
    assert "traitors in parliament" in stored(client, r.headers["location"].rsplit("/", 1)[-1]).article.text


@pytest.mark.parametrize("data, files, status, words", [
    ({}, None, 400, "Paste an article"),
    ({"text": "   "}, None, 400, "Paste an article"),
    ({"text": SHORT, "url": "https://example.com/x"}, None, 400, "give just one"),
    ({}, {"file": ("scan.pdf", b"%PDF-1.7 ...", "application/pdf")}, 415, "not a .txt or .html"),
    ({}, {"file": ("fake.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "text/plain")}, 400, "binary"),
    ({}, {"file": ("empty.txt", b"", "text/plain")}, 400, "empty"),
    # ``curl -F text=@story.txt``: a file in the text field is refused, not analysed as "UploadFile(...)"
    ({}, {"text": ("story.txt", SHORT.encode(), "text/plain")}, 400, "takes typed text, not a file"),
    ({}, {"url": ("story.txt", SHORT.encode(), "text/plain")}, 400, "takes typed text, not a file"),
])
def test_bad_form_input_shows_the_form_again_with_the_reason(client, data, files, status, words):
    r = post_form(client, "/analyze", data, files=files)
    assert r.status_code == status
    assert 'role="alert"' in r.text and words in unescape(r.text)
    assert '<textarea id="text"' in r.text  # the form is there to try again
    if data.get("text", "").strip():
        assert "The so-called experts" in r.text  # and what was typed is kept


def test_a_too_large_form_is_413_page(make_client):
    c = make_client(max_body_bytes=5_000)
    r = post_form(c, "/analyze", {"text": "word " * 2000})
    assert r.status_code == 413 and "text/html" in r.headers["content-type"] and "Too large" in r.text


def test_history_lists_newest_first_and_delete_works(make_client):
    c = make_client()
    assert "No analyses yet" in c.get("/history").text
    first = analyse(c, text="Older story\n\nThe council met on Monday.")
    second = analyse(c, text="Newer story\n\nThe council met again on Tuesday.")
    html = c.get("/history").text
    assert html.index("Newer story") < html.index("Older story")
    assert f'href="/analyses/{second}"' in html and "pasted text" in html
    asked = post_form(c, f"/analyses/{second}/delete")  # without confirm=1 a page asks first
    assert asked.status_code == 200 and "Delete this analysis?" in asked.text and "Newer story" in asked.text
    r = post_form(c, f"/analyses/{second}/delete", {"confirm": "1"})
    assert r.status_code == 303 and r.headers["location"] == f"/history?deleted={second}"
    html = c.get(r.headers["location"]).text
    assert "was deleted" in html and f'href="/analyses/{second}"' not in html and "Older story" in html
    assert c.get(f"/analyses/{second}").status_code == 404
    assert c.get(f"/analyses/{first}").status_code == 200


def test_missing_pages_are_friendly(client):
    r = client.get("/analyses/nope")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "Not found" in r.text
    assert client.get("/no/such/page").status_code == 404

"""Every input format, scanned and read without the model: ids, metadata, content routes and each kind of bad
record (malformed line, missing id, empty text, undecodable bytes, duplicate id, fetch failure)."""

from __future__ import annotations

import http.server
import threading
from datetime import datetime, timezone

import pyarrow.fs as pafs
import pytest

from propwatch.batch.fs import Location
from propwatch.batch.plan import plan_parts
from propwatch.batch.readers import FolderReader, InputFormat, JsonLinesReader, open_reader
from propwatch.batch.records import Columns, ReadOptions, parse_published
from propwatch.errors import InputError


def read_all(reader):
    """Scan, mark duplicates, read: {location: (entry, record or None)}."""
    entries = [e for p in plan_parts(reader.scan(), 100) for e in p.entries]
    records = {r.entry.location: r for r in reader.load([e for e in entries if e.error is None])}
    return {e.location: (e, records.get(e.location)) for e in entries}


def test_jsonl_reads_text_metadata_and_reports_every_bad_line(tmp_path, corpora):
    rows = corpora.articles(3)
    path = corpora.write_jsonl(tmp_path / "in.jsonl", rows, [
        b'{"id": "broken", "text": ',
        b"[1, 2]",
        b'{"text": "an article without an id"}',
        b'{"id": "latin", "text": "caf\xe9 au lait"}',
        b'{"id": "a00", "text": "the same id again"}',
        b'{"id": "blank", "text": "   \\n  "}',
        b'{"id": "nodate", "text": "Some words here.", "published": "last Tuesday"}',
        b"",
        b'{"id": 17, "text": "A numeric id is fine.", "published": "Tue, 05 Mar 2019 10:00:00 +0100"}',
    ])
    reader = open_reader(path)
    assert isinstance(reader, JsonLinesReader)
    found = read_all(reader)

    entry, record = found["in.jsonl:1"]
    assert record.article.id == "a00" and record.article.title == "Report 0 from the front"
    assert record.source == "alpha.example"
    assert record.published == datetime(2019, 1, 5, tzinfo=timezone.utc)
    assert record.article.text == rows[0]["text"]
    assert found["in.jsonl:2"][1].published == datetime(2019, 1, 20, 10, tzinfo=timezone.utc)

    assert "malformed JSON" in found["in.jsonl:4"][0].error
    assert "expected a JSON object" in found["in.jsonl:5"][0].error
    assert "every record needs an id" in found["in.jsonl:6"][0].error
    assert "not valid UTF-8" in found["in.jsonl:7"][0].error
    assert "duplicate id 'a00' (first used at in.jsonl:1)" in found["in.jsonl:8"][0].error
    assert "empty" in found["in.jsonl:9"][1].error  # known only when read: it still gets a row, with the error
    nodate = found["in.jsonl:10"][1]
    assert nodate.error is None and nodate.published is None and "not an ISO 8601" in nodate.warnings[0]
    assert "in.jsonl:11" not in found  # blank line
    numeric = found["in.jsonl:12"][1]
    assert numeric.id == "17" and numeric.published == datetime(2019, 3, 5, 9, tzinfo=timezone.utc)
    assert [e.line for e, _ in found.values()] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]


def test_jsonl_html_field_and_custom_field_names(tmp_path, corpora):
    path = corpora.write_jsonl(tmp_path / "in.ndjson", [
        {"doc": "p1", "page": "<!doctype html><html><head><title>A page</title></head><body><nav>Menu</nav>"
                              "<article><h1>A page</h1><p>" + corpora.PARAGRAPHS[0] + "</p></article></body></html>",
         "outlet": "delta", "when": "2020-05-01"},
    ])
    columns = Columns.parse("id=doc, html=page, source=outlet, published=when")
    (entry, record), = read_all(open_reader(path, columns=columns)).values()
    assert record.article.id == "p1" and record.article.title == "A page"
    assert "Menu" not in record.article.text and corpora.PARAGRAPHS[0][:40] in record.article.text
    assert record.source == "delta" and record.published.year == 2020


def test_columns_parse_errors():
    with pytest.raises(ValueError, match="unknown column key 'body'"):
        Columns.parse("body=text")
    with pytest.raises(ValueError, match="KEY=COLUMN"):
        Columns.parse("id")


def test_csv_rows_multiline_fields_and_bad_rows(tmp_path, corpora):
    rows = corpora.articles(2)
    path = corpora.write_csv(tmp_path / "in.csv", rows)
    with open(path, "ab") as f:
        f.write(b"x1,too,few\n")                                        # 3 fields, header has 5
        f.write(b",No id,Some text here.,s,2019-01-01\n")
        f.write(b"x2,Latin,caf\xe9 au lait,s,2019-01-01\n")              # not UTF-8
        f.write(b"\n")
        f.write(b'x3,"Quoted, with comma","Line one.\n\nLine two, after a blank line.",s,\n')
    found = read_all(open_reader(path))
    assert found["in.csv:2"][1].article.text == rows[0]["text"]  # a multi-line quoted field, read back whole
    assert found["in.csv:2"][1].source == "alpha.example"
    assert found["in.csv:2"][1].article.title == "Report 0 from the front"
    # Quoted fields span lines, so locations name the line where each row starts.
    assert [loc for loc, (e, _) in found.items() if e.id == "a01"] == ["in.csv:5"]
    errors = {loc: e.error for loc, (e, _) in found.items() if e.error}
    assert errors == {
        "in.csv:8": "the row has 3 fields, the header has 5",
        "in.csv:9": "no 'id' value: every record needs an id",
        "in.csv:10": "the row is not valid UTF-8 (undecodable bytes); save the CSV file as UTF-8",
    }
    quoted = next(r for e, r in found.values() if e.id == "x3")
    assert quoted.article.title == "Quoted, with comma"
    assert quoted.article.text == "Line one.\n\nLine two, after a blank line."


def test_csv_header_without_needed_columns_stops_at_once(tmp_path, corpora):
    path = corpora.write_csv(tmp_path / "in.csv", corpora.articles(1), columns=("id", "title", "body"))
    with pytest.raises(InputError, match=r"no 'text', 'html' or 'url' column .*columns are: id, title, body"):
        list(open_reader(path).scan())
    entries = list(open_reader(path, columns=Columns.parse("text=body")).scan())
    assert [e.id for e in entries] == ["a00"]


def test_folder_recursive_txt_and_html_with_sources(tmp_path, corpora):
    rows = corpora.articles(4)
    root = corpora.write_folder(tmp_path / "corpus", rows)
    (root / "notes.md").write_text("not an article")
    (root / ".hidden.txt").write_text("hidden")
    (root / "alpha.example" / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (root / "alpha.example" / "a00.html").write_text("<html><body><p>The same id as a00.txt</p></body></html>")
    reader = open_reader(root)
    assert isinstance(reader, FolderReader) and not reader.ptc
    found = read_all(reader)
    assert reader.skipped == 1
    ids = [e.id for e, _ in found.values()]
    assert ids == ["alpha.example/a00", "alpha.example/a00", "alpha.example/a02", "alpha.example/picture",
                   "beta.example/a01", "gamma.example/a03"]
    # Sorted paths: a00.html comes before a00.txt, so the .txt file is the duplicate.
    duplicate = found["alpha.example/a00.txt"][0].error
    assert "duplicate id 'alpha.example/a00' (first used at alpha.example/a00.html)" in duplicate
    txt = found["alpha.example/a02.txt"][1]
    assert txt.source == "alpha.example" and txt.article.title == "Report 2 from the front"
    html = found["beta.example/a01.html"][1]
    assert html.article.title == "Report 1 from the front"
    assert "var x" not in html.article.text and "Home | World" not in html.article.text
    assert "binary" in found["alpha.example/picture.txt"][1].error


def test_ptc_folder_uses_ptc_ids_and_keeps_the_bom(tmp_path, corpora):
    root = corpora.write_ptc(tmp_path / "ptc", corpora.articles(2))
    path = root / "articles" / "article700.txt"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    for where in (root, root / "articles"):
        reader = open_reader(where)
        assert reader.kind == "ptc"
        found = read_all(reader)
        assert [e.id for e, _ in found.values()] == ["700", "701"]
        assert found["article700.txt"][1].article.text.startswith("\ufeffReport 0")


def test_undecodable_file_is_a_record_error(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    (root / "ok.txt").write_text("Title\n\nA perfectly ordinary sentence about the news of the day.")
    (root / "bad.txt").write_bytes(b"\xff\xfe\x00")  # a UTF-16 byte-order mark, then half a character
    found = read_all(open_reader(root, InputFormat.folder))
    assert "byte-order mark" in found["bad.txt"][1].error
    assert found["ok.txt"][1].error is None


def test_sources_read_through_any_pyarrow_filesystem(tmp_path, corpora):
    """The object-storage route (``s3://`` and friends) uses the same pyarrow calls; a SubTreeFileSystem is a
    non-local filesystem that runs them here."""
    corpora.write_folder(tmp_path / "bucket" / "corpus", corpora.articles(2))
    corpora.write_jsonl(tmp_path / "bucket" / "in.jsonl", corpora.articles(2))
    fs = pafs.SubTreeFileSystem(str(tmp_path / "bucket"), pafs.LocalFileSystem())
    folder = FolderReader(Location(fs, "corpus", "mock://bucket/corpus"))
    found = read_all(folder)
    assert [r.article.title for _, r in found.values()] == ["Report 0 from the front", "Report 1 from the front"]
    assert found["alpha.example/a00.txt"][1].article.source == "mock://bucket/corpus/alpha.example/a00.txt"
    jsonl = JsonLinesReader(Location(fs, "in.jsonl", "mock://bucket/in.jsonl"))
    assert [r.article.id for _, r in read_all(jsonl).values()] == ["a00", "a01"]


def test_missing_input_and_unknown_format(tmp_path):
    with pytest.raises(InputError, match="No such file or folder"):
        open_reader(tmp_path / "nope")
    (tmp_path / "data.xml").write_text("<x/>")
    with pytest.raises(InputError, match="cannot tell the format"):
        open_reader(tmp_path / "data.xml")


def test_parse_published():
    assert parse_published("2019-03-04")[0] == datetime(2019, 3, 4, tzinfo=timezone.utc)
    assert parse_published("2019-03-04T12:00:00+02:00")[0] == datetime(2019, 3, 4, 10, tzinfo=timezone.utc)
    assert parse_published(None) == (None, None)
    value, warning = parse_published(1551700000)
    assert value is None and "not a date string" in warning


@pytest.fixture
def page_server(corpora):
    body = ("<!doctype html><html><head><title>Served page</title></head><body><article><h1>Served page</h1><p>"
            + corpora.PARAGRAPHS[1] + "</p></article></body></html>").encode("utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path != "/story":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_records_are_fetched_through_the_network_guard(tmp_path, corpora, page_server):
    path = corpora.write_jsonl(tmp_path / "urls.jsonl", [
        {"id": "u1", "url": f"{page_server}/story"},
        {"id": "u2", "url": f"{page_server}/missing"},
    ])
    guarded = read_all(open_reader(path))
    assert "allow_private" in guarded["urls.jsonl:1"][1].error  # loopback refused by default
    found = read_all(open_reader(path, options=ReadOptions(allow_private=True, timeout=5)))
    fetched = found["urls.jsonl:1"][1]
    assert fetched.error is None and fetched.article.id == "u1" and fetched.article.title == "Served page"
    assert fetched.source == "127.0.0.1" and fetched.url.endswith("/story")
    assert "404" in found["urls.jsonl:2"][1].error

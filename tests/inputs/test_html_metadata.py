"""Article metadata from web pages (newsroom issue, feature 4): outlet, author and publication date come from
the page's meta tags into the ``Article``, never into its text."""

from pathlib import Path

import pytest

from propwatch.inputs import parse_article
from propwatch.inputs.html import METADATA_CHARS, article_from_html
from propwatch.schema import Analysis, Article

PAGE = Path(__file__).with_name("news_page_with_metadata.html")


@pytest.fixture
def page_html() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_meta_tags_give_outlet_author_and_date(page_html):
    article = article_from_html(page_html, id="bridge", source="bridge.html")
    assert article.outlet == "The Riverside Courier"
    assert article.author == "Maria Lopez"
    assert article.published == "2021-06-14"
    assert article.title == "Council approves new river bridge after long debate"
    for value in ("Riverside Courier", "Maria Lopez", "2021"):
        assert value not in article.text  # metadata sits beside the text: the offsets are the text's alone


def test_a_page_without_a_site_name_from_a_url_takes_its_host(article_html):
    article = parse_article(article_html, id="p", source="https://www.dailyexample.co.uk/news/1", html=True)
    assert article.outlet == "dailyexample.co.uk"
    assert article.author == "Jane Doe"  # from the byline


def test_plain_text_has_no_metadata():
    article = parse_article("Title\n\nSome text of the article.", id="t", source=None, html=False)
    assert (article.outlet, article.author, article.published) == (None, None, None)


def test_overlong_values_are_cut_and_odd_dates_dropped(page_html):
    html = (page_html.replace("Maria Lopez", "Maria " * 100)
            .replace("2021-06-14T08:30:00+00:00", "sometime in June"))
    article = article_from_html(html, id="b", source=None)
    assert article.author is not None and len(article.author) == METADATA_CHARS and article.author.endswith("…")
    assert article.published is None or len(article.published) == 10


def test_round_trip_and_old_analyses_without_the_fields(page_html):
    article = article_from_html(page_html, id="bridge", source=None)
    assert Article.model_validate_json(article.model_dump_json()) == article
    old = '{"id": "a", "title": "T", "text": "T\\n\\nBody.", "source": "x.txt"}'  # stored before the fields
    loaded = Article.model_validate_json(old)
    assert (loaded.outlet, loaded.author, loaded.published) == (None, None, None)


def test_a_published_value_must_be_an_iso_date():
    with pytest.raises(ValueError, match="published"):
        Article(id="a", text="x", published="14/06/2021")


def test_analysis_json_carries_the_metadata(page_html):
    from propwatch.schema import ModelInfo

    article = article_from_html(page_html, id="bridge", source=None)
    analysis = Analysis(article=article, spans=[], sentences=[], score=0.0, technique_counts={},
                        model=ModelInfo(name="m", version="1"))
    again = Analysis.model_validate_json(analysis.model_dump_json())
    assert again.article.outlet == "The Riverside Courier" and again == analysis


def test_a_fetched_page_keeps_its_metadata(fake_dns, page_html):
    import httpx

    from propwatch.inputs.url import fetch_article

    fake_dns["courier.example"] = ["93.184.216.34"]
    page = httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, text=page_html)
    article = fetch_article("https://courier.example/bridge", transport=httpx.MockTransport(lambda r: page))
    assert (article.outlet, article.author, article.published) == ("The Riverside Courier", "Maria Lopez",
                                                                  "2021-06-14")

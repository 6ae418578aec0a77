import pytest

from propwatch.errors import InputError
from propwatch.inputs.html import article_from_html, looks_like_html


def test_article_text_is_title_then_paragraphs(article_html, article_paragraphs):
    article = article_from_html(article_html, id="page", source="page.html")
    title = "Minister denies plan to close hospitals"
    assert article.title == title
    assert article.text == title + "\n\n" + "\n\n".join(article_paragraphs)
    assert article.id == "page" and article.source == "page.html"


@pytest.mark.parametrize(
    "boilerplate",
    ["SCRIPT_IN_HEAD", "SCRIPT_IN_BODY", "document.write", "World news menu", "Sport section link",
     "Copyright", "Cookie settings", "Celebrity chef", "color: grey", "<", ">", "&ldquo;"],
)
def test_no_scripts_navigation_footer_or_markup(article_html, boilerplate):
    assert boilerplate not in article_from_html(article_html, id="page", source=None).text


def test_headline_is_not_repeated(article_html):
    text = article_from_html(article_html, id="page", source=None).text
    assert text.count("Minister denies plan to close hospitals") == 1


def test_page_without_a_title_gives_the_body_only():
    html = "<html><body><article>" + "".join(
        f"<p>Paragraph number {i} of a plain page that has enough words to count as article text for the "
        "extractor, which ignores very short fragments on purpose.</p>" for i in range(4)
    ) + "</article></body></html>"
    article = article_from_html(html, id="p", source=None)
    assert article.text.startswith("Paragraph number 0 of a plain page")
    assert article.text.count("\n\n") == 3


def test_page_without_article_text():
    html = ("<!DOCTYPE html><html><head><title>App</title><script>render()</script></head>"
            "<body><nav><a href='/'>Home</a></nav><div id='root'></div></body></html>")
    with pytest.raises(InputError, match=r"^no article text found in https://example\.com/app; .*\.txt"):
        article_from_html(html, id="app", source="https://example.com/app")


def test_a_page_holding_only_a_menu_is_refused():
    """Newsroom issue, defect 10: such a page was analysed as an article titled "menu"."""
    html = ("<!DOCTYPE html><html><body><nav>menu<br>Home<br>World news<br>Politics<br>Business and markets<br>"
            "Sport results<br>Contact us</nav></body></html>")
    with pytest.raises(InputError, match=r"^no article text found in https://example\.com/: .*\(menu; Home; .*"
                                         r"a menu or a list of links, not an article"):
        article_from_html(html, id="nav", source="https://example.com/")


def test_one_short_sentence_is_still_an_article():
    html = "<html><body><article><p>The minister resigned on Tuesday.</p></article></body></html>"
    assert article_from_html(html, id="p", source=None).text == "The minister resigned on Tuesday."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<!DOCTYPE html><html>", True),
        ("  \n<!doctype HTML>\n<html>", True),
        ("<html lang='en'><body>", True),
        ("<!-- saved from url=(0022)http://example.com/ -->\n<html>", True),
        ("Title\n\nA text about <html> tags.", False),
        ("<htmlx>", False),
        ("<p>a fragment</p>", False),
    ],
)
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected

import re
from html.parser import HTMLParser

import propwatch_test_fakes as fakes
import pytest

from propwatch.render import render_html
from propwatch.techniques import get

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "source"}
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click me</a>',
]


class Page(HTMLParser):
    """Collects every element and checks that the tags nest (html.parser itself is lenient)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.errors = [], [], []
        self.marks, self.sups = [], []
        self.article_text, self._in_article, self._skip = [], 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "mark":
            self.marks.append([attrs, ""])
        if tag == "sup":
            self.sups.append(attrs)
        if tag == "article":
            self._in_article += 1
        if self._in_article and tag == "sup":
            self._skip += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()
        if self._in_article and tag == "sup":
            self._skip -= 1
        if tag == "article":
            self._in_article -= 1

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "mark":
            self.marks[-1][1] += data
        if self._in_article and not self._skip:
            self.article_text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert not page.errors, page.errors[:3]
    assert page.stack == [], page.stack
    return page


def test_well_formed_and_self_contained(analysis):
    html = render_html(analysis)
    page = parse(html)
    assert html.startswith("<!DOCTYPE html>")
    tags = {t for t, _ in page.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert not re.search(r"https?://|\burl\(|@import|\bsrc=", html)
    assert all(a.get("href", "#").startswith("#") for _, a in page.tags)


def test_the_header_names_the_model(analysis):
    """Reports of one article by `fast` and by `accurate` differ in their figures: the header says which model."""
    html = render_html(analysis)
    header = html[html.index("<header"):html.index("</header>")]
    assert f'model <span class="model">{analysis.model.name} {analysis.model.version}</span>' in header


def test_every_span_is_highlighted_and_tagged(analysis):
    page = parse(render_html(analysis))
    assert len(page.sups) == len(analysis.spans)
    for technique, n in analysis.technique_counts.items():
        tagged = [s for s in page.sups if s["title"].startswith(get(technique).name + " (")]
        assert len(tagged) == n, technique
    highlighted = "".join(text for _, text in page.marks)
    for span in analysis.spans:
        assert span.text in highlighted or all(w in highlighted for w in span.text.split())
        covering = [a for a, text in page.marks if span.technique in a["data-techniques"].split()]
        assert covering, span
    for attrs, _ in page.marks:
        assert attrs["title"] and attrs["aria-describedby"].startswith("def-")
        assert len(attrs["data-techniques"].split()) == len(attrs["data-scores"].split())


def test_nested_spans_stack_their_underlines(analysis):
    page = parse(render_html(analysis))
    nested = next(a for a, text in page.marks if text == "no one really even tried")
    assert nested["data-techniques"].split() == ["doubt", "exaggeration_minimisation"]
    assert nested["data-scores"].split() == ["0.72", "0.49"]
    assert get("doubt").colour in nested["style"] and get("exaggeration_minimisation").colour in nested["style"]
    same = next(a for a, text in page.marks if text == "pseudo-caliphate")
    assert set(same["data-techniques"].split()) == {"name_calling", "loaded_language"}
    assert "Name calling or labelling (93%)" in same["title"] and "Loaded language (58%)" in same["title"]


def test_article_text_and_paragraphs_are_preserved(analysis):
    html = render_html(analysis)
    page = parse(html)
    shown = " ".join("".join(page.article_text).split())
    assert shown == " ".join(analysis.article.text.split())
    paragraphs = [p for p in re.split(r"\n\s*\n", analysis.article.text) if p.strip()]
    article = html[html.index("<article"):html.index("</article>")]
    assert article.count("<p>") == len(paragraphs) - 1  # the title line is the <h1>


def test_legend_score_sentences_and_definitions(analysis):
    html = render_html(analysis)
    assert f"{analysis.score * 100:.0f}%" in html
    assert re.search(r">LOAD</span></td><td><a href=\"#def-loaded_language\">Loaded language</a></td>"
                     r"<td class=\"n\">5</td>", html)
    assert f'<td class="n">{len(analysis.spans)}</td>' in html
    assert html.count('<li><span class="pct">') == 5
    assert get("doubt").definition in html and 'id="def-doubt"' in html
    assert 'name="viewport"' in html and "@media (max-width" in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_article_text_title_and_source_are_escaped(payload):
    text = f"Headline {payload}\n\nThe body says {payload} and more {payload}.\n\nAnd then nothing."
    analysis = fakes.make_analysis(text, [(f"says {payload}", "loaded_language", 0.9), (payload, "doubt", 0.5)],
                                   title=f"Other {payload}", source=f"/tmp/{payload}")
    analysis = analysis.model_copy(update={"warnings": [f"odd {payload}"]})
    html = render_html(analysis)
    page = parse(html)
    assert payload not in html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert {t for t, _ in page.tags} <= {
        "html", "head", "meta", "title", "style", "body", "main", "header", "p", "section", "div", "strong",
        "h1", "h2", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "span", "a", "article", "mark", "sup",
        "ol", "li", "br", "dl", "dt", "dd", "details", "summary", "footer",
    }
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not any((v or "").lower().startswith("javascript:") for v in attrs.values())
    assert html.count(payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                      .replace('"', "&#34;")) >= 4  # text twice, source, warning (title attr also)


def test_no_spans():
    analysis = fakes.make_analysis("Plain title\n\nNothing to see.", [])
    html = render_html(analysis)
    parse(html)
    assert "No propaganda techniques found." in html and "<mark" not in html


# -- who says so, and the cast --------------------------------------------------------------------------------
class Layers(HTMLParser):
    """The text under each layer key (``a0s``, ``m1``, ``e2``...) of the article's ``span.lay`` elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self._in_article, self._skip = [], {}, 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self._in_article += 1
        if tag == "sup":
            self._skip += 1
        if tag not in VOID:
            keys = []
            if tag == "span" and "lay" in (attrs.get("class") or "").split():
                keys = " ".join(attrs.get(k, "") for k in ("data-a", "data-m", "data-e")).split()
            self.stack.append(keys)

    def handle_endtag(self, tag):
        self.stack.pop()
        if tag == "sup":
            self._skip -= 1
        if tag == "article":
            self._in_article -= 1

    def handle_data(self, data):
        if not self._in_article or self._skip:
            return
        for keys in self.stack:
            for k in keys:
                self.text[k] = self.text.get(k, "") + data


@pytest.fixture
def full():
    return fakes.make_full_analysis()


def test_every_attribution_part_and_mention_is_tagged_in_the_text(full):
    html = render_html(full)
    parse(html)
    layers = Layers()
    layers.feed(html)
    flat = {k: " ".join(v.split()) for k, v in layers.text.items()}
    for i, a in enumerate(full.attributions):
        assert flat.get(f"a{i}c") == a.cue.text
        if a.source is not None:
            assert flat[f"a{i}s"] == a.source.text
        else:
            assert f"a{i}s" not in flat
        assert flat[f"a{i}x"] == " ".join(" ".join(c.text.split()) for c in a.content)
    for j, actor in enumerate(full.actors):
        assert "".join(flat.get(f"m{j}", "").split()) == "".join("".join(m.text for m in actor.mentions).split())
        for k in actor.evidence:
            sent = full.article.text[full.sentences[k].start:full.sentences[k].end]
            assert " ".join(sent.split()) in flat[f"e{j}"]
    # the technique highlights are still whole around them
    assert "Our source in the military leadership of the Russian Federation reports" in "".join(
        t for _, t in parse(html).marks)


def test_a_source_cut_by_a_mention_is_one_box_with_sides_at_its_ends(full):
    """"Our source in the military leadership of the Russian Federation" is two segments (the actor's mention "Russian
    Federation" cuts it); an outline drew a box round each. Its first segment opens the box, its last closes it."""
    html = render_html(full)
    article = html[html.index("</style>"):]  # the text's segments; no rule of the style sheet
    keyed = re.findall(r'<span class="lay"([^>]*)>', article)
    source = [attrs for attrs in keyed if re.search(r'data-a="[^"]*\ba0s\b', attrs)]
    assert len(source) >= 2
    assert re.search(r'data-as="[^"]*\ba0s\b', source[0]) and re.search(r'data-ae="[^"]*\ba0s\b', source[-1])
    assert not any("a0s" in re.sub(r'data-a="[^"]*"', "", attrs) for attrs in source[1:-1])
    assert re.search(r'main:has\(#src-0:hover, #src-0:focus\) \[data-as~="a0s"\][^{]*\{ --sl: -2px; \}', html)
    assert re.search(r'main:has\(#src-0:hover, #src-0:focus\) \[data-ae~="a0s"\][^{]*\{ --sr: 2px; \}', html)


def test_who_says_so_panel_lists_sources_anonymous_first(full):
    html = render_html(full)
    side = html[html.index('<aside class="side"'):html.index("</aside>")]
    assert side.index("<h3>Anonymous") < side.index("<h3>Unsourced") < side.index("<h3>Named")
    assert "6 attributions: 3 anonymous, 1 unsourced, 2 named." in " ".join(side.split())
    assert side.count('tabindex="0"') == 6 and 'id="src-3"' in side
    assert "no source</span></span> <span class=\"cue\">reportedly</span>" in side
    assert "The Americans <span class=\"name\">(United States)</span>" in side
    assert "a form of appeal to authority" in side
    # hovering or focusing entry i styles the parts keyed a{i}: rules built from indices only
    assert 'main:has(#src-0:hover, #src-0:focus) [data-a~="a0s"]' in html
    assert 'main:has(#src-5:hover, #src-5:focus) [data-a~="a5x"]' in html
    assert 'content: "source"' in html and 'content: "cue"' in html and 'content: "says"' in html


def test_cast_panel_heroes_villains_victims_and_selection(full):
    html = render_html(full)
    side = html[html.index('<aside class="side"'):html.index("</aside>")]
    order = [side.index(f"<h3>{t}") for t in ("Heroes", "Villains", "Victims", "Also mentioned")]
    assert order == sorted(order)
    assert side.count('type="checkbox" class="pick"') == len(full.actors)
    assert re.search(r'<span class="who">United States</span> <span class="roles">Traitor, Incompetent</span> '
                     r'<span class="conf">state · 82% · 14 mentions</span>', side)
    assert side.index(">ISIS<") < side.index(">United States<")  # the strongest villain first
    assert "a first reading by a model that is often wrong" in side
    assert 'main:has(#actor-1:checked) [data-m~="m1"]' in html
    assert 'main:has(#actor-3:checked) [data-e~="e3"]' in html


def test_empty_attributions_and_actors_leave_no_panel(analysis, full):
    html = render_html(analysis)
    assert "<aside" not in html and "Who says so" not in html and 'class="lay"' not in html
    only_sources = render_html(full.model_copy(update={"actors": []}))
    assert "Who says so" in only_sources and "Cast" not in only_sources and "data-m=" not in only_sources
    only_actors = render_html(full.model_copy(update={"attributions": []}))
    assert "Who says so" not in only_actors and "<h2 id=\"cast-h\">Cast</h2>" in only_actors


@pytest.mark.parametrize("payload", PAYLOADS)
def test_source_names_and_actor_names_are_escaped(full, payload):
    sources = [a.model_copy(update={"source_name": f"Name {payload}"}) for a in full.attributions]
    actors = [a.model_copy(update={"name": f"Actor {payload}", "fine_roles": [f"Role {payload}"]})
              for a in full.actors]
    html = render_html(full.model_copy(update={"attributions": sources, "actors": actors}))
    page = parse(html)
    assert payload not in html and "<script" not in html and "<img" not in html
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)


def test_a_named_source_shows_the_name_only_when_it_adds_something(full):
    html = render_html(full)
    assert "the United States <span class=\"name\">" not in html
    assert "The Americans <span class=\"name\">(United States)</span>" in html


def test_a_source_that_holds_its_name_does_not_repeat_it(full):
    from propwatch.render.html import named_as

    a = full.attributions[0]
    src = a.source.model_copy(update={"text": "Republican vice-presidential nominee Gov. Mike Pence (R-IN)"})
    assert named_as(a.model_copy(update={"source": src, "source_name": "Gov. Mike Pence"})) is None
    assert named_as(a.model_copy(update={"source": src, "source_name": "Mike"})) is None  # a whole word of it
    assert named_as(a.model_copy(update={"source": src, "source_name": "Mike Pen"})) == "Mike Pen"
    assert named_as(a.model_copy(update={"source": src, "source_name": "Karen Pence"})) == "Karen Pence"


def test_a_pronoun_tied_to_no_name_says_so(full):
    """The op-ed's "they want total control" is typed named with no name: listed bare under named sources, it read as
    if the article said who."""
    from propwatch.render.html import NO_NAME_FOUND, named_as

    a = full.attributions[0]
    they = a.model_copy(update={"source": a.source.model_copy(update={"text": "they"}), "source_name": None,
                                "source_type": "named"})
    assert named_as(they) == NO_NAME_FOUND
    assert f"they <span class=\"name\">({NO_NAME_FOUND})</span>" in render_html(
        full.model_copy(update={"attributions": [they]}))
    writer = they.model_copy(update={"source": a.source.model_copy(update={"text": "I"})})
    assert named_as(writer) is None  # the writer: no note
    anonymous = they.model_copy(update={"source_type": "anonymous"})
    assert named_as(anonymous) is None


def test_an_attribution_without_content_of_its_own_says_what_it_points_to(full):
    """Kept because another attribution follows in its sentence: a blank after the cue read as a broken entry."""
    from propwatch.render.html import NESTED_CONTENT

    nested = [full.attributions[0].model_copy(update={"content": []}), *full.attributions[1:]]
    side = render_html(full.model_copy(update={"attributions": nested}))
    side = side[side.index('<aside class="side"'):side.index("</aside>")]
    assert f'<span class="cue">reports</span> <span class="name">{NESTED_CONTENT}</span>' in side
    assert side.count(NESTED_CONTENT) == 1


def test_a_colon_cue_is_not_followed_by_a_second_colon(full):
    """A headline's or a transcript turn's cue is the colon itself ("PENCE: Well, look, …"): "PENCE ::" read as a
    typo."""
    colon = full.attributions[0].model_copy(update={"cue": full.attributions[0].cue.model_copy(update={"text": ":"})})
    side = render_html(full.model_copy(update={"attributions": [colon, *full.attributions[1:]]}))
    side = side[side.index('<aside class="side"'):side.index("</aside>")]
    assert '<span class="cue">:</span> <q>' in side
    assert '<span class="cue">:</span>:' not in side

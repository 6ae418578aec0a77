import io
import re

import propwatch_test_fakes as fakes
import pytest
from rich.console import Console

from propwatch.render import render_terminal
from propwatch.render.terminal import article_text
from propwatch.techniques import get


def report(analysis, width=100, **console_options) -> str:
    # No colour unless a test asks: the same result under `pytest -s` in a terminal as in CI.
    console = Console(record=True, width=width, **{"color_system": None, **console_options})
    render_terminal(analysis, console)
    return console.export_text()


def test_every_span_is_labelled_after_its_end(analysis):
    out = report(analysis)
    # Without colour each span is closed with "}" and its label, so the count per technique is exact.
    assert out.count("}[") == len(analysis.spans)
    for technique, n in analysis.technique_counts.items():
        assert out.count(f"}}[{get(technique).short}]") == n, technique


def test_nested_and_same_stretch_spans_each_keep_their_label(analysis):
    out = " ".join(report(analysis, width=120).split())
    assert "{{pseudo-caliphate}[NAME]}[LOAD]" in out
    assert ("{The strange thing is that during this time {no one really even tried}[EXAG] to destroy them.}[DOUBT]"
            in out)


def test_legend_counts_and_total(analysis):
    out = report(analysis)
    assert re.search(r"\[LOAD\]\s+Loaded language\s+5\b", out)
    assert re.search(r"\[DOUBT\]\s+Doubt\s+2\b", out)
    assert re.search(r"\[FLAG\]\s+Flag-waving\s+1\b", out)
    assert re.search(rf"total\s+{len(analysis.spans)}\b", out)
    assert "Slogan" not in out  # only techniques present


def test_score_model_and_top_sentences(analysis):
    out = report(analysis)
    assert f"Article score {analysis.score:.0%}" in out
    assert "length-weighted mean of the sentence scores" in out
    assert "fake-model 9.9.9" in out and "124 ms" in out
    top = out[out.index("Most propagandistic sentences"):]
    assert top.index("93%") < top.index("90%") < top.index("88%")
    assert "pseudo-caliphate in Syria." in top


def test_rich_markup_in_the_article_prints_literally():
    text = "Title [bold]x[/bold]\n\nThey said [bold]never[/bold] and [/] then [red]fine[/red] [link=http://a]b[/link]."
    analysis = fakes.make_analysis(text, [("[bold]never[/bold]", "loaded_language", 0.9), ("[/]", "doubt", 0.5)])
    for options in ({}, {"force_terminal": True, "color_system": "truecolor"}):
        out = report(analysis, **options)
        assert "Title [bold]x[/bold]" in out
        assert "[bold]never[/bold]" in out and "[/]" in out and "[red]fine[/red]" in out
        assert "[link=http://a]b[/link]" in out


def test_colour_highlights_use_the_innermost_span_and_mark_nesting(analysis):
    text = article_text(analysis)
    plain = text.plain
    styled = {plain[s.start:s.end]: str(s.style) for s in text.spans}
    assert "on #EE7733" in styled["crushing defeat"]  # loaded language colour as background
    assert "underline" not in styled["crushing defeat"]
    nested = styled["no one really even tried"]
    assert f"on {get('exaggeration_minimisation').colour}" in nested and "underline" in nested
    assert "{" not in plain  # brackets only when there is no colour


def test_no_color_keeps_the_span_starts_visible(analysis):
    out = report(analysis, force_terminal=True, color_system="truecolor", no_color=True)
    assert "{crushing defeat}[LOAD]" in out


@pytest.mark.parametrize("width, limit", [(80, 80), (120, 100), (200, 100)])
def test_fits_the_terminal_and_caps_prose_width(analysis, width, limit):
    lines = report(analysis, width=width).splitlines()
    assert max(len(line) for line in lines) <= limit


def test_an_article_without_spans(analysis):
    out = report(analysis.filtered(min_score=1.0))
    assert "No propaganda techniques found." in out
    assert "}[" not in out and "Most propagandistic" not in out


def test_title_not_in_the_text_is_printed_as_a_heading():
    analysis = fakes.make_analysis("Body only. Loaded words here.", [("Loaded words", "loaded_language", 0.7)],
                                   title="A headline from the page")
    out = report(analysis)
    assert "A headline from the page" in out and "{Loaded words}[LOAD]" in out


HOSTILE = (
    "Breaking \x1b]0;pwned\x07 news\x1b[2J\n\n"
    "Read \x1b]8;;https://evil.example/\x1b\\the official report\x1b]8;;\x1b\\ now. "
    "They lie\x9b31m to you\r every day.\x7f The so-called experts hide it.\x00\x08\n"
)
_SGR = re.compile(r"\x1b\[[0-9;]*m")  # rich's own colours: the only escape sequences allowed out


@pytest.mark.parametrize("options", [{}, {"color_system": "truecolor", "force_terminal": True}],
                         ids=["plain", "colour"])
def test_no_control_character_of_the_article_reaches_the_terminal(options):
    hostile = fakes.make_analysis(HOSTILE, [("the official report", "appeal_to_authority", 0.8),
                                            ("They lie\x9b31m to you", "loaded_language", 0.7)],
                                  title="Breaking \x1b]0;pwned\x07 news\x1b[2J", source="evil\x1b[2J.txt")
    console = Console(file=io.StringIO(), width=100, **{"color_system": None, **options})
    render_terminal(hostile, console)
    out = console.file.getvalue()
    rest = _SGR.sub("", out)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", rest), repr(rest)
    if not options:
        assert "\x1b" not in out  # no colour: nothing at all
    assert "␛]0;pwned␇" in rest and "␛[2J" in rest and "␛]8;;https://evil.example/␛\\" in rest
    assert "<U+009B>31m" in rest and "␍" in rest and "␡" in rest
    assert "official report" in rest and "[AUTH]" in rest  # the article is still there, spans and all


def test_json_and_html_keep_the_text_exact():
    from propwatch.render import render_html, to_json
    from propwatch.schema import Analysis

    hostile = fakes.make_analysis(HOSTILE, [("the official report", "appeal_to_authority", 0.8)])
    assert Analysis.model_validate_json(to_json(hostile)).article.text == hostile.article.text
    html = render_html(hostile)
    assert "\x1b]8;;https://evil.example/" in html  # exact (a browser shows no escape sequences)
    assert "<script" not in html.split("</head>", 1)[1].lower()


# -- who says so, and the cast --------------------------------------------------------------------------------
@pytest.fixture
def full():
    return fakes.make_full_analysis()


@pytest.mark.parametrize("options", [{}, {"force_terminal": True, "color_system": "truecolor"},
                                     {"force_terminal": True, "color_system": "truecolor", "no_color": True}],
                         ids=["plain", "colour", "no-color"])
def test_who_says_so_groups_sources_anonymous_first(full, options):
    out = _SGR.sub("", report(full, width=120, **options))
    section = " ".join(out[out.index("Who says so"):out.index("Cast")].split())
    assert "6 attributions: 3 anonymous, 1 unsourced, 2 named" in section
    anonymous, unsourced, named = (section.index(h) for h in
                                   ("Anonymous sources (3)", "Unsourced (1)", "Named sources (2)"))
    assert anonymous < unsourced < named
    assert anonymous < section.index("Our source in the military") < section.index("reports") < unsourced
    assert "(no source) reportedly almost fifty killed in just two days 74%" in section
    assert "The Americans (United States) believe" in section  # the name when the source text differs
    assert "the United States (United States)" not in section
    assert "the withdrawal of the Americans" in section
    assert "a form of appeal to authority" in section  # the link to the technique, said where readers look


@pytest.mark.parametrize("options", [{}, {"force_terminal": True, "color_system": "truecolor"}],
                         ids=["plain", "colour"])
def test_cast_lists_heroes_villains_victims_with_roles_and_mentions(full, options):
    out = _SGR.sub("", report(full, width=120, **options))
    cast = out[out.index("Cast"):out.index("Most propagandistic")]
    heroes, villains, victims = (cast.index(h) for h in ("Heroes (1)", "Villains (2)", "Victims (1)"))
    assert heroes < villains < victims
    assert re.search(r"Russia\s+state\s+Guardian\s+71%\s+3\b", cast)
    assert re.search(r"ISIS\s+organisation\s+Terrorist\s+88%\s+9\b", cast)
    assert re.search(r"United States\s+state\s+Traitor, Incompetent\s+82%\s+14\b", cast)
    assert cast.index("ISIS") < cast.index("United States")  # the strongest first
    assert re.search(r"the Kurds\s+group\s+Victim\s+77%\s+7\b", cast[victims:])
    assert "Also mentioned: Turkey (1)" in cast
    assert "often wrong" in " ".join(cast.split())  # the role model's limits, said beside the cast


def test_without_attributions_or_actors_there_are_no_empty_sections(analysis):
    out = report(analysis)
    assert "Who says so" not in out and "Cast" not in out and "Also mentioned" not in out
    only_others = fakes.make_full_analysis()
    only_others = only_others.model_copy(update={"attributions": [],
                                                 "actors": [a for a in only_others.actors if a.main_role is None]})
    out = report(only_others)
    assert "Who says so" not in out and "Heroes" not in out and "Also mentioned: Turkey (1)" in out


def test_sources_and_actors_from_the_article_cannot_reach_the_terminal(full):
    from propwatch.schema import TextSpan

    text = full.article.text
    cue = full.attributions[0].cue
    evil = full.attributions[0].model_copy(update={"source_name": "Evil\x1b]0;pwned\x07"})
    actor = full.actors[0].model_copy(update={"name": "Bad\x1b[2J actor", "fine_roles": ["Traitor\x9b"]})
    hostile = full.model_copy(update={"attributions": [evil], "actors": [actor]})
    assert text[cue.start:cue.end] == TextSpan.model_validate(cue.model_dump()).text
    for options in ({}, {"force_terminal": True, "color_system": "truecolor"}):
        console = Console(file=io.StringIO(), width=100, **{"color_system": None, **options})
        render_terminal(hostile, console)
        rest = _SGR.sub("", console.file.getvalue())
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", rest), repr(rest)
        assert "Evil␛]0;pwned␇" in rest and "Bad␛[2J actor" in rest and "Traitor<U+009B>" in rest


@pytest.mark.parametrize("width", [80, 120])
def test_sections_fit_the_terminal(full, width):
    assert max(len(line) for line in report(full, width=width).splitlines()) <= min(width, 100)


def test_partly_overlapping_spans_are_not_drawn_as_nested():
    """`{have betrayed {every}[LOAD] patriotic American}[FLAG]` read as Loaded language on "every" alone, while
    the analysis has it on "have betrayed every" (the newsroom issue, defect 1): a crossing span's opening
    brace names its technique, so each span can be read from its braces."""
    text = "Title\n\nThey have betrayed every patriotic American today."
    analysis = fakes.make_analysis(text, [("have betrayed every", "loaded_language", 0.8),
                                          ("every patriotic American", "flag_waving", 0.7)])
    out = " ".join(report(analysis).split())
    assert "{LOAD:have betrayed {FLAG:every}[LOAD] patriotic American}[FLAG]" in out
    nested = fakes.make_analysis(text, [("have betrayed every patriotic American", "loaded_language", 0.8),
                                        ("every patriotic American", "flag_waving", 0.7)])
    assert "{have betrayed {every patriotic American}[FLAG]}[LOAD]" in " ".join(report(nested).split())


def test_an_attribution_without_content_of_its_own_says_what_it_points_to(full):
    from propwatch.render.html import NESTED_CONTENT

    nested = [full.attributions[0].model_copy(update={"content": []}), *full.attributions[1:]]
    out = _SGR.sub("", report(full.model_copy(update={"attributions": nested}), width=160))
    section = " ".join(out[out.index("Who says so"):out.index("Cast")].split())
    assert f"reports {NESTED_CONTENT}" in section and section.count(NESTED_CONTENT) == 1


def test_a_narrow_terminal_wraps_the_sources_and_spans_and_cuts_no_word(full):
    """At 50 columns the "Who says so" cells fold long words instead of ending them with "…" ("authoritie…"),
    and a span's words wrap under their own column, not back under the codes."""
    out = report(full, width=50)
    sources = out[out.index("Who says so"):out.index("\nCast")]
    assert "authority" in sources and not re.search(r"\w…", sources)
    lines = out[:out.index("Who says so")].splitlines()
    listed = lines[max(i for i, line in enumerate(lines) if line.startswith("Spans")) + 1:]
    assert any(line.startswith(" ") for line in listed if line.strip())  # some span did wrap
    assert all(line.startswith("[") or line.startswith(" " * 13) for line in listed if line.strip())

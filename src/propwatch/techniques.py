"""The taxonomy: the 14 propaganda techniques of SemEval-2020 Task 11 (Da San Martino et al., 2020).

Each technique has a stable ``id`` used everywhere in propwatch (JSON, CLI filters, the model's output
channels), the exact ``ptc_label`` used by the PTC label files and the SemEval submission formats, a display
name, a one-sentence definition and an illustrative example written for this project.

Colours: 14 categories cannot all be told apart by every colour-blind reader, so the palette follows the
colour-blind-safe qualitative sets of Paul Tol ("muted" 9 + "light"/"bright" complements) and every view also
prints the technique's name or short code next to the colour; colour is never the only cue.
The order of ``TECHNIQUES`` is the order of the model's output channels: never reorder, only append.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    id: str
    ptc_label: str
    name: str
    short: str
    definition: str
    example: str
    colour: str


TECHNIQUES: tuple[Technique, ...] = (
    Technique(
        "appeal_to_authority", "Appeal_to_Authority", "Appeal to authority", "AUTH",
        "States that a claim is true because an authority or expert (real, vague or anonymous) says so, "
        "without other evidence.",
        "\"A source high in the ministry assures us the plan cannot fail.\"",
        "#332288",
    ),
    Technique(
        "appeal_to_fear", "Appeal_to_fear-prejudice", "Appeal to fear or prejudice", "FEAR",
        "Builds support for an idea by stoking anxiety or panic about an alternative, possibly "
        "preying on prejudice.",
        "\"If the border stays open, our towns will be overrun by criminals within a year.\"",
        "#CC6677",
    ),
    Technique(
        "bandwagon_reductio", "Bandwagon,Reductio_ad_hitlerum", "Bandwagon or reductio ad Hitlerum", "BAND",
        "Urges the audience to join because everyone else does, or rejects an idea because a despised "
        "group supports it.",
        "\"Every sensible nation has already signed; only dictators still refuse.\"",
        "#882255",
    ),
    Technique(
        "black_and_white", "Black-and-White_Fallacy", "Black-and-white fallacy", "B&W",
        "Presents two alternatives as the only possibilities when more exist.",
        "\"Either you back this bill or you want the children to go hungry.\"",
        "#117733",
    ),
    Technique(
        "causal_oversimplification", "Causal_Oversimplification", "Causal oversimplification", "CAUSE",
        "Assumes one cause for an issue that has many, or blames a single actor for a complex outcome.",
        "\"Prices went up the week the new mayor took office, so the mayor caused inflation.\"",
        "#44AA99",
    ),
    Technique(
        "doubt", "Doubt", "Doubt", "DOUBT",
        "Questions the credibility of someone or something without offering evidence.",
        "\"Can we really trust a minister who once worked for a bank?\"",
        "#88CCEE",
    ),
    Technique(
        "exaggeration_minimisation", "Exaggeration,Minimisation", "Exaggeration or minimisation",
        "EXAG",
        "Represents something as far better or worse than it is, or downplays something that matters.",
        "\"The protest was a handful of bored teenagers\" (of a crowd of thousands).",
        "#DDCC77",
    ),
    Technique(
        "flag_waving", "Flag-Waving", "Flag-waving", "FLAG",
        "Plays on patriotism or group identity to justify or promote an action or idea.",
        "\"No true patriot would question the army at a moment like this.\"",
        "#AA4499",
    ),
    Technique(
        "loaded_language", "Loaded_Language", "Loaded language", "LOAD",
        "Uses words or phrases with strong emotional connotations to sway the audience.",
        "\"The regime's bloodthirsty thugs stormed the peaceful village.\"",
        "#EE7733",
    ),
    Technique(
        "name_calling", "Name_Calling,Labeling", "Name calling or labelling", "NAME",
        "Labels the object of the argument as something the audience fears, hates or admires.",
        "\"The so-called experts of the globalist elite have spoken again.\"",
        "#0077BB",
    ),
    Technique(
        "repetition", "Repetition", "Repetition", "REP",
        "Repeats the same message over and over so that the audience comes to accept it.",
        "\"They lied about the war. They lied about the money. They lied to you.\"",
        "#BBBBBB",
    ),
    Technique(
        "slogans", "Slogans", "Slogan", "SLOG",
        "A brief, striking phrase that may include labelling and stereotyping, meant as a call to act.",
        "\"Take back our streets!\"",
        "#EE3377",
    ),
    Technique(
        "thought_terminating_cliche", "Thought-terminating_Cliches", "Thought-terminating cliché",
        "CLICHE",
        "A short, generic phrase that discourages critical thought and ends the discussion.",
        "\"It is what it is.\"",
        "#009988",
    ),
    Technique(
        "whataboutism_strawman", "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism, straw man or red herring", "WHAT",
        "Deflects criticism by pointing at an opponent's hypocrisy, distorts the opponent's position, or "
        "changes the subject.",
        "\"Why complain about our censorship when their newspapers lie every day?\"",
        "#CCBB44",
    ),
)

TECHNIQUE_IDS: tuple[str, ...] = tuple(t.id for t in TECHNIQUES)
_BY_ID = {t.id: t for t in TECHNIQUES}
_BY_LABEL = {t.ptc_label: t for t in TECHNIQUES}


def get(technique: str) -> Technique:
    """Look a technique up by id or by its PTC label (case-insensitive for ids)."""
    found = _BY_ID.get(technique) or _BY_ID.get(technique.lower()) or _BY_LABEL.get(technique)
    if found is None:
        raise KeyError(technique)
    return found


def parse_filter(value: str | None) -> frozenset[str] | None:
    """Turn ``"loaded_language,doubt"`` (ids, PTC labels or short codes) into a set of ids.

    Used by ``--techniques`` and the API's ``techniques`` option; raises ``ValueError`` listing the valid ids.
    """
    if value is None or not value.strip():
        return None
    by_short = {t.short.lower(): t for t in TECHNIQUES}
    chosen = set()
    # PTC labels contain commas ("Name_Calling,Labeling"), so only split on commas outside a known label.
    rest = value
    for t in TECHNIQUES:
        if t.ptc_label in rest:
            chosen.add(t.id)
            rest = rest.replace(t.ptc_label, "")
    for part in (p.strip() for p in rest.split(",")):
        if not part:
            continue
        found = _BY_ID.get(part.lower()) or by_short.get(part.lower())
        if found is None:
            raise ValueError(
                f"unknown technique {part!r}; valid ids are: {', '.join(TECHNIQUE_IDS)}"
            )
        chosen.add(found.id)
    return frozenset(chosen)

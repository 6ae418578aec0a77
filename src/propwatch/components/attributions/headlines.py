"""Headlines that quote someone with a colon: "Pence: Gennifer Flowers Won't Be at Debate".

News headlines put the speaker before a colon and what they said after it. PolNeAR marks these as attributions
whose source is the name, whose cue is the colon itself and whose content is the rest of the headline: 80 of the
97 headlines of its `train` part that have this form (the article's first line, a short capitalised name of at
most five words before the colon, not a column label such as "The Latest" or "Breaking"). The tagger can never
find them on its own: a cue of punctuation alone is trimmed away when tags become spans. So where the headline
has this form and the tagger found no cue in it, the name becomes the source, the colon the cue, and the rest of
the headline the content (in PolNeAR the whole rest of the headline is the content; the tagger, where it marks
some, often stops at a comma). The form, the five-word limit and the
labels were read off PolNeAR `train` headlines; BENCHMARKS.md, "Attributions", gives the dev figures with the rule.
"""

from __future__ import annotations

import re

from .decode import RoleSpan, words_of

HEADLINE_SCORE = 0.5  # a rule, not the tagger: the score a reader sees is a coin's, as for the lexical cues
MAX_NAME_WORDS = 5
MAX_HEADLINE_WORDS = 30
# Column and teaser labels that stand before a colon and are nobody's words ("The Latest: Trump urges ...").
LABELS = frozenset({
    "the latest", "breaking", "breaking news", "exclusive", "wow", "look", "watch", "revealed", "busted", "boom",
    "bombshell", "just leaked", "just in", "developing", "byline", "update", "live", "video", "photos", "opinion",
    "analysis", "editorial", "correction", "related", "read more", "urgent", "fix is in", "paid notice",
    "delegate update",
    # not in PolNeAR's headlines, but the same kind of label in other news
    "note", "editor's note", "editor’s note", "updated", "explainer", "factbox", "fact check", "timeline",
    "commentary", "review", "interview", "podcast", "quiz", "q&a", "in pictures", "in depth", "profile", "obituary",
    "letters", "sponsored", "advertisement", "transcript", "summary", "warning", "disclaimer", "episode", "chapter",
    "exposed", "flashback", "must read", "must watch",
    # the labels of an article's furniture, which a transcript's speakers must not be taken for (``transcripts``)
    "see also", "read also", "also read", "keys", "tags", "topics", "photo", "image", "credit",
    "via", "h/t", "hat tip", "contact", "email", "ps", "p.s", "click here", "follow us", "share this",
})
# A topic before the colon, not a speaker: an explainer's gerund opening it ("Understanding Mueller: …"; a list,
# since "King" or "Manning" are names) or a choice ("BREXIT OR BRINO: …"). Read off PTC's unlabelled articles,
# whose opinion headlines have this form; none of PolNeAR's 97 train headlines with a colon that name their
# source has it.
_TOPIC = re.compile(r"^(?:understanding|explaining|remembering|rethinking|debunking|decoding|unpacking|examining|"
                    r"revisiting|inside)\b|\b(?:or|vs\.?|versus)\b", re.IGNORECASE)
_HEADLINE_COLON = re.compile(r"([^:\n]{1,80}?)\s*:\s+(?=\S)")
_TRAILING = " \t.,;:!?'\"’”"
_LEADING = "'\"‘“"


def _name_of(headline: str) -> re.Match[str] | None:
    m = _HEADLINE_COLON.match(headline)
    if not m:
        return None
    name = m.group(1).strip()
    words = name.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or words[0] in ("The", "A", "An") or not words[0][0].isupper():
        return None
    if name.lower().strip("'’ ") in LABELS or any(c.isdigit() for c in name):  # "Day 3: ..." names nobody
        return None
    if _TOPIC.search(name):
        return None
    return m


def add_headline_attribution(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """``spans`` with the headline's colon attribution added where the module says, in reading order."""
    newline = text.find("\n")
    if newline <= 0:
        return spans
    lead = len(text) - len(text.lstrip())
    headline = text[lead:newline]
    if not headline or len(headline.split()) > MAX_HEADLINE_WORDS:
        return spans
    m = _name_of(headline)
    if m is None:
        return spans
    colon = lead + m.end(1) + headline[m.end(1) :].index(":")
    name_start, name_end = lead + m.start(1), lead + m.end(1)
    rest_start = lead + m.end()
    while rest_start < newline and text[rest_start] in _LEADING:
        rest_start += 1
    rest_end = lead + len(headline.rstrip(_TRAILING))
    in_headline = [s for s in spans if s.start < newline]
    if rest_end <= rest_start or any(s.role == "cue" for s in in_headline):
        return spans
    words = words_of(text[:newline])  # the headline's words are the article's first ones, same offsets

    def role(name: str, start: int, end: int) -> RoleSpan:
        inside = [i for i, w in enumerate(words) if start <= w.start and w.end <= end]
        return RoleSpan(name, start, end, inside[0], inside[-1], HEADLINE_SCORE)

    kept = [s for s in spans if not (s.role == "source" and s.start < name_end and name_start < s.end)
            and not (s.role == "content" and s.start < rest_end and rest_start < s.end)]
    added = [role("source", name_start, name_end), role("cue", colon, colon + 1), role("content", rest_start, rest_end)]
    return sorted(kept + added, key=lambda s: (s.start, s.end))

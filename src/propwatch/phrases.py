"""Where a highlighted phrase begins and ends: the rules that keep a technique span from stopping before the
word that closes its phrase ("with their bare" before "hands"), from starting inside one ("up in a lawless
wasteland" without "ended") or from cutting a name in two ("a blow to the Prime" before "Minister").

The span decoding (``model.decode``) applies them and the boundary measures (``metrics.boundaries``) count them
with the same definitions, for the model's spans and the annotators' alike. Each rule returns where the span
should start or end instead, or None when it is whole. The words they read are ``propwatch.words``.
"""

from __future__ import annotations

import re

from .words import (
    DETERMINERS,
    EDGE_PUNCTUATION,
    FUNCTION_WORDS,
    NEXT_WORD,
    bare,
    ends_dangling,
    is_prenominal,
    word_before,
)

# A sentence's end right after a span: its full stop, question or exclamation mark, then a space, a closing quote
# or the end of the text ("17.4 million" is no sentence end).
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"”’')]|$)")


def dangles(text: str, start: int, end: int) -> bool:
    """Whether the span ``text[start:end]`` ends on a word that cannot end a phrase (``ends_dangling``) or on the
    subject of a clause that goes on without it (``subject_left_open``) where its sentence goes on: a stranded
    preposition that ends the sentence ("what they wish for.", "so they have to.") ends it whole, as a full stop
    inside the span does."""
    if _SENTENCE_END.match(text, end) is not None:
        return False
    return (ends_dangling(text[start:end]) or subject_left_open(text, start, end)
            or modal_left_open(text, start, end))


# Pronouns that are only ever subjects: a span ending on one with its verb next has cut a clause in two. "it" and
# "you" are objects as often ("leave it alone", "thank you very much"), so they stay out.
_SUBJECT_PRONOUNS = frozenset("i he she we they".split())


def subject_left_open(text: str, start: int, end: int) -> bool:
    """Whether a span of two words or more ends on a subject pronoun whose clause goes on right after it, only
    spaces between ("because he" before "was overshadowed", "everything we" before "wanted"). Annotators end a
    span on a pronoun only where punctuation follows it."""
    words = text[start:end].split()
    return (len(words) >= 2 and words[-1].lower() in _SUBJECT_PRONOUNS
            and NEXT_WORD.match(text, end) is not None)


# Modal auxiliaries: a span ending on one with a word next has left its verb phrase behind ("departure of the
# Americans and Kurds will" before "in any case bring them closer", the example article). Annotators end 2 of
# PTC's 6,087 spans so; `fast` ended 9 of 2,130 on the 90 unlabelled articles so (both counts from a one-off
# script), 3 of them false alarms that the checks below leave out ("May said", "kick the can down").
MODALS = frozenset("will would can could should may might must shall".split())


def modal_left_open(text: str, start: int, end: int) -> bool:
    """Whether a span of two words or more ends on a modal auxiliary, written in lower case (not "May", the name)
    and not after a determiner ("the can"), whose clause goes on right after it, only spaces between."""
    words = text[start:end].split()
    return (len(words) >= 2 and words[-1] in MODALS and words[-2].lower() not in DETERMINERS
            and NEXT_WORD.match(text, end) is not None)


_AUXILIARIES = MODALS | frozenset("do does did have has had".split())
_NOT_CONTENT = FUNCTION_WORDS | _AUXILIARIES  # words that close no phrase as its noun or complement


def _open_words(text: str, start: int, end: int) -> list[str] | None:
    """The span's words when its end may leave a phrase open: two words at least, and no punctuation closing it
    (a full stop, comma or closing quote ends the phrase where the span ends). None otherwise."""
    piece = text[start:end]
    words = piece.split()
    return None if len(words) < 2 or piece.rstrip()[-1:] in ".,;:!?\"”’)" else words


# Past participles that stand for people after "the" ("the injured said", "the accused denied"): a noun there,
# not a modifier waiting for one.
PARTICIPLE_NOUNS = frozenset(
    "accused injured wounded deceased displaced dead damned oppressed disabled aged beloved condemned detained "
    "arrested abused bereaved persecuted enslaved elected unemployed undocumented unvaccinated vaccinated "
    "disappeared departed kidnapped killed exploited forgotten betrayed marginalized marginalised".split()
)


def _participle_after_determiner(words: list[str]) -> bool:
    """Whether the last word is a past participle right after a determiner ("this unexpected" before
    "breakthrough", "the so-called" before "rebels"): a modifier there, unless it names people
    (``PARTICIPLE_NOUNS``)."""
    return len(words) >= 2 and bare(words[-2]) in DETERMINERS and _modifying_participle(words[-1])


def _modifying_participle(word: str) -> bool:
    """Whether ``word`` is a past participle that can modify a noun ("rejigged", "so-called"), not one that names
    people (``PARTICIPLE_NOUNS``)."""
    w = bare(word)
    return len(w) > 4 and w.endswith("ed") and w.replace("-", "").isalpha() and w not in PARTICIPLE_NOUNS


# Words ending in "'s" that are a pronoun and a verb ("it's too late"), not a possessive waiting for its noun.
_CONTRACTIONS = frozenset(
    "it's that's he's she's there's here's what's who's let's where's how's when's why's everyone's".split())


def _possessive(word: str) -> bool:
    """Whether ``word`` is a possessive ("the party's", "Mrs May's"), which a noun must follow."""
    w = bare(word).replace("’", "'")
    return w.endswith("'s") and len(w) > 2 and w not in _CONTRACTIONS


def noun_left_behind(text: str, start: int, end: int) -> int | None:
    """Where the noun a span's last words modify ends, when the span stops before it: its last word is a
    prenominal modifier within two words of a determiner ("with their bare", "every patriotic", "the corrupt,
    spineless"), a past participle right after one ("this unexpected"), or a possessive ("keen as the party's"
    before "members", "better than Mrs May's" before "plan"), and a content word follows in the same phrase
    (only spaces between), past at most two more modifiers ("Theresa May’s rejigged" before "Brexit deal"). None
    when the phrase is whole."""
    words = _open_words(text, start, end)
    if words is None:
        return None
    modifier = is_prenominal(words[-1]) and any(bare(w) in DETERMINERS for w in words[-3:-1])
    if not modifier and not _participle_after_determiner(words) and not _possessive(words[-1]):
        return None
    pos = end
    for _ in range(3):  # the noun, past at most two more modifiers ("their bare, bloody hands" has a comma: no)
        match = NEXT_WORD.match(text, pos)
        if match is None or bare(match.group(1)) in _NOT_CONTENT:
            return None
        pos = match.end()
        if not is_prenominal(match.group(1)) and not _modifying_participle(match.group(1)):
            return pos
    return None


_COPULAS = frozenset("is are was were be been am".split())


def _content_word_after(text: str, start: int, end: int, heads: frozenset[str]) -> int | None:
    """Where the next word ends, when a span that may leave a phrase open stops on one of ``heads`` and a content
    word follows in the same clause (only spaces between); None otherwise."""
    words = _open_words(text, start, end)
    if words is None or bare(words[-1]) not in heads:
        return None
    match = NEXT_WORD.match(text, end)
    if match is None or bare(match.group(1)) in _NOT_CONTENT:
        return None
    return match.end()


def complement_left_behind(text: str, start: int, end: int) -> int | None:
    """Where the complement of a span's last word ends, when the span stops on a copula whose complement follows
    in the same clause ("where no family is" before "safe", "Pressure is" before "mounting"). "who we are" (no
    word follows) and "the statistic is that" (a function word follows) are whole. None when nothing is left."""
    return _content_word_after(text, start, end, _COPULAS)


# Adverbs of degree that stand before the word they grade ("too late", "extremely dangerous"). "very" is a
# dangling word already; "so" and "more" are left out: "remains so today", "no more delays" end whole.
_DEGREE_ADVERBS = frozenset("too extremely quite incredibly utterly terribly awfully".split())


def degree_left_behind(text: str, start: int, end: int) -> int | None:
    """Where the word an adverb of degree grades ends, when a span stops on the adverb and that word follows in
    the same phrase ("before it's too" before "late"). A sentence-final "too" ("voted for it too.") is followed
    by punctuation or a function word and is whole. None when nothing is left."""
    return _content_word_after(text, start, end, _DEGREE_ADVERBS)


# Object pronouns: after a verb they close its phrase ("tried to destroy" before "them"). "her", "it" and "you"
# are left out: "her" is as often a determiner, "it" and "you" as often the subject of what follows.
_OBJECT_PRONOUNS = frozenset("them him us me".split())
# Words that are never the verb of a phrase (function words, auxiliaries, copulas).
_NOT_A_VERB = _NOT_CONTENT | _COPULAS


def object_left_behind(text: str, start: int, end: int) -> int | None:
    """Where a verb's object pronoun ends, when a span stops on the verb and the pronoun follows in the same
    clause ("no one really even tried to destroy" before "them", "will crush" before "us"). The last word is a
    verb when "to" or an auxiliary stands before it, or it ends in "-ed" ("betrayed" before "us"). None when
    nothing is left."""
    words = _open_words(text, start, end)
    if words is None:
        return None
    last, before = bare(words[-1]), bare(words[-2])
    if not last.isalpha() or last in _NOT_A_VERB:
        return None
    if before != "to" and before not in _AUXILIARIES and not last.endswith("ed"):
        return None
    match = NEXT_WORD.match(text, end)
    if match is None or bare(match.group(1)) not in _OBJECT_PRONOUNS:
        return None
    return match.end()


# Reporting verbs that end a quotation's sentence ('… the good," May said.'): the span before them is the
# quotation and its speaker, not a phrase the verb completes.
_SAID = frozenset(
    "said says added explained told wrote noted claimed argued insisted warned stated continued asked replied "
    "tweeted declared concluded".split())
# A sentence's last word: spaces before it, its full stop, question or exclamation mark after it, then a space, a
# closing quote or the end ("17.4 million" is no sentence end).
_LAST_WORD = re.compile(r"[ \t]+([\w'’-]*\w)(?=" + _SENTENCE_END.pattern + ")")


def last_word_left_behind(text: str, start: int, end: int) -> int | None:
    """Where a sentence's last word ends, when a span of two words or more stops just before it ("the petulant"
    before "President.", "what they wish" before "for.", "in five" before "minutes."): the model's token
    probabilities often fade on that word, and annotators seldom leave it out. A span of one word stays (a loaded
    adjective alone, "catastrophic" before "defeat.", is how annotators often mark one), and so does a quotation
    before its reporting verb ("May" before "said."). None when nothing is left."""
    words = _open_words(text, start, end)
    if words is None:
        return None
    match = _LAST_WORD.match(text, end)
    if match is None or bare(match.group(1)) in _SAID:
        return None
    return match.end(1)


def phrase_left_open(text: str, start: int, end: int) -> int | None:
    """Where a span that stops before the word closing its phrase should end (``noun_left_behind``, then
    ``complement_left_behind``, then ``degree_left_behind``, then ``object_left_behind``, then
    ``last_word_left_behind``); None when its phrase is whole."""
    for left_behind in (noun_left_behind, complement_left_behind, degree_left_behind, object_left_behind,
                        last_word_left_behind):
        closed = left_behind(text, start, end)
        if closed is not None:
            return closed
    return None


# Particles that complete a phrasal verb ("end up", "wipe out"): a span that starts on one has lost its verb.
_PARTICLES = frozenset("up out off down away".split())
_NOT_BEFORE_A_PARTICLE = _NOT_A_VERB | _PARTICLES
def verb_left_behind(text: str, start: int, end: int) -> int | None:
    """Where the verb of a phrasal verb starts, when a span starts on its particle and the verb stands just before
    it in the same clause (only spaces between): "up in a lawless wasteland" of "ended up in a lawless
    wasteland". None when the span starts whole."""
    words = text[start:end].split()
    if len(words) < 2 or bare(words[0]) not in _PARTICLES or words[0] != words[0].lower():
        return None
    match = word_before(text, start)
    if match is None or bare(match.group(1)) in _NOT_BEFORE_A_PARTICLE:
        return None
    return match.start()


def head_left_behind(text: str, start: int, end: int) -> int | None:
    """Where the head noun of an "of" phrase starts, when a span starts on "of" and the head stands just before it
    in the same clause (only spaces between): "of cronyism" of "a culture of cronyism", "of the key players" of
    "many of the key players". A word that cannot head the phrase stays out ("accusing her of presiding", "is of
    only indirect interest"). None when the span starts whole."""
    words = text[start:end].split()
    if len(words) < 2 or words[0] != "of":
        return None
    match = word_before(text, start)
    if match is None or bare(match.group(1)) in _NOT_A_VERB or not match.group(1).replace("-", "").isalpha():
        return None
    return match.start()


# Words that open a sentence as its subject, its noun phrase's determiner or its opening preposition: a span that
# starts on the next word has left one of them behind far more often in the model's spans than in the annotators'
# (counted by ``metrics.boundaries.start_words``; the table is in BENCHMARKS.md, "Span boundaries"). "A", "An",
# "And" and "But" the model leaves out no more often than annotators do, so they stay out of the list.
OPENERS = frozenset(
    "the this that these those such i he she it we they you there everyone everybody nobody in".split()
)


def opener_left_behind(text: str, start: int, end: int) -> int | None:
    """Where a sentence starts, when a span of two words or more starts on its second word and the first is a
    determiner, a subject pronoun or "In" (``OPENERS``): "This" before "brutal attack", "She" before "is a
    luxury handbag designer", "Everyone" before "knows the truth". The opener must be capitalised: a lower-case
    word after a colon goes on the sentence ("the choice is simple: the"), and so does a fragment's first word.
    None when the span starts whole."""
    if len(text[start:end].split()) < 2:
        return None
    match = word_before(text, start)
    if match is None or not match.group(1)[:1].isupper() or bare(match.group(1)) not in OPENERS:
        return None
    if not _sentence_initial(text, match.start()):
        return None
    return match.start()


# Linking words a span seldom starts on inside a sentence: the model's spans started on them far more often than
# the annotators' (counted as for ``OPENERS``). "to", "was", "with" and "as" it starts on no more often than they
# do, so those stay.
LINKS = frozenset("and is are that".split())


def link_first(text: str, start: int, end: int) -> int | None:
    """Where a span's second word starts, when the span starts inside its sentence on a linking word (``LINKS``)
    and keeps two words or more without it: "and destroy the nation" shows "destroy the nation", "is nothing but a
    puppet" shows "nothing but a puppet", as annotators mostly draw them; links in a row go together ("and that
    the organisation was waiting"). None when the span starts on a word that belongs to it."""
    if _sentence_initial(text, start):
        return None
    moved = None
    words = text[start:end].split()
    while len(words) >= 3 and words[0] in LINKS:  # "and that the organisation…", "that are distancing…"
        second = NEXT_WORD.match(text, start + len(words[0]))
        if second is None:
            break
        moved = start = second.start(1)
        words = words[1:]
    return moved


# A name as running text writes it: capitalised words ("Theresa May", "the Prime Minister"), an acronym of up to
# four letters ("DUP Deputy Leader"); a word in capitals longer than that is shouting, not a name.
_NAME_REACH = 3  # words: how far a span grows to take in the rest of a name


def _name_word(word: str) -> bool:
    w = word.strip(EDGE_PUNCTUATION)
    return bool(w) and w[0].isupper() and (not w.isupper() or (len(w) <= 4 and w.isalpha()))


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` opens a sentence, a line or a quotation (its capital says nothing)."""
    before = text[:pos].rstrip(" \t")
    return not before or before[-1] in ".!?\n\"“‘'(:"


def _title_case_line(text: str, pos: int) -> bool:
    """Whether the line holding ``pos`` capitalises most of its words (a headline): its capitals mark no names."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    words = re.findall(r"[A-Za-z][\w’']*", text[line_start : len(text) if line_end < 0 else line_end])
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def name_left_open(text: str, start: int, end: int) -> int | None:
    """Where a name ends when a span stops inside it: the span's last word is a name's word in running text and
    the next (only spaces between) is too ("a blow to the Prime" before "Minister", "fearmongering by Theresa"
    before "May", "a Donald" before "Trump"). At most ``_NAME_REACH`` words more; none in a headline in title
    case, or where the last word only opens its sentence. None when no name is cut."""
    piece = text[start:end]
    words = piece.split()
    if not words or piece.rstrip()[-1:] in ".,;:!?\"”’)" or not _name_word(words[-1]):
        return None
    if _sentence_initial(text, start + piece.rstrip().rfind(words[-1])) or _title_case_line(text, end - 1):
        return None
    grown, pos = None, end
    for _ in range(_NAME_REACH):
        match = NEXT_WORD.match(text, pos)
        if match is None or not _name_word(match.group(1)):
            break
        grown = pos = match.end()
    return grown


def name_cut_at_start(text: str, start: int, end: int) -> int | None:
    """Where a name starts when a span starts inside it: the span's first word is a name's word and the words
    before it (only spaces between) are too ("Despite Theresa" before "May’s desperate …", "by Donald" before
    "Trump’s top man"). At most ``_NAME_REACH`` words back, never onto a word that opens its sentence, and none in
    a headline in title case. None when no name is cut."""
    words = text[start:end].split()
    if not words or not _name_word(words[0]) or _title_case_line(text, start):
        return None
    moved, pos = None, start
    for _ in range(_NAME_REACH):
        match = word_before(text, pos)
        if match is None or not _name_word(match.group(1)) or _sentence_initial(text, match.start()):
            break
        moved = pos = match.start()
    return moved

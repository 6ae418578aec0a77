"""What counts as a word, a function word and a web address in article text.

Shared by the span decoding (``model.decode``: a highlight starts and ends on whole words, holds a letter, is
no piece of a URL, and does not end on a function word, as the PTC annotation guidelines draw spans), by the
attribution decoding and by the boundary measures (``metrics.boundaries``), so that what the product does and
what the benchmark counts are the same definition. Where a phrase begins and ends, built on these words, is
``propwatch.phrases``.
"""

from __future__ import annotations

import re

# Words that cannot end a phrase: a span ending on one has lost what follows ("the enemies of", "destruction
# and", "the likes of"). Articles, prepositions, conjunctions and possessive determiners only: verbs and pronouns
# end phrases well ("Yes we can", "who we are", "destroy them").
DANGLING_WORDS = frozenset(
    "a an the of at in on onto into to for by with without from about against among between over under through "
    "during after before than as and or nor but if because while although whose his her their our your my its "
    "very such every".split()
)
# Relative pronouns open a clause: a technique span ending on one has lost it ("the chagrin of those who"; a
# question ending its sentence, "Guess who?", ends whole). Apart from ``DANGLING_WORDS``, which the attribution
# decoding also reads: a PolNeAR content piece closes differently, and its figures were measured without them.
CLAUSE_OPENERS = frozenset("who whom which".split())
# Words that make no technique on their own ("at", "the").
FUNCTION_WORDS = DANGLING_WORDS | frozenset(
    "is are was were be been it this that these those he she they we you i not no so then there here".split()
)
# Words that open a noun phrase: after one, the phrase is not whole until its noun ("their bare [hands]").
DETERMINERS = frozenset("a an the their our your his her its my every this these those some any no such each".split())
# Modifiers that stand before a noun: common adjectives, and words with an adjective's ending ("patriotic",
# "lawless", "dangerous"). A span that ends on one right after a determiner has lost its noun.
PRENOMINAL_ADJECTIVES = frozenset(
    "bare great real true whole entire total big small new old good bad evil true false free full open cold hot "
    "dark deep high low long short strong weak wide huge vast mere sheer pure poor rich young little last next "
    "same only own very worst best brave proud sick fake corrupt radical".split()
)
_ADJECTIVE_ENDINGS = ("ic", "ous", "ful", "less", "ive", "ible", "able", "ish")
EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()[]{}-–—…"
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|co|ly|gl|io|ru|uk)/\S*",
                  re.IGNORECASE)


_WORD_JOINERS = "-'’"  # inside a word: "self-defense", "people’s"
_INITIAL = re.compile(r"[A-Za-z]\.")
_INITIALS_BEFORE = re.compile(r"(?<![\w.])(?:[A-Za-z]\.)+$")
_INITIALS_AFTER = re.compile(r"\.(?:[A-Za-z]\.)+")
_EDITED_INITIAL = re.compile(r"(?<!\w)\[\w{1,2}\]")  # a quoted word's first letters changed by the editor: "[W]hile"
_LEADING_JUNK = " \t,;:)]}–—-"
_TRAILING_JUNK = " \t,;:([{–—-"


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Whole words only, and no separator punctuation at either edge (", terrorists will" -> "terrorists
    will"); closing quotes and full stops stay, as in the PTC annotations. A word as a reader sees it: hyphenated
    compounds, an initialism ("E.U.", not "U.") and an editor's bracketed capital ("[W]hile") included."""
    def joined(i: int) -> bool:
        """Whether ``text[i - 1]`` and ``text[i]`` belong to one word, hyphenated compounds included: a span
        that stops at "self" in "self-defense" reads as a cut word."""
        left, right = text[i - 1], text[i]
        if left.isalnum() and right.isalnum():
            return True
        if right in _WORD_JOINERS:
            return left.isalnum() and i + 1 < len(text) and text[i + 1].isalnum()
        if left in _WORD_JOINERS:
            return right.isalnum() and i >= 2 and text[i - 2].isalnum()
        return False

    while start > 0 and joined(start):
        start -= 1
    bracket = _EDITED_INITIAL.search(text, max(0, start - 5), start)
    if bracket and bracket.end() == start and start < len(text) and text[start].isalnum():
        start = bracket.start()  # "[W]hile": the editor's bracketed capital belongs to the word
    if _INITIAL.match(text, start):
        before = _INITIALS_BEFORE.search(text, max(0, start - 12), start)
        if before:
            start = before.start()  # "U. leaders" of "E.U. leaders": an initialism is one word
    while end < len(text) and joined(end):
        end += 1
    after = _INITIALS_AFTER.match(text, end)
    if after and end >= 1 and text[end - 1].isalpha() and (end < 2 or not text[end - 2].isalnum()):
        end = after.end()  # "the U" of "the U.K.": an initialism is one word
    while start < end and text[start] in _LEADING_JUNK:
        start += 1
    while end > start and text[end - 1] in _TRAILING_JUNK:
        end -= 1
    return start, end


def bare(word: str) -> str:
    """A word without the punctuation at its edges, lower-cased: how it is looked up in the lists above."""
    return word.strip(EDGE_PUNCTUATION).lower()


def has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def url_ranges(text: str) -> list[tuple[int, int]]:
    """The character ranges of web addresses ("https://t.co/Y6TKLTGGPy", "www.example.com/x")."""
    return [m.span() for m in _URL.finditer(text)]


def cut_inside_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts or ends in the middle of a word."""
    def inside(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()

    return inside(start) or inside(end)


def is_dangling(word: str) -> bool:
    """Whether a technique span cannot end on ``word`` (``DANGLING_WORDS`` or ``CLAUSE_OPENERS``)."""
    w = bare(word)
    return w in DANGLING_WORDS or w in CLAUSE_OPENERS


def ends_dangling(text: str) -> bool:
    """Whether the last word of ``text`` is one that cannot end a phrase (``is_dangling``)."""
    words = text.split()
    return bool(words) and is_dangling(words[-1]) and not text.rstrip().endswith((".", "!", "?"))


def is_prenominal(word: str) -> bool:
    """Whether ``word`` reads as a modifier before a noun (``PRENOMINAL_ADJECTIVES`` or an adjective's ending)."""
    w = bare(word)
    return w in PRENOMINAL_ADJECTIVES or (len(w) > 4 and w.isalpha() and w.endswith(_ADJECTIVE_ENDINGS))


# The word after an offset, and the word before one, only spaces between (no punctuation: that would end the
# phrase).
NEXT_WORD = re.compile(r"[ \t]+([\w'’-]*\w[\w'’-]*)")
PREVIOUS_WORD = re.compile(r"([\w'’-]*\w[\w'’-]*)[ \t]+$")


def word_before(text: str, pos: int) -> re.Match[str] | None:
    """The whole word just before ``pos`` in the same clause (only spaces between; its text is ``group(1)``), or
    None: punctuation between, or a word longer than the look-back, which would be read as half a word."""
    match = PREVIOUS_WORD.search(text, max(0, pos - 40), pos)
    return None if match is None or cut_inside_word(text, match.start(), pos) else match

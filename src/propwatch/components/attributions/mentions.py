"""Name mentions: the runs of capitalised words an article names its people and organisations with.

A *name mention* is a run of capitalised words (titles and inner "of"/"the" allowed: "Mr. Trump", "Department of
State"), skipping sentence-initial function words and title-case lines (headlines), whose capitals mark no names.
``sources`` resolves a source to them ("Trump" -> "Donald Trump", "he" -> the nearest person, a transcript's
"PENCE" -> "Mike Pence"). They live apart from ``sources``, which types sources: finding the names in a text is a
job of its own, and the lower one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLES = frozenset("mr. mrs. ms. dr. sen. rep. gov. gen. pres. prof. president senator governor".split())
ORG_WORDS = frozenset(
    """
    agency department ministry office service services committee council party campaign house court company
    corporation inc. corp. news times post journal press network university institute foundation association
    bureau administration government army forces force police commission union group center centre
    organization organisation federation states nations republic kingdom ministry fund bank board
    """.split()
)
# Capitalised only as they open a sentence or a name: no name on their own.
NOT_NAME_WORDS = frozenset(
    """
    the a an but and or so yet in on at by for of to as if when while after before since because although
    he she it they we i you this that these those there here his her their our its my your what who which
    yes no not however meanwhile also then still now recently
    """.split()
)
ARTICLES = frozenset("the a an".split())
# Lower-case words inside a name: "Department of State", and the particles of people's names ("Bill de Blasio",
# "Ursula von der Leyen"), without which "the mayor" resolved to "Mayor Bill".
_PARTICLES = frozenset("de del della der di da du van von le la bin ibn".split())
_INNER_WORDS = frozenset("of the for".split()) | _PARTICLES
_INITIALISM = re.compile(r"(?:[A-Za-z]\.){2,}$")
_WORD = re.compile(r"[\w’'.-]+|[^\w\s]")


def _without_full_stop(name: str) -> str:
    """A name without the sentence's full stop, but with an initialism's last dot ("U.S.", not "U.S")."""
    return name if _INITIALISM.search(name) else name.rstrip(".")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str

    @property
    def words(self) -> list[str]:
        return [w.lower().strip(".’'") for w in self.text.split()]

    @property
    def organisation(self) -> bool:
        return organisation_name(self.text)


def organisation_name(name: str) -> bool:
    """A name with an organisation word ("the Justice Department"), or an acronym alone ("FBI", "NATO", "U.S."):
    "he" after "The FBI did not believe Koresh" is not the FBI."""
    words = name.split()
    if len(words) == 1 and sum(c.isupper() for c in words[0]) >= 2 and not any(c.islower() for c in words[0]):
        return True
    return any(w.lower().strip(".,’'") in ORG_WORDS for w in words)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    end = len(text) if end is None else end
    return [(start + m.start(), start + m.end(), m.group()) for m in _WORD.finditer(text[start:end])]


def ends_sentence(word: str) -> bool:
    """A token that ends a sentence: "!", "?", or a word with a final dot that is no title or initialism."""
    if word in ("!", "?", "."):
        return True
    return word.endswith(".") and word.lower() not in TITLES and not re.fullmatch(r"(?:[A-Za-z]\.)+", word)


def capitalised(word: str) -> bool:
    return word[:1].isupper()


def headline_lines(text: str) -> list[tuple[int, int]]:
    """Lines in title case ("Sanders Vows To Eliminate Tax Breaks"): their capitals mark no names."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[A-Za-z][\w’']*", m.group())
        if len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
            out.append(m.span())
    return out


def name_mentions(text: str) -> list[Mention]:
    """Runs of capitalised words, in order ("Donald Trump", "the Department of State" -> "Department of State")."""
    toks = tokens(text)
    out = []
    headlines = headline_lines(text)
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        if any(a <= s < b for a, b in headlines):
            i += 1
            continue
        sentence_start = i == 0 or ends_sentence(toks[i - 1][2]) or toks[i - 1][2] in {"“", '"'} or (
            "\n" in text[toks[i - 1][1] : s])
        if not capitalised(w) or ((sentence_start or w.lower() in ARTICLES) and w.lower() in NOT_NAME_WORDS):
            i += 1
            continue
        j = i + 1
        while j < len(toks):
            w2 = toks[j][2]
            gap = text[toks[j - 1][1] : toks[j][0]]
            if "\n" in gap or ends_sentence(toks[j - 1][2]):
                break
            if capitalised(w2):
                j += 1
            elif w2 in _INNER_WORDS:
                # one inner word, or two particles ("von der Leyen"); not "of the": "Mr. Morgan of the Sierra Club"
                # is Mr. Morgan
                k = j + 1
                if k < len(toks) and w2 in _PARTICLES and toks[k][2] in _PARTICLES:
                    k += 1
                if k < len(toks) and capitalised(toks[k][2]):
                    j = k + 1
                else:
                    break
            else:
                break
        last = j - 1
        while last > i and toks[last][2] in _INNER_WORDS:
            last -= 1
        mention = re.sub(r"[’']s$", "", _without_full_stop(text[s : toks[last][1]]))
        out.append(Mention(s, s + len(mention), mention))
        i = j
    return [m for m in out if m.text]

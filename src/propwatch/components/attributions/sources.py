"""Who a source is: its type (named, anonymous, none) and, for a named source, the text of the name's first
mention in the article.

Rules, in order (the source's *head* is its last word before a qualifier: "of", "in", "familiar", "who", a
comma, a bracket or the subject of a clause about it, "everyone I interviewed", so "Our source in the military
leadership of the Russian Federation" has the head "source" and "Sen. Bernie Sanders (I-Vt.)" the head "Sanders"):

1. no source span: ``none`` ("reportedly", "allegedly", "it is said");
2. a pronoun ("he", "they", "who") takes the type and name of its antecedent (below);
3. ``anonymous`` when the head is a word for unnamed people presented as authorities ("source", "officials",
   "experts", "specialists", "observers", "aides", "people", "someone", "some", "others"), or the phrase opens
   with an indefinite or first-person determiner ("a", "some", "several", "two", "our") before a common noun,
   or it is a count or share of a group ("Dozens of protesters", "52% of voters") or a number or quantifier
   before a group's name ("Two senior Republicans", "one Conservative MP"): unnamed members of a named group;
   or people described in the plural with no capital, article or possessive ("state regulators", "fellow
   physicians"), who refer back to no one, or with a capital only because they open a sentence or a line
   ("Delegates said", where the article writes "delegates" elsewhere: ``_people_capitalised_by_place``);
4. ``named`` otherwise: a name ("Trump", "The Americans", "the United States"), or a definite description that
   refers back to one ("the agency", "the campaign", "the president"); a poll, study or report that names its
   maker is named after the maker ("A new YouGov survey" is YouGov's; ``SourceResolver._named_producer``; "a report
   in the Des Moines Register" the Register's, ``_producer_after``), "The Charlotte Observer" is a name though
   "observers" are unnamed people (``_ends_a_name``), and
   "WHO" or "US" in capitals is a name, not a pronoun.

Resolution is deliberately simple and within the article only, over the article's *name mentions* (``mentions``:
runs of capitalised words, "Mr. Trump", "Department of State"). Then:

- a proper-name source resolves to the first mention containing its head word ("Trump" -> "Donald Trump");
- names joined by "and" are named together ("Schumer and Pelosi" -> "Chuck Schumer and Nancy Pelosi");
- "he"/"she" (and "I" inside a quotation) to the previous attribution's source when that was a named person (no
  organisation, weekday, month or feast), else
  the nearest preceding mention that looks like a person (no organisation word, not after "the", not a weekday,
  month or feast, and written in full somewhere: two words or a title); "I" outside quotation marks is the
  writer: named, with no name in the article;
- "it" to the nearest preceding organisation-looking mention;
- relative "who"/"which"/"that" to the word before it when that is an anonymous head ("economists who"), else
  the nearest preceding mention in the same sentence;
- "they"/"we" to the previous attribution's source when there is one, else the nearest mention; after one
  unnamed person ("a senior official", "the source") to no one the article names (``named``, without a name);
- a definite description of one person's office ("The Republican nominee", "The governor") to the nearest person
  named in full whose mentions, or the three words before one, carry its capitalised words or the office as a
  title ("Republican nominee Donald Trump", "Gov. Chris Christie"), else as any definite description;
- a definite description to the nearest preceding mention containing its head word capitalised ("the agency"
  -> "the National Security Agency"), else the nearest preceding organisation-looking mention, else itself; one
  with a name inside it ("Ireland's agriculture minister", "the British government") is itself.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ...sentences import split_sentences
from .mentions import (
    ARTICLES,
    NOT_NAME_WORDS,
    TITLES,
    Mention,
    capitalised,
    headline_lines,
    name_mentions,
    organisation_name,
    tokens,
)

NAMED, ANONYMOUS, NONE = "named", "anonymous", "none"

ANONYMOUS_HEADS = frozenset(
    """
    source sources official officials expert experts specialist specialists observer observers analyst analysts
    insider insiders aide aides adviser advisers advisor advisors person people persons someone somebody
    witness witnesses critic critics diplomat diplomats spokesman spokeswoman spokesperson representative
    representatives staffer staffers operative operatives strategist strategists employee employees
    investigator investigators researcher researchers scientist scientists economist economists
    report reports media rumors rumours reporter reporters journalist journalists voters residents
    some others many several few one another both those everyone anyone nobody most all member members
    supporters opponents activists authorities intelligence informant informants protesters demonstrators
    attorneys lawyers surrogates allies respondents percent groups friends neighbors neighbours relatives
    """.split()
)
INDEFINITE = frozenset(
    "a an some several many few various multiple numerous unnamed anonymous unidentified one two three four five "
    "six seven eight nine ten dozens hundreds our other certain".split()
)
# Counts and shares of a group ("Dozens of protesters", "Half of respondents", "52% of voters").
_QUANTITIES = frozenset(
    """
    one two three four five six seven eight nine ten eleven twelve dozen dozens hundreds thousands millions scores
    half third quarter majority minority most many some several few all both none each percent a an the
    more fewer less than over under nearly almost about around roughly least at up to number numbers
    significant large small growing
    """.split()
)
_SHARE = frozenset("% percent per cent".split())
# Words that make a group's name into some unnamed members of it ("Two senior Republicans", "Some Democrats").
_QUANTIFIERS = INDEFINITE - frozenset("multiple anonymous unidentified our other certain".split())
PERSONAL = frozenset("he she him her his hers i me my".split())
NEUTER = frozenset("it its".split())
PLURAL = frozenset("they them their theirs we us our ours you your".split())
RELATIVE = frozenset("who whom whose which that".split())
PRONOUNS = PERSONAL | NEUTER | PLURAL | RELATIVE
_QUALIFIERS = frozenset("of in at from with for on familiar close who whom whose which that and , ( ; : – —".split())
# A subject pronoun after a phrase's first word opens a clause about it with no "who" or "that" ("everyone I
# interviewed", "the experts we spoke to"): the phrase's head is the word before it, not the clause's verb.
_CLAUSE_SUBJECTS = frozenset("i we he she they you".split())
# Organisation words that refer back to the organisation last named, whatever its name ("the agency" after "the
# FBI"). Not "police", "government", "court" or "army": they name their own body ("police said" after "Times
# Square" had been named "Times Square", the last organisation-like name before it).
_STANDS_FOR_A_NAME = frozenset(
    "agency bureau company corporation firm organization organisation group network committee commission council "
    "administration campaign department ministry office service".split())
# Heads of a definite description that names one person's office or standing ("the senator", "the GOP nominee"):
# ``SourceResolver._office_holder`` looks for the person.
_PERSON_TITLES = frozenset(
    "nominee candidate senator governor congressman congresswoman billionaire businessman businesswoman mogul "
    "frontrunner front-runner mayor".split())
# How a name's title writes those offices ("Sen. Bernie Sanders" for "the senator").
_TITLE_FORMS = {"senator": frozenset({"sen", "senator"}), "governor": frozenset({"gov", "governor"}),
                "congressman": frozenset({"rep", "congressman"}), "congresswoman": frozenset({"rep", "congresswoman"}),
                "mayor": frozenset({"mayor"})}
# How many people named before a description of an office ``SourceResolver._office_holder`` looks back over: the
# person is named near it, and a long article must not make each description cost a pass per name.
_OFFICE_LOOKBACK = 12
# One word a party: a description's "GOP" is met by a mention's "Republican".
_PARTY = {"gop": "republican", "republicans": "republican", "democrat": "democratic", "democrats": "democratic"}
_DEMONSTRATIVES = frozenset("this that these those".split())
_ACRONYMS = frozenset({"WHO", "US"})  # spelt as pronouns, in capitals they are names
# Heads of ``ANONYMOUS_HEADS`` without a plural "s" that stand for many people: "the media said … they".
_GROUP_HEADS = frozenset("media intelligence people".split())
# What an organisation makes and a source may be: "A new YouGov survey showed …" (``SourceResolver._named_producer``).
_PRODUCTS = frozenset(
    "poll polls survey surveys study studies report reports analysis research data statement memo letter "
    "review audit investigation article story editorial column book document documents paper index ranking average "
    "averages".split())
# Products a publication prints: "in" before a name after one of them names where it appeared, its maker
_WRITINGS = frozenset("report reports article story editorial column analysis study memo letter book paper "
                      "review".split())
# Capitalised words before a product that name no one: a headline's "New poll", "Latest Survey", a date.
_NOT_A_PRODUCER = frozenset(
    "new latest recent fresh final first exclusive internal secret leaked official annual".split())
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_NOT_PEOPLE = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december god islam christianity".split()
)  # "The Americans" is a mention of "Americans"
# Dates and feasts named like people: "he" after "the New Year break" is not the New Year.
_NOT_PEOPLE_LAST = frozenset("year day eve christmas easter week month".split())
FIRST_PERSON = frozenset("i me my".split())
# The gender a pronoun or a title gives the person it names: "she" is not the man a "he" or "Mr." already named.
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
_JOINER = re.compile(r"\s+(?:and|&)\s+")
_BRACKETED = re.compile(r"\s*\([^()]*\)")


def _one_person(source: str) -> bool:
    """Whether a source phrase names one unnamed person: "a senior official", "the source", "one aide" (a
    singular head after "a", "an", "one" or "the"), not "officials", "the agency" or "the source and his aide"."""
    phrase = [w.lower() for w in head_phrase(source)]
    if len(phrase) < 2 or phrase[0] not in ("a", "an", "one", "the") or " and " in source.lower():
        return False
    head = phrase[-1]
    plural = head.endswith("s") and not head.endswith("ss")
    return head in ANONYMOUS_HEADS and not plural and head not in _GROUP_HEADS


def _unnamed_people(phrase: list[str], source: str) -> bool:
    """Whether a source is people described, not named, and not referred back to: a plural common noun with no
    article or possessive before it ("state regulators", "fellow physicians", "emails", "Democratic leaders",
    "Central European leaders"), which had been typed named under its own words. "The candidates", "his sons" or
    "Trump's sons" refer back to people the article may name: those stay named."""
    words = [w.lower() for w in phrase]
    head = words[-1]
    plural = head.endswith("s") and not head.endswith("ss") and head not in PRONOUNS
    return (plural and not capitalised(phrase[-1]) and not re.search(r"[’']s\b|s[’'](?!\w)", source)
            and not any(w in ARTICLES or w in PERSONAL | PLURAL | NEUTER or w in ("both", "these", "those")
                        for w in words))


def head_phrase(source: str) -> list[str]:
    """The source's words up to its first qualifier ("Our source in ..." -> ["Our", "source"]) or the subject of a
    clause about it ("everyone I interviewed" -> ["everyone"])."""
    words = [w for _, _, w in tokens(source)]
    out: list[str] = []
    for w in words:
        if out and (w.lower() in _QUALIFIERS or w.lower() in _CLAUSE_SUBJECTS):
            break
        out.append(w)
    if out and len(out[-1]) > 2:
        # "Mr. Trump's" (a possessor as the source: "Mr. Trump's claim that …") is Mr. Trump: the name shown had
        # been "Mr. Trump's", linked to no mention. Only the last word: "Trump's sons" keeps its possessive.
        out[-1] = re.sub(r"[’']s?$", "", out[-1]) or out[-1]
    return out


class SourceIdentity(NamedTuple):
    source_type: str
    name: str | None


def _first_mention_with(mentions: list[Mention], word: str, before: int) -> Mention | None:
    word = word.lower().strip(".’'")
    for m in mentions:
        if m.start >= before:
            break
        if word in m.words:
            return m
    return None


def _nearest(mentions: list[Mention], before: int, keep) -> Mention | None:
    for m in reversed(mentions):
        if m.end <= before and keep(m):
            return m
    return None


def _person(m: Mention, text: str) -> bool:
    preceded_by_the = text[max(0, m.start - 4) : m.start].lower().strip() == "the"
    not_people = (len(m.words) == 1 and m.words[0] in _NOT_PEOPLE) or (m.words and m.words[-1] in _NOT_PEOPLE_LAST)
    return not m.organisation and not preceded_by_the and not not_people


def _person_name(name: str) -> bool:
    """Whether the previous source's name can be what "he" or "she" refers back to: no organisation ("the FBI"),
    and no day, month or feast ("Friday", which the tagger once gave as a source, had passed on to the "he" after
    it). One-word surnames pass ("Trump", "Mueller"): an article often never gives them in full, and asking for a
    full name sent "he" past them to the wrong person ("Sarah Huckabee Sanders") over the unlabelled PTC articles."""
    words = [w.lower().strip(".,’'") for w in name.split()]
    if not words or organisation_name(name) or words[-1] in _NOT_PEOPLE_LAST:
        return False
    return not (len(words) == 1 and words[0] in _NOT_PEOPLE)


def _reads_as_full_name(name: str) -> bool:
    """Whether ``name`` reads as a person's full name: two words or more, or a title and a name ("Gov. Christie"),
    unlike "Republican"."""
    words = name.split()
    return len(words) >= 2 or (bool(words) and words[0].lower() in TITLES)


def _party_word(word: str, strip: str) -> str:
    """``word`` lower-cased without the characters of ``strip`` at its ends, a party as one word ("GOP" and
    "Republicans" as "republican")."""
    bare_word = word.lower().strip(strip)
    return _PARTY.get(bare_word, bare_word)


def _inside_quotes(text: str, start: int) -> bool:
    """Whether ``start`` lies inside a quotation opened earlier in its paragraph."""
    before = text[text.rfind("\n", 0, start) + 1 : start]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


# Words that title a name rather than name it, left out when a mention is matched to the name's first mention:
# "Secretary Clinton" is the "Hillary Clinton" named before it, "Sen. Warren" is "Elizabeth Warren".
_TITLE_WORDS = frozenset(t.strip(".") for t in TITLES) | frozenset(
    "secretary minister prime chancellor speaker mayor judge justice ambassador chairman chairwoman chair leader "
    "commissioner attorney general vice deputy sheriff spokesman spokeswoman sir lord lady king queen prince "
    "princess pope rabbi colonel col captain capt lieutenant lt sergeant sgt detective former acting".split())

# Words for what a person is, which "and" joins to another description of the same person.
_ROLE_WORDS = _TITLE_WORDS | frozenset(
    "mp mep author actor actress editor correspondent writer host anchor columnist commentator analyst director "
    "producer founder president chief executive ceo professor historian economist lawyer activist candidate".split())


def _full_name(mentions: list[Mention], m: Mention) -> str:
    """The first mention of the entity ``m`` names: the first mention up to ``m`` that holds every word of its
    name but its titles ("Trump", "Mr. Trump" and "President Trump" -> "Donald Trump"). Not the last word alone:
    "Ivanka Trump" is not "Donald Trump", nor is "the Jerusalem Post" the "Washington Post" named before it."""
    names = set(w for w in m.words if w not in _TITLE_WORDS) or set(m.words[-1:])
    first = next((x for x in mentions if x.start < m.end and names <= set(x.words)), None) if names else None
    return (first or m).text


def _mention_at(mentions: list[Mention], start: int, end: int, word: str) -> Mention | None:
    """The last mention inside ``start..end`` that holds ``word``: the name a source phrase ends on ("Marty Baron"
    in "Former Washington Post editor Marty Baron")."""
    word = word.lower().strip(".’'")
    inside = [m for m in mentions if start <= m.start and m.end <= end and word in m.words]
    return inside[-1] if inside else None


class SourceResolver:
    """Types and names the sources of one article, in reading order (``they`` looks at the previous one)."""

    def __init__(self, text: str, sentences: list[tuple[int, int]] | None = None):
        self.text = text
        self.mentions = name_mentions(text)
        self.previous: SourceIdentity | None = None
        # what each named person is known to be, from a title ("Mr. Graham") or a pronoun already resolved to them
        self.gender: dict[str, str] = {}
        for m in self.mentions:
            title = _TITLE_GENDER.get(m.words[0]) if m.words else None
            if title:
                self.gender.setdefault(_full_name(self.mentions, m), title)
        # sentence starts from the article's splitter, which knows "Mr." ends no sentence
        self.sentence_starts = [s for s, _ in (sentences if sentences is not None else split_sentences(text))]
        # who made the polls and reports named as sources ("the Tagespost report"): no "he" or "she" after them
        self.producers: set[str] = set()
        # whether the previous source was one unnamed person ("a senior official", "the source"), whom a later
        # "they" cannot mean
        self.previous_one_unnamed = False
        self._lowercase: frozenset[str] | None = None  # the article's words written in lowercase, read when needed
        self._headline_lines: list[tuple[int, int]] | None = None  # its title-case lines, read when needed

    def identify(self, source: tuple[int, int] | None) -> SourceIdentity:
        found = self._identify(source)
        if source is not None:
            self.previous = found
            self.previous_one_unnamed = found.source_type == ANONYMOUS and _one_person(self.text[source[0] : source[1]])
        return found

    def name_of(self, word: str, before: int) -> str | None:
        """The full name of the first person or organisation mentioned before ``before`` whose name holds ``word``
        (in any case: a transcript's "PENCE" is "Mike Pence"); None where the article names none."""
        mention = _first_mention_with(self.mentions, word, before)
        return _full_name(self.mentions, mention) if mention else None

    def _identify(self, source: tuple[int, int] | None) -> SourceIdentity:
        if source is None:
            return SourceIdentity(NONE, None)
        start, end = source
        phrase = head_phrase(self.text[start:end])
        if not phrase:
            return SourceIdentity(NONE, None)
        named = self._apposition(start, end)
        if named is not None:
            return SourceIdentity(NAMED, named)
        person = self._one_person_described(start, end)
        if person is not None:
            return SourceIdentity(NAMED, person)
        joint = self._joint_names(start, end)
        if joint is not None:
            return SourceIdentity(NAMED, joint)
        head, first = phrase[-1], phrase[0].lower()
        # "WHO" in capitals is the World Health Organization and "US" the United States, not pronouns ("WHO has
        # reported 2119 cases"); a headline's "HE" or "THEY" still is one
        if len(phrase) == 1 and head.lower() in PRONOUNS and head not in _ACRONYMS:
            return self._pronoun(head.lower(), start)
        lowered = head.lower().strip(".")
        if self._some_of_a_group(phrase, start, end):
            return SourceIdentity(ANONYMOUS, None)
        producer = self._named_producer(phrase) or self._producer_after(phrase, start, end)
        if producer is not None:
            self.producers.add(producer)
            return SourceIdentity(NAMED, producer)
        if self._people_capitalised_by_place(phrase, start, end):
            return SourceIdentity(ANONYMOUS, None)
        # "Observer" in "The Charlotte Observer" ends a name, though "observers" are unnamed people
        proper_head = capitalised(head) and (lowered not in ANONYMOUS_HEADS or self._ends_a_name(phrase, start))
        if not proper_head and (lowered in ANONYMOUS_HEADS or (first in INDEFINITE and len(phrase) > 1)):
            return SourceIdentity(ANONYMOUS, None)
        if proper_head:
            own = _mention_at(self.mentions, start, end, head)
            if own is not None:
                return SourceIdentity(NAMED, _full_name(self.mentions, own))
            mention = _first_mention_with(self.mentions, head, end)
            return SourceIdentity(NAMED, mention.text if mention else " ".join(phrase).strip())
        if _unnamed_people(phrase, self.text[start:end]):
            return SourceIdentity(ANONYMOUS, None)
        return SourceIdentity(NAMED, self._description(phrase, start))

    def _people_capitalised_by_place(self, phrase: list[str], start: int, end: int) -> bool:
        """Whether a source is unnamed people whose capitals come from where it stands, not from a name: it opens
        its sentence or line ("Delegates said", "Companies and individuals have", a headline's "Frustrated Parents
        Say"), has at most three head words, none a pronoun or demonstrative, and every capitalised one also occurs
        in lowercase elsewhere in the article ("delegates"), which a name ("Republicans", "Mexicans") does not;
        read in lowercase, it is a plural common noun with no article (``_unnamed_people``) or an anonymous head.
        Typed named under its capitals, they had been shown as named sources (PolNeAR dev's hand-labelled samples
        1-6: it moves 7 of dev's sources, all labelled anonymous; a first version also moved a demonstrative,
        "This", which the guard now leaves alone)."""
        if len(phrase) > 3 or not self._opens_a_sentence(start):
            return False
        words = [w.lower() for w in phrase]
        if any(w in PRONOUNS or w in _DEMONSTRATIVES for w in words):
            return False
        capitals = [w for w in phrase if capitalised(w)]
        if not capitals or not all(w.lower() in self._lowercase_words for w in capitals):
            return False
        return words[-1] in ANONYMOUS_HEADS or _unnamed_people(words, self.text[start:end].lower())

    def _ends_a_name(self, phrase: list[str], start: int) -> bool:
        """Whether the phrase's capitalised last word follows another capitalised word that is no determiner, outside
        a title-case headline ("The Charlotte Observer", "Business Insider"; not a headline's "Senior Officials")."""
        if len(phrase) < 2 or not capitalised(phrase[-2]) or phrase[-2].lower() in ARTICLES | INDEFINITE:
            return False
        return not any(s <= start < e for s, e in self._headlines)

    @property
    def _headlines(self) -> list[tuple[int, int]]:
        if self._headline_lines is None:
            self._headline_lines = headline_lines(self.text)
        return self._headline_lines

    def _opens_a_sentence(self, start: int) -> bool:
        """Whether ``start`` is the first word of a sentence or a line (quotation marks and brackets before it
        aside)."""
        i = start - 1
        while i >= 0 and self.text[i] in " \t\"“‘'(":
            i -= 1
        return i < 0 or self.text[i] == "\n" or any(abs(s - start) <= 2 for s in self.sentence_starts)

    @property
    def _lowercase_words(self) -> frozenset[str]:
        if self._lowercase is None:
            self._lowercase = frozenset(re.findall(r"\b[a-z][a-z’'-]*\b", self.text))
        return self._lowercase

    @staticmethod
    def _named_producer(phrase: list[str]) -> str | None:
        """The name of who made a poll, study or report the source is, where the source names them before it ("A
        new YouGov survey" is YouGov's, "a CNN poll" CNN's, "A Quinnipiac University poll released Tuesday"
        Quinnipiac University's): named, under that name. These had been typed anonymous with "a new poll", as
        their article is an unnamed one's, or named after the last capitalised word ("Tuesday"). A person so
        described ("a senior Justice Department official") stays anonymous: the name is only where they work.
        Left to the other rules: a capitalised product, part of a name ("the Household Survey", "SPECIAL
        REPORT"); one with its author ("a Yahoo News article by Michael Isikoff"); a first word that may be
        capitalised only as it opens the sentence ("Media reports", "Cardinal Burke's statement"; an acronym,
        "CNN poll", names); dates ("A Nov. 29 report")."""
        product = next((i for i, w in enumerate(phrase) if w.lower() in _PRODUCTS and w.islower()), None)
        if not product or "by" in phrase[product:]:
            return None
        first = phrase[0]
        if first.lower() in ARTICLES | INDEFINITE | NOT_NAME_WORDS:
            before = phrase[1:product]
        elif re.sub(r"[’']s$", "", first).strip(".’'").isupper():
            before = phrase[:product]
        else:
            return None
        run: list[str] = []
        for word in before:
            if capitalised(word) and word.lower().strip(".") not in _NOT_PEOPLE | _MONTH_ABBREVIATIONS:
                run.append(word)
            elif run and word in ("/", "&"):  # "Reuters/Ipsos", "Marist & NBC"
                run.append(word)
            elif run:
                break
        while run and run[-1] in ("/", "&"):
            run.pop()
        if not run or all(w.lower() in _NOT_A_PRODUCER for w in run):
            return None  # "New poll shows …" in a headline: no one named
        return re.sub(r"[’']s?$", "", " ".join(run).replace(" / ", "/"))

    def _producer_after(self, phrase: list[str], start: int, end: int) -> str | None:
        """The maker of a poll, study or report named after it: "a report in the Des Moines Register", "a poll from
        Quinnipiac University" (those had been typed anonymous by their article). Only where the product ends the
        head phrase after an article or an indefinite word ("a new report"), and the name is the run of capitalised
        words right after "from", or after "in" for a written product (``_WRITINGS``: "the polls in Iowa" were
        taken there), "the" aside."""
        if len(phrase) < 2 or phrase[-1].lower() not in _PRODUCTS or not phrase[-1].islower():
            return None
        if phrase[0].lower() not in ARTICLES | INDEFINITE or any(capitalised(w) for w in phrase[1:]):
            return None
        rest = [w for _, _, w in tokens(self.text[start:end])][len(phrase):]
        if not rest or rest[0].lower() not in ("in", "from"):
            return None
        if rest[0].lower() == "in" and phrase[-1].lower() not in _WRITINGS:
            return None  # "the polls in Iowa": a place, not who made them
        words = rest[1:]
        if words and words[0].lower() == "the":
            words = words[1:]
        run: list[str] = []
        for word in words:
            if not capitalised(word) or word.lower().strip(".") in _NOT_PEOPLE | _MONTH_ABBREVIATIONS:
                break
            run.append(word)
        return re.sub(r"[’']s?$", "", " ".join(run)) or None

    def _some_of_a_group(self, phrase: list[str], start: int, end: int) -> bool:
        """Whether a source is some unnamed members of a group: a count or share of it ("Dozens of protesters",
        "Half of respondents", "Two of his aides", "52% of voters"), or a number or quantifier before a group's
        name ("Two senior Republicans", "Some Democrats", "a Democrat"). These had been typed named, under the name
        "Dozens", "Half", "52 %" or "Some Democrats": the head rule stopped at "of", and a capitalised head read as
        a name. Each person stays unnamed, so the reader cannot check them: anonymous."""
        words = [w.lower() for w in phrase]
        if all(w in _QUANTITIES or w[:1].isdigit() or w in ("%", "per", "cent") for w in words):
            # a share is of people even where the group goes unsaid ("48.1 per cent wanted"); a bare count is
            # often people just named ("The two said")
            return " of " in self.text[start:end] or any(w in _SHARE for w in words)
        if not capitalised(phrase[-1]) or len(phrase) < 2 or "by" in words or words[-1] in _NOT_PEOPLE:
            return False  # "A poll last week by YouGov" is YouGov's; "A separate vote Thursday" is no group
        if organisation_name(" ".join(phrase[1:])):
            return False  # a name that opens with a number: "One America News", "Three Rivers Council"
        if words[0] in ("a", "an", "one"):  # "a Democrat", "one Conservative MP"; not "A Sky News analysis Tuesday"
            return len(phrase) <= 4
        plural = words[-1].endswith("s") and not words[-1].endswith("ss")  # not "10 Downing Street"
        return plural and (words[0] in _QUANTIFIERS or words[0][:1].isdigit())

    def _apposition(self, start: int, end: int) -> str | None:
        """The person a description names after a comma: "Trump's attorney, Rudy Giuliani" is Rudy Giuliani
        (the description's head had named him "Trump's attorney", which a reader takes for Trump), "the
        EU's foreign policy chief, Josep Borrell" is Josep Borrell. A full name of two words or more only, so
        "the president, who" or "officials, Reuters" is no apposition; and only after a description: "Senator
        Dianne Feinstein, Democrat of California" is Dianne Feinstein, whom the words before the comma name (she
        had been named "Democrat of California")."""
        comma = self.text.find(",", start, end)
        if comma < 0 or self._names_a_person(start, comma):
            return None
        for m in self.mentions:
            if comma < m.start and m.end <= end and len(m.words) >= 2 and _person(m, self.text) \
                    and not self.text[comma + 1 : m.start].strip():
                return _full_name(self.mentions, m)
        return None

    def _names_a_person(self, start: int, end: int) -> bool:
        """Whether ``start..end`` is a person's name and nothing else: one mention, its words but titles two or
        more and none an organisation's ("Senator Dianne Feinstein", not "Former White House Chief of Staff")."""
        inside = self.text[start:end].strip()
        words = inside.split()
        if words and words[0].lower() in ARTICLES:
            inside = inside[len(words[0]) :].strip()
        mention = next((m for m in self.mentions if m.start >= start and m.end <= end), None)
        if mention is None or mention.text != inside or mention.organisation:
            return False
        return len([w for w in mention.words if w not in _TITLE_WORDS]) >= 2

    def _apposition_before(self, start: int, end: int) -> bool:
        """Whether a comma before ``end`` follows a name, so that an "and" after it joins inside the apposition
        ("Dean, a former chairman and presidential candidate", named "presidential candidate"), not a list of what
        one person is ("Actor, director, author, and activist George Takei")."""
        comma = self.text.find(",", start, end)
        words = self.text[start:comma].split() if comma >= 0 else []
        return bool(words) and words[-1].lower().strip(".") not in _ROLE_WORDS

    def _one_person_described(self, start: int, end: int) -> str | None:
        """The person at the end of a source whose "and" joins descriptions of that one person, not two sources:
        "The Atlantic and CNN political analyst Elaina Plott" is Elaina Plott (her two employers; the head rule
        stopped at "and" and had named her "Atlantic"), "Conservative MP and Brexiteer Jacob Rees-Mogg" is
        Rees-Mogg (it had been named "Conservative MP"). The last part must name a person in two words or more;
        each part before it either ends on a word for what a person is ("MP", "author"), or names no person at all
        while the last part describes its person before naming them ("CNN political analyst"). "Trump and White
        House adviser Steve Bannon" stays two people: "Trump" is a person."""
        cuts = [m.span() for m in _JOINER.finditer(self.text, start, end)]
        if not cuts or len(cuts) > 2 or self._apposition_before(start, cuts[0][0]):
            return None
        last = self._identify((cuts[-1][1], end))
        if last.source_type != NAMED or not last.name or len(last.name.split()) < 2 or not _person_name(last.name):
            return None
        mention = _mention_at(self.mentions, cuts[-1][1], end, last.name.split()[-1])
        if mention is None:
            return None  # the last part names no one: "… chairman and presidential candidate"
        described = any(c.isalpha() for c in self.text[cuts[-1][1] : mention.start])
        bounds = [start] + [x for cut in cuts[:-1] for x in cut] + [cuts[-1][0]]
        for part_start, part_end in zip(bounds[::2], bounds[1::2]):
            words = self.text[part_start:part_end].split()
            role = bool(words) and words[-1].lower().strip(".,") in _ROLE_WORDS
            nobody = not any(part_start <= m.start and m.end <= part_end and _person(m, self.text)
                             for m in self.mentions)
            if not (role or (nobody and described)):
                return None
        return last.name

    def _joint_names(self, start: int, end: int) -> str | None:
        """The names of a source that joins two or three with "and" ("Warren and Sanders" -> "Elizabeth Warren and
        Bernie Sanders"), each found as a source of its own would be: the head rule
        stops at "and", so only the first had been named. Only names the article gives (a mention, or a pronoun
        resolved to one), and only "and" that joins heads: "Author and conspiracy theorist Jerome Corsi" is one
        man, as is "White House reporter for the Washington Post and MSNBC … Ashley Parker" ("for" comes before
        "and"), and "Actor, director, author, and activist George Takei". None unless two or more parts are
        named so."""
        cuts = [m.span() for m in _JOINER.finditer(self.text, start, end)]
        if not cuts or len(cuts) > 2:
            return None
        first = _BRACKETED.sub("", self.text[start : cuts[0][0]])
        if len(head_phrase(first)) != len(tokens(first)):
            return None  # a qualifier ("of", "for", a comma) before the first "and": it joins inside a description
        first_words = first.split()
        if first_words and first_words[-1].lower().strip(".") in _ROLE_WORDS:
            return None  # "Conservative MP and Brexiteer Jacob Rees-Mogg": two descriptions of one person
        known = {m.text for m in self.mentions}
        bounds = [start] + [x for cut in cuts for x in cut] + [end]
        names: list[str] = []
        for part_start, part_end in zip(bounds[::2], bounds[1::2]):
            found = self._identify((part_start, part_end))
            if found.source_type == NAMED and found.name in known and self._given(found.name) \
                    and found.name not in names:
                names.append(found.name)
        return " and ".join(names) if len(names) >= 2 else None

    def _given(self, name: str) -> bool:
        """Whether a name is one the article gives: two words or more, or one it capitalises more than once (not
        "Author" opening a sentence)."""
        return len(name.split()) >= 2 or len(re.findall(rf"\b{re.escape(name)}\b", self.text)) >= 2

    def _office_holder(self, phrase: list[str], start: int) -> str | None:
        """The person a definite description of one person's office or standing refers back to ("The GOP nominee",
        "the Vermont senator", "The governor"), or None. A candidate is a person named in full before it, nearest
        first, whose mentions carry the description's evidence: each capitalised word of it ("GOP", "Vermont") in
        a mention or the few words before one ("Republican nominee Donald Trump", "Sen. Bernie Sanders (I-Vt.)" does
        not carry "Vermont"), and with no such word, the office as a title ("Gov. Chris Christie"). Resolving as
        "he" would, without that evidence, linked "The Democratic nominee" to Donald Trump and "The GOP presidential
        nominee" to Ivana Trump on a hand-labelled sample; an office with no evidence stays in its own words."""
        head = phrase[-1].lower().strip(".")
        if phrase[0].lower() != "the" or head not in _PERSON_TITLES:
            return None
        marks = [_party_word(w, ".’'") for w in phrase[1:-1] if capitalised(w)]
        forms = _TITLE_FORMS.get(head, frozenset()) | {head}
        if not marks and head not in _TITLE_FORMS:
            return None  # "the nominee": no title to look for and nothing else to go on
        seen: set[str] = set()
        people = 0
        for m in reversed(self.mentions):
            if m.end > start or not _person(m, self.text):
                continue
            people += 1
            if people > _OFFICE_LOOKBACK:
                break
            name = _full_name(self.mentions, m)
            if not _reads_as_full_name(name) or name in seen:
                continue
            seen.add(name)
            profile = self._profile(m, start)
            if (all(w in profile for w in marks) if marks else bool(forms & profile)):
                return name
        return None

    def _profile(self, m: Mention, before: int) -> set[str]:
        """The words of every mention before ``before`` of the entity ``m`` names (as ``_full_name`` matches them)
        and the three words before each in its sentence, up to another person's name ("Gov. Chris Christie met
        Donald Trump" gives Trump no "Gov."), parties as one word ("GOP" and "Republicans" as "republican")."""
        names = set(w for w in m.words if w not in _TITLE_WORDS) or set(m.words[-1:])
        words: set[str] = set()
        for k, x in enumerate(self.mentions):
            if x.end > before:
                break
            if not names <= set(x.words):
                continue
            other = self.mentions[k - 1] if k else None  # a person's name just before it ends its words
            if other is not None and not (_person(other, self.text) and _reads_as_full_name(other.text)):
                other = None
            near: list[str] = []
            for a, _, w in reversed(tokens(self.text, max(0, x.start - 40), x.start)):
                if len(near) == 3 or w in ".;:!?" or (other is not None and other.start <= a < other.end):
                    break
                near.append(w)
            words |= {_party_word(w, ".,’'()") for w in near + x.text.split()}
        return words

    def _pronoun(self, word: str, start: int) -> SourceIdentity:
        if word in RELATIVE:
            before = re.findall(r"[\w’']+", self.text[max(0, start - 40) : start])
            if before and before[-1].lower() in ANONYMOUS_HEADS:
                return SourceIdentity(ANONYMOUS, None)
            sentence_start = max((s for s in self.sentence_starts if s <= start), default=0)
            m = _nearest(self.mentions, start, lambda m: m.start >= sentence_start)
            if m is None:
                return self.previous or SourceIdentity(NAMED, None)
            return SourceIdentity(NAMED, _full_name(self.mentions, m))
        if word in PLURAL:
            if self.previous_one_unnamed:
                # "a senior intelligence official told me … they want total control": not the official, and not
                # the nearest name ("Just like Hitler, they want"); someone the article does not say
                return SourceIdentity(NAMED, None)
            if self.previous is not None and self.previous.source_type != NONE:
                return self.previous
            m = _nearest(self.mentions, start, lambda m: True)
        elif word in NEUTER:
            m = _nearest(self.mentions, start, lambda m: m.organisation)
        elif word in FIRST_PERSON and not _inside_quotes(self.text, start):
            # "I" outside quotation marks is the writer, whom the article does not name: not the source before it
            # (a first-person op-ed's "I thought" was shown as "my sister", the previous source).
            return SourceIdentity(NAMED, None)
        else:
            return self._person_pronoun(word, start)
        if m is None:
            return self.previous or SourceIdentity(NAMED, None)
        return SourceIdentity(NAMED, _full_name(self.mentions, m))

    def _person_pronoun(self, word: str, start: int) -> SourceIdentity:
        """"he", "she": the previous source when it is a person of no other known gender, else the nearest person
        named in full before it who is not known to be of the other ("Graham said … He added … Warren … She
        said" is Warren's, not Graham's). Each answer teaches the resolver that person's gender."""
        gender = _PRONOUN_GENDER.get(word)

        def fits(name: str | None) -> bool:
            return gender is None or name is None or self.gender.get(name, gender) == gender

        found: SourceIdentity | None = None
        if (self.previous is not None and self.previous.source_type == NAMED and self.previous.name
                and self.previous.name not in self.producers and _person_name(self.previous.name)
                and fits(self.previous.name)):
            found = self.previous
        else:
            m = _nearest(self.mentions, start, lambda m: _person(m, self.text) and self._full_person_name(m)
                         and fits(_full_name(self.mentions, m)))
            if m is not None:
                found = SourceIdentity(NAMED, _full_name(self.mentions, m))
            elif self.previous is not None and fits(self.previous.name):
                found = self.previous
        if found is None:
            return SourceIdentity(NAMED, None)
        if gender and found.name:
            self.gender.setdefault(found.name, gender)
        return found

    def _full_person_name(self, m: Mention) -> bool:
        """Whether the entity ``m`` names is written somewhere as a person's full name: two words or more ("Donald
        Trump" for "Trump") or a title and a name ("Mr. Trump"). A lone capitalised word never given in full is as
        often a thing ("Brexit": "She was unable to offer any answers" had resolved to it, past "Theresa May")."""
        return _reads_as_full_name(_full_name(self.mentions, m))

    def _description(self, phrase: list[str], start: int) -> str:
        holder = self._office_holder(phrase, start)
        if holder is not None:
            return holder
        if any(capitalised(w) for w in phrase[:-1] if w.lower() not in ARTICLES):
            # a name inside the description makes it its own ("Ireland's agriculture minister", "the British
            # government"): another mention with the same head word is another entity ("Prime Minister")
            return " ".join(phrase)
        head = phrase[-1].lower().strip(".")
        m = _nearest(self.mentions, start, lambda m: head in m.words)
        if m is None and head in _STANDS_FOR_A_NAME:
            m = _nearest(self.mentions, start, lambda m: m.organisation)
        if m is None:
            return " ".join(phrase)
        return _full_name(self.mentions, m)

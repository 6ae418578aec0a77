"""Finding an article's actors: the people, organisations, states, armed groups and peoples it talks about,
each with all its mentions merged.

Mentions come from three sources, in this order of precedence:

1. the alias table (``aliases.py``): country names, plural demonyms, seats of government, alliances, armed
   groups; a match must start with a capital letter, so ``the west of the city`` is no actor;
2. spaCy's named entities (``en_core_web_sm``): PERSON, ORG, GPE and NORP; a demonym used as an adjective
   (``Kurdish positions``) is no mention;
3. noun phrases headed by a collective noun: ``Russian forces``, ``the Biden administration``, ``civilians``,
   ``climate activists``. Such a phrase is an actor of its own, apart from the country or person that
   modifies it (an article can cast Russian civilians as victims and Russia as the aggressor). A state's
   army, military, forces and troops are one actor, an organisation, apart from the state: the SemEval-2025
   annotators cast ``Russia`` and ``Russian military`` differently within one article (see ``aliases.py``).

Places are not actors. A river, sea or mountain (spaCy's LOC and FAC, or a name followed by ``river``,
``region``, ``city``...) is dropped, and so is an ORG or GPE spelled the same elsewhere in the article unless one
of its mentions acts (the small model calls ``Eurocrats`` a LOC too). A city or region that the alias table does
not know (not a state nor a seat of government) is an actor only where it acts: the subject of a verb, a
possessor, the agent of a passive, ``the leader of`` it (``Donetsk declared``); ``in Deir-ez-Zor``, ``leave
southern Deir-ez-Zor`` and ``the south of Deir ez-Zor`` only say where. An organisation named only after ``in``,
``near``... is a place too (the small model calls ``Mariupol`` an ORG). A seat of government is its state's
metonym (``Damascus said``, ``aid to Kyiv``) except after ``in``, ``near``, ``across``... (``talks in Moscow``).

Merging within one article: the alias table; names spelled with hyphens or spaces, curly or straight
apostrophes, or one letter apart (``Deir-ez-Zor``, ``Deir ez-Zor``, ``Deir ez-Zore``) are one; a person's surname
alone (or with a title) joins the full name it ends (``Putin`` -> ``Vladimir Putin``), and so does a first name
alone or a surname the model took for an organisation, when one person of the article has it; the first word of
a named group joins it (``Wagner``); an acronym joins the name whose initials it spells (``NOAA``); a description
of an armed group (``the terrorists``, ``the militants``) joins the article's named armed group only when the
article names exactly one. Pronouns are never resolved.

spaCy runs without its lemmatizer and attribute ruler (see ``spacy_pipeline.load_spacy``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..spacy_pipeline import load_spacy
from .aliases import (
    ARMED_DESCRIPTIONS,
    COUNTRY,
    GROUP,
    GROUP_NOUNS,
    ORGANISATION,
    ORGANISATION_NOUNS,
    PERSON,
    PLACE_NOUNS,
    PLACE_SUFFIXES,
    TITLES,
    Alias,
    all_forms,
    is_seat,
    lookup,
    lookup_exact,
)


@dataclass(frozen=True)
class Mention:
    start: int  # character offsets into the article text, end exclusive
    end: int
    text: str


@dataclass
class Actor:
    """One actor of an article. ``main_role``, ``fine_roles``, ``score`` and ``evidence`` (sentence indices) are
    filled by :class:`~propwatch.components.actors.roles.RoleModel`; the finder leaves them empty."""

    name: str
    kind: str
    mentions: list[Mention]
    main_role: str | None = None
    fine_roles: list[str] = field(default_factory=list)
    score: float = 0.0
    evidence: list[int] = field(default_factory=list)

    @property
    def spans(self) -> list[tuple[int, int, str]]:
        return [(m.start, m.end, m.text) for m in self.mentions]


# ---------------------------------------------------------------------------------------------------------
# Candidate mentions


@dataclass
class _Candidate:
    start: int
    end: int
    text: str
    source: str  # "alias", "ner", "phrase"
    kind: str
    key: str  # what merging starts from
    alias: Alias | None = None
    label: str = ""
    agentive: bool = True  # not only where something happens ("in Manbij")
    acts: bool = False  # the subject of a verb, a possessor, an agent (``_acts``)
    description: bool = False  # a description of an armed group ("the militants")


_FORMS_RE: list[re.Pattern[str]] = []
_AFTER_AMERICA = re.compile(r"(North|South|Latin|Central)\s+$")
_DETERMINERS = frozenset("the a an this that these those its their our his her my your some many all most "
                         "both several such".split())
# One collective under several words: "Russian troops", "the Russian army" and "Russian forces" are one actor,
# an organisation (the state's armed forces); "Russian soldiers" are people, a group.
_HEAD_SYNONYMS = {"troops": "forces", "army": "forces", "military": "forces"}
# Where a seat of government is only the place: "talks in Moscow" (but "aid to Kyiv" is Ukraine, and "at" is
# left out: "pointed their finger at Moscow", "globalists at the UN Environment Program").
_AT_PLACE = frozenset("in inside outside near around across throughout within".split())
# Words in an organisation's name that make it an armed group, not an institution.
_ARMED_NAME = re.compile(r"\b(?:self[- ]defen[cs]e|militias?|brigades?|battalions?|legion|resistance|mujahideen)\b",
                         re.IGNORECASE)
# Single capitalised words the model takes for an organisation though they name no one in particular, and
# acronyms of things it takes for a state or an organisation ("AI", "EV"), and events and policies it takes for
# one ("Brexit", which the corpus dashboard listed among the most frequent actors of PTC's unlabelled articles).
_GENERIC = frozenset("state embassy court justice ministry department agency office council committee commission "
                     "government administration parliament energy defence defense health finance interior "
                     "education ai ev evs co2 gdp covid covid-19 tv dna brexit coronavirus obamacare "
                     "lockdown".split())
# "the leader of Bashkort", "the people of Europe": a place with people who act is a party.
_HAS_PEOPLE = frozenset("leader leaders head president government authorities administration leadership people "
                        "residents citizens mayor governor army forces officials representatives spokesman "
                        "spokeswoman spokesperson minister members founder".split())
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "poss", "agent"})
_ARMED_MEMBERS = ARMED_DESCRIPTIONS | {"fighters", "members", "gunmen"}
_CALIPHATE = frozenset({"caliphate", "pseudo-caliphate", "pseudocaliphate", "pseudochaliphate"})
_LONGER_ENTITY = frozenset({"ORG", "PERSON", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"})


def _forms_re() -> re.Pattern[str]:
    """Every form of the alias table in one pattern, longest first, so one scan of the text finds them all
    (a pattern per form cost 25 ms an article)."""
    if not _FORMS_RE:
        bodies = []
        for form, _alias, exact in all_forms():
            body = re.escape(form).replace(r"\ ", r"\s+")
            bodies.append(body if exact else f"(?i:{body})")
        _FORMS_RE.append(re.compile(rf"(?<![\w.-])(?:{'|'.join(bodies)})(?![\w-])"))
    return _FORMS_RE[0]


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6


_TITLE_CASE_SMALL = frozenset("From With To For Into Over After Before Against Is Are Was Were Will Says Say Said "
                              "As At On By Than".split())


def _headline_run(surface: str, line: str) -> bool:
    """Whether an entity is a stretch of a Title Case line rather than a name: four words or more with a
    capitalised preposition or verb inside ("EU Profits From Trading With UK"); names keep theirs in lower case
    ("Bank of England") and headlines capitalise them."""
    words = surface.split()
    line_words = [w for w in line.split() if w[:1].isalpha()]
    title_case = len(line_words) >= 4 and sum(w[0].isupper() for w in line_words) / len(line_words) >= 0.7
    return title_case and len(words) >= 4 and any(w in _TITLE_CASE_SMALL for w in words[1:])


def _line_at(text: str, pos: int) -> str:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return text[lo : hi if hi >= 0 else len(text)]


def _alias_candidates(text: str) -> list[_Candidate]:
    out = []
    pattern, pos = _forms_re(), 0
    while (m := pattern.search(text, pos)) is not None:
        s, e = m.start(), m.end()
        pos = s + 1  # a form refused here may hold a shorter one ("collective West": "West")
        if not (text[s].isupper() or text[s].isdigit()):
            continue
        surface = m.group(0)
        exact = lookup_exact(surface)
        alias = exact or lookup(" ".join(surface.split()))
        if alias is None:
            continue
        if exact is not None and _shouting(_line_at(text, s)):
            continue  # "LET US PRAY" is no United States
        if alias.name == "United States" and surface.lower() == "america" and _AFTER_AMERICA.search(
            text[max(0, s - 10) : s]
        ):
            continue
        out.append(_Candidate(s, e, surface, "alias", alias.kind, alias.name, alias=alias))
        pos = e
    return out


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a leading article or quote and a trailing possessive or punctuation from an entity's span
    (``the “BRICS bank`` -> ``BRICS bank``, ``A Netherlands Court`` -> ``Netherlands Court``)."""
    while s < e and text[s] in "\"'“‘( ":
        s += 1
    for article in ("the ", "The ", "THE ", "A ", "An "):
        if text.startswith(article, s) and e - s > len(article):
            s += len(article)
            break
    while s < e and text[s] in "\"'“‘( ":
        s += 1
    for tail in ("'s", "’s", "'", "’"):
        if text.endswith(tail, s, e) and e - s > len(tail) + 1:
            e -= len(tail)
            break
    while e > s and not text[e - 1].isalnum():  # punctuation, a closing quote, an emoji ("De Haan ⛽️")
        e -= 1
    return s, e


def _acts(token: Any) -> bool:
    """Whether the token names a party to what happens: the subject of a verb, a possessor, the agent of a
    passive, or coordinated with one (``Russia and Syria will``)."""
    seen = 0
    while token.dep_ in ("conj", "appos") and token.head is not token and seen < 8:
        token, seen = token.head, seen + 1
    if token.dep_ in _SUBJECT_DEPS:
        return True
    if token.dep_ != "pobj":
        return False
    prep = token.head
    return prep.dep_ == "agent" or (prep.lower_ == "of" and prep.head.lower_ in _HAS_PEOPLE)


def _at_place(token: Any) -> bool:
    """Whether the token is the object of ``in``, ``near``, ``across``...: where something happens."""
    return token.dep_ == "pobj" and token.head.lower_ in _AT_PLACE


def _squash(name: str) -> str:
    """The form that spelling variants of one name share: lower case, hyphens and dashes as spaces, one kind
    of apostrophe, no possessive (``Deir-ez-Zor``, ``Deir ez-Zor``)."""
    name = re.sub(r"[-‐‑–—]", " ", name.lower().replace("’", "'"))
    name = " ".join(name.split())
    return name[:-2] if name.endswith("'s") else name


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _person_key(name: str) -> list[str]:
    words = [w.strip(".,").lower() for w in re.split(r"\s+", _squash(name)) if w.strip(".,")]
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return words


def _place_named(doc: Any, ent: Any) -> bool:
    """A name that says it is a place: spaCy's LOC or FAC, or a name ending in or followed by ``river``,
    ``region``, ``city``... (``the Euphrates River``, ``the Kherson region``)."""
    if ent.label_ in ("LOC", "FAC"):
        return True
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return ent[-1].lower_ in PLACE_SUFFIXES or after in PLACE_NOUNS


def _entities(doc: Any) -> list[Any]:
    """spaCy's entities, each cut before a verb the model ran it into ("The Sun saying Kyiv" -> "The Sun") and
    without a trailing preposition or conjunction ("Citadel in" -> "Citadel")."""
    out = []
    for ent in doc.ents:
        verb = next((t.i for t in ent if t.tag_ == "MD" or (t.tag_.startswith("VB") and t.is_lower)), ent.end)
        end = verb
        while end > ent.start and doc[end - 1].is_lower and doc[end - 1].tag_ in ("IN", "CC", "DT", "TO"):
            end -= 1
        if end == ent.start:
            continue
        if end < ent.end:
            ent = doc.char_span(ent.start_char, doc[end - 1].idx + len(doc[end - 1]), label=ent.label_)
        out.append(ent)
    return out


def _ner_candidates(doc: Any, ents: list[Any], text: str, taken: bytearray,
                    places: dict[str, bool]) -> list[_Candidate]:
    """Mentions among spaCy's entities; the keys of names that are places go to ``places``, with whether one
    of them acts (the small model calls "Eurocrats" a LOC too)."""
    out = []
    surnames = {ent[-1].lower_ for ent in ents if ent.label_ == "PERSON" and len(ent) > 1}
    for ent in ents:
        label = ent.label_
        if label not in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
            continue
        s, e = ent.start_char, ent.end_char
        if "\n" in text[s:e]:  # run across a line break ("Bank Of England Warns\n\nThe Bank of England"): a
            s += text[s:e].rindex("\n") + 1  # name does not, so keep the line it ends on
        s, e = _strip_span(text, s, e)
        if e - s < 2:
            continue
        surface = text[s:e]
        if label == "NORP" and surface.lower() in surnames:
            label = "PERSON"  # "Klitschko said", after "Vitali Klitschko": the model took him for a people
        if not any(c.isupper() for c in surface):
            continue
        alias = lookup(surface)
        if any(taken[s:e]):
            continue
        root = ent.root
        if label == "NORP" and (root.tag_ == "JJ" or root.dep_ in ("amod", "compound")) and alias is None:
            continue
        if label == "NORP" and alias is None and not surface.endswith("s"):
            continue  # "Islamic", "Arab": an adjective the tagger took for a noun
        if alias is not None:
            if surface in alias.exact and _shouting(_line_at(text, s)):
                continue
            if is_seat(surface, alias) and _at_place(root):
                continue  # "talks in Moscow"
            out.append(_Candidate(s, e, surface, "alias", alias.kind, alias.name, alias=alias, label=label))
            continue
        if label != "NORP" and (lookup(surface + "s") is not None or surface.lower() in _GENERIC):
            continue  # "Ukrainian" taken for a place, "the State", "the Court": no one in particular
        if _headline_run(surface, _line_at(text, s)):
            continue  # "EU Profits From Trading With UK": a Title Case headline the model read as one name
        if label != "PERSON" and _place_named(doc, ent):
            places[_squash(surface)] = places.get(_squash(surface), False) or _acts(root)
            continue
        kind = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": COUNTRY, "NORP": GROUP}[label]
        if label == "ORG" and _ARMED_NAME.search(surface):
            kind = GROUP  # "the Kurdish National Self-Defense Forces": an armed group
        key = " ".join(_person_key(surface)) if label == "PERSON" else _squash(surface)
        # A city or region (a GPE the table does not know) is an actor only where it acts.
        acts = _acts(root)
        # An organisation named only "in", "near"... is a place too ("in Mariupol", which the model calls an ORG);
        # "told Reuters", "a letter to the UN Security Council" keep it.
        agentive = acts if label == "GPE" else not _at_place(root) if label == "ORG" else True
        out.append(_Candidate(s, e, surface, "ner", kind, key, label=label, agentive=agentive, acts=acts))
    return out


_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_NP_HEAD_TAGS = _NOUN_TAGS | {"PRP", "PRP$", "WP", "WP$", "WDT", "EX", "DT"}  # nouns, names, pronouns
_NP_DEPS = frozenset("oprd nsubj dobj nsubjpass pcomp pobj dative appos attr ROOT".split())


def _noun_phrases(doc: Any) -> Any:
    """spaCy's English ``noun_chunks`` (``spacy/lang/en/syntax_iterators.py``, MIT licence), read from the
    fine tags instead of the coarse ones that the attribute ruler, left out, would have set: each base noun
    phrase as (span, head)."""
    prev_end = -1
    for word in doc:
        if word.tag_ not in _NP_HEAD_TAGS:
            continue
        left = word.left_edge.i
        if left <= prev_end:
            continue  # no nested phrases
        dep = word.dep_
        if dep not in _NP_DEPS:
            if dep != "conj":
                continue
            head = word.head
            while head.dep_ == "conj" and head.head.i < head.i:
                head = head.head
            if head.dep_ not in _NP_DEPS:
                continue
        prev_end = word.i
        yield doc[left : word.i + 1], word


def _phrase_candidates(doc: Any, text: str, entities: list[_Candidate]) -> list[_Candidate]:
    """Noun phrases headed by a collective noun (``Russian forces``, ``civilians``)."""
    by_char: dict[int, _Candidate] = {}
    for c in entities:
        for i in range(c.start, c.end):
            by_char[i] = c
    out = []
    for chunk, root in _noun_phrases(doc):
        head = root.lower_
        plural = root.tag_ in ("NNS", "NNPS")
        if not ((head in GROUP_NOUNS and plural) or head in ORGANISATION_NOUNS):
            continue
        if root.idx in by_char:
            continue  # the head is itself a named mention ("the Americans")
        # The words that name the collective: the run of names, nouns, demonyms and possessives just before
        # the head ("Kyiv's forces", "Russian state media"), not quantities, other adjectives or coordinated
        # phrases ("at least 315,000 Russian troops" -> "Russian troops").
        first = root
        for tok in reversed([t for t in chunk if t.i < root.i]):
            if tok.dep_ == "case" or tok.idx in by_char or tok.tag_ in _NOUN_TAGS or tok.ent_type_ in (
                    "NORP", "GPE"):
                first = tok
            else:
                break
        owner: _Candidate | None = None
        modifiers = []
        for tok in chunk:
            if tok.i < first.i or tok.i >= root.i or tok.dep_ == "case":
                continue
            ent = by_char.get(tok.idx)
            if ent is not None:
                owner = owner or ent
            else:
                modifiers.append(tok.lower_)
        head = _HEAD_SYNONYMS.get(head, head)
        if owner is None and not modifiers and (head in ORGANISATION_NOUNS or head == "people"):
            continue  # "the government", "their forces", "people": whose is not said
        if owner is not None and owner.alias is not None and owner.alias.armed and head in _ARMED_MEMBERS:
            continue  # "ISIS terrorists", "Hamas fighters": the group itself
        s, e = _strip_span(text, first.idx, root.idx + len(root.text))
        if owner is not None:
            s = min(s, owner.start)
        key_parts = [owner.key.lower()] if owner else []
        key = " ".join([*key_parts, *modifiers, head])
        kind = ORGANISATION if head in ORGANISATION_NOUNS else GROUP
        description = owner is None and not modifiers and head in ARMED_DESCRIPTIONS
        out.append(_Candidate(s, e, text[s:e], "phrase", kind, key, label="PHRASE", description=description,
                              alias=None))
        if owner is not None:
            owner.key = ""  # the modifier belongs to the phrase: "Kyiv" in "the Kyiv regime" is no mention
    for chunk_word in _single_descriptions(doc, by_char):
        out.append(chunk_word)
    return out


def _single_descriptions(doc: Any, by_char: dict[int, Any]) -> list[_Candidate]:
    """Singular descriptions of an armed group: "the caliphate", "the pseudo-caliphate"."""
    out = []
    for tok in doc:
        if tok.lower_ in _CALIPHATE and tok.idx not in by_char:
            out.append(_Candidate(tok.idx, tok.idx + len(tok.text), tok.text, "phrase", GROUP, tok.lower_,
                                  label="PHRASE", description=True))
    return out


# ---------------------------------------------------------------------------------------------------------
# Merging


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in ("of", "and", "the", "for", "on", "in")]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _merge(cands: list[_Candidate], text: str, places: dict[str, bool]) -> list[Actor]:
    acting = {c.key for c in cands if c.acts}
    groups: dict[str, list[_Candidate]] = {}
    kinds: dict[str, str] = {}
    for c in cands:
        if (c.alias is None and c.label in ("ORG", "GPE") and c.key in places and not places[c.key]
                and c.key not in acting):
            continue  # "the Euphrates", an ORG here and a LOC there: a river
        groups.setdefault(c.key, []).append(c)
        kinds.setdefault(c.key, c.kind)

    # Spelling variants one letter apart ("Deir ez-Zor", "Deir ez-Zore", "Zelensky", "Zelenskyy"): the name with
    # more mentions keeps them. Two people apart only in the surname's spelling: "Joan Smith" is no "John Smith".
    named = sorted((k for k, g in groups.items() if g[0].source == "ner" and len(k) >= 7),
                   key=lambda k: -len(groups[k]))
    for i, k in enumerate(named):
        if k not in groups:
            continue
        for other in named[i + 1 :]:
            if (other in groups and kinds[other] == kinds[k] and _one_edit_apart(k, other)
                    and (kinds[k] != PERSON or k.split()[:-1] == other.split()[:-1])):
                groups[k].extend(groups.pop(other))

    # People: a shorter name joins the full name it ends ("Putin" -> "vladimir putin").
    people = [k for k in groups if kinds[k] == PERSON]
    full = sorted((k for k in people if len(k.split()) > 1), key=lambda k: -len(groups[k]))
    for k in sorted(people, key=lambda k: len(k.split())):
        words = k.split()
        if k not in groups:
            continue
        full = [f for f in full if f in groups]
        targets = [f for f in full if f != k and len(f.split()) > len(words) and f.split()[-len(words):] == words]
        if not targets:
            # "Vladimir Zelensky" and "Volodymyr Zelensky": same surname, two spellings of one first name.
            targets = [f for f in full if f != k and len(words) > 1 and f.split()[-1] == words[-1]
                       and f.split()[0][:2] == words[0][:2] and len(groups[f]) >= len(groups[k])]
        if not targets and len(words) == 1:
            # A first name alone ("Yevgeny") is the one person of the article who has it ("Yevgeny Prigozhin").
            owners = [f for f in full if f.split()[0] == words[0]]
            targets = owners if len(owners) == 1 else []
        if targets:
            # Of two people with one surname ("Vitali Klitschko", "Wladimir Klitschko"), the one named before.
            first = min(c.start for c in groups[k])
            before = [f for f in targets if min(c.start for c in groups[f]) < first]
            target = (before or targets)[0]
            groups[target].extend(groups.pop(k))

    # A word of a person's name that the model took for an organisation or a place ("Stoltenberg", "Lula")
    # joins that person when one person of the article has it, or one of those named before it.
    for k in [k for k in groups if kinds[k] != PERSON and " " not in k and len(k) >= 4]:
        if groups[k][0].source != "ner" or any(c.alias is not None for c in groups[k]):
            continue
        owners = [p for p in groups if kinds[p] == PERSON and " " in p and k in p.split()]
        if len(owners) > 1:
            first = min(c.start for c in groups[k])
            owners = [p for p in owners if min(c.start for c in groups[p]) < first]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(k))

    # The first word of a named group or organisation of the table ("Wagner" for the Wagner Group) is that one.
    for k in [k for k in groups if kinds[k] in (ORGANISATION, GROUP) and " " not in k]:
        if groups[k][0].source != "ner" or any(c.alias is not None for c in groups[k]):
            continue
        owners = [o for o, g in groups.items() if g[0].alias is not None and g[0].alias.kind != COUNTRY
                  and " " in g[0].alias.name and g[0].alias.name.split()[0].lower() == k]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(k))

    # Acronyms: "NOAA" joins "National Oceanic and Atmospheric Administration".
    names = list(groups)
    for k in names:
        if k not in groups:
            continue
        surface = groups[k][0].text
        if 2 <= len(surface) <= 6 and surface.isupper() and kinds[k] in (ORGANISATION, GROUP):
            for other in names:
                if (other != k and other in groups and len(other.split()) > 1
                        and _initials(groups[other][0].text) == surface):
                    groups[other].extend(groups.pop(k))
                    break

    # Descriptions of an armed group join the one armed group the article names.
    armed = {k for k, g in groups.items() if any(c.alias is not None and c.alias.armed for c in g)}
    descriptive = [k for k, g in groups.items() if all(c.description for c in g)]
    if len(armed) == 1:
        target = next(iter(armed))
        for k in descriptive:
            groups[target].extend(groups.pop(k))

    actors = []
    for k, g in groups.items():
        if not k:
            continue
        g.sort(key=lambda c: c.start)
        kind = kinds[k]
        known = any(c.alias is not None for c in g)
        if not known and g[0].label in ("GPE", "ORG") and not any(c.agentive for c in g):
            continue  # a place where things happen, not a party to them
        alias = next((c.alias for c in g if c.alias is not None), None)
        if alias is not None:
            name, kind = alias.name, alias.kind
        elif kind == PERSON:
            name = max((c.text for c in g), key=lambda t: (len(_person_key(t)), len(t)))
        else:
            counts = Counter(c.text for c in g)
            name = min(counts, key=lambda t: (-counts[t], len(t)))
        mentions = []
        last_end = -1
        for c in g:
            if c.start >= last_end:
                mentions.append(Mention(c.start, c.end, text[c.start : c.end]))
                last_end = c.end
        actors.append(Actor(name=name, kind=kind, mentions=mentions))
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors


def find_actors(text: str, sentences: list[tuple[int, int]] | None = None, doc: Any = None) -> list[Actor]:
    """The actors of ``text``, in order of first mention, each with its merged mentions and kind.

    ``sentences`` is accepted for symmetry with the other components and not needed; ``doc`` is a spaCy
    ``Doc`` of ``text`` when the caller has one already."""
    if not text.strip():
        return []
    if doc is None:
        doc = load_spacy()(text)
    ents = _entities(doc)
    alias_cands = _alias_candidates(text)
    # A table form inside a longer named entity ("the Washington Post", "Moscow Times") is no mention.
    longer = [ent for ent in ents if ent.label_ in _LONGER_ENTITY]
    keep = []
    for c in alias_cands:
        inside = any(
            ent.start_char <= c.start and c.end <= ent.end_char
            and (ent.end_char - ent.start_char) > (c.end - c.start) + 4 and lookup(ent.text) is None
            for ent in longer
        )
        if inside:
            continue
        if c.alias is not None and is_seat(c.text, c.alias):
            span = doc.char_span(c.start, c.end, alignment_mode="expand")
            if span is not None and _at_place(span.root):
                continue  # "talks in Moscow": the place, not the state
        keep.append(c)
    taken = bytearray(len(text))
    for c in keep:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    places: dict[str, bool] = {}
    entities = keep + _ner_candidates(doc, ents, text, taken, places)
    phrases = _phrase_candidates(doc, text, entities)
    taken_phrase = bytearray(len(text))
    merged: list[_Candidate] = []
    for c in sorted(phrases, key=lambda c: (c.start, -(c.end - c.start))):
        if not any(taken_phrase[c.start : c.end]):
            taken_phrase[c.start : c.end] = b"\x01" * (c.end - c.start)
            merged.append(c)
    for c in entities:
        if c.key and not any(taken_phrase[c.start : c.end]):
            merged.append(c)
    return _merge(merged, text, places)

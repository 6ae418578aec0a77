"""Role cues: what the grammar of a sentence does to an actor, as features for the role model.

Who does what to whom is how an article casts its actors: the one who "left the Kurds at the mercy of ISIS" is
a villain, the Kurds left there are victims, whoever "will do everything necessary to protect" them is a hero.
The encoder's states carry this only faintly (the role data holds 419 annotated mentions), so the role model
also reads it from spaCy's dependency parse, which the actor finder has already made: for each mention, whether
it is the doer or the receiver of harm, deceit, protection or suffering, and whether it, or the sentence around
it, is called a victim, a villain or a hero.

BENCHMARKS.md ("Who is cast as what") gives the role model's figures with and without them. In an offline
experiment on each annotated mention's own features the cues alone came close to the encoder's states alone in
main-role accuracy and added to them; averaged over all of an actor's mentions, as the product classifies, the
difference they make on the validation articles is within the noise of 114 mentions. They stay because they
are the part of the features that reads the grammar rather than the topic, and cost one pass over the parse.

The word lists are lemmas; ``lemma`` maps inflected forms back to them with the regular English endings and a
short table of irregular verbs, so the finder's spaCy pipeline can run without its lemmatizer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

CUES_VERSION = 1  # a role model trained on these cues records it; bump when the features change

HARM_VERBS = frozenset(
    "abandon abuse annex arrest assassinate attack betray blackmail blame bomb bully burn capture censor cripple "
    "crush damage deport destroy detain devastate displace escalate execute exploit harm hit imprison invade jail "
    "kidnap kill loot massacre murder occupy oppress persecute plunder provoke punish raid rape ravage repress "
    "rob sabotage sanction seize shell shoot silence slaughter starve steal strike target terrorise terrorize "
    "threaten torture undermine violate wound".split()
)
HARM_NOUNS = frozenset(
    "aggression annexation assault atrocity attack betrayal blockade bombardment bombing crime crimes genocide "
    "invasion killing massacre occupation oppression persecution sabotage sanctions shelling strike strikes "
    "terror threat torture war".split()
)
DECEIT_VERBS = frozenset(
    "conceal deceive deny distort exaggerate fabricate fake hide lie manipulate mislead pretend smear spin "
    "propagandise propagandize".split()
)
PROTECT_VERBS = frozenset(
    "aid assist defend donate evacuate feed free guard heal help liberate mediate negotiate protect rebuild "
    "rescue resist restore save secure shelter support welcome".split()
)
SUFFER_VERBS = frozenset("die endure flee freeze lose mourn perish starve struggle suffer survive".split())
INNOCENT_NOUNS = frozenset(
    "child children civilian civilians families family hostage hostages patient patients people population "
    "prisoner prisoners refugee refugees resident residents victim victims woman women".split()
)
VILLAIN_NOUNS = frozenset(
    "aggressor aggressors criminal criminals dictator elite elites enemies enemy extremist extremists fascist "
    "fascists globalist globalists invader invaders junta killer killers liar liars militant militants murderer "
    "murderers nazi nazis occupier occupiers oligarch oligarchs puppet puppets radical radicals regime terrorist "
    "terrorists thug thugs traitor traitors tyrant tyrants warmonger warmongers".split()
)
HERO_NOUNS = frozenset(
    "ally allies champion champions defender defenders guardian guardians hero heroes liberator liberators "
    "peacekeeper peacekeepers saviour saviours savior saviors volunteer volunteers".split()
)
NEGATIVE_ADJECTIVES = frozenset(
    "aggressive barbaric bloody brutal corrupt criminal cruel cynical dangerous disgraceful evil failed hostile "
    "illegal incompetent lying murderous reckless ruthless shameless treacherous".split()
)
IRREGULAR = {
    "abode": "abide", "bled": "bleed", "burnt": "burn", "died": "die", "dying": "die", "fled": "flee",
    "fought": "fight", "fed": "feed", "freed": "free", "froze": "freeze", "frozen": "freeze", "hid": "hide",
    "hidden": "hide", "lay": "lie", "lied": "lie", "lying": "lie", "lost": "lose", "shot": "shoot",
    "slew": "slay", "spun": "spin", "stole": "steal", "stolen": "steal", "struck": "strike", "stricken": "strike",
    "undermined": "undermine", "wounded": "wound",
}
_LEXICON = (HARM_VERBS | DECEIT_VERBS | PROTECT_VERBS | SUFFER_VERBS)
_HARM = HARM_VERBS | HARM_NOUNS

CUE_NAMES = (
    "doer of harm", "receiver of harm", "doer of deceit", "doer of protection", "receiver of protection",
    "sufferer", "called innocent", "called villain", "called hero", "called by a negative adjective",
    "harm in the sentence", "innocents in the sentence", "villains in the sentence", "heroes in the sentence",
    "doer", "receiver",
)
AGENT_DEPS = frozenset({"nsubj"})
PATIENT_DEPS = frozenset({"dobj", "nsubjpass", "dative"})


def lemma(word: str) -> str:
    """The lemma of an inflected English word, as far as the cue lists need it ("killed" → "kill")."""
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    if w in _LEXICON:
        return w
    for suffix, back in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
                         ("s", ""), ("d", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: len(w) - len(suffix)] + back
            if stem in _LEXICON:
                return stem
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in _LEXICON:  # "shelled", "robbed"
                return stem[:-1]
    return w


def _is_verb(token: Any) -> bool:
    return str(token.tag_).startswith(("VB", "MD"))


def _head_of(doc: Any, start: int, end: int, length: int) -> Any:
    """The token of the mention whose syntactic head lies outside it (the mention's root). ``length``: that of
    ``doc.text``, which spaCy rebuilds from every token each time it is read, so it is not read here."""
    span = doc.char_span(start, end, alignment_mode="expand") if 0 <= start < end <= length else None
    tokens = list(span) if span is not None else []
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in inside or t.head.i == t.i:
            return t
    return tokens[-1]


CHAIN_DEPS = frozenset({"xcomp", "acomp", "dobj", "amod", "advcl"})


def _chain(word: Any, depth: int = 3) -> set[str]:
    """The lemmas of ``word`` and of the words it hands its subject down to: "began to liberate", "will do
    everything necessary to secure", "decided to leave" (open complements, not reported speech)."""
    found, frontier = {lemma(word.text)}, [word]
    for _ in range(depth):
        frontier = [c for w in frontier for c in w.children if c.dep_ in CHAIN_DEPS]
        found |= {lemma(c.text) for c in frontier}
    return found


def _roles_in_clause(head: Any) -> tuple[bool, bool, set[str]]:
    """(doer, receiver, the lemmas of the governing words) for the mention's root ``head``."""
    dep, gov = head.dep_, head.head
    if dep == "pobj":
        prep = gov
        if prep.dep_ == "agent":  # "was attacked by X"
            return True, False, {lemma(prep.head.text)}
        target = prep.head  # "attacks on X", "left X at the mercy of", "aggression against X"
        if prep.lower_ in ("on", "against", "upon", "at", "of") and (lemma(target.text) in HARM_NOUNS
                                                                     or lemma(target.text) in HARM_VERBS):
            return False, True, {lemma(target.text)}
        return False, False, {lemma(target.text)}
    if dep == "poss":  # "X's aggression": the doer of what it owns
        return True, False, {lemma(gov.text)}
    if dep in AGENT_DEPS:
        return True, False, _chain(gov)
    if dep in PATIENT_DEPS:
        return False, True, {lemma(gov.text)}
    if dep in ("conj", "appos") and gov.i != head.i:
        return _roles_in_clause(gov)
    return False, False, {lemma(gov.text)}


def _called(head: Any) -> set[str]:
    """The words the article calls the mention by: itself, its modifiers and appositions, and what it is said
    to be ("X are terrorists")."""
    words = {t.lower_ for t in head.subtree} if head is not None else set()
    if head is not None and head.dep_ == "nsubj" and lemma(head.head.text) in ("be", "is", "are", "was", "were"):
        words |= {t.lower_ for c in head.head.children if c.dep_ in ("attr", "acomp") for t in c.subtree}
    return words


def role_cues(doc: Any, spans: list[tuple[int, int]]) -> np.ndarray:
    """[M, len(CUE_NAMES)] cue features of each mention span (character offsets, end exclusive) of ``doc``."""
    out = np.zeros((len(spans), len(CUE_NAMES)), dtype=np.float32)
    sentences: dict[int, set[str]] = {}  # an actor's mentions often share a sentence: its lemmas once
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0  # len(doc.text), without rebuilding it
    for i, (start, end) in enumerate(spans):
        head = _head_of(doc, start, end, length)
        if head is None:
            continue
        doer, receiver, governors = _roles_in_clause(head)
        harm = bool(governors & _HARM)
        called = _called(head)
        sent = head.sent
        if sent.start not in sentences:
            sentences[sent.start] = {lemma(t.text) for t in sent}
        sentence = sentences[sent.start]
        out[i] = (
            doer and harm, receiver and harm, doer and bool(governors & DECEIT_VERBS),
            doer and bool(governors & PROTECT_VERBS), receiver and bool(governors & PROTECT_VERBS),
            doer and bool(governors & SUFFER_VERBS),
            bool(called & INNOCENT_NOUNS), bool(called & VILLAIN_NOUNS), bool(called & HERO_NOUNS),
            bool(called & NEGATIVE_ADJECTIVES),
            bool(sentence & _HARM), bool(sentence & INNOCENT_NOUNS),
            bool(sentence & VILLAIN_NOUNS), bool(sentence & HERO_NOUNS),
            doer, receiver,
        )
    return out

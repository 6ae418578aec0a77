from __future__ import annotations

from collections import Counter, defaultdict

from propwatch.components.attributions import find_attributions
from propwatch.components.attributions.decode import RoleSpan
from propwatch.components.attributions.passives import PASSIVE_PARTICIPLES, PASSIVE_VERB_GROUP, passive_subject

from .conftest import tagged


def _found(text: str, source: str, cue: str, content: str):
    offsets, probs = tagged(text, [("source", source), ("cue", cue), ("content", content)])
    return find_attributions(text, offsets, probs)


def test_a_passive_cues_subject_is_content_and_the_claim_has_no_source():
    text = "He has been harshly criticized for policies that objectors see as abuse."
    (a,) = _found(text, "He", "has been harshly criticized for", "policies that objectors see as abuse")
    assert a.source is None and a.source_type == "none"
    assert [c.text for c in a.content] == ["He", "policies that objectors see as abuse"]


def test_a_state_of_mind_keeps_its_subject_as_the_source():
    text = "Republicans were also incensed that the deals cover five aides."
    (a,) = _found(text, "Republicans", "were also incensed", "that the deals cover five aides")
    assert a.source is not None and a.source.text == "Republicans"


def test_an_active_cue_or_words_between_keep_the_source():
    text = "Smith criticized the plan. Smith, who was asked twice, said the plan is dead."
    (a,) = _found(text, "Smith", "criticized", "the plan")
    assert a.source is not None and a.source.text == "Smith"

    def span(role: str, phrase: str) -> RoleSpan:
        start = text.index(phrase, 27)
        return RoleSpan(role, start, start + len(phrase), 0, 0, 0.9)

    assert not passive_subject(text, span("source", "Smith"), span("cue", "was asked"))


# Past participles that do not end in -ed, -en or -wn, as counted below.
_IRREGULAR = frozenset("known seen shown told held thought heard made given taken written drawn sworn caught brought "
                       "taught found left put set read led sent built meant kept hit cut forbidden overheard "
                       "understood".split())


def test_the_participles_are_those_polnears_train_shows_as_passive_cues(polnear):
    """The list ``passives`` reads is what its docstring says: each past participle of train's "be + participle"
    cues with at least two attributions and the source before the cue in at most one in five of them."""
    from propwatch.inputs.polnear import read_compartment
    from propwatch.metrics.attributions import role_spans

    counts: dict[str, Counter] = defaultdict(Counter)
    for article in read_compartment(polnear / "train"):
        text = article.text
        for g in article.attributions:
            cues = role_spans(g, "cue")
            if not cues:
                continue
            start, end = min(s for s, _ in cues), max(e for _, e in cues)
            # the verb group may begin before the cue ("has been" outside an annotated "criticized for")
            for at in range(max(0, start - 25), start + 1):
                if at and text[at - 1].isalnum():
                    continue
                m = PASSIVE_VERB_GROUP.match(text, at, end)
                if m and m.end() >= start and m.start() <= start + 1:
                    break
            else:
                continue
            word = m.group("participle").lower()
            if word not in _IRREGULAR and not (len(word) > 4 and word.endswith(("ed", "en", "wn"))):
                continue  # "being", "under", "best": no participle
            sources = role_spans(g, "source")
            where = "none" if not sources else ("before" if sources[0][0] < start else "after")
            counts[word][where] += 1
    passive = {w for w, c in counts.items() if sum(c.values()) >= 2 and c["before"] * 4 <= c["none"] + c["after"]}
    assert passive == PASSIVE_PARTICIPLES

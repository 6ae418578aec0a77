"""A passive cue's subject is what is attributed, not who attributes it.

"He has been harshly criticized for …", "Trump is expected to deliver …", "Ronald Reagan was once asked …": the
person before the cue is talked about, and whoever criticises, expects or asks goes unnamed (or follows, "by
…"). The tagger often gives that subject as the source, and the reader was shown "He" as the one who criticised.
PolNeAR annotates it the other way: of the 582 attributions of its train articles whose annotated cue itself
starts with a form of "be" and a word after it (counted once, when the rule was written), 336 have no source,
and 292 of those have content before the cue, the subject; 108 more have their source after the cue ("by …").
So a source right before such a cue becomes a piece of the content, and the attribution is left without a
source (``none``: a claim resting on no one's named word, which a passive is a common way to make).

Not every "be" and participle is passive in this sense: "was worried", "were divided", "is convinced" describe
the subject's own state of mind, and PolNeAR gives the subject as their source; and the words of that kind are an
open class ("incensed", "unsettled", "miffed"). So the rule reads only the participles PolNeAR train shows to be
passive cues: ``PASSIVE_PARTICIPLES`` holds each participle of train's "be + participle" cues that heads at least
two attributions and has its source before the cue in at most one in five of them (counted by
``tests/components/attributions/test_passives.py``'s PolNeAR test, which fails when the list and train disagree).
A first version read every participle but a hand-written list of states of mind; on PolNeAR dev it also fired on
"were also incensed" and "have been unsettled by", whose subjects are annotated as sources, and was replaced by
this list before any figure of it was written down. With the list, on dev with `fast`, it turns "He has been
harshly criticized for" and "Ronald Reagan was once asked" into what the annotators marked, and "Mrs. Clinton's
plan is intended" away from it (PolNeAR's source there is "Mrs. Clinton's").
"""

from __future__ import annotations

import re

from .decode import RoleSpan

# A verb group of "be" (after a modal or "have", adverbs between) and a past participle, at the start of the text
# after the source: " has been harshly criticized for", " was once asked", " are expected".
PASSIVE_VERB_GROUP = re.compile(
    r"\s*(?:(?:has|have|had|will|would|could|may|might|must|should|can)\s+)?(?:not\s+)?"
    r"(?:been|was|were|is|are|be|being)\s+(?:(?:\w+ly|not|never|also|once|now|still|already|often|long)\s+)*"
    r"(?P<participle>[A-Za-z]+)\b", re.IGNORECASE)
# PolNeAR train's passive cues (the module's docstring says how they were counted).
PASSIVE_PARTICIPLES = frozenset(
    "accused announced approved argued asked attacked attributed authored booed called challenged charged claimed "
    "condemned confirmed considered criticized debated declared deemed described designed disclosed dismissed echoed "
    "endorsed expected featured fired found granted greeted identified intended interpreted introduced invited known "
    "lambasted listed meant named nominated portrayed presented pressed projected pushed questioned recognized "
    "recommended regarded released reported requested required revealed revered reviled scheduled seen shared shown "
    "signed supported told unknown viewed warned written".split())


def passive_subject(text: str, source: RoleSpan, cue: RoleSpan) -> bool:
    """Whether ``source`` is the subject of a passive ``cue`` that follows it at once: the verb group from the
    source's end to the cue's end is "be" and one of ``PASSIVE_PARTICIPLES``."""
    if source.end > cue.start:
        return False
    m = PASSIVE_VERB_GROUP.match(text, source.end, cue.end)
    if m is None or m.end() < cue.start:
        return False
    return m.group("participle").lower() in PASSIVE_PARTICIPLES


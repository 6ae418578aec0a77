"""What a reader is told about a highlight: how strong its signal is, why it was marked, how often the model
finds its technique at all. The web page and the HTML report both word it through here, so they never disagree.

Readers see a strength ("strong signal") rather than a percentage, because "18%" beside a highlight reads as
"probably wrong" even for one of the model's better-supported spans; the calibrated score stays available as a
detail. Where an analysis predates strengths (no ``strength`` on its spans, no ``strength_thresholds`` on its
model), every function here falls back to the percentage the views showed before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..schema import Analysis, ModelInfo, Strength, TechniqueReliability, TechniqueSpan

LEVELS: tuple[Strength, ...] = ("strong", "moderate", "weak")
OFTEN_MISSED = 0.4
"""Below this recall a technique is flagged in legends: the model misses most of its uses, so the absence of a
highlight says little."""


def technique_model(analysis: Analysis) -> ModelInfo:
    """The technique model's description: ``models["techniques"]`` where the analysis names it, else ``model``."""
    return analysis.models.get("techniques") or analysis.model


def thresholds(analysis: Analysis) -> tuple[float, float] | None:
    """The lowest score of a strong and of a moderate span: the model's own, else read off the spans' strengths
    (when every span has one), else None (an analysis from before strengths)."""
    model = technique_model(analysis)
    if model.strength_thresholds is not None:
        strong, moderate = model.strength_thresholds
        return strong, moderate
    spans = analysis.spans
    if not spans or any(s.strength is None for s in spans):
        return None
    strong_scores = [s.score for s in spans if s.strength == "strong"]
    moderate_scores = [s.score for s in spans if s.strength in ("strong", "moderate")]
    strong = min(strong_scores, default=1.0)
    return strong, min(moderate_scores, default=strong)


def strength_of(span: TechniqueSpan, cuts: tuple[float, float] | None) -> Strength | None:
    """The span's own strength, else the level its score reaches under ``cuts``, else None."""
    if span.strength is not None:
        return span.strength
    if cuts is None:
        return None
    strong, moderate = cuts
    # as model.strength.strength_of: a threshold of 1 is a level no score reached, given to no span
    if span.score >= strong and strong < 1.0:
        return "strong"
    return "moderate" if span.score >= moderate and moderate < 1.0 else "weak"


def signal(span: TechniqueSpan, cuts: tuple[float, float] | None) -> str:
    """``strong signal``; ``38% confidence`` where no strength is known."""
    level = strength_of(span, cuts)
    return f"{level} signal" if level else f"{span.score:.0%} confidence"


def label(span: TechniqueSpan, cuts: tuple[float, float] | None) -> str:
    """``strong signal``; the bare ``38%`` where no strength is known (the report's compact form)."""
    level = strength_of(span, cuts)
    return f"{level} signal" if level else f"{span.score:.0%}"


def score_detail(span: TechniqueSpan) -> str:
    """The exact calibrated score, for readers who ask for it."""
    return f"calibrated score {span.score:.2f}"


def level_floor(score: float) -> float:
    """A threshold rounded down to 4 decimals, safe to carry in an address (``?min_score=``): rounding down
    keeps every span at the threshold shown."""
    return math.floor(score * 10000) / 10000


@dataclass(frozen=True)
class Reliability:
    """How often the model finds a technique, as the legend words it."""

    recall: float
    precision: float
    support: int

    @property
    def about(self) -> str:
        """``about 35%``, rounded to 5 points: the figure is an estimate, and reads as one."""
        rounded = 5 * round(self.recall * 20)
        return "almost none" if rounded == 0 else f"about {rounded}%"

    @property
    def often_missed(self) -> bool:
        return self.recall < OFTEN_MISSED

    @property
    def sentence(self) -> str:
        """``The model finds about 35% of these: often missed, so no highlight does not mean none is there.``"""
        finds = f"The model finds {self.about} of these"
        if self.often_missed:
            return finds + ": often missed, so no highlight does not mean none is there."
        return finds + "."

    @property
    def detail(self) -> str:
        return (f"recall {self.recall:.2f}, precision {self.precision:.2f}, "
                f"measured on {self.support} annotated span{'' if self.support == 1 else 's'}")


def reliability(analysis: Analysis) -> dict[str, Reliability]:
    """Per technique id, what the model's card says about finding it; empty for models that do not say."""
    found: dict[str, TechniqueReliability] = technique_model(analysis).reliability
    return {t: Reliability(r.recall, r.precision, r.support) for t, r in found.items()}


def has_reasons(analysis: Analysis) -> bool:
    """Whether any span carries cues or examples (the views then list the reasons span by span)."""
    return any(s.cues or s.examples for s in analysis.spans)


def cue_parts(text: str, cues: Sequence[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_cue) so a view can emphasise the cue words where they stand, whole words
    only and case-insensitively; a cue the text does not hold is simply not marked."""
    lower = text.lower()
    marked = [False] * len(text)
    for cue in {c.strip().lower() for c in cues if c.strip()}:
        at = lower.find(cue)
        while at >= 0:
            end = at + len(cue)
            if (at == 0 or not lower[at - 1].isalnum()) and (end == len(text) or not lower[end].isalnum()):
                marked[at:end] = [True] * len(cue)
            at = lower.find(cue, at + 1)
    parts: list[tuple[str, bool]] = []
    for ch, on in zip(text, marked):
        if parts and parts[-1][1] == on:
            parts[-1] = (parts[-1][0] + ch, on)
        else:
            parts.append((ch, on))
    return parts


ANONYMOUS_MEANS = ("unnamed people presented as authorities: a claim resting on an authority the reader cannot "
                   "check, a form of appeal to authority")
"""How every view words an anonymous source. The technique model does not turn attributions into
appeal-to-authority spans (BENCHMARKS.md, "Attributions as evidence for appeal to authority": it would add far
more wrong spans than right ones), so the link to the technique is made here, in words, where readers see it."""
UNSOURCED_MEANS = ("no source named: attributed to nobody (“reportedly”), the writer’s own impression (“it "
                   "seems”), or a source the model missed")
"""How every view words an attribution without a source. On PolNeAR dev, about a third of those the model
gives are claims its annotators attribute to nobody; the rest have a source the tagger did not mark ("Butina
pleaded guilty") or are no attribution at all (BENCHMARKS.md, "Attributions": the `none` breakdown). Dropping the
ones whose cue is no hedge or passive ("reportedly", "is believed") cost cue and content F1 on both halves of dev,
so they stay, and the reader is told what the group holds. PolNeAR's annotators give "seems" and "appears" a cue and
no source (about 170 times in train, a source in about 20 more), so the tagger does too: the writer's hedged
impression, which the reader is told apart from hearsay ("reportedly") by name."""

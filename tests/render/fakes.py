"""Hand-built analyses of the bundled example article, so views and the CLI are tested without a model.

Spans sit at real word offsets and cover the cases a view can get wrong: a span in the title, nested spans
(exaggeration inside doubt), crossing spans, and two techniques on exactly the same words. ``make_full_analysis``
adds attributions (anonymous, unsourced and named, one over an appeal-to-authority span) and actors (heroes,
villains, a victim, one in no role) at offsets computed from the text; ``FakeAnalyzer`` gives them to the server
and batch tests in place of the whole pipeline.
Loaded by path (not imported by name) from ``tests/render/conftest.py`` and ``tests/cli/test_analyze.py``.
"""

from __future__ import annotations

import re
from importlib import resources

from propwatch.schema import (
    Actor,
    Analysis,
    Article,
    Attribution,
    ModelInfo,
    SentenceResult,
    TechniqueSpan,
    TextSpan,
    count_techniques,
    techniques_in,
)

EXAMPLE = resources.files("propwatch").joinpath("examples/deir-ez-zor.txt").read_text(encoding="utf-8")

# (phrase, technique, score): the phrase's first occurrence in the text becomes the span.
EXAMPLE_SPANS = [
    ("left the Kurds at the mercy of ISIS", "appeal_to_fear", 0.81),
    ("terrorists will destroy", "loaded_language", 0.64),
    ("religious sectarians", "name_calling", 0.77),
    ("pseudo-caliphate", "name_calling", 0.93),
    ("pseudo-caliphate", "loaded_language", 0.58),
    ("The strange thing is that during this time no one really even tried to destroy them.", "doubt", 0.72),
    ("no one really even tried", "exaggeration_minimisation", 0.49),
    ("the elimination of the last stronghold of the IS", "exaggeration_minimisation", 0.41),
    ("last stronghold of the IS was only here for them", "doubt", 0.55),
    ("disastrous", "loaded_language", 0.88),
    ("crushing defeat", "loaded_language", 0.9),
    ("it’s very silly to believe", "loaded_language", 0.61),
    ("Our source in the military leadership of the Russian Federation reports", "appeal_to_authority", 0.83),
    ("Russia and Syria will do everything necessary", "flag_waving", 0.35),
]

MODEL = ModelInfo(name="fake-model", version="9.9.9")


def span_at(text: str, phrase: str, technique: str, score: float) -> TechniqueSpan:
    start = text.index(phrase)
    return TechniqueSpan(start=start, end=start + len(phrase), technique=technique, score=score, text=phrase)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Good enough for tests: a sentence ends at . ! ? before whitespace, or at a line end."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S[^\n]*?(?:[.!?](?=\s|$)|(?=\n)|$)", text)]


def analysis_of(article: Article, spans=EXAMPLE_SPANS, warnings: list[str] = ()) -> Analysis:
    text = article.text
    found = [span_at(text, *s) for s in spans]
    sentences = []
    for start, end in sentence_bounds(text):
        score = max((s.score for s in found if s.start < end and s.end > start), default=0.04)
        sentences.append(SentenceResult(start=start, end=end, score=score, techniques=techniques_in(found, start, end)))
    chars = sum(s.end - s.start for s in sentences) or 1
    return Analysis(
        article=article,
        spans=found,
        sentences=sentences,
        score=round(sum((s.end - s.start) * s.score for s in sentences) / chars, 4),
        technique_counts=count_techniques(found),
        model=MODEL,
        timings_ms={"model": 120.0, "decode": 3.5},
        warnings=list(warnings),
    )


def make_analysis(text: str = EXAMPLE, spans=EXAMPLE_SPANS, *, article_id: str = "deir-ez-zor",
                  title: str | None = None, source: str | None = "deir-ez-zor.txt") -> Analysis:
    article = Article.from_ptc_text(text, id=article_id, source=source)
    if title is not None:
        article = article.model_copy(update={"title": title})
    return analysis_of(article, spans)


# -- who says so, and who is cast as what -------------------------------------------------------------------
# (source or None, cue, content, source_type, source_name, score): each phrase is looked up inside its anchor
# (the first occurrence of the anchor in the text), so a phrase that occurs earlier elsewhere is found right.
EXAMPLE_ATTRIBUTIONS = [
    ("Our source in the military leadership of the Russian Federation reports that the withdrawal",
     "Our source in the military leadership of the Russian Federation", "reports",
     ["the withdrawal of the Americans is due to the military activity of the Turkish army in Aleppo"],
     "anonymous", None, 0.91),
    ("our specialists recorded the movement", "our specialists", "recorded",
     ["the movement of their large forces from the combat zone"], "anonymous", None, 0.84),
    ("However, the source believes, the United States intends", "the source", "believes",
     ["the United States intends to return here in the near future"], "anonymous", None, 0.77),
    ("and, reportedly, almost fifty", None, "reportedly", ["almost fifty killed in just two days"], "none", None, 0.74),
    ("Then the United States announced a big operation", "the United States", "announced",
     ["a big operation in Hadzhin, the temporary capital of the drained IS"], "named", "United States", 0.68),
    ("The Americans believe that these actions", "The Americans", "believe",
     ["these actions are dangerous not only for their Kurdish allies, but also for the American military"],
     "named", "United States", 0.81),
]

# (name, kind, mention pattern, main role, fine roles, score, phrases of the sentences that cast it so)
EXAMPLE_ACTORS = [
    ("United States", "state", r"\b(?:the United States|the Americans|The Americans|Washington|the USA)\b",
     "Antagonist", ["Traitor", "Incompetent"], 0.82,
     ["The Americans left the Kurds at the mercy of ISIS", "but instead they chose to leave"]),
    ("the Kurds", "group", r"\b(?:the Kurds|Kurds)\b", "Innocent", ["Victim"], 0.77,
     ["For the Kurds, these actions were disastrous.", "they suffered a crushing defeat"]),
    ("ISIS", "organisation", r"\b(?:ISIS|Islamic state|IS)\b", "Antagonist", ["Terrorist"], 0.88,
     ["terrorists will destroy the units", "hundreds of captured civilians"]),
    ("Russia", "state", r"\b(?:Russia|the Russian Federation)\b", "Protagonist", ["Guardian"], 0.71,
     ["But Russia and Syria will do everything necessary"]),
    ("Turkey", "state", r"\bTurkey\b", None, [], 0.38, []),
]


def text_span(text: str, phrase: str, at: int = 0) -> TextSpan:
    start = text.index(phrase, at)
    return TextSpan(start=start, end=start + len(phrase), text=phrase)


def attributions_of(text: str, rows=EXAMPLE_ATTRIBUTIONS) -> list[Attribution]:
    """The attributions whose anchor ``text`` holds (all of them in the example; some in a part of it)."""
    out = []
    for anchor, source, cue, content, source_type, name, score in rows:
        if anchor not in text:
            continue
        at = text.index(anchor)
        out.append(Attribution(
            source=text_span(text, source, at) if source else None,
            cue=text_span(text, cue, at),
            content=[text_span(text, c, at) for c in content],
            source_type=source_type, source_name=name, score=score,
        ))
    return out


def actors_of(text: str, sentences: list[SentenceResult], rows=EXAMPLE_ACTORS) -> list[Actor]:
    out = []
    for name, kind, pattern, role, fine, score, evidence in rows:
        mentions = [TextSpan(start=m.start(), end=m.end(), text=m.group()) for m in re.finditer(pattern, text)]
        if not mentions:
            continue
        where = [text.index(phrase) for phrase in evidence if phrase in text]
        indices = sorted({i for i, s in enumerate(sentences) for w in where if s.start <= w < s.end})
        out.append(Actor(name=name, kind=kind, mentions=mentions, main_role=role, fine_roles=fine, score=score,
                         evidence=indices))
    return out


def make_full_analysis(text: str = EXAMPLE, **options) -> Analysis:
    """The example analysis with attributions and actors too (what the full pipeline gives)."""
    analysis = make_analysis(text, **options)
    return analysis.model_copy(update={
        "attributions": attributions_of(analysis.article.text),
        "actors": actors_of(analysis.article.text, analysis.sentences),
    })


class FakeAnalyzer:
    """Stands in for the whole pipeline (techniques, attributions, actors) while the attribution and actor models
    are not shipped: any article that holds phrases of the example gets their spans, attributions and actors at
    its own offsets (the whole example gets ``make_full_analysis``'s), any other gets none. Duck-types what the
    server and batch engines call: ``analyze``, ``analyze_many``, ``model_info``, ``max_words``."""

    model_info = MODEL

    def __init__(self, with_layers: bool = True):
        from propwatch.analyzer import DEFAULT_MAX_WORDS

        self.max_words = DEFAULT_MAX_WORDS
        self.with_layers = with_layers

    def analyze(self, article: Article) -> Analysis:
        text = article.text
        analysis = analysis_of(article, [s for s in EXAMPLE_SPANS if s[0] in text])
        if not self.with_layers:
            return analysis
        return analysis.model_copy(update={
            "attributions": attributions_of(text), "actors": actors_of(text, analysis.sentences),
        })

    def analyze_many(self, articles: list[Article]) -> list[Analysis]:
        return [self.analyze(a) for a in articles]


# -- strengths, reasons and reliability (what the detector adds to each span and the model card) --------------
STRENGTH_THRESHOLDS = (0.7, 0.5)
"""The lowest score of a strong and of a moderate span in ``make_explained_analysis``."""
RELIABILITY = {
    "loaded_language": (0.62, 0.55, 412), "name_calling": (0.55, 0.5, 220), "doubt": (0.45, 0.4, 120),
    "appeal_to_fear": (0.38, 0.35, 90), "exaggeration_minimisation": (0.3, 0.33, 80),
    "appeal_to_authority": (0.12, 0.3, 40), "flag_waving": (0.5, 0.48, 70), "black_and_white": (0.08, 0.2, 25),
    "thought_terminating_cliche": (0.04, 0.1, 18), "slogans": (0.2, 0.4, 30),
    "bandwagon_reductio": (0.1, 0.2, 15), "causal_oversimplification": (0.18, 0.25, 40),
    "repetition": (0.25, 0.3, 60), "whataboutism_strawman": (0.05, 0.1, 20),
}


def explained(analysis: Analysis, payload: str = "") -> Analysis:
    """``analysis`` as the detector now gives it: every span with its strength (from ``STRENGTH_THRESHOLDS``),
    its first two words of four letters or more as cues, and two annotated examples (carrying ``payload``, for
    escaping tests); the technique model with its reliability and thresholds."""
    from propwatch.schema import SpanExample, TechniqueReliability

    strong, moderate = STRENGTH_THRESHOLDS
    spans = []
    for s in analysis.spans:
        level = "strong" if s.score >= strong else "moderate" if s.score >= moderate else "weak"
        cues = tuple(w.strip(".,’'") for w in s.text.split() if len(w.strip(".,’'")) >= 4)[:2]
        examples = tuple(
            SpanExample(text=f"annotated {s.technique} phrase {k}{payload}", before=f"words before{payload}",
                        after=f"words after {k}", article=f"article11110000{k}", similarity=0.8 - k / 10)
            for k in (1, 2)
        )
        spans.append(s.model_copy(update={"strength": level, "cues": cues, "examples": examples}))
    model = analysis.model.model_copy(update={
        "reliability": {t: TechniqueReliability(recall=r, precision=p, support=n)
                        for t, (r, p, n) in RELIABILITY.items()},
        "strength_thresholds": STRENGTH_THRESHOLDS,
    })
    return analysis.model_copy(update={"spans": spans, "model": model, "models": {"techniques": model}})

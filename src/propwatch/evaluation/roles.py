"""Who is cast as what, measured in the task's own setting (SemEval-2025 Task 10 subtask 1: the mentions are
given, the roles are predicted), and how well the actor finder recovers the annotated mentions.

``predict_roles`` answers every given mention; ``evaluate_roles`` scores a role model on a split of a framing
folder with ``metrics.roles`` (exact match ratio of the fine roles as sets, main-role accuracy, fine-role
micro-F1) and measures the finder on the same articles (``FinderRecall``). Needs spaCy (the ``[actors]`` extra)
for the finder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from ..components.actors.finder import Actor, find_actors
from ..components.actors.roles import RoleDecision, RoleModel
from ..components.actors.taxonomy import MAIN_ROLES
from ..inputs.framing import Documents, FramingMention, FramingSplit
from ..metrics.roles import RoleKey, RoleLabel, RoleScores, format_role_row, score_roles
from ..sentences import split_sentences


@dataclass(frozen=True)
class RolePrediction:
    mention: FramingMention
    decision: RoleDecision

    def row(self) -> str:
        """``ARTICLE  ENTITY  START  END  MAIN_ROLE  FINE_ROLE...``, tab-separated, keyed as the mention was given."""
        m = self.mention
        return format_role_row(m.article, m.entity, m.start, m.end, self.decision.main_role, self.decision.fine_roles)


@dataclass(frozen=True)
class FinderRecall:
    """How many annotated mentions a found actor's mention overlaps (``overlap``) or equals (``exact``);
    ``entities`` counts each (article, entity string) once."""

    articles: int
    mentions: int
    overlap: float
    exact: float
    entities: float
    actors_per_article: float

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass(frozen=True)
class RolesReport:
    model: str
    split: str
    scores: RoleScores
    finder: FinderRecall

    def to_json_dict(self) -> dict:
        return {"model": self.model, "split": self.split, "roles": self.scores.to_dict(),
                "finder": self.finder.to_dict()}


def gold_rows(mentions: Iterable[FramingMention]) -> dict[RoleKey, RoleLabel]:
    return {(m.article, m.start, m.end): (m.main_role, frozenset(m.fine_roles)) for m in mentions}


def predicted_rows(predictions: Iterable[RolePrediction]) -> dict[RoleKey, RoleLabel]:
    return {(p.mention.article, p.mention.start, p.mention.end): (p.decision.main_role,
                                                                  frozenset(p.decision.fine_roles))
            for p in predictions}


def constant_rows(mentions: Iterable[FramingMention], main: str, fine: tuple[str, ...]) -> dict[RoleKey, RoleLabel]:
    """The same roles for every mention: a baseline."""
    return {(m.article, m.start, m.end): (main, frozenset(fine)) for m in mentions}


def majority_main_role(mentions: Iterable[FramingMention]) -> str:
    counts = {r: 0 for r in MAIN_ROLES}
    for m in mentions:
        if m.main_role in counts:
            counts[m.main_role] += 1
    return max(MAIN_ROLES, key=lambda r: counts[r])


def _by_article(mentions: list[FramingMention]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(m.article, []).append(i)
    return groups


def predict_roles(model: RoleModel, mentions: list[FramingMention], documents: Documents,
                  on_article: Callable[[str, list[Actor]], None] | None = None) -> list[RolePrediction]:
    """The roles of every mention, in the order given (the article's text encoded once for all its mentions).
    ``on_article(article, actors)`` sees the actors the finder found there (when the model ran it)."""
    decisions: list[RoleDecision | None] = [None] * len(mentions)
    for article, rows in _by_article(mentions).items():
        text = documents(article)
        sentences = split_sentences(text)
        actors = find_actors(text, sentences) if model.features_used == "actor" or on_article else None
        found = model.classify_mentions(text, [mentions[i].span for i in rows], sentences, actors)
        for i, d in zip(rows, found):
            decisions[i] = d
        if on_article is not None:
            on_article(article, actors or [])
    return [RolePrediction(m, d) for m, d in zip(mentions, decisions) if d is not None]


def finder_recall(split: FramingSplit, actors_of: dict[str, list[Actor]] | None = None) -> FinderRecall:
    """The finder's recall of the annotated mentions of ``split`` (``actors_of``: the actors already found per
    article; the finder runs on the others)."""
    overlap = exact = n_actors = 0
    entities: dict[tuple[str, str], bool] = {}
    for article in split.articles:
        if actors_of is not None and article in actors_of:
            actors = actors_of[article]
        else:
            actors = find_actors(split.documents(article))
        n_actors += len(actors)
        spans = [(m.start, m.end) for a in actors for m in a.mentions]
        for g in split.of(article):
            s, e = g.span
            hit = any(ms < e and s < me for ms, me in spans)
            overlap += hit
            exact += any(ms == s and me == e for ms, me in spans)
            entities[(article, g.entity)] = entities.get((article, g.entity), False) or hit
    n = len(split.mentions)
    return FinderRecall(articles=len(split.articles), mentions=n, overlap=overlap / n if n else 0.0,
                        exact=exact / n if n else 0.0,
                        entities=sum(entities.values()) / len(entities) if entities else 0.0,
                        actors_per_article=n_actors / len(split.articles) if split.articles else 0.0)


def evaluate_roles(model: RoleModel, split: FramingSplit,
                   on_progress: Callable[[int], None] | None = None) -> tuple[RolesReport, list[RolePrediction]]:
    """The role model's scores on the annotated mentions of ``split`` and the finder's recall there (one finder
    pass per article serves both)."""
    actors_of: dict[str, list[Actor]] = {}

    def seen(article: str, actors: list[Actor]) -> None:
        actors_of[article] = actors
        if on_progress is not None:
            on_progress(1)

    predictions = predict_roles(model, split.mentions, split.documents, on_article=seen)
    scores = score_roles(gold_rows(split.mentions), predicted_rows(predictions))
    report = RolesReport(f"{model.name} {model.version}", split.name, scores, finder_recall(split, actors_of))
    return report, predictions

"""Knowledge distillation: a trained (larger) model teaches a smaller one.

The fast model is too small to learn PTC's sparse, noisy annotations as well as all-mpnet-base-v2 does; what
helps it is to learn from the big model's soft view of every token (how propagandistic, which technique) on
top of the gold labels, and to learn it on more text than is labelled (``ptc/unlabeled``). This module runs the
teacher(s) with the ONNX runtime, as shipped, and maps what they say onto the student's tokens.

Teachers and students may tokenise differently (MPNet's and MiniLM's vocabularies differ), so teacher outputs
are moved across through character offsets: a student token gets the mean of the teacher tokens that overlap
its characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.decode import label_spans, propaganda_spans
from ..model.ensemble import project_probabilities
from ..model.loader import load_model
from ..model.runtime import ModelBase, TokenPredictions
from ..model.windows import TokenizedText
from ..sentences import split_sentences
from .network import ANY_CHANNEL, N_CHANNELS, N_TECHNIQUES, SENTENCE_CHANNEL


@dataclass(frozen=True)
class TeacherView:
    """What the teacher ensemble says about one article, on the student's tokens."""

    token_probs: np.ndarray  # [N_student, 16] mean sigmoid probabilities
    span_probs: np.ndarray  # [S, 14] technique distribution for each requested span
    spans: list[tuple[int, int]]  # the requested spans, or the teacher's own decoded spans (unlabelled text)


def to_student_tokens(teacher: TokenizedText, probs: np.ndarray, student: TokenizedText) -> np.ndarray:
    """``[N_student, C]``: per student token, the mean of ``probs`` over the teacher tokens overlapping it (the
    projection ensembles use to mix members that tokenise differently)."""
    return project_probabilities(student.offsets, teacher.offsets, probs)


def _with_sentence_channel(text: str, tokens: TokenizedText, probs: np.ndarray) -> np.ndarray:
    """A teacher trained before the sentence channel existed: derive it as the sentence's highest "any
    technique" probability, the sentence score those models used."""
    if probs.shape[1] == N_CHANNELS:
        return probs
    out = np.concatenate([probs, np.zeros((len(probs), 1), dtype=np.float32)], axis=1)
    starts = tokens.offsets[:, 0]
    for s, e in split_sentences(text):
        a, b = np.searchsorted(starts, s, side="left"), np.searchsorted(starts, e, side="left")
        if b > a:
            out[a:b, SENTENCE_CHANNEL] = probs[a:b, ANY_CHANNEL].max()
    return out


class Teacher:
    """One or more exported model folders whose probabilities are averaged (an ensemble teaches better
    than any of its members). A folder may be an ensemble itself (``propwatch ensemble``): it then teaches
    with its own token mix and averaged span heads."""

    def __init__(self, folders: list[str]):
        self.models = [load_model(f) for f in folders]

    def view(self, text: str, student: TokenizedText, spans: list[tuple[int, int]] | None) -> TeacherView:
        """The teacher's token and span probabilities. ``spans=None`` (an unlabelled article): the first
        teacher's own decoded propaganda spans are used, so the student's span head learns on them too."""
        token_probs, span_probs = [], []
        preds = [(m, m.predict(text)) for m in self.models]
        if spans is None:
            m, pred = preds[0]
            found = label_spans(
                propaganda_spans(text, pred.tokens, pred.probs, m.decoding),
                lambda s: m.classify_spans(text, pred, s),
            )
            spans = sorted({(s.start, s.end) for s in found})
        for m, pred in preds:
            projected = to_student_tokens(pred.tokens, pred.probs, student)
            token_probs.append(_with_sentence_channel(text, student, projected))
            span_probs.append(self._span_probs(m, text, pred, spans))
        return TeacherView(np.mean(token_probs, axis=0), np.mean(span_probs, axis=0), spans)

    @staticmethod
    def _span_probs(model: ModelBase, text: str, pred: TokenPredictions, spans) -> np.ndarray:
        if not spans:
            return np.zeros((0, N_TECHNIQUES), dtype=np.float32)
        # The head's own view, before the Repetition cue: the student gets its own cue, tuned after training,
        # and learning the teacher's would count the cue twice.
        return model.span_head_probabilities(text, pred, spans).astype(np.float32)

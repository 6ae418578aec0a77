"""The role classifier: which role an article gives each of its actors, and the sentences that cast it so.

Runs on onnxruntime, tokenizers and numpy only. A role model folder holds:

- ``config.json`` (``ModelConfig``, kind ``"roles"``): ``labels`` (the fine roles, in the head's output order),
  window and stride, and in its other keys ``main_roles``, ``thresholds`` (``second_fine_role``, ``cast``),
  ``features`` (``"actor"`` or ``"mention"``: what the heads were trained on), ``cues`` (the version of the role
  cues, ``cues.py``, the heads read beside the encoder's states; 0: none), ``encoder`` and ``encoder_sha256``,
  and the validation figures;
- ``head.npz``: logistic heads over an actor's features: ``main_W``/``main_b`` (the main roles),
  ``fine_W``/``fine_b`` (one sigmoid per fine role, read only within the chosen main role), ``cast_W``/``cast_b``
  (whether the article casts the actor at all);
- the encoder: a sentence encoder (MiniLM) with inputs ``input_ids``, ``attention_mask`` and output ``hidden``
  (per-token states), run over the article in overlapping windows (one pass per article, however many actors
  it has), cut as the technique runtime cuts them, so that in the pipeline the technique analysis's states are
  reused and the role model runs no encoder of its own (``Encoder``). Either ``encoder.onnx`` and
  ``tokenizer.json`` in the folder, or, so that a role model on the shipped technique model's encoder costs
  only its head, ``encoder`` naming that technique model: its ``model.onnx`` (checked against
  ``encoder_sha256`` at load) and ``tokenizer.json`` are used.

Features: a mention is the mean state of its tokens and the mean state of its sentence (each L2-normalised),
and its role cues (who does what to whom, from spaCy's parse); an actor is the mean over its mentions. The cast
head also sees how prominent the actor is (share of mentions, position of the first mention, whether it is
named in the title).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ModelError
from ...model.config import CONFIG_FILE, ModelConfig
from ...model.runtime import EncoderStates, onnx_session
from ...model.windows import SpecialTokens, count_windows, load_tokenizer, run_windows, tokenize
from ..spacy_pipeline import load_spacy
from .aliases import KINDS
from .cues import CUE_NAMES, CUES_VERSION, role_cues
from .finder import Actor
from .taxonomy import FINE_ROLES, MAIN_OF, MAIN_ROLES

ENCODER_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
HEAD_FILE = "head.npz"
REQUIRED_FILES = (CONFIG_FILE, HEAD_FILE)
DEFAULT_ROLE_MODEL = "roles-v1"  # the name a shipped or installed role model goes by
FEATURES = ("actor", "mention")


def _l2(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(norm, 1e-8)


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> int:
    for i, (s, e) in enumerate(sentences):
        if s <= pos < e:
            return i
    # between sentences (whitespace): the last one that starts before
    best = 0
    for i, (s, _) in enumerate(sentences):
        if s <= pos:
            best = i
    return best


@dataclass(frozen=True)
class TokenStates:
    offsets: np.ndarray  # [N, 2] character offsets
    states: np.ndarray  # [N, H]


class Encoder:
    """The technique model's encoder over one article, cut into windows exactly as the technique runtime cuts
    them (``model.windows.run_windows``: ``window`` article tokens every ``stride``, one window per run, edge-
    weighted stitching), so that its states are the very numbers the technique analysis already computed. The
    pipeline hands those over (``EncoderStates``) and the role model then runs no encoder at all; it runs its own
    windows only for an article the technique model did not read on this encoder (``propwatch evaluate``,
    training, a pipeline on another technique model)."""

    def __init__(self, onnx_path: Path, tokenizer_path: Path, window: int = 382, stride: int = 320,
                 threads: int | None = None):
        self.path = Path(onnx_path)
        self.session = onnx_session(self.path, threads)
        self.tokenizer = load_tokenizer(tokenizer_path)
        self.special = SpecialTokens.of(self.tokenizer)
        self.window, self.stride = window, stride

    def reads_as(self, shared: Sequence[EncoderStates]) -> EncoderStates | None:
        """The one of ``shared`` that holds what this encoder would compute (the same graph, cut the same way),
        or None."""
        return next((s for s in shared if s.window == self.window and s.stride == self.stride
                     and s.onnx.resolve() == self.path.resolve()), None)

    def count_windows(self, text: str) -> int:
        return count_windows(len(tokenize(self.tokenizer, text)), self.window, self.stride)

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray]:
        (hidden,) = self.session.run(["hidden"], {"input_ids": ids, "attention_mask": mask})
        return (hidden,)

    def __call__(self, text: str, shared: Sequence[EncoderStates] = ()) -> TokenStates:
        same = self.reads_as(shared)
        if same is not None:
            return TokenStates(same.offsets, same.states)
        tokens = tokenize(self.tokenizer, text)
        if not len(tokens):
            return TokenStates(tokens.offsets, np.zeros((0, 384), dtype=np.float32))
        (states,) = run_windows([tokens], self.window, self.stride, self.special, self._run)[0]
        return TokenStates(tokens.offsets, states)


def mention_features(tokens: TokenStates, sentences: list[tuple[int, int]], spans: list[tuple[int, int]]) -> np.ndarray:
    """[M, 2H]: per mention, its tokens' mean state and its sentence's mean state, each L2-normalised."""
    h = tokens.states.shape[1] if tokens.states.ndim == 2 and tokens.states.shape[0] else 384
    out = np.zeros((len(spans), 2 * h), dtype=np.float32)
    if not len(tokens.offsets):
        return out
    tok_start, tok_end = tokens.offsets[:, 0], tokens.offsets[:, 1]
    for i, (s, e) in enumerate(spans):
        inside = (tok_start < e) & (tok_end > s)
        if not inside.any():
            inside = np.zeros(len(tok_start), dtype=bool)
            inside[min(int(np.searchsorted(tok_start, s)), len(tok_start) - 1)] = True
        if sentences:
            ss, se = sentences[_sentence_of(sentences, s)]
        else:
            ss, se = s, e
        in_sentence = (tok_start < se) & (tok_end > ss)
        if not in_sentence.any():
            in_sentence = inside
        out[i, :h] = tokens.states[inside].mean(axis=0)
        out[i, h:] = tokens.states[in_sentence].mean(axis=0)
    return np.concatenate([_l2(out[:, :h]), _l2(out[:, h:])], axis=1)


def prominence_features(text: str, actor: Actor, total_mentions: int) -> np.ndarray:
    """How prominent an actor is in its article: share of all mentions, number of mentions, where it first
    appears, whether the title (first line) names it, and its kind."""
    n = len(actor.mentions)
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    first = actor.mentions[0].start / max(len(text), 1) if n else 1.0
    in_title = float(any(m.start < title_end for m in actor.mentions))
    kind = [float(actor.kind == k) for k in KINDS]
    return np.asarray([n / max(total_mentions, 1), math.log1p(n), first, in_title, *kind], dtype=np.float32)


@dataclass
class ActorFeatures:
    actor: np.ndarray  # [A, 2H] mean over mentions
    mentions: list[np.ndarray]  # per actor, [M_a, 2H]
    prominence: np.ndarray  # [A, P]


def spans_features(tokens: TokenStates, sentences: list[tuple[int, int]], spans: list[tuple[int, int]],
                   doc: Any = None) -> np.ndarray:
    """``mention_features``, followed by the role cues of each span when ``doc`` (the article's spaCy ``Doc``)
    is given: what the role models that record ``cues`` in their config were trained on."""
    feats = mention_features(tokens, sentences, spans)
    if doc is None:
        return feats
    return np.concatenate([feats, role_cues(doc, spans)], axis=1)


def actor_features(encoder: Encoder | TokenStates, text: str, sentences: list[tuple[int, int]],
                   actors: list[Actor], doc: Any = None) -> ActorFeatures:
    """Each actor's features (``encoder``: the encoder, or the article's token states when already run;
    ``doc``: the article's spaCy ``Doc``, for the role cues)."""
    tokens = encoder if isinstance(encoder, TokenStates) else encoder(text)
    total = sum(len(a.mentions) for a in actors)
    per_actor, pooled, prominence = [], [], []
    for actor in actors:
        feats = spans_features(tokens, sentences, [(m.start, m.end) for m in actor.mentions], doc)
        per_actor.append(feats)
        pooled.append(feats.mean(axis=0) if len(feats) else np.zeros(feats.shape[1], dtype=np.float32))
        prominence.append(prominence_features(text, actor, total))
    dim = 2 * (tokens.states.shape[1] if tokens.states.ndim == 2 and tokens.states.shape[0] else 384)
    dim += len(CUE_NAMES) if doc is not None else 0
    return ActorFeatures(
        np.stack(pooled) if pooled else np.zeros((0, dim), dtype=np.float32),
        per_actor,
        np.stack(prominence) if prominence else np.zeros((0, 4 + len(KINDS)), dtype=np.float32),
    )


def holds(actor: Actor, span: tuple[int, int]) -> bool:
    """Whether one of ``actor``'s mentions overlaps ``span`` (end exclusive)."""
    return any(m.start < span[1] and span[0] < m.end for m in actor.mentions)


@dataclass
class MentionFeatures:
    """Features of given mentions (the task's setting: the mentions are handed over)."""

    mention: np.ndarray  # [M, 2H] the mention's own features
    actor: np.ndarray  # [M, 2H] pooled over the found actors that hold it (its own features where none does)
    found: list[bool]  # whether a found actor holds it

    def of(self, features: str) -> np.ndarray:
        return self.mention if features == "mention" else self.actor


def given_mention_features(tokens: TokenStates, sentences: list[tuple[int, int]], spans: list[tuple[int, int]],
                           actors: list[Actor], pooled: np.ndarray, doc: Any = None) -> MentionFeatures:
    """Features of ``spans`` (end exclusive) in one article; ``pooled`` is ``actor_features(...).actor`` of
    ``actors``, the article's found actors (with the role cues when ``doc`` is given, as here)."""
    own = spans_features(tokens, sentences, spans, doc)
    actor_x, found = own.copy(), []
    for i, span in enumerate(spans):
        holders = [j for j, a in enumerate(actors) if holds(a, span)]
        if holders:
            actor_x[i] = pooled[holders].mean(axis=0)
        found.append(bool(holders))
    return MentionFeatures(own, actor_x, found)


@dataclass(frozen=True)
class RoleHead:
    main_w: np.ndarray
    main_b: np.ndarray
    fine_w: np.ndarray
    fine_b: np.ndarray
    cast_w: np.ndarray
    cast_b: np.ndarray

    @classmethod
    def load(cls, path: Path) -> RoleHead:
        with np.load(path) as z:
            return cls(z["main_W"], z["main_b"], z["fine_W"], z["fine_b"], z["cast_W"], z["cast_b"])

    def save(self, path: Path) -> None:
        np.savez(path, main_W=self.main_w, main_b=self.main_b, fine_W=self.fine_w, fine_b=self.fine_b,
                 cast_W=self.cast_w, cast_b=self.cast_b)

    def main(self, x: np.ndarray) -> np.ndarray:
        return _softmax(x @ self.main_w.T + self.main_b)

    def fine(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid(x @ self.fine_w.T + self.fine_b)

    def cast(self, x: np.ndarray, prominence: np.ndarray) -> np.ndarray:
        z = np.concatenate([x, prominence], axis=1)
        return _sigmoid(z @ self.cast_w.T + self.cast_b)[:, 0]


@dataclass(frozen=True)
class RoleDecision:
    main_role: str
    main_probability: float
    fine_roles: list[str]
    fine_probabilities: dict[str, float]


def decide(head: RoleHead, x: np.ndarray, fine_labels: list[str], second_threshold: float) -> list[RoleDecision]:
    """Main role by arg-max; then the best fine role of that main role, and a second one when its probability
    reaches ``second_threshold`` (about one annotated mention in ten has two)."""
    main_p = head.main(x)
    fine_p = head.fine(x)
    out = []
    for i in range(len(x)):
        main = MAIN_ROLES[int(main_p[i].argmax())]
        allowed = [j for j, f in enumerate(fine_labels) if f in FINE_ROLES[main]]
        ranked = sorted(allowed, key=lambda j: -fine_p[i, j])
        chosen = [fine_labels[ranked[0]]]
        if len(ranked) > 1 and fine_p[i, ranked[1]] >= second_threshold:
            chosen.append(fine_labels[ranked[1]])
        out.append(RoleDecision(main, float(main_p[i].max()), chosen,
                                {fine_labels[j]: round(float(fine_p[i, j]), 4) for j in allowed}))
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def encoder_files(folder: Path, config: ModelConfig) -> tuple[Path, Path]:
    """The encoder a role model runs on: its own ``encoder.onnx``, or the technique model its config names
    (checked by sha256, so a role model never runs on an encoder it was not trained on)."""
    if (folder / ENCODER_FILE).is_file():
        onnx, tokenizer = folder / ENCODER_FILE, folder / TOKENIZER_FILE
        origin = str(onnx)
    else:
        name = config.extra.get("encoder")
        if not name:
            raise ModelError(f"the role model {folder} has no {ENCODER_FILE} and names no encoder in its "
                             f"{CONFIG_FILE} ('encoder': a technique model's name)")
        from ...model.registry import resolve_model

        technique = resolve_model(str(name))
        onnx, tokenizer = technique / "model.onnx", technique / TOKENIZER_FILE
        origin = f"the technique model {name} ({onnx})"
        if not onnx.is_file():
            raise ModelError(f"the role model {folder} needs {origin}, which is not a single model with a model.onnx")
    if not tokenizer.is_file():
        raise ModelError(f"the role model {folder} is incomplete: {tokenizer} is missing")
    expected = config.extra.get("encoder_sha256")
    if expected and _sha256(onnx) != expected:
        raise ModelError(f"the role model {folder} was trained on an encoder with sha256 {expected[:12]}..., but "
                         f"{origin} differs; retrain it with propwatch train --task roles")
    return onnx, tokenizer


class RoleModel:
    """``RoleModel.load(name_or_folder).classify(text, actors)``: the actors with their roles filled in;
    ``classify_mentions(text, spans)``: the roles of given mentions (the task's setting)."""

    def __init__(self, folder: Path, encoder: Encoder, head: RoleHead, config: ModelConfig):
        self.folder = folder
        self.encoder = encoder
        self.head = head
        self.config = config
        self.name, self.version = config.name, config.version
        extra = config.extra
        self.fine_labels: list[str] = list(config.labels)
        main_roles = tuple(extra.get("main_roles", MAIN_ROLES))
        if main_roles != MAIN_ROLES or not set(self.fine_labels) <= set(MAIN_OF):
            raise ModelError(f"the role model {folder} has roles this propwatch does not know: "
                             f"{', '.join(main_roles)}; {', '.join(self.fine_labels)}")
        if head.fine_w.shape[0] != len(self.fine_labels) or head.main_w.shape[0] != len(MAIN_ROLES):
            raise ModelError(f"the role model {folder}: {HEAD_FILE} does not match the labels of its {CONFIG_FILE}")
        thresholds = extra.get("thresholds", {})
        self.second_threshold = float(thresholds.get("second_fine_role", 1.01))
        self.cast_threshold = float(thresholds.get("cast", 0.5))
        self.evidence_sentences = int(extra.get("evidence_sentences", 3))
        self.features_used = str(extra.get("features", "actor"))
        self.cues = int(extra.get("cues", 0))
        if self.cues not in (0, CUES_VERSION):
            raise ModelError(f"the role model {folder} was trained on role cues version {self.cues}; this "
                             f"propwatch computes version {CUES_VERSION}: retrain it")
        if self.features_used not in FEATURES:
            raise ModelError(f"the role model {folder} uses features {self.features_used!r}; this propwatch knows "
                             f"{', '.join(FEATURES)}")

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None) -> RoleModel:
        """The role model ``model``: a shipped or installed name, or a folder (None: ``DEFAULT_ROLE_MODEL``)."""
        from ...model.registry import find_model

        if model is None:
            try:
                folder = find_model(DEFAULT_ROLE_MODEL, "roles", REQUIRED_FILES)
            except ModelError:
                raise ModelError("no role model is installed; train one with propwatch train --task roles "
                                 "--data FRAMING_FOLDER --out FOLDER and pass it with --model FOLDER") from None
        else:
            path = Path(model)
            if path.is_dir() and not (path / CONFIG_FILE).is_file():
                raise ModelError(f"{path} is not a role model folder: {CONFIG_FILE} missing")
            folder = find_model(model, "roles", REQUIRED_FILES)
        config = ModelConfig.read(folder)
        onnx, tokenizer = encoder_files(folder, config)
        encoder = Encoder(onnx, tokenizer, window=config.window or 382, stride=config.stride or 320, threads=threads)
        try:
            head = RoleHead.load(folder / HEAD_FILE)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot read {folder / HEAD_FILE}: {exc}") from None
        return cls(folder, encoder, head, config)

    def parse(self, text: str, doc: Any = None) -> Any:
        """The spaCy ``Doc`` the role cues read (``doc`` when the caller parsed already), or None for a model
        trained without cues."""
        if not self.cues:
            return None
        return doc if doc is not None else load_spacy()(text)

    def features(self, text: str, actors: list[Actor], sentences: list[tuple[int, int]] | None = None,
                 doc: Any = None) -> ActorFeatures:
        if sentences is None:
            from ...sentences import split_sentences

            sentences = split_sentences(text)
        return actor_features(self.encoder, text, sentences, actors, self.parse(text, doc))

    def classify_mentions(self, text: str, spans: list[tuple[int, int]], sentences: list[tuple[int, int]] | None = None,
                          actors: list[Actor] | None = None, doc: Any = None) -> list[RoleDecision]:
        """The role of each given mention (``spans``: character spans, end exclusive) as the heads were trained
        to read it: pooled over the found actor that holds it (``features`` "actor", needs spaCy for the
        finder unless ``actors`` are given), or on its own."""
        if not spans:
            return []
        if sentences is None:
            from ...sentences import split_sentences

            sentences = split_sentences(text)
        tokens = self.encoder(text)
        doc = self.parse(text, doc)
        if self.features_used == "actor" and actors is None:
            from .finder import find_actors

            actors = find_actors(text, sentences, doc=doc)
        actors = actors or []
        pooled = actor_features(tokens, text, sentences, actors, doc).actor
        x = given_mention_features(tokens, sentences, spans, actors, pooled, doc).of(self.features_used)
        return decide(self.head, x, self.fine_labels, self.second_threshold)

    def classify(self, text: str, actors: list[Actor], sentences: list[tuple[int, int]] | None = None,
                 keep_uncast: bool = True, doc: Any = None, shared: Sequence[EncoderStates] = ()) -> list[Actor]:
        """Each actor with ``main_role`` (None when the article casts it in no role), ``fine_roles``, ``score``
        (the probability of the role given) and ``evidence`` (indices of the sentences that cast it so, best
        first). ``keep_uncast=False`` drops the actors with no role. ``doc``: the article's spaCy ``Doc`` when
        the caller parsed it; ``shared``: the technique model's encoder states of the article, used when they are
        what this model's encoder computes (``Encoder.reads_as``)."""
        if not actors:
            return []
        if sentences is None:
            from ...sentences import split_sentences

            sentences = split_sentences(text)
        feats = actor_features(self.encoder(text, shared), text, sentences, actors, self.parse(text, doc))
        decisions = decide(self.head, feats.actor, self.fine_labels, self.second_threshold)
        cast = self.head.cast(feats.actor, feats.prominence)
        out = []
        for actor, decision, p_cast, mention_x in zip(actors, decisions, cast, feats.mentions):
            role_index = MAIN_ROLES.index(decision.main_role)
            evidence = self._evidence(sentences, actor, mention_x, role_index)
            if p_cast < self.cast_threshold:
                if keep_uncast:
                    out.append(replace(actor, main_role=None, fine_roles=[], score=round(float(p_cast), 4),
                                       evidence=[]))
                continue
            score = float(p_cast) * decision.main_probability
            out.append(replace(actor, main_role=decision.main_role, fine_roles=decision.fine_roles,
                               score=round(score, 4), evidence=evidence))
        return out

    def _evidence(self, sentences: list[tuple[int, int]], actor: Actor, mention_x: np.ndarray, role: int) -> list[int]:
        """The sentences whose mentions of the actor read most strongly as the chosen role."""
        if not len(mention_x) or not sentences:
            return []
        p = self.head.main(mention_x)[:, role]
        best: dict[int, float] = {}
        for m, score in zip(actor.mentions, p):
            i = _sentence_of(sentences, m.start)
            best[i] = max(best.get(i, 0.0), float(score))
        ranked = sorted(best, key=lambda i: (-best[i], i))
        return ranked[: self.evidence_sentences]

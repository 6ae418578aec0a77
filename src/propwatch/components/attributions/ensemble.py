"""Attribution taggers answering as one: ``accurate``'s attributions.

An ensemble folder holds only ``config.json`` (``kind: "attribution-ensemble"``) naming its members, sibling
attribution model folders (``../attributions-v1``), each with the version it was measured with and its share of
the mix (``token_weight``), and optionally the ``stride`` at which the members' windows are read. The members
must share one tokenizer, so their per-token tag probabilities line up token for token; the ensemble averages them
as weighted log-probabilities (the geometric mean, the same merge the windows of one model get) and renormalises,
and the decoding that follows is the single model's.

Why an ensemble rather than a bigger tagger: no larger encoder than all-mpnet-base-v2 is reachable here, and an
all-mpnet-base-v2 tagger trains for hours an epoch on two cores. Two MiniLM taggers of different depth
(shipped: 1.11.1, four layers and an LSTM, and 1.9.0, six and an LSTM; before them 1.4.0, four layers, and 1.3.0)
disagree mostly on where a content piece begins and ends, and their average draws those boundaries more exactly
than either (BENCHMARKS.md, "Attributions").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import ModelError
from ...model.config import CONFIG_FILE, ModelConfig
from ...model.windows import WindowProgress, within
from .model import KIND, AttributionModel, _softmax

ENSEMBLE_KIND = "attribution-ensemble"


def member_folders(folder: Path) -> list[tuple[Path, float]]:
    """``(folder, weight)`` of each member the ensemble's config names, each checked to exist and to be the
    version the ensemble was measured with: a retrained sibling makes loading fail with a message rather than
    quietly answer with a mix nobody measured."""
    config = ModelConfig.read(folder)
    if not config.members:
        raise ModelError(f"the attribution ensemble {folder} names no members in its config.json")
    out = []
    for m in config.members:
        member = (folder / m.folder).resolve()
        if not (member / CONFIG_FILE).is_file():
            raise ModelError(f"the attribution ensemble {folder} names a member {m.folder} that is not there")
        found = ModelConfig.read(member)
        if m.version and found.weights_identity != m.version:
            raise ModelError(f"the attribution ensemble {folder} was measured with {m.name} {m.version}, but "
                             f"{member} holds version {found.version}: measure and rebuild the ensemble")
        if m.token_weight <= 0:
            raise ModelError(f"the attribution ensemble {folder} gives {m.folder} a weight of {m.token_weight}")
        out.append((member, m.token_weight))
    return out


class AttributionEnsemble:
    """The same interface as ``AttributionModel`` (name, version, labels, windows, token probabilities)."""

    def __init__(self, path: str | Path, threads: int | None = None):
        self.path = Path(path)
        self.config = ModelConfig.read(self.path)
        if self.config.kind != ENSEMBLE_KIND:
            raise ModelError(f"{self.path} is not an attribution ensemble (kind {self.config.kind!r})")
        folders = member_folders(self.path)
        self.members = [AttributionModel(f, threads=threads) for f, _ in folders]
        total = sum(w for _, w in folders)
        self.weights = [w / total for _, w in folders]
        first = self.members[0]
        for m in self.members[1:]:
            if m.labels != first.labels:
                raise ModelError(f"the members of {self.path} tag different labels ({first.path}, {m.path})")
            if m.tokenizer.to_str() != first.tokenizer.to_str():
                raise ModelError(f"the members of {self.path} use different tokenizers ({first.path}, {m.path}): "
                                 "their tokens would not line up")
        self.labels = first.labels
        if self.config.stride:
            # The ensemble may read each member's windows closer together than the member does alone: every token
            # then sits in more windows, whose answers are averaged (as a member's own overlapping windows are).
            # ``accurate`` can afford the time that ``fast`` cannot (BENCHMARKS.md, "Attributions").
            if any(not 0 < self.config.stride <= m.window for m in self.members):
                raise ModelError(f"the attribution ensemble {self.path} asks for windows every {self.config.stride} "
                                 "tokens: give a stride between 1 and its members' window")
            for m in self.members:
                m.stride = self.config.stride

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def version(self) -> str:
        return self.config.version

    def count_windows(self, text: str) -> int:
        return sum(m.count_windows(text) for m in self.members)

    def token_probabilities(self, text: str, progress: WindowProgress | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The members' probabilities for the tokens of ``text``, mixed as weighted log-probabilities."""
        total = self.count_windows(text) if progress is not None else 0
        before = 0
        offsets, mixed = None, None
        for member, weight in zip(self.members, self.weights):
            part = within(progress, before, total) if progress is not None else None
            offsets, probs = member.token_probabilities(text, progress=part)
            if progress is not None:
                before += member.count_windows(text)
            log = weight * np.log(np.clip(probs.astype(np.float64), 1e-12, 1.0))
            mixed = log if mixed is None else mixed + log
        assert offsets is not None and mixed is not None
        return offsets, _softmax(mixed).astype(np.float32)


def load_attribution_model(path: str | Path, threads: int | None = None) -> AttributionModel | AttributionEnsemble:
    """The attribution model or ensemble in the folder ``path``, by its config's kind."""
    kind = ModelConfig.kind_of(path)
    if kind == ENSEMBLE_KIND:
        return AttributionEnsemble(path, threads=threads)
    if kind == KIND:
        return AttributionModel(path, threads=threads)
    raise ModelError(f"{path} is not an attribution model (its config.json says {kind!r})")

"""Building an ensemble folder (``model.ensemble`` runs one): copy the members in, choose their token weights,
tune the decoding on labelled articles, store it all in the folder's ``config.json``, and optionally install
the folder under a name. ``propwatch ensemble`` is this recipe; ``make accurate-model`` builds ``accurate`` with
it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ModelError
from ..evaluation import ArticleProgress, require_calibration_fit, run_model, store_tuning, tune_and_score
from ..evaluation.run import no_progress
from ..evaluation.weights import tune_token_weights
from ..inputs import CorpusArticle
from ..metrics import CorpusScores
from ..model.config import MemberConfig, ModelConfig
from ..model.ensemble import EnsembleModel
from ..model.loader import install_model
from ..model.registry import SHIPPED, is_ensemble, resolve_model
from ..techniques import TECHNIQUE_IDS

MODEL_CARD = "MODEL_CARD.md"
# The key order ensemble configs have always been written in.
ENSEMBLE_KEYS = ("format_version", "kind", "name", "version", "precision", "techniques", "members", "decoding")


def build_ensemble(members: Sequence[str | Path], out: Path, name: str, version: str) -> Path:
    """Write an ensemble folder at ``out``: a copy of every member (names, aliases or folders) under
    ``members/`` (a shipped member of an ensemble shipped beside it is named, not copied) and a config with
    equal token weights and no tuned decoding yet (``make_ensemble`` tunes both). Built beside ``out`` and
    renamed into place, so a failure never leaves half a model there."""
    if len(members) < 2:
        raise ModelError("an ensemble needs at least two models")
    folders = [resolve_model(m) for m in members]
    for folder in folders:
        if is_ensemble(folder):
            raise ModelError(f"{folder} is an ensemble already: give its members instead")
    out = Path(out)
    # An ensemble built into the package's own models (how `accurate` ships) names the shipped members it
    # uses instead of copying them: a copy of MiniLM would add 27 MB to a repository that keeps every version.
    shipping = out.resolve().parent == SHIPPED
    staging = out.parent / f".{out.name}.building"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)  # copytree makes members/ where one is copied
    entries = []
    for k, folder in enumerate(folders):
        config = ModelConfig.read(folder)
        if config.techniques != TECHNIQUE_IDS:
            raise ModelError(f"{folder} was trained on a different technique list")
        if shipping and folder.resolve().parent == SHIPPED:
            relative = f"../{folder.name}"  # a shipped sibling, pinned by version (registry.member_folders)
        else:
            relative = f"members/{k}-{folder.name}"
            shutil.copytree(folder, staging / relative,
                            ignore=lambda _dir, names: [n for n in names if n.endswith(".fp32.onnx")])
        entries.append(MemberConfig(folder=relative, name=config.name, version=config.weights_identity,
                                    token_weight=round(1 / len(folders), 4)))
    # "precision": where tuning files its figures (validation.figures.<precision>), as for a trained model
    ModelConfig(kind="ensemble", name=name, version=version, precision="ensemble", techniques=TECHNIQUE_IDS,
                members=tuple(entries), key_order=ENSEMBLE_KEYS).write(staging)
    if (out / MODEL_CARD).is_file():  # a card written for the folder stays through a rebuild in place
        shutil.copy(out / MODEL_CARD, staging / MODEL_CARD)
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return out


@dataclass(frozen=True)
class BuiltEnsemble:
    """The ensemble folder, the ensemble as stored there (token weights and tuned decoding), its scores on the
    tuning articles, and where it was installed (None when it was not)."""

    folder: Path
    model: EnsembleModel
    scores: CorpusScores
    installed: Path | None


def make_ensemble(
    members: Sequence[str | Path], articles: list[CorpusArticle], out: Path, name: str, version: str,
    token_weights: Sequence[float] | None = None, split: str = "validation", install_as: str | None = None,
    progress: ArticleProgress = no_progress, say: Callable[[str], object] = lambda message: None,
) -> BuiltEnsemble:
    """Build the ensemble of ``members`` at ``out`` and tune it on the labelled ``articles`` (of ``split``): the
    token weights (unless ``token_weights`` gives them), then the decoding; store both with the figures, and
    install the folder as ``install_as`` if given."""
    require_calibration_fit()
    folder = build_ensemble(members, out, name, version)
    model = EnsembleModel(folder)
    with progress(len(articles)) as advance:
        outputs = run_model(model, articles, keep_hidden=True, on_progress=advance)
    weighting = {"token_weights": None if token_weights is None else list(token_weights), "chosen": False}
    if token_weights is None:
        say("choosing the token weights")
        token_weights, weighting = tune_token_weights(model, outputs)
        weighting["chosen"] = True
    model = model.with_token_weights(token_weights)
    outputs = [replace(o, probs=model.combine(o.hidden.members).probs) for o in outputs]
    say("tuning thresholds, nested channels and score calibration")
    tuned = tune_and_score(model, outputs)
    # the layout of a trained model's (figures by precision, here "ensemble"), so benchmarks read both alike
    store_tuning(folder, model.config, tuned, split=split, articles=len(articles), weighting=weighting)
    installed = install_model(folder, install_as) if install_as else None
    return BuiltEnsemble(folder, model.with_decoding(tuned.decoding), tuned.scores, installed)

"""``propwatch train --task attribution``: fine-tune an encoder into the attribution tagger on PolNeAR train,
choose the epoch on PolNeAR dev; ``attribution_export`` then writes the model folder.

Seeded and resumable: every epoch ends with ``OUT/last.pt`` (model, optimiser, scheduler, history), ``OUT/best.pt``
(the model of the best epoch by the mean exact F1 of ``attribution_data.selection_scores`` on dev) and
``OUT/history.json``; the window order of epoch ``k`` depends only on ``seed + k``. Rerunning the command resumes
after the last finished epoch, and once every epoch is done it goes straight to the export. The run folders of
the former ``tools/attributions/train_attrib.py`` have the same files and keys (their settings are read from
``best.pt``'s ``args``), so they resume and export alike.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ..components.attributions.decode import LABELS
from ..errors import DataError, ModelError
from ..files import atomic_write_text
from ..inputs.polnear import compartment, read_compartment
from ..model.windows import SpecialTokens, load_tokenizer, run_windows
from . import checkpoints
from .attribution_data import (
    TaggedArticle,
    TaggingStats,
    collate,
    decode_words,
    epoch_windows,
    selection_scores,
    soft_batch,
    tag_article,
)
from .attribution_teacher import teacher_targets
from .bases import resolve_base
from .network import encoder_config, run_lstm, sequence_lstm
from .precision import bf16_native

Log = Callable[[str], None]

# The settings a checkpoint must share with the command that resumes or exports it (not epochs: training longer
# is allowed; not stride or dev_max: they only change how dev is measured).
RESUME_KEYS = ("base", "batch_size", "lr", "head_lr", "window", "train_stride", "o_weight", "seed", "bf16",
               "freeze_embeddings", "freeze_layers", "encoder_layers", "head_lstm", "max_articles", "max_steps",
               "teacher", "distill_alpha")


@dataclass
class AttributionTrainConfig:
    data: str  # a PolNeAR folder: train/ and dev/, each text/ and attributions/
    out: str  # the run folder: checkpoints, history.json, model/
    base: str = "minilm"
    epochs: int = 3
    batch_size: int = 16
    lr: float = 1.5e-4  # encoder
    head_lr: float = 1e-3
    window: int = 254  # article tokens per encoder window
    stride: int = 192  # between window starts when measuring and in the shipped model
    train_stride: int = 254  # between training windows
    o_weight: float = 1.0  # loss weight of the O label
    seed: int = 13
    bf16: bool = field(default_factory=bf16_native)  # ``precision``: fp32 where bf16 is emulated
    freeze_embeddings: bool = True  # keep the word embeddings fixed (faster)
    freeze_layers: int = 1  # keep the lowest N encoder layers (and all embeddings) fixed (faster)
    # Keep only the lowest N transformer layers of the base (None: all of them). The tagger runs beside the
    # technique model on every article, so its layers are latency: fewer layers, proportionally less time.
    encoder_layers: int | None = None
    # Units per direction of a bidirectional LSTM between the encoder and the linear head (0: the head reads the
    # encoder's states directly, as every model up to 1.4.0 did). Role boundaries are sequence decisions: where a
    # content piece ends depends on the words after it, which a per-token head sees only through attention.
    head_lstm: int = 0
    # Knowledge distillation (``attribution_teacher``): an attribution model or ensemble (a name such as
    # ``accurate``, or a folder) whose tag probabilities on the training articles the tagger also learns, with
    # weight ``distill_alpha`` against the gold tags' ``1 - distill_alpha`` (None: gold tags only).
    teacher: str | None = None
    distill_alpha: float = 0.5
    max_articles: int | None = None  # the first N train articles (smoke tests)
    max_steps: int | None = None  # at most N steps an epoch (smoke tests)
    dev_max: int | None = None  # the first N dev articles, for choosing the epoch and for the export's figures
    export_only: bool = False  # export best.pt without training further
    name: str = "propwatch-attrib-minilm"
    version: str = "1.0.0"


class AttributionTagger(nn.Module):
    """An encoder, optionally a bidirectional LSTM, and one linear head over ``LABELS`` (the state keys
    ``encoder.*``, ``lstm.*`` and ``head.*``)."""

    def __init__(self, encoder: nn.Module, n_labels: int = len(LABELS), dropout: float = 0.1, lstm: int = 0):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        hidden = encoder_config(encoder).hidden_size
        self.lstm = sequence_lstm(hidden, lstm)
        self.head = nn.Linear(2 * lstm if lstm else hidden, n_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(run_lstm(self.lstm, hidden, attention_mask)))

    def head_parameters(self) -> list[nn.Parameter]:
        """What learns at the head's learning rate: the head and the LSTM, both trained from scratch."""
        return [*self.head.parameters(), *(self.lstm.parameters() if self.lstm is not None else ())]


def soft_loss(logits: torch.Tensor, targets: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of the tagger's tags against the teacher's probabilities, averaged over the article tokens
    (``labels`` marks special tokens and padding ``IGNORE``, as the gold loss skips them)."""
    kept = labels >= 0
    per_token = -(targets * torch.log_softmax(logits.float(), -1)).sum(-1)
    return per_token[kept].mean() if bool(kept.any()) else per_token.sum() * 0.0


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _same(key: str, mine: Any, saved: Any) -> bool:
    if key == "base":  # a name (minilm) or the folder it resolved to (the former script saved the folder)
        try:
            return mine == saved or resolve_base(str(mine)).resolve() == resolve_base(str(saved)).resolve()
        except ModelError:
            return False
    if key in ("bf16", "freeze_embeddings"):
        return bool(mine) == bool(saved)
    if key == "distill_alpha" and saved is None:  # runs from before distillation: no teacher, the weight unused
        return True
    if key == "head_lstm":  # runs from before the option saved none: they have no LSTM
        return (mine or 0) == (saved or 0)
    return bool(mine == saved)


def saved_args(out: Path, last: dict | None = None) -> dict[str, Any] | None:
    """The settings a run folder was trained with: ``last.pt``'s ``args`` (``last``: that checkpoint, loaded
    already), or for a run of the former script ``best.pt``'s (or ``trained.pt``'s); None for a folder with no
    checkpoint."""
    if last is not None and last.get("args") is not None:
        return dict(last["args"])
    for name in ("best.pt", "trained.pt"):
        path = out / name
        if path.is_file():
            args = checkpoints.load(path).get("args")
            if args is not None:
                return dict(args)
    return None


def check_resumable(cfg: AttributionTrainConfig, args: dict[str, Any], epochs_done: int) -> None:
    """A ``ModelError`` when the run folder was trained with other settings than ``cfg`` (resuming would mix two
    trainings, exporting would record the wrong ones)."""
    mine = asdict(cfg)
    differ = [f"--{k.replace('_', '-')} {args.get(k)!r} (given {mine[k]!r})" for k in RESUME_KEYS
              if not _same(k, mine[k], args.get(k))]
    if differ:
        raise ModelError(f"{cfg.out} was trained with other settings: {'; '.join(differ)}. Give the same settings, "
                         "or another --out to start a new run")
    if args.get("stop_at") and epochs_done < cfg.epochs and not cfg.export_only:
        raise ModelError(f"{cfg.out} was trained against a deadline (--stop-at: its learning rate followed the clock), "
                         "which this command cannot continue; export it with --export-only, or start a new --out")


@torch.no_grad()
def dev_figures(tagger: AttributionTagger, dev: list[TaggedArticle], special: SpecialTokens,
                cfg: AttributionTrainConfig) -> dict[str, float]:
    """Selection figures on dev: each window's log-probabilities stitched by ``model.windows.run_windows`` (as the
    product runtime does), each word tagged by its first token's argmax."""
    tagger.eval()

    def log_probs(ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray]:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            logits = tagger(torch.from_numpy(ids), torch.from_numpy(mask))
        return (torch.log_softmax(logits.float(), -1).numpy(),)

    predicted = {}
    for art in dev:
        if not len(art.ids) or not len(art.first):
            continue
        ((merged,),) = run_windows([art.tokens], cfg.window, cfg.stride, special, log_probs)
        predicted[art.name] = decode_words(merged[np.maximum(art.first, 0)].argmax(1))
    tagger.train()
    return selection_scores(predicted, {a.name: a.gold for a in dev})


def _freeze(tagger: AttributionTagger, cfg: AttributionTrainConfig) -> None:
    encoder: Any = tagger.encoder
    if cfg.freeze_embeddings:
        encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in encoder.encoder.layer[: cfg.freeze_layers]:
        layer.requires_grad_(False)
    if cfg.freeze_layers:
        encoder.embeddings.requires_grad_(False)


def _record(cfg: AttributionTrainConfig) -> dict[str, Any]:
    """What a checkpoint keeps of the settings (``args``, as the former script named it)."""
    return {k: v for k, v in asdict(cfg).items() if k != "export_only"}


def train_attribution(cfg: AttributionTrainConfig, log: Log = print) -> Path:
    """Train (or resume; with ``export_only``, only check that there is a ``best.pt``) and return the run folder,
    ready for ``attribution_export.export_attribution`` (which imports this module, never the reverse)."""
    out = Path(cfg.out)
    train_dir, dev_dir = compartment(cfg.data, "train"), compartment(cfg.data, "dev")
    if cfg.stride > cfg.window:
        raise DataError("--stride must not exceed --window (windows would leave gaps)")
    out.mkdir(parents=True, exist_ok=True)
    _seed_everything(cfg.seed)
    last = out / "last.pt"
    state = checkpoints.load(last) if last.exists() else None
    epochs_done = state["epoch"] + 1 if state else 0
    args = saved_args(out, state)
    if args is not None:
        check_resumable(cfg, args, epochs_done)
    if cfg.export_only:
        if not (out / "best.pt").is_file():
            raise DataError(f"{out} holds no best.pt: nothing trained to export (train without --export-only)")
    elif epochs_done < cfg.epochs:
        _train(cfg, out, train_dir, dev_dir, state, log)
    else:
        log(f"{out}: all {cfg.epochs} epochs are done; exporting")
    return out


def _train(cfg: AttributionTrainConfig, out: Path, train_dir: Path, dev_dir: Path, state: dict | None,
           log: Log) -> None:
    base_dir = resolve_base(cfg.base)
    tokenizer = load_tokenizer(base_dir / "tokenizer.json")
    special = SpecialTokens.of(tokenizer)
    stats = TaggingStats()
    train = [tag_article(a, tokenizer, stats) for a in read_compartment(train_dir)[: cfg.max_articles]]
    dev = [tag_article(a, tokenizer) for a in read_compartment(dev_dir)[: cfg.dev_max]]
    if not any(any(a.gold.values()) for a in train):
        raise DataError(f"{train_dir} holds no attributed article (expected attributions/<name>_<annotator>.ann)")
    log(f"training the attribution tagger on {len(train)} articles of {train_dir} (dev: {len(dev)}); base "
        f"{cfg.base}; {asdict(stats)}")

    from transformers import AutoModel

    # Typed as keyword options for ``from_pretrained`` (transformers 5.25's stubs reject a dict[str, int] there).
    layers: dict[str, Any] = {"num_hidden_layers": cfg.encoder_layers} if cfg.encoder_layers else {}
    tagger = AttributionTagger(AutoModel.from_pretrained(str(base_dir), **layers), lstm=cfg.head_lstm)
    _freeze(tagger, cfg)
    lengths = [len(a.ids) for a in train]
    n_windows = len(epoch_windows(lengths, cfg.window, cfg.train_stride, np.random.default_rng(cfg.seed)))
    steps_per_epoch = math.ceil(n_windows / cfg.batch_size)
    if cfg.max_steps:
        steps_per_epoch = min(steps_per_epoch, cfg.max_steps)
    total = steps_per_epoch * cfg.epochs
    optimizer = torch.optim.AdamW([
        {"params": [p for p in tagger.encoder.parameters() if p.requires_grad], "lr": cfg.lr},
        {"params": tagger.head_parameters(), "lr": cfg.head_lr},
    ], weight_decay=0.01)
    warm = max(1, int(0.06 * total))

    def schedule(step: int) -> float:
        """Linear warm-up over 6 % of the steps, then linear decay to 0 at the last step."""
        return (step + 1) / warm if step < warm else max(0.0, (total - step) / max(1, total - warm))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    weights = torch.ones(len(LABELS))
    weights[0] = cfg.o_weight
    loss_fn = nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    history: list[dict] = []
    start_epoch, best = 0, -1.0
    if state is not None:
        tagger.load_state_dict(state["model"])
        optimizer.load_state_dict(state["opt"])
        scheduler.load_state_dict(state["sched"])
        history, start_epoch, best = state["history"], state["epoch"] + 1, state["best"]
        log(f"resuming after epoch {start_epoch} of {cfg.epochs}")
    soft = teacher_targets(cfg.teacher, train, out, log) if cfg.teacher else None
    log(f"{n_windows} windows, {steps_per_epoch} steps an epoch, {total} steps")
    record = _record(cfg)
    started = time.time()
    for epoch in range(start_epoch, cfg.epochs):
        tagger.train()
        torch.manual_seed(cfg.seed + epoch)
        windows = epoch_windows(lengths, cfg.window, cfg.train_stride, np.random.default_rng(cfg.seed + epoch))
        running = 0.0
        step = 0
        for step in range(steps_per_epoch):
            chunk = windows[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            if not chunk:
                # The steps of an epoch are counted from the first epoch's windows; each epoch shifts the window
                # grids at random, so a later one can hold fewer: its missing steps only advance the schedule.
                scheduler.step()
                continue
            rows = [(train[k].ids[s : s + cfg.window], train[k].labels[s : s + cfg.window]) for k, s in chunk]
            ids, mask, labels = collate(rows, special)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
                logits = tagger(ids, mask)
            loss = loss_fn(logits.float().reshape(-1, len(LABELS)), labels.reshape(-1))
            if soft is not None:
                targets = soft_batch([soft[k][s : s + cfg.window] for k, s in chunk], labels.shape[1])
                loss = (1 - cfg.distill_alpha) * loss + cfg.distill_alpha * soft_loss(logits, targets, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tagger.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            running = 0.95 * running + 0.05 * loss.item() if step else loss.item()
            if step % 20 == 0:
                log(f"epoch {epoch + 1} step {step}/{steps_per_epoch} loss {running:.4f} "
                    f"elapsed {time.time() - started:.0f} s")
        trained = time.time()
        figures = dev_figures(tagger, dev, special, cfg)
        history.append({"epoch": epoch + 1, "steps": step + 1, "loss": running, "dev": figures,
                        "train_s": round(trained - started, 1), "dev_s": round(time.time() - trained, 1)})
        log(f"epoch {epoch + 1}: {json.dumps(history[-1])}")
        if figures["mean"] > best:
            best = figures["mean"]
            checkpoints.save_atomic({"model": tagger.state_dict(), "epoch": epoch + 1, "dev": figures,
                                     "args": record}, out / "best.pt")
        checkpoints.save_atomic({"model": tagger.state_dict(), "opt": optimizer.state_dict(),
                                 "sched": scheduler.state_dict(), "history": history, "epoch": epoch, "best": best,
                                 "args": record}, out / "last.pt")
        atomic_write_text(out / "history.json", json.dumps(history, indent=2))


def read_history(out: Path) -> list[dict]:
    path = out / "history.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


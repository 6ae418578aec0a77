"""Export a trained tagger to a self-contained model folder: ONNX (int8 when that keeps accuracy), tokenizer,
span head, tuned thresholds and the measured validation figures.

Quantisation is decided by measurement, not by default: the fp32 and int8 graphs are both scored on the
validation articles, each with its own tuned thresholds, and int8 ships only if it loses at most
``MAX_QUANTISATION_LOSS`` in SI F1 and in TC micro-F1, or where ``--int8`` asks for it (a model that must fit
the repository's file caps); both precisions' figures are stored either way.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch
from rich.console import Console

from ..evaluation import Tuned, run_model, tune_and_score
from ..model.config import ModelConfig
from ..model.runtime import OnnxModel
from ..model.spans import SpanHead
from ..techniques import TECHNIQUE_IDS
from .network import ExportWrapper, TechniqueTagger, encoder_config, lstm_units

MAX_QUANTISATION_LOSS = 0.01


def _export_onnx(tagger: TechniqueTagger, path: Path) -> None:
    """Export with eager attention, then let onnxruntime fuse attention, GELU and layer norms: the fused graph
    is what makes the int8 model fast on a CPU (about 2x on the benchmark machine)."""
    from transformers import AutoModel

    config = encoder_config(tagger.encoder)
    eager = AutoModel.from_config(config, attn_implementation="eager")
    clone = TechniqueTagger(eager, lstm=lstm_units(tagger.state_dict()))
    clone.load_state_dict(tagger.state_dict())
    wrapper = ExportWrapper(clone).eval()
    ids = torch.randint(1000, 2000, (2, 16))
    mask = torch.ones_like(ids)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "token_logits": {0: "batch", 1: "tokens"}, "hidden": {0: "batch", 1: "tokens"}}
    raw = path.with_suffix(".raw.onnx")
    with torch.no_grad():
        torch.onnx.export(
            wrapper, (ids, mask), str(raw), input_names=["input_ids", "attention_mask"],
            output_names=["token_logits", "hidden"], dynamic_axes=axes, opset_version=17, dynamo=False,
        )
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(str(raw), model_type="bert", num_heads=config.num_attention_heads,
                           hidden_size=config.hidden_size)
    fused.save_model_to_file(str(path))
    raw.unlink()


def quantise(src: Path, dst: Path, only: list[str] | None = None) -> None:
    """Write ``src``'s graph to ``dst`` with its weights in int8 (dynamic quantisation, per channel), an LSTM's
    included.

    onnxruntime's quantiser skips an LSTM whose input it cannot type. The technique model's graphs type it (their
    LSTM has always been int8); the attribution tagger's did not (behind its fused com.microsoft operators shape
    inference types nothing), so its 1.11.0 shipped an fp32 LSTM. An untyped LSTM input is therefore declared float
    first (where it is typed, nothing changes). ``only``: the operator types to quantise (None: every type the
    quantiser knows), e.g. ``["LSTM"]`` for a graph whose other weights are int8 already."""
    import onnx
    from onnx import TensorProto, helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = onnx.load(str(src))
    known = {v.name for v in model.graph.value_info} | {i.name for i in model.graph.input}
    untyped = [n.input[0] for n in model.graph.node if n.op_type == "LSTM" and n.input[0] not in known]
    source = Path(src)
    typed = Path(dst).with_suffix(".typed.onnx")
    if untyped:
        model.graph.value_info.extend(helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in untyped)
        onnx.save(model, str(typed))
        source = typed
    del model
    try:
        # Fused operators (Attention, SkipLayerNormalization) come from the com.microsoft domain, where shape
        # inference gives no types: tell the quantiser the activations are float.
        quantize_dynamic(str(source), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=only, extra_options={"DefaultTensorType": 1})
    finally:
        typed.unlink(missing_ok=True)


def _span_head_arrays(tagger: TechniqueTagger) -> SpanHead:
    first, _, _, last = tagger.span_head
    f = lambda t: t.detach().float().numpy().astype(np.float32)  # noqa: E731
    return SpanHead(f(first.weight), f(first.bias), f(last.weight), f(last.bias))


def _measure(folder: Path, onnx_file: str, validation, console: Console) -> Tuned:
    model = OnnxModel(folder, onnx_file=onnx_file)
    started = time.perf_counter()
    outputs = run_model(model, validation, keep_hidden=True)
    seconds = time.perf_counter() - started
    tuned = tune_and_score(model, outputs)
    scores = tuned.scores
    assert scores.sentence is not None  # a corpus run scores sentences
    console.print(
        f"  {onnx_file}: SI F1 {scores.si.f1:.4f}  TC micro-F1 {scores.tc.micro_f1:.4f}  "
        f"end-to-end F1 {scores.end_to_end.f1:.4f}  sentence F1 {scores.sentence.f1:.4f}  ({seconds:.1f} s)"
    )
    return tuned


def export_model(tagger, tokenizer_path, out: Path, cfg, best_epoch: int, history: list, validation,
                 console: Console) -> Path:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    console.print(f"exporting epoch {best_epoch} to {out}")
    fp32 = out / "model.fp32.onnx"
    _export_onnx(tagger, fp32)
    shutil.copy(tokenizer_path, out / "tokenizer.json")
    _span_head_arrays(tagger).save(out / "span_head.npz")
    config = ModelConfig(
        name=cfg.name, version=cfg.version, base=cfg.base, techniques=TECHNIQUE_IDS, window=cfg.window,
        stride=cfg.stride, batch_windows=1, channels=tagger.token_head.out_features, best_epoch=best_epoch,
        training={k: v for k, v in asdict(cfg).items() if k not in {"data", "out", "split_file"}},
        created=time.strftime("%Y-%m-%d"),
    )
    config.write(out)  # measuring loads the folder
    chosen, measured = "fp32", {}
    if cfg.quantize:
        quantise(fp32, out / "model.int8.onnx")
    if validation:
        console.print("tuning thresholds and measuring on the validation articles")
        measured["fp32"] = _measure(out, "model.fp32.onnx", validation, console)
        if cfg.quantize:
            measured["int8"] = _measure(out, "model.int8.onnx", validation, console)
            full, small = measured["fp32"].scores, measured["int8"].scores
            keeps = (small.si.f1 >= full.si.f1 - MAX_QUANTISATION_LOSS
                     and small.tc.micro_f1 >= full.tc.micro_f1 - MAX_QUANTISATION_LOSS)
            chosen = "int8" if keeps or cfg.force_int8 else "fp32"
            if not keeps and cfg.force_int8:
                console.print(f"  int8 loses more than {MAX_QUANTISATION_LOSS} but --int8 ships it (figures of both "
                              "kept in config.json)")
    elif cfg.quantize:
        chosen = "int8"
    (out / f"model.{chosen}.onnx").rename(out / "model.onnx")
    for leftover in out.glob("model.*.onnx"):
        leftover.unlink()
    if measured:
        config = replace(config, decoding=measured[chosen].decoding, validation={
            "precision": chosen,
            "figures": {k: v.scores.to_json_dict() for k, v in measured.items()},
            "tuning": measured[chosen].record,
        })
    config = replace(config, precision=chosen)
    config.write(out)
    report = {"best_epoch": best_epoch, "history": history, "precision": chosen, "validation": config.validation}
    (out.parent / "training_report.json").write_text(json.dumps(report, indent=2))
    console.print(f"[green]model written to {out}[/] ({chosen}, {(out / 'model.onnx').stat().st_size / 1e6:.1f} MB)")
    return out

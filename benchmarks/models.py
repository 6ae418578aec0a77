"""The models side by side: quality on the PTC validation IDs and speed on this machine's CPU, one row per
model (``fast``, the shipped default, and ``accurate``, the all-mpnet-base-v2 model with the shipped MiniLM
beside it, shipped too since issue 12), so choosing between them is one look.

Quality as ``propwatch evaluate`` computes it; speed warm, in this process (onnxruntime on all cores), of the
technique analysis alone (the attribution and actor analyses cost the same beside either model; "Speed and
memory of the shipped model" times all three): p50 latency of the ~1,000-word article of ``ptc/unlabeled`` that
``speed.py`` uses, throughput over all 90 ``ptc/unlabeled`` articles in batches of 8. The size counts every file
a model loads (an ensemble's members included), and each int8 graph's loss against its fp32 graph comes from the
figures its export measured on the same articles.

    python benchmarks/models.py [--model NAME_OR_PATH ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from _report import PTC, ROOT, decoding_chosen_on, require_ptc, write_section
from propwatch import load_analyzer
from propwatch.errors import ModelError
from propwatch.evaluation.run import run_model, score
from propwatch.inputs import read_corpus, read_split
from propwatch.schema import Article


def speed(analyzer, runs: int = 15) -> dict:
    paths = sorted((PTC / "unlabeled" / "articles").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    k = min(range(len(texts)), key=lambda i: abs(len(texts[i].split()) - 1000))
    one = Article.from_ptc_text(texts[k], id=paths[k].stem)
    for _ in range(2):
        analyzer.analyze(one)
    lat = []
    for _ in range(runs):
        t = time.perf_counter()
        analyzer.analyze(one)
        lat.append((time.perf_counter() - t) * 1000)
    articles = [Article.from_ptc_text(t, id=p.stem) for t, p in zip(texts, paths)]
    t = time.perf_counter()
    for i in range(0, len(articles), 8):
        analyzer.analyze_many(articles[i : i + 8])
    return {"p50_ms": statistics.median(lat), "articles_per_s": len(articles) / (time.perf_counter() - t),
            "words": len(texts[k].split())}


def describe(model) -> str:
    """Encoder and precision; for an ensemble, each member's with its token weight."""
    if hasattr(model, "members"):
        return " + ".join(f"{m.config.base or '?'} {m.config.precision or '?'} ×{w:.2f}"
                          for m, w in zip(model.members, model.token_weights))
    return f"{model.config.base or '?'}, {model.config.precision or '?'}"


def model_folders(model) -> list:
    """The folders a model loads: its own, and an ensemble's members (a shipped ensemble names its siblings)."""
    members = getattr(model, "members", [])
    own = model.path.resolve()
    return [own] + [m.path.resolve() for m in members if not m.path.resolve().is_relative_to(own)]


def quantisation_losses(model) -> dict[str, str]:
    """What int8 cost each of the model's graphs (keyed by model name and version, so a graph shared by two rows
    is told once), from the fp32 and int8 figures its export stored (the same validation articles, each
    precision with its own tuned decoding)."""
    losses = {}
    for member in getattr(model, "members", [model]):
        figures = (member.config.validation or {}).get("figures") or {}
        if "fp32" in figures and "int8" in figures:
            full, small = figures["fp32"], figures["int8"]
            paths = (("SI F1", "si", "f1"), ("TC micro-F1", "tc", "micro_f1"),
                     ("end-to-end F1", "end_to_end", "f1"), ("sentence F1", "sentence", "f1"))
            deltas = ", ".join(f"{label} {small[group][key] - full[group][key]:+.3f}"
                               for label, group, key in paths if group in full and group in small)
            losses[f"{member.name} {member.version}"] = f"{deltas} (shipped: {member.config.precision})"
    return losses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", action="append", default=None, help="Name or folder; repeatable.")
    args = parser.parse_args()
    require_ptc()
    # mpnet-v1: the accurate ensemble's mpnet member alone, for what the ensemble adds
    names = args.model or ["fast", "accurate", "mpnet-v1"]
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    rows, notes, results, quantised = [], [], {}, {}
    for name in names:
        try:
            analyzer = load_analyzer(name, exclude=("attributions", "actors"))
        except ModelError as exc:
            notes.append(f"- `{name}`: not measured here ({exc}).")
            continue
        model = analyzer.model
        r = score(run_model(model, articles))
        s = speed(analyzer)
        size = sum(p.stat().st_size for folder in model_folders(model) for p in folder.rglob("*")
                   if p.is_file()) / 1e6
        quantised.update(quantisation_losses(model))
        where = model.path.relative_to(ROOT) if model.path.is_relative_to(ROOT) else "built locally"
        weighting = (model.config.validation or {}).get("weighting") or {}
        if weighting.get("chosen"):
            notes.append(f"- `{name}`: token weights {', '.join(f'{w:.2f}' for w in model.token_weights)} chosen on "
                         f"these articles for SI F1 ({weighting['si_f1']:.3f}); chosen on four fifths and scored on "
                         f"the fifth, five times over: SI F1 {weighting['si_f1_crossfit']:.3f}.")
        results[name] = {"si_f1": r.si.f1, "tc_micro_f1": r.tc.micro_f1, "tc_macro_f1": r.tc.macro_f1,
                         "end_to_end_f1": r.end_to_end.f1, "sentence_f1": r.sentence.f1, **s, "size_mb": size}
        rows.append(
            f"| `{name}`: {model.name} {model.version} ({describe(model)}; {where}; decoding "
            f"{decoding_chosen_on(model)}) | **{r.si.f1:.3f}** | **{r.tc.micro_f1:.3f}** | "
            f"{r.tc.macro_f1:.3f} | {r.end_to_end.f1:.3f} | **{r.sentence.f1:.3f}** | {s['p50_ms']:.0f} | "
            f"{s['articles_per_s']:.1f} | {size:.0f} MB |"
        )
    body = "\n".join([
        f"{len(articles)} `validation` articles of PTC (models trained on the `train` IDs only; where each decoding "
        "was chosen is in its row: a figure on the articles it was tuned on flatters it, \"Cross-validated figures\" "
        "below has the figures that do not); speed warm on this machine, p50 over one ~1,000-word article, throughput over the 90 "
        "`ptc/unlabeled` articles in batches of 8.",
        "",
        "| model | SI F1 | TC micro-F1 | TC macro-F1 | end-to-end F1 | sentence F1 | ms / article (p50) | articles/s | size |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Goals (issue 12, cross-validated there): `fast` SI F1 ≥ 0.42, TC micro-F1 ≥ 0.64, TC macro-F1 ≥ 0.50, "
        "end-to-end F1 ≥ 0.26, sentence F1 ≥ 0.60, ≤ 200 ms; `accurate` SI F1 ≥ 0.47, TC micro-F1 ≥ 0.68, "
        "end-to-end F1 ≥ 0.30, sentence F1 ≥ 0.64, ≤ 1.5 s per article. Every shipped file ≤ 50 MB, all shipped "
        "models ≤ 200 MB.",
        *(["", *notes] if notes else []),
        *(["", "Each int8 graph against its fp32 graph, from the figures its export measured on the same articles:",
           *(f"- {graph}: {text}." for graph, text in quantised.items())] if quantised else []),
        "",
        "all-mpnet-base-v2's weights ship split into files of at most 45 MB (`propwatch ship`), under the "
        "repository's 50 MB cap: the same bytes, so the same answers (`tests/training/test_ship.py`).",
    ])
    write_section("models", "The models side by side", body)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

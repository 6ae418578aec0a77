"""What `accurate`'s attribution ensemble (or, with ``--model fast``, `fast`'s tagger) costs in time against its
previous version, on the same machine.

Speed depends on the CPU more than on the model (BENCHMARKS.md names each section's CPU), so a version's own cost
cannot be read off two runs on two machines. This script reads the earlier ensemble and its members from git
(``--against COMMIT``: by default the last commit of ensemble 1.3.0, whose members' LSTMs ran in fp32; before,
``BEFORE_LSTM_MEMBER``, the last of ensemble 1.1.0, whose second member had no LSTM) and times the attributions alone (the members' windows and the decoding) on the bundled example
article, alternating the two ensembles in one process so that a drifting machine slows both alike.

    python benchmarks/attribution_cost.py [--against COMMIT] [--rounds 6]
    python benchmarks/attribution_cost.py --model fast [--against COMMIT]   # fast's tagger alone, its own section
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _report import ROOT, write_section
from _versions import alternated, comparison, git_file, medians
from propwatch.components.attributions.component import AttributionFinder
from propwatch.evaluation.attributions import attributions_of

MODELS = "src/propwatch/models"
ENSEMBLE = "attributions-accurate-v1"
TAGGER = "attributions-v1"  # fast's
MEMBER_FILES = ("config.json", "model.onnx", "tokenizer.json")
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
BEFORE_LSTM_MEMBER = "bdd1b527c3985a955b33b92b2049ff8b7eb1e538"
# the last commit of fast's 1.11.0 and accurate's ensemble 1.3.0
BEFORE_INT8_LSTM = "7a35b9e3b23fdb566754bb7838343971a30075f4"


def checkout(commit: str, into: Path) -> Path:
    """The ensemble folder and its members' folders as they were at ``commit``, side by side as they ship (the
    ensemble names its members as ``../<folder>``)."""
    (into / ENSEMBLE).mkdir()
    config = git_file(commit, f"{MODELS}/{ENSEMBLE}/config.json")
    (into / ENSEMBLE / "config.json").write_bytes(config)
    for member in json.loads(config)["members"]:
        folder = into / Path(member["folder"]).name
        folder.mkdir()
        for name in MEMBER_FILES:
            (folder / name).write_bytes(git_file(commit, f"{MODELS}/{folder.name}/{name}"))
    return into / ENSEMBLE


def checkout_tagger(commit: str, into: Path) -> Path:
    """``fast``'s tagger folder as it was at ``commit``."""
    folder = into / TAGGER
    folder.mkdir()
    for name in MEMBER_FILES:
        (folder / name).write_bytes(git_file(commit, f"{MODELS}/{TAGGER}/{name}"))
    return folder


def fast_cost(against: str, rounds: int) -> None:
    """``fast``'s tagger at ``against`` against the shipped one: its pass and the decoding, alternated."""
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        models = {"before": AttributionFinder.load(checkout_tagger(against, Path(tmp))).model,
                  "now": AttributionFinder.load(ROOT / MODELS / TAGGER).model}
        times = alternated({k: (lambda m=m: attributions_of(m, text)) for k, m in models.items()}, rounds)
        names = {k: f"{m.config.name} {m.config.version}" for k, m in models.items()}
    median = medians(times)
    rows = [f"| {names[k]}{' at ' + against[:7] if k == 'before' else ', shipped'} | **{median[k]:.0f} ms** | "
            f"{min(times[k]):.0f} ms | {len(times[k])} |" for k in ("before", "now")]
    body = comparison(
        "`fast`'s attributions alone (the tagger's windows and the decoding; no technique model) on the bundled "
        f"example article ({len(text.split())} words), warm, one process, the two taggers alternated round by round.",
        ["tagger", "median", "fastest", "runs"], rows, median, "tagger")
    write_section("attribution-cost-fast", "What `fast`'s attributions cost against their previous version", body,
                  after="attribution-cost")
    print(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default=BEFORE_INT8_LSTM, help="The commit whose ensemble is the yardstick.")
    parser.add_argument("--rounds", type=int, default=6, help="Rounds of three runs of each ensemble, alternated.")
    parser.add_argument("--model", choices=("accurate", "fast"), default="accurate")
    args = parser.parse_args()
    if args.model == "fast":
        fast_cost(args.against, args.rounds)
        return
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        models = {"before": AttributionFinder.load(checkout(args.against, Path(tmp))).model,
                  "now": AttributionFinder.load(ROOT / MODELS / ENSEMBLE).model}
        times = alternated({k: (lambda m=m: attributions_of(m, text)) for k, m in models.items()}, args.rounds)
        names = {k: f"{m.config.name} {m.config.version} ("
                    + " + ".join(f"{x.config.name} {x.config.version}" for x in m.members) + ")"
                 for k, m in models.items()}
    median = medians(times)
    rows = [f"| {names[k]}{' at ' + args.against[:7] if k == 'before' else ', shipped'} | **{median[k]:.0f} ms** | "
            f"{min(times[k]):.0f} ms | {len(times[k])} |" for k in ("before", "now")]
    body = comparison(
        "`accurate`'s attributions alone (both members' windows every 64 tokens and the decoding; no technique "
        f"model) on the bundled example article ({len(text.split())} words), warm, one process, the two ensembles "
        "alternated round by round.",
        ["ensemble (members)", "median", "fastest", "runs"], rows, median, "ensemble")
    write_section("attribution-cost", "What `accurate`'s attributions cost against their previous version", body,
                  after="attribution-experiments")
    print(body)


if __name__ == "__main__":
    main()

"""What a new version of the `fast` technique model costs in time against an earlier one, on the same machine.

Speed depends on the CPU more than on the model (BENCHMARKS.md names each section's CPU; int8 runs three times
slower on a CPU without VNNI), so a version's own cost cannot be read off two runs on two machines. This script
reads the earlier version's folder from git (``--against COMMIT``: by default the last commit of `fast` 1.0.3,
before the BiLSTM head) and times the technique model alone, encoder and heads, on one 1,003-word article,
alternating the two models in one process so that a drifting machine slows both alike.

    python benchmarks/version_cost.py [--against COMMIT] [--rounds 8]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _report import PTC, ROOT, require_ptc, write_section
from _versions import alternated, comparison, git_file, medians
from propwatch.model import OnnxModel

FOLDER = "src/propwatch/models/minilm-v1"
FILES = ("config.json", "model.onnx", "span_head.npz", "tokenizer.json")
ARTICLE = "article813953273.txt"  # the 1,003-word article of "Speed and memory of the shipped model"
BEFORE_LSTM = "5f63146332ee9c0908a2fd05d7661452cfafe425"


def checkout(commit: str, into: Path) -> Path:
    """The model folder as it was at ``commit`` (only the files inference reads)."""
    for name in FILES:
        (into / name).write_bytes(git_file(commit, f"{FOLDER}/{name}"))
    return into


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default=BEFORE_LSTM, help="The commit whose `fast` is the yardstick.")
    parser.add_argument("--rounds", type=int, default=8, help="Rounds of three runs of each model, alternated.")
    args = parser.parse_args()
    require_ptc()
    text = (PTC / "unlabeled" / "articles" / ARTICLE).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        models = {"before": OnnxModel(checkout(args.against, Path(tmp))), "now": OnnxModel(ROOT / FOLDER)}
        times = alternated({k: (lambda m=m: m.predict_many([text])) for k, m in models.items()}, args.rounds)
        names = {k: f"{m.config.name} {m.config.version}" for k, m in models.items()}
        heads = {k: int((m.config.training or {}).get("head_lstm") or 0) for k, m in models.items()}
    median = medians(times)
    rows = [f"| {names[k]}{' (at ' + args.against[:7] + ')' if k == 'before' else ' (shipped)'} | "
            f"{heads[k] or 'none'} | **{median[k]:.0f} ms** | {min(times[k]):.0f} ms | {len(times[k])} |"
            for k in ("before", "now")]
    body = comparison(
        f"The technique model alone (encoder and heads, no decoding, no other analysis) on `{ARTICLE}` "
        f"({len(text.split())} words), warm, one process, the two models alternated round by round.",
        ["model", "BiLSTM units a direction", "median", "fastest", "runs"], rows, median, "model")
    write_section("version-cost", "What the shipped `fast` costs against its previous version", body,
                  after="speed")
    print(body)


if __name__ == "__main__":
    main()

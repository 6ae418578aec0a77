"""What `accurate`'s attribution ensemble (or, with ``--model fast``, `fast`'s tagger) costs in time against its
previous version, on the same machine.

Speed depends on the CPU more than on the model (BENCHMARKS.md names each section's CPU), so a version's own cost
cannot be read off two runs on two machines. This script reads the earlier ensemble and its members from git
(``--against COMMIT``: by default the last commit of ensemble 1.3.0 and of `fast`'s 1.11.0, whose LSTMs ran in
fp32; before, ``BEFORE_LSTM_MEMBER``, the last of ensemble 1.1.0, whose second member had no LSTM) and times the
attributions alone (the windows and the decoding) on the bundled example article, alternating the two versions in one
process so that a drifting machine slows both alike.

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


def _checkout_folder(commit: str, into: Path, name: str) -> Path:
    """The model folder ``MODELS/name`` as it was at ``commit`` (its config, graph and tokenizer)."""
    folder = into / name
    folder.mkdir()
    for file in MEMBER_FILES:
        (folder / file).write_bytes(git_file(commit, f"{MODELS}/{name}/{file}"))
    return folder


def checkout(commit: str, into: Path) -> Path:
    """The ensemble folder and its members' folders as they were at ``commit``, side by side as they ship (the
    ensemble names its members as ``../<folder>``)."""
    (into / ENSEMBLE).mkdir()
    config = git_file(commit, f"{MODELS}/{ENSEMBLE}/config.json")
    (into / ENSEMBLE / "config.json").write_bytes(config)
    for member in json.loads(config)["members"]:
        _checkout_folder(commit, into, Path(member["folder"]).name)
    return into / ENSEMBLE


def _name(model) -> str:
    """A model's name and version, with its members' for an ensemble."""
    members = getattr(model, "members", None)
    own = f"{model.config.name} {model.config.version}"
    return own + (" (" + " + ".join(f"{x.config.name} {x.config.version}" for x in members) + ")" if members else "")


# What each model's section times: its folder, how to read it from git, the lead's words, the table's first column.
SECTIONS = {
    "accurate": (ENSEMBLE, checkout,
                 "`accurate`'s attributions alone (both members' windows every 64 tokens and the decoding; no technique "
                 "model) on the bundled example article ({words} words), warm, one process, the two ensembles "
                 "alternated round by round.", "ensemble (members)", "ensemble",
                 "attribution-cost", "What `accurate`'s attributions cost against their previous version",
                 "attribution-experiments"),
    "fast": (TAGGER, lambda commit, into: _checkout_folder(commit, into, TAGGER),
             "`fast`'s attributions alone (the tagger's windows and the decoding; no technique model) on the bundled "
             "example article ({words} words), warm, one process, the two taggers alternated round by round.",
             "tagger", "tagger",
             "attribution-cost-fast", "What `fast`'s attributions cost against their previous version",
             "attribution-cost"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default=BEFORE_INT8_LSTM, help="The commit whose model is the yardstick.")
    parser.add_argument("--rounds", type=int, default=6, help="Rounds of three runs of each model, alternated.")
    parser.add_argument("--model", choices=tuple(SECTIONS), default="accurate")
    args = parser.parse_args()
    folder, read_from_git, lead, column, what, key, title, after = SECTIONS[args.model]
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        models = {"before": AttributionFinder.load(read_from_git(args.against, Path(tmp))).model,
                  "now": AttributionFinder.load(ROOT / MODELS / folder).model}
        times = alternated({k: (lambda m=m: attributions_of(m, text)) for k, m in models.items()}, args.rounds)
        names = {k: _name(m) for k, m in models.items()}
    median = medians(times)
    rows = [f"| {names[k]}{' at ' + args.against[:7] if k == 'before' else ', shipped'} | **{median[k]:.0f} ms** | "
            f"{min(times[k]):.0f} ms | {len(times[k])} |" for k in ("before", "now")]
    body = comparison(lead.format(words=len(text.split())), [column, "median", "fastest", "runs"], rows, median, what)
    write_section(key, title, body, after=after)
    print(body)


if __name__ == "__main__":
    main()

"""Attribution tagger experiments that were trained but not shipped (or shipped): each measured with the product's
decoding on PolNeAR dev, beside the shipped taggers on the same machine and day, and kept in one table.

A training run takes about an hour on two CPU cores and its folder (``runs/``) is not part of the repository, so
a row's figures are recorded into ``benchmarks/attribution-experiments.json`` when the run is measured; rerunning
the row's command (``propwatch train --task attribution ...``) and ``--record`` reproduces it.

    python benchmarks/attribution_experiments.py --record ID --run RUN/model --change "..." \
        --command "propwatch train --task attribution ..." --verdict "..."   # measure a run, add or update its row
    python benchmarks/attribution_experiments.py                             # rewrite the BENCHMARKS.md section

Measured for a run: the run's tagger alone (as ``fast`` would run it) and the run's tagger paired with each shipped
tagger as ``accurate``'s ensemble pairs its members (equal weights, windows every 64 tokens), with ``--third`` also
beside both of them (a three-member ensemble, a third of the weight each), beside the shipped ``fast`` and
``accurate``. Figures: exact F1 per role, their mean and whole-attribution F1 on all of dev and on its
halves A (even places by name; the decoding's choices were made there) and B.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from _report import ROOT, experiment_parser, record_row, recorded, write_section
from attribution_choices import POLNEAR, cells, halves, score
from propwatch.components.attributions.component import find_attribution_model
from propwatch.components.attributions.ensemble import load_attribution_model
from propwatch.inputs.polnear import read_compartment
from propwatch.model.config import ModelConfig

LOG = ROOT / "benchmarks" / "attribution-experiments.json"
MODELS = ROOT / "src" / "propwatch" / "models"
SHIPPED_TAGGERS = ("attributions-v1", "attributions-full-v1")


def _figures(model, articles: list) -> dict[str, dict[str, float]]:
    probs = {a.name: model.token_probabilities(a.text) for a in articles}
    return {"all": score(articles, probs), **{h: score(part, probs) for h, part in halves(articles).items()}}


def _ensemble(run: Path, shipped: list[Path], folder: Path) -> Path:
    """An ensemble folder like ``accurate``'s: ``run`` and the ``shipped`` taggers, equal weights, windows every 64
    tokens."""
    members = []
    for member in (run, *shipped):
        config = ModelConfig.read(member)
        members.append({"folder": str(member.resolve()), "name": config.name, "version": config.version,
                        "token_weight": 1 / (1 + len(shipped))})
    accurate = ModelConfig.read(find_attribution_model("accurate"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({
        "format_version": 1, "kind": "attribution-ensemble", "name": "trial ensemble", "version": "0",
        "base": "all-MiniLM-L6-v2", "stride": accurate.stride, "corpus": "PolNeAR train", "members": members}))
    return folder


def measure(run: Path, third: bool = False) -> dict[str, dict]:
    articles = read_compartment(POLNEAR / "dev")
    run_config = ModelConfig.read(run)
    rows = {"shipped fast": _figures(load_attribution_model(find_attribution_model("fast")), articles),
            "shipped accurate": _figures(load_attribution_model(find_attribution_model("accurate")), articles),
            "run alone": _figures(load_attribution_model(run), articles)}
    with tempfile.TemporaryDirectory() as tmp:
        for name in SHIPPED_TAGGERS:
            shipped = MODELS / name
            label = f"run + {ModelConfig.read(shipped).version}"
            rows[label] = _figures(load_attribution_model(_ensemble(run, [shipped], Path(tmp) / name)), articles)
        if third:  # the run as a third member beside both of accurate's, a third of the weight each
            both = [MODELS / name for name in SHIPPED_TAGGERS]
            label = "run + " + " + ".join(ModelConfig.read(m).version for m in both)
            rows[label] = _figures(load_attribution_model(_ensemble(run, both, Path(tmp) / "three")), articles)
    plain = {"run": _plain_best(run), "shipped fast": _plain_best(find_attribution_model("fast"))}
    return {"model": f"{run_config.name} {run_config.version}", "figures": rows, "plain_reading": plain}


def _plain_best(folder: Path) -> float:
    """The best epoch's mean exact F1 on dev in the training command's plain reading (each word's argmax tag, no
    product decoding), from the model's ``config.json`` history."""
    history = json.loads((folder / "config.json").read_text())["history"]
    return max(h["dev"]["mean"] for h in history)


def render(command: str | None = None) -> None:
    """Rewrite the section from the JSON; its command, machine and date line changes only when a row was measured
    (``command``), since a plain render measures nothing."""
    rows = recorded(LOG)
    lines = ["Each run's tagger measured with the product's decoding on the 84 PolNeAR `dev` articles, beside the "
             "shipped taggers measured the same day (the epoch of every tagger was chosen on dev by the training "
             "command's plain reading). Exact F1 per role (source / cue / content), their mean and whole-"
             "attribution F1; A and B are the halves of `benchmarks/attribution_choices.py`.", ""]
    for row in rows:
        lines += [f"**{row['id']}** ({row['model']}): {row['change']}", "",
                  "| tagger | all dev: source / cue / content | mean | whole | half A | A mean | A whole | half B "
                  "| B mean | B whole |",
                  "|---|---|---|---|---|---|---|---|---|---|",
                  *(f"| {label} | {cells(f['all'])} | {cells(f['A'])} | {cells(f['B'])} |"
                    for label, f in row["figures"].items()),
                  "", f"- The training command's plain reading (argmax tags, no product decoding), best epoch's mean "
                      f"exact F1: the run {row['plain_reading']['run']:.4f}, the shipped `fast` tagger "
                      f"{row['plain_reading']['shipped fast']:.4f}.",
                  f"- Command: `{row['command']}`", f"- Verdict: {row['verdict']}", ""]
    write_section("attribution-experiments", "Attributions: tagger experiments", "\n".join(lines).rstrip(),
                  command=command, after="attribution-choices", restamp=command is not None)


def main() -> None:
    parser = experiment_parser(__doc__.split("\n\n")[0], "--run", "the run's model folder (RUN/model)")
    parser.add_argument("--third", action="store_true",
                        help="also measure the run as a third member beside both of accurate's taggers")
    args = parser.parse_args()
    if args.record:
        if not (POLNEAR / "dev" / "text").is_dir():
            sys.exit(f"benchmark skipped: PolNeAR is not at {POLNEAR}")
        if not args.run or not (Path(args.run) / "config.json").is_file():
            sys.exit("--record needs --run, a model folder with a config.json")
        record_row(LOG, args, measure(Path(args.run), third=args.third))
        render(f"python benchmarks/attribution_experiments.py --record {args.record} --run {args.run}"
               f"{' --third' if args.third else ''} --change ... "
               "--command ... --verdict ... (the row's texts are in benchmarks/attribution-experiments.json)")
    else:
        render()


if __name__ == "__main__":
    main()

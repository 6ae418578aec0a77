"""Attributions as evidence for appeal to authority (attributions issue, item 4; trust issue, item 3).

An anonymous or unsourced attribution backing a claim asks the reader to trust an authority they cannot check,
which is what PTC's appeal to authority is about. This script measures whether the attribution model's output
raises appeal-to-authority recall when added to the technique model's spans, and how the annotated appeals to
authority relate to the attributions found in the same articles:

1. Over all labelled PTC articles: how many annotated appeal-to-authority spans overlap an attribution found by
   the shipped attribution model (by source type), and how many attributions of each type overlap one.
2. On the PTC validation articles: appeal-to-authority precision, recall and F1 (SemEval partial-overlap credit,
   the end-to-end scorer restricted to the technique) and end-to-end F1 of the technique model alone, and with
   the attributions of a type added as appeal-to-authority spans (extent: from the first to the last of the
   attribution's parts). The rule is fixed in advance, not tuned, and the attribution model never saw PTC.

    python benchmarks/authority.py [--model NAME_OR_PATH]
"""

from __future__ import annotations

import argparse
import json

from _report import PTC, decoding_chosen_on, require_ptc, write_section
from propwatch.components.attributions import Attribution, find_attributions
from propwatch.components.attributions.component import AttributionFinder
from propwatch.evaluation.run import run_model
from propwatch.inputs import read_corpus, read_split
from propwatch.metrics import end_to_end
from propwatch.model import load_model
from propwatch.sentences import split_sentences

AUTHORITY = "appeal_to_authority"
TYPES = ("anonymous", "none", "named")


def parts(a: Attribution) -> list:
    return [p for p in (a.source, a.cue, *a.content) if p is not None]


def extent(a: Attribution) -> tuple[int, int]:
    return min(p.start for p in parts(a)), max(p.end for p in parts(a))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def attributions_of(finder: AttributionFinder, text: str) -> list[Attribution]:
    offsets, probs = finder.model.token_probabilities(text)
    return find_attributions(text, offsets, probs, finder.model.labels, split_sentences(text))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    require_ptc()
    finder = AttributionFinder.load()
    labelled = read_corpus(PTC / "train")
    found = {c.article.id: attributions_of(finder, c.article.text) for c in labelled}

    gold_total = 0
    covered = {t: 0 for t in (*TYPES, "any")}
    per_type = {t: [0, 0] for t in TYPES}  # attributions, of which overlapping an annotated appeal to authority
    for c in labelled:
        gold = [(g.start, g.end) for g in c.gold or [] if g.technique == AUTHORITY]
        gold_total += len(gold)
        for a in found[c.article.id]:
            per_type[a.source_type][0] += 1
            per_type[a.source_type][1] += any(overlaps(extent(a), g) for g in gold)
        for g in gold:
            types = {a.source_type for a in found[c.article.id] if any(overlaps((p.start, p.end), g) for p in parts(a))}
            covered["any"] += bool(types)
            for t in TYPES:
                covered[t] += t in types

    model = load_model(args.model)
    validation = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    outputs = run_model(model, validation)
    gold_table = {o.id: [(g.start, g.end, g.technique) for g in o.gold or []] for o in outputs}
    base = {o.id: [(s.start, s.end, s.technique) for s in o.spans] for o in outputs}

    def with_attributions(types: tuple[str, ...]) -> dict[str, list[tuple[int, int, str]]]:
        return {aid: spans + [(*extent(a), AUTHORITY) for a in found[aid] if a.source_type in types]
                for aid, spans in base.items()}

    variants = [("the technique model alone", base),
                ("+ anonymous attributions", with_attributions(("anonymous",))),
                ("+ anonymous and unsourced attributions", with_attributions(("anonymous", "none"))),
                ("+ every attribution", with_attributions(TYPES))]
    rows, figures = [], {}
    for label, table in variants:
        e2e = end_to_end(gold_table, table)
        ata = e2e.per_technique[AUTHORITY]
        figures[label] = {"precision": ata.precision, "recall": ata.recall, "f1": ata.f1, "e2e_f1": e2e.f1}
        rows.append(f"| {label} | {ata.pred_spans} | {ata.precision:.3f} | {ata.recall:.3f} | {ata.f1:.3f} | "
                    f"{e2e.f1:.4f} |")
    share = {t: per_type[t][1] / per_type[t][0] if per_type[t][0] else 0.0 for t in TYPES}
    body = "\n".join([
        f"Attribution model `{finder.model.name}` {finder.model.version}; technique model `{model.name}` "
        f"{model.version}. PTC's appeal to authority, {gold_total} annotated spans in {len(labelled)} labelled "
        "articles, against the attributions the shipped attribution model finds in the same articles (it was "
        "trained on PolNeAR and never saw PTC).",
        "",
        "| annotated appeals to authority overlapping | an attribution of any type | anonymous | unsourced "
        "(`none`) | named |",
        "|---|---|---|---|---|",
        f"| spans (of {gold_total}) | {covered['any']} | {covered['anonymous']} | {covered['none']} | "
        f"{covered['named']} |",
        "",
        "| attributions found, by source type | anonymous | unsourced (`none`) | named |",
        "|---|---|---|---|",
        "| attributions | " + " | ".join(str(per_type[t][0]) for t in TYPES) + " |",
        "| share overlapping an annotated appeal to authority | "
        + " | ".join(f"{share[t]:.1%}" for t in TYPES) + " |",
        "",
        f"Added to the technique model's spans on the {len(validation)} validation articles (its decoding "
        f"{decoding_chosen_on(model)}; the rule below was fixed in advance), each attribution of the named types as one "
        "appeal-to-authority span from its first to its last part:",
        "",
        "| appeal to authority | spans | precision | recall | F1 | end-to-end F1, all techniques |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Most annotated appeals to authority in PTC cite a named authority (\"As the political scientist Richard "
        "Neustadt said\"), and most attributions of every type are ordinary reporting, so an attribution alone is "
        "weak evidence for the technique: the product does not turn attributions into technique spans. It shows "
        "anonymous and unsourced attributions to the reader in their own panel (\"Who says so\"), marked as claims "
        "resting on an authority the reader cannot check.",
    ])
    write_section("authority", "Attributions as evidence for appeal to authority", body, after="attributions")
    print(json.dumps({"gold": gold_total, "covered": covered, "per_type": per_type, "validation": figures},
                     indent=2))


if __name__ == "__main__":
    main()

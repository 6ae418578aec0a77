"""Judge the attribution decoding's cue-subject rule (``components/attributions/subjects.py``) on PolNeAR articles it
was not written from.

    python benchmarks/cue_subjects.py

The rule gives a cue the tagger left without a source its verb's grammatical subject. It was written from PolNeAR
train's first 200 articles in name order, and an earlier version of it had been checked on dev, so dev cannot judge
it afresh. The judge is the other 640 train articles: for `fast` and `accurate`, one model run each, decoded with
and without the rule. The taggers were trained on these articles, so they miss fewer sources there than on unseen
text and the rule fires less; where it fires, it is tested. The rule ships if, for both models, source exact F1
rises and neither the mean exact F1 of the three roles nor whole-attribution F1 falls (the rule written in
runs/session-log.md before any figure). Dev's figures with and without it follow, for the record. The shipped
decoding runs without it (``find_attributions(parse=None)``, the default); this script switches it on.
"""

from __future__ import annotations

import sys
import time

from _report import write_section
from attribution_choices import POLNEAR, token_probabilities
from propwatch.components.attributions import find_attributions
from propwatch.components.attributions.component import find_attribution_model
from propwatch.components.attributions.ensemble import load_attribution_model
from propwatch.components.spacy_pipeline import parse
from propwatch.inputs.polnear import read_compartment
from propwatch.metrics.attributions import role_spans, score_attributions, word_range, words_of
from propwatch.sentences import split_sentences

WRITTEN_FROM = 200  # the first train articles in name order, which the rule was written from


def decoded(articles: list, probs: dict[str, tuple], with_rule: bool) -> dict[str, list]:
    return {a.name: find_attributions(a.text, *probs[a.name], sentences=split_sentences(a.text),
                                      parse=parse if with_rule else None) for a in articles}


def figures(articles: list, predicted: dict[str, list]) -> dict[str, float]:
    s = score_attributions({a.name: a.text for a in articles}, {a.name: a.attributions for a in articles}, predicted)
    roles = {r: s.exact[r].f1 for r in ("source", "cue", "content")}
    return {**roles, "mean": sum(roles.values()) / 3, "whole": s.attribution.f1}


def added_sources(articles: list, without: dict[str, list], with_: dict[str, list]) -> tuple[int, int]:
    """(sources the rule added, of which a gold source's words exactly)."""
    added = right = 0
    for a in articles:
        before = {(x.cue.start, x.cue.end) for x in without[a.name] if x.source is not None}
        words = words_of(a.text)
        gold = {word_range(words, *s) for g in a.attributions for s in role_spans(g, "source")} - {None}
        for x in with_[a.name]:
            if x.source is None or (x.cue.start, x.cue.end) in before:
                continue
            added += 1
            right += word_range(words, x.source.start, x.source.end) in gold
    return added, right


def cells(f: dict[str, float]) -> str:
    return f"{f['source']:.4f} / {f['cue']:.4f} / {f['content']:.4f} | {f['mean']:.4f} | {f['whole']:.4f}"


def main() -> None:
    if not (POLNEAR / "train" / "text").is_dir():
        sys.exit(f"benchmark skipped: PolNeAR is not at {POLNEAR}")
    started = time.time()
    judged = sorted(read_compartment(POLNEAR / "train"), key=lambda a: a.name)[WRITTEN_FROM:]
    dev = read_compartment(POLNEAR / "dev")
    rows, verdicts = [], {}
    for name in ("fast", "accurate"):
        model = load_attribution_model(find_attribution_model(name))
        for part, articles in (("train 201-840 (judge)", judged), ("dev (seen for rule S)", dev)):
            probs = token_probabilities(model, articles)
            without, with_ = decoded(articles, probs, False), decoded(articles, probs, True)
            off, on = figures(articles, without), figures(articles, with_)
            added, right = added_sources(articles, without, with_)
            rows.append(f"| `{name}` | {part} | {cells(off)} | {cells(on)} | {added} | {right} |")
            if part.startswith("train"):
                verdicts[name] = (on["source"] > off["source"] and on["mean"] >= off["mean"]
                                  and on["whole"] >= off["whole"])
            print(rows[-1], flush=True)
    passed = all(verdicts.values())
    body = "\n".join([
        __doc__.split("\n\n", 2)[2].strip(),
        "",
        "Exact F1 (CofeNet's protocol): source / cue / content, their mean, whole attributions. \"added\": "
        "attributions the rule gave a source; \"right\": of those, the ones whose source is a gold source's words.",
        "",
        "| model | articles | without: source / cue / content | mean | whole | with: source / cue / content | mean "
        "| whole | added | right |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Judge (train 201-840): " + ", ".join(f"`{n}` {'passes' if v else 'fails'}" for n, v in verdicts.items())
        + f". Verdict: {'shipped in both models' if passed else 'not shipped'}.",
        "",
        f"Time: {time.time() - started:.0f} s.",
    ])
    write_section("cue-subjects", "Attributions: a cue's grammatical subject as its source", body,
                  after="attribution-choices")


if __name__ == "__main__":
    main()

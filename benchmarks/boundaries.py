"""Where highlights start and end: the boundary defects a reader sees (``propwatch.metrics.boundaries``), for the
annotators' spans and for the model's, beside the model's span-identification F1.

The model is judged on two sets: the PTC validation articles (its decoding was tuned there, so its SI figure
is optimistic) and the 90 unlabelled PTC articles, on which nothing was ever tuned or selected (no labels are
needed to count defects). The annotators' rate comes from every labelled article.

    python benchmarks/boundaries.py [--model NAME_OR_PATH ...]

By default both shipped models (``fast`` and ``accurate``); the first is also measured without the phrase rules,
to show what they change.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from unittest.mock import patch

from _report import PTC, require_ptc, write_section
from propwatch.evaluation.run import run_model, score
from propwatch.inputs import read_corpus, read_split
from propwatch.metrics.boundaries import BoundaryDefects, boundary_defects
from propwatch.model import decode, load_model


def row(label: str, d: BoundaryDefects, si: str = "") -> str:
    return (f"| {label} | {d.spans} | {d.cut_in_word} | {d.no_letter} | {d.in_url} | "
            f"{d.dangling_end} ({d.rate(d.dangling_end):.1%}) | {d.open_phrase} ({d.rate(d.open_phrase):.1%}) "
            f"| {d.name_cut} ({d.rate(d.name_cut):.1%}) | {d.link_start} ({d.rate(d.link_start):.1%}) | {si} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", action="append", default=None, help="Name or folder; repeatable.")
    args = parser.parse_args()
    require_ptc()
    names = args.model or ["fast", "accurate"]
    labelled = read_corpus(PTC / "train")
    gold = boundary_defects((c.article.text, [(g.start, g.end) for g in c.gold or []]) for c in labelled)
    validation = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    unlabelled_articles = read_corpus(PTC / "unlabeled")

    def spans(outputs: list) -> Iterator[tuple[str, list[tuple[int, int]]]]:
        return ((o.text, [(s.start, s.end) for s in o.spans]) for o in outputs)

    def measure(model) -> tuple[BoundaryDefects, BoundaryDefects, float]:
        on_validation = run_model(model, validation)
        unlabelled = run_model(model, unlabelled_articles)
        return boundary_defects(spans(on_validation)), boundary_defects(spans(unlabelled)), score(on_validation).si.f1

    rows, results = [], {}
    for k, name in enumerate(names):
        model = load_model(name)
        runs = {}
        if k == 0:
            # The same model and decoding without the phrase rules (growing or cutting a dangling end, starting
            # after the tail of an earlier phrase, on a particle's verb or on a name's first word, dropping spans
            # with no letter or inside a web address): what the product showed before them.
            with patch.object(decode, "_settle_end", lambda text, start, end: (start, end)), \
                    patch.object(decode, "_settle_start", lambda text, start, end: start), \
                    patch.object(decode, "_verb_first", lambda text, start, end: start), \
                    patch.object(decode, "_readable", lambda *args: True):
                runs["without the phrase rules"] = measure(model)
        runs["with them" if k == 0 else "with the phrase rules"] = measure(model)
        for label, (on_validation, unlabelled, si) in runs.items():
            who = f"`{name}` ({model.name} {model.version}) {label}"
            rows += [row(f"{who}, {len(validation)} validation articles (decoding tuned here)", on_validation,
                         f"{si:.4f}"),
                     row(f"{who}, {len(unlabelled_articles)} unlabelled articles (nothing tuned here)", unlabelled)]
        on_validation, unlabelled, si = runs["with them" if k == 0 else "with the phrase rules"]
        results[name] = {"validation": on_validation.to_json_dict(), "unlabelled": unlabelled.to_json_dict(),
                         "si_f1": si}
    body = "\n".join([
        "A span is counted once however many techniques it carries. "
        "*Cut in a word*: it starts or ends inside a word. *No letter*: a lone \"!\" or apostrophe. *In a URL*: a "
        "piece of a web address. *Dangling end*: its last word cannot end a phrase where its sentence goes on (\"the "
        "enemies of\", \"destruction and\"; \"what they wish for.\" ends whole; `propwatch.words.dangles`). *Phrase left open*: it stops before the word "
        "that closes its phrase, a modifier's or a possessive's noun, a copula's complement, the word an adverb of "
        "degree grades, a verb's object pronoun or, for a span of two words or more, its sentence's last word "
        "(\"with their bare\" before \"hands\", \"as the party's\" "
        "before \"members\", \"no family is\" before \"safe\", \"before it's too\" before \"late\", "
        "\"tried to destroy\" before \"them\", \"the petulant\" before \"President.\"; "
        "`propwatch.words.phrase_left_open`), or starts on a phrasal verb's particle after its verb (\"up in a "
        "lawless wasteland\"; `propwatch.words.verb_left_behind`), on \"of\" after the noun it completes (`head_left_behind`) "
        "or on its sentence's second word after a capitalised determiner, subject pronoun or \"In\" (\"brutal "
        "attack\" after \"This\"; `opener_left_behind`). *Name cut*: it starts or ends inside a name of "
        "running text (\"a blow to the Prime\" before \"Minister\", \"Theresa\" before \"May’s desperate "
        "attempts\"; `propwatch.words.name_left_open`, `name_cut_at_start`). The unlabelled articles were never used "
        "to tune or select anything, though the possessive, degree, name, last-word and opener rules were written after "
        "reading the model's spans on some of them. *Starts on a link*: a span of three words or more starts inside "
        "its sentence on \"and\", \"is\", \"are\" or \"that\" (`propwatch.words.link_first`), which annotators "
        "sometimes do; the decoding starts such spans after the link.",
        "",
        "| spans of | spans | cut in a word | no letter | in a URL | dangling end | phrase left open | name cut "
        "| starts on a link | SI F1 |",
        "|---|---|---|---|---|---|---|---|---|---|",
        row(f"the annotators, {len(labelled)} labelled articles", gold),
        *rows,
    ])
    write_section("boundaries", "Span boundaries: whole words and phrases", body, after="quality-validation")
    print(json.dumps({"gold": gold.to_json_dict(), **results}, indent=2))


if __name__ == "__main__":
    main()

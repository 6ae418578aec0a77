"""Where highlights start and end: the boundary defects a reader sees (``propwatch.metrics.boundaries``), for the
annotators' spans and for the model's, beside the model's span-identification F1.

The model is judged on two sets: the PTC validation articles (where its decoding was tuned on them, as
``accurate``'s is, its SI figure is optimistic; ``fast``'s was chosen by cross-validation on ``train``) and the 90
unlabelled PTC articles, on which nothing was ever tuned or selected (no labels are
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

from _report import PTC, decoding_chosen_on, require_ptc, write_section
from propwatch.evaluation.run import run_model, score
from propwatch.inputs import read_corpus, read_split
from propwatch.metrics.boundaries import BoundaryDefects, StartWord, boundary_defects, start_words
from propwatch.model import decode, load_model
from propwatch.phrases import LINKS, OPENERS


def row(label: str, d: BoundaryDefects, si: str = "") -> str:
    return (f"| {label} | {d.spans} | {d.cut_in_word} | {d.no_letter} | {d.in_url} | "
            f"{d.dangling_end} ({d.rate(d.dangling_end):.1%}) | {d.open_phrase} ({d.rate(d.open_phrase):.1%}) "
            f"| {d.name_cut} ({d.rate(d.name_cut):.1%}) | {d.link_start} ({d.rate(d.link_start):.1%}) | {si} |")


# Words beside the lists, for comparison: the model leaves these out about as often as annotators do.
_OPENING_CONTROLS = ("a", "an", "and", "but")
_INNER_CONTROLS = ("to", "was", "with", "as")


def start_word_table(name: str, gold: list, starts: dict[str, list]) -> str:
    """Where spans of two words or more start around a sentence's first word and around a linking word inside a
    sentence: the counts behind ``phrases.OPENERS`` and ``phrases.LINKS``."""
    lines = [
        "Where spans of two words or more start around a sentence's capitalised first word, and around a lower-case "
        "word inside a sentence: *on* the word or *after* it (on the next word), and the share starting after it. "
        "The decoding starts a span on a listed opener and after a listed link (`propwatch.phrases.OPENERS`, "
        "`LINKS`, `propwatch.metrics.boundaries.start_words`); the other words are shown for comparison.",
        "",
        f"| word | where | listed | the annotators: on / after (after) | `{name}` without the phrase rules, "
        f"unlabelled | `{name}` with them, unlabelled |",
        "|---|---|---|---|---|---|",
    ]

    def cell(counts: dict, word: str) -> str:
        c = counts.get(word) or StartWord()
        return f"{c.on} / {c.after} ({c.share_after:.0%})"

    for opening, listed, controls in ((True, OPENERS, _OPENING_CONTROLS), (False, LINKS, _INNER_CONTROLS)):
        counted = {"gold": start_words(gold, opening),
                   **{label: start_words(spans, opening) for label, spans in starts.items()}}
        for word in [*sorted(listed), *controls]:
            if not any(word in counts for counts in counted.values()):
                continue  # met by no span at all ("everybody")
            lines.append(f"| {word} | {'opens a sentence' if opening else 'inside a sentence'} | "
                         f"{'yes' if word in listed else 'no'} | {cell(counted['gold'], word)} | "
                         f"{cell(counted['without the phrase rules'], word)} | {cell(counted['with them'], word)} |")
    return "\n".join(lines)


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

    def measure(model) -> tuple[BoundaryDefects, BoundaryDefects, float, list]:
        on_validation = run_model(model, validation)
        unlabelled = run_model(model, unlabelled_articles)
        return (boundary_defects(spans(on_validation)), boundary_defects(spans(unlabelled)),
                score(on_validation).si.f1, list(spans(unlabelled)))

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
        if k == 0:
            starts = {label: run[3] for label, run in runs.items()}
        for label, (on_validation, unlabelled, si, _) in runs.items():
            who = f"`{name}` ({model.name} {model.version}) {label}"
            rows += [row(f"{who}, {len(validation)} validation articles (decoding {decoding_chosen_on(model)})",
                         on_validation,
                         f"{si:.4f}"),
                     row(f"{who}, {len(unlabelled_articles)} unlabelled articles (nothing tuned here)", unlabelled)]
        on_validation, unlabelled, si, _ = runs["with them" if k == 0 else "with the phrase rules"]
        results[name] = {"validation": on_validation.to_json_dict(), "unlabelled": unlabelled.to_json_dict(),
                         "si_f1": si}
    body = "\n".join([
        "A span is counted once however many techniques it carries. "
        "*Cut in a word*: it starts or ends inside a word. *No letter*: a lone \"!\" or apostrophe. *In a URL*: a "
        "piece of a web address. *Dangling end*: its last word cannot end a phrase where its sentence goes on (\"the "
        "enemies of\", \"destruction and\", \"those who\", a subject pronoun before its verb, \"because he\" "
        "before \"was\", or a modal before its verb, \"Kurds will\" before \"in any case bring\"; \"what they wish for.\" ends whole; `propwatch.phrases.dangles`). *Phrase left open*: it stops before the word "
        "that closes its phrase, a modifier's or a possessive's noun, a copula's complement, the word an adverb of "
        "degree grades, a verb's object pronoun or, for a span of two words or more, its sentence's last word "
        "(\"with their bare\" before \"hands\", \"as the party's\" "
        "before \"members\", \"no family is\" before \"safe\", \"before it's too\" before \"late\", "
        "\"tried to destroy\" before \"them\", \"the petulant\" before \"President.\"; "
        "`propwatch.phrases.phrase_left_open`), or starts on a phrasal verb's particle after its verb (\"up in a "
        "lawless wasteland\"; `propwatch.phrases.verb_left_behind`), on \"of\" after the noun it completes (`head_left_behind`) "
        "or on its sentence's second word after a capitalised determiner, subject pronoun or \"In\" (\"brutal "
        "attack\" after \"This\"; `opener_left_behind`). *Name cut*: it starts or ends inside a name of "
        "running text (\"a blow to the Prime\" before \"Minister\", \"Theresa\" before \"May’s desperate "
        "attempts\"; `propwatch.phrases.name_left_open`, `name_cut_at_start`). The unlabelled articles were never used "
        "to tune or select anything, though the possessive, degree, name, last-word and opener rules were written after "
        "reading the model's spans on some of them. *Starts on a link*: a span of three words or more starts inside "
        "its sentence on \"and\", \"is\", \"are\" or \"that\" (`propwatch.phrases.link_first`), which annotators "
        "sometimes do; the decoding starts such spans after the link.",
        "",
        "| spans of | spans | cut in a word | no letter | in a URL | dangling end | phrase left open | name cut "
        "| starts on a link | SI F1 |",
        "|---|---|---|---|---|---|---|---|---|---|",
        row(f"the annotators, {len(labelled)} labelled articles", gold),
        *rows,
    ])
    gold_spans = [(c.article.text, [(g.start, g.end) for g in c.gold or []]) for c in labelled]
    body += "\n\n" + start_word_table(names[0], gold_spans, starts)
    write_section("boundaries", "Span boundaries: whole words and phrases", body, after="quality-validation")
    print(json.dumps({"gold": gold.to_json_dict(), **results}, indent=2))


if __name__ == "__main__":
    main()

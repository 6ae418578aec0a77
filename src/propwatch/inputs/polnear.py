"""Reading PolNeAR (Newell, Margolin and Ruths, LREC 2018): brat standoff attributions over plain-text articles.

An input reader of the offline wing: training (``training/attribution_*``), ``propwatch evaluate --task
attribution`` and the benchmarks read the corpus through it; the product's attributions component never needs it.

Layout of one compartment (``train/`` or ``dev/``): ``text/<name>.txt`` and ``attributions/<name>_<annotator>.ann``.
Several ``.ann`` files for one article are several annotators; the first by sorted file name is used, so the
choice is deterministic. In an ``.ann`` file, ``T`` lines are role spans (``Source``, ``Cue``, ``Content``,
``Attribution``; fragments ``S1 E1;S2 E2`` where a role is discontinuous) and ``E`` lines tie the roles of one
attribution together. Only roles that some ``E`` line names count: the rest are annotators' leftovers
(``Discuss``, ``Discard``, unattached spans), which PolNeAR's scorer ignores too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError

Span = tuple[int, int]  # character offsets, end exclusive

ROLES = ("source", "cue", "content")

_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


@dataclass
class GoldAttribution:
    """One attribution: each role a list of fragments (a source or cue is almost always one fragment)."""

    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)

    def role(self, name: str) -> list[Span]:
        return {"source": self.source, "cue": self.cue, "content": self.content}[name]


@dataclass
class AttributedArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]
    annotator: str = ""


def parse_ann(ann: str) -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` text. Lines that are neither ``T`` nor ``E`` (continuations of a
    span text that held a line break, annotator notes) are skipped."""
    spans: dict[str, tuple[str, list[Span]]] = {}
    events: list[str] = []
    for line in ann.splitlines():
        m = _T_LINE.match(line)
        if m:
            frags = []
            for frag in m.group(3).split(";"):
                s, e = frag.split()
                frags.append((int(s), int(e)))
            spans[m.group(1)] = (m.group(2), frags)
            continue
        m = _E_LINE.match(line)
        if m:
            events.append(m.group(2))
    out = []
    for event in events:
        attribution = GoldAttribution()
        for arg in event.split()[1:]:
            if ":" not in arg:
                continue
            role, tid = arg.split(":", 1)
            role = {"Content2": "Content"}.get(role, role).lower()
            if role not in ROLES or tid not in spans:
                continue
            attribution.role(role).extend(spans[tid][1])
        for role in ROLES:
            attribution.role(role).sort()
        out.append(attribution)
    return out


def annotation_files(compartment: str | Path) -> dict[str, Path]:
    """``{article name: .ann path}`` with one annotator per article (the first by sorted file name)."""
    folder = Path(compartment)
    names = {p.stem for p in (folder / "text").glob("*.txt")}
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in names and name not in chosen:
            chosen[name] = ann
    return chosen


def compartment(root: str | Path, name: str) -> Path:
    """The compartment ``name`` (``train``, ``dev``) of the PolNeAR folder ``root``; a ``DataError`` saying what a
    PolNeAR folder holds where it has no ``name/text/``."""
    folder = Path(root) / name
    if not Path(root).is_dir():
        raise DataError(f"{root} does not exist (give a PolNeAR folder: train/ and dev/, each with text/ and "
                        "attributions/)")
    if not (folder / "text").is_dir():
        raise DataError(f"{root} is not a PolNeAR folder: {folder / 'text'} does not exist (expected train/ and "
                        "dev/, each with text/<name>.txt and attributions/<name>_<annotator>.ann)")
    return folder


def read_compartment(compartment: str | Path) -> list[AttributedArticle]:
    """Every article of ``compartment`` (e.g. ``../shared/polnear/dev``) with one annotator's attributions,
    sorted by name. Articles without an ``.ann`` file have no attributions."""
    folder = Path(compartment)
    chosen = annotation_files(folder)
    out = []
    for txt in sorted((folder / "text").glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        ann = chosen.get(txt.stem)
        attributions = parse_ann(ann.read_text(encoding="utf-8")) if ann else []
        annotator = ann.stem.rsplit("_", 1)[1] if ann else ""
        out.append(AttributedArticle(txt.stem, text, attributions, annotator))
    return out

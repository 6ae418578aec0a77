"""Reading PolNeAR (``inputs/polnear.py``): brat standoff parsing on hand-made lines, one annotator per article, and
the real dev compartment where ``../shared/polnear`` is present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from propwatch.inputs.polnear import annotation_files, parse_ann, read_compartment

POLNEAR = Path(os.environ.get("PROPWATCH_POLNEAR", Path(__file__).resolve().parents[2].parent / "shared" / "polnear"))


@pytest.fixture
def polnear() -> Path:
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {POLNEAR} (set PROPWATCH_POLNEAR to run these tests)")
    return POLNEAR

ANN = (
    "T1\tSource 0 5\tSmith\n"
    "T2\tCue 6 10\tsaid\n"
    "T3\tContent 11 20;25 30\tthe plan ... dead\n"
    "continued text of a span that held a line break\n"
    "T4\tAttribution 6 10\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tCue 40 50\treportedly\n"
    "T6\tContent2 51 60\tsomething\n"
    "T7\tAttribution-no-source 40 50\treportedly\n"
    "E2\tAttribution-no-source:T7 Cue:T5 Content2:T6\n"
    "T8\tDiscuss 70 80\tignored\n"
    "#1\tAnnotatorNotes T1\ta note\n"
)


def test_parse_ann_roles_fragments_and_no_source():
    first, second = parse_ann(ANN)
    assert first.source == [(0, 5)] and first.cue == [(6, 10)] and first.content == [(11, 20), (25, 30)]
    assert second.source == [] and second.cue == [(40, 50)] and second.content == [(51, 60)]


def test_parse_ann_without_events_has_no_attributions():
    assert parse_ann("T1\tSource 0 5\tSmith\n") == []


def test_first_annotator_by_name(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "art_one.txt").write_text("Smith said so.")
    (tmp_path / "text" / "quiet.txt").write_text("Nothing is attributed here.")
    for annotator in ("zz99", "ab12"):
        (tmp_path / "attributions" / f"art_one_{annotator}.ann").write_text("")
    assert annotation_files(tmp_path)["art_one"].name == "art_one_ab12.ann"
    articles = read_compartment(tmp_path)
    assert [a.name for a in articles] == ["art_one", "quiet"]
    assert articles[0].annotator == "ab12" and articles[1].attributions == []


def test_polnear_dev(polnear):
    dev = read_compartment(polnear / "dev")
    assert len(dev) == 84
    assert sum(len(a.attributions) for a in dev) > 2000
    assert all(a.text for a in dev)

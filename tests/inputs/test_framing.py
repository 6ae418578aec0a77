"""Entity-framing folders (SemEval-2025 Task 10 layout): reading, the END-inclusive offsets, the off-by-a-few
rows, and a clear ``DataError`` for each kind of bad input."""

from __future__ import annotations

import json

import pytest

from propwatch.errors import DataError
from propwatch.inputs.framing import (
    Documents,
    checked_span,
    parse_mentions,
    read_framing,
    read_framing_split,
    read_mentions,
    split_names,
)

TEXT_A = "Russia attacks\n\nRussia shelled the town while Ukraine defended it.\n"
TEXT_B = "\ufeffClimate\n\nBill Gates funds the scheme, critics say.\n"


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "A.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "documents" / "B.txt").write_text(TEXT_B, encoding="utf-8")
    ukraine = TEXT_A.index("Ukraine")
    gates = TEXT_B.index("Bill Gates")
    rows = [
        "A.txt\tRussia\t16\t21\tAntagonist\tInstigator",
        f"A.txt\tUkraine\t{ukraine}\t{ukraine + 6}\tProtagonist\tVirtuous \tGuardian",
        f"B.txt\tBill Gates\t{gates + 2}\t{gates + 11}\tAntagonist\tCorrupt",  # two characters off
    ]
    (tmp_path / "subtask-1-annotations.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "splits.json").write_text(json.dumps({"seed": "x", "train": ["A.txt"], "validation": ["B.txt"]}))
    return tmp_path


def test_reads_the_annotations_with_end_inclusive_offsets(folder):
    everything = read_framing(folder)
    assert everything.articles == ["A.txt", "B.txt"]
    russia, ukraine = everything.of("A.txt")
    assert (russia.start, russia.end, russia.span) == (16, 21, (16, 22))
    assert TEXT_A[slice(*russia.span)] == "Russia"
    assert ukraine.main_role == "Protagonist" and ukraine.fine_roles == ("Virtuous", "Guardian")


def test_off_by_a_few_rows_are_moved_to_the_entity_and_keep_their_key(folder):
    (gates,) = read_framing(folder, "validation").mentions
    text = Documents(folder)("B.txt")
    assert text.startswith("\ufeff")  # the offsets count the byte-order mark
    assert text[slice(*gates.span)] == "Bill Gates"
    assert gates.start == text.index("Bill Gates") + 2  # the key stays as given


def test_checked_span_leaves_a_row_that_matches_nothing():
    assert checked_span("abcdef", "zz", 1, 2) == (1, 3)


def test_splits(folder):
    assert [m.article for m in read_framing(folder, "train").mentions] == ["A.txt", "A.txt"]
    assert split_names(folder / "splits.json") == ["train", "validation"]
    assert read_framing_split(folder / "splits.json", "train") == ["A.txt"]
    with pytest.raises(DataError, match="no split 'test'; available: train, validation"):
        read_framing(folder, "test")
    assert read_framing(folder, "train", max_articles=1).articles == ["A.txt"]


def test_a_mentions_file_needs_only_four_columns(folder, tmp_path):
    path = tmp_path / "mentions.txt"
    path.write_text("A.txt\tRussia\t16\t21\n\nB.txt\tBill Gates\t13\t22\n")
    mentions = read_mentions(path, Documents(folder))
    assert [(m.article, m.main_role) for m in mentions] == [("A.txt", None), ("B.txt", None)]


@pytest.mark.parametrize("line, message", [
    ("A.txt\tRussia\t16", r":1: expected 4 tab-separated fields"),
    ("A.txt\tRussia\tsixteen\t21", r":1: START and END must be whole numbers"),
    ("A.txt\tRussia\t16\t9999", r":1: the mention 16-9999 \(END inclusive\) lies outside A.txt"),
    ("A.txt\tRussia\t21\t16", r"lies outside"),
    ("Z.txt\tRussia\t16\t21", r":1: unknown article 'Z.txt'"),
    ("../splits.json\tRussia\t16\t21", r"unknown article"),
])
def test_bad_mentions_are_data_errors_naming_the_line(folder, line, message):
    with pytest.raises(DataError, match=message):
        parse_mentions([line], "mentions.txt", Documents(folder))


def test_a_labelled_file_needs_the_roles(folder):
    with pytest.raises(DataError, match="expected 6 tab-separated fields"):
        parse_mentions(["A.txt\tRussia\t16\t21"], "gold.txt", Documents(folder), labelled=True)


def test_missing_folder_and_files(tmp_path, folder):
    with pytest.raises(DataError, match="is not a framing folder: it has no documents/ folder"):
        Documents(tmp_path / "nowhere")
    with pytest.raises(DataError, match="No such mentions file"):
        read_mentions(tmp_path / "none.txt", Documents(folder))
    (folder / "subtask-1-annotations.txt").unlink()
    with pytest.raises(DataError, match="has no subtask-1-annotations.txt"):
        read_framing(folder)

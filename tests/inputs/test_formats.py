import io

import numpy as np
import pytest

from propwatch.errors import DataError
from propwatch.inputs import GoldSpan, format_si, format_tc, read_labels, write_si, write_tc

TC_ROWS = [
    ("111", "loaded_language", 10, 25),
    ("111", "name_calling", 10, 25),
    ("111", "Whataboutism,Straw_Men,Red_Herring", 40, 90),  # a PTC label is accepted too
    ("222", "doubt", 0, 7),
]


def test_si_lines():
    assert format_si([("111", 10, 25), ("222", 0, 7)]) == "111\t10\t25\n222\t0\t7\n"


def test_tc_lines_use_ptc_labels():
    assert format_tc(TC_ROWS) == (
        "111\tLoaded_Language\t10\t25\n"
        "111\tName_Calling,Labeling\t10\t25\n"
        "111\tWhataboutism,Straw_Men,Red_Herring\t40\t90\n"
        "222\tDoubt\t0\t7\n"
    )


def test_empty_input_gives_an_empty_file(tmp_path):
    write_si([], tmp_path / "empty.txt")
    assert (tmp_path / "empty.txt").read_bytes() == b""


def test_write_files_exactly(tmp_path):
    write_si([("111", 10, 25)], tmp_path / "si.txt")
    write_tc(TC_ROWS[:2], str(tmp_path / "tc.txt"))
    assert (tmp_path / "si.txt").read_bytes() == b"111\t10\t25\n"
    assert (tmp_path / "tc.txt").read_bytes() == b"111\tLoaded_Language\t10\t25\n111\tName_Calling,Labeling\t10\t25\n"


def test_write_to_an_open_file():
    out = io.StringIO()
    write_tc(TC_ROWS[3:], out)
    assert out.getvalue() == "222\tDoubt\t0\t7\n"


def test_tc_round_trip(tmp_path):
    path = tmp_path / "pred.labels"
    write_tc(TC_ROWS, path)
    assert read_labels(path) == {
        "111": [GoldSpan(10, 25, "loaded_language"), GoldSpan(10, 25, "name_calling"),
                GoldSpan(40, 90, "whataboutism_strawman")],
        "222": [GoldSpan(0, 7, "doubt")],
    }


def test_numpy_offsets_are_written_as_integers():
    assert format_si([("1", np.int64(3), np.int32(9))]) == "1\t3\t9\n"


@pytest.mark.parametrize("start, end", [(1.5, 3), (-1, 3), ("2", 4), (True, 3)])
def test_bad_offsets_are_refused(start, end):
    with pytest.raises(DataError, match="non-negative whole numbers"):
        format_si([("1", start, end)])


def test_unknown_technique():
    with pytest.raises(DataError, match=r"unknown technique 'sarcasm'; expected one of appeal_to_authority"):
        format_tc([("1", "sarcasm", 0, 3)])


def test_reading_an_si_file_as_tc_names_the_line(tmp_path):
    path = tmp_path / "si.txt"
    write_si([("1", 0, 3)], path)
    with pytest.raises(DataError, match=r"si\.txt:1: expected 4 tab-separated fields"):
        read_labels(path)


def test_missing_labels_file(tmp_path):
    with pytest.raises(DataError, match="No such labels file"):
        read_labels(tmp_path / "none.labels")

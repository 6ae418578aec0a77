import codecs

import pytest

from propwatch.errors import InputError
from propwatch.inputs.charset import DEFAULT_MAX_BYTES, decode_bytes

ENGLISH = "Title line\n\nThe minister said “we will not back down” — and the café’s naïve owner agreed.\n"


def test_default_cap_is_five_mebibytes():
    assert DEFAULT_MAX_BYTES == 5 * 1024 * 1024


def test_utf8():
    assert decode_bytes(ENGLISH.encode("utf-8"), "a.txt") == ENGLISH


def test_utf8_bom_is_stripped():
    assert decode_bytes(codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), "a.txt") == ENGLISH


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom(codec):
    assert decode_bytes(ENGLISH.encode(codec), "a.txt") == ENGLISH


@pytest.mark.parametrize(
    "text, codec",
    [
        ("Le café était très bon, même à l'été. Crème brûlée et naïveté.", "cp1252"),
        ("The minister’s “naïve” reply was déjà vu — again. " * 3, "cp1252"),
        ("Die Straße über den Äpfeln ist schön grün, sagte der Bürgermeister.", "latin-1"),
        ("Президент заявил, что правительство не отступит от реформы судебной системы.", "cp1251"),
    ],
)
def test_legacy_encodings_are_detected(text, codec):
    assert decode_bytes(text.encode(codec), "legacy.txt") == text


def test_declared_encoding_is_used_when_it_decodes():
    text = "naïve “quotes” in a page labelled ISO-8859-1 but written in Windows-1252"
    # Browsers read ISO-8859-1 as Windows-1252, whose 0x93/0x94 are curly quotes; so do we.
    assert decode_bytes(text.encode("cp1252"), "page", encoding="iso-8859-1") == text


def test_wrong_declared_encoding_falls_back_to_detection():
    assert decode_bytes(ENGLISH.encode("utf-8"), "page", encoding="ascii") == ENGLISH
    assert decode_bytes(ENGLISH.encode("utf-8"), "page", encoding="no-such-codec") == ENGLISH


def test_newlines_are_translated_as_python_open_does(tmp_path):
    raw = b"Title\r\n\r\nFirst line\rsecond line\nthird\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw)
    text = decode_bytes(raw, str(path))
    assert text == "Title\n\nFirst line\nsecond line\nthird\n"
    assert text == path.read_text(encoding="utf-8")  # universal newlines: the text PTC offsets index


def test_undecodable_bytes_give_a_clear_error():
    with pytest.raises(InputError, match=r"could not detect the text encoding of junk\.txt; convert it to UTF-8"):
        decode_bytes(bytes(range(0x80, 0x100)) * 8, "junk.txt")


@pytest.mark.parametrize(
    "data, detail",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"plain start\x00then NUL bytes", "NUL bytes"),
        (b"\x01\x02\x03\x04\x05 mostly control bytes \x06\x07\x08\x0e\x0f\x10\x11", "control bytes"),
    ],
)
def test_binary_input_is_refused(data, detail):
    with pytest.raises(InputError, match="looks like a binary file") as err:
        decode_bytes(data, "upload.bin")
    assert detail in str(err.value)
    assert "upload.bin" in str(err.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8 + b"\n\n"])
def test_empty_and_whitespace_only_input_is_refused(data):
    with pytest.raises(InputError, match=r"empty\.txt is empty"):
        decode_bytes(data, "empty.txt")


def test_size_cap_is_checked_before_decoding():
    with pytest.raises(InputError, match=r"big\.txt is 2\.0 KiB, over the 1\.0 KiB limit"):
        decode_bytes(b"a" * 2048, "big.txt", max_bytes=1024)
    assert decode_bytes(b"a" * 1024, "ok.txt", max_bytes=1024) == "a" * 1024


def test_errors_are_one_line():
    for data in (b"", b"\x00\x01", bytes(range(0x80, 0x100)) * 8):
        with pytest.raises(InputError) as err:
            decode_bytes(data, "x.txt")
        assert "\n" not in str(err.value)


def test_declared_utf16_without_bom():
    assert decode_bytes(ENGLISH.encode("utf-16-le"), "page", encoding="utf-16le") == ENGLISH


def test_keep_bom_keeps_it_as_python_open_does(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + ENGLISH.encode("utf-8"))
    text = decode_bytes(path.read_bytes(), "bom.txt", keep_bom=True)
    assert text == "\ufeff" + ENGLISH == path.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        decode_bytes(codecs.BOM_UTF8 + b" \n", "bom.txt", keep_bom=True)


@pytest.mark.parametrize("label", ["hex", "rot13", "base64", "zlib", "bz2", "uu", "quopri", "no-such-codec"])
def test_a_declared_codec_that_is_no_text_encoding_is_ignored(label):
    """A page declaring ``charset=hex`` crashed every route with an uncaught LookupError (the hardening issue):
    such a label is treated as no label, and the text is decoded as usual."""
    text = "The caf\u00e9 owner said the r\u00e9gime\u2019s na\u00efve promises were \u201cempty\u201d. " * 3
    assert decode_bytes(text.encode("utf-8"), "page", encoding=label) == text
    assert decode_bytes(text.encode("cp1252"), "page", encoding=label) == text

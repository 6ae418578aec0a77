"""PTC-style corpus folders, split files and ID lists: what training, evaluation and batch prediction read.

A corpus folder holds ``articles/article<ID>.txt`` and, for labelled articles,
``labels/article<ID>.task2-TC.labels`` with one ``ID<TAB>TECHNIQUE<TAB>START<TAB>END`` line per annotation
(START inclusive, END exclusive, Python string indices into ``open(path, encoding="utf-8").read()``).
Articles are read with the same decoder as any text file, with one difference: a UTF-8 byte-order mark is
kept as the character U+FEFF, because PTC's offsets count it (10 training articles start with one; stripping
it would shift every one of their labels by a character).

Malformed data raises ``DataError`` naming the file and line: a label that silently moves by a character
would corrupt training and evaluation without anyone noticing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, InputError
from ..schema import Article
from ..techniques import TECHNIQUES, get
from .charset import DEFAULT_MAX_BYTES
from .text import read_text

LABELS_SUFFIX = ".task2-TC.labels"
_ARTICLE_FILE = re.compile(r"^article(.+)\.txt$")


@dataclass(frozen=True)
class GoldSpan:
    """One annotation: ``text[start:end]`` uses ``technique`` (a technique id such as ``"loaded_language"``)."""

    start: int
    end: int
    technique: str


@dataclass(frozen=True)
class CorpusArticle:
    """An article and its annotations; ``gold`` is None when the article has no labels file (unlabelled)."""

    article: Article
    gold: list[GoldSpan] | None


def read_corpus(
    dir: str | os.PathLike, ids: Iterable[str] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[CorpusArticle]:
    """The articles of a corpus folder, sorted by ID (numerically where IDs are numbers).

    With ``ids``, only those articles, and every one of them must exist. ``max_bytes`` caps each article.
    """
    root = Path(dir)
    articles_dir, labels_dir = root / "articles", root / "labels"
    if not articles_dir.is_dir():
        raise DataError(
            f"{root} is not a corpus folder: it has no articles/ folder (expected articles/article<ID>.txt)"
        )
    found = {}
    for name in os.listdir(articles_dir):
        match = _ARTICLE_FILE.match(name)
        if match:
            found[match.group(1)] = articles_dir / name
    if ids is not None:
        wanted = list(dict.fromkeys(str(i).strip() for i in ids))
        missing = [i for i in wanted if i not in found]
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise DataError(f"{len(missing)} requested IDs have no article in {articles_dir}: {shown}")
        found = {i: found[i] for i in wanted}
    labelled = set(os.listdir(labels_dir)) if labels_dir.is_dir() else set()

    corpus = []
    for article_id in sorted(found, key=_id_order):
        path = found[article_id]
        try:
            text = read_text(path, max_bytes=max_bytes, keep_bom=True)
        except InputError as e:
            raise DataError(str(e)) from None
        labels_name = f"article{article_id}{LABELS_SUFFIX}"
        gold = None
        if labels_name in labelled:
            gold = _read_gold(labels_dir / labels_name, article_id, text)
        corpus.append(
            CorpusArticle(Article.from_ptc_text(text, id=article_id, source=str(path)), gold)
        )
    return corpus


def read_split(path: str | os.PathLike, name: str) -> list[str]:
    """The IDs of split ``name`` in a splits file (a JSON object of ID lists, like PTC's ``splits.json``)."""
    try:
        splits = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"No such split file: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read the split file {path}: {e}") from None
    except json.JSONDecodeError as e:
        raise DataError(f"{path} is not valid JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(splits, dict) or not all(isinstance(v, list) for v in splits.values()):
        raise DataError(f"{path} must be a JSON object mapping split names to lists of IDs")
    if name not in splits:
        raise DataError(f"{path} has no split {name!r}; available: {', '.join(sorted(splits)) or 'none'}")
    return [str(i) for i in splits[name]]


def read_ids(path: str | os.PathLike) -> list[str]:
    """Article IDs from a file with one ID per line; blank lines and lines starting with ``#`` are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"No such ID file: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read the ID file {path}: {e}") from None
    return [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]


def parse_label_lines(text: str, source: str) -> list[tuple[int, str, GoldSpan]]:
    """``(line number, article ID, span)`` for each line of a TC labels file; ``DataError`` names ``source:line``."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split()  # tabs in the official files; labels never contain spaces, so any whitespace works
        if len(fields) != 4:
            raise DataError(
                f"{source}:{number}: expected 4 tab-separated fields (ID, TECHNIQUE, START, END), "
                f"found {len(fields)}: {line.strip()[:80]!r}"
            )
        article_id, label, start, end = fields
        try:
            technique = get(label).id
        except KeyError:
            raise DataError(
                f"{source}:{number}: unknown technique {label!r}; expected one of "
                f"{', '.join(t.ptc_label for t in TECHNIQUES)}"
            ) from None
        if not (start.isdigit() and end.isdigit()):
            raise DataError(f"{source}:{number}: START and END must be whole numbers, found {start!r} and {end!r}")
        if int(end) <= int(start):
            raise DataError(f"{source}:{number}: the span {start}-{end} is empty (END must be after START)")
        rows.append((number, article_id, GoldSpan(int(start), int(end), technique)))
    return rows


def _read_gold(path: Path, article_id: str, text: str) -> list[GoldSpan]:
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read {path}: {e}") from None
    gold = []
    for number, line_id, span in parse_label_lines(content, str(path)):
        if line_id != article_id:
            raise DataError(f"{path}:{number}: the line is labelled for article {line_id}, not {article_id}")
        if span.end > len(text):
            raise DataError(
                f"{path}:{number}: the span {span.start}-{span.end} ends past the end of article{article_id}.txt "
                f"({len(text)} characters); the labels do not match this text"
            )
        gold.append(span)
    return gold


def _id_order(article_id: str) -> tuple:
    return (0, int(article_id), "") if article_id.isdigit() else (1, 0, article_id)

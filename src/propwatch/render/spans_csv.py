"""The spans of one analysis as CSV, one row per span, for a spreadsheet or a script.

Article text is untrusted, and a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab
or carriage return) as a formula, so such text cells get a leading apostrophe (OWASP's advice against CSV
injection); offsets still index the article text exactly, and ``score`` stays the calibrated probability.
"""

from __future__ import annotations

import csv
import io

from ..schema import Analysis
from ..techniques import get
from .reasons import strength_of, thresholds

COLUMNS = ("article", "start", "end", "technique", "technique_name", "strength", "score", "text", "cues")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """``cell`` as a spreadsheet shows it, never as a formula it runs."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def render_spans_csv(analysis: Analysis) -> str:
    """One header row, then every span in reading order (``strength`` empty for analyses without strengths)."""
    text = analysis.article.text
    cuts = thresholds(analysis)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for s in sorted(analysis.spans, key=lambda s: (s.start, -s.end, s.technique)):
        writer.writerow([
            inert(analysis.article.id), s.start, s.end, s.technique, get(s.technique).name,
            strength_of(s, cuts) or "", f"{s.score:.4f}", inert(text[s.start : s.end]),
            inert("; ".join(s.cues)),
        ])
    return out.getvalue()

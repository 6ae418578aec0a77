"""The SemEval-2020 Task 11 scorers (SI, TC, end-to-end), sentence-level F1 and calibration.

Every figure propwatch reports (``propwatch evaluate``, the benchmarks, threshold tuning after training) comes
from these functions. Spans are given per article as ``{article_id: [(start, end) | (start, end, technique)]}``
or as objects with ``.start``/``.end``/``.technique``; techniques may be ids or PTC labels.
"""

from .calibration import ReliabilityBin, expected_calibration_error, reliability_bins
from .classification import TCResult, technique_classification
from .scores import CorpusScores, TechniqueRow
from .sentences import sentence_f1
from .spans import PRF, end_to_end, merge_spans, span_identification

__all__ = [
    "CorpusScores",
    "PRF",
    "ReliabilityBin",
    "TCResult",
    "TechniqueRow",
    "end_to_end",
    "expected_calibration_error",
    "merge_spans",
    "reliability_bins",
    "sentence_f1",
    "span_identification",
    "technique_classification",
]

"""The offline wing's measuring half: run a model over a labelled corpus and score it (``run``), and choose what
is chosen on labelled articles: the decoding (``tuning``), the Repetition cue (``cues``), an ensemble's token
weights (``weights``) and the score calibration (``calibration``); ``store`` writes a tuning into a model folder.
``roles`` measures a role model on given mentions and the actor finder's recall (SemEval-2025 Task 10).

It stands on the product (``model``, ``inputs``, ``metrics``), never the reverse. ``training`` calls this
package (export measures and tunes what it exported, and building an ensemble tunes it); this package never
calls ``training``, so evaluating and tuning need no torch.
"""

from .calibration import calibration_report, calibration_that_helps, fit_calibration, require_calibration_fit
from .cues import MIN_CUE_GAIN, tune_repetition_cue
from .run import ArticleOutput, ArticleProgress, evaluate, redecode, run_model, score
from .store import FolderTuning, store_tuning, tune_model_folder
from .tuning import Tuned, TuningSteps, tune_and_score, tune_decoding
from .weights import tune_token_weights

__all__ = [
    "MIN_CUE_GAIN",
    "ArticleOutput",
    "ArticleProgress",
    "FolderTuning",
    "Tuned",
    "TuningSteps",
    "calibration_report",
    "calibration_that_helps",
    "evaluate",
    "fit_calibration",
    "redecode",
    "require_calibration_fit",
    "run_model",
    "score",
    "store_tuning",
    "tune_and_score",
    "tune_decoding",
    "tune_model_folder",
    "tune_repetition_cue",
    "tune_token_weights",
]

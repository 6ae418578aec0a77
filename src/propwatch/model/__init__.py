"""The model runtime: a transformer encoder that tags every token with the techniques it belongs to, plus a small
span classifier head, run with onnxruntime.

Inference needs only numpy, tokenizers and onnxruntime. This package knows nothing of how models are made or
measured: training (torch) and evaluation (tuning, calibration fitting) are the offline wing,
``propwatch.training`` and ``propwatch.evaluation``; they depend on this package, never the reverse.

Modules, bottom up: ``windows`` (articles through a fixed-length encoder), ``spans`` (span features and head),
``calibration`` (score maps), ``decode`` (probabilities to spans and scores), ``config`` (a folder's
``config.json``), ``registry`` (names to folders), ``runtime`` (one ONNX model), ``ensemble`` (several as one),
``loader`` (a name to a running model).
"""

from .config import ModelConfig
from .ensemble import EnsembleModel
from .loader import load_model
from .registry import available_models, resolve_model
from .runtime import EncoderStates, ModelBase, OnnxModel, TokenPredictions

__all__ = [
    "EncoderStates",
    "EnsembleModel",
    "ModelBase",
    "ModelConfig",
    "OnnxModel",
    "TokenPredictions",
    "available_models",
    "load_model",
    "resolve_model",
]

"""A model folder's ``config.json``, typed: the one place that reads and writes it.

The file says what the runtime needs (name, version, techniques, window and stride, the tuned decoding; for an
ensemble its members and their token weights) and records how the model came about (the training settings,
the validation figures and the tuning behind them). Everything that changes a model folder (export, tuning,
building an ensemble, the benchmarks' variants) goes through ``ModelConfig``: read it, derive a new one with
``dataclasses.replace``, ``write`` it back.

Versioned: ``format_version`` says which layout a folder has, and a folder of a layout this propwatch does not
know is refused with a message, not half-read. Keys this version does not use are kept as they were read, so
rewriting a config changes only what the writer meant to change (the shipped ``config.json`` reads and writes
back byte for byte).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import ModelError
from ..files import atomic_write_text
from .decode import DecodingConfig

FORMAT_VERSION = 1  # the layout this propwatch writes
READABLE_FORMATS = (1,)  # the layouts it reads
CONFIG_FILE = "config.json"

# "model" (or no kind): a technique model; "ensemble": technique models answering as one; "attribution": the
# attribution tagger; "attribution-ensemble": attribution taggers answering as one; "roles": the actor role
# classifier.
Kind = Literal["model", "ensemble", "attribution", "attribution-ensemble", "roles"]
KINDS_WITHOUT_DECODING = ("attribution", "attribution-ensemble", "roles")


@dataclass(frozen=True)
class MemberConfig:
    """One member of an ensemble: its folder (relative to the ensemble's) and its share of the token mix."""

    folder: str
    name: str
    version: str = ""
    token_weight: float = 1.0

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> MemberConfig:
        return cls(folder=str(d["folder"]), name=str(d.get("name", d["folder"])), version=str(d.get("version", "")),
                   token_weight=float(d.get("token_weight", 1.0)))

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "name": self.name, "version": self.version, "token_weight": self.token_weight}


@dataclass(frozen=True)
class ModelConfig:
    """What ``config.json`` holds. Optional fields are None where the file does not have them (an ensemble has
    no window; a model exported before a field existed lacks it) and are then not written."""

    name: str
    version: str
    techniques: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # an attribution or role model's output labels, in output order
    decoding: DecodingConfig = field(default_factory=DecodingConfig)
    format_version: int = FORMAT_VERSION
    kind: Kind | None = None  # "ensemble" for an ensemble; one model says "model" or nothing
    base: str | None = None  # the encoder it was trained from (minilm, mpnet, a folder)
    window: int | None = None  # article tokens per encoder window
    stride: int | None = None  # tokens between window starts
    batch_windows: int | None = None  # windows per onnxruntime call (1: see ``OnnxModel``)
    channels: int | None = None  # token probability channels of the graph (15, or 16 with the sentence channel)
    members: tuple[MemberConfig, ...] = ()  # an ensemble's members
    best_epoch: int | None = None
    training: dict[str, Any] | None = None  # the training settings, as a record
    created: str | None = None
    validation: dict[str, Any] | None = None  # figures and tuning record, by precision
    precision: str | None = None  # fp32, int8, or "ensemble": where tuning files its figures
    # What readers are shown instead of a bare score, measured on articles the model was not tuned on
    # (``evaluation.reliability``, ``propwatch reliability``); absent in folders made before they existed.
    strength_thresholds: tuple[float, float] | None = None  # lowest score of a strong, of a moderate span
    reliability: dict[str, dict[str, float]] | None = None  # technique -> recall, precision, support
    # technique -> {"support": annotated spans, "mistaken_for": [{"technique", "spans", "share"}]}: what the
    # model names its annotated spans instead (``evaluation.confusions``), for the techniques page
    confusions: dict[str, dict[str, Any]] | None = None
    # The version whose training made the weights, where a later version changed only the decoding (``propwatch
    # crossval --store``): an ensemble pins its members' weights (``registry.member_folders``), which a new
    # decoding leaves as they were.
    weights_version: str | None = None
    # Keys this propwatch does not use, kept as read; and the order the file had its keys in, kept on writing.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    key_order: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def weights_identity(self) -> str:
        """The version an ensemble pins this model by: that of its weights."""
        return self.weights_version or self.version

    @property
    def is_ensemble(self) -> bool:
        return self.kind == "ensemble"

    @classmethod
    def read(cls, folder: str | Path) -> ModelConfig:
        """The config of the model folder ``folder`` (a ``ModelError`` naming the folder where it is missing, not
        JSON, of an unknown format, or lacks what every model has)."""
        raw = _read_json(folder)
        version = raw.get("format_version")
        if version not in READABLE_FORMATS:
            readable = ", ".join(str(v) for v in READABLE_FORMATS)
            said = "gives no format_version" if version is None else f"is model format {version!r}"
            raise ModelError(f"the model folder {folder} {said}; this propwatch reads model format {readable} "
                             f"(a newer propwatch may read it)")
        try:
            return cls._from_json(raw)
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"the model configuration {Path(folder) / CONFIG_FILE} is not valid: {exc!r}") from None

    @staticmethod
    def kind_of(folder: str | Path) -> Kind:
        """What ``folder`` holds, by its config's ``kind`` alone: the registry tells an ensemble from a model
        before it checks the files each needs, and before anything else in the config is judged."""
        kind = _read_json(folder).get("kind")
        return kind if kind in ("ensemble", "attribution", "attribution-ensemble", "roles") else "model"

    @classmethod
    def _from_json(cls, raw: dict[str, Any]) -> ModelConfig:
        def optional(key: str, kind: type) -> Any:
            return None if raw.get(key) is None else kind(raw[key])

        return cls(
            name=str(raw["name"]), version=str(raw["version"]), techniques=tuple(raw.get("techniques", ())),
            labels=tuple(raw.get("labels", ())),
            decoding=DecodingConfig.from_dict(raw.get("decoding")), format_version=int(raw["format_version"]),
            kind=raw.get("kind"), base=optional("base", str), window=optional("window", int),
            stride=optional("stride", int), batch_windows=optional("batch_windows", int),
            channels=optional("channels", int),
            members=tuple(MemberConfig.from_json(m) for m in raw.get("members") or ()),
            best_epoch=optional("best_epoch", int), training=optional("training", dict),
            created=optional("created", str), validation=optional("validation", dict),
            precision=optional("precision", str),
            strength_thresholds=_thresholds(raw.get("strength_thresholds")),
            reliability=_reliability(raw.get("reliability")),
            confusions=_confusions(raw.get("confusions")), weights_version=optional("weights_version", str),
            extra={k: v for k, v in raw.items() if k not in _FIELDS}, key_order=tuple(raw),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object, in the key order it was read with (new keys after, in field order)."""
        values: dict[str, Any] = {
            "format_version": self.format_version, "kind": self.kind, "name": self.name, "version": self.version,
            "base": self.base, "techniques": list(self.techniques) if self.techniques or not self.labels else None,
            "labels": list(self.labels) if self.labels else None, "window": self.window, "stride": self.stride,
            "batch_windows": self.batch_windows, "channels": self.channels,
            "members": [m.to_json() for m in self.members] if self.members else None,
            "decoding": None if self.kind in KINDS_WITHOUT_DECODING else self.decoding.to_dict(),
            "best_epoch": self.best_epoch, "training": self.training,
            "created": self.created, "validation": self.validation, "precision": self.precision,
            "strength_thresholds": list(self.strength_thresholds) if self.strength_thresholds else None,
            "reliability": self.reliability, "confusions": self.confusions, "weights_version": self.weights_version,
        }
        values = {k: v for k, v in values.items() if v is not None} | self.extra
        ordered = [k for k in self.key_order if k in values]
        return {k: values[k] for k in ordered} | {k: v for k, v in values.items() if k not in ordered}

    def write(self, folder: str | Path) -> None:
        """Write ``folder/config.json`` atomically: a crash leaves the old config or the new one, never half."""
        atomic_write_text(Path(folder) / CONFIG_FILE, json.dumps(self.to_json(), indent=2))


_FIELDS = frozenset(ModelConfig.__dataclass_fields__) - {"extra", "key_order"}


def _thresholds(value: Any) -> tuple[float, float] | None:
    """``[strong_min, moderate_min]``: two scores in [0, 1], the strong one not below the moderate one."""
    if value is None:
        return None
    strong, moderate = (float(v) for v in value)
    if not 0.0 <= moderate <= strong <= 1.0:
        raise ValueError(f"strength_thresholds {value!r} must be [strong_min, moderate_min] with 0 <= "
                         "moderate_min <= strong_min <= 1")
    return strong, moderate


def _reliability(value: Any) -> dict[str, dict[str, float]] | None:
    if value is None:
        return None
    return {str(t): {"recall": float(r["recall"]), "precision": float(r["precision"]),
                     "support": int(r.get("support", 0))} for t, r in dict(value).items()}


def _confusions(value: Any) -> dict[str, dict[str, Any]] | None:
    if value is None:
        return None
    return {str(t): {"support": int(c["support"]),
                     "mistaken_for": [{"technique": str(m["technique"]), "spans": int(m["spans"]),
                                       "share": float(m["share"])} for m in c["mistaken_for"]]}
            for t, c in dict(value).items()}


def _read_json(folder: str | Path) -> dict[str, Any]:
    path = Path(folder) / CONFIG_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the model configuration {path}: {exc}") from None
    if not isinstance(raw, dict):
        raise ModelError(f"the model configuration {path} is not a JSON object")
    return raw

"""The API's request and response bodies. Responses extend the core ``Analysis`` schema rather than wrap it,
so ``Analysis.model_validate_json(response.text)`` works on what the API returns (the extra fields are
ignored) and every tool reads the same field names as ``propwatch analyze --format json`` writes."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..comparison import Comparison
from ..schema import Analysis, SpanExample, TechniqueReliability
from ..techniques import TECHNIQUE_IDS, parse_filter
from . import examples
from .errors import ErrorBody
from .settings import MAX_BATCH

MAX_UNKNOWN_SHOWN = 5


class Closed(BaseModel):
    """A request body that refuses keys it does not know, in one error whatever their number: pydantic's own
    ``extra="forbid"`` makes one error per unknown key, and a 2 MB body of 150,000 of them made an 11 MB answer
    and held the event loop for seconds. (``extra="forbid"`` stays, for the JSON schema.)"""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known_keys_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = [key for key in data if key not in cls.model_fields]
            if unknown:
                shown = ", ".join(repr(str(key)[:40]) for key in unknown[:MAX_UNKNOWN_SHOWN])
                more = f" and {len(unknown) - MAX_UNKNOWN_SHOWN} more" if len(unknown) > MAX_UNKNOWN_SHOWN else ""
                raise ValueError(f"unknown field{'s' if len(unknown) > 1 else ''} {shown}{more}; the fields are "
                                 f"{', '.join(cls.model_fields)}")
        return data


class Options(Closed):
    """What to show of each analysis. The stored analysis is always complete; options filter the answer."""

    min_score: float = Field(default=0.0, ge=0.0, le=1.0, description="Only spans the model scores at least this high.")
    techniques: Optional[list[str]] = Field(
        default=None, description="Only these techniques (ids, PTC labels or short codes); all when absent.",
        examples=[["loaded_language", "doubt"]],
    )
    store: bool = Field(default=True, description="Keep the analysis in the history and return its id and permalink.")

    @field_validator("techniques")
    @classmethod
    def _known(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        chosen: set[str] = set()
        for item in value:
            chosen |= parse_filter(item) or set()  # ValueError names the valid ids: a 422 for the client
        return [t for t in TECHNIQUE_IDS if t in chosen]

    def technique_set(self) -> frozenset[str] | None:
        return frozenset(self.techniques) if self.techniques is not None else None


class Document(Closed):
    """One article: exactly one of ``text``, ``html`` or ``url``."""

    text: Optional[str] = Field(None, description="Plain text. Line 1 is the title when it reads as a headline "
                                "(short, then a blank line); an article without one is read from its first line.")
    html: Optional[str] = Field(None, description="A web page; the article's text is extracted from it.")
    url: Optional[str] = Field(
        None, max_length=2048,
        description="An http(s) URL to fetch. Private, loopback, link-local and metadata addresses are refused.",
    )
    id: Optional[str] = Field(None, max_length=200, description="Article id for the result (default: a hash).")

    @model_validator(mode="after")
    def _exactly_one(self) -> "Document":
        given = [name for name in ("text", "html", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'text', 'html' or 'url'" + (f" (got {', '.join(given)})" if given else "")
            )
        return self


class AnalyzeRequest(Options, Document):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [example["value"] for example in examples.ANALYZE_REQUESTS.values()]},
    )


class BatchRequest(Options):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.BATCH_REQUEST]})

    documents: list[Document] = Field(..., min_length=1, max_length=MAX_BATCH,
                                      description=f"1 to {MAX_BATCH} articles, analysed together.")

    @model_validator(mode="before")
    @classmethod
    def _not_too_many(cls, data: Any) -> Any:
        """Before the documents are validated one by one: a list of 100,000 would make as many errors."""
        if isinstance(data, dict) and isinstance(data.get("documents"), list) and len(data["documents"]) > MAX_BATCH:
            raise ValueError(f"documents: at most {MAX_BATCH} documents per batch, not {len(data['documents'])}")
        return data


class Links(BaseModel):
    self: str = Field(description="This analysis in the API.")
    html: str = Field(description="The result page (permalink).")
    report: str = Field(description="The self-contained HTML report.")


class StoredAnalysis(Analysis):
    """An `Analysis` plus where it is kept. `id` is null when it was not stored (`store: false`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.STORED]})

    id: Optional[str] = None
    created_at: Optional[str] = None
    links: Optional[Links] = None


class BatchItem(BaseModel):
    index: int = Field(description="Position of the document in the request.")
    analysis: Optional[StoredAnalysis] = None
    error: Optional[ErrorBody] = None


class BatchResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_RESPONSE]})

    results: list[BatchItem]
    analysed: int
    failed: int


class AnalysisSummary(BaseModel):
    """One line of the history."""

    id: str
    created_at: str
    title: str
    source: Optional[str]
    score: float
    spans: int
    words: int
    model: str
    outlet: Optional[str] = Field(None, description="The outlet the article's page names (or its site), if any.")
    author: Optional[str] = None
    published: Optional[str] = Field(None, description="The publication date the page gives (YYYY-MM-DD).")
    run_id: Optional[str] = Field(None, description="The batch run that stored it (`propwatch batch --store`); null "
                                                    "for analyses made in the web app or the API.")
    run_name: Optional[str] = Field(None, description="That run's name (its folder's).")
    links: Links


class RunInfo(BaseModel):
    """A batch run with analyses in the history."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.RUN]})

    id: str = Field(description="Filter the history by it: `GET /api/v1/analyses?run=<id>`.")
    name: Optional[str] = Field(description="The run folder's name.")
    analyses: int = Field(description="How many of its analyses are in the history.")
    created_at: str = Field(description="When its first analyses were stored.")


class AnalysisPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.PAGE]})

    items: list[AnalysisSummary]
    total: int
    limit: int
    offset: int
    next_offset: Optional[int] = Field(None, description="The offset of the next page, null on the last page.")


class Confusion(BaseModel):
    """Another technique the model names a technique's annotated spans instead (``evaluation.confusions``)."""

    technique: str = Field(description="The technique id it is mistaken for.")
    name: str
    spans: int = Field(ge=0, description="Annotated spans of the technique given this one instead.")
    share: float = Field(ge=0.0, le=1.0, description="``spans`` over all annotated spans of the technique.")


class TechniqueInfo(BaseModel):
    """A technique of the taxonomy, with what the loaded model's folder says about it: two annotated examples
    from its training articles, how often it finds the technique, and what it mistakes it for. Those three are
    empty while the model loads, and for a model folder that does not ship them."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.TECHNIQUE]})

    id: str
    ptc_label: str
    name: str
    short: str
    definition: str
    example: str = Field(description="An illustrative sentence written for propwatch (not from a corpus).")
    colour: str
    examples: list[SpanExample] = Field(default_factory=list, description="Two spans the PTC annotators marked "
                                        "with this technique, the most typical of the model's examples "
                                        "(``similarity``: to their technique's mean), with a few words around.")
    reliability: Optional[TechniqueReliability] = Field(None, description="Recall and precision measured by "
                                                        "cross-validation on articles the model was not tuned on.")
    often_missed: bool = Field(False, description="The model finds few of these: no highlight does not mean "
                                                  "none is there.")
    mistaken_for: list[Confusion] = Field(default_factory=list, description="The techniques its annotated spans "
                                          "are most often named instead, most first.")
    classified: int = Field(0, ge=0, description="Annotated spans ``mistaken_for`` was measured on.")


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.HEALTH]})

    status: str


class Readiness(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.READY]})

    status: str
    model: Optional[dict[str, str]] = None
    workers: int
    running: int
    waiting: int
    max_waiting: int
    storage: bool
    detail: Optional[str] = None


class ComparisonAnswer(Comparison):
    """Two stored analyses side by side (``comparison.Comparison``, as ``propwatch compare --json`` prints it)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.COMPARISON]})

"""The JSON API's request and response models (they are its OpenAPI schema, at /openapi.json)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, computed_field, field_validator
from pydantic_core import PydanticCustomError

from qa.apps.messages import not_found_reason, scope_notes
from qa.facts import Fact
from qa.index.catalog import year_text
from qa.schema import Level, Period, document_noun
from qa.settings import MAX_EARLIER, MAX_K, MAX_QUESTION_CHARS


class Filters(BaseModel):
    """Restrict the search; each value is one value or a list (any of them matches)."""

    model_config = ConfigDict(extra="forbid")

    doc_id: StrictStr | list[StrictStr] | None = None
    year: StrictInt | list[StrictInt] | None = None
    region: StrictStr | list[StrictStr] | None = None
    level: Level | list[Level] | None = None  # national, province, city, county, town (as /api/series)

    @field_validator("year", mode="before")
    @classmethod
    def _year_in_digits(cls, value: Any) -> Any:
        # "2017" as a query string gives it, "2017年" as people write it, and as the Python API takes
        # them; 2017.0 and "二〇一七" stay wrong.
        def year(v: Any) -> Any:
            text = year_text(v) if isinstance(v, str) else ""
            return int(text) if text.isdigit() else v

        return [year(v) for v in value] if isinstance(value, list) else year(value)

    def to_query(self) -> dict[str, Any] | None:
        """The filters ``ReportQA.ask`` takes: only the keys that were given."""
        given = self.model_dump(exclude_none=True)
        return given or None


class AskRequest(BaseModel):
    """A question for ``POST /api/ask``."""

    model_config = ConfigDict(extra="forbid")

    question: Annotated[StrictStr, Field(min_length=1, max_length=MAX_QUESTION_CHARS)]
    k: Annotated[StrictInt, Field(ge=1, le=MAX_K)] = 5
    filters: Filters | None = None
    # A chat's earlier questions, oldest first: follow-ups ("那今年的目标呢？") lean on them, as in
    # the web chat and ``ReportQA.chat(earlier_questions)``; a client keeps them, the server keeps none.
    earlier_questions: Annotated[
        list[Annotated[StrictStr, Field(max_length=MAX_QUESTION_CHARS)]], Field(max_length=MAX_EARLIER)
    ] = []

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # Blank is as empty as "": the same 422 ``empty_question``, not a 400 from the library.
        if not value.strip():
            raise PydanticCustomError("blank_question", "the question is blank")
        return value


class PassageModel(BaseModel):
    """A cited passage; ``text == document text[start:end]``, ``highlight`` is offsets in ``text``."""

    passage_id: str
    doc_id: str
    document: str
    section: list[str]
    period: Period
    start: int
    end: int
    text: str
    score: float
    highlight: list[int] | None


class AnswerModel(BaseModel):
    """The reply: ``answer`` is the quoted sentence (None when the report does not say).

    ``confidence`` is the calibrated probability that the sentence answers; ``outcome`` is
    "answer", "uncertain" (可能相关: shown, to be checked) or "not_found" (报告中没有). ``parts``
    holds one reply per report of a comparison or per part of a two-part question; ``items`` the
    headings a quoted sentence announces (…以下五个方面工作： then （一）…（五）), each cited (for a
    two-part question or a comparison, on the part that quotes it). ``why_not_found`` and ``notes``
    say in Chinese what ``reason`` records for programs.
    """

    question: str
    found: bool
    answer: str | None
    confidence: float
    outcome: Literal["answer", "uncertain", "not_found"]
    passages: list[PassageModel]
    parts: list[AnswerModel]
    items: list[PassageModel] = Field(default_factory=list)
    reason: dict[str, Any]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def why_not_found(self) -> str | None:
        """Why the reports do not answer, in Chinese, as the page says it (``reason`` is the library's)."""
        noun = document_noun(p.document for p in self.passages[:1])
        return not_found_reason(self.reason, noun) if self.outcome == "not_found" else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def notes(self) -> list[str]:
        """Where the answer was looked for, in Chinese (the newest report, a level, other places …)."""
        return scope_notes(self.reason)


class DocumentModel(BaseModel):
    """An indexed document's metadata."""

    doc_id: str
    title: str
    source: str
    issuer: str | None
    region: str | None
    year: int | None
    date: str | None
    level: str | None
    chars: int
    content_hash: str
    raw_title: str | None = None  # the title as printed; ``title`` carries year and issuer


class DocumentTextModel(DocumentModel):
    """One indexed document with its stored text: every citation's ``start``/``end`` index into it."""

    text: str


class DocumentsResponse(BaseModel):
    documents: list[DocumentModel]


class FactsQuery(BaseModel):
    """Filters of ``GET /api/facts``; an empty or missing value means any. Unknown keys are a 422."""

    model_config = ConfigDict(extra="forbid")

    doc_id: Annotated[str | None, Field(max_length=64)] = None
    indicator: Annotated[
        str | None, Field(max_length=100, description="part of the indicator, e.g. 财政")
    ] = None
    period: Period | None = None

    @field_validator("doc_id", "indicator", "period", mode="before")
    @classmethod
    def _blank_is_any(cls, value: Any) -> Any:
        # ``?doc_id=&period=`` is what an HTML form sends for "no choice".
        return None if value == "" else value


class FactsResponse(BaseModel):
    facts: list[Fact]  # the dataclass itself: one definition of a key figure, in qa.facts


class SeriesQuery(BaseModel):
    """``GET /api/series``: one headline figure of ``indicator`` per report (ReportQA.series).
    An empty or missing filter means any; unknown keys are a 422."""

    model_config = ConfigDict(extra="forbid")

    indicator: Annotated[str, Field(min_length=1, max_length=100, description="e.g. 国内生产总值")]
    period: Literal["plan", "review"] | None = "plan"  # empty: plan
    level: Level | None = None  # as /api/ask takes it: an unknown level is a 422, not an empty list
    year: Annotated[int | None, Field(ge=1900, le=2100)] = None
    region: Annotated[str | None, Field(max_length=40)] = None
    doc_id: Annotated[str | None, Field(max_length=64)] = None

    @field_validator("period", "level", "year", "region", "doc_id", mode="before")
    @classmethod
    def _blank_is_any(cls, value: Any) -> Any:
        return None if value == "" else value

    def filters(self) -> dict[str, Any]:
        """The report filters of ReportQA.series."""
        return {k: v for k in ("level", "year", "region", "doc_id") if (v := getattr(self, k)) is not None}


class Health(BaseModel):
    status: Literal["ok"]
    documents: int
    passages: int
    store: Literal["local", "milvus"]


class ErrorResponse(BaseModel):
    """A refused request: the message (Chinese), a stable code, and the library's own line if any."""

    error: str
    code: str
    detail: str | None = None


class RefusalResponse(BaseModel):
    """A refused request: the message (Chinese) and a stable code to act on."""

    error: str
    code: Literal[
        "token_required", "token_invalid", "admin_disabled", "not_found", "rate_limited", "body_too_large"
    ]


class AddedResponse(BaseModel):
    """The documents an upload added; empty when the same text was indexed already, which ``note``
    then says (in Chinese)."""

    added: list[DocumentModel]
    note: str | None = None


class RemovedResponse(BaseModel):
    removed: DocumentModel


class Change(BaseModel):
    """One line of the audit log (qa.index.audit)."""

    time: str
    action: Literal["add", "remove"]
    doc_id: str
    content_hash: str
    file: str
    title: str
    client: str | None


class ChangesResponse(BaseModel):
    changes: list[Change]


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad question"},
    422: {"model": ErrorResponse, "description": "Malformed request"},
}

ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": RefusalResponse, "description": "No admin token"},
    403: {"model": RefusalResponse, "description": "Wrong admin token, or none configured"},
    429: {"model": RefusalResponse, "description": "Too many requests from this client"},
}


def answer_json(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer (``Answer.to_dict()``) as the HTTP API and ``ask --json`` give it: with
    ``why_not_found`` and ``notes`` in Chinese, on every part too."""
    return AnswerModel.model_validate(answer).model_dump(mode="json")

"""The records that flow through report-qa, from a loaded file to an answer.

Data flows one way: ``Document`` (documents) -> ``Passage`` (structure) -> index (store) ->
``Passage`` with a score (retrieval) -> ``Answer`` (answer). Every offset is a character offset
into ``Document.text``, the text as stored, so a citation always points at the source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, get_args

Period = Literal["review", "plan", "other"]
# How the CLI and the web interface name each period: last year's work reviewed, this year's plan.
PERIOD_LABELS: dict[Period, str] = {"review": "回顾", "plan": "计划", "other": "其他"}
SHOWN_PERIODS: tuple[Period, ...] = ("review", "plan")  # the periods a citation names (其他 tells nothing)
Level = Literal["national", "province", "city", "county", "town"]
LEVELS: tuple[Level, ...] = get_args(Level)
DocumentKind = Literal["work_report", "other"]


def document_kind(title: str) -> DocumentKind:
    """ "work_report" for a government work report, known by its title (…工作报告), else "other". A
    work report's top-level headings are its review, then its plan, by their place; and its answers'
    confidence is the one fitted on questions asked of reports (``qa.pipeline.scorer``)."""
    return "work_report" if "工作报告" in title else "other"


def document_noun(titles: Iterable[str]) -> str:
    """What to call the documents of ``titles``: 报告 when all are work reports, 文档 when any is
    another kind (a contract or a hospital guide had been "报告中没有", a library of them "6 份报告")."""
    return "文档" if any(document_kind(title) == "other" for title in titles) else "报告"


def content_hash(text: str) -> str:
    """Stable hash of a document's stored text (sha256 hex); the document id derives from it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DocumentInfo:
    """What is known about a document, without its text."""

    doc_id: str
    title: str
    source: str  # the file name it was loaded from
    issuer: str | None = None
    region: str | None = None
    year: int | None = None  # the year printed in the title (紫帽镇…2022年工作报告 -> 2022)
    date: str | None = None  # ISO date of publication or delivery, when known
    level: Level | None = None
    # The year whose results the report reviews; the year after it is the one it plans. Titles
    # disagree (a town's "2022年工作报告" reviews 2022, the State Council's "2024年政府工作报告"
    # reviews 2023), so questions saying 去年/今年 are resolved against this, not against ``year``.
    review_year: int | None = None
    chars: int = 0
    content_hash: str = ""
    # The title as printed (or the file name where none was); ``title`` is the display title with
    # year and issuer (qa.ingest.metadata.display_title). None in manifests written before it existed.
    raw_title: str | None = None
    # (start of a heading line, its level) where the file's markup gives levels (``Document.outline``),
    # kept with the index so that a question's sections read them too (qa.pipeline.lists).
    outline: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        # A manifest's JSON gives lists: a frozen, hashable info holds tuples.
        object.__setattr__(self, "outline", tuple(tuple(mark) for mark in self.outline))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """A loaded document: its stored text (line ends normalized to \\n) and its metadata."""

    text: str
    title: str
    source: str
    issuer: str | None = None
    region: str | None = None
    year: int | None = None
    date: str | None = None
    level: Level | None = None
    review_year: int | None = None
    raw_title: str | None = None  # as printed; ``title`` is what readers see (see DocumentInfo)
    # (start of a heading line, its level) where the file's markup gives levels (qa.ingest.outline)
    outline: tuple[tuple[int, int], ...] = ()

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    @property
    def doc_id(self) -> str:
        # Content-derived, so the same text always gets the same id and passage ids stay stable.
        return self.content_hash[:16]

    @property
    def info(self) -> DocumentInfo:
        return DocumentInfo(
            doc_id=self.doc_id,
            title=self.title,
            source=self.source,
            issuer=self.issuer,
            region=self.region,
            year=self.year,
            date=self.date,
            level=self.level,
            review_year=self.review_year,
            chars=len(self.text),
            content_hash=self.content_hash,
            raw_title=self.raw_title,
            outline=self.outline,
        )


@dataclass(frozen=True)
class Passage:
    """A span of one document: consecutive sentences of one section.

    ``text == document.text[start:end]`` always holds. ``score`` and ``highlight`` are set by
    retrieval and answering; ``highlight`` is the answer span as offsets inside ``text``.
    """

    doc_id: str
    document: str  # the document's title
    section: list[str]
    period: Period
    start: int
    end: int
    text: str
    score: float = 0.0
    highlight: tuple[int, int] | None = None
    passage_id: str = ""

    def with_(self, **changes: Any) -> Passage:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        # A shallow copy, not dataclasses.asdict, which deep-copies field by field: the JSON API
        # calls this for every passage of every answer (it was a sixth of the server's event loop).
        d = dict(vars(self))
        d["section"] = list(self.section)
        d["highlight"] = list(self.highlight) if self.highlight else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Passage:
        d = dict(d)
        d["highlight"] = tuple(d["highlight"]) if d.get("highlight") else None
        d["section"] = list(d["section"])
        return cls(**d)


Outcome = Literal["answer", "uncertain", "not_found"]


@dataclass
class Answer:
    """The reply to one question: the quoted answer (or none) and the passages behind it.

    ``confidence`` is the calibrated probability that the quoted sentence answers the question;
    ``outcome`` is "answer", "uncertain" (a low-confidence answer, shown as 可能相关) or
    "not_found" (报告中没有; then ``found`` is False). ``parts`` holds one Answer per part of a
    question that asks two things (or, for comparisons, per report); else it is empty. ``items``
    holds the items a quoted sentence announces: the headings after "重点抓好以下五个方面工作："
    (（一）…（五）) or the sentences after "主要抓好三个方面；" that count them off (一是…二是…),
    each a Passage of the item's own words; else it is empty.
    """

    question: str
    found: bool
    answer: str | None
    passages: list[Passage] = field(default_factory=list)
    reason: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    outcome: Outcome = "not_found"
    parts: list[Answer] = field(default_factory=list)
    items: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.answer,
            "confidence": round(self.confidence, 4),
            "outcome": self.outcome,
            "passages": [p.to_dict() for p in self.passages],
            "parts": [part.to_dict() for part in self.parts],
            "items": [item.to_dict() for item in self.items],
            "reason": self.reason,
        }

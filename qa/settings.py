"""Every setting of report-qa in one place: what the environment says, and the tuning constants.

``Settings.from_env()`` reads the environment once (the only module that does); everything else
receives a ``Settings`` (or the part it needs) as an argument. Settings are frozen: a benchmark that
compares configurations builds another ``Settings`` with ``dataclasses.replace`` and passes it in,
so one bot's configuration never leaks into another's.

Environment variables:

| variable | setting | default |
|---|---|---|
| ``REPORT_QA_CACHE`` | ``cache_dir``: converted model weights | ``$XDG_CACHE_HOME/report-qa`` |
| ``REPORT_QA_THREADS`` | ``threads``: texts ONNX Runtime embeds at once | every core |
| ``REPORT_QA_MAX_UPLOAD_MB`` | ``max_upload_mb`` | 50 |
| ``MILVUS_URI`` | ``milvus_uri``: used when the Milvus store is asked for without a URI | none |
| ``MILVUS_TOKEN``, or ``MILVUS_USER`` + ``MILVUS_PASSWORD`` | ``milvus_token`` (never recorded) | none |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MAX_QUESTION_CHARS = 2000  # longer input is refused (QuestionError); the web textbox stops typing here


@dataclass(frozen=True)
class RetrievalSettings:
    """How candidates are found and fused (benchmarks/ABLATION.md measures each)."""

    candidates: int = 100  # per channel, before fusion
    rrf_k: int = 60  # the usual constant (Cormack et al. 2009); it damps the weight of the very top ranks
    dense_weight: float = 1.0  # RRF weight of the dense ranking
    lexical_weight: float = 2.0  # RRF weight of BM25: better than 1.0 on both dev sets
    period_boost: float = 1.3  # fused-score factor for passages of the period the question asks about
    # A question naming reports by year or region searches only them (README, "All 88 reports").
    named_filter: bool = True
    use_glossary: bool = True  # English questions search BM25 with report terms (qa.pipeline.glossary)


@dataclass(frozen=True)
class AnswerSettings:
    """How the answer sentence is chosen and when the report is said not to answer."""

    answer_passages: int = 3  # sentences are taken from this many top passages
    rank_penalty: float = 0.15  # per rank below the first: a lower passage must answer clearly better
    intent_bonus: float = 0.35  # a sentence holding what the question asks for (a figure, a date, a list)
    cosine_weight: float = 2.0  # question-sentence similarity; the only signal for English questions


def _default_cache_dir(environ: Mapping[str, str]) -> Path:
    if environ.get("REPORT_QA_CACHE"):
        return Path(environ["REPORT_QA_CACHE"]).expanduser()
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]).expanduser() / "report-qa"
    return Path.home() / ".cache" / "report-qa"


def _positive(environ: Mapping[str, str], name: str, kind: type[float] | type[int]) -> float | int | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        value = -1
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive {kind.__name__}, not {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """The whole configuration of a ReportQA and the apps around it."""

    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    cache_dir: Path = field(default_factory=lambda: _default_cache_dir({}))
    threads: int | None = None  # None: every core
    max_upload_mb: float = 50.0
    milvus_uri: str | None = None
    milvus_token: str = field(default="", repr=False)  # credentials: never printed or recorded

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings with the environment's values (``os.environ`` unless given); ValueError on a bad one."""
        env = os.environ if environ is None else environ
        user, password = env.get("MILVUS_USER", ""), env.get("MILVUS_PASSWORD", "")
        threads = _positive(env, "REPORT_QA_THREADS", int)
        upload = _positive(env, "REPORT_QA_MAX_UPLOAD_MB", float)
        return cls(
            cache_dir=_default_cache_dir(env),
            threads=None if threads is None else int(threads),
            max_upload_mb=50.0 if upload is None else float(upload),
            milvus_uri=env.get("MILVUS_URI") or None,
            milvus_token=env.get("MILVUS_TOKEN") or (f"{user}:{password}" if user else ""),
        )

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

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
| ``REPORT_QA_ASK_WORKERS`` | ``ask_workers``: processes answering ``POST /api/ask`` | 0: the server |
| ``REPORT_QA_MAX_UPLOAD_MB`` | ``max_upload_mb`` | 50 |
| ``MILVUS_URI`` | ``milvus_uri``: used when the Milvus store is asked for without a URI | none |
| ``MILVUS_TOKEN``, or ``MILVUS_USER`` + ``MILVUS_PASSWORD`` | ``milvus_token`` (never recorded) | none |
| ``REPORT_QA_ADMIN_TOKEN`` | ``admin_token``: uploads and removals need it (never recorded) | none |
| ``REPORT_QA_PUBLIC`` | ``public``: ``1`` serves read-only for visitors, ``0`` as on a laptop | by the host |
| ``REPORT_QA_RATE_LIMIT`` | ``rate_limit``: questions/s per client, ``0`` = off | 5 if public, else off |
| ``REPORT_QA_RATE_BURST`` | ``rate_burst``: questions a client may ask at once | 20 |
| ``REPORT_QA_MAX_BODY_MB`` | ``max_body_mb``: request body cap of every route but uploads | 4 |
| ``REPORT_QA_TRUSTED_PROXIES`` | ``trusted_proxies``: IPs/networks whose ``X-Forwarded-For`` counts | none |
| ``REPORT_QA_FRAME_ANCESTORS`` | ``frame_ancestors``: origins that may embed the page in a frame | none |

``public`` unset means: public unless the server listens on a loopback address (qa.apps.guard).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

MAX_K = 20  # passages one answer shows at most (the page's slider, the HTTP API's k)
MAX_EARLIER = 50  # earlier questions one HTTP ask may resume a chat with
MAX_QUESTION_CHARS = 2000  # longer input is refused (QuestionError); the web textbox stops typing here


class SettingsError(ValueError):
    """An environment variable holds a value report-qa cannot use (the CLI prints it as one line)."""


@dataclass(frozen=True)
class RetrievalSettings:
    """How candidates are found and fused (benchmarks/ABLATION.md measures each)."""

    candidates: int = 100  # per channel, before fusion
    # "scores": each channel's scores scaled 0-1 and summed (relative score fusion); "rrf":
    # reciprocal-rank fusion, shipped until 2026-12-03 (training/README.md compares them).
    fusion: Literal["scores", "rrf"] = "scores"
    rrf_k: int = 60  # RRF only: the usual constant (Cormack et al. 2009); it damps the very top ranks
    dense_weight: float = 1.0  # weight of the dense channel
    lexical_weight: float = 1.0  # weight of BM25 (2.0 served RRF; 1.0 the scores, on training questions)
    period_boost: float = 1.3  # fused-score factor for passages of the period the question asks about
    # A question naming reports by year or region searches only them, and one naming a year only the
    # reports that cover it (README, "All 88 reports").
    named_filter: bool = True
    use_glossary: bool = True  # English questions search BM25 with report terms (qa.pipeline.glossary)


@dataclass(frozen=True)
class AnswerSettings:
    """How the answer sentence is chosen: the learned scorer (qa.pipeline.scorer) and its input."""

    answer_passages: int = 5  # candidate sentences come from this many top passages
    scorer_path: Path | None = None  # a model file of training/train_scorer.py; None: the shipped one
    # The term counts the scorer's features are weighed against (qa.pipeline.background); None: the
    # shipped one, which the shipped scorer was trained with.
    background_path: Path | None = None


def _default_cache_dir(environ: Mapping[str, str]) -> Path:
    if environ.get("REPORT_QA_CACHE"):
        return Path(environ["REPORT_QA_CACHE"]).expanduser()
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]).expanduser() / "report-qa"
    return Path.home() / ".cache" / "report-qa"


def _positive(
    environ: Mapping[str, str], name: str, kind: type[float] | type[int], zero: bool = False
) -> float | int | None:
    """The variable as a positive number (or 0 too, with ``zero``); None when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = kind(raw)
    except ValueError:
        value = -1
    if not (value > 0 or (zero and value == 0)) or value == float("inf"):
        allowed = f"a positive {kind.__name__}" + (" or 0" if zero else "")
        raise SettingsError(f"{name} must be {allowed}, not {raw!r}")
    return value


def _flag(environ: Mapping[str, str], name: str) -> bool | None:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return None
    if raw not in ("1", "0", "true", "false", "yes", "no"):
        raise SettingsError(f"{name} must be 1 or 0, not {raw!r}")
    return raw in ("1", "true", "yes")


def _words(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A list given as words separated by commas or spaces."""
    return tuple(w for w in environ.get(name, "").replace(",", " ").split() if w)


@dataclass(frozen=True)
class Settings:
    """The whole configuration of a ReportQA and the apps around it."""

    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    cache_dir: Path = field(default_factory=lambda: _default_cache_dir({}))
    threads: int | None = None  # None: every core
    # Processes answering the JSON API's questions (qa.apps.workers): each holds the model and the
    # index (~0.65 GB with the bundled report), and together they use every core; 0: the server answers.
    ask_workers: int = 0
    max_upload_mb: float = 50.0
    milvus_uri: str | None = None
    milvus_token: str = field(default="", repr=False)  # credentials: never printed or recorded
    admin_token: str = field(default="", repr=False)  # a secret like milvus_token
    public: bool | None = None  # None: decided by the host the server listens on
    rate_limit: float | None = None  # questions/s per client; None: DEFAULT_RATE_LIMIT if public; 0: off
    rate_burst: int = 20
    # JSON questions are tiny, but every Gradio event carries the whole chat history back: a long
    # conversation of answer cards is a few hundred KB, so the cap leaves room for that.
    max_body_mb: float = 4.0
    trusted_proxies: tuple[str, ...] = ()
    frame_ancestors: tuple[str, ...] = ()  # empty: no site may frame the page

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings with the environment's values (``os.environ`` unless given); SettingsError (a
        ValueError) on a bad one."""
        env = os.environ if environ is None else environ
        user, password = env.get("MILVUS_USER", ""), env.get("MILVUS_PASSWORD", "")
        threads = _positive(env, "REPORT_QA_THREADS", int)
        workers = _positive(env, "REPORT_QA_ASK_WORKERS", int, zero=True)
        upload = _positive(env, "REPORT_QA_MAX_UPLOAD_MB", float)
        burst = _positive(env, "REPORT_QA_RATE_BURST", int)
        body = _positive(env, "REPORT_QA_MAX_BODY_MB", float)
        rate = _positive(env, "REPORT_QA_RATE_LIMIT", float, zero=True)
        return cls(
            cache_dir=_default_cache_dir(env),
            threads=None if threads is None else int(threads),
            ask_workers=0 if workers is None else int(workers),
            max_upload_mb=50.0 if upload is None else float(upload),
            milvus_uri=env.get("MILVUS_URI") or None,
            milvus_token=env.get("MILVUS_TOKEN") or (f"{user}:{password}" if user else ""),
            admin_token=env.get("REPORT_QA_ADMIN_TOKEN", "").strip(),
            public=_flag(env, "REPORT_QA_PUBLIC"),
            rate_limit=None if rate is None else float(rate),
            rate_burst=20 if burst is None else int(burst),
            max_body_mb=4.0 if body is None else float(body),
            trusted_proxies=_words(env, "REPORT_QA_TRUSTED_PROXIES"),
            frame_ancestors=_words(env, "REPORT_QA_FRAME_ANCESTORS"),
        )

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

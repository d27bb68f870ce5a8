"""From a question to ranked passages: query analysis, dense + lexical search, fusion, filters.

Stages pass plain ``(row, score)`` lists to each other, so each can be tested and swapped alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qa.schema import DocumentInfo, QuestionError
from qa.store import IndexData
from qa.textnorm import has_cjk, normalize

MAX_QUESTION_CHARS = 2000
RRF_K = 60  # the usual constant (Cormack et al. 2009); it damps the weight of the very top ranks
CANDIDATES = 100  # per channel, before fusion

# Question words carry no content; left in, their rare character pairs (多少, 哪些) add noise to BM25.
_QUESTION_WORDS = re.compile(
    r"多少|几个|几项|几家|什么|哪些|哪个|哪几|是否|有没有|要不要|会不会|怎么样|怎样|怎么|如何|为什么|"
    r"请问|吗|呢|吧|么|？|\?"
)


@dataclass(frozen=True)
class Query:
    """A question as the search stages need it."""

    text: str
    normalized: str
    lexical_text: str  # the question without question words, for BM25
    has_cjk: bool


def analyze(question: str) -> Query:
    """Validate and analyse a question; raises QuestionError on empty or over-long input."""
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    normalized = normalize(question)
    return Query(
        text=question,
        normalized=normalized,
        lexical_text=_QUESTION_WORDS.sub(" ", normalized),
        has_cjk=has_cjk(normalized),
    )


# ---------------------------------------------------------------- filters

FILTER_KEYS = ("doc_id", "year", "region")


def filter_rows(data: IndexData, filters: Mapping[str, Any] | None) -> np.ndarray | None:
    """Rows allowed by ``filters`` ({"doc_id"|"year"|"region": value or list}); None = all rows."""
    if not filters:
        return None
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise QuestionError(f"unknown filter {sorted(unknown)[0]!r}; filters are {', '.join(FILTER_KEYS)}")
    allowed: list[DocumentInfo] = list(data.documents)
    for key, value in filters.items():
        wanted = {str(v) for v in (value if isinstance(value, list | tuple | set) else [value])}
        allowed = [d for d in allowed if str(getattr(d, key)) in wanted]
    doc_ids = {d.doc_id for d in allowed}
    return np.array([i for i, p in enumerate(data.passages) if p.doc_id in doc_ids], dtype=np.int64)


# ---------------------------------------------------------------- fusion


def rrf(rankings: list[list[int]], weights: list[float], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: sum of weight / (k + rank) over the rankings each row appears in."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


# ---------------------------------------------------------------- search


@dataclass
class Hit:
    """One retrieved row with the evidence behind its rank (shown to users as the "why")."""

    row: int
    score: float
    dense: float | None = None
    lexical: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def search(
    data: IndexData,
    query: Query,
    query_vector: np.ndarray,
    k: int,
    filters: Mapping[str, Any] | None = None,
) -> list[Hit]:
    """Hybrid search: dense and BM25 candidates fused by RRF, deduplicated, best first."""
    rows = filter_rows(data, filters)
    dense_hits = data.dense_search(query_vector, CANDIDATES, rows)
    rankings = [[row for row, _ in dense_hits]]
    weights = [1.0]
    lexical = data.lexical_scores(query.lexical_text)
    if rows is not None:
        mask = np.zeros(len(lexical), dtype=bool)
        mask[rows] = True
        lexical = np.where(mask, lexical, 0.0)
    lexical_ranking = [int(r) for r in np.argsort(-lexical, kind="stable")[:CANDIDATES] if lexical[r] > 0]
    # Character n-grams of an English question match nothing useful in a Chinese report.
    if query.has_cjk:
        rankings.append(lexical_ranking)
        weights.append(1.0)
    dense_score = dict(dense_hits)
    dense_rank = {row: i for i, (row, _) in enumerate(dense_hits, start=1)}
    lexical_rank = {row: i for i, row in enumerate(lexical_ranking, start=1)}
    hits: list[Hit] = []
    seen_texts: set[str] = set()
    for row, score in rrf(rankings, weights):
        key = normalize(data.passages[row].text)
        if key in seen_texts:  # the same passage in two copies of a report
            continue
        seen_texts.add(key)
        hits.append(
            Hit(
                row=row,
                score=score,
                dense=dense_score.get(row),
                lexical=float(lexical[row]) if lexical[row] > 0 else None,
                dense_rank=dense_rank.get(row),
                lexical_rank=lexical_rank.get(row) if query.has_cjk else None,
            )
        )
        if len(hits) == k:
            break
    return hits

"""From an analysed question to ranked passages: dense + lexical search, fusion, boosts, filters.

Stages pass plain ``(row, score)`` lists to each other, so each can be tested and swapped alone.
The store (``qa.index.base.IndexStore``: local FAISS + BM25, or Milvus) only ranks; fusion and
boosts happen here, configured by ``RetrievalSettings``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qa.errors import QuestionError
from qa.index.factory import IndexStore
from qa.pipeline.query import Query
from qa.schema import DocumentInfo
from qa.settings import RetrievalSettings
from qa.text.normalize import normalize

# ---------------------------------------------------------------- filters

FILTER_KEYS = ("doc_id", "year", "region")


def filter_documents(data: IndexStore, filters: Mapping[str, Any] | None) -> set[str] | None:
    """doc_ids allowed by ``filters`` ({"doc_id"|"year"|"region": value or list}); None = all."""
    if not filters:
        return None
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise QuestionError(f"unknown filter {sorted(unknown)[0]!r}; filters are {', '.join(FILTER_KEYS)}")
    allowed: list[DocumentInfo] = list(data.documents)
    for key, value in filters.items():
        wanted = {str(v) for v in (value if isinstance(value, list | tuple | set) else [value])}
        allowed = [d for d in allowed if str(getattr(d, key)) in wanted]
    return {d.doc_id for d in allowed}


# ---------------------------------------------------------------- fusion


def rrf(rankings: list[list[int]], weights: list[float], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: sum of weight / (k + rank) over the rankings each row appears in."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


# ---------------------------------------------------------------- search


_REGION_SUFFIX = re.compile(
    r"(?:人民政府|维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|县|区|镇|乡|街道)$"
)
_NATIONAL_WORDS = re.compile(r"国务院|全国|中央政府|国家|china|national|state council")


def _names_region(query: Query, info: DocumentInfo) -> bool:
    region = info.region or ""
    if region == "全国":
        return bool(_NATIONAL_WORDS.search(query.normalized))
    short = _REGION_SUFFIX.sub("", region)
    text = " ".join((query.normalized, *query.translated))  # "Fujian" -> 福建 (qa.pipeline.glossary)
    return bool(region) and (region in text or (len(short) >= 2 and short in text))


def _fits_years(query: Query, info: DocumentInfo) -> bool:
    if query.report_years:  # "2024年政府工作报告" names the report by its title year
        return info.year in query.report_years
    years = {info.year, info.review_year, info.review_year + 1 if info.review_year else None}
    return bool(set(query.years) & years)


def named_documents(query: Query, documents: list[DocumentInfo]) -> set[str]:
    """doc_ids of the reports a question names: by region (narrowed by year when both fit), or by year."""
    by_region = {d.doc_id for d in documents if _names_region(query, d)}
    by_year = (
        {d.doc_id for d in documents if _fits_years(query, d)} if query.years or query.report_years else set()
    )
    if by_region:
        return (by_region & by_year) or by_region
    return by_year


def _boost(
    data: IndexStore, query: Query, fused: list[tuple[int, float]], factor: float
) -> list[tuple[int, float]]:
    """Raise passages of the part (review or plan) the question asks about."""
    boosted = []
    for row, score in fused:
        passage = data.passage(row)
        wanted = query.period_for(data.review_years.get(passage.doc_id))
        if wanted and passage.period == wanted:
            score *= factor
        boosted.append((row, score))
    return sorted(boosted, key=lambda item: -item[1])


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
    data: IndexStore,
    query: Query,
    query_vector: np.ndarray,
    k: int,
    filters: Mapping[str, Any] | None = None,
    settings: RetrievalSettings | None = None,
) -> list[Hit]:
    """Hybrid search: dense and BM25 candidates fused by RRF, deduplicated, best first.

    Without explicit ``filters``, a question naming reports (by year or region) searches only them.
    """
    settings = settings or RetrievalSettings()
    doc_ids = filter_documents(data, filters)
    if doc_ids is None and settings.named_filter and len(data.documents) > 1:
        doc_ids = named_documents(query, data.documents) or None
    dense_hits = data.dense_search(query_vector, settings.candidates, doc_ids)
    rankings = [[row for row, _ in dense_hits]]
    weights = [settings.dense_weight]
    # Character n-grams of an English question match nothing useful in a Chinese report; its
    # glossary terms do.
    lexical_hits = (
        data.lexical_search(query.lexical_text, settings.candidates, doc_ids) if query.uses_lexical else []
    )
    if query.uses_lexical:
        rankings.append([row for row, _ in lexical_hits])
        weights.append(settings.lexical_weight)
    dense_score, lexical_score = dict(dense_hits), dict(lexical_hits)
    dense_rank = {row: i for i, (row, _) in enumerate(dense_hits, start=1)}
    lexical_rank = {row: i for i, (row, _) in enumerate(lexical_hits, start=1)}
    hits: list[Hit] = []
    seen_texts: set[str] = set()
    for row, score in _boost(data, query, rrf(rankings, weights, settings.rrf_k), settings.period_boost):
        key = normalize(data.passage(row).text)
        if key in seen_texts:  # the same passage in two copies of a report
            continue
        seen_texts.add(key)
        hits.append(
            Hit(
                row=row,
                score=score,
                dense=dense_score.get(row),
                lexical=lexical_score.get(row),
                dense_rank=dense_rank.get(row),
                lexical_rank=lexical_rank.get(row),
            )
        )
        if len(hits) == k:
            break
    return hits

"""From an analysed question to ranked passages: dense + lexical search, fusion, boosts, filters.

Stages pass plain ``(row, score)`` lists to each other, so each can be tested and swapped alone.
The store (``qa.index.base.IndexStore``: local FAISS + BM25, or Milvus) only ranks; fusion and
boosts happen here, configured by ``RetrievalSettings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from qa.index.base import IndexStore
from qa.index.catalog import Catalog, kept_documents
from qa.pipeline.places import named_places
from qa.pipeline.query import NATIONAL_WORDS, Query, without_names
from qa.schema import DocumentInfo
from qa.settings import RetrievalSettings
from qa.text.normalize import normalize

# ---------------------------------------------------------------- filters


def filter_documents(data: IndexStore, filters: Mapping[str, Any] | None) -> set[str] | None:
    """doc_ids allowed by ``filters`` (``qa.index.catalog.kept_documents``); None = all."""
    return {d.doc_id for d in kept_documents(data.documents, filters)} if filters else None


# ---------------------------------------------------------------- fusion


def rrf(rankings: list[list[int]], weights: list[float], k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: sum of weight / (k + rank) over the rankings each row appears in."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def relative_scores(results: list[list[tuple[int, float]]], weights: list[float]) -> list[tuple[int, float]]:
    """Relative score fusion: each channel's scores scaled to 0-1 over its candidates (best 1,
    last 0), weighted and summed; a row a channel did not return gets 0 from it. Unlike RRF it
    keeps how far ahead a row is: one passage far above the rest in BM25 (the only one with the
    question's rare name) is not outranked by rows that are middling in both channels."""
    fused: dict[int, float] = {}
    for hits, weight in zip(results, weights, strict=True):
        if not hits:
            continue
        values = [score for _, score in hits]
        low, high = min(values), max(values)
        for row, score in hits:
            share = (score - low) / (high - low) if high > low else 1.0
            fused[row] = fused.get(row, 0.0) + weight * share
    return sorted(fused.items(), key=lambda item: -item[1])


# ---------------------------------------------------------------- search


def regional_documents(query: Query, catalog: Catalog) -> list[DocumentInfo]:
    """Reports whose region the question names (or, for 全国, whose issuer: the State Council)."""
    named = catalog.named_in(query.named_text)
    return named + catalog.national if NATIONAL_WORDS.search(query.normalized) else named


def prefer_national(infos: list[DocumentInfo]) -> list[DocumentInfo]:
    """The State Council's reports among ``infos`` if there are any, else all of them."""
    national = [d for d in infos if d.level == "national"]
    return national or infos


def named_documents(query: Query, catalog: Catalog) -> set[str]:
    """doc_ids of the reports a question names explicitly (see ``named_scope``)."""
    return named_scope(query, catalog)[0]


def named_scope(query: Query, catalog: Catalog) -> tuple[set[str], bool]:
    """The reports a question names explicitly, and whether the naming convention chose them.

    By region or issuer (narrowed by its years when some fit), or by a report's title year
    ("2024年政府工作报告"). A bare year names no report; it narrows the search to the reports
    covering it (``year_documents``). A title year without any place means the State Council's
    report of that year when the collection has it: "2026年政府工作报告" is what everyone calls the
    Premier's, and the second value is then True (the reply says so); with a place the collection
    lacks, it stays every report of the year (the coverage check refuses it)."""
    titled = catalog.titled(query.report_years)
    by_region = {d.doc_id for d in regional_documents(query, catalog)}
    if by_region:
        years = query.report_years or query.years
        narrowed = by_region & {d.doc_id for d in catalog.covering(years)}
        return (by_region & {d.doc_id for d in titled}) or narrowed or by_region, False
    chosen = titled if named_places(query) else prefer_national(titled)
    return {d.doc_id for d in chosen}, len(chosen) < len(titled)


def year_documents(query: Query, catalog: Catalog, allowed: set[str] | None = None) -> set[str] | None:
    """doc_ids of the reports (among ``allowed``; None = all) that review or plan a year the
    question names, and of any report without a year; None when the question names no year, or
    no report or every report covers it. A year is a fact a reader can check: "2009年社会消费品
    零售总额" is about the reports of 2009 and 2010, not the 2026 report that speaks of retail.
    A question of what was done in a year ("2025年…增长了多少") goes to the reports that review it,
    one of what is planned ("2025年…目标") to those that plan it, when some do: a year's result is
    told after the year, its target before."""
    if not query.years:
        return None
    pool = [d for d in catalog.documents if allowed is None or d.doc_id in allowed]
    covering = {d.doc_id for d in catalog.covering(query.years)} & {d.doc_id for d in pool}
    if query.aspect is not None:
        told = {
            d.doc_id for d in pool if d.doc_id in covering and query.period_for(d.review_year) == query.aspect
        }
        covering = told or covering
    if not covering or len(covering) == len(pool):
        return None
    return covering | {d.doc_id for d in pool if d.year is None}


def _boost(
    data: IndexStore, query: Query, fused: list[tuple[int, float]], settings: RetrievalSettings
) -> list[tuple[int, float]]:
    """Raise passages of the part (review or plan) the question asks about."""
    boosted = []
    for row, score in fused:
        passage = data.passage(row)
        wanted = query.period_for(data.review_years.get(passage.doc_id))
        if wanted and passage.period == wanted:
            score *= settings.period_boost
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


@dataclass(frozen=True)
class Scope:
    """The reports one search looks in."""

    doc_ids: set[str] | None  # None: every report
    by_year: bool = False  # narrowed to the reports covering the years the question names
    national_by_title: bool = False  # "2026年政府工作报告" taken as the State Council's (named_scope)


def search_scope(
    data: IndexStore,
    query: Query,
    filters: Mapping[str, Any] | None = None,
    settings: RetrievalSettings | None = None,
) -> Scope:
    """The reports to search: those ``filters`` allow; without filters, those the question names
    (by region, issuer or title year); of these, the ones covering a year it names, when some do
    (``year_documents``)."""
    settings = settings or RetrievalSettings()
    doc_ids = filter_documents(data, filters)
    if not settings.named_filter or len(data.documents) < 2:
        return Scope(doc_ids)
    national = False
    if doc_ids is None:
        named, national = named_scope(query, data.catalog)
        doc_ids = (named | _speaking_of_places(data, query)) if named else None
    in_years = year_documents(query, data.catalog, doc_ids)
    return Scope(in_years, by_year=True) if in_years else Scope(doc_ids, national_by_title=national)


def _speaking_of_places(data: IndexStore, query: Query) -> set[str]:
    """The documents of no place (an article, a notice) whose text names a place the question names:
    "青山县首条城际公交线路什么时候开通？" is about 青山县's reports and the news of that line too."""
    places = data.catalog.place_names_in(query.named_text)
    return {
        d.doc_id
        for d in data.documents
        if d.region is None and any(place in data.texts.get(d.doc_id, "") for place in places)
    }


def search_topic(query: Query, catalog: Catalog, settings: RetrievalSettings | None = None) -> Query:
    """What to search the chosen reports for: in a collection whose reports the question's names
    choose, the question without those names (``without_names``); else the question itself."""
    settings = settings or RetrievalSettings()
    if not settings.named_filter or len(catalog) < 2:
        return query
    places = catalog.place_names_in(query.named_text)
    if not (places or query.report_years or NATIONAL_WORDS.search(query.normalized)):
        return query  # names no report: "报告" is then a word like any other
    return without_names(query, places, settings.use_glossary)


def search(
    data: IndexStore,
    query: Query,
    query_vector: np.ndarray,
    k: int,
    scope: Scope,
    settings: RetrievalSettings | None = None,
) -> list[Hit]:
    """Hybrid search of the reports in ``scope``: dense and BM25 candidates fused (``settings.fusion``),
    deduplicated, best first."""
    settings = settings or RetrievalSettings()
    doc_ids = scope.doc_ids
    dense_hits = data.dense_search(query_vector, settings.candidates, doc_ids)
    results = [dense_hits]
    weights = [settings.dense_weight]
    # Character n-grams of an English question match nothing useful in a Chinese report; its
    # glossary terms do.
    lexical_hits = (
        data.lexical_search(query.lexical_text, settings.candidates, doc_ids) if query.uses_lexical else []
    )
    if query.uses_lexical:
        results.append(lexical_hits)
        weights.append(settings.lexical_weight)
    dense_score, lexical_score = dict(dense_hits), dict(lexical_hits)
    dense_rank = {row: i for i, (row, _) in enumerate(dense_hits, start=1)}
    lexical_rank = {row: i for i, (row, _) in enumerate(lexical_hits, start=1)}
    hits: list[Hit] = []
    seen_texts: set[str] = set()
    fused = (
        relative_scores(results, weights)
        if settings.fusion == "scores"
        else rrf([[row for row, _ in found] for found in results], weights, settings.rrf_k)
    )
    for row, score in _boost(data, query, fused, settings):
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

"""From a question to ranked passages: query analysis, dense + lexical search, fusion, filters.

Stages pass plain ``(row, score)`` lists to each other, so each can be tested and swapped alone.
The store (qa.index_store: local FAISS + BM25, or Milvus) only ranks; fusion and boosts happen here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qa.glossary import report_terms
from qa.index_store import IndexStore
from qa.schema import DocumentInfo, Period, QuestionError
from qa.textnorm import has_cjk, normalize

MAX_QUESTION_CHARS = 2000
RRF_K = 60  # the usual constant (Cormack et al. 2009); it damps the weight of the very top ranks
CANDIDATES = 100  # per channel, before fusion
DENSE_WEIGHT = 1.0  # RRF weight of the dense ranking
LEXICAL_WEIGHT = 2.0  # RRF weight of BM25: better than 1.0 on both dev sets (benchmarks/ablation.py)
PERIOD_BOOST = 1.3  # fused-score factor for passages of the period (review/plan) the question asks about
# A question naming reports by year or region searches only them: on all 88 reports hit@1 is 0.88
# so, 0.64 with a x1.5 boost for them instead (README, "All 88 reports").
NAMED_FILTER = True
USE_GLOSSARY = True  # English questions search BM25 with report terms (qa.glossary); benchmarks/GLOSSARY.md

# Question words carry no content; left in, their rare character pairs (多少, 哪些) add noise to BM25.
_QUESTION_WORDS = re.compile(
    r"多少|几个|几项|几家|几|什么|哪些|哪个|哪几|哪位|谁|是否|是不是|有没有|要不要|会不会|怎么样|怎样|怎么|如何|为什么|多大|"
    r"请问|吗|呢|吧|么|？|\?"
)


# When a question asks about: words resolved against each report's own review year (a report
# reviews year N and plans N+1, so 去年 means N and 今年/明年 mean N+1 from the report's side).
_PAST_WORDS = re.compile(r"去年|上年|上一年|前一年|过去一年|last year|previous year")
# 当年 in a question about a named report is that report's own year, the one it plans.
_FUTURE_WORDS = re.compile(r"今年|明年|当年|下一年|来年|this year|next year|coming year")
# Weaker cues from the verb: done (完成了, 建好了没有, did/was) vs intended (目标, 计划, 将, will).
_DONE_CUES = re.compile(
    r"完成了|实现了|取得了?|已经|已|了吗|了没有|了多少|了几|了哪些|成效|成绩|实际|"
    r"\b(?:did|was|were|has been|have been|had|achieved|completed|built|added|spent)\b"
)
_PLAN_CUES = re.compile(
    r"目标|计划|预期|打算|准备|将|要不要|会不会|能不能|能否|力争|未来|以后|安排|部署|"
    # "什么时候建成？" asks when something will happen; "什么时候建成的/了" asks about the past.
    r"(?:什么时候|何时)[^的了]*$|"
    r"\b(?:will|plan|plans|planned|target|targets|aim|aims|going to|expected|expect)\b"
)
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
# "2024年政府工作报告" / "the 2024 government work report" names a report, not the period asked about.
_TITLE_YEAR = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*年?(?:的|度)?[\u4e00-\u9fff]{0,8}?(?:工作)?报告|"
    r"(?<!\d)(?:19|20)\d{2}(?:'s)?\s+(?:[a-z]+\s+){0,3}?report"
)


@dataclass(frozen=True)
class Query:
    """A question as the search stages need it."""

    text: str
    normalized: str
    lexical_text: str  # the question without question words (English: plus glossary report terms), for BM25
    has_cjk: bool
    years: tuple[int, ...] = ()  # years the question asks about
    report_years: tuple[int, ...] = ()  # years naming a report ("2024年政府工作报告")
    relative: Period | None = None  # "review" for 去年/last year, "plan" for 今年/明年/next year
    aspect: Period | None = None  # from the verb: done vs intended
    translated: tuple[str, ...] = ()  # report terms of an English question's phrases (qa.glossary)

    @property
    def uses_lexical(self) -> bool:
        """Whether BM25 can help: Chinese in the question, or report terms found for its English."""
        return self.has_cjk or bool(self.translated)

    def period_for(self, review_year: int | None) -> Period | None:
        """Which part of a report reviewing ``review_year`` the question asks about, if any."""
        if self.years and review_year is not None:
            if review_year in self.years:
                return "review"
            if review_year + 1 in self.years:
                return "plan"
        return self.relative or self.aspect


def _one_period(review: bool, plan: bool) -> Period | None:
    return "review" if review and not plan else "plan" if plan and not review else None


def analyze(question: str) -> Query:
    """Validate and analyse a question; raises QuestionError on empty or over-long input."""
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    normalized = normalize(question)
    cjk = has_cjk(normalized)
    translated = tuple(report_terms(normalized)) if USE_GLOSSARY and not cjk else ()
    return Query(
        text=question,
        normalized=normalized,
        lexical_text=" ".join((_QUESTION_WORDS.sub(" ", _TITLE_YEAR.sub(" ", normalized)), *translated)),
        has_cjk=cjk,
        years=tuple(int(y) for y in _YEAR.findall(_TITLE_YEAR.sub(" ", normalized))),
        report_years=tuple(int(y) for m in _TITLE_YEAR.findall(normalized) for y in _YEAR.findall(m)),
        relative=_one_period(bool(_PAST_WORDS.search(normalized)), bool(_FUTURE_WORDS.search(normalized))),
        aspect=_one_period(bool(_DONE_CUES.search(normalized)), bool(_PLAN_CUES.search(normalized))),
        translated=translated,
    )


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


def rrf(rankings: list[list[int]], weights: list[float], k: int = RRF_K) -> list[tuple[int, float]]:
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
    text = " ".join((query.normalized, *query.translated))  # "Fujian" -> 福建 (qa.glossary)
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


def _boost(data: IndexStore, query: Query, fused: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Raise passages of the part (review or plan) the question asks about."""
    boosted = []
    for row, score in fused:
        passage = data.passage(row)
        wanted = query.period_for(data.review_years.get(passage.doc_id))
        if wanted and passage.period == wanted:
            score *= PERIOD_BOOST
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
) -> list[Hit]:
    """Hybrid search: dense and BM25 candidates fused by RRF, deduplicated, best first.

    Without explicit ``filters``, a question naming reports (by year or region) searches only them.
    """
    doc_ids = filter_documents(data, filters)
    if doc_ids is None and NAMED_FILTER and len(data.documents) > 1:
        doc_ids = named_documents(query, data.documents) or None
    dense_hits = data.dense_search(query_vector, CANDIDATES, doc_ids)
    rankings = [[row for row, _ in dense_hits]]
    weights = [DENSE_WEIGHT]
    # Character n-grams of an English question match nothing useful in a Chinese report; its
    # glossary terms do.
    lexical_hits = data.lexical_search(query.lexical_text, CANDIDATES, doc_ids) if query.uses_lexical else []
    if query.uses_lexical:
        rankings.append([row for row, _ in lexical_hits])
        weights.append(LEXICAL_WEIGHT)
    dense_score, lexical_score = dict(dense_hits), dict(lexical_hits)
    dense_rank = {row: i for i, (row, _) in enumerate(dense_hits, start=1)}
    lexical_rank = {row: i for i, (row, _) in enumerate(lexical_hits, start=1)}
    hits: list[Hit] = []
    seen_texts: set[str] = set()
    for row, score in _boost(data, query, rrf(rankings, weights)):
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

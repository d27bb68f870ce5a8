"""Indicator series: one headline figure per report for one indicator, over years or regions.

A report states many figures that carry an indicator's name: the annual target (国内生产总值增长5%左右),
the five-year plan's (年均增长5%), last year's result quoted in the plan (过去一年…增长10.3%), the
indicator inside a share (占国内生产总值比重) or a sub-indicator (单位国内生产总值能耗). A series keeps
the first: the figure whose indicator *is* the one asked for (names normalized, so 提出国内生产总值 and
全省地区生产总值 count, 单位国内生产总值能耗 does not), of the period asked for, of the report's own year,
not a multi-year figure, preferring the one a 目标 sentence states. Reports name one measure in
several ways (国内生产总值, 地区生产总值, 经济增长; 居民消费价格涨幅, 居民消费价格总水平涨幅): ``FAMILIES``
lists them.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from qa.errors import QuestionError
from qa.facts.extract import PERIODS, Fact
from qa.index.catalog import kept_documents
from qa.schema import DocumentInfo
from qa.text.normalize import normalize
from qa.text.numerals import parse_numeral

__all__ = [
    "FAMILIES",
    "Measure",
    "indicator_names",
    "indicator_series",
    "normalize_indicator",
    "select_facts",
]

_LONG_NAME = 4  # a family's name a fact's indicator may hold inside it (国内生产总值, not 经济)
Measure = Literal["growth", "amount"]  # a change (增长5.6%) or a level (6.66万亿元)

# The same measure as reports write it; the first name of each is how it is asked for most often.
# "经济" is what is left of 经济增长5%左右 once the change verb is read off.
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("国内生产总值", "地区生产总值", "生产总值", "经济", "经济增长", "gdp"),
    ("居民消费价格涨幅", "居民消费价格", "居民消费价格总水平", "居民消费价格总水平涨幅",
     "居民消费价格指数涨幅", "居民消费价格指数", "cpi"),
    ("城镇新增就业", "城镇新增就业人数", "新增城镇就业"),
    ("城镇调查失业率", "全国城镇调查失业率", "调查失业率"),
    ("城镇登记失业率",),
    ("赤字率", "财政赤字率"),
    ("中央财政赤字",),
    ("财政赤字", "全国财政赤字"),
    ("粮食产量", "粮食总产量"),
)  # fmt: skip
# Words in front of a name that only place or introduce it: 提出国内生产总值, 全省地区生产总值, 今年…
_LEADING = re.compile(
    r"^(?:中央提出了?|提出了?|建议|其中|包括|今年|全年|全国|全省|全市|全区|全县|我省|我市|我区|我国)+"
)
# Words after a name that only say it is a target or a budget: 经济增长预期目标为7%左右 (the 2004 report's
# target had been missing from the GDP series), 中央财政赤字预算拟安排1800亿元.
_TRAILING = re.compile(r"(?:预期)?目标$|(?<=赤字)预算$")
# A multi-year figure, read in the sentence before the figure: 年均增长, 今后五年, 到2030年, “十五五”时期.
_MULTI_YEAR = re.compile(r"年均|五年|累计|(?:到|至)\d{4}年|“?十[一二三四五]?五”?(?:时期|期间|末|规划)|远景")
# Last year's result quoted in the plan section: 过去一年…国内生产总值增长10.3%.
_REVIEW_WORDS = re.compile(r"过去一年|过去五年|一年来|去年|上年|刚刚过去")
# A year named before the figure (2015年国内生产总值, 一九三六年的粮食产量, １９９７年): not the report's own
# year, it is some other year's figure.
_LEAD_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d|[一二][〇○零一二三四五六七八九]{3})年")
_NEW_LEVEL = re.compile(r"(?:提高|提升|增加|扩大|降低|下降|调整|压减|减少)(?:到|至|为)$")
_CHANGE_NAME = re.compile(r"增长|涨幅|增速|增幅|上涨")  # a rate named as a change
_BASE_OF_CHANGE = re.compile(r"(?:从|由)\s*$")  # 从54万亿元增加到82.7万亿元: the figure is where it started
# A sentence that states targets: 主要预期目标是：, 目标为：; not 目标任务 said in passing.
_TARGET = re.compile(r"目标(?:是|为|：|:)|预期目标")
# How far back a figure's 目标 is looked for, to the last full stop: the targets are a list cut at ；
# whose lead ("主要预期目标是：") often stands on the line above.
_TARGET_WINDOW = 300


def normalize_indicator(name: str) -> str:
    """An indicator's name without the words that introduce it (提出, 全省, 今年 …) or say it is a
    target (…预期目标), normalized
    (``qa.text.normalize``: width folded, 國內生產總值 as 国内生产总值)."""
    folded = normalize(name)
    return _TRAILING.sub("", _LEADING.sub("", folded)) or folded


def indicator_names(indicator: str) -> set[str]:
    """The names reports give the indicator asked for: its family (gdp: 国内生产总值, 地区生产总值 …);
    for a part of the first name of one family only (粮食: 粮食产量), that family; else itself."""
    wanted = normalize_indicator(indicator)
    for names in FAMILIES:
        if wanted in names:
            return set(names)
    partial = [names for names in FAMILIES if wanted in names[0]]
    return set(partial[0]) if len(partial) == 1 else {wanted}


def _allowed_documents(
    documents: Sequence[DocumentInfo], filters: Mapping[str, Any] | None
) -> dict[str, DocumentInfo]:
    """The documents ``filters`` keep, by doc_id (``qa.index.catalog.kept_documents``)."""
    return {d.doc_id: d for d in kept_documents(documents, filters or {})}


def _own_year(fact: Fact, info: DocumentInfo) -> int | None:
    """The year a report's plan (or review) is about: the year after the one it reviews."""
    if info.review_year is None:
        return info.year
    return info.review_year + 1 if fact.period == "plan" else info.review_year


def _candidate(fact: Fact, info: DocumentInfo, names: set[str], period: str, measure: Measure | None) -> bool:
    if fact.period != period or normalize_indicator(fact.indicator) not in names:
        return False
    # 增长多少: not a level that states no change (生产总值6.66万亿元); a rate whose name says it is a
    # change is one (经济增长预期目标为7%左右, 居民消费价格涨幅2%左右: 各省…涨幅目标 had kept one province).
    growth = (
        fact.kind == "growth"
        or fact.change_pct is not None
        or (fact.unit == "%" and _CHANGE_NAME.search(fact.indicator) is not None)
    )
    if measure == "growth" and not growth:
        return False
    if measure == "amount" and fact.kind != "amount":
        return False  # 多少万亿元: not a growth rate
    if fact.indicator.endswith("经济") and fact.kind != "growth":
        return False  # 经济 alone names the measure only in 经济增长5%
    lead = fact.sentence[: fact.start - fact.sentence_start]
    if _MULTI_YEAR.search(lead) or (fact.change and _MULTI_YEAR.search(fact.change)):
        return False
    if _BASE_OF_CHANGE.search(lead) or (period == "review" and _MULTI_YEAR.search(fact.sentence)):
        return False  # a five-year retrospective is no result of the year reviewed
    # Last year's figure quoted in the plan is none of this year's, but the level this year's change
    # reaches is (赤字率从去年的2.1%提高到2.3%, 比去年增加5600亿元，赤字率提高到3%: 2015 and 2016 had been
    # missing from the deficit-ratio series).
    if period == "plan" and _REVIEW_WORDS.search(lead) and not _NEW_LEVEL.search(lead):
        return False
    own = _own_year(fact, info)
    if own is None:
        return True
    named = {int(parse_numeral(y)) for y in _LEAD_YEAR.findall(unicodedata.normalize("NFKC", lead))}
    return (fact.year is None or fact.year == own) and (not named or own in named)


def _rank(fact: Fact, text: str) -> tuple[int, int]:
    """Lower is better: a figure a 目标 sentence states first (in a plan), then the earliest."""
    if fact.period != "plan":
        return (0, fact.start)
    floor = max(0, fact.start - _TARGET_WINDOW)
    stop = max(text.rfind(mark, floor, fact.start) for mark in "。！？")
    before = text[max(floor, stop + 1) : fact.start]
    return (0 if _TARGET.search(before) else 1, fact.start)


def indicator_series(
    facts: Iterable[Fact],
    documents: Sequence[DocumentInfo],
    texts: Mapping[str, str],
    indicator: str,
    period: str = "plan",
    filters: Mapping[str, Any] | None = None,
    measure: Measure | None = None,
) -> list[Fact]:
    """The headline fact of ``indicator`` in each report ``filters`` keeps, sorted by year and region;
    ``measure`` "growth" keeps changes (增长5.6%, or a level with its change), "amount" levels only.

    A report that states no such figure has no point. Each fact's ``indicator`` is its normalized
    name; everything else (value as written, sentence, offsets) is as extracted. Raises
    ``QuestionError`` for an empty indicator, a period other than plan/review/other, or an unknown filter.
    """
    if not isinstance(indicator, str) or not indicator.strip():
        raise QuestionError("a series needs an indicator, e.g. 国内生产总值")
    if period not in PERIODS:
        raise QuestionError(f"period must be one of {', '.join(PERIODS)}")
    allowed = _allowed_documents(documents, filters)
    names = indicator_names(indicator)
    best: dict[str, tuple[tuple[int, int], Fact]] = {}
    for fact in facts:
        info = allowed.get(fact.doc_id)
        if info is None or not _candidate(fact, info, names, period, measure):
            continue
        rank = _rank(fact, texts[fact.doc_id])
        if fact.doc_id not in best or rank < best[fact.doc_id][0]:
            best[fact.doc_id] = (rank, fact)
    points = [dataclasses.replace(fact, indicator=_display_name(fact.indicator)) for _, fact in best.values()]

    def order(f: Fact) -> tuple[int, str, str]:
        return (allowed[f.doc_id].year or 0, allowed[f.doc_id].region or "", f.doc_id)

    return sorted(points, key=order)


def _display_name(name: str) -> str:
    normalized = unicodedata.normalize("NFKC", _LEADING.sub("", name.strip())) or name
    return "经济增长" if normalized == "经济" else normalized


def select_facts(
    facts: Iterable[Fact], doc_id: str | None = None, indicator: str | None = None, period: str | None = None
) -> list[Fact]:
    """The facts of one document, whose indicator contains ``indicator`` (width and case ignored) or
    a longer name of its family (GDP: 国内生产总值, 地区生产总值 …), of one period; None means any.
    Raises QuestionError for a period that is not review/plan/other, or an indicator or document id
    that is no text."""
    if period is not None and period not in PERIODS:
        raise QuestionError(f"period must be one of {', '.join(PERIODS)}")
    for name, value in (("indicator", indicator), ("doc_id", doc_id)):
        if value is not None and not isinstance(value, str):
            raise QuestionError(f"{name} must be text, not {value!r}")
    # Not the family's short names (经济, gdp) inside others: 数字经济 is no GDP.
    wanted = normalize(indicator) if indicator else ""
    names = {wanted} | {n for n in indicator_names(indicator) if len(n) >= _LONG_NAME} if indicator else set()
    return [
        f
        for f in facts
        if (doc_id is None or f.doc_id == doc_id)
        and (period is None or f.period == period)
        and (not names or any(name in normalize(f.indicator) for name in names))
    ]

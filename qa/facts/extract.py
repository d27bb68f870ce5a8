"""Extraction: the facts of a sentence, a document, an index; and picking facts out of them.

How a sentence is read, left to right: each figure (``qa.facts.figures``) gets the indicator in front
of it (``qa.facts.indicators``). A change verb right before the figure (增长 比增 下降 比上年增加 …)
makes it a *growth* figure; a growth figure with no indicator of its own (``1.6亿元，比增8.8%``) is the
change of the figure before it, not a fact of its own. ``A、B分别增长4.5%、5.7%`` gives each figure its
own subject. The start of a range (the 26.6万亿元 of 从26.6万亿元增加到51.9万亿元) is where the figure
came from, no fact of its own. The period and section come from the passage the figure is in; the
year from a year named before the figure, else the period's, except for a figure said over several
years (十三五, 五年, 年均, 累计), which has none.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

from qa.facts.figures import (
    COUNTERS,
    FIGURE,
    QUALIFIER_AFTER,
    QUALIFIER_BEFORE,
    Figure,
    parse_number,
    read_figure,
)
from qa.facts.indicators import (
    ABSOLUTE_CHANGE,
    CHANGE,
    CLAUSE_BREAK,
    COUNT_VERBS,
    MAX_INDICATOR,
    NEGATIVE,
    QUOTE,
    RELATIVE,
    WIDE_CLAUSE_BREAK,
    YEAR,
    noun_after,
    split_subjects,
    strip_indicator,
)
from qa.ingest.structure import sentence_periods
from qa.schema import DocumentInfo, Passage, Period
from qa.text.sentences import split_sentences

__all__ = ["PERIODS", "Fact", "collect_facts", "extract_facts"]

Kind = Literal["amount", "rate", "growth"]
PERIODS: tuple[Period, ...] = get_args(Period)


@dataclass(frozen=True)
class Fact:
    """One figure of a report: what it measures, its value, and where it stands.

    ``kind`` is ``amount`` (a quantity: 1.6亿元, 3600个), ``rate`` (a level in percent: 城镇调查失业率
    5.2%) or ``growth`` (a change: 增长7.6%, 比上年增加1.1万亿元). A growth fact's ``value`` is the
    size of the change as written and ``change_pct`` its signed percentage (None for an absolute
    change or percentage points). An amount may carry the change that follows it (``change``).
    """

    indicator: str
    value: float  # in the base unit: 1.6亿元 -> 1.6e8 (unit 元); 8.8% -> 8.8 (unit %); a range's lower end
    unit: str
    value_text: str  # as written, == document text[start:end]
    kind: Kind
    change: str | None  # as written: "比增8.8%", "增长5%左右", "比上年增加1.1万亿元"
    change_pct: float | None  # signed: 下降3% -> -3.0
    qualifier: str | None  # 左右 以上 以内 多 余 约 近 超过 …, as written
    period: Period
    year: int | None  # the year the figure refers to
    doc_id: str
    document: str
    section: list[str]
    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    passage_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Draft:
    figure: Figure
    indicator: str
    kind: Kind
    change: str | None
    change_pct: float | None
    qualifier: str | None
    year: int | None
    origin: bool = False  # the start of 从X增加到Y: where the figure came from, no fact of its own
    years: bool = False  # said of several years (十三五, 五年, 年均, 累计): of no one year


# 国内生产总值从26.6万亿元增加到51.9万亿元, 城镇化率由45.9%提高到52.6%: the first figure is the old level.
# 从…X提高到Y: 从 may stand a few words before X (从2004年人均每月700元提高到现在的1721元).
_FROM = re.compile(r"[从由][^，,；;从由]{0,12}$")
_TO = re.compile(
    r"\s*(?:增加|提高|上升|下降|降低|减少|扩大|缩小|增长|提升|调整|跃升|发展|[增降升减涨])?(?:到|至)"
)
# The words of a new level with no name of its own (调整到29%, 提高到现在的1721元): the thing before.
_YEAR_WRITTEN = r"(?:(?:1 ?9|2 ?0) ?\d ?\d|[一二][〇○零一二三四五六七八九]{3})\s*年(?:底|末)?"
_TIME_THEN = rf"(?:现在|目前|当前|如今|{_YEAR_WRITTEN})?的?\s*$"
_NEW_LEVEL_END = re.compile(r"(?:到|至|为)" + _TIME_THEN)
_NEW_LEVEL = re.compile(r"^\s*[\u4e00-\u9fff]{0,3}?(?:到|至|为)" + _TIME_THEN)  # 增加到2002年的7703元
# An age before a noun defines a group (65岁以上老年人, 3岁以下婴幼儿, 0—6岁儿童): no key figure.
# An indicator names something in Chinese (钢 of the old reports' 钢二百十七万吨 too) or an
# abbreviation (GDP, PM2.5, M2); not a mark alone (/小时 of a manual's 500立方米/小时, 3年, ||).
_NAMES_SOMETHING = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}|[A-Za-z]\d")
_AGE_GROUP = re.compile(r"(?:以上|以下)?的?[\u4e00-\u9fff]")
# Words before a figure that speak of several years, when no year is named before it.
_SEVERAL_YEARS = re.compile(
    r"十[一二三四五六七八九]五|[二三四五两]年(?:来|间|内|中)|五年|年均|累计|每年|今后|未来"
)


@dataclass
class _Listing:
    """The rest of a 分别 list: A、B分别增长4.5%、5.7% leaves [B] for the figure after 、."""

    subjects: list[str]
    verb: str | None  # the change verb shared by the list, None for amounts


def _signed(verb: str | None, value: float) -> float:
    return -value if verb and NEGATIVE.fullmatch(verb) else value


def _sentence_drafts(text: str, start: int, end: int) -> list[_Draft]:
    """The facts of one sentence ``text[start:end]``, with changes attached to their amounts."""
    quotes = [q.span() for q in QUOTE.finditer(text, start, end)]
    drafts: list[_Draft] = []
    last_end = start  # where the previous figure (and its qualifier) ended
    listing: _Listing | None = None
    # The sentence with its short notes blanked (offsets kept: index it with ``at - start``).
    masked = _ANNOTATION.sub(lambda m: " " * len(m.group()), text[start:end])
    changes: list[_Draft] = []  # amounts waiting for the rest of a list of changes (增长4.2%、5.3%)
    changes_verb: str | None = None
    for m in FIGURE.finditer(text, start, end):
        figure = read_figure(m)
        if figure is None or any(qs <= figure.start < qe for qs, qe in quotes):
            continue
        after = QUALIFIER_AFTER.match(text, figure.end, end)
        fig_end = after.end() if after else figure.end
        # A short note in brackets (地区生产总值（GDP）达到…) ends no clause: its figure is the indicator's.
        breaks = [
            start + b.end() for b in CLAUSE_BREAK.finditer(masked, last_end - start, figure.start - start)
        ]
        clause_start = max([last_end, *breaks])
        raw = masked[clause_start - start : figure.start - start]  # 地区生产总值（GDP）达到: note blanked
        if figure.chinese and not _chinese_count_ok(text, raw, fig_end, end):
            continue
        if figure.unit == "岁" and _AGE_GROUP.match(text, figure.end, end):
            continue
        # 出口增长近30%: a qualifier may stand between the change verb and the figure
        near = QUALIFIER_BEFORE.search(raw)
        change = CHANGE.search(raw, 0, near.start() if near else len(raw))
        if change and figure.unit not in RELATIVE and change.group("verb") not in ABSOLUTE_CHANGE:
            change = None  # 农房风貌提升26.4万户 is how many were improved, not by how many they grew
        verb = change.group("verb") if change else None
        indicator, before_qualifier = strip_indicator(raw[: change.start()] if change else raw)
        indicator = _CURRENCY.sub("", _BLANKED.sub("", indicator))
        labelled = not indicator or _PER.fullmatch(indicator)  # 挂号费：每人次10元: the 挂号费's
        if labelled and not change and clause_start > start and text[clause_start - 1] in "：:":
            indicator = _label(text, start, clause_start - 1)  # 颗粒物洁净空气量（CADR）：600立方米/小时
        if change and near:
            before_qualifier = near.group(1)
        qualifier = " ".join(q for q in (before_qualifier, figure.approx, after and after.group(1)) if q)
        relative = figure.unit in ("%", "‰")
        adjacent = not text[last_end:clause_start].strip(" ，,、")  # only a comma since the last figure
        change_text = text[clause_start + change.start() : fig_end] if change else None

        previous = drafts[-1] if drafts else None
        if changes and not indicator and text[last_end : figure.start].strip() in _LIST_JOINS:
            target = changes.pop(0)  # the next of 增长4.2%、5.3%: the next amount's change
            target.change = (changes_verb or "") + text[figure.start : fig_end]
            target.change_pct = _signed(changes_verb, figure.value) if relative else None
            last_end = fig_end
            continue
        changes = []
        if (
            change
            and not indicator
            and adjacent
            and previous
            and previous.kind != "growth"
            and not previous.change
        ):
            # 1.6亿元，比增8.8%: the change of the figure before, not a fact of its own; a list of
            # them, of as many amounts before in order (城镇…15781元，农村…4761元，实际增长8.4%和8%:
            # the first had been the second's, the second no one's)
            count = 1 + _following_list_items(text, fig_end, end)
            amounts = drafts[-count:] if count > 1 and len(drafts) >= count else [previous]
            if not all(d.kind == "amount" and not d.change for d in amounts):
                amounts = [previous]
            target, changes, changes_verb = amounts[0], amounts[1:], verb
            target.change = change_text
            target.change_pct = _signed(verb, figure.value) if relative else None
            last_end = fig_end
            continue
        if listing and listing.subjects and text[last_end : figure.start].strip() in _LIST_JOINS:
            indicator, verb = listing.subjects.pop(0), listing.verb  # the next item of 分别增长4.5%、5.7%
            if verb:
                change_text = verb + text[figure.start : fig_end]
        elif "分别" in raw:
            listing = _listing(text, start, clause_start + raw.index("分别"), fig_end, end)
            listing.verb = verb
            indicator = listing.subjects.pop(0) or indicator
        else:
            listing = None
            if _NEW_LEVEL.match(raw) or (not indicator and _NEW_LEVEL_END.search(raw)):
                # 积累率由36.5%调整到29%: the new level of the thing before, or of nothing named
                indicator = previous.indicator if previous and adjacent else ""
        origin = bool(_FROM.search(raw)) and _TO.match(text, fig_end, end) is not None
        # 新增9家国家级工厂, 增发1万亿元国债: named after; not 由5160元增加到…, whose next words are a verb
        if not origin and (
            len(indicator) <= 2 or (figure.unit in COUNTERS and COUNT_VERBS.search(indicator))
        ):
            noun = noun_after(text, fig_end, end)
            if noun:
                indicator = indicator + noun if len(indicator) <= 4 else noun
        last_end = fig_end
        if not _NAMES_SOMETHING.search(indicator):
            continue  # a figure that names nothing is no key figure
        kind: Kind = "growth" if verb else "rate" if relative else "amount"
        pct = _signed(verb, figure.value) if verb and relative else None
        year = _year_before(text, start, figure.start)
        years = year is None and _SEVERAL_YEARS.search(text, start, figure.start) is not None
        draft = _Draft(figure, indicator, kind, change_text, pct, qualifier or None, year, origin, years)
        drafts.append(draft)
    return [d for d in drafts if not d.origin]


# A currency before an amount names no indicator (非牟利團體：港幣150元: 港幣 had been one).
_CURRENCY = re.compile(r"(?:港幣|港币|人民币|美元|澳門幣|澳门币|新台币)$")
_ANNOTATION = re.compile(r"(?<=[\u4e00-\u9fff])[（(][A-Za-z0-9&.]{1,10}[)）]")  # （GDP）, （R&D）, （CPI）
_BLANKED = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")  # where a note was
_PER = re.compile(r"每[\u4e00-\u9fff]{0,4}|人均")  # what a figure is counted per, no name of its own
_SPACED = re.compile(r"\s{2,}|\u3000+")
_PUNCTUATION = re.compile(r"[，,；;。！？!?：:]")
_LIST_MARK = re.compile(
    r"^\s*(?:[-*•·]|\d+[.．、]|[（(][\d一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*"
)


def _label(text: str, start: int, colon: int) -> str:
    """The label before a colon on its line (- 颗粒物洁净空气量（CADR）：…), without a list's mark;
    "" when it runs past the sentence's start or is longer than an indicator."""
    line_start = text.rfind("\n", start, colon) + 1 or start
    # Several labelled values on one line (产品型号：DM-X7　　额定洗涤容量：10公斤): the last label's.
    label = _SPACED.split(_LIST_MARK.sub("", text[max(line_start, start) : colon]).strip())[-1]
    return label if 0 < len(label) <= MAX_INDICATOR and not _PUNCTUATION.search(label) else ""


def _listing(text: str, start: int, subjects_end: int, fig_end: int, end: int) -> _Listing:
    """The subjects of a 分别 list, one per figure: the 、-joined phrase before 分别, split."""
    wide_start = max([start] + [b.end() for b in WIDE_CLAUSE_BREAK.finditer(text, start, subjects_end)])
    phrase, _ = strip_indicator(text[wide_start:subjects_end])
    count = 1 + _following_list_items(text, fig_end, end)
    return _Listing(split_subjects(phrase, count) or [phrase] * count, None)


_LIST_JOINS = ("、", "和", "及", "与")


def _following_list_items(text: str, at: int, end: int) -> int:
    """How many figures follow ``at`` as a 、-separated list (分别增长4.5%、5.7% -> 1)."""
    count = 0
    while at < end and text[at] in _LIST_JOINS:
        f = FIGURE.match(text, at + 1, end)
        if not f:
            return count
        count += 1
        q = QUALIFIER_AFTER.match(text, f.end(), end)
        at = q.end() if q else f.end()
    return count


def _chinese_count_ok(text: str, before: str, after: int, end: int) -> bool:
    """A Chinese-numeral count is a figure only where one is expected: right after a counting verb
    (办好十件…, 新增三家…) or closing its clause (…企业三家。). Elsewhere it is a set phrase (四个全面)."""
    return bool(COUNT_VERBS.search(before)) or after >= end or bool(CLAUSE_BREAK.match(text, after))


def _year_before(text: str, start: int, at: int) -> int | None:
    """The last year named before ``at`` in the sentence (2023年…目标是), not a base year (比2020年,
    等于1949年的2倍)."""
    years = YEAR.findall(text, start, at)
    return int(parse_number(years[-1])) if years else None


# A section on a five-year plan's whole period that names no year of its own ("二、“十三五”时期主要
# 目标任务", not "一、2025年和“十四五”时期工作回顾" nor "三、…推动“十五五”开好局"): its figures are the
# plan's, of no one year.
_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五[”\"]?(?:时期|期间)")


def _plan_period(section: Sequence[str]) -> bool:
    return any(_PLAN_PERIOD.search(t) and not YEAR.search(t) for t in section)


# A year's bulletin (南州市2024年国民经济和社会发展统计公报, 泽阳市2025年气候公报): its figures are that
# year's, as a report's review is of the year it reviews (the trend chart had found no GDP of it).
_BULLETIN = re.compile(  # not a quarter's, a half-year's or some months' (2024年第一季度…公报)
    r"(?:19|20)\d{2}\s*年度?(?![^，。]*(?:季度|半年|[\d一二三四五六七八九十]+月))[^，。]{0,24}公报$"
)


def _period_year(period: Period, info: DocumentInfo) -> int | None:
    if period == "other":
        return info.year if info.year is not None and _BULLETIN.search(info.title) else None
    if info.review_year is None:
        return None
    return info.review_year + 1 if period == "plan" else info.review_year


def _periods(passage: Passage) -> list[tuple[int, Period]]:
    """Where each sentence of ``passage`` starts (a document offset) and its period
    (``sentence_periods``: last year's results told in the plan part are review)."""
    spans = split_sentences(passage.text)
    return [(passage.start + s, p) for (s, _), p in zip(spans, sentence_periods(passage, spans), strict=True)]


def extract_facts(text: str, passages: Sequence[Passage], info: DocumentInfo) -> list[Fact]:
    """Every figure of one document, in text order.

    ``passages`` are the document's passages (they give period and section); ``text`` is its
    stored text, which all offsets index. A figure outside every passage is skipped.
    """
    ordered = sorted((p for p in passages if p.doc_id == info.doc_id), key=lambda p: p.start)
    starts = [p.start for p in ordered]
    facts: list[Fact] = []
    periods: dict[int, list[tuple[int, Period]]] = {}  # by passage, computed once
    for s, e in split_sentences(text):
        for d in _sentence_drafts(text, s, e):
            i = bisect.bisect_right(starts, d.figure.start) - 1
            if i < 0 or ordered[i].end < d.figure.end:
                continue
            passage = ordered[i]
            if i not in periods:
                periods[i] = _periods(passage)
            period = next((p for at, p in reversed(periods[i]) if at <= d.figure.start), passage.period)
            facts.append(
                Fact(
                    indicator=d.indicator,
                    value=d.figure.value,
                    unit=d.figure.unit,
                    value_text=text[d.figure.start : d.figure.end],
                    kind=d.kind,
                    change=d.change,
                    change_pct=d.change_pct,
                    qualifier=d.qualifier,
                    period=period,
                    year=None
                    if d.years or (d.year is None and _plan_period(passage.section))
                    else d.year or _period_year(period, info),
                    doc_id=info.doc_id,
                    document=info.title,
                    section=list(passage.section),
                    sentence=text[s:e],
                    start=d.figure.start,
                    end=d.figure.end,
                    sentence_start=s,
                    sentence_end=e,
                    passage_id=passage.passage_id,
                )
            )
    return facts


def collect_facts(
    documents: Iterable[DocumentInfo], texts: Mapping[str, str], passages: Iterable[Passage]
) -> list[Fact]:
    """The facts of several documents (an index's documents, texts and passages), document by document."""
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    return [
        fact
        for info in documents
        for fact in extract_facts(texts[info.doc_id], by_doc.get(info.doc_id, []), info)
    ]

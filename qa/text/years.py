"""The years a text speaks of: written out (2024年, ２０２４, 二〇二四年), inside a span (2021—2025年),
from a year on (2021年以来), or as a five-year plan ("十四五").

A question about a year its document never speaks of cannot be answered by that document: that is a
fact the user can check, so ``qa.pipeline.answering`` refuses it with the reason. What counts as
spoken of is meant generously, because a wrong refusal of an answerable question costs more than an
answer shown with its confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from qa.text.normalize import normalize
from qa.text.numerals import parse_numeral

__all__ = ["WRITTEN_YEAR", "YEARS_AWAY", "asked_years", "planned_year", "years_spoken_of", "years_told"]

_YEAR = r"(?:1[89]|20)\d{2}"
# A year written with 年 (2016年), and the words for a year counted from another (去年 after a question
# on 2010 asks of 2009): a conversation reads its follow-ups' years by them, in Chinese or English.
WRITTEN_YEAR = re.compile(r"((?:19|20)\d{2})年")
YEARS_AWAY = {"去年": -1, "上年": -1, "上一年": -1, "前年": -2, "明年": 1, "下一年": 1}
_DIGITS = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
_WRITTEN = re.compile(r"(?<![〇○零一二三四五六七八九])([一二][〇○零一二三四五六七八九]{3})\s*年")
# 2021—2025年, 2021-2025, 2021年至2025年, 2021～2025: every year between counts.
_SPAN = re.compile(rf"(?<!\d)({_YEAR})\s*年?\s*(?:[-—–~～至到]|——)\s*({_YEAR})(?!\d)")
_MAX_SPAN = 30  # years; a longer "span" is two unrelated years with a dash between them
# 2021年以来 / 2021年起 / 自2021年开始: every year from it to the latest the text speaks of.
_FROM = re.compile(rf"(?<!\d)({_YEAR})\s*年?\s*(?:以来|起|开始|至今|以后|之后)")
# The third five-year plan began in 1966, each after it five years later ("十四五" = 2021–2025).
_PLAN = re.compile(r"“?十([一二三四五六七八九])五”?(?:规划|期间|时期|计划|末|初|以来|”)")
_FIRST_PLAN_COUNTED, _ITS_START = 3, 1966
# A year asked about is written as one: 2024年 in Chinese, "in 2024" or "2024's" in English; a bare
# four-digit number may be an amount (补贴2000元, the 2000 yuan subsidy).
_ASKED = re.compile(
    rf"(?<!\d)({_YEAR})\s*年|"
    rf"\b(?:in|since|by|during|for|from|to|until|till|before|after|between|and|of|year)\s+({_YEAR})\b|"
    rf"\b({_YEAR})['’]s\b",
    re.I,
)


def _written_and_spanned(text: str) -> set[int]:
    """The years ``text`` (normalized) writes in characters (二〇二三年) or spans (2021—2025年)."""
    years: set[int] = set()
    for written in _WRITTEN.findall(text):
        try:
            years.add(int(parse_numeral(written)))
        except ValueError:
            continue
    for first, last in _SPAN.findall(text):
        if 0 < int(last) - int(first) <= _MAX_SPAN:
            years.update(range(int(first), int(last) + 1))
    return years


def title_span(title: str) -> range | None:
    """The years a title spans (…三年行动实施方案（2025—2027年）: 2025–2027), or None."""
    for first, last in _SPAN.findall(normalize(title)):
        if 0 < int(last) - int(first) <= _MAX_SPAN:
            return range(int(first), int(last) + 1)
    return None


def _plans(text: str) -> set[range]:
    """The years of each five-year plan ``text`` (normalized) names ("十四五" -> 2021–2025)."""
    plans = {int(parse_numeral("十" + n)) for n in _PLAN.findall(text)}
    starts = (_ITS_START + 5 * (plan - _FIRST_PLAN_COUNTED) for plan in plans if plan >= _FIRST_PLAN_COUNTED)
    return {range(start, start + 5) for start in starts}


# Once per document text (a store hands over the same str object each time, whose hash Python keeps).
@lru_cache(maxsize=512)
def _read(text: str) -> tuple[frozenset[int], tuple[int, ...], frozenset[range]]:
    """The years ``text`` writes out or spans (its five-year plans' included), those it counts on
    from (2021年以来), and its five-year plans."""
    text = normalize(text)
    years = {int(y) for y in _DIGITS.findall(text)} | _written_and_spanned(text)
    plans = _plans(text)
    for plan in plans:
        years.update(plan)
    return frozenset(years), tuple(sorted({int(y) for y in _FROM.findall(text)})), frozenset(plans)


def planned_year(text: str, plan_year: int | None) -> int | None:
    """The year the goals of the five-year plan ``text`` lays out are set for: the last of the plan
    it names that begins in ``plan_year``, the year a report plans ("十五五" in a report planning 2026
    -> 2030, as its 到2030年 goals; its review of "十四五" lays out nothing ahead). None when it names
    no such plan."""
    plans = _read(text)[2] if plan_year is not None else frozenset()
    return next((plan[-1] for plan in plans if plan.start == plan_year), None)


def years_spoken_of(text: str, own_years: Iterable[int | None]) -> set[int]:
    """The years ``text`` names or spans, the years from each "2021年以来" to the latest it speaks of,
    and each of the document's ``own_years`` (its title's, its date's, the one it reviews) with the
    years beside them, which its 去年 and 明年 speak of."""
    named, counted_from, _ = _read(text)
    years = set(named)
    own = {y for y in own_years if y is not None}
    years.update(y + d for y in own for d in (-1, 0, 1))
    latest = max(years, default=None)
    if latest is not None:
        for first in counted_from:
            years.update(range(first, latest + 1))
    return years


def asked_years(normalized_question: str, years: tuple[int, ...]) -> tuple[int, ...]:
    """The years of ``years`` (``Query.years``: report titles left out) the question writes as years
    (2024年, in 2024), not as amounts (2000元)."""
    written = {int(y) for groups in _ASKED.findall(normalized_question) for y in groups if y}
    return tuple(y for y in years if y in written)


# A year a sentence measures from (比2020年增长, 与2019年相比) is no year it tells of; the start of
# "从2020年的186.5亿元增加到…" is: it gives that year's figure.
_BASE = re.compile(rf"(?:比|较|与|同)\s*(?:{_YEAR})\s*年?")
# A year written as one (2023年), not a deadline or a start (2025年前, 2021年以来: no one year).
_TOLD = re.compile(rf"(?<!\d)({_YEAR})\s*年(?!以来|起|开始|至今|以后|之后|前|以前|底前|末前)")
_OPEN = re.compile(rf"(?<!\d)(?:{_YEAR})\s*年?\s*(?:以来|起|开始|至今|以后|之后|前|以前)")
# From a year's figure to one of no year named (占全国比重由2020年的7.2%提升至7.4%): the second is the
# present's, whichever year that is. "What was Shandong's GDP growth in 2025?" had been refused as
# told of 2020 only.
_TO_UNNAMED = re.compile(rf"(?:由|从)\s*(?:{_YEAR})\s*年[^，。；,;]{{0,20}}?(?:至|到)(?!\s*(?:{_YEAR})\s*年)")


def years_told(sentence: str) -> frozenset[int]:
    """The years a sentence tells of (截至2023年末, 2024年高考中, 2021—2025年, 从2020年的…到2025年的…):
    empty when it names none, only years it measures from (比2020年), a year it counts from or to
    (2021年以来, 2025年前), which may take in any year, or a change from a year to the present
    (由2020年的7.2%提升至7.4%)."""
    text = _BASE.sub(" ", normalize(sentence))
    if _OPEN.search(text) or _TO_UNNAMED.search(text):
        return frozenset()
    return frozenset({int(y) for y in _TOLD.findall(text)} | _written_and_spanned(text))

"""Figures over several years: an average or a total of them (年均增长6%, 累计新增), or a span the
sentence opens with or names beside its figure (五年来, 今后五年, “十四五”时期).

Such a figure is no answer to a question about one year (去年, 今年, 2017年): the five-year total of a
report's review is not last year's, nor its five-year goals this year's target. The words are in the
quote, so the user can check the reason; ``qa.pipeline.answering`` refuses with it. Read narrowly: a
sentence naming any one year (今年, 全年, 2025年) or with a figure outside the words' clauses is left to
the scorer, since a wrong refusal of an answerable question costs more than an answer shown with
its confidence.
"""

from __future__ import annotations

import re

from qa.text.normalize import normalize

__all__ = ["asks_several_years", "average_of", "several_years_word"]

_COUNT = r"[两二三四五六七八九十]"
# What puts a figure over several years: not 年均浓度 (a year's mean), 前三季度累计 or 1至11月累计 (within
# one year), 累计达到 (a level reached: 新建绿道137公里、累计达到2136公里).
_SEVERAL = re.compile(
    rf"年均(?!浓度)|(?<![度月])累计(?!达)|(?:今后|未来|过去|近|这){_COUNT}年|{_COUNT}年(?:来|内|间|累计)"
    r"|“?十[一二三四五六]五”?(?:期间|时期)"
)
# The same words opening the sentence put every figure of it over those years (五年来，…).
_OPENING = re.compile(
    rf"^(?:(?:今后|未来|过去|近|这)?{_COUNT}年(?:来|内|间)?|“?十[一二三四五六]五”?(?:期间|时期))[，,]"
)
# What puts a figure in one year; a sentence with any of them is not read.
_ONE_YEAR = re.compile(
    rf"今年|去年|上年|当年|本年|全年|一年来|过去一年|(?<!{_COUNT})年[内末底]|(?<!\d)\d{{4}}\s*年"
)
# An average growth of several years (年均增长6%); not a year's mean (年均气温, 年均浓度).
_AVERAGE = re.compile(r"年均(?:增长|增速|提高|下降|递增|增加|减少|上涨|涨幅|增幅|降低)")
_CLAUSES = re.compile(r"[，,；;：:。]")  # not 、: a list goes on under the words before it
_FIGURE = re.compile(r"\d")
# A question itself asking about several years (年均, 这五年, since 2020, on average) is answered by such
# a figure.
_ASKS_SEVERAL = re.compile(
    r"年均|平均每年|每年|累计|[两三四五六七八九十几多]年|期间|时期|以来|历年|这些年|十[一二三四五六]五"
    r"|\d{4}\s*年?\s*(?:到|至|[-—–~～])\s*\d{4}"
    r"|\b(?:average|cumulative|since|years|period|five-year|annual)\b",
    re.I,
)


def several_years_word(sentence: str) -> str | None:
    """The words by which every figure of ``sentence`` is one over several years (年均, 五年间,
    “十一五”期间), or None: when it names one year, has no figure, or has one outside those words'
    clauses."""
    text = normalize(sentence).strip()
    figures = [clause for clause in _CLAUSES.split(text) if _FIGURE.search(clause)]
    if not figures or _ONE_YEAR.search(text):
        return None
    opening = _OPENING.match(text)
    if opening:
        return opening.group(0)[:-1]
    words = [_SEVERAL.search(clause) for clause in figures]
    if not all(words):
        return None
    return next(word.group(0) for word in words if word)


def average_of(clause: str, sentence: str) -> str | None:
    """ "年均" when ``clause`` (the one naming what the question asks) gives an average over several years
    (人均可支配收入年均增长6%) and ``sentence`` names no one year: a year's growth asked is not it, even
    when another clause of the sentence has a figure of its own (…，城镇新增就业超690万人)."""
    text = normalize(sentence)
    found = _AVERAGE.search(normalize(clause))
    return found.group(0) if found and _FIGURE.search(clause) and not _ONE_YEAR.search(text) else None


def asks_several_years(question: str) -> bool:
    """Whether ``question`` (normalized) itself asks about several years (年均, 这五年, 累计, since)."""
    return bool(_ASKS_SEVERAL.search(question))

"""Key figures: numeric facts read out of a report's sentences (财政总收入1.6亿元，比增8.8%).

One job: find each figure (a number with its unit), normalize it, and name what it measures. A
``Fact`` keeps the figure as written and its offsets, so ``document_text[start:end] == value_text``
and every figure can be shown in its source sentence.

The package reads a sentence in three steps, one module each: ``figures`` (a number with its unit),
``indicators`` (the words in front of it that name what it measures), ``extract`` (sentences ->
``Fact`` objects, and picking facts). How a sentence is read, left to right:

* A *figure* is a number (``1.6``, full-width ``１.６``, ``1,234``, spaced-out ``7 4 7 7 2``, ``百分之八``,
  a range ``5%—5.5%`` read as its lower end, or a Chinese numeral before a counter: ``三家``) with an
  optional multiplier (万 亿 千 百) and a unit from ``UNITS``; 左右/以上/多/约 … go to ``qualifier``.
  Numbers without a unit are skipped, which drops years (2022年), dates, list numbers and code-like
  digit runs; ordinals (第三届), model names (C919, 5G) and slogans in quotes (“四个全面”) are skipped too.
* The *indicator* is the noun phrase right before the figure in its clause (from the last ，、；：
  or the previous figure), with fillers stripped from the front (全年 预计 完成 …) and connecting
  verbs from the back (达到 为 超过 …). When only a short verb is left (新增9家国家级工厂) the noun
  after the counter is used.
* A change verb right before the figure (增长 比增 下降 比上年增加 …) makes it a *growth* figure.
  A growth figure with no indicator of its own (``1.6亿元，比增8.8%``) is the change of the figure
  before it, not a fact of its own.
* ``A、B分别增长4.5%、5.7%`` gives each figure its own subject.

``series`` picks one headline figure per report for one indicator (qa.facts.series).

The period and section come from the passage the figure is in; the year is an explicit year in the
sentence before the figure (2023年…目标是) or else the period's year: ``review_year`` for a review,
the year after it for a plan.
"""

from __future__ import annotations

from qa.facts.extract import PERIODS, Fact, collect_facts, extract_facts
from qa.facts.figures import UNITS, parse_number
from qa.facts.series import indicator_series, select_facts

__all__ = [
    "PERIODS",
    "UNITS",
    "Fact",
    "collect_facts",
    "extract_facts",
    "indicator_series",
    "parse_number",
    "select_facts",
]

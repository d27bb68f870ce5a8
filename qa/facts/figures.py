"""Figures: a number with its unit, found in a sentence and normalized (1.6亿元 -> 1.6e8 元).

A figure is a number (``1.6``, full-width ``１.６``, ``1,234``, spaced-out ``7 4 7 7 2``, ``百分之八``,
a range ``5%—5.5%`` read as its lower end, or a Chinese numeral before a counter: ``三家``) with an
optional multiplier (万 亿 千 百) and a unit from ``UNITS``. Numbers without a unit are no figures,
which drops years (2022年), dates, list numbers and code-like digit runs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.text.numerals import parse_numeral as parse_number
from qa.text.units import UNITS

__all__ = ["FIGURE", "UNITS", "Figure", "parse_number", "read_figure"]

_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
COUNTERS = frozenset(UNITS) - {"%", "％", "‰", "个百分点", "百分点", "元", "美元", "欧元", "港元"}

_MULTIPLIER = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8}

DIGITS = "0-9０-９"
# Digits may be spaced out one by one (the 1998 report prints "7 4 7 7 2 亿元"); a run allows that.
RUN = rf"[{DIGITS}](?: ?[{DIGITS}])*"
_ARABIC = rf"[{DIGITS}]{{1,3}}(?:,[0-9]{{3}})+(?![0-9])(?:[.．][{DIGITS}]+)?|{RUN}(?: ?[.．] ?{RUN})?"
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
# One figure: arabic (with 多/余 and a multiplier), 百分之…, or a Chinese numeral, then a unit.
# The multiplier is lazy so 100万千瓦 reads 万 + 千瓦 and 5千米 reads 千米.
FIGURE = re.compile(
    rf"(?<![A-Za-z{DIGITS}.．第前/\-－—~～])(?<![{DIGITS}] )(?<![{DIGITS}][:：])"  # 6:30 is a time
    rf"(?:(?P<arabic>{_ARABIC})(?P<range>[%％]?[—–\-－~～至到]{{1,2}}(?:{_ARABIC}))?"
    rf" ?(?P<approx>[多余])?(?P<mult>[百千万亿]*?)(?P<approx2>[多余])?(?P<unit>{_UNIT_RE})"
    rf"|百分之(?P<pct>[{DIGITS}.．]+|[{_CN_NUMERAL}点]+)"
    rf"|(?P<cn>[{_CN_NUMERAL}](?:[{_CN_NUMERAL}点]*[{_CN_NUMERAL}])?)(?P<cn_unit>{_UNIT_RE}))"
    rf"(?![A-Za-z{DIGITS}])"
)
QUALIFIER_AFTER = re.compile(r"\s*(左右|以上|以内|以下|上下|之内)")
QUALIFIER_BEFORE = re.compile(r"(约|近|超过|超|逾|突破|不低于|不少于|不超过|低于|高于)$")


def _multiplier(mult: str) -> int:
    factor = 1
    for c in mult:
        factor *= _MULTIPLIER[c]
    return factor


def _unit_of(written: str) -> str:
    """The unit in its canonical spelling: ％ -> %, 个百分点 -> 百分点, 千米 -> 公里."""
    return {"％": "%", "个百分点": "百分点", "平方千米": "平方公里", "千米": "公里"}.get(written, written)


@dataclass
class Figure:
    """A figure found in the text, before its indicator is known."""

    start: int
    end: int  # end of value_text
    value: float
    unit: str
    approx: str | None  # 多/余 inside the figure (30余亩), or the upper end of a range (5%—5.5%: "—5.5%")
    chinese: bool  # a Chinese-numeral count (三家)


def read_figure(m: re.Match[str]) -> Figure | None:
    """Normalize a ``FIGURE`` match; None for digit runs that are codes or phone numbers, and for
    Chinese numerals that are no number (三四十, 十十), not figures."""
    try:
        return _read_figure(m)
    except ValueError:  # parse_number refused what the pattern let through
        return None


def _read_figure(m: re.Match[str]) -> Figure | None:
    if m.group("pct") is not None:
        return Figure(m.start(), m.end(), parse_number(m.group("pct")), "%", None, False)
    if m.group("cn") is not None:
        cn = m.group("cn")
        # A lone 一 is an article (一批, 一个), and a numeral led by 百/千/万 an idiom (千家万户).
        if cn == "一" or cn[0] in "百千万亿":
            return None
        return Figure(m.start(), m.end(), parse_number(cn), _unit_of(m.group("cn_unit")), None, True)
    number = unicodedata.normalize("NFKC", m.group("arabic")).replace(" ", "")
    integer = number.split(".")[0].replace(",", "")
    if len(integer) >= 9 or (len(integer) > 1 and integer.startswith("0")):
        return None  # 031308171124 (dates run together), 12345678901: not quantities
    unit = m.group("unit")
    mult = m.group("mult")
    value = parse_number(number) * (1 if unit in ("%", "％", "‰") else _multiplier(mult))
    value = float(f"{value:.12g}")  # 682.3亿 is 68230000000, not 68229999999.99999 (binary fractions)
    approx = m.group("approx") or m.group("approx2")
    if m.group("range"):  # 5%—5.5%, 3至5个: the value is the lower end, the rest is the qualifier
        approx = m.string[m.end("arabic") : m.end()].lstrip("%％")
    return Figure(m.start(), m.end(), value, _unit_of(unit), approx, False)

"""Numbers as reports write them: the one parser for Arabic, Chinese and mixed numerals.

Report metadata (``二〇二四年三月五日``), heading numbers (``第一百二十条``, ``十三、``) and key figures
(``三千五百万``, ``八点八``, ``1.6万``) all go through ``parse_numeral``. The Chinese part is the
``cn2an`` package's "smart" mode, which reads positional numerals (一百零五), digit-by-digit ones
(二〇二二), 两 and mixed Arabic-Chinese forms; this module only prepares what it is given.
"""

from __future__ import annotations

import re
import unicodedata

import cn2an

__all__ = ["chinese_numeral", "figures_in_digits", "parse_numeral"]

# cn2an reads 〇 (U+3007, the ideographic zero) but not the white circle ○ (U+25CB) that typesetters
# put in its place in years such as 二○二二.
_ZEROS = str.maketrans({"○": "〇"})


def parse_numeral(text: str) -> float:
    """The value of a number as written: ``1.6``, ``１.６``, ``1,234``, ``7 4 7 7 2``, ``三``, ``十五``,
    ``两千``, ``一百零五``, ``二〇二二``, ``二○二二``, ``八点八``, ``1.6万``.

    Raises ``ValueError`` for anything else (``十十``, ``百分之``): the callers match their numbers
    with their own patterns and treat a text that is no number as no match.
    """
    # NFKC turns full-width digits and points into ASCII; commas group thousands and spaces come
    # from digits printed one by one (the 1998 report's "7 4 7 7 2 亿元").
    plain = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    # 万万 is the old way to write 亿 (六万万人民, in the 1950s reports); cn2an knows only 亿.
    plain = plain.replace("万万", "亿")
    try:
        return float(plain)
    except ValueError:
        pass
    try:
        value = cn2an.cn2an(plain.translate(_ZEROS), "smart")
    except (ValueError, KeyError, IndexError, TypeError) as exc:  # cn2an reports bad input as any of these
        raise ValueError(f"not a number: {text!r}") from exc
    return float(value)


def chinese_numeral(n: int) -> str:
    """``n`` in Chinese numerals, as headings are numbered: 2 -> 二, 13 -> 十三, 120 -> 一百二十."""
    return str(cn2an.an2cn(n))


# A figure written in Chinese numerals, as spoken and as voice input types it: 百分之六点九, 三千四百一十一
# 公里, 一千二百零六万人. Only a run that starts with a digit, holds a multiplier or a decimal point, and is
# a percentage or is followed by a unit is one: 千万 (不要), 十分, 十四五, 二十大 and 十九届 are words, and
# 八点 (o'clock) has no digit after its 点.
_CHINESE_FIGURE = re.compile(
    r"(?P<percent>百分之)?(?<!第)(?P<number>[一二两兩三四五六七八九十零〇][零〇一二两兩三四五六七八九十百千万萬亿億]*"
    r"(?:[点點][零〇一二三四五六七八九]+)?)"
    r"(?P<unit>(?:多|余|餘)?(?:万亿|萬億|亿|億|万|萬)?(?:多|余|餘)?"
    r"(?:元|人|个|项|家|所|座|件|名|户|辆|台|套|张|公里|千米|平方|米|吨|亩|公斤|千克|岁|天|小时|倍))?"
)
_MULTIPLIER_OR_POINT = re.compile(r"[十百千万萬亿億点點]")
_MAGNITUDE = re.compile(r"(?:万亿|亿|万)$")
_SIMPLIFIED = str.maketrans("兩萬億點", "两万亿点")


def figures_in_digits(text: str) -> str:
    """``text`` with its figures in Chinese numerals written in digits, as reports write them:
    百分之六点九 -> 6.9%, 三千四百一十一公里 -> 3411公里, 一千二百零六万人 -> 1206万人 (a trailing 万 or
    亿 stays a magnitude). Words made of numeral characters (十分, 千万, 十四五) are left as they are."""

    def digits(match: re.Match[str]) -> str:
        number, percent, unit = match["number"], match["percent"], match["unit"] or ""
        if not (percent or (unit and _MULTIPLIER_OR_POINT.search(number) and len(number) > 1)):
            return match.group()
        number = number.translate(_SIMPLIFIED)
        found = _MAGNITUDE.search(number[1:])  # 十二万亿 is 12 and 万亿; 万 alone is no number
        magnitude = found.group() if found else ""
        try:
            value = parse_numeral(number[: len(number) - len(magnitude)])
        except ValueError:
            return match.group()
        return f"{value:g}" + ("%" if percent else magnitude) + unit

    return _CHINESE_FIGURE.sub(digits, text)

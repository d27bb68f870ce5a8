"""Numbers as reports write them: the one parser for Arabic, Chinese and mixed numerals.

Report metadata (``二〇二四年三月五日``), heading numbers (``第一百二十条``, ``十三、``) and key figures
(``三千五百万``, ``八点八``, ``1.6万``) all go through ``parse_numeral``. The Chinese part is the
``cn2an`` package's "smart" mode, which reads positional numerals (一百零五), digit-by-digit ones
(二〇二二), 两 and mixed Arabic-Chinese forms; this module only prepares what it is given.
"""

from __future__ import annotations

import unicodedata

import cn2an

__all__ = ["chinese_numeral", "parse_numeral"]

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

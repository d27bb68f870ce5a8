"""Text normalization for matching: the one function used at index time and at query time.

Stored document text is never changed; normalization only feeds the lexical tokenizer and query
analysis, so every offset shown to a user still points at the source text. Traditional characters
become simplified ones (OpenCC's t2s), so a question typed in 繁體 matches a simplified report and a
traditional report matches a simplified question.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

from qa.text.numerals import parse_numeral

# Chinese ideographs: CJK Extension A, the Unified Ideographs and the Compatibility Ideographs. The one
# definition of "a Chinese character": put CJK_RANGES inside a regex character class, e.g. f"[{CJK_RANGES}]+".
CJK_RANGES = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK_RANGES}]")
_SPACES = re.compile(r"\s+")


@cache
def _converter() -> opencc.OpenCC:
    """OpenCC's traditional-to-simplified converter (built once; converting is thread-safe)."""
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with its traditional characters as simplified ones (國務院 -> 国务院), nothing else
    changed: what words written for simplified text (report titles, section words) are looked for in."""
    return _converter().convert(text)


def fold_width(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation to half width), traditional characters to
    simplified, spaces collapsed, case kept (for text a model reads: the embedding model tells GDP
    from gdp)."""
    return _SPACES.sub(" ", to_simplified(unicodedata.normalize("NFKC", text))).strip()


def fold_in_place(text: str) -> str:
    """``text`` with each character NFKC-folded and lower-cased on its own where it stays one
    character (？ -> ?, Ａ -> a; ㎡ is left as it is): the same length as ``text``, so a mark or word
    found in the result is found at the same offsets in ``text``."""
    return "".join(f if len(f := unicodedata.normalize("NFKC", c).lower()) == 1 else c for c in text)


# A year written in characters, digit by digit (二〇二二年, 一九九八年), as typed and as printed in
# dates: matched as the year in digits (read by qa.text.numerals), so a question's year is a year
# however it is written. (○, a white circle, stands in for 〇 in much typesetting.)
_DIGIT_CHARACTERS = "〇○零一二三四五六七八九"
_YEAR_IN_CHARACTERS = re.compile(
    rf"(?<![{_DIGIT_CHARACTERS}十百千万两])[一二][{_DIGIT_CHARACTERS}]{{3}}(?=年)"
)


# 甚么 (甚麼 as Hong Kong and Taiwan write 什么, once also the mainland's) is 什么: its question words,
# and its "when" (甚么时候), are read as 什么's.
_WHAT_VARIANT = "甚么"


# A subscript flattened into text writes an underscore before it: reports converted from print
# have PM_2.5 and CO_2 where people type PM2.5 and CO2.
_SUBSCRIPT = re.compile(r"(?<=[a-z])_(?=\d)")


# A question's text and its best passages are normalized several times an ask (analysis, parts,
# duplicate passages, refusal reasons): the recent ones are kept.
@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """``fold_width``, years written in characters as digits, lower case, a subscript's underscore
    dropped: the form every match is made on."""
    folded = _YEAR_IN_CHARACTERS.sub(lambda m: str(int(parse_numeral(m.group()))), fold_width(text))
    return _SUBSCRIPT.sub("", folded.lower()).replace(_WHAT_VARIANT, "什么")


@lru_cache(maxsize=128)
def normalized_document(text: str) -> str:
    """``normalize`` of a whole document's text, kept for the documents last read: questions are
    matched against it (its names, its mentions), once per document rather than per question."""
    return normalize(text)


def has_words(text: str) -> bool:
    """True when the text holds a letter, digit or Chinese character, not only punctuation or symbols."""
    return any(ch.isalnum() for ch in text)


def has_cjk(text: str) -> bool:
    """True when the text holds at least one Chinese character."""
    return CJK_CHAR.search(text) is not None

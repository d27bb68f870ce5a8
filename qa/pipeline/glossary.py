"""English work-report vocabulary mapped to the reports' Chinese terms, for the lexical side of search.

Character n-grams of an English question match nothing in a Chinese report; the report terms of
the phrases it uses ("fiscal revenue" -> 财政收入 财政总收入 一般公共预算收入) give BM25 something to
find. The mapping is data (``qa/data/glossary.tsv``): general vocabulary of government work reports.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

GLOSSARY_PATH = Path(__file__).parents[1] / "data" / "glossary.tsv"


def term_rows(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(a word as written, its report terms) for every row of a term table: the word, a tab, the
    terms separated by spaces; blank lines and lines opening with # skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, terms = line.split("\t")
            rows.append((word, tuple(terms.split())))
    return tuple(rows)


@cache
def glossary_rows() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(English term as written, its report terms) for every row of the glossary file."""
    return term_rows(GLOSSARY_PATH)


@cache
def _entries() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """(pattern of the English term, its report terms), longest term first so phrases win over words."""
    rows = []
    for english, terms in glossary_rows():
        prefix = english.endswith("*")  # "export*" also matches exports, exported
        words = re.escape(english.rstrip("*").lower()).replace(r"\ ", r"\s+")
        ending = r"[\w-]*" if prefix else r"\b"
        rows.append((len(english), re.compile(rf"\b{words}{ending}"), terms))
    return tuple((pattern, terms) for _, pattern, terms in sorted(rows, key=lambda row: -row[0]))


def report_terms(text: str) -> list[str]:
    """The report terms of the English phrases in ``text`` (lower case), each phrase used once.

    A matched phrase is blanked out, so "fiscal revenue" does not also add the terms of "revenue".
    """
    terms: list[str] = []
    for pattern, chinese in _entries():
        text, found = pattern.subn(" ", text)
        if found:
            terms.extend(t for t in chinese if t not in terms)
    return terms


def phrase_terms(text: str) -> tuple[str, ...]:
    """The report terms of ``text`` (lower case) when one glossary phrase is the whole of it ("smog",
    "the belt and road"); () otherwise: "rural pension increases" is three phrases, whose terms
    (增长 among them) would name anything."""
    whole = re.sub(r"^the\s+", "", text.strip())
    return next((terms for pattern, terms in _entries() if pattern.fullmatch(whole)), ())


def without_phrases(text: str, terms: set[str]) -> str:
    """``text`` with every English phrase whose report terms are all among ``terms`` blanked out
    ("Hunan's grain output", {湖南} -> "  grain output"); any case."""
    for pattern, chinese in _entries():
        if set(chinese) <= terms:
            text = re.sub(pattern.pattern + r"(?:'s)?", " ", text, flags=re.I)
    return text

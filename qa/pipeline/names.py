"""Named things a question asks about that its document never names: a fact the user can check.

"县城南环路什么时候通车？" of a report that builds 东环路 and names no 南环路 cannot be answered from it;
its closest sentence (东环路's "2025年6月建成通车") had been quoted at 0.95. A road, village, school,
hospital, port, park or reservoir is named by the word before what it is (南环|路, 中坪|村, 第三|幼儿园):
when the document holds neither that name nor the whole, it speaks of another one.

Only names are read, not descriptions: a name is one word as the segmenter keeps it (南环路, 中坪村) or
an ordinal and its kind, with no question, pointer or verb character in it (修哪条路, 这所学校,
新建幼儿园), and a name the document uses on its own (乡村 of 乡村公路, 公办 of 公办幼儿园) is a word of
the document's, not another thing's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.text.normalize import CJK_CHAR, normalized_document
from qa.text.words import cut_words

# Kinds of named places and facilities, longest first (中医院 before 医院).
_KINDS = (
    "幼儿园", "卫生院", "中医院", "实验室", "水库", "中学", "小学", "医院", "公路", "铁路", "高速", "大道",
    "大桥", "公园", "广场", "社区", "小区", "码头", "机场", "隧道", "景区", "路", "街", "桥", "村", "港",
    "河", "湖",
)  # fmt: skip
# Characters no name is made of here: question and pointer words, counters, particles, verbs of building.
_NOT_NAME = frozenset("哪什么这那几条每各的了和与及在修建造是有个些座所家新改扩该此其全本我们你他她它")
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+")  # 第三|幼儿园: the ordinal is no name alone


def _named(words: list[str]) -> list[tuple[str, str]]:
    """(name, kind) of each thing the words name: one word, as the segmenter keeps a name (南环路,
    中坪村), or an ordinal and its kind (第三 幼儿园, 第一 人民 医院). Two words side by side are no name:
    夏天 景区, 找 县医院 had been read as names."""
    found = []
    for i, word in enumerate(words):
        kind = next((k for k in _KINDS if word.endswith(k)), None)
        if kind and len(word) > len(kind):
            found.append((word[: -len(kind)], kind))
        elif kind == word and i > 0 and _ORDINAL.fullmatch(words[i - 1]):
            found.append((words[i - 1], kind))
        elif kind == word and i > 1 and _ORDINAL.fullmatch(words[i - 2]):  # 第一 人民 医院
            found.append((words[i - 2] + words[i - 1], kind))
    return found


def unnamed_things(question: str, document: str) -> list[str]:
    """The names of places and facilities ``question`` (normalized) asks about that ``document``
    (as stored) never names, neither whole nor by their own name (南环路: neither 南环路 nor 南环)."""
    named = [
        (name, kind)
        for name, kind in _named(cut_words(question))
        if len(name) >= 2 and CJK_CHAR.search(name) and not _NOT_NAME.intersection(name)
    ]
    text = normalized_document(document) if named else ""
    return [
        name + kind
        for name, kind in named
        if name + kind not in text and (name not in text or _ORDINAL.fullmatch(name))
    ]


def unnamed_reason(question: str, document: str, others: Iterable[str] = ()) -> str | None:
    """The reason when the question names a place or facility its document never names, nor any of
    the library's ``others`` (read only then: "公交线路票价多少？" had been refused as 报告里没有提到
    公交线路 in a library whose news story names it, when a ticketing rule's passage came first)."""
    missing = unnamed_things(question, document)
    if missing:
        missing = [name for name in missing if not any(name in text for text in others)]
    return f"the document never names {'、'.join(missing)}" if missing else None

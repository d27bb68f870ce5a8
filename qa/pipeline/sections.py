"""A question about a numbered part of a document ("第五章讲的是什么？", "第二节主要写了什么？",
"第十一条规定了什么？"): its heading line is the answer, quoted (an article's line is its text), and its
subsections or the items its line announces are the items. Headings are no candidate sentences (one
quoted for "今年的发展目标是什么？" answered nothing), so such a question found only headings and was
refused, though the part it names is there to read; an article asked by its number alone was refused
or answered with another article (6 of 6, a helper found)."""

from __future__ import annotations

import re

from qa.ingest.structure import Section
from qa.schema import Passage
from qa.text.numerals import chinese_numeral, parse_numeral

# A part named by its number and asked what it holds.
_PART = re.compile(r"第([一二三四五六七八九十百零〇两\d]{1,4})(章|节|部分|编|条)")
_ASKS_WHAT = re.compile(r"讲|写|是什么|内容|关于|主要|哪些|什么|说|规定")


def asked_part(question: str) -> list[tuple[int, str]]:
    """(number, kind word) of each numbered part a question names, outermost first ("第二章第二节"),
    when it asks what the last of them holds; else []."""
    found = list(_PART.finditer(question))
    if not found or not _ASKS_WHAT.search(question[found[-1].end() :]):
        return []
    try:
        return [(int(parse_numeral(m.group(1))), m.group(2)) for m in found]
    except ValueError:
        return []


def part_named(sections: list[Section], parts: list[tuple[int, str]]) -> Section | None:
    """The section so numbered (第五章 …; 第二节 within 第二章 for "第二章第二节"), or None."""
    scope: Section | None = None
    for number, word in parts:
        numeral = re.compile(rf"^第(?:{number}|{chinese_numeral(number)}){word}")
        inside = [s for s in sections if scope is None or scope.start < s.start < scope.end]
        scope = next((s for s in inside if numeral.match(s.title)), None)
        if scope is None:
            return None
    return scope


def part_passage(top: Passage, text: str, section: Section) -> Passage:
    """The heading line of ``section`` as a cited passage of ``top``'s document, marked whole."""
    line_end = text.find("\n", section.start, section.end)
    end = section.end if line_end < 0 else line_end
    return top.with_(
        section=list(section.path),
        start=section.start,
        end=end,
        text=text[section.start : end],
        highlight=(0, end - section.start),
        passage_id=f"{top.doc_id}:part:{section.start}",
    )

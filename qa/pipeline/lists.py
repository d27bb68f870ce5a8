"""A sentence that announces a list: the headings it announces, as the answer's items.

Reports announce their task areas in one sentence and give them as the subsections that follow:
"今年重点抓好以下五个方面工作：" then （一）…（五）. Quoted alone, such a sentence answers
"今年的工作重点是什么？" with a colon and nothing after it. When the quoted sentence ends with a
colon and the subsections of its own section begin right after it, those subsection headings are
the list it announces: each is returned as a Passage of the document (its heading line, with
offsets), so every item is cited like any other quote. Nothing is guessed: a colon sentence whose
section goes on with more text before any subsection announces nothing this can show.
"""

from __future__ import annotations

import functools

from qa.ingest.structure import Section, parse_sections, section_at
from qa.schema import Passage

_COLONS = ("：", ":")


@functools.lru_cache(maxsize=32)
def _sections(text: str) -> tuple[Section, ...]:
    # Parsed only when an answer ends with a colon; a few reports answered in a row share the work.
    return tuple(parse_sections(text))


def _heading_end(text: str, section: Section) -> int:
    """Where the heading line of ``section`` ends (the end of its first line, trailing space cut)."""
    line_end = text.find("\n", section.start, section.end)
    end = section.end if line_end < 0 else line_end
    while end > section.start and text[end - 1].isspace():
        end -= 1
    return end


def announced_items(text: str, start: int, end: int, top: Passage) -> list[Passage]:
    """The subsection headings announced by the sentence ``text[start:end]`` of a document.

    ``text`` is the document's text and ``start``/``end`` the sentence's offsets in it; ``top`` is
    the passage the sentence was quoted from (the items take its document and period). Empty when
    the sentence does not end with a colon, or its section's next-level subsections do not begin
    right after it (only white space between).
    """
    if not text[start:end].rstrip().endswith(_COLONS):
        return []
    sections = _sections(text)
    own = section_at(list(sections), start)
    depth = own.level + 1 if own else 1
    children = [
        s
        for s in sections
        if s.level == depth and (own is None or (s.path[:-1] == own.path and own.start < s.start < own.end))
    ]
    first = next((s for s in children if s.start >= end), None)
    if first is None or text[end : first.start].strip():
        return []
    items = [s for s in children if s.start >= first.start]
    return [
        top.with_(
            section=list(s.path),
            start=s.start,
            end=(heading_end := _heading_end(text, s)),
            text=text[s.start : heading_end],
            score=0.0,
            highlight=None,
            passage_id=f"{top.doc_id}:item:{s.start}",
        )
        for s in items
    ]

"""A sentence that announces a list: the headings it announces, as the answer's items.

Reports announce their task areas in one sentence and give them as the subsections that follow:
"今年重点抓好以下五个方面工作：" then （一）…（五）. Quoted alone, such a sentence answers
"今年的工作重点是什么？" with a colon and nothing after it. When the quoted sentence ends with a
colon and the subsections of its own section begin right after it, the run of those subsection
headings (one numbering kind, numbered in turn) is the list it announces: each is returned as a
Passage of the document (the heading's first sentence, with offsets), so every item is cited like
any other quote. Nothing is guessed: a colon sentence whose section goes on with more text before
any subsection announces nothing this can show.
"""

from __future__ import annotations

import functools
import itertools

from qa.ingest.structure import Section, parse_sections, section_at
from qa.schema import Passage
from qa.text.sentences import split_sentences

_COLONS = ("：", ":")


@functools.lru_cache(maxsize=32)
def _sections(text: str) -> list[Section]:
    # Parsed only when an answer ends with a colon; a few reports answered in a row share the work.
    return parse_sections(text)


def _numbered_run(sections: list[Section]) -> list[Section]:
    """The leading run of ``sections`` with the first one's numbering kind, numbered one by one.

    A deeper list the parser set at the same level (（九） followed by 第一…第四) is not part of
    the announced one.
    """
    run = sections[:1]
    for previous, section in itertools.pairwise(sections):
        numbered = previous.number is not None and section.number is not None
        if section.kind != run[0].kind or (numbered and section.number != previous.number + 1):
            break
        run.append(section)
    return run


def _heading_span(text: str, section: Section) -> tuple[int, int]:
    """The heading's own words: the first sentence of its line (text may follow on that line)."""
    line_end = text.find("\n", section.start, section.end)
    spans = split_sentences(text, section.start, section.end if line_end < 0 else line_end)
    return spans[0] if spans else (section.start, section.start)


def announced_items(text: str, top: Passage) -> list[Passage]:
    """The subsection headings announced by the sentence ``top.highlight`` marks in ``top``.

    ``text`` is the document's text. Empty when there is no marked sentence, it does not end with
    a colon, or its section's next-level subsections do not begin right after it (only white
    space between). The items take ``top``'s document and period (a list's headings sit in the
    announcing sentence's part of the report).
    """
    if top.highlight is None:
        return []
    start, end = (top.start + offset for offset in top.highlight)
    if not text[start:end].rstrip().endswith(_COLONS):
        return []
    sections = _sections(text)
    own = section_at(sections, start)
    children = [
        s
        for s in sections
        if s.level == (own.level + 1 if own else 1) and (own is None or own.start < s.start < own.end)
    ]
    following = [s for s in children if s.start >= end]
    if not following or text[end : following[0].start].strip():
        return []
    items = []
    for section in _numbered_run(following):
        item_start, item_end = _heading_span(text, section)
        items.append(
            top.with_(
                section=list(section.path),
                start=item_start,
                end=item_end,
                text=text[item_start:item_end],
                score=0.0,
                highlight=None,
                passage_id=f"{top.doc_id}:item:{item_start}",
            )
        )
    return [item for item in items if item.text]

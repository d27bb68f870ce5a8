"""A sentence that announces a list: the items it announces, as the answer's items.

Reports announce their task areas in one sentence and give them as the subsections that follow:
"今年重点抓好以下五个方面工作：" then （一）…（五）. Quoted alone, such a sentence answers
"今年的工作重点是什么？" with a colon and nothing after it. When the quoted sentence ends with a
colon and the subsections of its own section begin right after it, the run of those subsection
headings (one numbering kind, numbered in turn) is the list it announces: each is returned as a
Passage of the document (the heading's first sentence, with offsets), so every item is cited like
any other quote. Within running text a report counts them off instead: "主要抓好三个方面；一是…。
二是…。三是…。" When the sentence right after the quoted one opens with 一是 (or 第一，), the
sentences opening with 二是, 三是 … in turn, within its section, are the items (each its first
sentence); so are numbered items of running text, which end with a semicolon and are no headings
("禁止携犬进入下列场所：" then "（一）机关、学校、医院；（二）…。", ``qa.ingest.headings``). Nothing is
guessed: a sentence followed by anything else announces nothing this can show.
"""

from __future__ import annotations

import functools
import itertools
import re

from qa.ingest.headings import line_spans
from qa.ingest.structure import Section, parse_sections, section_at
from qa.schema import Passage
from qa.text.numerals import parse_numeral
from qa.text.sentences import split_sentences

_COLONS = ("：", ":")
_SEMICOLONS = ("；", ";")
MAX_CLAUSES = 15  # a colon's list longer than this is read as running text
# A labelled heading's body of lines quoted whole (办理时限: 即时办结；…3个工作日内办结。); a longer one
# is scored.
SHORT_BODY = 3


@functools.lru_cache(maxsize=32)
def document_sections(text: str, outline: tuple[tuple[int, int], ...] = ()) -> list[Section]:
    """The sections of a document's text, parsed once: only when an answer may announce a list or
    a question names a part, and a few reports answered in a row share the work."""
    return parse_sections(text, outline)


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


_NUMERAL = (
    "(?:十[一二]?|[一二三四五六七八九])"  # 一 … 十二: a longer run is not one list a reader wants quoted
)
# A sentence telling how many items follow: 十个方面, 五项, 三件.
_TOLD_COUNT = re.compile(rf"(?P<n>{_NUMERAL})(?:个方面|个领域|项|件|条|大)")
# Counted off in words (一是, 第一，), even where the heading parser took 第一， for a heading; or
# numbered as items ((一), 一、, 1.), which are items only where they are no heading.
_COUNTED = re.compile(
    rf"^(?:(?P<spoken>{_NUMERAL})是|第(?P<spoken_ordinal>{_NUMERAL})[，,、：:是]"
    rf"|[（(](?P<paren>{_NUMERAL})[）)]|(?P<cn>{_NUMERAL})、|(?P<arabic>\d{{1,2}})[.．、](?!\d)"
    r"|[（(](?P<paren_arabic>\d{1,2})[）)]|(?P<circled>[\u2460-\u2473]))"  # （1）, ①
)
# Words that point to what follows (以下几方面, 如下, 下列, 下面简述): such a sentence announces a list with
# a full stop too ("今年要着重做好以下几方面的工作。" then （一）…（八）; 2023's "下面简述几项重点。").
_FOLLOWING = re.compile(r"以下|如下|下列|下面(?:简述|简要|谈谈?|讲|就|着重|重点|分|提出)")
# A list counted off inside the sentence that announces it: "会议要求，一是…；" (二是… follow), or
# numbered after its colon: "报到流程：（1）扫码填写登记表；" ((2)… follow; the quote had been (1) alone).
_INLINE_FIRST = re.compile(r"[，,：:]\s*(?=一是|第一[，,、])|[：:]\s*(?=[（(][1一][）)]|①|1[.．、](?!\d))")
# A list the next sentence opens, in the same paragraph: "…还存在不少矛盾和问题。" then "主要是：发展中
# 不平衡…；经济增长下行压力…；…。" (the quote had been the first sentence alone, 3 of 4 such lists).
_NEXT_LEAD = re.compile(r"[ \t]*(?:主要|具体|集中)(?:是|有|表现为|表现在|体现在)[：:]")
# A list's lines marked with a bullet or a dash, as Markdown and reports write them (- …, • …, ——…).
_BULLET = re.compile(r"[ \t]*(?:[-*+•·●▪■◆][ \t]+|——)")


def _count(sentence: str) -> tuple[str, int] | None:
    """How a sentence counts itself off, and its number: ("spoken", 2) for 二是… or 第二，…,
    ("paren", 2) for （二）…, ("cn", 2) for 二、…, ("arabic", 2) for 2. …; None for none."""
    found = _COUNTED.match(sentence)
    if found is None or found.lastgroup is None:
        return None
    form = found.lastgroup
    number = found.group(form)
    value = ord(number) - 0x245F if form == "circled" else int(parse_numeral(number))
    return ("spoken" if form.startswith("spoken") else form), value


def _counted_off(text: str, start: int, end: int, headings: set[int]) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` that count off one list (一是, 二是, … in turn, or
    （一）, （二）, …), the first of them opening the range, or [] when it does not open so. Only the
    first item's way of numbering continues the list: a （一） inside a 一是 item is its own text. A
    heading numbered like an item (its start in ``headings``) ends a list that is not spoken."""
    items: list[tuple[int, int]] = []
    form = None
    for s, e in split_sentences(text, start, end):
        counted = _count(text[s:e])
        # "2.65周岁以上的老年人；" after item 1. is item 2, not a decimal (免票对象 had come back empty).
        if counted is None and form == "arabic" and re.match(rf"{len(items) + 1}[.．]\d", text[s:e]):
            counted = ("arabic", len(items) + 1)
        if s in headings and form != "spoken" and (counted is None or counted[0] != "spoken"):
            # Unless it is the next item after one ended by a semicolon: the list's last ("3.现役军人。").
            last = bool(items) and text[items[-1][0] : items[-1][1]].rstrip().endswith(_SEMICOLONS)
            if last and counted == (form, len(items) + 1):
                items.append((s, e))
            break
        if counted is not None and form is not None and counted[0] != form:
            counted = None
        if counted is not None and counted[1] == len(items) + 1:
            items.append((s, e))
            form = counted[0]
        elif not items or counted is not None:
            break  # nothing counted right after the quote, or another count begins
    return items if len(items) >= 2 else []


def item_passage(
    top: Passage, text: str, start: int, end: int, section: tuple[str, ...], marked: bool = False
) -> Passage:
    """``text[start:end]``, an item of a list in ``top``'s document, as a cited passage under
    ``section``; ``marked`` when it is quoted whole (a mention shown first)."""
    return top.with_(
        section=list(section),
        start=start,
        end=end,
        text=text[start:end],
        score=0.0,
        highlight=(0, end - start) if marked else None,
        passage_id=f"{top.doc_id}:item:{start}",
    )


def announced_items(
    text: str, top: Passage, outline: tuple[tuple[int, int], ...] = (), asks_list: bool = False
) -> list[Passage]:
    """The items announced by the sentence ``top.highlight`` marks in ``top``: the sentences right
    after it that count off a list (一是…, 二是…; （一）…；（二）…。), or the subsection headings of its
    section. For a question that ``asks_list`` (报到要带哪些材料？), a quoted sentence that is itself an
    item of a counted list (2.身份证原件；) brings the whole list.

    ``text`` is the document's text. Empty when there is no marked sentence, or no counted
    sentence follows it and it does not end with a colon, or its section's next-level subsections
    do not begin right after it (only white space between). The items take ``top``'s document and
    period (a list sits in the announcing sentence's part of the report).
    """
    if top.highlight is None:
        return []
    start, end = (top.start + offset for offset in top.highlight)
    quoted = text[start:end].rstrip()
    counts = _COUNTED.match(text[end : end + 16].lstrip()) is not None
    colon = quoted.endswith(_COLONS)
    # "主要预期目标是：国内生产总值增长8％左右；城镇新增就业…；…；国际收支状况改善。": the clauses after a
    # colon, each ended by a semicolon, the last by a full stop, are the items of its list.
    listed = colon or (quoted.endswith(_SEMICOLONS) and any(c in quoted for c in _COLONS))
    following = _FOLLOWING.search(quoted) is not None
    bullets = _bulleted(text, end) if colon or following or _TOLD_COUNT.search(quoted) else []
    inline = _INLINE_FIRST.search(quoted)  # 会议要求，一是…； then 二是…；三是…。
    lead = _NEXT_LEAD.match(text, end)
    own_count = _count(quoted) if asks_list else None
    if not (counts or listed or bullets or inline or following or lead or own_count):
        return []  # the common case, decided without parsing the report's sections
    sections = document_sections(text, outline)
    own = section_at(sections, start)
    path = tuple(own.path) if own else tuple(top.section)
    # An item's own label may hold a colon (2.军训服装费：每套150元；): it announces nothing.
    begin, stop = (own.start, own.end) if own else (top.start, top.end)
    run = _run_holding(text, begin, start, stop) if own_count else []
    if run and not (colon or bullets or inline or following or lead):
        return [item_passage(top, text, s, e, path) for s, e in run]
    if bullets:
        return [item_passage(top, text, s, e, path) for s, e in bullets]
    if lead:  # its clauses, when they run on semicolons (a list of full sentences has no clear end)
        clauses = _clauses(text, lead.end(), own.end if own else len(text))
        return [item_passage(top, text, s, e, path) for s, e in clauses]
    if inline:
        starts = {s.start for s in sections}
        counted = _counted_off(text, start + inline.end(), own.end if own else len(text), starts)
        if counted:
            return [item_passage(top, text, s, e, path) for s, e in counted]
    # Subsections that begin right after the colon come first: their headings are numbered as items are.
    # So do those after a section's opening sentence, all that stands between its heading and them
    # ("三、2014年重点工作" / "做好今年政府工作，要以深化改革为强大动力…。" / "（一）…").
    opening = own is not None and not text[text.find("\n", own.start, own.end) + 1 : start].strip()
    # And those after a sentence that counts them ("重点做好十个方面工作。" then （一）…（十）), as many.
    told = _TOLD_COUNT.search(quoted) if counts else None
    headings = (
        _announced_headings(text, sections, own, top, end)
        if colon or following or (counts and (opening or told))
        else []
    )
    if headings and told and not (colon or opening) and len(headings) != parse_numeral(told["n"]):
        headings = []
    if not headings and not counts and listed:
        return [
            item_passage(top, text, s, e, path) for s, e in _clauses(text, end, own.end if own else len(text))
        ]
    if headings or not counts:
        return headings
    starts = {s.start for s in sections}
    counted = _counted_off(text, end, own.end if own else len(text), starts)
    return [item_passage(top, text, s, e, path) for s, e in counted]


def opening_list(text: str, heading: Passage, section: Section) -> list[Passage]:
    """The counted list (1.…；2.…；) right under ``heading``, the heading line of ``section``, as items:
    what a guide's 五、所需材料 lists in running text; else the list its body's first sentence announces
    (换证按以下步骤进行：（一）…；（二）…); [] otherwise."""
    run = _counted_off(text, heading.end + 1, section.end, set())
    body = [] if run else split_sentences(text, heading.end + 1, section.end)[:1]
    for s, e in body:
        return announced_items(text, heading.with_(start=s, end=e, text=text[s:e], highlight=(0, e - s)))
    return [item_passage(heading, text, s, e, tuple(section.path)) for s, e in run]


def short_body(text: str, heading: Passage, section: Section) -> list[Passage]:
    """The lines under ``heading`` (the heading line of ``section``), each whole, when there are at
    most ``SHORT_BODY`` of them: what a guide says under 七、收费标准 (不收费。) or 【申办步骤】 (第一步，…
    / 第二步，… / 第三步，…); [] otherwise."""
    lines = line_spans(text[heading.end : section.end])
    if len(lines) > SHORT_BODY:
        return []
    return [
        item_passage(heading, text, heading.end + s, heading.end + e, tuple(section.path)) for s, e in lines
    ]


def _run_holding(text: str, begin: int, start: int, end: int) -> list[tuple[int, int]]:
    """The counted list (1., 2., …) of ``text[begin:end]`` whose items include the sentence at
    ``start``: counted off from the nearest first item at or before it; [] when none holds it."""
    spans = split_sentences(text, begin, end)
    firsts = [s for s, e in spans if s <= start and (_count(text[s:e]) or ("", 0))[1] == 1]
    run = _counted_off(text, firsts[-1], end, set()) if firsts else []
    return run if any(s == start for s, _ in run) else []


def _bulleted(text: str, end: int) -> list[tuple[int, int]]:
    """The lines right after the line ``end`` ends that open with a bullet or a dash, each its first
    sentence without the mark (a quote holds no "- "); [] unless at least two, or when text follows
    ``end`` on its line."""
    items: list[tuple[int, int]] = []
    at = text.find("\n", end)
    if at < 0 or text[end:at].strip():
        return []
    while at >= 0:
        start, at = at + 1, text.find("\n", at + 1)
        stop = len(text) if at < 0 else at
        if not text[start:stop].strip():
            continue  # Markdown sets a blank line before a list, and may between its items
        mark = _BULLET.match(text, start, stop)
        first = split_sentences(text, mark.end(), stop)[:1] if mark else []  # a long line: its first sentence
        if not first:
            break
        items.append(first[0])
    return items if len(items) >= 2 else []


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences from ``start`` that end with a semicolon, and the one ending the run with a full
    stop: a colon's list of clauses, in one paragraph (the colon's own, or the next). [] unless at
    least two."""
    items: list[tuple[int, int]] = []
    for s, e in split_sentences(text, start, end):
        if items and "\n" in text[items[-1][1] : s]:
            break  # a new paragraph: the list ended with the one before
        items.append((s, e))
        if not text[s:e].rstrip().endswith(_SEMICOLONS) or len(items) >= MAX_CLAUSES:
            break
    return items if len(items) >= 2 else []


def _announced_headings(
    text: str, sections: list[Section], own: Section | None, top: Passage, end: int
) -> list[Passage]:
    """The run of ``own``'s next-level subsections beginning right after ``end``, as items."""
    following = [s for s in _children(sections, own) if s.start >= end]
    if not following or text[end : following[0].start].strip():
        return []
    return _heading_items(text, _numbered_run(following), top)


def subsection_items(
    text: str, section: Section | None, top: Passage, outline: tuple[tuple[int, int], ...] = ()
) -> list[Passage]:
    """The headings of ``section``'s next-level subsections (第一节 … under 第五章; the document's
    parts, 一、二、三、, for None), as items."""
    return _heading_items(text, _numbered_run(_children(document_sections(text, outline), section)), top)


def _children(sections: list[Section], own: Section | None) -> list[Section]:
    return [
        s
        for s in sections
        if s.level == (own.level + 1 if own else 1) and (own is None or own.start < s.start < own.end)
    ]


def _heading_items(text: str, sections: list[Section], top: Passage) -> list[Passage]:
    spans = [(_heading_span(text, section), section.path) for section in sections]
    items = [item_passage(top, text, s, e, path) for (s, e), path in spans]
    return [item for item in items if item.text]

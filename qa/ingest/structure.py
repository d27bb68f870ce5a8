"""Document structure: headings -> sections -> passages, each with a period (review / plan / other).

Headings come from ``qa.ingest.headings``. Nesting is decided by rank: a heading closes every open
section of the same or a deeper rank.

Passages are consecutive sentences of one *segment*, the text from one heading to the next, so a
passage never crosses a section boundary and a heading line starts its section's first passage.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from qa.ingest.headings import ADDRESS, BARE_RANK, RANK, Heading, find_headings, line_spans, trim
from qa.schema import Document, Passage, Period, document_kind
from qa.text.normalize import to_simplified
from qa.text.sentences import split_sentences
from qa.text.years import years_spoken_of

__all__ = [
    "Section",
    "build_passages",
    "parse_sections",
    "section_at",
    "section_path_at",
    "section_periods",
    "split_sentences",
]


@dataclass(frozen=True)
class Section:
    """A heading and its span: ``start``/``end`` cover the heading line and everything under it."""

    title: str
    level: int  # nesting depth: 1 = top level (一、 in a usual report, （一） under it is 2)
    start: int
    end: int
    path: tuple[str, ...]  # titles from the top down to this one
    kind: str = ""  # its marker's numbering kind (qa.ingest.headings), "bare" when unnumbered
    number: int | None = None  # its number in that kind's list, when it has one


_CLAUSE_END = re.compile(r"[，,、：:]")  # where an over-long sentence may be cut


# Period rules, first match wins; tried on a heading's title. "other" before review/plan, so a
# closing or the government's self-building part is not taken for a plan; review before plan,
# so "2022年工作回顾和2023年工作的总体要求" counts as review (its subsections can refine it).
_PERIOD_RULES: tuple[tuple[Period, re.Pattern[str]], ...] = (
    ("other", re.compile(r"结束语|结语|名词解释|注释|附录|附件|附表")),
    ("other", re.compile(r"政府自身|自身建设|政府治理|人民.{0,4}满意|满意的?政府|服务型政府|法治型政府")),
    # 形势和任务 (1987's 当前国内形势和基本任务) tells of the situation reached and the task ahead: mixed.
    ("review", re.compile(r"回顾|过去|成绩|成就|执行情况|决算|一年来|五年来|取得|形势.{0,6}(?:任务|目标)")),
    ("plan", re.compile(r"目标|安排|任务|总体要求|政策取向|今年|明年|计划|规划|部署|建议|重点工作|主要工作")),
    ("plan", re.compile(r"展望|预算|考虑")),
)


def _classify(title: str) -> tuple[Period | None, bool]:
    """The period a heading's own words give (None when they say nothing) and whether it is mixed."""
    simplified = to_simplified(title)  # 工作回顧 is 工作回顾
    hits = [period for period, rule in _PERIOD_RULES if rule.search(simplified)]
    if not hits:
        return None, False
    return hits[0], hits[0] == "review" and "plan" in hits


def _parse(text: str, outline: Sequence[tuple[int, int]] = ()) -> tuple[list[Section], int]:
    """Sections in document order, and where the body ends (a closing address starts there);
    ``outline``: the heading levels the file's markup gives (``Document.outline``)."""
    headings = find_headings(text, outline)
    body_end = _closing_start(text, headings)
    sections: list[Section] = []
    stack: list[tuple[Heading, float, int]] = []  # heading, effective rank, index in sections
    last_number: dict[tuple[int, str], int] = {}  # (parent index, kind) -> last sibling number
    outermost: float | None = None  # outermost numbered rank seen so far
    bare_rank: float | None = None

    def close(index: int, at: int) -> None:
        end = max(sections[index].start, _rstrip(text, at))
        sections[index] = replace(sections[index], end=end)

    for h in headings:
        if h.start >= body_end:
            break
        rank = h.rank
        if h.kind == "bare":
            # Unnumbered headings are siblings of one another: of the outermost numbered kind
            # when one came before; otherwise, when there are several, they are the report's
            # parts and group the 一、 headings that follow; a lone one is a sibling of 一、.
            if bare_rank is None:
                several = sum(x.kind == "bare" for x in headings) > 1
                bare_rank = outermost if outermost is not None else BARE_RANK if several else RANK["cn"]
            rank = bare_rank
        elif h.kind not in ("named", "asked"):  # a FAQ's 问 lines sit inside the document's parts
            outermost = rank if outermost is None else min(outermost, rank)
        if h.number is not None and h.kind != "bare":
            prev = [e for e in stack if e[0].kind == h.kind and e[0].number == h.number - 1]
            if prev:  # the next item of an open run, however deep that run is nested
                rank = prev[-1][1]
            elif h.number == 1 and _restarts_list(h, stack):
                rank = max(rank, stack[-1][1]) + 0.01  # nest in the open item
        while stack and stack[-1][1] >= rank:
            close(stack.pop()[2], h.start)
        parent = stack[-1][2] if stack else -1
        key = (parent, h.kind)
        if h.number is None and h.recovered:  # a marker fragment: number it after its siblings
            h.number = last_number.get(key, 0) + 1
        if h.number is not None:
            last_number[key] = h.number
        title = h.full_title()
        path = (sections[parent].path if parent >= 0 else ()) + (title,)
        sections.append(Section(title, len(path), h.start, h.line_end, path, h.kind, h.number))
        stack.append((h, rank, len(sections) - 1))
    for _, _, index in stack:
        close(index, body_end)
    return _addressed_at_part_level(text, sections), body_end


# A paragraph opening with an address to the delegates (各位代表！加强国防和军队建设…) speaks at its part's
# level: it ends the subsections open before it (156 of the 88 reports' 441 such paragraphs had been cited
# under the subsection before them, 国防 under （八）加强民主政治建设).
_ADDRESS_LINE = re.compile(rf"(?m)^[ \t\u3000]*{ADDRESS.pattern}")


def _addressed_at_part_level(text: str, sections: list[Section]) -> list[Section]:
    """``sections`` with every subsection ending before the first address paragraph inside it."""
    addresses = [m.start() for m in _ADDRESS_LINE.finditer(text)]
    ended = []
    for section in sections:
        inside = next((at for at in addresses if section.start < at < section.end), None)
        if section.level >= 2 and inside is not None:
            section = replace(section, end=_rstrip(text, inside))
        ended.append(section)
    return ended


def _restarts_list(h: Heading, stack: list[tuple[Heading, float, int]]) -> bool:
    """A list restarting at 一 inside an open run of its kind (nested at most two levels deep).

    The cap keeps runs like 一二三一二三一二三 from nesting ever deeper.
    """
    same = [rank for e, rank, _ in stack if e.kind == h.kind]
    return bool(same) and sum(rank != h.rank for rank in same) < 2


def _rstrip(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _closing_start(text: str, headings: list[Heading]) -> int:
    """Start of a closing address (各位代表！…) among the last three lines after the last heading.

    The closing is a call to the delegates, not part of the last section: passages there get no
    section and the period "other". A document ending with a named part (结束语) keeps it as is.
    """
    if headings and headings[-1].kind == "named":
        return len(text)
    after = headings[-1].line_end if headings else 0
    for start, _ in reversed(line_spans(text)[-3:]):
        if start >= after and ADDRESS.match(text, start):
            return start
    return len(text)


def parse_sections(text: str, outline: Sequence[tuple[int, int]] = ()) -> list[Section]:
    """Every heading's section, in document order (parents before their subsections).

    Text before the first heading (title, date, 各位代表：) and a closing address after the last
    heading belong to no section. Use ``section_at``/``section_path_at`` to look up an offset.
    """
    return _parse(text, outline)[0]


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section containing ``offset``, or None (the opening or closing words)."""
    i = bisect.bisect_right([s.start for s in sections], offset) - 1
    while i >= 0:  # sections nest, so the nearest one before that still contains it is innermost
        if sections[i].start <= offset < sections[i].end:
            return sections[i]
        i -= 1
    return None


def section_path_at(sections: list[Section], offset: int) -> tuple[str, ...]:
    """Heading titles from the top down to the innermost section containing ``offset``."""
    section = section_at(sections, offset)
    return section.path if section else ()


def section_periods(sections: list[Section], work_report: bool = True) -> list[Period]:
    """The period of each section (parallel to ``sections``), decided from the heading path.

    A top-level heading's words decide for it and everything under it (table ``_PERIOD_RULES``).
    A top-level heading with no period words is a review when it comes first (reports open with what
    was done) and a task area ("plan") after a section that named what was done, by its words or a
    year (today's 一、2025年工作回顾 / 二、… / 三、…; 2002's 首先报告２００１年的工作). A report that
    names neither first (1979's 伟大的历史性转变, 1987's 当前国内形势和基本任务) tells of the year
    done and the year ahead in each later section: those are "other". Only under an undecided or
    mixed heading do a subsection's own words count. Review and plan are a work report's parts: in
    any other document every section is "other" (a regulation's 第二章 规划和建设 is urban planning,
    a summary's 一、主要工作成效 what was done, whatever the report words 规划 and 主要工作 would say).
    """
    if not work_report:
        return ["other"] * len(sections)
    periods: list[Period] = []
    open_: list[tuple[int, Period, bool]] = []  # (level, period, decided) of the ancestors
    first, review_named = True, False
    for s in sections:
        while open_ and open_[-1][0] >= s.level:
            open_.pop()
        own, mixed = _classify(s.title)
        if not open_:
            by_place: Period = "review" if first else "plan" if review_named else "other"
            period: Period = own or by_place
            decided = own is not None and not mixed
            # The first section's heading naming a year (首先报告２００１年的工作) tells of that year.
            review_named = review_named or own == "review" or (first and bool(years_spoken_of(s.title, ())))
            first = first and period not in ("review", "plan")
        elif open_[-1][2]:
            period, decided = open_[-1][1], True
        else:
            period, decided = own or open_[-1][1], own is not None and not mixed
        periods.append(period)
        open_.append((s.level, period, decided))
    return periods


# Last year told in the plan part, up to the paragraph's end or a sentence of this year: "三、2011年的
# 工作" opens with "过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%…" (2010's results), which
# had answered "2011年国内生产总值增长目标是多少？" as a plan.
_REVIEW_OPENING = re.compile(r"^\s*(?:过去一年|一年来|去年|上年|刚刚过去的一年)")
_PLAN_OPENING = re.compile(r"^\s*(?:今年|明年|新的一年|\d{4}年(?:是|，|,)|要|将)")


def sentence_periods(passage: Passage, spans: Sequence[Sequence[int]]) -> list[Period]:
    """The period of each sentence of ``passage``: its passage's, but review within a plan passage
    from a sentence opening with 过去一年 or 去年 to the paragraph's end or a sentence opening with
    今年."""
    periods: list[Period] = []
    current = passage.period
    for n, (start, end) in enumerate(spans):
        sentence = passage.text[start:end]
        if n and "\n" in passage.text[spans[n - 1][1] : start]:
            current = passage.period  # a new paragraph
        if passage.period == "plan" and _REVIEW_OPENING.match(sentence):
            current = "review"
        elif _PLAN_OPENING.match(sentence):
            current = passage.period
        periods.append(current)
    return periods


def build_passages(doc: Document, min_chars: int = 80, max_chars: int = 250) -> list[Passage]:
    """Passages of consecutive sentences, each inside one section, roughly min..max characters.

    A segment (heading to next heading) is cut at sentence ends; a short piece joins the next
    sentence even past ``max_chars`` so a heading always leads its first passage; a sentence
    longer than ``2 * max_chars`` is cut at clause marks; a short tail joins the passage before
    when that stays under ``1.3 * max_chars``. ``passage.text == doc.text[start:end]`` always.
    """
    text, doc_id = doc.text, doc.doc_id  # doc_id hashes the whole text: compute it once
    sections, body_end = _parse(text, doc.outline)
    # Only a work report is laid out as what was done, then what is to be done (all 89 reports here
    # are titled …工作报告); a regulation's or a manual's later sections are no plan.
    periods = section_periods(sections, work_report=document_kind(doc.title) == "work_report")
    by_start = {s.start: (s, p) for s, p in zip(sections, periods, strict=True)}
    # Where a subsection ended early (an address paragraph), its part's text goes on.
    resumed = [s.end for s in sections if s.level >= 2 and not _next_heading_at(text, s.end, by_start)]
    bounds = sorted({0, body_end, len(text), *by_start, *resumed})
    passages: list[Passage] = []
    for seg_start, seg_end in itertools.pairwise(bounds):
        own = section_at(sections, seg_start) if seg_start not in by_start else by_start[seg_start][0]
        section, period = by_start.get(own.start, (None, "other")) if own else (None, "other")
        for start, end in _group(text, seg_start, seg_end, min_chars, max_chars):
            passages.append(
                Passage(
                    doc_id=doc_id,
                    document=doc.title,
                    section=list(section.path) if section else [],
                    period=period,
                    start=start,
                    end=end,
                    text=text[start:end],
                    passage_id=f"{doc_id}:{len(passages):04d}",
                )
            )
    return passages


def _next_heading_at(text: str, end: int, by_start: dict[int, Any]) -> bool:
    """Whether only white space lies between ``end`` and a heading (a section that ended as usual)."""
    at = end
    while at < len(text) and text[at].isspace():
        at += 1
    return at >= len(text) or at in by_start


def _group(text: str, start: int, end: int, min_chars: int, max_chars: int) -> list[tuple[int, int]]:
    """Greedy grouping of the sentences in ``text[start:end]`` into passage spans."""
    units: list[tuple[int, int]] = []
    for s, e in split_sentences(text, start, end):
        units.extend(_clauses(text, s, e, max_chars) if e - s > 2 * max_chars else [(s, e)])
    groups: list[tuple[int, int]] = []
    for s, e in units:
        if groups and (e - groups[-1][0] <= max_chars or groups[-1][1] - groups[-1][0] < min_chars):
            groups[-1] = (groups[-1][0], e)
        else:
            groups.append((s, e))
    short_tail = len(groups) >= 2 and groups[-1][1] - groups[-1][0] < min_chars
    if short_tail and groups[-1][1] - groups[-2][0] <= 1.3 * max_chars:
        groups[-2:] = [(groups[-2][0], groups[-1][1])]
    return groups


def _clauses(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """An over-long sentence cut after clause marks (，、：) into pieces of at most ``max_chars``."""
    cuts = [m.end() for m in _CLAUSE_END.finditer(text, start, end)] + [end]
    pieces: list[tuple[int, int]] = []
    s = prev = start
    for cut in cuts:
        if cut - s > max_chars and prev > s:
            pieces.append((s, prev))
            s = prev
        while cut - s > max_chars:  # one clause longer than a passage: cut it bluntly
            pieces.append((s, s + max_chars))
            s += max_chars
        prev = cut
    pieces.append((s, end))
    return [span for s, e in pieces if (span := trim(text, s, e))]

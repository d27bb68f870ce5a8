"""Document structure: headings -> sections -> passages, each with a period (review / plan / other).

Chinese official documents number headings by kind (第X章 > 一、 > （一） > 1. > （1）). Nesting is
decided by rank: a heading closes every open section of the same or a deeper rank. Web copies lose
numbering (“（二）” dropped, “）旗帜鲜明讲政治” missing its “（一”); such headings are recovered from
what survives and from their numbered siblings. A recovered title shows the recovered number,
while offsets always point at the real text.

Passages are consecutive sentences of one *segment*, the text from one heading to the next, so a
passage never crosses a section boundary and a heading line starts its section's first passage.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from qa.schema import Document, Passage, Period
from qa.text.sentences import CLOSERS, TERMINATORS, split_sentences

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


_ADDRESS = re.compile(r"(?:各位代表|代表们|同志们|各位委员)")
_TITLE_END = re.compile(r"[。！？；!?;：:]")
_CLAUSE_END = re.compile(r"[，,、：:]")
_TITLE_CLAUSE_END = re.compile(r"[，,：:]")
_SPACES = re.compile(r"\s+")
_COMMA = re.compile(r"[，,]")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_CN = "一二三四五六七八九十百零〇两"
MAX_TITLE = 40  # a heading's title (its first sentence, without the marker) is at most this long
BARE_RANK = 1.5  # unnumbered part headings (several, before any number) sit above 一、
_GAP = r"[ \t\u3000\xa0]*"  # spaces after a marker (NBSP in web copies)

# Numbered heading markers at a line start, outermost first: (kind, marker, rank). Lower rank =
# outer, equal ranks are siblings. 一、 may stand alone on a line (old reports number parts with a
# bare 二); an arabic marker must not be followed by a digit (1.6亿元 is no heading).
_KINDS = tuple(
    (name, re.compile(marker + _GAP), rank)
    for name, marker, rank in (
        ("chapter", rf"第(?P<num>[{_CN}\d]{{1,4}})(?:章|部分|编)", 0),
        ("named", r"(?:结束语|结语|名词解释|注释|附录|附件|附表)\s*\d*[:：]?$", 0),
        ("subchapter", rf"第(?P<num>[{_CN}\d]{{1,4}})节", 1),
        ("article", rf"第(?P<num>[{_CN}\d]{{1,5}})条", 2),
        ("cn", rf"(?P<num>[{_CN}]{{1,3}})(?:、|$)", 2),
        ("paren_cn", rf"[（(](?P<num>[{_CN}]{{1,3}})[）)]", 3),
        ("ordinal", rf"第(?P<num>[{_CN}]{{1,3}})[、，,]", 3),
        ("arabic", rf"(?P<num>\d{{1,2}})[.、．](?!{_GAP}\d)", 4),
        ("paren_arabic", r"[（(](?P<num>\d{1,2})[）)]", 5),
    )
)
_RANK = {name: rank for name, _, rank in _KINDS}
_ARABIC_KINDS = {"arabic", "paren_arabic"}
# Weak markers also number plain lists, so they start a heading only in a run with a short title.
_WEAK = ("ordinal", "arabic", "paren_arabic")
# Markers that lost characters in a web copy: what survives -> the kind it belonged to.
_FRAGMENTS = (
    (re.compile(rf"(?P<num>[{_CN}]{{1,3}})(?P<close>[）)]){_GAP}"), "paren_cn"),  # “（” lost
    (re.compile(rf"(?P<close>[）)]){_GAP}"), "paren_cn"),  # “（一” lost (never “（1”: rarer)
    (re.compile(rf"、{_GAP}"), "cn"),  # “三” lost
)


@dataclass
class _Heading:
    start: int  # first character of the heading line
    line_end: int
    kind: str  # a _KINDS name or "bare" (no number at all)
    number: int | None
    marker: str  # as written ("" when bare or recovered)
    title: str  # the title after the marker, as written (clipped to its first sentence)
    short: bool = True
    style: str = ""  # how this kind's marker is written here, "{}" for the number
    recovered: bool = False  # the marker is rebuilt from style and number

    @property
    def rank(self) -> float:
        return _RANK.get(self.kind, BARE_RANK)

    def full_title(self) -> str:
        marker = self.marker
        if self.recovered and self.number is not None:
            n = str(self.number) if self.kind in _ARABIC_KINDS else _int_to_cn(self.number)
            marker = self.style.format(n)
        return _SPACES.sub(" ", marker + self.title)  # NBSP/ideographic spaces read as one space


def _cn_to_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    total = cur = 0
    for ch in s:
        if ch in "十百":
            total += (cur or 1) * (10 if ch == "十" else 100)
            cur = 0
        else:
            cur = int(ch) if ch.isdigit() else digits[ch]
    return total + cur


def _int_to_cn(n: int) -> str:
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 100:
        return ("" if n < 20 else d[n // 10]) + "十" + (d[n % 10] if n % 10 else "")
    return str(n)


def _title_of(rest: str) -> tuple[str, bool]:
    """The title at the start of ``rest`` (its first sentence, clipped) and whether it is short."""
    m = _TITLE_END.search(rest)
    title = (rest[: m.start()] if m else rest).rstrip()
    if len(title) <= MAX_TITLE:
        return title, True
    clause = _TITLE_CLAUSE_END.search(title, 1, MAX_TITLE + 1)
    return title[: clause.start() if clause else MAX_TITLE], False


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINATORS


def _numbered(line: str, start: int, end: int) -> _Heading | None:
    for name, pattern, _ in _KINDS:
        m = pattern.match(line)
        if not m:
            continue
        if name == "named":
            return _Heading(start, end, "named", None, "", line)
        num = m.group("num")
        marker = line[: m.end()]
        title, short = _title_of(line[m.end() :])
        style = marker.rstrip()[: m.start("num")] + "{}" + marker.rstrip()[m.end("num") :]
        number = int(num) if name in _ARABIC_KINDS else _cn_to_int(num)
        return _Heading(start, end, name, number, marker, title, short, style)
    return None


def _fragment(line: str, start: int, end: int, after_break: bool) -> _Heading | None:
    """A heading whose marker lost characters; without a surviving number only after a sentence end."""
    for pattern, kind in _FRAGMENTS:
        m = pattern.match(line)
        if not m or (m.groupdict().get("num") is None and not after_break):
            continue
        title, short = _title_of(line[m.end() :])
        if not short or not _HAS_CJK.match(title):
            return None
        close = m.groupdict().get("close")
        style = "{}、" if close is None else ("({})" if close == ")" else "（{}）")
        num = m.groupdict().get("num")
        return _Heading(start, end, kind, _cn_to_int(num) if num else None, "", title, True, style, True)
    return None


def _is_bare(line: str) -> bool:
    """A short line without sentence punctuation: maybe a heading that lost its number."""
    return (
        2 <= len(line) <= MAX_TITLE
        and _HAS_CJK.search(line) is not None
        and not _TITLE_END.search(line)
        and line[-1] not in "，,、"
        and not line.startswith(("—", "-"))
        and not _ADDRESS.match(line)
    )


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content, surrounding whitespace excluded, blank lines skipped."""
    return [span for m in re.finditer(r"[^\n]+", text) if (span := _trim(text, *m.span()))]


def _find_headings(text: str) -> list[_Heading]:
    """Headings in document order: numbered, named, marker fragments, recovered and bare ones."""
    lines = _lines(text)
    found: list[_Heading] = []
    bare: list[tuple[_Heading, bool]] = []  # candidate, whether it may stand alone
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        after_sentence = i > 0 and _ends_sentence(text[lines[i - 1][0] : lines[i - 1][1]])
        after_heading = bool(found) and found[-1].line_end == lines[i - 1][1]
        h = _numbered(line, s, e) or _fragment(line, s, e, i == 0 or after_sentence or after_heading)
        if h is not None:
            found.append(h)
        elif i + 1 < len(lines) and _is_bare(line):
            # Alone (no numbered siblings to vouch for it) it must look like a title: after a
            # finished sentence, no comma, not dangling (…发展的), not followed by another short line.
            alone = (
                after_sentence
                and not _COMMA.search(line)
                and line[-1] not in "的和与及"
                and not _is_bare(text[lines[i + 1][0] : lines[i + 1][1]])
            )
            bare.append((_Heading(s, e, "bare", None, "", line), alone))
    found = _accept_weak(found)
    recovered = _recover_numbers(found, [b for b, _ in bare])
    standalone = [b for b, ok in bare if ok and not b.recovered]
    return sorted(found + recovered + standalone, key=lambda h: h.start)


def _accept_weak(found: list[_Heading]) -> list[_Heading]:
    """Keep weak-marker lines (第一， 1. （1）) that sit in a numbered run with a short title.

    “1. 持续拓宽生态绿核全面贯彻林长制,落实…” lost its 。 but its run 1. 2. 3. has a short
    “2. 持续推进水系治理。”; a run of long numbered paragraphs (a list of measures) is body text.
    """
    keep = {id(h) for h in found if h.kind not in _WEAK}

    def settle(run: list[_Heading]) -> None:
        if any(h.short for h in run):
            keep.update(id(h) for h in run)

    for name in _WEAK:
        run: list[_Heading] = []
        for h in found:
            if h.kind == name and run and h.number == (run[-1].number or 0) + 1:
                run.append(h)
            elif h.kind == name:
                settle(run)
                run = [h]
            elif h.kind not in _WEAK and h.rank < _RANK[name]:
                settle(run)
                run = []
        settle(run)
    return [h for h in found if id(h) in keep]


def _recover_numbers(found: list[_Heading], bare: list[_Heading]) -> list[_Heading]:
    """Bare lines that fill a gap in a numbered run: （一）, bare, （三） makes the bare line （二）.

    A gap of n missing numbers between two siblings (no outer heading in between) must hold
    exactly n bare lines; a missing first number counts from the start of the parent.
    """
    starts = [h.start for h in found]
    bare_starts = [b.start for b in bare]
    kinds = sorted({h.kind for h in found if h.number is not None}, key=_RANK.get, reverse=True)
    out = []
    for b in bare:
        i = bisect.bisect_left(starts, b.start)
        for name in kinds:
            prev, lo = _sibling(found, range(i - 1, -1, -1), name)
            nxt, _ = _sibling(found, range(i, len(found)), name)
            if nxt is None or nxt.number is None or (prev is not None and prev.number is None):
                continue
            first = prev.number if prev else 0
            gap_start = bisect.bisect_right(bare_starts, prev.start if prev else lo)
            gap = bisect.bisect_left(bare_starts, nxt.start) - gap_start  # bare lines between them
            if nxt.number - first - 1 == gap:
                b.kind, b.recovered, b.style = name, True, nxt.style
                b.number = first + 1 + bisect.bisect_left(bare_starts, b.start) - gap_start
                out.append(b)
                break
    return out


def _sibling(found: list[_Heading], order: range, name: str) -> tuple[_Heading | None, int]:
    """The first heading of kind ``name`` in ``order`` before an outer one, and where that one is."""
    for h in (found[j] for j in order):
        if h.kind == name:
            return h, -1
        if h.rank < _RANK[name]:
            return None, h.start
    return None, -1


# Period rules, first match wins; tried on a heading's title. "other" before review/plan, so a
# closing or the government's self-building part is not taken for a plan; review before plan,
# so "2022年工作回顾和2023年工作的总体要求" counts as review (its subsections can refine it).
_PERIOD_RULES: tuple[tuple[Period, re.Pattern[str]], ...] = (
    ("other", re.compile(r"结束语|结语|名词解释|注释|附录|附件|附表")),
    ("other", re.compile(r"政府自身|自身建设|政府治理|人民.{0,4}满意|满意的?政府|服务型政府|法治型政府")),
    ("review", re.compile(r"回顾|过去|成绩|成就|执行情况|决算|一年来|五年来|取得")),
    ("plan", re.compile(r"目标|安排|任务|总体要求|政策取向|今年|明年|计划|规划|部署|建议|重点工作|主要工作")),
    ("plan", re.compile(r"展望|预算|考虑")),
)


def _classify(title: str) -> tuple[Period | None, bool]:
    """The period a heading's own words give (None when they say nothing) and whether it is mixed."""
    hits = [period for period, rule in _PERIOD_RULES if rule.search(title)]
    if not hits:
        return None, False
    return hits[0], hits[0] == "review" and "plan" in hits


def _parse(text: str) -> tuple[list[Section], int]:
    """Sections in document order, and where the body ends (a closing address starts there)."""
    headings = _find_headings(text)
    body_end = _closing_start(text, headings)
    sections: list[Section] = []
    stack: list[tuple[_Heading, float, int]] = []  # heading, effective rank, index in sections
    last_number: dict[tuple[int, str], int] = {}  # (parent index, kind) -> last sibling number
    outermost: float | None = None  # outermost numbered rank seen so far
    bare_rank: float | None = None

    def close(index: int, at: int) -> None:
        end = max(sections[index].start, _rstrip(text, at))
        sections[index] = _replace_end(sections[index], end)

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
                bare_rank = outermost if outermost is not None else BARE_RANK if several else _RANK["cn"]
            rank = bare_rank
        elif h.kind != "named":
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
        sections.append(Section(title, len(path), h.start, h.line_end, path))
        stack.append((h, rank, len(sections) - 1))
    for _, _, index in stack:
        close(index, body_end)
    return sections, body_end


def _restarts_list(h: _Heading, stack: list[tuple[_Heading, float, int]]) -> bool:
    """A list restarting at 一 inside an open run of its kind (nested at most two levels deep).

    The cap keeps runs like 一二三一二三一二三 from nesting ever deeper.
    """
    same = [rank for e, rank, _ in stack if e.kind == h.kind]
    return bool(same) and sum(rank != h.rank for rank in same) < 2


def _replace_end(s: Section, end: int) -> Section:
    return Section(s.title, s.level, s.start, end, s.path)


def _rstrip(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _closing_start(text: str, headings: list[_Heading]) -> int:
    """Start of a closing address (各位代表！…) among the last three lines after the last heading.

    The closing is a call to the delegates, not part of the last section: passages there get no
    section and the period "other". A document ending with a named part (结束语) keeps it as is.
    """
    if headings and headings[-1].kind == "named":
        return len(text)
    after = headings[-1].line_end if headings else 0
    for start, _ in reversed(_lines(text)[-3:]):
        if start >= after and _ADDRESS.match(text, start):
            return start
    return len(text)


def parse_sections(text: str) -> list[Section]:
    """Every heading's section, in document order (parents before their subsections).

    Text before the first heading (title, date, 各位代表：) and a closing address after the last
    heading belong to no section. Use ``section_at``/``section_path_at`` to look up an offset.
    """
    return _parse(text)[0]


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


def section_periods(sections: list[Section]) -> list[Period]:
    """The period of each section (parallel to ``sections``), decided from the heading path.

    A top-level heading's words decide for it and everything under it (table ``_PERIOD_RULES``).
    A top-level heading with no period words is a review when it comes first (reports open with
    what was done) and a task area ("plan") after that. Only under an undecided or mixed heading
    do a subsection's own words count.
    """
    periods: list[Period] = []
    open_: list[tuple[int, Period, bool]] = []  # (level, period, decided) of the ancestors
    seen_review_or_plan = False
    for s in sections:
        while open_ and open_[-1][0] >= s.level:
            open_.pop()
        own, mixed = _classify(s.title)
        if not open_:
            period: Period = own or ("plan" if seen_review_or_plan else "review")
            decided = own is not None and not mixed
            seen_review_or_plan = seen_review_or_plan or period in ("review", "plan")
        elif open_[-1][2]:
            period, decided = open_[-1][1], True
        else:
            period, decided = own or open_[-1][1], own is not None and not mixed
        periods.append(period)
        open_.append((s.level, period, decided))
    return periods


def build_passages(doc: Document, min_chars: int = 80, max_chars: int = 250) -> list[Passage]:
    """Passages of consecutive sentences, each inside one section, roughly min..max characters.

    A segment (heading to next heading) is cut at sentence ends; a short piece joins the next
    sentence even past ``max_chars`` so a heading always leads its first passage; a sentence
    longer than ``2 * max_chars`` is cut at clause marks; a short tail joins the passage before
    when that stays under ``1.3 * max_chars``. ``passage.text == doc.text[start:end]`` always.
    """
    text, doc_id = doc.text, doc.doc_id  # doc_id hashes the whole text: compute it once
    sections, body_end = _parse(text)
    periods = section_periods(sections)
    by_start = {s.start: (s, p) for s, p in zip(sections, periods, strict=True)}
    bounds = sorted({0, body_end, len(text), *by_start})
    passages: list[Passage] = []
    for seg_start, seg_end in itertools.pairwise(bounds):
        section, period = by_start.get(seg_start, (None, "other"))
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
    return [span for s, e in pieces if (span := _trim(text, s, e))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None

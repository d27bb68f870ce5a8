"""Headings: which lines of a report are headings, of what kind, with what number.

Chinese official documents number headings by kind (第X章 > 一、 > （一） > 1. > （1））; ``RANK`` orders the
kinds, outermost first. Web copies lose numbering (“（二）” dropped, “）旗帜鲜明讲政治” missing its “（一”);
such headings are recovered from what survives and from their numbered siblings. A recovered title
shows the recovered number, while offsets always point at the real text. How headings nest into
sections is ``qa.ingest.structure``'s job.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.text.normalize import CJK_CHAR
from qa.text.numerals import chinese_numeral, parse_numeral
from qa.text.sentences import CLOSERS, SEPARATING_COLON, TERMINATORS

__all__ = ["ADDRESS", "BARE_RANK", "MAX_TITLE", "RANK", "Heading", "find_headings", "line_spans", "trim"]

# How a speaker addresses the delegates: such a line is no heading, and ends the body when it closes it.
ADDRESS = re.compile(r"(?:各位代表|代表们|同志们|各位委员)")
# A colon between digits is a time or a ratio (下午14:30, 1:1), and a comma a thousands separator
# (136,800元): neither ends a title.
_TITLE_END = re.compile(rf"[。！？；!?;]|{SEPARATING_COLON}")
_TITLE_CLAUSE_END = re.compile(rf"，|(?<!\d),|,(?!\d)|{SEPARATING_COLON}")
_SPACES = re.compile(r"\s+")
_COMMA = re.compile(r"[，,]")
_ATTACHMENTS = re.compile(r"\s*附件\s*[:：]\s*1\s*[.．、]")
# A guide's label on a line of its own (【办理材料】, 【收费标准】): a heading wherever it stands, even
# right after the title where no sentence has ended yet. A news dateline or source in the same
# brackets (【新华社北京3月5日电 记者王某】, 【本报讯】, 【央视新闻客户端】) names no section.
_BRACKETED = re.compile(r"【[^【】]+】")
_DATELINE = re.compile(r"日电|报讯|网讯|社讯|记者|通讯员|客户端")
_CN = "一二三四五六七八九十百零〇两"
MAX_TITLE = 40  # a heading's title (its first sentence, without the marker) is at most this long
BARE_RANK = 1.5  # unnumbered part headings (several, before any number) sit above 一、
OUTLINE_OFFSET = 10  # a marked level's rank is level - this: outside every numbered kind
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
RANK = {name: rank for name, _, rank in _KINDS}
# The 问 line of a question-and-answer pair, numbered or not: "问：…", "5.问：…", "（五）问：…", "问题3：…",
# "Q2: …". In a document of two or more (a FAQ, an interview) each opens a section of its own, inside
# whatever numbered part it stands in: its answer is cited under it, not run into the next pair's.
QUESTION_LINE = re.compile(
    r"^(?:[（(]?[0-9一二三四五六七八九十]{1,3}[)）.、．]\s*)?(?:问题?\s*\d*|Q\s*\d*)\s*[：:]", re.I
)
ASKED_RANK = max(RANK.values()) + 1
_ARABIC_KINDS = {"arabic", "paren_arabic"}
# Weak markers also number plain lists, so they start a heading only in a run with a short title.
_WEAK = ("ordinal", "arabic", "paren_arabic")
# A chapter or section is named, never explained: a long sentence after 第十一章 refers to the chapter
# ("第十一章所列目标任务，由县发展和改革局…分解落实。"), unlike an article (第五条), whose text follows it.
_NAMED_ONLY = ("chapter", "subchapter")
# Markers that lost characters in a web copy: what survives -> the kind it belonged to.
_FRAGMENTS = (
    (re.compile(rf"(?P<num>[{_CN}]{{1,3}})(?P<close>[）)]){_GAP}"), "paren_cn"),  # “（” lost
    (re.compile(rf"(?P<close>[）)]){_GAP}"), "paren_cn"),  # “（一” lost (never “（1”: rarer)
    (re.compile(rf"、{_GAP}"), "cn"),  # “三” lost
)


@dataclass
class Heading:
    """A heading line: where it is, its kind and number, and its title."""

    start: int  # first character of the heading line
    line_end: int
    kind: str  # a _KINDS name, "bare" (no number at all) or "asked" (a FAQ's 问 line)
    number: int | None
    marker: str  # as written ("" when bare or recovered)
    title: str  # the title after the marker, as written (clipped to its first sentence)
    short: bool = True
    style: str = ""  # how this kind's marker is written here, "{}" for the number
    recovered: bool = False  # the marker is rebuilt from style and number
    level: int | None = None  # the level the file's markup gives it (Word's Heading 2, ##, <h2>)

    @property
    def rank(self) -> float:
        """Nesting rank: a marked level outside every numbered kind (一、 under ## nests below it),
        else the kind's; lower is outer, equal ranks are siblings."""
        if self.level is not None:
            return self.level - OUTLINE_OFFSET
        return ASKED_RANK if self.kind == "asked" else RANK.get(self.kind, BARE_RANK)

    def full_title(self) -> str:
        """The title as shown: marker (a recovered one rebuilt from style and number) and title."""
        marker = self.marker
        if self.recovered and self.number is not None:
            n = str(self.number) if self.kind in _ARABIC_KINDS else chinese_numeral(self.number)
            marker = self.style.format(n)
        return _SPACES.sub(" ", marker + self.title)  # NBSP/ideographic spaces read as one space


def _title_of(rest: str) -> tuple[str, bool]:
    """The title at the start of ``rest`` (its first sentence, clipped) and whether it is short."""
    m = _TITLE_END.search(rest)
    title = (rest[: m.start()] if m else rest).rstrip()
    if len(title) <= MAX_TITLE:
        return _before_open_bracket(title), True
    clause = _TITLE_CLAUSE_END.search(title, 1, MAX_TITLE + 1)
    return _before_open_bracket(title[: clause.start() if clause else MAX_TITLE]), False


def _before_open_bracket(title: str) -> str:
    """A title cut inside brackets ends before them: 月租金为3,800元（大写：… → 月租金为3,800元."""
    opened = max(title.rfind("（"), title.rfind("("))
    closed = max(title.rfind("）"), title.rfind(")"))
    return title[:opened].rstrip() if opened > 0 and closed < opened else title


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINATORS


def _numbered(line: str, start: int, end: int) -> Heading | None:
    for name, pattern, _ in _KINDS:
        m = pattern.match(line)
        if not m:
            continue
        if name == "named":
            return Heading(start, end, "named", None, "", line)
        num = m.group("num")
        marker = line[: m.end()]
        title, short = _title_of(line[m.end() :])
        if name in _NAMED_ONLY and not short:
            return None
        style = marker.rstrip()[: m.start("num")] + "{}" + marker.rstrip()[m.end("num") :]
        try:
            number = int(parse_numeral(num))
        except ValueError:  # 十十、 or 百、: the marker's characters, but no number
            continue
        return Heading(start, end, name, number, marker, title, short, style)
    return None


def _fragment(line: str, start: int, end: int, after_break: bool) -> Heading | None:
    """A heading whose marker lost characters; without a surviving number only after a sentence end."""
    for pattern, kind in _FRAGMENTS:
        m = pattern.match(line)
        if not m or (m.groupdict().get("num") is None and not after_break):
            continue
        title, short = _title_of(line[m.end() :])
        if not short or not CJK_CHAR.match(title):
            return None
        close = m.groupdict().get("close")
        style = "{}、" if close is None else ("({})" if close == ")" else "（{}）")
        num = m.groupdict().get("num")
        try:
            number = int(parse_numeral(num)) if num else None
        except ValueError:
            return None
        return Heading(start, end, kind, number, "", title, True, style, True)
    return None


def _is_bare(line: str) -> bool:
    """A short line without sentence punctuation: maybe a heading that lost its number."""
    return (
        2 <= len(line) <= MAX_TITLE
        and CJK_CHAR.search(line) is not None
        and not _TITLE_END.search(line)
        and line[-1] not in "，,、"
        and not line.startswith(("—", "-"))
        and not ADDRESS.match(line)
    )


def _stands_alone(line: str, next_line: str, after_sentence: bool) -> bool:
    """Whether a bare ``line`` is a heading with no numbered siblings to vouch for it: it must look
    like a title, with no comma, and be a label in 【】 (wherever it stands) or follow a finished
    sentence, not dangle (…发展的) and not be followed by another short line."""
    if _COMMA.search(line):
        return False
    if _BRACKETED.fullmatch(line) and not _DATELINE.search(line):
        return True
    return after_sentence and line[-1] not in "的和与及" and not _is_bare(next_line)


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content, surrounding whitespace excluded, blank lines skipped."""
    return [span for m in re.finditer(r"[^\n]+", text) if (span := trim(text, *m.span()))]


def find_headings(text: str, outline: Sequence[tuple[int, int]] = ()) -> list[Heading]:
    """Headings in document order: those the file's markup marks (``outline``: line start, level),
    numbered, named, marker fragments, recovered and bare ones. Where markup marks headings (more
    than the title), no unnumbered line is guessed to be one."""
    lines = line_spans(text)
    marks = _sections_marked(lines, outline)
    asked = [(s, e) for s, e in lines if QUESTION_LINE.match(text[s:e])]
    pairs = {s for s, _ in asked} if len(asked) >= 2 else set()
    found: list[Heading] = []
    bare: list[tuple[Heading, bool]] = []  # candidate, whether it may stand alone
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if s in marks:
            found.append(Heading(s, e, "outline", None, "", _title_of(line)[0], level=marks[s]))
            continue
        if s in pairs:  # the whole question is its title: a section path shows what it answers
            found.append(
                Heading(s, e, "asked", None, "", _SPACES.sub(" ", line), short=len(line) <= MAX_TITLE)
            )
            continue
        after_sentence = i > 0 and _ends_sentence(text[lines[i - 1][0] : lines[i - 1][1]])
        after_heading = bool(found) and found[-1].line_end == lines[i - 1][1]
        h = _numbered(line, s, e) or _fragment(line, s, e, i == 0 or after_sentence or after_heading)
        if h is not None:
            found.append(h)
        elif not marks and i + 1 < len(lines) and _is_bare(line):
            alone = _stands_alone(line, text[slice(*lines[i + 1])], after_sentence)
            bare.append((Heading(s, e, "bare", None, "", line), alone))
    found = _without_list_items(text, _accept_weak(found))
    recovered = _recover_numbers(found, [b for b, _ in bare])
    standalone = [b for b, ok in bare if ok and not b.recovered]
    return sorted(found + recovered + standalone, key=lambda h: h.start)


def _sections_marked(lines: list[tuple[int, int]], outline: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Line start -> level of the marked headings, but the document's title: a first line that is
    the only one of the outermost level (# 石岭县2024年政府工作报告 above ## 2023年工作回顾 …)."""
    marks = dict(outline)
    if lines and lines[0][0] in marks:
        top = min(marks.values())
        if marks[lines[0][0]] == top and sum(level == top for level in marks.values()) == 1:
            del marks[lines[0][0]]
    return marks


def _accept_weak(found: list[Heading]) -> list[Heading]:
    """Keep weak-marker lines (第一， 1. （1）) that sit in a numbered run with a short title.

    “1. 持续拓宽生态绿核全面贯彻林长制,落实…” lost its 。 but its run 1. 2. 3. has a short
    “2. 持续推进水系治理。”; a run of long numbered paragraphs (a list of measures) is body text.
    """
    keep = {id(h) for h in found if h.kind not in _WEAK}

    def settle(run: list[Heading]) -> None:
        if any(h.short for h in run):
            keep.update(id(h) for h in run)

    for name in _WEAK:
        run: list[Heading] = []
        for h in found:
            if h.kind == name and run and h.number == (run[-1].number or 0) + 1:
                run.append(h)
            elif h.kind == name:
                settle(run)
                run = [h]
            elif h.kind not in _WEAK and h.rank < RANK[name]:
                settle(run)
                run = []
        settle(run)
    return [h for h in found if id(h) in keep]


def _without_list_items(text: str, found: list[Heading]) -> list[Heading]:
    """Drop the numbered lines that are items of a list, not headings: an item ends with a
    semicolon, as no heading does ("（一）机关、学校、医院；" under "禁止携犬进入下列场所：";
    "一、节约能源，降低消耗；" in a report's paragraph), and the next number of the same kind right
    after an item is the list's last item ("（三）公共交通工具……除外。")."""
    kept: list[Heading] = []
    item: Heading | None = None
    for h in found:
        follows = item is not None and h.kind == item.kind and h.number == (item.number or 0) + 1
        # A notice's list of attachments: "附件：1.…一览表" then "2.…联系方式" (its 落款 had been filed
        # under that second item as a subsection).
        line_before = text[text.rfind("\n", 0, max(0, h.start - 1)) + 1 : h.start]
        follows = follows or (
            h.kind == "arabic" and h.number == 2 and _ATTACHMENTS.match(line_before) is not None
        )
        item_like = text[h.start : h.line_end].rstrip(CLOSERS).endswith(("；", ";")) or follows
        if item_like and h.kind != "outline":
            item = h
            continue
        kept.append(h)
        item = None
    return kept


def _recover_numbers(found: list[Heading], bare: list[Heading]) -> list[Heading]:
    """Bare lines that fill a gap in a numbered run: （一）, bare, （三） makes the bare line （二）.

    A gap of n missing numbers between two siblings (no outer heading in between) must hold
    exactly n bare lines; a missing first number counts from the start of the parent.
    """
    starts = [h.start for h in found]
    bare_starts = [b.start for b in bare]
    kinds = sorted({h.kind for h in found if h.number is not None}, key=RANK.get, reverse=True)
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


def _sibling(found: list[Heading], order: range, name: str) -> tuple[Heading | None, int]:
    """The first heading of kind ``name`` in ``order`` before an outer one, and where that one is."""
    for h in (found[j] for j in order):
        if h.kind == name:
            return h, -1
        if h.rank < RANK[name]:
            return None, h.start
    return None, -1


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` with surrounding whitespace excluded, or None when only whitespace is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None

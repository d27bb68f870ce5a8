"""Lines a layout wrapped, joined back into the paragraphs they were cut from.

A PDF's text layer (and a text copied out of one) breaks every line at the page's width, so a
sentence runs over two or three lines, and everything downstream reads a line end as the end of a
sentence: an answer would quote "…建设紫帽消防救援站,启动安置小区消防安全提升工程,为辖区所". Such a
text shows its wrap width: many lines fill it, and most of those end inside a sentence. A text with
one paragraph per line (a .txt report, a web page, a Word file) shows no such width and is left as
it is. Widths are measured as shown (a CJK character or mark 2 columns, an ASCII one 1): digits and
Latin letters are narrower, so a full line holds more of them.
"""

from __future__ import annotations

import re
import unicodedata

from qa.text.sentences import CLOSERS, TERMINATORS
from qa.text.units import UNITS

__all__ = ["join_broken_lines", "join_wrapped_lines"]

# A line ending in one of these ends a sentence (or a salutation's colon): the next one starts anew.
# Closing quotes and brackets count only after one of them (“…。” ends; “铁脚板” does not).
_ENDS = tuple(TERMINATORS + "：:…")
_CLOSERS = CLOSERS + "\"'"
MIN_LINES = 8  # too few lines to tell a wrap width from chance
MIN_WIDTH = 40  # display columns (20 CJK characters): narrower "full" lines are a list, not a page
FULL = 0.85  # a full line may stop short of the width: an indent, marks pushed to the next line, glyphs
#               wider or narrower than their nominal width
FULL_SHARE = 0.3  # at least this share of the lines fills the width …
OPEN_SHARE = 0.5  # … and at least this share of those ends inside a sentence


# A hard line break inside a paragraph, where a web copy kept its source's line ends (the 2017
# report breaks 27 paragraphs so: "…国内生产总值达到74.4⏎万亿元，增长6.7%…"): a line of body text
# (a sentence has ended in it) that stops inside a sentence goes on in the next line, unless that
# one starts a heading, a list item or a signature (not a number: "…以PM⏎2.5⏎年平均浓度…").
MIN_BODY = 20  # characters; a heading ("一、2025年工作回顾") is shorter or has no sentence end in it
_STARTS_ANEW = re.compile(
    r"\s*(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[)）]|[0-9０-９]+[.．、)）](?![0-9０-９])"
    r"|第[一二三四五六七八九十百零\d]+[条章节部分]|——|[-—•·●]|各位代表)"
)
# Or a number at a line's end and its unit at the next one's start, in a line too short to show
# a sentence: 新增就业1314⏎万人. Not a label (附件2⏎名词解释, 名 being a counter).
_NUMBER_END = re.compile(r".{6}(?<![件表图第号])[0-9０-９]+(?:[.．][0-9０-９]*)?$")
_UNIT_START = re.compile(r"[百千万亿]*(?:" + "|".join(re.escape(u) for u in UNITS) + ")")


def _broken_after(line: str, following: str) -> bool:
    """Whether ``line`` was cut by a line break and ``following`` goes on with it."""
    if not line or not following or _STARTS_ANEW.match(following):
        return False
    if _NUMBER_END.search(line) and _UNIT_START.match(following):
        return True
    body = len(line) >= MIN_BODY and any(mark in line[:-1] for mark in "。！？；!?;")
    return body and "\t" not in line and not line.rstrip(_CLOSERS).endswith(_ENDS)


def join_broken_lines(lines: list[str]) -> list[str]:
    """``lines`` (stripped, one paragraph each) with each paragraph a hard line break cut made whole."""
    out: list[str] = []
    for line in lines:
        if out and _broken_after(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return out


def _width(line: str) -> int:
    # Ambiguous marks (“”、…—) are as wide as a CJK character in the CJK fonts these texts are set in.
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in line)


def _wrap_width(widths: list[int]) -> int | None:
    """The width the text was wrapped at, or None when it shows none."""
    filled = sorted(w for w in widths if w)
    if len(filled) < MIN_LINES:
        return None
    width = filled[int(0.9 * (len(filled) - 1))]
    return width if width >= MIN_WIDTH else None


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """``lines`` (stripped, as ``cleaning.clean_lines`` gives them) with each line that fills the wrap
    width and ends inside a sentence joined to the next; unchanged when the text shows no wrap width."""
    widths = [_width(line) for line in lines]
    width = _wrap_width(widths)
    if width is None:
        return lines
    # A table's row (cells split by tabs, as the readers write them) is never a wrapped line.
    full = [
        bool(line) and w >= FULL * width and "\t" not in line for line, w in zip(lines, widths, strict=True)
    ]
    open_ends = [f and not line.rstrip(_CLOSERS).endswith(_ENDS) for line, f in zip(lines, full, strict=True)]
    # Numbered headings (第一章, 一、规划范围) are short whatever the page: a plan of many is wrapped all the
    # same when its other lines fill the width.
    body = sum(1 for line in lines if line and not _STARTS_ANEW.match(line))
    if sum(full) < FULL_SHARE * body or sum(open_ends) < OPEN_SHARE * sum(full):
        return lines
    out: list[str] = []
    joining = False
    for line, open_end in zip(lines, open_ends, strict=True):
        if joining and not line:
            continue  # a page break inside the paragraph
        # A heading or list item starts its own line, whatever fills the one before (a long title).
        if joining and "\t" not in line and not _STARTS_ANEW.match(line):
            # In Latin text (words spaced) the wrap took the space between two words; CJK has none.
            latin = " " in out[-1][-30:] and out[-1][-1].isascii() and line[0].isascii()
            space = " " if latin and out[-1][-1].isalnum() and line[0].isalnum() else ""
            out[-1] += space + line
        else:
            out.append(line)
        joining = open_end
    return out

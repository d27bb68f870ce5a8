"""What a PDF prints around each page's text: its page number and a running header or footer.

A PDF's text layer holds them as lines of the page ("— 3 —", "2024年政府工作报告" atop every page), so
read page after page they land inside the paragraph that runs over the page break, and once wrapped
lines are joined (``qa.ingest.unwrap``) inside its sentence. They are facts of the layout, found
only at a page's edges: a page number as the first or last line, and a line that most pages repeat
at the same edge (digits aside: "第3页 共20页").

A justified line stretched wide is read back letter by letter ("人 员 实 行 登 记 ， 严 禁"): ``unspaced``
closes such runs, so the sentence reads and matches as printed.
"""

from __future__ import annotations

import re
from collections import Counter

from qa.text.normalize import CJK_RANGES

__all__ = ["strip_page_furniture", "unspaced"]

_DASHES = r"[\s\-—–－·•|]*"
_PAGE_NUMBER = re.compile(
    rf"^{_DASHES}(?:第\s*)?\d{{1,4}}(?:\s*页)?(?:\s*[/／]\s*\d{{1,4}}|\s*共\s*\d{{1,4}}\s*页)?{_DASHES}$"
)
MIN_PAGES = 3  # fewer pages show no repetition to tell a running header from a line of text
REPEATED = 0.5  # a line at the same edge of at least this share of the pages is the layout's
EDGE_LINES = 2  # a page number and a running line may both sit at one edge
# A running line is a title, a page count, or a browser's print line (its date and title; the file's
# address and "17/31"), not a line of text: a long line repeated at one edge of half the pages is none.
RUNNING_CHARS = 120


def _shape(line: str) -> str:
    """A line with its digits masked, so "第3页 共20页" and "第4页 共20页" are the same running line."""
    return re.sub(r"\d+", "#", line.strip())


def _edge_lines(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indexes of the first two and of the last two non-blank lines, outermost first."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:EDGE_LINES], filled[::-1][:EDGE_LINES]


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Each page's text without page numbers and running lines at its edges: a page number among
    its first or last two lines, and a line that at least half of the pages (three or more) repeat
    there. The first page keeps its first lines, one of which is the document's title when the
    running header repeats it."""
    split = [page.splitlines() for page in pages]
    running: list[set[str]] = [set(), set()]  # shapes repeated at the top, at the bottom
    if len(split) >= MIN_PAGES:
        for edge in (0, 1):
            shapes = (_shape(lines[i]) for lines in split for i in set(_edge_lines(lines)[edge]))
            counts = Counter(shape for shape in shapes if len(shape) <= RUNNING_CHARS)
            running[edge] = {shape for shape, n in counts.items() if n >= REPEATED * len(split)}
    out = []
    for number, (page, lines) in enumerate(zip(pages, split, strict=True)):
        drop = set()
        for edge, indexes in enumerate(_edge_lines(lines)):
            for index in indexes:  # from the edge inward, while the lines are the layout's
                running_line = _shape(lines[index]) in running[edge]
                if number == 0 and edge == 0 and running_line:
                    continue  # the title page's own header, kept; a page number under it still goes
                if not (_PAGE_NUMBER.match(lines[index]) or running_line):
                    break
                drop.add(index)
        kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
        out.append(kept + "\n" if page.endswith("\n") else kept)  # the page break stays a line end
    return out


# One printed unit of a letter-spaced line: a Chinese character, a Chinese mark, or a number of two
# characters or more (a justified line keeps 51.2% whole; digits printed one by one, as the 1998 report
# prints "1 9 9 7 年", are the document's own way and stay).
_UNIT = rf"(?:[{CJK_RANGES}，。、；：！？（）“”《》]|[0-9][0-9.,%％]+)"
# Four or more units each set one space apart: no sentence is written so, a stretched line is read so.
_SPACED = re.compile(rf"{_UNIT}(?: {_UNIT}){{3,}}")


def unspaced(page: str) -> str:
    """``page`` with letter-spaced runs closed up ("人 员 实 行" -> "人员实行"); a single space between
    words ("防火股 刘建华") stays."""
    return _SPACED.sub(lambda m: m.group().replace(" ", ""), page)

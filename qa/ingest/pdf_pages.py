"""What a PDF prints around each page's text: its page number and a running header or footer.

A PDF's text layer holds them as lines of the page ("— 3 —", "2024年政府工作报告" atop every page), so
read page after page they land inside the paragraph that runs over the page break, and once wrapped
lines are joined (``qa.ingest.unwrap``) inside its sentence. They are facts of the layout, found
only at a page's edges: a page number as the first or last line, and a line that most pages repeat
at the same edge (digits aside: "第3页 共20页").
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["strip_page_furniture"]

_DASHES = r"[\s\-—–－·•|]*"
_PAGE_NUMBER = re.compile(
    rf"^{_DASHES}(?:第\s*)?\d{{1,4}}(?:\s*页)?(?:\s*[/／]\s*\d{{1,4}}|\s*共\s*\d{{1,4}}\s*页)?{_DASHES}$"
)
MIN_PAGES = 3  # fewer pages show no repetition to tell a running header from a line of text
REPEATED = 0.5  # a line at the same edge of at least this share of the pages is the layout's
EDGE_LINES = 2  # a page number and a running line may both sit at one edge
RUNNING_CHARS = 30  # a running header or footer is a title or a page count, not a line of text


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
                title_page_top = number == 0 and edge == 0
                running_line = _shape(lines[index]) in running[edge] and not title_page_top
                if not (_PAGE_NUMBER.match(lines[index]) or running_line):
                    break
                drop.add(index)
        kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
        out.append(kept + "\n" if page.endswith("\n") else kept)  # the page break stays a line end
    return out

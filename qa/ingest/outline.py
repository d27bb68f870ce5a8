"""Heading levels a file's markup gives: Markdown's ``#``, Word's Heading 1–6 styles, HTML's <h1>–<h6>.

The readers of those formats write each heading line as Markdown does (``## 农业基础持续巩固``); the loader
then takes the marks out of the text (``take_outline``) and keeps where each heading line starts and its
level. ``qa.ingest.headings`` nests sections by those levels: a sub-heading that carries no 一、/（一）
number keeps its parent (a Word report's 生猪产业 under 农业基础持续巩固 under 2023年工作回顾 had been
three top-level sections, the review's subsections read as plans).
"""

from __future__ import annotations

import re

# A heading line as Markdown writes it (ATX): 1–6 marks, a space, the title, optional closing marks.
_MARKED = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
SUFFIXES = (".md", ".docx", ".html", ".htm")  # the formats whose readers mark headings


def marked(level: int, title: str) -> str:
    """``title`` as a heading line of ``level`` (1–6) for ``take_outline`` to find."""
    return "#" * max(1, min(6, level)) + " " + title.strip()


def take_outline(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` without its heading marks, and (start of the heading line, level) for each heading."""
    lines, outline, at = [], [], 0
    for line in text.split("\n"):
        m = _MARKED.match(line)
        if m and m.group(2):
            outline.append((at, len(m.group(1))))
            line = m.group(2)
        lines.append(line)
        at += len(line) + 1
    return "\n".join(lines), tuple(outline)

"""Who sent an official document and when: the lines it closes with (its 落款: 青山县农业农村局 /
2026年2月20日), quoted when a question asks for them ("这个通知是谁发的？", "通知是什么时候发的？"); and
its number (文号: 南州政发〔2025〕18号), the line under its title. No sentence says so: such questions
had been answered with 本通知自印发之日起执行。, or refused, helpers found."""

from __future__ import annotations

import re

from qa.ingest.senders import closing_lines, dateline_agency, heading_lines
from qa.pipeline.delivery import line_passage
from qa.schema import Passage

# What an official document is called, and the verbs of sending it.
_PAPER = r"(?:通知|公告|通告|文件|通报|意见|办法|决定|函|方案|指南|公报|规约|公示|新闻|报道|文章)"
_SEND = r"(?:发(?![放展生给到出现明])|印发|发布|下发|制定|出台)"  # not 发放补贴
_ASKS_SENDER = re.compile(
    rf"{_PAPER}(?:是)?(?:由)?(?:谁|哪个(?:单位|部门)|哪家(?:单位)?|什么(?:单位|部门)){_SEND}的?|"
    rf"(?:谁|哪个(?:单位|部门)|哪家单位){_SEND}的(?:这个|这份|这篇|该)?{_PAPER}|发文(?:单位|机关)|落款"
)
_ASKS_SENT = re.compile(
    rf"{_PAPER}(?:是)?(?:什么时候|哪天|哪一天|何时|几月几[日号]){_SEND}的?|"
    rf"(?:什么时候|哪天|何时){_SEND}的(?:这个|这份|该)?{_PAPER}|成文(?:日期|时间)|发文(?:日期|时间)"
)


def asks_sender(normalized: str) -> str | None:
    """The document's noun (通知) or "" when ``normalized`` asks who sent a document or when; None for
    any other question."""
    found = _ASKS_SENDER.search(normalized) or _ASKS_SENT.search(normalized)
    if found is None:
        return None
    paper = re.search(_PAPER, found.group())
    return paper.group() if paper else ""


def signature_lines(top: Passage, text: str) -> list[Passage]:
    """The sender's line and the date line an official document closes with (``closing_lines``), else
    those under its title or a news story's dateline (``heading_lines``), as cited passages of
    ``top``'s document; [] when it has none of them."""
    spans = closing_lines(text) or heading_lines(text)
    return [line_passage(top, text, start, end) for start, end in spans]


_ASKS_NUMBER = re.compile(rf"文号|发文字号|{_PAPER}(?:的)?(?:编号|号码)")  # not 字号, a shop's name
# A document number on a line of its own near the top: 南州政发〔2025〕18号, 国办发[2024]3号.
_NUMBER_LINE = re.compile(
    r"(?m)^[ \t\u3000]*[\u4e00-\u9fff]{1,12}[〔\[【（(]\s*\d{4}\s*[〕\]】）)]\s*第?\s*\d+\s*号[ \t\u3000]*$"
)
_NUMBER_WITHIN = 1000  # characters from the top where the number line stands


def asks_number(normalized: str) -> bool:
    """Whether ``normalized`` asks for a document's number (文号是多少？, 通知的编号)."""
    return _ASKS_NUMBER.search(normalized) is not None


def number_lines(top: Passage, text: str) -> list[Passage]:
    """The line giving the document's number, as a cited passage of ``top``'s document; [] without one."""
    found = _NUMBER_LINE.search(text, 0, _NUMBER_WITHIN)
    return [line_passage(top, text, found.start(), found.end())] if found else []


NEWS = ("新闻", "报道", "文章")  # the papers a news story is asked as


def is_paper(paper: str, title: str, text: str) -> bool:
    """Whether the document (``title``, ``text``) is what ``paper`` names: 通知 in its title, or a news
    story, with a dateline, for 新闻 ("这篇新闻是哪天发的？" had quoted a bulletin's date lines)."""
    if not paper:
        return False
    return paper in title or (paper in NEWS and dateline_agency(text) is not None)

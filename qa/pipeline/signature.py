"""Who sent an official document and when: the lines it closes with (its 落款: 青山县农业农村局 /
2026年2月20日), quoted when a question asks for them ("这个通知是谁发的？", "通知是什么时候发的？"). No
sentence says so: such questions had been answered with 本通知自印发之日起执行。, a helper found."""

from __future__ import annotations

import re

from qa.ingest.headings import line_spans
from qa.ingest.metadata import DATE_LINE, ORGAN_LINE
from qa.schema import Passage

# What an official document is called, and the verbs of sending it.
_PAPER = r"(?:通知|公告|通告|文件|通报|意见|办法|决定|函|方案|指南)"
_SEND = r"(?:发|印发|发布|下发|制定|出台)"
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
    """The sender's line and the date line an official document closes with, as cited passages of
    ``top``'s document; [] when its last line is no date."""
    lines = line_spans(text)[-2:]
    if not lines or not DATE_LINE.fullmatch(text[slice(*lines[-1])]):
        return []
    closing = lines[-2:] if len(lines) > 1 and ORGAN_LINE.fullmatch(text[slice(*lines[-2])]) else lines[-1:]
    return [
        top.with_(section=[], start=s, end=e, text=text[s:e], highlight=(0, e - s),
                  passage_id=f"{top.doc_id}:line:{s}", period="other")
        for s, e in closing
    ]  # fmt: skip

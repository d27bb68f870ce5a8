"""Sentence spans for Chinese text: the unit that passages are built from and answers are quoted in.

A sentence ends at 。！？；!?; or a line end. Closing quotes and brackets after the terminator stay
with the sentence they end (``“……。”`` is one sentence), and a terminator inside a quotation or a
bracket (``氨碱法（Solvay process；又称…）是…``, ``《谁动了我的奶酪？》``) does not end the sentence
unless it has run on for very long (an unbalanced mark must not swallow a whole paragraph).
Offsets are absolute, so spans index the text they were cut from.
"""

from __future__ import annotations

import re

TERMINATORS = "。！？；!?;"
# A colon that separates (a label from its text, a heading from its body): not one between digits,
# which is a time or a ratio (上午10:00, 1:1).
SEPARATING_COLON = r"(?<!\d)[：:]|[：:](?!\d)"
# Characters that close what a terminator ended: quotes and brackets, kept with the sentence.
CLOSERS = "”’」』）)】〕》"
# Quotations and brackets by their closing mark: a terminator inside one ends no sentence.
_PAIRS = {"“": "”", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "【": "】", "〔": "〕"}
_CLOSING = "".join(_PAIRS.values())
_ENDING_QUOTES = "”」』"  # closing after a terminator, these end the sentence (“……。”)
# Past this many characters inside one quotation or bracket, terminators split again.
LONG_QUOTE = 150
# Marks opened deeper than this are not followed: no text nests so far, and a run of unmatched
# marks (a hostile upload) must not make each closing mark search a long list.
_MAX_OPEN = 8

_EVENTS = re.compile(f"[{TERMINATORS}{''.join(_PAIRS)}{_CLOSING}\n\r]")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text[start:end]``, as absolute offsets into ``text``.

    Splits after 。！？；!?; (with any closing quotes/brackets that follow) and at line ends;
    keeps “quotations” and (brackets) whole unless longer than ``LONG_QUOTE`` characters. Spans are trimmed of
    surrounding whitespace and whitespace-only spans are dropped, so every non-space character of
    the range lies in exactly one span.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    spans: list[tuple[int, int]] = []
    sentence_start = start
    resume = start  # events before this were consumed by a closer run
    expected: list[str] = []  # the closing marks of the open quotations and brackets, innermost last
    quote_open = start  # where the outermost of them opened

    def emit(s: int, e: int) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))

    def close(mark: str) -> None:
        """Close the innermost open quotation or bracket ``mark`` ends, and those inside it; a mark
        nothing opened closes nothing."""
        for depth in range(len(expected) - 1, -1, -1):
            if expected[depth] == mark:
                del expected[depth:]
                return

    def closer_run(j: int) -> int:
        """End of the terminators and closers that follow position ``j``."""
        while j < end and (text[j] in TERMINATORS or text[j] in CLOSERS):
            close(text[j])
            j += 1
        return j

    for m in _EVENTS.finditer(text, start, end):
        i = m.start()
        if i < resume:
            continue
        ch = text[i]
        if ch in "\n\r":
            emit(sentence_start, i)
            sentence_start = resume = i + 1
            expected.clear()  # a quotation never runs across a line end
            continue
        if ch in _PAIRS:
            if not expected:
                quote_open = i
            if len(expected) < _MAX_OPEN:
                expected.append(_PAIRS[ch])
            continue
        if ch in _CLOSING:
            close(ch)
            if expected or i == start or text[i - 1] not in TERMINATORS:
                continue
            # “……。” ends the sentence after the closing quote; a bracket or a title only when it
            # opened the sentence (（注：……。）), else the sentence goes on (《……？》吧).
            first = sentence_start
            while first < i and text[first].isspace():
                first += 1
            if ch not in _ENDING_QUOTES and quote_open != first:
                continue
            cut = closer_run(i + 1)
        else:
            if expected and i - quote_open < LONG_QUOTE:
                continue
            cut = closer_run(i + 1)
        emit(sentence_start, cut)
        sentence_start = resume = cut
    emit(sentence_start, end)
    return spans

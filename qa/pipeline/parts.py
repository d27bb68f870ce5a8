"""Questions that ask two things: "去年粮食产量多少？今年目标是多少？" becomes two standalone questions.

A question is split where a second question starts: after a question mark with more text behind
it, when each side is a question by its words or by its own question mark ("今年经济增长目标定的多少？
失业率目标？"), or at a comma or semicolon (or English "and") when both sides carry a question word.
The second part is then read like a follow-up of the first (``qa.pipeline.conversation.readings``):
"今年计划多少" after "城镇新增就业去年完成多少" may ask about 城镇新增就业, and the answers decide;
one that names nothing is also read with the term the first part's answer gives its figure
(``term_in_answer``).
"""

from __future__ import annotations

import re

from qa.pipeline.query import names_something
from qa.text.normalize import fold_in_place, normalize

_ASKS = re.compile(
    r"多少|几(?![十百千万])|什么|啥|哪|谁|何时|为何|吗|呢|怎么样|怎样|如何|多大|多高|多长|多久|多远|要不要|是否|是不是|有没有|会不会|能否|"
    r"\b(?:how|what|when|which|who|whether|is|are|does|did|will)\b",
    re.I,
)
_AFTER_QUESTION_MARK = re.compile(r"(?<=[？?])\s*")
_PAUSE = re.compile(r"[，,；;]\s*|\s+and\s+(?=(?:how|what|when|which|who|is|are|does|did|will)\b)", re.I)
MIN_PART_CHARS = 3  # a shorter piece ("呢？", "多少") is no question of its own; "今年呢" is one


def _long_enough(text: str) -> bool:
    return len(normalize(text).strip(" ?,;")) >= MIN_PART_CHARS


def _asks(text: str) -> bool:
    return _long_enough(text) and _ASKS.search(normalize(text)) is not None


# A yes/no word, the only way a lead-in before a comma may ask: "今年是不是要改造农村危房，改多少户？" is
# one question (its second half, alone, had been refused or answered from another report).
_YES_NO = re.compile(r"是不是|是否|要不要|有没有|会不会|能否|吗")


def _yes_no_lead(text: str) -> bool:
    """Whether ``text`` asks only whether (是不是要X), which the question after its comma answers."""
    normalized = normalize(text)
    return _YES_NO.search(normalized) is not None and _ASKS.search(_YES_NO.sub("", normalized)) is None


def _is_question(piece: str) -> bool:
    """A piece cut after a question mark: a question by its words, or by the question mark it ends
    with (a terse second question such as "失业率目标？" has no question word)."""
    return _asks(piece) or (_long_enough(piece) and normalize(piece).endswith("?"))


_ANSWER_CLAUSE = re.compile(r"[，,；;：:。]")
_FIGURE_START = re.compile(r"\d")


def term_in_answer(sentence: str, question: str) -> str:
    """The words an answer gives its figure, in the report's own terms: of the answer's clauses
    holding a figure, the one sharing most characters with the question, up to its figure
    ("新增工作岗位去年多少？" answered "城镇新增就业1102万人；" -> "城镇新增就业"); "" without one."""
    asked = set(normalize(question))
    best, shared = "", 0
    for clause in _ANSWER_CLAUSE.split(normalize(sentence)):
        figure = _FIGURE_START.search(clause)
        term = clause[: figure.start()].strip() if figure else ""
        overlap = len(asked & set(term))
        if len(term) >= 2 and overlap > shared:
            best, shared = term, overlap
    return best


def _cut(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The stripped pieces of ``text`` between ``spans`` (start, end), empty ones left out."""
    starts, ends = [0, *(end for _, end in spans)], [*(start for start, _ in spans), len(text)]
    return [piece for s, e in zip(starts, ends, strict=True) if (piece := text[s:e].strip())]


def split_parts(question: str) -> list[str]:
    """The questions ``question`` asks, in the asker's own characters (a part typed in traditional
    or full-width characters is shown as typed): itself alone, or two (never more)."""
    text = question.strip()
    folded = fold_in_place(text)  # where the marks are; the parts are cut from ``text``
    pieces = _cut(text, [m.span() for m in _AFTER_QUESTION_MARK.finditer(folded)])
    if len(pieces) < 2:
        pauses = [
            m
            for m in _PAUSE.finditer(folded)
            if _asks(text[: m.start()]) and _asks(text[m.end() :]) and not _yes_no_lead(text[: m.start()])
        ]
        if not pauses:
            return [question]
        cut = pauses[-1]  # the last pause: a subject's own commas come before the second question
        pieces = _cut(text, [cut.span()])
    elif len(pieces) > 2 or not all(_is_question(p) for p in pieces):
        return [question]
    # A greeting or a word to the bot is no question of its own ("你好，在吗？今年…", "您好，能帮我查一下
    # 吗，今年…"): as a part it had been refused, and the whole question with it.
    if not all(names_something(normalize(p)) for p in pieces):
        return [question]
    return pieces

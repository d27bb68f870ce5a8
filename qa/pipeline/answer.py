"""From ranked passages to an answer: the sentence that answers, located by its offsets.

Each sentence of the best passages is scored by how much of the question's (IDF-weighted) wording it
covers, by its embedding similarity to the question (sentence vectors are stored in the index, so
this costs no model call), and by whether it holds what the question asks for: a figure with a
fitting unit (多少钱 -> 元, 增长多少 -> %), a date (什么时候), a list (哪些).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from qa.index.lexical import tokenize
from qa.pipeline.query import Query
from qa.schema import Passage
from qa.settings import AnswerSettings

_NUMBER = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
# A figure, not a year: "2022年" dates a sentence, it answers no "how much".
_FIGURE = re.compile(
    r"(?<![0-9.])" + _NUMBER + r"(?![0-9.]|\s*年)|[一二三四五六七八九十两]+[个项家所条座人件名]"
)
_DATE = re.compile(r"\d{1,4}\s*(?:年|月|日|号)|年底|月底|年内|上半年|下半年|季度|春节|之前|前完成")
_ORDINAL = re.compile(r"第[0-9一二三四五六七八九十]+")
_LIST = re.compile(r"[、]|等\d*[个项家所条座]?")

# (what the question says, what a fitting answer sentence contains)
_FIGURE_UNITS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(q, re.I), re.compile(a))
    for q, a in (
        (  # before money: "收入增长多少" asks for a rate
            r"增长多少|增长了多少|增幅|增速|比增|百分之|比例|比重|率|percent|percentage|growth|grow|rate",
            _NUMBER + r"\s*%|百分之",
        ),
        (
            r"多少钱|多少元|几元|花了?多少|投入多少|投资多少|资金|金额|收入多少|工资|"
            r"how much money|spend|spent|cost|budget|invest",
            _NUMBER + r"\s*(?:万亿|亿|万)?元",
        ),
        (
            r"多少人|几人|多少名|how many people|how many (?:\w+ )?(?:cadres|residents|workers|students)",
            _NUMBER + r"\s*(?:多|余)?(?:万|亿)?[\u4e00-\u9fff]{0,3}?(?:人|名)",
        ),
        (r"多少亩|几亩|mu\b|farmland|acre", _NUMBER + r"\s*(?:万)?亩"),
        (r"多长|多少公里|几公里|how long|kilomet", _NUMBER + r"\s*(?:公里|千米|米)"),
        (r"多少吨|多少万吨|几吨|tonnes|tons", _NUMBER + r"\s*(?:万|亿)?吨"),
        (r"多少人次|几人次|visits|visitors|tourists", _NUMBER + r"\s*(?:万|亿)?人次"),
        (r"多少张|几张|beds", _NUMBER + r"\s*(?:万)?张"),
        (r"多少岁|几岁|多大年纪|年龄|how old", _NUMBER + r"\s*岁"),
        (
            r"多大|多少平方|面积|\barea\b",
            _NUMBER + r"\s*(?:万)?平方(?:米|公里)|" + _NUMBER + r"\s*亩",
        ),
    )
)
_FIGURE_QUESTION = re.compile(r"多少|几|how (?:much|many)|what percentage|how (?:long|big|large)", re.I)
_DATE_QUESTION = re.compile(
    r"什么时候|何时|哪天|哪一天|哪年|哪一年|几月|什么时间|时间|when|what date|what year", re.I
)
_ORDINAL_QUESTION = re.compile(r"第几")
_LIST_QUESTION = re.compile(r"哪些|哪几|有哪|包括|which|what are|list", re.I)


@dataclass
class Choice:
    """The chosen answer: which passage, the span inside it, and why."""

    passage: int
    span: tuple[int, int]
    score: float
    coverage: float  # share of the question's IDF-weighted terms in the sentence
    cosine: float  # embedding similarity of question and sentence
    fits: bool  # the sentence holds what the question asks for (a figure with its unit, a date, a list)
    matched: list[str] = field(default_factory=list)
    wants: str | None = None


def _is_heading(passage: Passage, sentence: str) -> bool:
    """A section or document title inside a passage: it names a topic, it answers nothing."""
    return sentence == passage.document or any(title.endswith(sentence) for title in passage.section)


def _wants(query: Query) -> tuple[str | None, re.Pattern[str] | None]:
    """What kind of thing the question asks for, and the pattern a fitting sentence contains."""
    text = query.normalized
    if _DATE_QUESTION.search(text):
        return "date", _DATE
    if _LIST_QUESTION.search(text):
        return "list", _LIST
    if _ORDINAL_QUESTION.search(text):
        return "figure", _ORDINAL
    if _FIGURE_QUESTION.search(text):
        fitting = next((unit for asked, unit in _FIGURE_UNITS if asked.search(text)), _FIGURE)
        return "figure", fitting
    return None, None


def choose_answer(
    query: Query,
    candidates: list[tuple[Passage, np.ndarray, np.ndarray]],
    idf: Callable[[set[str]], dict[str, float]],
    query_vector: np.ndarray,
    settings: AnswerSettings | None = None,
) -> Choice | None:
    """The sentence among the top passages that best answers ``query`` (None when there are none).

    ``candidates`` are the top passages, best first, each with its sentences' spans and vectors.
    """
    settings = settings or AnswerSettings()
    terms = set(tokenize(query.lexical_text))
    weights = idf(terms)
    total = sum(weights.values())
    wants, fitting = _wants(query)
    best: Choice | None = None
    for i, (passage, spans, vectors) in enumerate(candidates[: settings.answer_passages]):
        cosines = np.asarray(vectors, dtype=np.float32) @ query_vector
        for (start, end), cosine in zip(spans.tolist(), cosines.tolist(), strict=True):
            text = passage.text[start:end]
            if _is_heading(passage, text):
                continue
            tokens = set(tokenize(text))
            coverage = sum(weights[t] for t in terms & tokens) / total if total > 0 else 0.0
            fits = fitting is not None and fitting.search(text) is not None
            bonus = settings.intent_bonus if fits else 0.0
            score = coverage + settings.cosine_weight * cosine + bonus - settings.rank_penalty * i
            if best is None or score > best.score:
                matched = sorted(t for t in terms & tokens if len(t) > 1)
                best = Choice(i, (start, end), score, coverage, cosine, fits, matched, wants)
    return best

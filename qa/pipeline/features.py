"""What the answer scorer sees: measured features of each candidate sentence of the top passages.

Every candidate is one sentence of one of the first passages; its features describe how close it is
to the question in meaning (cosine of the stored sentence vector, so no model call; its neighbours'
and its rank within the passage), in wording (IDF-weighted share of the question's character
n-grams, longest shared run, the question's rarest term; those of the sentence before, for one that
opens by pointing back to it, and of the document's first sentence, which names the subject a
passage from further in leaves out), where its passage ranked in each channel,
and whether it holds what the question asks for (a figure with a fitting unit, a date, a list) from
the part of the report (review or plan) the question asks about.

The same function makes the features at answer time and when the scorer is trained
(``training/``), so the model always sees what it was trained on. ``FEATURES`` names the columns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qa.index.lexical import tokenize
from qa.ingest.headings import ADDRESS, QUESTION_LINE
from qa.ingest.structure import sentence_periods
from qa.pipeline.asked import (
    FIGURE,
    asked_unit,
    asks_for,
    fits,
    gap_context,
    gap_share,
    longest_run,
    stated_figures,
)
from qa.pipeline.query import Query
from qa.pipeline.retrieval import Hit
from qa.schema import Passage
from qa.text.normalize import normalize
from qa.text.sentences import split_sentences

# Clauses of a sentence: a report's sentence often lists several figures, one per clause.
_CLAUSE = re.compile(r"[，,：:]")
# A sentence that opens by pointing back ("这些白点是…", "该台频率为…", "其…") takes its subject
# from the sentence before: what that one covers is what this one is about.
_POINTS_BACK = re.compile(r"^(?:它|其|该|这|那|此|本|他|她|彼)")
_LEAD_CHARS = 400  # a document's first sentence is looked for in its first characters
# A heading that asks ("三、哪些人更容易得高血压？") or the 问 line of a question-and-answer pair is the
# question its section answers, never the answer: neither is a candidate. Nor is any heading or the
# title: a label says what its section is about, the sentences under it say it ("今年的发展目标是
# 什么？" chose "二、2023年的发展目标和主要工作安排" and refused it at 0.0002).
_ASKS = re.compile(r"[？?][”’」』）)]*$")
# Nor is the address alone ("各位代表！"): it answered "aaaaaaa" at 0.67.
_ADDRESS_ALONE = re.compile(rf"^\s*(?:{ADDRESS.pattern}[、，,和及\s]*)+[！!：:，,。\s]*$")


FEATURES: tuple[str, ...] = (
    "cosine",  # question-sentence cosine of the stored vectors
    "cosine_gap",  # cosine minus the best cosine among the candidates (0 for the best)
    "passage_dense",  # the passage's dense inner product, 0 when the dense channel missed it
    "rank_inverse",  # 1 / fused rank of the passage
    "lexical_share",  # the passage's BM25 score over the best BM25 score of the hits
    "coverage",  # IDF-weighted share of the question's n-grams in the sentence
    "coverage_gap",  # coverage minus the best coverage among the candidates
    "bigram_coverage",  # the same over character pairs only (names and terms, not single characters)
    "passage_coverage",  # coverage of the whole passage
    "neighbour_coverage",  # the best coverage of the sentences just before and after (a topic named there)
    "context_coverage",  # coverage of the sentence, the one before it, its passage's and document's first
    "document_coverage",  # share of the question's pairs found anywhere in the document
    "longest_run",  # longest run of the question's content shared with the sentence, over its length
    "focus_coverage",  # coverage of the terms the passage's and document's openings lack: what is asked
    "gap_context",  # share of the words just before and after the question's gap found in the sentence
    "clause_coverage",  # coverage of the best clause (ended by ，：): the term and its figure together
    "clause_fits",  # that clause holds what the question asks for
    "asks_figure",  # any figure: an amount, a count, a percentage
    "asks_percent",
    "asks_money",
    "asks_date",
    "asks_list",
    "has_figure",
    "fits",  # the sentence holds what the question asks for (a figure of the asked kind, a date, a list)
    "misses_figure",  # a figure is asked and the sentence has none
    "period_match",  # the sentence is of the period (review/plan) the question asks about
    "period_conflict",  # the sentence is of the other period (``sentence_periods``)
    "english",  # the question has no Chinese
    "english_cosine",  # cosine for English questions (their similarities sit lower)
    "length_log",  # log of the sentence length in characters
    "position",  # the sentence's place in its passage, 0 = first, 1 = last
    "heading",  # the sentence is a section or document title (0: no heading is a candidate since 2026-12-06)
    "neighbour_cosine",  # the best cosine of the sentences just before and after
    "cosine_rank",  # the sentence's place by cosine within its passage, 0 = nearest, 1 = farthest
    "rarest_term",  # the sentence holds the question's term of highest IDF
    "points_back",  # the sentence opens with a word pointing back (它, 其, 该, 这 …)
    "previous_coverage",  # coverage of the sentence just before (0 for the first)
    "asks_unit",  # the question names the unit of the figure it wants (多少亿元, 几公里, in yuan)
    "unit_fits",  # the sentence has a figure in that unit
)


@dataclass
class Candidate:
    """One sentence that may answer: where it is, and its features in ``FEATURES`` order."""

    passage: int  # index into the hits / passages, best first
    span: tuple[int, int]  # offsets inside the passage text
    text: str
    features: np.ndarray


class _Weights:
    """A question's term weights, and the share of their total that a sentence's tokens hold.

    Built once per question: a share is taken ~200 times a question (every sentence and clause),
    so the terms are summed in one list comprehension, in the weights' order (the same floats)."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.items = tuple(weights.items())
        self.total = sum(weights.values())

    def share(self, tokens: AbstractSet[str]) -> float:
        """The weight of the terms in ``tokens`` over the total; 0 without weights."""
        if self.total <= 0:
            return 0.0
        return sum([w for t, w in self.items if t in tokens]) / self.total

    def share_of_union(
        self, first: AbstractSet[str], second: AbstractSet[str], third: AbstractSet[str]
    ) -> float:
        """``share`` of the union of three token sets, without building it."""
        if self.total <= 0:
            return 0.0
        return sum([w for t, w in self.items if t in first or t in second or t in third]) / self.total


def _best_beside(values: list[float], j: int) -> float:
    """The larger of the values just before and just after position ``j`` (0 at neither)."""
    return max(values[max(0, j - 1) : j] + values[j + 1 : j + 2], default=0.0)


def _is_heading(passage: Passage, sentence: str) -> bool:
    return sentence == passage.document or any(title.endswith(sentence) for title in passage.section)


def _asks(passage: Passage, sentence: str) -> bool:
    """Whether ``sentence`` is a heading that asks, the 问 line of a question and its answer, or a
    line that only asks (a FAQ's question, a Markdown heading "## 办卡要交押金吗？" once its marks
    are gone): the question its text answers."""
    sentence = sentence.strip()
    if not _ASKS.search(sentence):
        return False
    asked = _ASKS.sub("", sentence)
    return (
        QUESTION_LINE.match(sentence) is not None
        or _is_heading(passage, asked)
        or _alone_on_its_line(passage, sentence)
    )


def _alone_on_its_line(passage: Passage, sentence: str) -> bool:
    """Whether ``sentence`` is a whole line of ``passage``'s text, with more text after it."""
    at = passage.text.find(sentence)
    end = at + len(sentence)
    return (
        at >= 0
        and (at == 0 or passage.text[at - 1] == "\n")
        and passage.text[end : end + 1] == "\n"
        and bool(passage.text[end:].strip())
    )


# The passages a collection's questions reach are few and come back often: their sentences'
# normalized text and clause tokens are kept (~40 KB a passage), not redone on every question.
@dataclass(frozen=True)
class _Analysed:
    """A passage's sentences as the features read them; shared by every question (immutable)."""

    sentences: tuple[str, ...]  # normalized
    clauses: tuple[tuple[tuple[str, frozenset[str]], ...], ...]  # per sentence: (clause, its tokens)
    tokens: tuple[frozenset[str], ...]  # per sentence
    passage_tokens: frozenset[str]
    figures: tuple[bool, ...]  # per sentence: whether it holds a figure
    points_back: tuple[bool, ...]  # per sentence: whether it opens with a word pointing back


@lru_cache(maxsize=512)
def _analysed(text: str, spans: tuple[tuple[int, int], ...]) -> _Analysed:
    """The normalized sentences of a passage (``spans`` in ``text``), their clauses and tokens."""
    sentences = tuple(normalize(text[s:e]) for s, e in spans)
    # Clauses end at punctuation, where no token runs on: a sentence's tokens are its clauses'
    # and a passage's its sentences', so the text is tokenized once, clause by clause.
    clauses = tuple(tuple((c, frozenset(tokenize(c))) for c in _CLAUSE.split(s)) for s in sentences)
    tokens = tuple(frozenset().union(*(t for _, t in parts)) for parts in clauses)
    figures = tuple(bool(FIGURE.search(s)) for s in sentences)
    points_back = tuple(_POINTS_BACK.match(s) is not None for s in sentences)
    return _Analysed(sentences, clauses, tokens, frozenset().union(*tokens), figures, points_back)


def lead_tokens(text: str) -> frozenset[str]:
    """The lexical tokens of the first sentence of ``text`` (a document's subject)."""
    return _lead_tokens(text[:_LEAD_CHARS])  # the cache keeps the opening, not the document


@lru_cache(maxsize=4096)
def _lead_tokens(opening: str) -> frozenset[str]:
    spans = split_sentences(opening)
    return frozenset(tokenize(normalize(opening[slice(*spans[0])]))) if spans else frozenset()


def rarest_term(weights: dict[str, float]) -> str:
    """The term of highest weight; among equals (every term no report holds weighs the most) the
    longer, then the greater string: the same term whatever order the set of terms came in, so a
    question gets the same features in every process (str hashing differs between processes)."""
    return max(weights, key=lambda term: (weights[term], len(term), term), default="")


def candidates(
    query: Query,
    hits: list[Hit],
    passages: list[Passage],
    sentence_parts: list[tuple[np.ndarray, np.ndarray]],
    query_vector: np.ndarray,
    idf: Callable[[set[str]], dict[str, float]],
    document_terms: Callable[[str, set[str]], set[str]],
    review_years: dict[str, int | None],
    depth: int,
    document_lead: Callable[[str], frozenset[str]],
) -> list[Candidate]:
    """The sentences of the first ``depth`` passages with their features (see ``FEATURES``).

    ``document_lead``: the tokens of a document's first sentence (an article's subject), which a
    passage from further in often leaves out (``lead_tokens`` of its text)."""
    terms = set(tokenize(query.lexical_text))
    weights = idf(terms)
    pair_weights = {t: w for t, w in weights.items() if len(t) == 2}
    every, pairs = _Weights(weights), _Weights(pair_weights)
    rarest = rarest_term(weights)
    content = query.content
    kind = asks_for(query)
    unit = asked_unit(query)
    stated = stated_figures(query.normalized)
    best_lexical = max((h.lexical or 0.0 for h in hits), default=0.0)
    english = not query.has_cjk
    gap = gap_context(query.normalized) if query.has_cjk else ("", "")
    rows: list[tuple[int, tuple[int, int], str, list[float]]] = []
    in_document: dict[str, set[str]] = {}
    for i, (hit, passage, (spans, vectors)) in enumerate(
        zip(hits[:depth], passages, sentence_parts, strict=False)
    ):
        cosines = np.asarray(vectors, dtype=np.float32) @ query_vector
        asked = query.period_for(review_years.get(passage.doc_id))
        spans_list = spans.tolist()
        analysed = _analysed(passage.text, tuple(map(tuple, spans_list)))
        sentences, clauses, token_sets = analysed.sentences, analysed.clauses, analysed.tokens
        passage_coverage = every.share(analysed.passage_tokens)
        if passage.doc_id not in in_document:  # several top passages often share a report
            in_document[passage.doc_id] = document_terms(passage.doc_id, set(pair_weights))
        document_coverage = pairs.share(in_document[passage.doc_id]) if pair_weights else 1.0
        coverages = [every.share(tokens) for tokens in token_sets]
        # A sentence often leaves its subject to the sentences before it ("本鱼分布于…" after
        # "黑尾前肛鳗，为…"): what it covers together with them. (With the section heading as well,
        # the dev sets did worse: training/README.md.)
        opening = token_sets[0] | document_lead(passage.doc_id)
        by_cosine = np.argsort(np.argsort(-cosines)) / max(1, len(cosines) - 1)
        focus = _Weights({t: w for t, w in weights.items() if t not in opening})
        cosine_list = cosines.tolist()
        periods = sentence_periods(passage, spans_list)
        for j, ((start, end), cosine) in enumerate(zip(spans_list, cosine_list, strict=True)):
            text = passage.text[start:end]
            if _asks(passage, text) or _is_heading(passage, text.strip()) or _ADDRESS_ALONE.match(text):
                continue
            sentence = sentences[j]
            tokens = token_sets[j]
            clause_coverage, clause = max(((every.share(t), c) for c, t in clauses[j]), default=(0.0, ""))
            # What the sentence holds of the asked kind beyond the figures the question states.
            beyond, has_figure = sentence, analysed.figures[j]
            if stated is not None:
                beyond, clause = stated.sub(" ", sentence), stated.sub(" ", clause)
                has_figure = FIGURE.search(beyond) is not None
            holds_asked = fits(kind, beyond)
            rows.append(
                (
                    i,
                    (start, end),
                    text,
                    [
                        cosine,
                        0.0,
                        hit.dense or 0.0,
                        1.0 / (i + 1),
                        (hit.lexical or 0.0) / best_lexical if best_lexical > 0 else 0.0,
                        coverages[j],
                        0.0,
                        pairs.share(tokens),
                        passage_coverage,
                        _best_beside(coverages, j),
                        every.share_of_union(tokens, opening, token_sets[j - 1] if j else frozenset()),
                        document_coverage,
                        longest_run(content, sentence) / len(content) if content else 0.0,
                        focus.share(tokens) if focus.items else coverages[j],
                        gap_share(gap, sentence),
                        clause_coverage,
                        float(fits(kind, clause)),
                        float(kind in ("figure", "percent", "money")),
                        float(kind == "percent"),
                        float(kind == "money"),
                        float(kind == "date"),
                        float(kind == "list"),
                        float(has_figure),
                        float(holds_asked),
                        float(kind in ("figure", "percent", "money") and not has_figure),
                        float(asked is not None and periods[j] == asked),
                        float(asked is not None and periods[j] in ("review", "plan") and periods[j] != asked),
                        float(english),
                        cosine if english else 0.0,
                        math.log(max(1, len(text))),
                        j / (len(spans_list) - 1) if len(spans_list) > 1 else 0.0,
                        0.0,  # heading: none is a candidate now; the column stays for the model file
                        _best_beside(cosine_list, j),
                        float(by_cosine[j]),
                        float(rarest in tokens),
                        float(analysed.points_back[j]),
                        coverages[j - 1] if j else 0.0,
                        float(unit is not None),
                        float(unit is not None and unit.search(beyond) is not None),
                    ],
                )
            )
    if not rows:
        return []
    matrix = np.array([r[3] for r in rows], dtype=np.float32)
    cos, cov = FEATURES.index("cosine"), FEATURES.index("coverage")
    matrix[:, FEATURES.index("cosine_gap")] = matrix[:, cos] - matrix[:, cos].max()
    matrix[:, FEATURES.index("coverage_gap")] = matrix[:, cov] - matrix[:, cov].max()
    return [Candidate(i, span, text, matrix[n]) for n, (i, span, text, _) in enumerate(rows)]

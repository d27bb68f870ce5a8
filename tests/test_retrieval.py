"""Query analysis, tokenization, fusion and filters (no model needed)."""

from __future__ import annotations

import pytest

from qa.lexical import LexicalIndex, tokenize
from qa.retrieval import MAX_QUESTION_CHARS, analyze, rrf
from qa.schema import QuestionError


def test_tokenize_cjk_unigrams_bigrams_and_whole_numbers():
    tokens = tokenize("财政总收入１.６亿元，GDP增长5%")
    assert {"财", "财政", "收入", "亿元", "1.6", "gdp", "5%"} <= set(tokens)
    assert "政总" in tokens  # bigrams cross word boundaries: no segmenter decides for us


def test_full_width_and_half_width_tokenize_alike():
    assert tokenize("增长８.８％") == tokenize("增长8.8%")


def test_rrf_sums_reciprocal_ranks_and_orders_by_score():
    fused = rrf([[1, 2, 3], [3, 1]], [1.0, 1.0], k=60)
    scores = dict(fused)
    assert scores[1] == pytest.approx(1 / 61 + 1 / 62)
    assert scores[3] == pytest.approx(1 / 63 + 1 / 61)
    assert scores[2] == pytest.approx(1 / 62)
    assert [row for row, _ in fused] == [1, 3, 2]


def test_rrf_weight_zero_ignores_a_channel():
    assert [r for r, _ in rrf([[1, 2], [2, 1]], [1.0, 0.0])] == [1, 2]


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_refused(question):
    with pytest.raises(QuestionError, match="empty"):
        analyze(question)


def test_huge_question_is_refused():
    with pytest.raises(QuestionError, match=str(MAX_QUESTION_CHARS)):
        analyze("问" * 100_000)


def test_question_words_are_dropped_from_the_lexical_query():
    q = analyze("2022年财政总收入是多少？")
    assert "多少" not in q.lexical_text and "财政总收入" in q.lexical_text
    assert q.has_cjk and not analyze("How much revenue?").has_cjk


def test_bm25_ranks_the_matching_text_first_and_ignores_unknown_terms():
    index = LexicalIndex.build(["全年财政总收入1.6亿元", "规上工业产值26.62亿元", "建设消防救援站"])
    scores = index.scores(tokenize("消防站"))
    assert scores.argmax() == 2
    assert not index.scores(tokenize("zzzz")).any()

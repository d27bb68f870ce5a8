"""The BM25 index: scores equal bm25s's own index over the same tokens."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from qa.index.lexical import LexicalIndex, tokenize

TEXTS = [
    "全年预计完成财政总收入1.6亿元,比增8.8%",
    "规上工业产值26.62亿元",
    "新增优质学位3600个",
    "收入 gdp 收入",
    "",  # no tokens at all: keeps its row, never matches
]


@pytest.mark.parametrize("question", ["财政收入", "学位多少", "gdp 收入", "产值", "亿元"])
def test_scores_equal_bm25s_index(question: str) -> None:
    reference = bm25s.BM25()
    reference.index([tokenize(t) or ["\0"] for t in TEXTS], show_progress=False)
    built = LexicalIndex.build(iter(TEXTS))  # any iterable: the build reads each text once
    known = [t for t in tokenize(question) if t in reference.vocab_dict]
    expected = reference.get_scores(known)
    np.testing.assert_allclose(built.scores(tokenize(question)), expected, atol=1e-5)
    assert built.scores(tokenize(question))[-1] == 0.0


def test_idf_counts_rows_holding_a_token() -> None:
    index = LexicalIndex.build(TEXTS)
    idf = index.idf({"学位", "亿元", "从未出现"})
    assert idf["从未出现"] == 0.0
    assert idf["学位"] > idf["亿元"] > 0  # 学位 is in one row, 亿元 in two


def test_empty_corpus_is_refused() -> None:
    with pytest.raises(ValueError):
        LexicalIndex.build([])


def test_save_and_load_keep_scores(tmp_path) -> None:
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25", len(TEXTS))
    q = tokenize("财政总收入")
    np.testing.assert_allclose(loaded.scores(q), index.scores(q))

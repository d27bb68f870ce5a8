"""The BM25 index: scores equal bm25s's own index over the same tokens (to float16's rounding)."""

from __future__ import annotations

import random

import bm25s
import numpy as np
import pytest
import scipy.sparse as sp

from qa.index import lexical
from qa.index.lexical import LexicalIndex, tokenize
from qa.text.normalize import fold_in_place, normalize

TEXTS = [
    "全年预计完成财政总收入1.6亿元,比增8.8%",
    "规上工业产值26.62亿元",
    "新增优质学位3600个",
    "收入 gdp 收入",
    "",  # no tokens at all: keeps its row, never matches
]


@pytest.mark.parametrize(
    "question", ["财政收入", "学位多少", "gdp 收入", "产值", "亿元", "收入和收入"]
)  # a token twice
def test_scores_equal_bm25s_index(question: str) -> None:
    reference = bm25s.BM25()
    reference.index([tokenize(t) or ["\0"] for t in TEXTS], show_progress=False)
    built = LexicalIndex.build(iter(TEXTS))  # any iterable: the build reads each text once
    known = [t for t in tokenize(question) if t in reference.vocab_dict]
    expected = reference.get_scores(known)
    np.testing.assert_allclose(built.scores(tokenize(question)), expected, rtol=2e-3, atol=1e-5)
    assert built.scores(tokenize(question))[-1] == 0.0


def test_traditional_and_simplified_characters_are_the_same_tokens() -> None:
    # 繁體 questions find simplified reports and the reverse (qa.text.normalize, OpenCC t2s).
    assert tokenize("財政總收入") == tokenize("财政总收入")
    assert tokenize("鎮裡去年GDP") == tokenize("镇里去年gdp")
    index = LexicalIndex.build(["全鎮財政總收入1.6億元", "新增优质学位3600个"])
    assert index.scores(tokenize("财政总收入"))[0] > 0 and index.scores(tokenize("學位"))[1] > 0


def test_a_subscript_written_with_an_underscore_is_the_same_token() -> None:
    # Reports converted from print write PM_2.5 and CO_2 where people type PM2.5 and CO2.
    assert tokenize("细颗粒物（PM_2.5）浓度") == tokenize("细颗粒物（PM2.5）浓度")
    assert normalize("CO_2排放") == "co2排放" and normalize("a_b") == "a_b"


def test_a_year_written_in_characters_is_the_year_in_digits() -> None:
    assert normalize("二〇二二年财政总收入") == normalize("2022年财政总收入")
    assert normalize("二○一九年") == "2019年" and normalize("一九九八年") == "1998年"
    assert normalize("十二〇二二年") == "十二〇二二年"  # no year: a count of years goes on before it
    assert normalize("两千零二十年") == "两千零二十年"  # a number, not digit by digit: left as it is


def test_document_frequency_counts_rows_holding_a_token_in_all_rows_or_some() -> None:
    index = LexicalIndex.build(TEXTS)
    asked = {"学位", "亿元", "从未出现"}
    everywhere = index.document_frequency(asked)
    assert everywhere["从未出现"] == 0
    assert everywhere["学位"] == 1 and everywhere["亿元"] == 2
    holding = [row for row, text in enumerate(TEXTS) if "亿元" in text]
    others = np.array([row for row in range(len(TEXTS)) if row not in holding])
    assert index.document_frequency(asked, others)["亿元"] == 0
    assert index.document_frequency(asked, np.array(holding))["亿元"] == 2


def test_empty_corpus_is_refused() -> None:
    with pytest.raises(ValueError):
        LexicalIndex.build([])


def test_save_and_load_keep_scores(tmp_path) -> None:
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25", len(TEXTS))
    q = tokenize("财政总收入")
    np.testing.assert_allclose(loaded.scores(q), index.scores(q))


def _coo_reference(texts: list[str], k1: float = 1.5, b: float = 0.75) -> sp.csc_matrix:
    """The score matrix built the straightforward way (all entries at once, COO -> CSC)."""
    vocab: dict[str, int] = {}
    rows, cols, tfs, lengths = [], [], [], []
    for row, text in enumerate(texts):
        tokens = tokenize(text) or ["\0"]
        ids = [vocab.setdefault(t, len(vocab)) for t in tokens]
        unique, count = np.unique(np.asarray(ids, dtype=np.int32), return_counts=True)
        rows += [row] * len(unique)
        cols += unique.tolist()
        tfs += count.tolist()
        lengths.append(len(tokens))
    n = len(texts)
    doc_len = np.asarray(lengths, dtype=np.float32)
    token_ids = np.asarray(cols, dtype=np.int32)
    row_ids = np.asarray(rows, dtype=np.int32)
    tf = np.asarray(tfs, dtype=np.float32)
    df = np.bincount(token_ids, minlength=len(vocab)).astype(np.float32)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = k1 * ((1 - b) + b * doc_len / doc_len.mean())
    scores = (idf[token_ids] * tf / (tf + norm[row_ids])).astype(np.float32)
    return sp.csc_matrix((scores, (row_ids, token_ids)), shape=(n, len(vocab)), dtype=np.float32)


def test_column_by_column_build_equals_coo_build(monkeypatch) -> None:
    # Tiny spill and fill chunks, so the corpus crosses many chunk boundaries (rows split mid-column).
    monkeypatch.setattr(lexical, "_SPILL_ENTRIES", 7)
    monkeypatch.setattr(lexical, "_FILL_ENTRIES", 11)
    rng = random.Random(0)
    texts = ["".join(rng.choices(TEXTS, k=rng.randint(0, 4))) for _ in range(300)]
    built = LexicalIndex.build(iter(texts))._bm25.scores
    expected = _coo_reference(texts)
    for key in ("indices", "indptr"):
        assert built[key].dtype == getattr(expected, key).dtype
        assert np.array_equal(built[key], getattr(expected, key)), key
    # Each score is the same float32 value rounded once to float16.
    assert built["data"].dtype == lexical.SCORE_DTYPE
    assert np.array_equal(built["data"], expected.data.astype(lexical.SCORE_DTYPE))


def test_occurring_in_finds_the_tokens_in_any_of_the_rows_given() -> None:
    rng = random.Random(3)
    chars = "财政收入学位产值亿元工业"
    texts = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(60)]
    index = LexicalIndex.build(texts)
    tokens = {t for text in texts for t in tokenize(text)} | {"从未出现"}
    for rows in (np.arange(10, 25), np.array([3, 17, 40, 59]), np.array([0])):  # a run, scattered, one
        expected = {t for t in tokens if any(t in tokenize(texts[r]) for r in rows)}
        assert index.occurring_in(tokens, rows) == expected, rows


def test_scores_summed_in_small_batches_equal_one_batch(monkeypatch) -> None:
    index = LexicalIndex.build(TEXTS)
    tokens = tokenize("财政收入和收入学位亿元")
    whole = index.scores(tokens)
    monkeypatch.setattr(lexical, "_SCORE_ENTRIES", 2)  # a bincount every column or two
    np.testing.assert_array_equal(index.scores(tokens), whole)


def test_folding_in_place_keeps_every_offset():
    text = "ＧＤＰ去年增長多少﹖今年目標呢？ ㎡ ﬁ İ"
    folded = fold_in_place(text)
    assert len(folded) == len(text)
    assert folded.startswith("gdp去年增長多少?今年目標呢?")  # marks and letters folded, characters kept
    assert folded.index("?") == text.index("﹖")

"""Keyword search: BM25 (bm25s) over character n-grams of normalized text.

Character unigrams + bigrams need no word segmenter and keep names, programs and slogans
searchable (jieba splits them; measured in shared/notes/reference/offline-embedding-hunt.md).
Latin words and numbers stay whole tokens, so "1.6" or "gdp" match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import bm25s
import numpy as np
import scipy.sparse as sp

from qa.text.normalize import CJK_CHAR, normalize

# A run of CJK characters, or a Latin word / number (decimals and percent kept together).
_TOKEN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:\.[0-9]+)?%?")


def tokenize(text: str) -> list[str]:
    """Tokens of ``text``: each CJK character and each adjacent pair, plus whole Latin/number words."""
    tokens: list[str] = []
    for match in _TOKEN_RUN.finditer(normalize(text)):
        run = match.group()
        if CJK_CHAR.match(run):
            tokens.extend(run)
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def idf_value(df: int, n: int) -> float:
    """Inverse document frequency (Lucene's form) of a token found in ``df`` of ``n`` rows; 0 if none."""
    return float(np.log(1 + (n - df + 0.5) / (df + 0.5))) if df else 0.0


class LexicalIndex:
    """BM25 over a fixed list of texts; rows are positions in that list."""

    def __init__(self, bm25: bm25s.BM25, size: int) -> None:
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: Iterable[str], k1: float = 1.5, b: float = 0.75) -> LexicalIndex:
        """BM25 (bm25s's default, Lucene's form) over ``texts``, built a text at a time.

        ``bm25s.BM25.index`` wants every text's token list at once: Python strings for ~300 tokens a
        passage, tens of GB at a million passages. Here each text is reduced to token ids and counts
        as it is read, and the score matrix bm25s searches is made with numpy and scipy in one go
        (tests/test_lexical.py checks it equals bm25s's own; benchmarks/RESULTS.md has the memory).
        """
        vocab: dict[str, int] = {}
        uniques, counts, lengths = [], [], []
        for text in texts:
            # An empty token list would leave a row without terms; a placeholder keeps rows aligned.
            tokens = tokenize(text) or ["\0"]
            ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), np.int32, len(tokens))
            unique, count = np.unique(ids, return_counts=True)
            uniques.append(unique)
            counts.append(count.astype(np.float32))
            lengths.append(len(tokens))
        n = len(lengths)
        if n == 0:
            raise ValueError("no texts to index")
        doc_len = np.asarray(lengths, dtype=np.float32)
        per_doc = np.fromiter((len(u) for u in uniques), dtype=np.int64, count=n)
        token_ids = np.concatenate(uniques)
        del uniques
        tf = np.concatenate(counts)
        del counts
        rows = np.repeat(np.arange(n, dtype=np.int32), per_doc)
        df = np.bincount(token_ids, minlength=len(vocab)).astype(np.float32)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        norm = k1 * ((1 - b) + b * doc_len / doc_len.mean())
        scores = (idf[token_ids] * tf / (tf + norm[rows])).astype(np.float32)
        del tf
        matrix = sp.csc_matrix((scores, (rows, token_ids)), shape=(n, len(vocab)), dtype=np.float32)
        del scores, rows, token_ids
        bm25 = bm25s.BM25(k1=k1, b=b)
        bm25.scores = {"data": matrix.data, "indices": matrix.indices, "indptr": matrix.indptr, "num_docs": n}
        bm25.vocab_dict = vocab
        bm25.nonoccurrence_array = None  # Lucene's BM25 gives absent terms no score
        return cls(bm25, n)

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(directory), show_progress=False), size)

    def idf(self, tokens: set[str]) -> dict[str, float]:
        """Inverse document frequency (Lucene's form) of each token; 0 for tokens never indexed."""
        vocab = self._bm25.vocab_dict
        indptr = self._bm25.scores["indptr"]  # column t of the CSC matrix holds the rows containing token t
        out = {}
        for token in tokens:
            t = vocab.get(token)
            out[token] = idf_value(int(indptr[t + 1] - indptr[t]) if t is not None else 0, self.size)
        return out

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every row for the query tokens (unknown tokens are ignored)."""
        vocab = self._bm25.vocab_dict
        known = [t for t in query_tokens if t in vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)


def unseen_idf(rows: int) -> float:
    """The IDF a token would have if it occurred in none of ``rows`` rows: the largest possible."""
    return float(np.log(1 + (rows + 0.5) / 0.5))

"""Keyword search: BM25 (bm25s) over character n-grams of normalized text.

Character unigrams + bigrams need no word segmenter and keep names, programs and slogans
searchable (jieba splits them; measured in shared/notes/reference/offline-embedding-hunt.md).
Latin words and numbers stay whole tokens, so "1.6" or "gdp" match exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

import bm25s
import numpy as np

from qa.textnorm import CJK_CHAR, normalize

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
    def build(cls, texts: list[str]) -> LexicalIndex:
        bm25 = bm25s.BM25()
        # An empty token list would make bm25s drop the row; a placeholder keeps rows aligned.
        bm25.index([tokenize(t) or ["\0"] for t in texts], show_progress=False)
        return cls(bm25, len(texts))

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

"""Keyword search: BM25 (bm25s) over character n-grams of normalized text.

Character unigrams + bigrams need no word segmenter and keep names, programs and slogans
searchable (jieba splits them; measured in shared/notes/reference/offline-embedding-hunt.md).
Latin words and numbers stay whole tokens, so "1.6" or "gdp" match exactly.
"""

from __future__ import annotations

import re
import tempfile
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import bm25s
import numpy as np

from qa.text.normalize import CJK_CHAR, CJK_RANGES, normalize

# A run of CJK characters, or a Latin word / number (decimals and percent kept together).
_TOKEN_RUN = re.compile(rf"[{CJK_RANGES}]+|[a-z0-9]+(?:\.[0-9]+)?%?")
# (token id, count) entries buffered before they are spilled to the temporary file, and filled into
# the matrix per chunk: a few MB of temporaries either way.
_SPILL_ENTRIES = 1 << 20
_FILL_ENTRIES = 1 << 18
_SCORE_ENTRIES = 1 << 20  # entries summed per bincount when a question is scored
# The stored score of each (row, token) entry. A score is a few units and a query adds up a few dozen,
# so float16's 11-bit mantissa (relative error below 0.05%) changes no ranking that matters, and the
# matrix of a million passages fits a 2 GB machine (1.4 GB instead of 1.9 GB; benchmarks/RESULTS.md).
SCORE_DTYPE = np.float16


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


def _runs(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and last row of each run of consecutive ids in ``rows`` (sorted)."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return rows, rows
    breaks = np.flatnonzero(np.diff(rows) != 1)
    return rows[np.concatenate(([0], breaks + 1))], rows[np.concatenate((breaks, [len(rows) - 1]))]


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
        """BM25 (bm25s's default, Lucene's form) over ``texts``, read once, built a column at a time.

        ``bm25s.BM25.index`` wants every text's token list at once (Python strings: tens of GB at a
        million passages), and a COO -> CSC conversion holds the matrix several times over. Here each
        text is reduced to token ids and counts as it is read and spilled to a temporary file; once the
        document frequencies are known, the CSC arrays bm25s searches are allocated at their final size
        and filled column by column from that file, a chunk of texts at a time. Peak memory is the
        matrix itself plus a few MB (benchmarks/RESULTS.md has the memory at 1M passages).

        Each entry's score is computed as bm25s computes it and stored as float16 (SCORE_DTYPE), and
        a query sums them in float64: within 0.05% of bm25s's own scores (tests/test_lexical.py), in
        three quarters of the memory (the score array is half of float32's, the row ids are unchanged).
        """
        vocab: dict[str, int] = {}
        df = np.zeros(1024, dtype=np.int64)
        # Two ints per text: as C ints, not Python objects (60 MB at 1M texts otherwise).
        lengths = array("i")
        per_doc = array("i")
        with tempfile.TemporaryFile() as ids_file, tempfile.TemporaryFile() as tf_file:
            pending_ids: list[np.ndarray] = []
            pending_tf: list[np.ndarray] = []
            pending = 0
            for text in texts:
                # An empty token list would leave a row without terms; a placeholder keeps rows aligned.
                tokens = tokenize(text) or ["\0"]
                ids = np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), np.int32, len(tokens))
                unique, count = np.unique(ids, return_counts=True)
                if len(vocab) > len(df):
                    df = np.concatenate([df, np.zeros(max(len(df), len(vocab)), dtype=np.int64)])
                df[unique] += 1  # ids are unique within a text, so fancy-index += counts each once
                pending_ids.append(unique)
                pending_tf.append(count.astype(np.int32))
                pending += len(unique)
                lengths.append(len(tokens))
                per_doc.append(len(unique))
                if pending >= _SPILL_ENTRIES:
                    np.concatenate(pending_ids).tofile(ids_file)
                    np.concatenate(pending_tf).tofile(tf_file)
                    pending_ids, pending_tf, pending = [], [], 0
            n = len(lengths)
            if n == 0:
                raise ValueError("no texts to index")
            if pending_ids:
                np.concatenate(pending_ids).tofile(ids_file)
                np.concatenate(pending_tf).tofile(tf_file)
            del pending_ids, pending_tf
            ids_file.seek(0)
            tf_file.seek(0)
            matrix = _fill_columns(
                ids_file, tf_file, np.frombuffer(per_doc, np.int32), lengths, df[: len(vocab)], k1, b
            )
        bm25 = bm25s.BM25(k1=k1, b=b)
        bm25.scores = {**matrix, "num_docs": n}
        bm25.vocab_dict = vocab
        bm25.nonoccurrence_array = None  # Lucene's BM25 gives absent terms no score
        return cls(bm25, n)

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> LexicalIndex:
        return cls(bm25s.BM25.load(str(directory), show_progress=False), size)

    def document_frequency(self, tokens: set[str], rows: np.ndarray | None = None) -> dict[str, int]:
        """How many rows hold each token: of every row, or of ``rows`` (sorted row ids) only."""
        if rows is None:
            indptr = self._bm25.scores["indptr"]  # column t of the CSC matrix holds the rows with token t
            found = {token: self._bm25.vocab_dict.get(token) for token in tokens}
            return {token: 0 if t is None else int(indptr[t + 1] - indptr[t]) for token, t in found.items()}
        runs = _runs(rows)
        return {token: self._frequency(token, runs) for token in tokens}

    def occurring_in(self, tokens: Iterable[str], rows: np.ndarray) -> set[str]:
        """Which of ``tokens`` occur in any of ``rows`` (sorted row ids); the runs of ``rows`` are
        found once for all the tokens (a question asks this for a few dozen)."""
        runs = _runs(rows)
        return {token for token in set(tokens) if self._frequency(token, runs) > 0}

    def _frequency(self, token: str, runs: tuple[np.ndarray, np.ndarray]) -> int:
        """How many rows of ``runs`` (first and last rows of each run of consecutive rows) hold
        ``token``: binary searches of its column, whose rows are ascending, instead of reading texts.
        A document's passages are one run, so a few reports are a few searches."""
        t = self._bm25.vocab_dict.get(token)
        firsts, lasts = runs
        if t is None or len(firsts) == 0:
            return 0
        indptr = self._bm25.scores["indptr"]
        column = self._bm25.scores["indices"][indptr[t] : indptr[t + 1]]
        return int((column.searchsorted(lasts, side="right") - column.searchsorted(firsts)).sum())

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every row for the query tokens (unknown tokens are ignored)."""
        vocab = self._bm25.vocab_dict
        data, rows, indptr = (self._bm25.scores[key] for key in ("data", "indices", "indptr"))
        columns = [t for t in (vocab.get(token) for token in query_tokens) if t is not None]
        # The sum bm25s's get_scores computes: every query token's column (a repeated token's twice),
        # added per row. bm25s adds column by column with np.add.at, ~60 ms a query over float16 at
        # 100k passages; np.bincount over the concatenated columns is one pass in C (1.3 ms at 100k;
        # tests/test_lexical.py compares with bm25s). Columns go in batches of about _SCORE_ENTRIES
        # entries, so a question's temporaries stay ~20 MB even where common characters' columns
        # hold most of a million rows.
        summed = np.zeros(self.size, dtype=np.float64)
        batch: list[slice] = []
        entries = 0
        for i, t in enumerate(columns, start=1):
            batch.append(slice(indptr[t], indptr[t + 1]))
            entries += int(indptr[t + 1] - indptr[t])
            if entries >= _SCORE_ENTRIES or i == len(columns):
                weights = np.concatenate([data[span] for span in batch]).astype(np.float64)
                summed += np.bincount(np.concatenate([rows[span] for span in batch]), weights, self.size)
                batch, entries = [], 0
        return summed.astype(np.float32)


def _fill_columns(
    ids_file: BinaryIO,
    tf_file: BinaryIO,
    per_doc: np.ndarray,
    lengths: Sequence[int],
    df_counts: np.ndarray,
    k1: float,
    b: float,
) -> dict[str, np.ndarray]:
    """The CSC arrays (data, indices, indptr) of the BM25 score matrix, rows x tokens, from the
    spilled (token id, count) runs of each row; rows come in order, so each column stays sorted."""
    n = len(lengths)
    doc_len = np.asarray(lengths, dtype=np.float32)
    df = df_counts.astype(np.float32)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = k1 * ((1 - b) + b * doc_len / doc_len.mean())
    nnz = int(df_counts.sum())
    # The same index types scipy would choose for this many entries.
    index_type = np.int32 if nnz < 2**31 else np.int64
    indptr = np.zeros(len(df_counts) + 1, dtype=index_type)
    np.cumsum(df_counts, out=indptr[1:])
    data = np.empty(nnz, dtype=SCORE_DTYPE)
    indices = np.empty(nnz, dtype=index_type)
    fill = indptr[:-1].astype(np.int64)  # next free slot of each column
    row_ends = np.cumsum(per_doc, dtype=np.int64)
    first = 0
    while first < n:
        # Rows whose entries make about one chunk: bounds the temporaries whatever the corpus size.
        last = max(first + 1, int(np.searchsorted(row_ends, row_ends[first] + _FILL_ENTRIES)))
        last = min(last, n)
        size = int(per_doc[first:last].sum())
        ids = np.fromfile(ids_file, dtype=np.int32, count=size)
        tf = np.fromfile(tf_file, dtype=np.int32, count=size).astype(np.float32)
        rows = np.repeat(np.arange(first, last, dtype=np.int32), per_doc[first:last])
        # The same float32 expression as bm25s's scoring, then rounded once to SCORE_DTYPE.
        scores = (idf[ids] * tf / (tf + norm[rows])).astype(np.float32)
        order = np.argsort(ids, kind="stable")  # stable: rows stay ascending within a column
        sorted_ids = ids[order]
        starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
        rank = np.arange(size) - np.repeat(starts, np.diff(np.r_[starts, size]))
        slots = fill[sorted_ids] + rank
        data[slots] = scores[order]
        indices[slots] = rows[order]
        fill += np.bincount(ids, minlength=len(fill))
        first = last
    return {"data": data, "indices": indices, "indptr": indptr}

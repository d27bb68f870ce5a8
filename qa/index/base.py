"""What every store shares: the store protocol, the sentence table, the manifest, the row accessors.

Two implementations: ``qa.index.local.IndexData`` (FAISS + in-process BM25 in the index folder, the
default) and ``qa.index.milvus.MilvusStore`` (a Milvus collection; the index folder keeps the
manifest and document texts and points at the collection). Both return ranked ``(row, score)``
lists; fusion, boosts and answers happen once, above this layer. This module imports no
implementation: retrieval depends on it alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qa.index.catalog import Catalog
from qa.index.lexical import tokenize
from qa.schema import DocumentInfo, Passage

FORMAT_NAME = "report-qa-index"
# 3: lexical tokens of traditional characters are those of simplified ones (qa.text.normalize).
FORMAT_VERSION = 3
REBUILD_HINT = "rebuild it with `report-qa index PATH ... --rebuild`"


@dataclass
class SentenceTable:
    """The sentences of every passage: spans inside the passage text and their embeddings.

    Sentences are what gets embedded; a passage's vector is the normalized mean of its sentences'
    (as good as embedding the passage on both dev sets, and cheaper: shorter sequences). Keeping
    the sentence vectors lets the answer step compare the question with each sentence for free.
    """

    offsets: np.ndarray  # int64, len(passages) + 1: sentences of row r are offsets[r]:offsets[r+1]
    spans: np.ndarray  # int32 (n, 2): start, end inside the passage text
    vectors: np.ndarray  # float16 (n, dim), normalized; float16 halves the disk and page cache

    FILES = ("offsets", "spans", "vectors")

    @classmethod
    def from_parts(cls, parts: list[tuple[np.ndarray, np.ndarray]], dimension: int) -> SentenceTable:
        """Stack per-passage (spans, vectors) pairs, in passage order."""
        counts = [len(spans) for spans, _ in parts]
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        spans = np.concatenate([s for s, _ in parts]) if parts else np.zeros((0, 2))
        vectors = np.concatenate([v for _, v in parts]) if parts else np.zeros((0, dimension))
        return cls(offsets, spans.astype(np.int32), vectors.astype(np.float16))

    def of(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """Spans and vectors of the sentences of passage ``row``."""
        lo, hi = self.offsets[row], self.offsets[row + 1]
        return self.spans[lo:hi], self.vectors[lo:hi]

    def passage_vectors(self, chunk: int = 65536) -> np.ndarray:
        """One normalized float32 vector per passage: the mean of its sentence vectors.

        Computed ``chunk`` passages at a time, so a million passages (five million memory-mapped
        float16 sentence vectors) never need a float32 copy of all sentence vectors at once.
        """
        rows = len(self.offsets) - 1
        out = np.zeros((rows, self.vectors.shape[1]), dtype=np.float32)
        for lo in range(0, rows, chunk):
            hi = min(rows, lo + chunk)
            first, last = int(self.offsets[lo]), int(self.offsets[hi])
            block = np.asarray(self.vectors[first:last], dtype=np.float32)
            if len(block):
                starts = self.offsets[lo:hi] - first
                sums = np.add.reduceat(block, np.minimum(starts, len(block) - 1), axis=0)
                sums[starts >= len(block)] = 0.0  # passages without sentences (none in practice)
                sums[np.diff(self.offsets[lo : hi + 1]) == 0] = 0.0
                norms = np.linalg.norm(sums, axis=1, keepdims=True)
                out[lo:hi] = sums / np.where(norms == 0, 1.0, norms)
        return out

    def sample_vectors(self, count: int, seed: int = 0) -> np.ndarray:
        """Up to ``count`` sentence vectors (float32) chosen at random: stand-ins for questions."""
        n = len(self.vectors)
        rows = np.sort(np.random.default_rng(seed).choice(n, size=min(count, n), replace=False))
        return np.asarray(self.vectors[rows], dtype=np.float32)

    def save(self, directory: Path) -> None:
        """Write the table as three ``.npy`` files (no pickle) into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        for name in self.FILES:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path) -> SentenceTable:
        """The table saved in ``directory``; vectors are memory-mapped (only the top passages' are read)."""
        return cls(
            np.load(directory / "offsets.npy", allow_pickle=False),
            np.load(directory / "spans.npy", allow_pickle=False),
            np.load(directory / "vectors.npy", allow_pickle=False, mmap_mode="r"),
        )


class IndexStore(Protocol):
    """An index snapshot: documents, passages with their sentences, dense and lexical search."""

    manifest: dict[str, Any]
    documents: list[DocumentInfo]
    texts: dict[str, str]  # doc_id -> stored document text

    @property
    def review_years(self) -> dict[str, int | None]:
        """doc_id -> the year each document reviews."""

    @property
    def catalog(self) -> Catalog:
        """The documents looked up by region and year (qa.index.catalog)."""

    @property
    def passage_count(self) -> int:
        """How many passages are indexed."""

    def passage(self, row: int) -> Passage:
        """The passage of ``row``."""

    def passage_rows(self) -> list[tuple[int, Passage]]:
        """Every (row, passage), in row order."""

    def sentence_parts(self, rows: Iterable[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sentence spans (int32 (n, 2), inside the passage) and float16 vectors of each row."""

    def document_frequency(
        self, tokens: set[str], doc_ids: Iterable[str] | None = None
    ) -> tuple[dict[str, int], int]:
        """How many passages hold each lexical token, and how many passages were counted: all, or
        those of ``doc_ids`` only."""

    def document_terms(self, doc_id: str, tokens: Iterable[str]) -> set[str]:
        """Which of the lexical ``tokens`` occur anywhere in document ``doc_id``."""

    def dense_search(
        self, query: np.ndarray, k: int, doc_ids: Iterable[str] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, inner product) for a normalized query vector, only of ``doc_ids`` if given."""

    def lexical_search(
        self, text: str, k: int, doc_ids: Iterable[str] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, BM25 score) for a query text, only of ``doc_ids`` if given."""

    def add(
        self,
        documents: list[DocumentInfo],
        texts: dict[str, str],
        passages: list[Passage],
        sentences: SentenceTable,
    ) -> IndexStore:
        """The index with these documents added (their passages and sentences, row for row)."""

    def delete_document(self, doc_id: str) -> IndexStore:
        """The index without ``doc_id``: its passages leave both search paths."""

    def save(self, index_dir: Path) -> Path:
        """Make this snapshot the live index of ``index_dir``; returns the generation folder."""


# A document's tokens, made once per text (a store hands over the same str object each time, whose
# hash Python keeps): tokenizing a national report costs ~10 ms.
@lru_cache(maxsize=512)
def _text_tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


class StoreBase:
    """The row accessors every store has alike, over what ``_by_row`` returns.

    A store keeps its passages either as a list (row = position) or as a mapping (row -> passage,
    when rows are not contiguous); either way these answer the same.
    """

    documents: list[DocumentInfo]

    def _by_row(self) -> Sequence[Passage] | Mapping[int, Passage]:
        raise NotImplementedError

    @cached_property
    def review_years(self) -> dict[str, int | None]:
        """doc_id -> the year each document reviews (see DocumentInfo.review_year)."""
        return {d.doc_id: d.review_year for d in self.documents}

    def document_terms(self, doc_id: str, tokens: Iterable[str]) -> set[str]:
        """Which of the lexical ``tokens`` occur anywhere in document ``doc_id``, read from its
        stored text (the local store answers from its BM25 index instead, without reading texts)."""
        text = self.texts.get(doc_id)
        return set() if text is None else set(tokens) & _text_tokens(text)

    @cached_property
    def catalog(self) -> Catalog:
        """The documents looked up by region and year; a snapshot's documents never change."""
        return Catalog(self.documents)

    @property
    def passage_count(self) -> int:
        """How many passages are indexed."""
        return len(self._by_row())

    def passage(self, row: int) -> Passage:
        """The passage of ``row``."""
        return self._by_row()[row]

    def passage_rows(self) -> list[tuple[int, Passage]]:
        """Every (row, passage), in row order."""
        rows = self._by_row()
        return list(rows.items()) if isinstance(rows, Mapping) else list(enumerate(rows))


def build_manifest(
    settings: dict[str, Any],
    documents: list[DocumentInfo],
    passage_count: int,
    dimension: int,
    dense_index: dict[str, Any],
    store: dict[str, Any],
) -> dict[str, Any]:
    """The manifest of an index, whichever store holds it (the generation adds ``files``)."""
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        **settings,
        "dimension": int(dimension),
        "documents": [d.to_dict() for d in documents],
        "passage_count": passage_count,
        "dense_index": dense_index,
        "store": store,
    }


# Manifest keys that describe the index as a whole, not its contents (kept across add/delete).
_CONTENT_KEYS = {"documents", "passage_count", "dense_index", "files", "created", "dimension", "store"}


def settings_of(manifest: dict[str, Any]) -> dict[str, Any]:
    """The settings an index was built with (format, model, passages), as ``build_manifest`` takes them."""
    return {k: v for k, v in manifest.items() if k not in _CONTENT_KEYS}


def store_kind(manifest: dict[str, Any]) -> str:
    """Which store holds an index: "local" or another engine named by the manifest's ``store``."""
    return str(manifest.get("store", {}).get("kind", "local"))

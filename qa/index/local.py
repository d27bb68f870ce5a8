"""The local store: passages, document texts, FAISS vectors and BM25 in a generation folder.

A local generation (see qa.index.generations for the folder, CURRENT and the manifest) holds::

    documents/<doc_id>.txt   stored document texts (context around citations)
    passages.jsonl   one Passage per line; row i is vector i and BM25 row i
    dense.faiss      FAISS inner-product index over passage vectors (mean of their sentences)
    sentences/       per-sentence spans and embeddings (numpy .npy, no pickle)
    lexical/         bm25s files (numpy arrays + JSON, no pickle)
    manifest.json    written last: format, model, documents, files with size and sha256
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from qa.errors import IndexStoreError
from qa.index import generations
from qa.index.base import REBUILD_HINT, SentenceTable, StoreBase, build_manifest, settings_of
from qa.index.faiss_dense import (
    PROBE_QUERIES,
    build_dense_index,
    read_dense,
    search_index,
    search_rows,
    write_dense,
)
from qa.index.lexical import LexicalIndex, tokenize
from qa.schema import DocumentInfo, Passage


@dataclass
class IndexData(StoreBase):
    """Everything one local generation holds, in memory."""

    manifest: dict[str, Any]
    documents: list[DocumentInfo]
    texts: dict[str, str]  # doc_id -> stored document text
    passages: list[Passage]
    sentences: SentenceTable
    dense: faiss.Index
    lexical: LexicalIndex

    @classmethod
    def build(
        cls,
        documents: list[DocumentInfo],
        texts: dict[str, str],
        passages: list[Passage],
        sentences: SentenceTable,
        settings: dict[str, Any],
        previous: IndexData | None = None,
    ) -> IndexData:
        """Assemble an index from passages and their sentences' embeddings, row for row.

        ``previous``: the index these passages were added to, embedded with the same settings. When
        its passages are the first rows here (documents were only added), its vector index is
        extended instead of rebuilt (see build_dense_index).
        """
        if len(passages) != len(sentences.offsets) - 1:
            raise ValueError(f"{len(passages)} passages but sentences for {len(sentences.offsets) - 1}")
        vectors = sentences.passage_vectors()
        prefix = None
        if previous is not None and "dense_index" in previous.manifest:
            old = [p.passage_id for p in previous.passages]
            if old == [p.passage_id for p in passages[: len(old)]]:
                prefix = (previous.dense, previous.manifest["dense_index"])
        dense, dense_info = build_dense_index(
            vectors, lambda: sentences.sample_vectors(PROBE_QUERIES), previous=prefix
        )
        del vectors
        dimension = int(sentences.vectors.shape[1])
        manifest = build_manifest(
            settings, documents, len(passages), dimension, dense_info, {"kind": "local"}
        )
        lexical = LexicalIndex.build([p.text for p in passages])
        return cls(manifest, documents, texts, passages, sentences, dense, lexical)

    def _by_row(self) -> list[Passage]:
        return self.passages

    def sentence_parts(self, rows: Iterable[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sentence spans and vectors of each of ``rows`` (see SentenceTable.of)."""
        return [self.sentences.of(row) for row in rows]

    def document_frequency(
        self, tokens: set[str], doc_ids: Iterable[str] | None = None
    ) -> tuple[dict[str, int], int]:
        """How many passages hold each lexical token (qa.index.lexical.tokenize), and how many
        passages were counted: all, or those of ``doc_ids``."""
        rows = self._allowed_rows(doc_ids)
        return self.lexical.document_frequency(tokens, rows), self.lexical.size if rows is None else len(rows)

    @cached_property
    def _rows_of(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = {}
        for row, passage in enumerate(self.passages):
            rows.setdefault(passage.doc_id, []).append(row)
        return {doc_id: np.array(r, dtype=np.int64) for doc_id, r in rows.items()}

    def document_terms(self, doc_id: str, tokens: Iterable[str]) -> set[str]:
        """Which of the lexical ``tokens`` occur in any passage of ``doc_id``: looked up in the BM25
        index's columns (microseconds), where tokenizing a report's text costs ~10 ms; a collection
        of a thousand reports touches new reports with most questions, so a cache would not hold."""
        rows = self._rows_of.get(doc_id)
        if rows is None:
            return set()
        return self.lexical.occurring_in(tokens, rows)

    def _allowed_rows(self, doc_ids: Iterable[str] | None) -> np.ndarray | None:
        if doc_ids is None:
            return None
        parts = [self._rows_of[d] for d in doc_ids if d in self._rows_of]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def dense_search(
        self, query: np.ndarray, k: int, doc_ids: Iterable[str] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k rows by inner product with the query vector, optionally only of ``doc_ids``."""
        rows = self._allowed_rows(doc_ids)
        k = min(k, self.dense.ntotal if rows is None else len(rows))
        if k <= 0:
            return []
        queries = query.reshape(1, -1).astype(np.float32)
        if rows is None:
            scores, ids = search_index(self.dense, queries, k)
        else:
            scores, ids = search_rows(self.dense, queries, rows, k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical_search(
        self, text: str, k: int, doc_ids: Iterable[str] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k rows by BM25 over character n-grams of ``text`` (rows scoring 0 left out)."""
        scores = self.lexical.scores(tokenize(text))
        rows = self._allowed_rows(doc_ids)
        if rows is not None:
            mask = np.zeros(len(scores), dtype=bool)
            mask[rows] = True
            scores = np.where(mask, scores, 0.0)
        # The top k by partition, then sorted: a full sort of a million scores costs ~250 ms, this
        # ~8 ms (benchmarks/RESULTS.md, "BM25 at scale").
        top = np.argpartition(-scores, k)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.lexsort((top, -scores[top]))]  # by score, ties by row as a stable sort would
        return [(int(r), float(scores[r])) for r in top if scores[r] > 0]

    def add(
        self,
        documents: list[DocumentInfo],
        texts: dict[str, str],
        passages: list[Passage],
        sentences: SentenceTable,
    ) -> IndexData:
        """A new index with ``documents`` (their passages and sentences) after these; not yet saved."""
        parts = self.sentence_parts(range(len(self.passages)))
        parts += [sentences.of(row) for row in range(len(passages))]
        return IndexData.build(
            self.documents + documents,
            self.texts | texts,
            self.passages + passages,
            SentenceTable.from_parts(parts, self.sentences.vectors.shape[1]),
            settings_of(self.manifest),
            previous=self,  # the old rows come first: the vector index is extended, not rebuilt
        )

    def delete_document(self, doc_id: str) -> IndexData:
        """A new index without ``doc_id`` and its passages; not yet saved."""
        kept = [row for row, p in enumerate(self.passages) if p.doc_id != doc_id]
        return IndexData.build(
            [d for d in self.documents if d.doc_id != doc_id],
            {d: t for d, t in self.texts.items() if d != doc_id},
            [self.passages[row] for row in kept],
            SentenceTable.from_parts(self.sentence_parts(kept), self.sentences.vectors.shape[1]),
            settings_of(self.manifest),
        )

    def save(self, index_dir: Path) -> Path:
        """Write this index as the live generation of ``index_dir`` (see ``save``)."""
        return save(self, index_dir)


def save(data: IndexData, index_dir: Path) -> Path:
    """Write ``data`` as a new generation and make it the live one; returns the generation folder."""

    def write_payload(tmp: Path) -> None:
        generations.write_text(
            tmp / "passages.jsonl",
            "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in data.passages),
        )
        write_dense(data.dense, tmp / "dense.faiss")
        data.sentences.save(tmp / "sentences")
        data.lexical.save(tmp / "lexical")

    final, data.manifest = generations.write_generation(index_dir, data.manifest, data.texts, write_payload)
    return final


def open_generation(
    generation: Path, manifest: dict[str, Any], documents: list[DocumentInfo], texts: dict[str, str]
) -> IndexData:
    """A verified local generation (see qa.index.generations.load), read into memory."""
    with (generation / "passages.jsonl").open(encoding="utf-8") as f:
        passages = [Passage.from_dict(json.loads(line)) for line in f]
    dense = read_dense(generation / "dense.faiss", manifest.get("dense_index", {}))
    sentences = SentenceTable.load(generation / "sentences")
    lexical = LexicalIndex.load(generation / "lexical", len(passages))
    if not len(passages) == manifest["passage_count"] == dense.ntotal == len(sentences.offsets) - 1:
        raise IndexStoreError(
            f"{generation.parent}: passage count does not match the manifest; {REBUILD_HINT}"
        )
    return IndexData(manifest, documents, texts, passages, sentences, dense, lexical)


def load(index_dir: Path, openers: dict[str, generations.Opener] | None = None) -> Any:
    """Load and verify the live generation of ``index_dir``; None when there is no index yet.

    A local index loads as ``IndexData``; one whose manifest names another store (``{"store":
    {"kind": "milvus", ...}}``) is handed to ``openers[kind]`` (see qa.index.generations.load).
    """
    return generations.load(Path(index_dir), {"local": open_generation, **(openers or {})})

"""The persisted index: passages, document texts, FAISS vectors, BM25, and a manifest.

Layout of an index folder::

    index/
      CURRENT            name of the live generation (replaced atomically)
      .lock              held while writing
      gen-000004/        one complete, immutable index
        documents/<doc_id>.txt   stored document texts (context around citations)
        passages.jsonl   one Passage per line; row i is vector i and BM25 row i
        dense.faiss      FAISS inner-product index over passage vectors (mean of their sentences)
        sentences/       per-sentence spans and embeddings (numpy .npy, no pickle)
        lexical/         bm25s files (numpy arrays + JSON, no pickle)
        manifest.json    written last: format, model, documents, files with size and sha256

A save writes a new generation folder and then swaps CURRENT, so a reader (or a crash at any point)
sees either the old index or the new one, never a half-written one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from qa.lexical import LexicalIndex, tokenize
from qa.schema import DocumentInfo, IndexStoreError, Passage

FORMAT_NAME = "report-qa-index"
FORMAT_VERSION = 2
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

    def passage_vectors(self) -> np.ndarray:
        """One normalized float32 vector per passage: the mean of its sentence vectors."""
        sums = np.add.reduceat(self.vectors.astype(np.float32), self.offsets[:-1], axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return sums / np.where(norms == 0, 1.0, norms)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name in self.FILES:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path) -> SentenceTable:
        # Vectors are memory-mapped: only the sentences of the top passages are read per question.
        return cls(
            np.load(directory / "offsets.npy", allow_pickle=False),
            np.load(directory / "spans.npy", allow_pickle=False),
            np.load(directory / "vectors.npy", allow_pickle=False, mmap_mode="r"),
        )


@dataclass
class IndexData:
    """Everything one generation holds, in memory."""

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
    ) -> IndexData:
        """Assemble an index from passages and their sentences' embeddings, row for row."""
        if len(passages) != len(sentences.offsets) - 1:
            raise ValueError(f"{len(passages)} passages but sentences for {len(sentences.offsets) - 1}")
        vectors = sentences.passage_vectors()
        dense = faiss.IndexFlatIP(sentences.vectors.shape[1])
        dense.add(np.ascontiguousarray(vectors, dtype=np.float32))
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            **settings,
            "dimension": int(sentences.vectors.shape[1]),
            "documents": [d.to_dict() for d in documents],
            "passage_count": len(passages),
        }
        lexical = LexicalIndex.build([p.text for p in passages])
        return cls(manifest, documents, texts, passages, sentences, dense, lexical)

    @cached_property
    def review_years(self) -> dict[str, int | None]:
        """doc_id -> the year each document reviews (see DocumentInfo.review_year)."""
        return {d.doc_id: d.review_year for d in self.documents}

    def dense_search(
        self, query: np.ndarray, k: int, rows: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k rows by inner product with the query vector, optionally only among ``rows``."""
        k = min(k, self.dense.ntotal if rows is None else len(rows))
        if k <= 0:
            return []
        params = None if rows is None else faiss.SearchParameters(sel=faiss.IDSelectorBatch(rows))
        scores, ids = self.dense.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def lexical_scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for a query text."""
        return self.lexical.scores(tokenize(query))


# ---------------------------------------------------------------- persistence


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's writer lock; a second writer waits here instead of interleaving."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def save(data: IndexData, index_dir: Path) -> Path:
    """Write ``data`` as a new generation and make it the live one; returns the generation folder."""
    index_dir = Path(index_dir)
    with write_lock(index_dir):
        for stale in index_dir.glob("*.tmp"):  # left by a writer that was killed
            shutil.rmtree(stale, ignore_errors=True)
        number = 1 + max(
            (int(p.name[4:]) for p in index_dir.glob("gen-[0-9]*") if p.name[4:].isdigit()), default=0
        )
        final = index_dir / f"gen-{number:06d}"
        tmp = index_dir / f"gen-{number:06d}.tmp"
        tmp.mkdir()
        for doc_id, text in data.texts.items():
            _write_text(tmp / "documents" / f"{doc_id}.txt", text)
        _write_text(
            tmp / "passages.jsonl",
            "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in data.passages),
        )
        faiss.write_index(data.dense, str(tmp / "dense.faiss"))
        data.sentences.save(tmp / "sentences")
        data.lexical.save(tmp / "lexical")
        files = {
            str(p.relative_to(tmp)): {"size": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        data.manifest = {**data.manifest, "files": files, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        _write_text(tmp / "manifest.json", json.dumps(data.manifest, ensure_ascii=False, indent=1))
        os.replace(tmp, final)
        _write_text(index_dir / "CURRENT.tmp", final.name)
        os.replace(index_dir / "CURRENT.tmp", index_dir / "CURRENT")
        for old in index_dir.glob("gen-[0-9]*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
    return final


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when the folder holds no index yet."""
    pointer = Path(index_dir) / "CURRENT"
    if not pointer.is_file():
        return None
    generation = Path(index_dir) / pointer.read_text(encoding="utf-8").strip()
    if not generation.is_dir():
        raise IndexStoreError(
            f"{index_dir}: CURRENT names {generation.name}, which is missing; {REBUILD_HINT}"
        )
    return generation


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The live manifest, checked for format; None when there is no index yet."""
    generation = current_generation(index_dir)
    if generation is None:
        return None
    try:
        manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexStoreError(f"{index_dir}: manifest unreadable ({exc}); {REBUILD_HINT}") from None
    if manifest.get("format") != FORMAT_NAME or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexStoreError(
            f"{index_dir} holds index format {manifest.get('format')} v{manifest.get('format_version')}, "
            f"this report-qa reads v{FORMAT_VERSION}; {REBUILD_HINT}"
        )
    return manifest


def load(index_dir: Path) -> IndexData | None:
    """Load and verify the live generation (sizes and checksums); None when there is no index yet."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    generation = current_generation(index_dir)
    assert generation is not None
    for name, expected in manifest.get("files", {}).items():
        path = generation / name
        if (
            not path.is_file()
            or path.stat().st_size != expected["size"]
            or _sha256(path) != expected["sha256"]
        ):
            raise IndexStoreError(f"{index_dir}: {name} is missing or damaged; {REBUILD_HINT}")
    documents = [DocumentInfo(**d) for d in manifest["documents"]]
    texts = {
        d.doc_id: (generation / "documents" / f"{d.doc_id}.txt").read_text(encoding="utf-8")
        for d in documents
    }
    with (generation / "passages.jsonl").open(encoding="utf-8") as f:
        passages = [Passage.from_dict(json.loads(line)) for line in f]
    dense = faiss.read_index(str(generation / "dense.faiss"))
    sentences = SentenceTable.load(generation / "sentences")
    lexical = LexicalIndex.load(generation / "lexical", len(passages))
    if not len(passages) == manifest["passage_count"] == dense.ntotal == len(sentences.offsets) - 1:
        raise IndexStoreError(f"{index_dir}: passage count does not match the manifest; {REBUILD_HINT}")
    return IndexData(manifest, documents, texts, passages, sentences, dense, lexical)

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
sees either the old index or the new one, never a half-written one. An index held by another engine
(Milvus, ``qa.index.milvus``) keeps the same folder with only documents/ and the manifest, whose
``store`` entry names where the passages live; ``load`` hands such a generation to an opener.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from qa.errors import IndexStoreError
from qa.index.lexical import LexicalIndex, tokenize
from qa.schema import DocumentInfo, Passage

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
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            **settings,
            "dimension": int(sentences.vectors.shape[1]),
            "documents": [d.to_dict() for d in documents],
            "passage_count": len(passages),
            "dense_index": dense_info,
            "store": {"kind": "local"},
        }
        lexical = LexicalIndex.build([p.text for p in passages])
        return cls(manifest, documents, texts, passages, sentences, dense, lexical)

    @cached_property
    def review_years(self) -> dict[str, int | None]:
        """doc_id -> the year each document reviews (see DocumentInfo.review_year)."""
        return {d.doc_id: d.review_year for d in self.documents}

    @property
    def passage_count(self) -> int:
        """How many passages are indexed."""
        return len(self.passages)

    def passage(self, row: int) -> Passage:
        """The passage of ``row``."""
        return self.passages[row]

    def passage_rows(self) -> list[tuple[int, Passage]]:
        """Every (row, passage), in row order."""
        return list(enumerate(self.passages))

    def sentence_parts(self, rows: Iterable[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sentence spans and vectors of each of ``rows`` (see SentenceTable.of)."""
        return [self.sentences.of(row) for row in rows]

    def idf(self, tokens: set[str]) -> dict[str, float]:
        """Inverse document frequency of each lexical token (qa.index.lexical.tokenize) over the passages."""
        return self.lexical.idf(tokens)

    @cached_property
    def _rows_of(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = {}
        for row, passage in enumerate(self.passages):
            rows.setdefault(passage.doc_id, []).append(row)
        return {doc_id: np.array(r, dtype=np.int64) for doc_id, r in rows.items()}

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
        params = None
        if rows is not None:
            selector = faiss.IDSelectorBatch(rows)
            ivf = _ivf_of(self.dense)
            # Filtered questions on an IVF index visit every list (only the allowed rows are scored),
            # so a filter never loses rows that sit in lists the question's vector is far from.
            params = (
                faiss.SearchParameters(sel=selector)
                if ivf is None
                else faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nlist)
            )
        scores, ids = search_index(self.dense, query.reshape(1, -1).astype(np.float32), k, params)
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


# Manifest keys that describe the index as a whole, not its contents (kept across add/delete).
_CONTENT_KEYS = {"documents", "passage_count", "dense_index", "files", "created", "dimension", "store"}


def settings_of(manifest: dict[str, Any]) -> dict[str, Any]:
    """The settings an index was built with (format, model, passages), as ``build`` takes them."""
    return {k: v for k, v in manifest.items() if k not in _CONTENT_KEYS}


# ---------------------------------------------------------------- dense index by size

# Below this many passages an exact flat index is used; above it an IVF index with float16 codes,
# whose nprobe is tuned at build time to RECALL_TARGET against exact search. Measured on this
# project's shared 2-core machine (benchmarks/RESULTS.md, "Vector index by size"): a flat search
# costs 0.15 ms per 1,000 passages per question (about 7 ms at 50,000, 15 ms at 100,000), and float16
# codes halve the memory (768 MB at 1M passages of dimension 384 instead of 1.5 GB).
FLAT_MAX_PASSAGES = 50_000
RECALL_TARGET = 0.98
PROBE_QUERIES = 256  # sentence vectors standing in for questions when nprobe is tuned
# An IVF index that must visit more than this share of its lists to reach the recall target is
# replaced by an exact float16 scan: it would save little time and lose the exactness.
MAX_SCAN_SHARE = 0.5
# OpenMP threads for one question's search. On a busy 2-core machine two threads made a small
# search 2-4x slower than one (they wait for each other), and concurrent requests each get a core.
SEARCH_THREADS = 1
# From this many vectors scanned by one question (nprobe lists of an IVF index), the lists are split
# over every core instead: at 1M passages (nprobe 704 of 4096, ~170k vectors) that took p50 from
# 23-27 ms to 13-14 ms on 2 idle cores, where thread overhead no longer matters.
PARALLEL_SCAN_MIN = 100_000


def search_index(index: faiss.Index, queries: np.ndarray, k: int, params: Any = None) -> tuple[Any, Any]:
    """``index.search`` in the calling thread with SEARCH_THREADS OpenMP threads, or every core for
    a large IVF scan (see PARALLEL_SCAN_MIN); the thread count is restored after."""
    before = faiss.omp_get_max_threads()
    threads = SEARCH_THREADS
    ivf = _ivf_of(index)
    if ivf is not None:
        nprobe = getattr(params, "nprobe", 0) or ivf.nprobe
        if nprobe * index.ntotal / ivf.nlist >= PARALLEL_SCAN_MIN:
            threads = before
    faiss.omp_set_num_threads(threads)  # per calling thread in OpenMP: other threads unaffected
    try:
        return index.search(queries, k, params=params)
    finally:
        faiss.omp_set_num_threads(before)


def _ivf_of(index: faiss.Index) -> Any:
    """The index as an IndexIVF (for nprobe and nlist), or None for a flat one."""
    try:
        return faiss.extract_index_ivf(index)
    except RuntimeError:
        return None


def recall_at_k(truth: np.ndarray, found: np.ndarray) -> float:
    """Mean share of each row of ``truth`` (exact top-k ids) that appears in the same row of ``found``."""
    if len(truth) == 0:
        return 1.0
    k = truth.shape[1]
    return float(
        np.mean([len(set(t.tolist()) & set(f.tolist())) / k for t, f in zip(truth, found, strict=True)])
    )


def build_dense_index(
    vectors: np.ndarray,
    probes: Any = None,
    flat_max: int = FLAT_MAX_PASSAGES,
    recall_target: float = RECALL_TARGET,
    previous: tuple[faiss.Index, dict[str, Any]] | None = None,
) -> tuple[faiss.Index, dict[str, Any]]:
    """The inner-product index for ``vectors`` (normalized float32 rows) and a description of it.

    Up to ``flat_max`` rows: exact ``IndexFlatIP``. Above: ``IVF{nlist},SQfp16`` with nlist about
    4*sqrt(n), trained on a sample, and the smallest nprobe (1, 2, 4, ...) whose recall@10 on
    ``probes`` (query-like vectors, or a callable returning them; default: a sample of the rows)
    reaches ``recall_target`` against exact search. If that needs more than half of the lists, the
    data has no cluster structure worth using and an exact float16 scan is used instead.

    ``previous``: an index and description made by this function for the first rows of
    ``vectors``. It is copied and only the new rows are added (no retraining) while the corpus stays
    within GROWTH_LIMIT times the rows it was trained on and the tuned recall still holds;
    otherwise the index is built afresh.
    """
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, dimension = vectors.shape
    if n <= flat_max:
        dense = _extended(previous, vectors) if previous and previous[1]["type"] == "flat" else None
        if dense is None:
            dense = faiss.IndexFlatIP(dimension)
            dense.add(vectors)
        return dense, {"type": "flat", "exact": True}
    rng = np.random.default_rng(0)
    queries = probes() if callable(probes) else probes
    if queries is None or len(queries) == 0:
        queries = vectors[rng.choice(n, size=min(PROBE_QUERIES, n), replace=False)]
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    _, truth = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    trained_rows = (previous[1].get("trained_rows") or 0) if previous else 0
    if previous and previous[1]["type"] != "flat" and n <= GROWTH_LIMIT * trained_rows:
        index = _extended(previous, vectors)
        if index is not None:
            described = _describe(index, queries, truth, recall_target, trained_rows)
            if described is not None:
                return index, described
    nlist = int(2 ** round(np.log2(4 * np.sqrt(n))))
    quantizer = faiss.IndexFlatIP(dimension)
    ivf = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    train = vectors[np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))]
    ivf.train(train)
    ivf.add(vectors)
    described = _describe(ivf, queries, truth, recall_target, n)
    if described is not None:
        return ivf, described
    del ivf
    flat = faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    flat.add(vectors)
    described = _describe(flat, queries, truth, 0.0, n)
    assert described is not None  # a flat scan has no recall target to miss
    return flat, described


# A trained IVF index takes new rows without retraining until the corpus has grown this many times
# over the rows it was trained on; past that its lists are too unbalanced to trust, and it is rebuilt.
GROWTH_LIMIT = 2.0


def _extended(previous: tuple[faiss.Index, dict[str, Any]], vectors: np.ndarray) -> faiss.Index | None:
    """A copy of the previous index with the rows of ``vectors`` it lacks added; None if it does not fit."""
    index = previous[0]
    if index.d != vectors.shape[1] or index.ntotal > len(vectors):
        return None
    copy = faiss.clone_index(index)  # readers may still be searching the previous index
    copy.add(vectors[index.ntotal :])
    return copy


def _describe(
    index: faiss.Index, queries: np.ndarray, truth: np.ndarray, recall_target: float, trained_rows: int
) -> dict[str, Any] | None:
    """Tune an IVF index's nprobe to ``recall_target`` and describe it; None if no affordable nprobe
    reaches it. A flat float16 scan is described with the recall it measures."""
    ivf = _ivf_of(index)
    if ivf is not None:
        ivf.parallel_mode = 1  # one question's lists may be split over cores (search_index)
    if ivf is None:
        recall = recall_at_k(truth, index.search(queries, 10)[1])
        return {
            "type": "flat-sqfp16",
            "exact": False,
            "probe_recall_at_10": round(recall, 4),
            "trained_rows": trained_rows,
        }

    def recall_at(nprobe: int) -> float:
        ivf.nprobe = nprobe
        return recall_at_k(truth, index.search(queries, 10)[1])

    # Doubling finds the first power of two that reaches the target; a binary search between it and
    # the failing half then narrows nprobe to 1/16 of that (search time grows with nprobe, and a
    # power of two can overshoot the need by almost 2x).
    low, high = 0, 1
    while (recall := recall_at(high)) < recall_target:
        low, high = high, high * 2
        if high > ivf.nlist * MAX_SCAN_SHARE:
            return None
    best = recall
    while high - low > max(1, high // 16):
        middle = (low + high) // 2
        if (recall := recall_at(middle)) >= recall_target:
            high, best = middle, recall
        else:
            low = middle
    ivf.nprobe = high
    return {
        "type": "ivf-sqfp16",
        "nlist": ivf.nlist,
        "nprobe": high,
        "probe_recall_at_10": round(best, 4),
        "trained_rows": trained_rows,
    }


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


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_held = threading.local()  # index folders whose lock this thread holds, with nesting depth


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's writer lock; a second writer (process or thread) waits here instead
    of interleaving. Re-entrant within a thread, so a read-modify-write can hold it around ``save``."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    depth = getattr(_held, "depth", None)
    if depth is None:
        depth = _held.depth = {}
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with (index_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            fcntl.flock(handle, fcntl.LOCK_UN)


def save(data: IndexData, index_dir: Path) -> Path:
    """Write ``data`` as a new generation and make it the live one; returns the generation folder."""

    def write_payload(tmp: Path) -> None:
        _write_text(
            tmp / "passages.jsonl",
            "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in data.passages),
        )
        faiss.write_index(data.dense, str(tmp / "dense.faiss"))
        data.sentences.save(tmp / "sentences")
        data.lexical.save(tmp / "lexical")

    final, data.manifest = write_generation(index_dir, data.manifest, data.texts, write_payload)
    return final


def write_generation(
    index_dir: Path,
    manifest: dict[str, Any],
    texts: dict[str, str],
    write_payload: Callable[[Path], None] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Write a generation (document texts, what ``write_payload`` puts in the folder, and the
    manifest listing every file) and make it the live one; returns the folder and the manifest."""
    index_dir = Path(index_dir)
    with write_lock(index_dir):
        for stale in index_dir.glob("*.tmp"):  # left by a writer that was killed
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        number = 1 + max(
            (int(p.name[4:]) for p in index_dir.glob("gen-[0-9]*") if p.name[4:].isdigit()), default=0
        )
        final = index_dir / f"gen-{number:06d}"
        tmp = index_dir / f"gen-{number:06d}.tmp"
        tmp.mkdir()
        for doc_id, text in texts.items():
            _write_text(tmp / "documents" / f"{doc_id}.txt", text)
        if write_payload is not None:
            write_payload(tmp)
        files = {
            str(p.relative_to(tmp)): {"size": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        manifest = {**manifest, "files": files, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        _write_text(tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        # On disk before the renames, so a power cut cannot publish a generation of empty files
        # (a killed process needs none of this: the kernel keeps what was written).
        for path in sorted(tmp.rglob("*"), reverse=True):
            _fsync(path)
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync(index_dir)
        _write_text(index_dir / "CURRENT.tmp", final.name)
        os.replace(index_dir / "CURRENT.tmp", index_dir / "CURRENT")
        _fsync(index_dir)
        for old in index_dir.glob("gen-[0-9]*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
    return final, manifest


_GENERATION = re.compile(r"gen-[0-9]{6,}")
_DOC_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")  # a file name in documents/, never a path


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when the folder holds no index yet."""
    pointer = Path(index_dir) / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not _GENERATION.fullmatch(name):
        raise IndexStoreError(f"{index_dir}: CURRENT holds {name[:40]!r}, not a generation; {REBUILD_HINT}")
    generation = Path(index_dir) / name
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


# Opens an index another engine holds, from its verified manifest, documents and texts.
Opener = Callable[[dict[str, Any], list[DocumentInfo], dict[str, str]], Any]


def load(index_dir: Path, openers: dict[str, Opener] | None = None) -> Any:
    """Load and verify the live generation (sizes and checksums); None when there is no index yet.

    A local index loads as ``IndexData``; one whose manifest names another store (``{"store":
    {"kind": "milvus", ...}}``) is handed to ``openers[kind]``. Another process may replace the
    index meanwhile and remove the generation being read: then the read is retried on the new one,
    instead of calling a healthy index damaged.
    """
    for attempt in range(10):
        before = _pointer(index_dir)
        try:
            return _load(index_dir, openers or {})
        except Exception as exc:
            if attempt < 9 and _pointer(index_dir) != before:
                continue
            if isinstance(exc, IndexStoreError):
                raise
            # Files that match their checksums but still do not load (a planted object array, a
            # foreign file format): as unusable as a damaged index, and said the same way.
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            raise IndexStoreError(
                f"{index_dir}: the index could not be read ({reason}); {REBUILD_HINT}"
            ) from exc
    raise AssertionError("unreachable")


def _pointer(index_dir: Path) -> str | None:
    try:
        return (Path(index_dir) / "CURRENT").read_text(encoding="utf-8")
    except OSError:
        return None


def store_kind(manifest: dict[str, Any]) -> str:
    """Which store holds an index: "local" (this module) or another engine named by the manifest."""
    return str(manifest.get("store", {}).get("kind", "local"))


def _load(index_dir: Path, openers: dict[str, Opener]) -> Any:
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    generation = current_generation(index_dir)
    assert generation is not None
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexStoreError(f"{index_dir}: the manifest lists no files; {REBUILD_HINT}")
    for name, expected in files.items():
        path = generation / name
        if (
            not path.resolve().is_relative_to(generation.resolve())
            or not path.is_file()
            or path.stat().st_size != expected["size"]
            or _sha256(path) != expected["sha256"]
        ):
            raise IndexStoreError(f"{index_dir}: {name} is missing or damaged; {REBUILD_HINT}")
    unlisted = sorted(
        str(p.relative_to(generation))
        for p in generation.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )
    unlisted = [name for name in unlisted if name not in files]
    if unlisted:
        raise IndexStoreError(f"{index_dir}: {unlisted[0]} is not in the manifest; {REBUILD_HINT}")
    documents = [DocumentInfo(**d) for d in manifest["documents"]]
    if any(not _DOC_ID.fullmatch(d.doc_id) for d in documents):
        raise IndexStoreError(
            f"{index_dir}: the manifest names a document file outside the index; {REBUILD_HINT}"
        )
    texts = {
        d.doc_id: (generation / "documents" / f"{d.doc_id}.txt").read_text(encoding="utf-8")
        for d in documents
    }
    kind = store_kind(manifest)
    if kind != "local":
        if kind not in openers:
            raise IndexStoreError(f"{index_dir}: the index is held by an unknown store {kind[:40]!r}")
        return openers[kind](manifest, documents, texts)
    with (generation / "passages.jsonl").open(encoding="utf-8") as f:
        passages = [Passage.from_dict(json.loads(line)) for line in f]
    dense = faiss.read_index(str(generation / "dense.faiss"))
    ivf = _ivf_of(dense)
    if ivf is not None:  # the tuned nprobe, as recorded (faiss stores it too; the manifest is the record)
        ivf.nprobe = int(manifest.get("dense_index", {}).get("nprobe", ivf.nprobe))
        ivf.parallel_mode = 1  # as set at build time (see search_index)
    sentences = SentenceTable.load(generation / "sentences")
    lexical = LexicalIndex.load(generation / "lexical", len(passages))
    if not len(passages) == manifest["passage_count"] == dense.ntotal == len(sentences.offsets) - 1:
        raise IndexStoreError(f"{index_dir}: passage count does not match the manifest; {REBUILD_HINT}")
    return IndexData(manifest, documents, texts, passages, sentences, dense, lexical)

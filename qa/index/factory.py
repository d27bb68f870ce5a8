"""Which store holds an index, chosen by configuration: the interface retrieval uses, and the switch.

Two implementations: ``qa.index.local.IndexData`` (FAISS + in-process BM25 in the index folder, the
default) and ``qa.index.milvus.MilvusStore`` (a Milvus collection; the index folder keeps the
manifest and document texts and points at the collection). Both return ranked ``(row, score)``
lists; fusion, boosts and answers happen once, above this layer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qa.errors import IndexStoreError
from qa.index import local
from qa.schema import DocumentInfo, Passage

STORES = ("local", "milvus")


class IndexStore(Protocol):
    """An index snapshot: documents, passages with their sentences, dense and lexical search."""

    manifest: dict[str, Any]
    documents: list[DocumentInfo]
    texts: dict[str, str]  # doc_id -> stored document text

    @property
    def review_years(self) -> dict[str, int | None]:
        """doc_id -> the year each document reviews."""

    @property
    def passage_count(self) -> int:
        """How many passages are indexed."""

    def passage(self, row: int) -> Passage:
        """The passage of ``row``."""

    def passage_rows(self) -> list[tuple[int, Passage]]:
        """Every (row, passage), in row order."""

    def sentence_parts(self, rows: Iterable[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sentence spans (int32 (n, 2), inside the passage) and float16 vectors of each row."""

    def idf(self, tokens: set[str]) -> dict[str, float]:
        """Inverse document frequency of each lexical token over the passages."""

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
        sentences: local.SentenceTable,
    ) -> IndexStore:
        """The index with these documents added (their passages and sentences, row for row)."""

    def delete_document(self, doc_id: str) -> IndexStore:
        """The index without ``doc_id``: its passages leave both search paths."""

    def save(self, index_dir: Path) -> Path:
        """Make this snapshot the live index of ``index_dir``; returns the generation folder."""


@dataclass(frozen=True)
class StoreConfig:
    """Where an index lives. ``kind`` None means: whatever the index folder holds (local if new).

    ``milvus_uri`` is a local file (``index.db``, Milvus Lite) or ``http(s)://host:port`` (a
    Milvus server or cluster); giving one selects Milvus, and with ``kind="milvus"`` it defaults to
    ``$MILVUS_URI``. Credentials come only from the environment: ``MILVUS_TOKEN``, or
    ``MILVUS_USER`` and ``MILVUS_PASSWORD``.
    """

    kind: str | None = None
    milvus_uri: str | None = None
    milvus_collection: str | None = None  # default: report_qa_<hash of the index folder>

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in STORES:
            raise IndexStoreError(f"unknown store {self.kind!r}; stores are {', '.join(STORES)}")
        if self.kind is None and self.milvus_uri:  # a URI given means Milvus; $MILVUS_URI alone does not
            object.__setattr__(self, "kind", "milvus")
        if self.kind == "milvus" and not self.milvus_uri:
            object.__setattr__(self, "milvus_uri", os.environ.get("MILVUS_URI") or None)

    def check(self) -> None:
        """Fail now, before any model loads or anything is embedded, if the store is unusable."""
        if self.kind != "milvus":
            return
        if not self.milvus_uri:
            raise IndexStoreError("the Milvus store needs a URI: --milvus-uri URI (or MILVUS_URI)")
        from qa.index.milvus import connect

        connect(self.milvus_uri)

    def resolved(self, manifest: dict[str, Any] | None) -> StoreConfig:
        """This configuration with its blanks filled from an existing index's manifest."""
        if manifest is None:
            return self
        held = manifest.get("store", {})
        kind = local.store_kind(manifest)
        if self.kind not in (None, kind):
            return self
        # An index opened as it is keeps its recorded URI; one named explicitly may be reached anew.
        return StoreConfig(
            kind,
            (self.kind == kind and self.milvus_uri) or held.get("uri"),
            self.milvus_collection or held.get("collection_base"),
        )


def write_lock(index_dir: Path) -> AbstractContextManager[None]:
    """The index folder's writer lock (``qa.index.local.write_lock``), whichever store holds the index:
    the folder's manifest is what a Milvus index's writers take turns on too."""
    return local.write_lock(index_dir)


def load(index_dir: Path, config: StoreConfig | None = None) -> IndexStore | None:
    """The live index of ``index_dir`` in whichever store holds it; None when there is none yet."""
    config = config or StoreConfig()

    def open_milvus(manifest: dict[str, Any], documents: list[DocumentInfo], texts: dict[str, str]) -> Any:
        from qa.index.milvus import MilvusStore  # pymilvus loads only for Milvus indexes

        # The URI given (the same cluster may be reached by another address), else the recorded one.
        uri = (config.kind == "milvus" and config.milvus_uri) or manifest["store"]["uri"]
        return MilvusStore.open(uri, manifest, documents, texts)

    return local.load(Path(index_dir), {"milvus": open_milvus})


def create(
    index_dir: Path,
    config: StoreConfig,
    documents: list[DocumentInfo],
    texts: dict[str, str],
    passages: list[Passage],
    sentences: local.SentenceTable,
    settings: dict[str, Any],
) -> IndexStore:
    """Build a complete index in the configured store and make it the live one of ``index_dir``."""
    if config.kind == "milvus":
        from qa.index.milvus import MilvusStore

        config.check()
        assert config.milvus_uri is not None
        built: IndexStore = MilvusStore.build(
            config.milvus_uri,
            config.milvus_collection or _collection_base(index_dir),
            documents,
            texts,
            passages,
            sentences,
            settings,
        )
    else:
        built = local.IndexData.build(documents, texts, passages, sentences, settings)
    try:
        held = local.read_manifest(Path(index_dir))
    except IndexStoreError:
        held = None  # a damaged index being replaced
    built.save(Path(index_dir))
    if held is not None and local.store_kind(held) == "milvus" and config.kind != "milvus":
        from qa.index.milvus import drop_collection

        drop_collection(held)  # the index left Milvus: its collection would be orphaned
    return built


def all_sentences(source: IndexStore) -> local.SentenceTable:
    """Every row's sentences, in row order."""
    rows = [row for row, _ in source.passage_rows()]
    return local.SentenceTable.from_parts(source.sentence_parts(rows), int(source.manifest["dimension"]))


def copy(source: IndexStore, index_dir: Path, config: StoreConfig) -> IndexStore:
    """The same index (documents, passages, vectors: nothing re-embedded) in another store."""
    return create(
        index_dir,
        config,
        list(source.documents),
        dict(source.texts),
        [p for _, p in source.passage_rows()],
        all_sentences(source),
        local.settings_of(source.manifest),
    )


def _collection_base(index_dir: Path) -> str:
    """A collection name unique to the index folder: report_qa_<8 hex of its absolute path>."""
    digest = hashlib.sha256(str(Path(index_dir).resolve()).encode()).hexdigest()[:8]
    return f"report_qa_{digest}"

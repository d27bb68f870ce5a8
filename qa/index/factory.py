"""Which store holds an index, chosen by configuration: load, create and copy in the right one.

The store protocol (``IndexStore``) and what the stores share are in qa.index.base; the two
implementations are ``qa.index.local.IndexData`` (FAISS + in-process BM25 in the index folder, the
default) and ``qa.index.milvus.MilvusStore`` (a Milvus collection, loaded only when used).
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import IndexStoreError
from qa.index import generations, local
from qa.index.base import IndexStore, SentenceTable, settings_of, store_kind
from qa.schema import DocumentInfo, Passage
from qa.settings import Settings

STORES = ("local", "milvus")


@dataclass(frozen=True)
class StoreConfig:
    """Where an index lives. ``kind`` None means: whatever the index folder holds (local if new).

    ``milvus_uri`` is a local file (``index.db``, Milvus Lite) or ``http(s)://host:port`` (a
    Milvus server or cluster); giving one selects Milvus. ``milvus_token`` is the credential
    (``user:password`` or an API token), never recorded. ``from_settings`` fills both from
    ``qa.settings.Settings`` (the environment: ``MILVUS_URI`` when Milvus is asked for without a
    URI, ``MILVUS_TOKEN`` or ``MILVUS_USER`` and ``MILVUS_PASSWORD``).
    """

    kind: str | None = None
    milvus_uri: str | None = None
    milvus_collection: str | None = None  # default: report_qa_<hash of the index folder>
    milvus_token: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in STORES:
            raise IndexStoreError(f"unknown store {self.kind!r}; stores are {', '.join(STORES)}")
        if self.kind is None and self.milvus_uri:  # a URI given means Milvus; $MILVUS_URI alone does not
            object.__setattr__(self, "kind", "milvus")

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        kind: str | None = None,
        milvus_uri: str | None = None,
        milvus_collection: str | None = None,
    ) -> StoreConfig:
        """The configuration asked for, with the Milvus URI (only when Milvus is asked for without
        one) and the credentials of ``settings``."""
        if kind == "milvus" and not milvus_uri:
            milvus_uri = settings.milvus_uri
        return cls(kind, milvus_uri, milvus_collection, settings.milvus_token)

    def check(self) -> None:
        """Fail now, before any model loads or anything is embedded, if the store is unusable."""
        if self.kind != "milvus":
            return
        if not self.milvus_uri:
            raise IndexStoreError("the Milvus store needs a URI: --milvus-uri URI (or MILVUS_URI)")
        from qa.index.milvus import connect

        connect(self.milvus_uri, self.milvus_token)

    def resolved(self, manifest: dict[str, Any] | None) -> StoreConfig:
        """This configuration with its blanks filled from an existing index's manifest."""
        if manifest is None:
            return self
        held = manifest.get("store", {})
        kind = store_kind(manifest)
        if self.kind not in (None, kind):
            return self
        # An index opened as it is keeps its recorded URI; one named explicitly may be reached anew.
        return StoreConfig(
            kind,
            (self.kind == kind and self.milvus_uri) or held.get("uri"),
            self.milvus_collection or held.get("collection_base"),
            self.milvus_token,
        )


def write_lock(index_dir: Path) -> AbstractContextManager[None]:
    """The index folder's writer lock (``qa.index.generations.write_lock``), whichever store holds
    the index: the folder's manifest is what a Milvus index's writers take turns on too."""
    return generations.write_lock(index_dir)


def load(index_dir: Path, config: StoreConfig | None = None) -> IndexStore | None:
    """The live index of ``index_dir`` in whichever store holds it; None when there is none yet."""
    config = config or StoreConfig()

    def open_milvus(
        generation: Path, manifest: dict[str, Any], documents: list[DocumentInfo], texts: dict[str, str]
    ) -> Any:
        from qa.index.milvus import MilvusStore  # pymilvus loads only for Milvus indexes

        # The URI given (the same cluster may be reached by another address), else the recorded one.
        uri = (config.kind == "milvus" and config.milvus_uri) or manifest["store"]["uri"]
        return MilvusStore.open(uri, manifest, documents, texts, token=config.milvus_token)

    return local.load(Path(index_dir), {"milvus": open_milvus})


def create(
    index_dir: Path,
    config: StoreConfig,
    documents: list[DocumentInfo],
    texts: dict[str, str],
    passages: list[Passage],
    sentences: SentenceTable,
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
            token=config.milvus_token,
        )
    else:
        built = local.IndexData.build(documents, texts, passages, sentences, settings)
    try:
        held = generations.read_manifest(Path(index_dir))
    except IndexStoreError:
        held = None  # a damaged index being replaced
    built.save(Path(index_dir))
    if held is not None and store_kind(held) == "milvus" and config.kind != "milvus":
        from qa.index.milvus import drop_collection

        drop_collection(held, config.milvus_token)  # the index left Milvus: its collection would be orphaned
    return built


def all_sentences(source: IndexStore) -> SentenceTable:
    """Every row's sentences, in row order."""
    rows = [row for row, _ in source.passage_rows()]
    return SentenceTable.from_parts(source.sentence_parts(rows), int(source.manifest["dimension"]))


def copy(source: IndexStore, index_dir: Path, config: StoreConfig) -> IndexStore:
    """The same index (documents, passages, vectors: nothing re-embedded) in another store."""
    return create(
        index_dir,
        config,
        list(source.documents),
        dict(source.texts),
        [p for _, p in source.passage_rows()],
        all_sentences(source),
        settings_of(source.manifest),
    )


def _collection_base(index_dir: Path) -> str:
    """A collection name unique to the index folder: report_qa_<8 hex of its absolute path>."""
    digest = hashlib.sha256(str(Path(index_dir).resolve()).encode()).hexdigest()[:8]
    return f"report_qa_{digest}"

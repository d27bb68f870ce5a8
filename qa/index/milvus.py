"""The index in Milvus: one collection per index snapshot, searched by the same retrieval as the local store.

A URI ending in ``.db`` is a Milvus Lite file (in-process, for tests and one machine); an
``http(s)://`` URI is a Milvus server or cluster. Credentials (a token, or ``user:password``) are
passed in (``qa.settings.Settings.milvus_token``, from the environment) and never written anywhere.
The collection's fields are in qa.index.milvus_schema.

Writes happen in two phases, like the local store's generations: every change (a build, an add, a
delete) writes a new collection ``<base>_g<N>`` first (the kept rows copied over, the new ones
inserted), and ``save`` then writes the index folder's manifest pointing at it (qa.index.generations)
and, after that swap, drops the older collections. A failed or killed write leaves the old manifest
and its untouched collection: the previous index stays readable, and the next save drops the
half-written collection.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from qa.errors import IndexStoreError
from qa.index import faiss_dense, generations
from qa.index.base import REBUILD_HINT, SentenceTable, StoreBase, build_manifest
from qa.index.lexical import tokenize
from qa.index.milvus_schema import (
    ANALYZERS,
    ENTITY_FIELDS,
    create_collection,
    decode_sentences,
    dense_index_for,
    entity,
    lexical_terms,
    passage_of,
)
from qa.schema import DocumentInfo, Passage

CONNECT_TIMEOUT = 10.0  # seconds before an unreachable server is reported
INSERT_BATCH = 500
QUERY_BATCH = 1000
NAME_ATTEMPTS = 5  # collection names tried, from the next generation number up
_COLLECTION = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,180}")
PASSAGE_FIELDS = ["row", "passage"]


def connect(uri: str, token: str = "") -> Any:
    """A MilvusClient for ``uri`` with ``token`` (``user:password`` or an API token; empty for none);
    IndexStoreError if unreachable. One client per URI and token in a process (Milvus Lite serves a
    file once per process)."""
    return _client(uri, token)


@functools.cache
def _client(uri: str, token: str) -> Any:
    from pymilvus import MilvusClient

    if not re.match(r"https?://", uri):
        if not uri.endswith(".db"):
            raise IndexStoreError(
                f"Milvus URI {uri!r} is neither http(s)://host:port nor a Milvus Lite file ending in .db"
            )
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    try:
        client = MilvusClient(uri=uri, token=token, timeout=CONNECT_TIMEOUT)
        client.list_collections()
    except Exception as exc:
        reason = " ".join(str(exc).split())[:160]
        raise IndexStoreError(f"cannot reach Milvus at {public_uri(uri)}: {reason}") from None
    return client


def drop_collection(manifest: dict[str, Any], token: str = "") -> None:
    """Drop the collection a manifest points at (after the index moved to another store)."""
    held = manifest["store"]
    client = connect(held["uri"], token)
    if client.has_collection(held["collection"]):
        client.drop_collection(held["collection"])


def public_uri(uri: str) -> str:
    """``uri`` as recorded in the manifest: an absolute path for Lite, no user:password for a server."""
    if not re.match(r"https?://", uri):
        return str(Path(uri).resolve())
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _generations(client: Any, base: str) -> dict[str, int]:
    """The collections of index ``base``, by name, with their generation numbers."""
    found = (re.fullmatch(rf"{base}_g(\d+)", name) for name in client.list_collections())
    return {m.group(0): int(m.group(1)) for m in found if m}


def _new_collection(client: Any, base: str, dimension: int, count: int, analyzer: str) -> tuple[str, dict]:
    """Create the next collection generation of ``base`` for ``count`` passages; its name and index."""
    number = 1 + max(_generations(client, base).values(), default=0)
    dense_index = dense_index_for(count, faiss_dense.FLAT_MAX_PASSAGES)
    for attempt in range(NAME_ATTEMPTS):
        collection = f"{base}_g{number + attempt:06d}"
        try:
            create_collection(client, collection, dimension, dense_index, analyzer)
            return collection, dense_index
        except Exception as exc:
            # A writer killed while creating a collection can leave its name taken but unlisted
            # (Milvus Lite keeps the folder): the next number is as good.
            if attempt == NAME_ATTEMPTS - 1 or "exist" not in str(exc).lower():
                raise
    raise AssertionError("unreachable")


class MilvusStore(StoreBase):
    """An index snapshot held in one Milvus collection (see qa.index.milvus_schema for its fields)."""

    def __init__(
        self,
        client: Any,
        manifest: dict[str, Any],
        documents: list[DocumentInfo],
        texts: dict[str, str],
        passages: dict[int, Passage],
    ) -> None:
        self.client = client
        self.manifest = manifest
        self.documents = documents
        self.texts = texts
        self._passages = passages  # row -> passage, as of this snapshot
        self._counted: dict[str | None, Counter[str]] = {}  # _frequency_of, by document
        self.collection: str = manifest["store"]["collection"]
        self.analyzer: str = manifest["store"]["analyzer"]

    # ------------------------------------------------------------ creating and opening

    @classmethod
    def build(
        cls,
        uri: str,
        base: str,
        documents: list[DocumentInfo],
        texts: dict[str, str],
        passages: list[Passage],
        sentences: SentenceTable,
        settings: dict[str, Any],
        analyzer: str = "ngram",
        token: str = "",
    ) -> MilvusStore:
        """A new collection ``<base>_g<N>`` holding these passages; the index folder is not touched."""
        if not _COLLECTION.fullmatch(base):
            raise IndexStoreError(f"Milvus collection name {base!r}: use letters, digits and _")
        if analyzer not in ANALYZERS:
            raise IndexStoreError(f"unknown analyzer {analyzer!r}; analyzers are {', '.join(ANALYZERS)}")
        client = connect(uri, token)
        dimension = int(sentences.vectors.shape[1])
        collection, dense_index = _new_collection(client, base, dimension, len(passages), analyzer)
        held = {
            "kind": "milvus",
            "uri": public_uri(uri),
            "collection": collection,
            "collection_base": base,
            "analyzer": analyzer,
            "next_row": 0,
        }
        manifest = build_manifest(settings, documents, len(passages), dimension, dense_index, held)
        self = cls(client, manifest, list(documents), dict(texts), {})
        with self._dropped_on_failure():
            self._insert(0, passages, sentences)
        return self

    @classmethod
    def open(
        cls,
        uri: str,
        manifest: dict[str, Any],
        documents: list[DocumentInfo],
        texts: dict[str, str],
        token: str = "",
    ) -> MilvusStore:
        """The index a manifest points at; its passages are read once (vectors stay in Milvus)."""
        client = connect(uri, token)
        collection = manifest["store"]["collection"]
        if not client.has_collection(collection):
            raise IndexStoreError(
                f"Milvus at {public_uri(uri)} has no collection {collection}; {REBUILD_HINT}"
            )
        client.load_collection(collection)
        passages: dict[int, Passage] = {}
        for lo in range(0, int(manifest["store"]["next_row"]), QUERY_BATCH):
            found = client.query(
                collection, filter=f"row >= {lo} and row < {lo + QUERY_BATCH}", output_fields=PASSAGE_FIELDS
            )
            passages.update((int(e["row"]), passage_of(e)) for e in found)
        if len(passages) != manifest["passage_count"]:
            raise IndexStoreError(
                f"Milvus collection {collection} holds {len(passages)} passages, the manifest "
                f"{manifest['passage_count']}; {REBUILD_HINT}"
            )
        return cls(client, manifest, documents, texts, dict(sorted(passages.items())))

    def save(self, index_dir: Path) -> Path:
        """Point ``index_dir`` at this collection (the manifest swap), then drop older collections.

        The collection is complete before this is called; until the manifest is swapped the folder
        still names the previous collection, which nothing here has changed.
        """
        with generations.write_lock(index_dir):
            final, self.manifest = generations.write_generation(index_dir, self.manifest, self.texts)
            self._drop_older()
        return final

    def _drop_older(self) -> None:
        """Drop this index's collections older than this one: the one the replaced manifest named,
        and any a killed or failed write left behind (newer ones may be another writer's build)."""
        found = _generations(self.client, self.manifest["store"]["collection_base"])
        mine = found.get(self.collection, 0)
        for name, number in sorted(found.items()):
            if number < mine:
                self.client.drop_collection(name)

    # ------------------------------------------------------------ reading

    def _by_row(self) -> dict[int, Passage]:
        return self._passages

    def sentence_parts(self, rows: Iterable[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sentence spans and float16 vectors of each row, read from the collection."""
        rows = [int(r) for r in rows]
        dimension = int(self.manifest["dimension"])
        by_row: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for lo in range(0, len(rows), QUERY_BATCH):
            found = self.client.query(
                self.collection,
                filter=f"row in {rows[lo : lo + QUERY_BATCH]}",
                output_fields=["row", "spans", "sentences"],
            )
            by_row.update(
                (int(e["row"]), decode_sentences(e["spans"], e["sentences"], dimension)) for e in found
            )
        missing = [r for r in rows if r not in by_row]
        if missing:
            raise IndexStoreError(f"Milvus collection {self.collection} lost row {missing[0]}")
        return [by_row[r] for r in rows]

    @cached_property
    def _passages_of(self) -> dict[str | None, list[Passage]]:
        """doc_id -> its passages; None -> every passage."""
        by_doc: dict[str | None, list[Passage]] = {None: list(self._passages.values())}
        for passage in by_doc[None]:
            by_doc.setdefault(passage.doc_id, []).append(passage)
        return by_doc

    def _frequency_of(self, key: str | None) -> Counter[str]:
        """Passages of document ``key`` (None: of all) holding each token, counted on first use."""
        if key not in self._counted:
            counts: Counter[str] = Counter()
            for passage in self._passages_of[key]:
                counts.update(set(tokenize(passage.text)))
            self._counted[key] = counts
        return self._counted[key]

    def document_frequency(
        self, tokens: set[str], doc_ids: Iterable[str] | None = None
    ) -> tuple[dict[str, int], int]:
        """Passages holding each token (qa.index.lexical.tokenize), and passages counted (of doc_ids)."""
        keys = [None] if doc_ids is None else [d for d in set(doc_ids) if d in self._passages_of]
        counts = [self._frequency_of(key) for key in keys]
        return {t: sum(c[t] for c in counts) for t in tokens}, sum(len(self._passages_of[k]) for k in keys)

    def dense_search(
        self, query: np.ndarray, k: int, doc_ids: Iterable[str] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, inner product) from the collection's dense index."""
        params = {"metric_type": "IP", "params": {"ef": max(2 * k, 64)}}
        vector = np.asarray(query, dtype=np.float32).ravel().tolist()
        return self._search(vector, "dense", k, doc_ids, params)

    def lexical_search(
        self, text: str, k: int, doc_ids: Iterable[str] | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (row, BM25 score) from Milvus's BM25 over the ``terms`` field."""
        terms = lexical_terms(text, self.analyzer)
        if not terms.strip():
            return []
        hits = self._search(terms, "lexical", k, doc_ids, {"metric_type": "BM25"})
        # Milvus Lite reports BM25 as a negated distance (best first either way); the score is shown.
        return [(row, abs(score)) for row, score in hits if score != 0]

    def _search(
        self, data: Any, field: str, k: int, doc_ids: Iterable[str] | None, params: dict[str, Any]
    ) -> list[tuple[int, float]]:
        expression = ""
        if doc_ids is not None:
            wanted = sorted(set(doc_ids))
            if not wanted:
                return []
            expression = f"doc_id in {json.dumps(wanted)}"
        k = min(k, len(self._passages))
        if k <= 0:
            return []
        result = self.client.search(
            self.collection,
            data=[data],
            anns_field=field,
            limit=k,
            filter=expression,
            output_fields=["row"],
            search_params=params,
        )
        hits = [(int(h["entity"]["row"]), float(h["distance"])) for h in result[0]]
        return [(row, score) for row, score in hits if row in self._passages]

    # ------------------------------------------------------------ writing (a new collection each time)

    def add(
        self,
        documents: list[DocumentInfo],
        texts: dict[str, str],
        passages: list[Passage],
        sentences: SentenceTable,
    ) -> MilvusStore:
        """A new collection with these rows and the documents' passages; returns it, unsaved."""
        first = int(self.manifest["store"]["next_row"])
        new = self._successor(self.documents + documents, self.texts | texts, None, len(passages))
        with new._dropped_on_failure():
            new._copy_from(self)
            new._insert(first, passages, sentences)
        return new

    def delete_document(self, doc_id: str) -> MilvusStore:
        """A new collection with the rows of every other document; returns it, unsaved."""
        new = self._successor(
            [d for d in self.documents if d.doc_id != doc_id],
            {d: t for d, t in self.texts.items() if d != doc_id},
            doc_id,
            0,
        )
        with new._dropped_on_failure():
            new._copy_from(self, without=doc_id)
        return new

    def _successor(
        self, documents: list[DocumentInfo], texts: dict[str, str], without: str | None, added: int
    ) -> MilvusStore:
        """An empty next collection generation for this index, sized for what it will hold."""
        kept = sum(1 for p in self._passages.values() if p.doc_id != without)
        held = self.manifest["store"]
        collection, dense_index = _new_collection(
            self.client, held["collection_base"], int(self.manifest["dimension"]), kept + added, self.analyzer
        )
        manifest = {
            **self.manifest,
            "documents": [d.to_dict() for d in documents],
            "passage_count": 0,
            "dense_index": dense_index,
            "store": {**held, "collection": collection},
        }
        return MilvusStore(self.client, manifest, documents, texts, {})

    def _copy_from(self, source: MilvusStore, without: str | None = None) -> None:
        """Copy ``source``'s rows (except those of document ``without``) into this collection, rows kept."""
        rows = [row for row, p in source._passages.items() if p.doc_id != without]
        for lo in range(0, len(rows), QUERY_BATCH):
            found = self.client.query(
                source.collection, filter=f"row in {rows[lo : lo + QUERY_BATCH]}", output_fields=ENTITY_FIELDS
            )
            if len(found) != len(rows[lo : lo + QUERY_BATCH]):
                raise IndexStoreError(f"Milvus collection {source.collection} lost rows; {REBUILD_HINT}")
            entities = [{name: e[name] for name in ENTITY_FIELDS} for e in found]
            for at in range(0, len(entities), INSERT_BATCH):
                self.client.insert(self.collection, entities[at : at + INSERT_BATCH])
        self._passages.update((row, source._passages[row]) for row in rows)
        self.manifest["passage_count"] = len(self._passages)

    def _insert(self, first: int, passages: list[Passage], sentences: SentenceTable) -> None:
        vectors = sentences.passage_vectors()
        for lo in range(0, len(passages), INSERT_BATCH):
            batch = []
            for i in range(lo, min(len(passages), lo + INSERT_BATCH)):
                batch.append(entity(first + i, passages[i], *sentences.of(i), vectors[i], self.analyzer))
            self.client.insert(self.collection, batch)
        self._passages.update((first + i, p) for i, p in enumerate(passages))
        self.manifest["passage_count"] = len(self._passages)
        # Rows are never reused; a reader pages through 0 .. next_row.
        self.manifest["store"] = {**self.manifest["store"], "next_row": first + len(passages)}

    @contextmanager
    def _dropped_on_failure(self) -> Iterator[None]:
        """If the block fails, this (unsaved) collection is dropped, and the error raised on."""
        try:
            yield
        except BaseException:
            self.client.drop_collection(self.collection)
            raise

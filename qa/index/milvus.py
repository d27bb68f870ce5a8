"""The index in Milvus: one collection per index, searched by the same retrieval as the local store.

A URI ending in ``.db`` is a Milvus Lite file (in-process, for tests and one machine); an
``http(s)://`` URI is a Milvus server or cluster. Credentials come only from the environment
(``MILVUS_TOKEN``, or ``MILVUS_USER`` + ``MILVUS_PASSWORD``) and are never written anywhere.

One entity per passage (``row`` is the primary key, the row retrieval ranks):

    row INT64 · passage_id · doc_id · passage (JSON of the Passage, text included)
    terms      VARCHAR analysed by Milvus into the BM25 sparse field ``lexical``
    dense      FLOAT_VECTOR, the passage vector (mean of its sentences'), metric IP
    spans      ARRAY<INT32>, sentence start/end pairs inside the passage text
    sentences  VARCHAR, base64 of the sentence vectors as float16 (what the answer step compares)

Lexical search: ``terms`` holds the same character uni+bigrams as the local BM25 (qa.index.lexical),
each written as the hex of its UTF-8 bytes, so Milvus's ``standard`` tokenizer (a word per run of
letters and digits, on Lite and on a server alike) keeps every n-gram whole. The alternative,
``analyzer="jieba"`` (Milvus's jieba tokenizer on the raw text), ranked worse on both dev sets
(benchmarks/MILVUS.md). The index folder keeps the manifest and document texts (qa.index.local) and
names the collection; a rebuild writes a new collection and drops the old one after the switch.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from qa.errors import IndexStoreError
from qa.index import local
from qa.index.lexical import idf_value, tokenize
from qa.schema import DocumentInfo, Passage

ANALYZERS = ("ngram", "jieba")
CONNECT_TIMEOUT = 10.0  # seconds before an unreachable server is reported
INSERT_BATCH = 500
QUERY_BATCH = 1000
HNSW = {"M": 16, "efConstruction": 200}  # above local.FLAT_MAX_PASSAGES, as FAISS switches to IVF
BM25 = {"bm25_k1": 1.5, "bm25_b": 0.75}  # bm25s's defaults, so both stores score alike
MAX_VARCHAR = 65535
MAX_SPANS = 4096  # ARRAY capacity: 2048 sentences per passage
_COLLECTION = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,180}")
PASSAGE_FIELDS = ["row", "passage"]


def connect(uri: str) -> Any:
    """A MilvusClient for ``uri`` with credentials from the environment; IndexStoreError if unreachable.

    One client per URI and credentials in a process (Milvus Lite serves a file once per process).
    """
    user, password = os.environ.get("MILVUS_USER", ""), os.environ.get("MILVUS_PASSWORD", "")
    return _client(uri, os.environ.get("MILVUS_TOKEN") or (f"{user}:{password}" if user else ""))


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


def drop_collection(manifest: dict[str, Any]) -> None:
    """Drop the collection a manifest points at (after the index moved to another store)."""
    held = manifest["store"]
    client = connect(held["uri"])
    if client.has_collection(held["collection"]):
        client.drop_collection(held["collection"])


def public_uri(uri: str) -> str:
    """``uri`` as recorded in the manifest: an absolute path for Lite, no user:password for a server."""
    if not re.match(r"https?://", uri):
        return str(Path(uri).resolve())
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def lexical_terms(text: str, analyzer: str) -> str:
    """What the ``terms`` field (or a BM25 query) holds for ``text``."""
    if analyzer == "jieba":
        return text
    return " ".join(token.encode("utf-8").hex() for token in tokenize(text))


def encode_sentences(spans: np.ndarray, vectors: np.ndarray) -> tuple[list[int], str]:
    """Spans flattened to [start, end, ...] and vectors as base64 float16 bytes."""
    return spans.astype(np.int32).ravel().tolist(), base64.b64encode(
        np.ascontiguousarray(vectors, dtype=np.float16).tobytes()
    ).decode("ascii")


def decode_sentences(spans: list[int], vectors: str, dimension: int) -> tuple[np.ndarray, np.ndarray]:
    """The inverse of ``encode_sentences``."""
    flat = np.frombuffer(base64.b64decode(vectors), dtype=np.float16)
    return np.array(spans, dtype=np.int32).reshape(-1, 2), flat.reshape(-1, dimension)


class MilvusStore:
    """An index held in a Milvus collection (see the module docstring for its fields)."""

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
        sentences: local.SentenceTable,
        settings: dict[str, Any],
        analyzer: str = "ngram",
    ) -> MilvusStore:
        """A new collection ``<base>_g<N>`` holding these passages; the index folder is not touched."""
        if not _COLLECTION.fullmatch(base):
            raise IndexStoreError(f"Milvus collection name {base!r}: use letters, digits and _")
        if analyzer not in ANALYZERS:
            raise IndexStoreError(f"unknown analyzer {analyzer!r}; analyzers are {', '.join(ANALYZERS)}")
        client = connect(uri)
        numbers = [
            int(n) for n in re.findall(rf"^{base}_g(\d+)$", "\n".join(client.list_collections()), re.M)
        ]
        collection = f"{base}_g{1 + max(numbers, default=0):06d}"
        dimension = int(sentences.vectors.shape[1])
        dense_index = _dense_index(len(passages))
        _create_collection(client, collection, dimension, dense_index, analyzer)
        manifest = {
            "format": local.FORMAT_NAME,
            "format_version": local.FORMAT_VERSION,
            **settings,
            "dimension": dimension,
            "documents": [d.to_dict() for d in documents],
            "passage_count": len(passages),
            "dense_index": dense_index,
            "store": {
                "kind": "milvus",
                "uri": public_uri(uri),
                "collection": collection,
                "collection_base": base,
                "analyzer": analyzer,
                "next_row": 0,
            },
        }
        self = cls(client, manifest, list(documents), dict(texts), {})
        self._insert(0, passages, sentences)
        return self

    @classmethod
    def open(
        cls, uri: str, manifest: dict[str, Any], documents: list[DocumentInfo], texts: dict[str, str]
    ) -> MilvusStore:
        """The index a manifest points at; its passages are read once (vectors stay in Milvus)."""
        client = connect(uri)
        collection = manifest["store"]["collection"]
        if not client.has_collection(collection):
            raise IndexStoreError(
                f"Milvus at {public_uri(uri)} has no collection {collection}; {local.REBUILD_HINT}"
            )
        client.load_collection(collection)
        passages: dict[int, Passage] = {}
        for lo in range(0, int(manifest["store"]["next_row"]), QUERY_BATCH):
            found = client.query(
                collection, filter=f"row >= {lo} and row < {lo + QUERY_BATCH}", output_fields=PASSAGE_FIELDS
            )
            passages.update((int(e["row"]), _passage_of(e)) for e in found)
        if len(passages) != manifest["passage_count"]:
            raise IndexStoreError(
                f"Milvus collection {collection} holds {len(passages)} passages, the manifest "
                f"{manifest['passage_count']}; {local.REBUILD_HINT}"
            )
        return cls(client, manifest, documents, texts, dict(sorted(passages.items())))

    def save(self, index_dir: Path) -> Path:
        """Point ``index_dir`` at this collection (manifest + texts), then drop older generations."""
        final, self.manifest = local.write_generation(index_dir, self.manifest, self.texts)
        base = self.manifest["store"]["collection_base"]
        for name in self.client.list_collections():
            if re.fullmatch(rf"{base}_g\d+", name) and name != self.collection:
                self.client.drop_collection(name)
        return final

    # ------------------------------------------------------------ reading

    @cached_property
    def review_years(self) -> dict[str, int | None]:
        """doc_id -> the year each document reviews."""
        return {d.doc_id: d.review_year for d in self.documents}

    @property
    def passage_count(self) -> int:
        """How many passages are indexed."""
        return len(self._passages)

    def passage(self, row: int) -> Passage:
        """The passage of ``row``."""
        return self._passages[row]

    def passage_rows(self) -> list[tuple[int, Passage]]:
        """Every (row, passage), in row order."""
        return list(self._passages.items())

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
    def _document_frequency(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for passage in self._passages.values():
            counts.update(set(tokenize(passage.text)))
        return counts

    def idf(self, tokens: set[str]) -> dict[str, float]:
        """Inverse document frequency of each token (qa.index.lexical.tokenize), counted over the passages."""
        counts, n = self._document_frequency, len(self._passages)
        return {t: idf_value(counts[t], n) for t in tokens}

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
        # Rows added by another writer after this snapshot are not part of it.
        hits = [(int(h["entity"]["row"]), float(h["distance"])) for h in result[0]]
        return [(row, score) for row, score in hits if row in self._passages]

    # ------------------------------------------------------------ writing

    def add(
        self,
        documents: list[DocumentInfo],
        texts: dict[str, str],
        passages: list[Passage],
        sentences: local.SentenceTable,
    ) -> MilvusStore:
        """Insert the documents' passages into the collection; returns the new snapshot (unsaved)."""
        first = int(self.manifest["store"]["next_row"])
        new = self._with(self.documents + documents, self.texts | texts, dict(self._passages))
        new._insert(first, passages, sentences)
        return new

    def delete_document(self, doc_id: str) -> MilvusStore:
        """Delete the document's passages from the collection; returns the new snapshot (unsaved)."""
        self.client.delete(self.collection, filter=f"doc_id == {json.dumps(doc_id)}")
        return self._with(
            [d for d in self.documents if d.doc_id != doc_id],
            {d: t for d, t in self.texts.items() if d != doc_id},
            {row: p for row, p in self._passages.items() if p.doc_id != doc_id},
        )

    def _with(
        self, documents: list[DocumentInfo], texts: dict[str, str], passages: dict[int, Passage]
    ) -> MilvusStore:
        manifest = {
            **self.manifest,
            "documents": [d.to_dict() for d in documents],
            "passage_count": len(passages),
        }
        return MilvusStore(self.client, manifest, documents, texts, passages)

    def _insert(self, first: int, passages: list[Passage], sentences: local.SentenceTable) -> None:
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


def entity(
    row: int, passage: Passage, spans: np.ndarray, vectors: np.ndarray, dense: np.ndarray, analyzer: str
) -> dict[str, Any]:
    """The collection entity of one passage: its fields as inserted (see the module docstring)."""
    flat_spans, encoded = encode_sentences(spans, vectors)
    terms = lexical_terms(passage.text, analyzer)
    meta = json.dumps(passage.to_dict(), ensure_ascii=False)
    for name, value, limit in (
        ("sentence vectors", encoded, MAX_VARCHAR),
        ("lexical terms", terms, MAX_VARCHAR),
        ("passage", meta, MAX_VARCHAR),
        ("sentence spans", flat_spans, MAX_SPANS),
    ):
        if len(value.encode() if isinstance(value, str) else value) > limit:
            raise IndexStoreError(f"passage {passage.passage_id}: its {name} exceed Milvus's limit")
    return {
        "row": row,
        "passage_id": passage.passage_id,
        "doc_id": passage.doc_id,
        "passage": meta,
        "terms": terms or " ",
        "dense": dense.tolist(),
        "spans": flat_spans,
        "sentences": encoded,
    }


def _passage_of(entity: dict[str, Any]) -> Passage:
    return Passage.from_dict(json.loads(entity["passage"]))


def _dense_index(count: int) -> dict[str, Any]:
    """Exact FLAT search up to local.FLAT_MAX_PASSAGES passages, as the local store; HNSW above."""
    if count <= local.FLAT_MAX_PASSAGES:
        return {"type": "FLAT", "exact": True}
    return {"type": "HNSW", **HNSW}


def _create_collection(
    client: Any, collection: str, dimension: int, dense_index: dict[str, Any], analyzer: str
) -> None:
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("row", DataType.INT64, is_primary=True)
    schema.add_field("passage_id", DataType.VARCHAR, max_length=256)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=64)
    schema.add_field("passage", DataType.VARCHAR, max_length=MAX_VARCHAR)
    tokenizer = "jieba" if analyzer == "jieba" else "standard"
    schema.add_field(
        "terms",
        DataType.VARCHAR,
        max_length=MAX_VARCHAR,
        enable_analyzer=True,
        analyzer_params={"tokenizer": tokenizer},
    )
    schema.add_field("lexical", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("spans", DataType.ARRAY, element_type=DataType.INT32, max_capacity=MAX_SPANS)
    schema.add_field("sentences", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_function(
        Function(
            name="bm25",
            function_type=FunctionType.BM25,
            input_field_names=["terms"],
            output_field_names=["lexical"],
        )
    )
    index_params = client.prepare_index_params()
    params = {k: v for k, v in dense_index.items() if k not in ("type", "exact")}
    index_params.add_index("dense", index_type=dense_index["type"], metric_type="IP", params=params)
    index_params.add_index("doc_id", index_type="INVERTED")
    index_params.add_index("lexical", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25)
    client.create_collection(collection, schema=schema, index_params=index_params, consistency_level="Strong")

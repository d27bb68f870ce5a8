"""The Milvus collection of an index: its fields, how a passage becomes an entity, and back.

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
(benchmarks/MILVUS.md).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

from qa.errors import IndexStoreError
from qa.index.lexical import tokenize
from qa.schema import Passage

ANALYZERS = ("ngram", "jieba")
HNSW = {"M": 16, "efConstruction": 200}  # above faiss_dense.FLAT_MAX_PASSAGES, as FAISS switches to IVF
BM25 = {"bm25_k1": 1.5, "bm25_b": 0.75}  # bm25s's defaults, so both stores score alike
MAX_VARCHAR = 65535
MAX_SPANS = 4096  # ARRAY capacity: 2048 sentences per passage
# Every field an entity is inserted with (``lexical`` is computed by Milvus from ``terms``).
ENTITY_FIELDS = ["row", "passage_id", "doc_id", "passage", "terms", "dense", "spans", "sentences"]


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


def passage_of(entity: dict[str, Any]) -> Passage:
    """The Passage an entity holds."""
    return Passage.from_dict(json.loads(entity["passage"]))


def dense_index_for(count: int, flat_max: int) -> dict[str, Any]:
    """Exact FLAT search up to ``flat_max`` passages, as the local store; HNSW above."""
    if count <= flat_max:
        return {"type": "FLAT", "exact": True}
    return {"type": "HNSW", **HNSW}


def create_collection(
    client: Any, collection: str, dimension: int, dense_index: dict[str, Any], analyzer: str
) -> None:
    """Create ``collection`` with the fields and indexes of the module docstring."""
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

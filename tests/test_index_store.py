"""The store contract, once, for both stores: local (FAISS + BM25) and Milvus (via Milvus Lite)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import HashEmbedder

from qa.errors import IndexStoreError
from qa.index import factory as index_store
from qa.index.factory import StoreConfig
from qa.index.local import SentenceTable
from qa.schema import DocumentInfo, Passage

TEXTS = {
    "town": ["全年财政总收入1.6亿元。比增8.8%。", "新增学位3600个。", "建成消防救援站。"],
    "city": ["地区生产总值增长5%。", "新建道路12公里。", "紫湖郊野公园全面建成。"],
}


def _document(doc_id: str, year: int) -> tuple[DocumentInfo, str, list[Passage], SentenceTable]:
    """A document of ``TEXTS[doc_id]``, one passage per entry, one sentence per "。"."""
    embedder = HashEmbedder()
    texts = TEXTS[doc_id]
    text = "".join(texts)
    info = DocumentInfo(doc_id=doc_id, title=f"{doc_id}报告", source=f"{doc_id}.txt", year=year)
    passages, parts, at = [], [], 0
    for i, t in enumerate(texts):
        passages.append(
            Passage(doc_id, info.title, ["一、"], "review", at, at + len(t), t, passage_id=f"{doc_id}:{i}")
        )
        cuts = [0] + [j + 1 for j, c in enumerate(t) if c == "。"]
        spans = np.array(list(itertools.pairwise(cuts)), dtype=np.int32)
        parts.append((spans, embedder.encode_passages([t[s:e] for s, e in spans])))
        at += len(t)
    return info, text, passages, SentenceTable.from_parts(parts, embedder.dimension)


def _create(kind: str, tmp_path, doc_ids=("town", "city")):
    config = StoreConfig(kind, str(tmp_path / "milvus.db") if kind == "milvus" else None)
    docs = [_document(d, 2022 + i) for i, d in enumerate(doc_ids)]
    parts = [p for _, _, _, table in docs for p in (table.of(r) for r in range(len(table.offsets) - 1))]
    return index_store.create(
        tmp_path / "ix",
        config,
        [d[0] for d in docs],
        {d[0].doc_id: d[1] for d in docs},
        [p for d in docs for p in d[2]],
        SentenceTable.from_parts(parts, HashEmbedder.dimension),
        {"model": HashEmbedder().identity()},
    )


def _row_of(data, passage_id: str) -> int:
    return next(row for row, p in data.passage_rows() if p.passage_id == passage_id)


def _query(text: str) -> np.ndarray:
    return HashEmbedder().encode_queries([text])[0]


STORE_KINDS = ["local", "milvus"]


@pytest.fixture(params=STORE_KINDS)
def data(request, tmp_path):
    return _create(request.param, tmp_path)


def test_passages_and_documents_are_held_row_for_row(data):
    assert data.passage_count == 6
    assert [p.passage_id for _, p in data.passage_rows()] == [f"{d}:{i}" for d in TEXTS for i in range(3)]
    row = _row_of(data, "city:1")
    assert data.passage(row).text == "新建道路12公里。"
    assert {d.doc_id for d in data.documents} == {"town", "city"}
    assert data.texts["town"].startswith("全年财政总收入")


def test_dense_search_ranks_the_passage_itself_first(data):
    hits = data.dense_search(_query("新增学位3600个。"), 3)
    assert hits[0][0] == _row_of(data, "town:1")
    assert len(hits) == 3 and hits[0][1] >= hits[1][1] >= hits[2][1]


def test_lexical_search_finds_exact_terms(data):
    hits = data.lexical_search("消防救援", 5)
    assert hits[0][0] == _row_of(data, "town:2")
    assert all(score > 0 for _, score in hits)
    assert data.lexical_search("机场港口", 5) == []


def test_filters_keep_only_the_documents_asked_for(data):
    city = {_row_of(data, f"city:{i}") for i in range(3)}
    assert {row for row, _ in data.dense_search(_query("财政收入"), 6, {"city"})} <= city
    hits = data.lexical_search("建成", 6, {"city"})
    assert hits[0][0] == _row_of(data, "city:2") and {row for row, _ in hits} <= city
    assert data.dense_search(_query("财政"), 6, set()) == []
    assert data.lexical_search("财政", 6, set()) == []


def test_sentences_come_back_as_stored(data):
    spans, vectors = data.sentence_parts([_row_of(data, "town:0")])[0]
    np.testing.assert_array_equal(spans, [[0, 13], [13, 20]])
    expected = HashEmbedder().encode_passages(["全年财政总收入1.6亿元。", "比增8.8%。"])
    np.testing.assert_allclose(np.asarray(vectors, dtype=np.float32), expected, atol=1e-3)


def test_idf_is_higher_for_rarer_tokens(data):
    idf = data.idf({"消防", "建", "不存在"})
    assert idf["消防"] > idf["建"] > 0
    assert idf["不存在"] == 0


def test_deleting_a_document_removes_it_from_both_search_paths(data, tmp_path):
    shrunk = data.delete_document("town")
    assert shrunk.passage_count == 3 and [d.doc_id for d in shrunk.documents] == ["city"]
    assert all(p.doc_id == "city" for _, p in shrunk.passage_rows())
    assert shrunk.lexical_search("消防救援", 5) == []
    assert {shrunk.passage(row).doc_id for row, _ in shrunk.dense_search(_query("消防救援站"), 6)} == {"city"}
    shrunk.save(tmp_path / "ix")
    reopened = index_store.load(tmp_path / "ix")
    assert reopened.lexical_search("消防救援", 5) == []
    assert reopened.passage_count == 3


def test_added_documents_are_searchable(tmp_path):
    for kind in STORE_KINDS:
        small = _create(kind, tmp_path / kind, doc_ids=("town",))
        info, text, passages, sentences = _document("city", 2023)
        grown = small.add([info], {"city": text}, passages, sentences)
        assert grown.passage_count == 6, kind
        row = grown.lexical_search("郊野公园", 3)[0][0]
        assert grown.passage(row).passage_id == "city:2", kind
        assert grown.dense_search(_query("新建道路12公里。"), 1)[0][0] == _row_of(grown, "city:1"), kind
        assert len(grown.sentence_parts([row])[0][0]) == 1, kind


def test_saved_index_loads_with_the_same_results(data, tmp_path):
    reopened = index_store.load(tmp_path / "ix")
    assert type(reopened) is type(data)
    assert reopened.passage_rows() == data.passage_rows()
    assert reopened.manifest["store"] == data.manifest["store"]
    vector = _query("地区生产总值")
    for before, after in [
        (data.dense_search(vector, 6), reopened.dense_search(vector, 6)),
        (data.lexical_search("生产总值", 6), reopened.lexical_search("生产总值", 6)),
    ]:
        assert [row for row, _ in after] == [row for row, _ in before]
        assert [score for _, score in after] == pytest.approx([score for _, score in before], rel=1e-5)


def test_an_index_moves_between_stores_without_changes(tmp_path):
    local = _create("local", tmp_path / "a")
    milvus = index_store.copy(local, tmp_path / "b", StoreConfig("milvus", str(tmp_path / "m.db")))
    back = index_store.copy(milvus, tmp_path / "c", StoreConfig("local"))
    for moved in (milvus, back):
        assert moved.passage_rows() == local.passage_rows()
        assert moved.manifest["model"] == local.manifest["model"]
        vector = _query("道路")
        assert [r for r, _ in moved.dense_search(vector, 3)] == [r for r, _ in local.dense_search(vector, 3)]
        assert [r for r, _ in moved.lexical_search("财政收入", 6)] == [
            r for r, _ in local.lexical_search("财政收入", 6)
        ]
    np.testing.assert_array_equal(
        np.asarray(index_store.all_sentences(back).vectors), np.asarray(local.sentences.vectors)
    )


def test_a_milvus_index_folder_points_at_its_collection(tmp_path):
    data = _create("milvus", tmp_path)
    held = data.manifest["store"]
    assert held["kind"] == "milvus" and held["uri"] == str(tmp_path / "milvus.db")
    assert data.client.has_collection(held["collection"])
    rebuilt = _create("milvus", tmp_path)  # a rebuild writes a new collection and drops the old one
    assert rebuilt.manifest["store"]["collection"] != held["collection"]
    assert not rebuilt.client.has_collection(held["collection"])
    generation = tmp_path / "ix" / (tmp_path / "ix" / "CURRENT").read_text().strip()
    assert sorted(p.name for p in generation.iterdir()) == ["documents", "manifest.json"]


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("http://127.0.0.1:9", "cannot reach Milvus at http://127.0.0.1:9"),
        ("no-suffix", "neither http"),
    ],
)
def test_bad_milvus_uri_is_one_readable_line(tmp_path, uri, message):
    with pytest.raises(IndexStoreError, match=message) as caught:
        index_store.create(
            tmp_path / "ix", StoreConfig("milvus", uri), [], {}, [], SentenceTable.from_parts([], 8), {}
        )
    assert "\n" not in str(caught.value)


def test_credentials_in_a_uri_are_not_recorded():
    from qa.index.milvus import public_uri

    assert public_uri("https://user:secret@milvus.example:19530") == "https://milvus.example:19530"


def test_milvus_uri_from_the_environment_does_not_switch_stores(monkeypatch):
    monkeypatch.setenv("MILVUS_URI", "http://milvus.example:19530")
    assert StoreConfig() == StoreConfig(None, None, None)
    assert StoreConfig("milvus").milvus_uri == "http://milvus.example:19530"
    assert StoreConfig(milvus_uri="x.db").kind == "milvus"
    with pytest.raises(IndexStoreError, match="unknown store 'faiss'"):
        StoreConfig("faiss")


def test_milvus_uses_hnsw_above_the_exact_search_threshold(tmp_path, monkeypatch):
    monkeypatch.setattr("qa.index.local.FLAT_MAX_PASSAGES", 4)
    data = _create("milvus", tmp_path)
    assert data.manifest["dense_index"]["type"] == "HNSW"
    assert data.dense_search(_query("新增学位3600个。"), 3)[0][0] == _row_of(data, "town:1")


def test_an_index_leaving_milvus_drops_its_collection(tmp_path):
    milvus = _create("milvus", tmp_path)
    collection = milvus.manifest["store"]["collection"]
    local = index_store.copy(milvus, tmp_path / "ix", StoreConfig("local"))  # the same folder
    assert local.passage_rows() == milvus.passage_rows()
    assert not milvus.client.has_collection(collection)
    assert type(index_store.load(tmp_path / "ix")) is type(local)

"""The stores against the contract (tests/store_conformance.py), and what is particular to each."""

from __future__ import annotations

import numpy as np
import pytest
from store_conformance import StoreConformance, create
from store_conformance import query as _query
from store_conformance import row_of as _row_of

from qa.errors import IndexStoreError
from qa.index import factory as index_store
from qa.index.base import SentenceTable
from qa.index.factory import StoreConfig
from qa.settings import Settings


def _create(kind: str, tmp_path, doc_ids=("town", "city")):
    config = StoreConfig(kind, str(tmp_path / "milvus.db") if kind == "milvus" else None)
    return create(config, tmp_path, doc_ids)


class TestLocalStore(StoreConformance):
    @pytest.fixture
    def make_store(self):
        return lambda folder, doc_ids=("town", "city"): _create("local", folder, doc_ids)


class TestMilvusStore(StoreConformance):
    @pytest.fixture
    def make_store(self):
        return lambda folder, doc_ids=("town", "city"): _create("milvus", folder, doc_ids)


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
    settings = Settings.from_env()
    assert StoreConfig.from_settings(settings) == StoreConfig(None, None, None)
    assert StoreConfig.from_settings(settings, "milvus").milvus_uri == "http://milvus.example:19530"
    assert StoreConfig.from_settings(settings, milvus_uri="x.db").kind == "milvus"
    with pytest.raises(IndexStoreError, match="unknown store 'faiss'"):
        StoreConfig("faiss")


def test_milvus_uses_hnsw_above_the_exact_search_threshold(tmp_path, monkeypatch):
    monkeypatch.setattr("qa.index.faiss_dense.FLAT_MAX_PASSAGES", 4)
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


def test_milvus_credentials_come_from_the_settings_and_are_never_recorded(tmp_path, monkeypatch):
    from qa.index import milvus

    monkeypatch.setenv("MILVUS_USER", "reader")
    monkeypatch.setenv("MILVUS_PASSWORD", "s3cret")
    monkeypatch.delenv("MILVUS_TOKEN", raising=False)
    config = StoreConfig.from_settings(Settings.from_env(), "milvus", str(tmp_path / "milvus.db"))
    assert config.milvus_token == "reader:s3cret" and "s3cret" not in repr(config)
    seen = []
    real = milvus._client.__wrapped__
    monkeypatch.setattr(milvus, "_client", lambda uri, token: seen.append(token) or real(uri, ""))
    data = create(config, tmp_path)
    assert seen and set(seen) == {"reader:s3cret"}
    index_store.load(tmp_path / "ix", config.resolved(data.manifest))
    assert set(seen) == {"reader:s3cret"}
    generation = tmp_path / "ix" / (tmp_path / "ix" / "CURRENT").read_text()
    assert "s3cret" not in (generation / "manifest.json").read_text()

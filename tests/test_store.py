"""Index persistence: round trip, atomic generations, integrity checks, format errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa.errors import IndexStoreError
from qa.index import local as store
from qa.schema import DocumentInfo, Passage


def _data(n: int = 3, dim: int = 8) -> store.IndexData:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    text = "".join(f"第{i}段。" for i in range(n))
    info = DocumentInfo(doc_id="d1", title="测试报告", source="t.txt", chars=len(text))
    passages = [
        Passage(
            "d1",
            "测试报告",
            ["一、总体"],
            "other",
            4 * i,
            4 * i + 4,
            text[4 * i : 4 * i + 4],
            passage_id=f"d1:{i}",
        )
        for i in range(n)
    ]
    # One sentence per passage, so passage vectors equal their sentence vectors.
    parts = [(np.array([[0, 4]], dtype=np.int32), vectors[i : i + 1]) for i in range(n)]
    sentences = store.SentenceTable.from_parts(parts, dim)
    return store.IndexData.build([info], {"d1": text}, passages, sentences, {"model": {"name": "m"}})


def test_round_trip(tmp_path):
    data = _data()
    store.save(data, tmp_path)
    loaded = store.load(tmp_path)
    assert loaded is not None
    assert loaded.passages == data.passages
    assert loaded.documents == data.documents
    assert loaded.texts == data.texts
    np.testing.assert_array_equal(loaded.sentences.spans, data.sentences.spans)
    np.testing.assert_array_equal(np.asarray(loaded.sentences.vectors), data.sentences.vectors)
    vector = data.sentences.passage_vectors()[1]
    assert loaded.dense_search(vector, 1)[0][0] == 1
    assert loaded.manifest["model"] == {"name": "m"}


def test_no_index_yet(tmp_path):
    assert store.load(tmp_path / "nothing") is None


def test_new_generation_replaces_old_and_old_is_removed(tmp_path):
    first = store.save(_data(2), tmp_path)
    second = store.save(_data(3), tmp_path)
    assert not first.exists() and second.exists()
    assert store.load(tmp_path).manifest["passage_count"] == 3


def test_interrupted_write_leaves_previous_index_usable(tmp_path):
    store.save(_data(2), tmp_path)
    (tmp_path / "gen-000099.tmp").mkdir()  # what a writer killed mid-way leaves behind
    (tmp_path / "gen-000099.tmp" / "passages.jsonl").write_text("half", encoding="utf-8")
    assert store.load(tmp_path).manifest["passage_count"] == 2
    store.save(_data(3), tmp_path)
    assert not (tmp_path / "gen-000099.tmp").exists()


@pytest.mark.parametrize(
    "victim", ["passages.jsonl", "dense.faiss", "documents/d1.txt", "sentences/vectors.npy"]
)
def test_truncated_or_altered_file_is_detected(tmp_path, victim):
    generation = store.save(_data(), tmp_path)
    path = generation / victim
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(IndexStoreError, match=r"damaged.*--rebuild"):
        store.load(tmp_path)


def test_missing_file_is_detected(tmp_path):
    generation = store.save(_data(), tmp_path)
    (generation / "dense.faiss").unlink()
    with pytest.raises(IndexStoreError, match="missing or damaged"):
        store.load(tmp_path)


def test_other_format_version_is_refused(tmp_path):
    generation = store.save(_data(), tmp_path)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 999
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexStoreError, match="v999"):
        store.load(tmp_path)


def test_unreadable_manifest_is_refused(tmp_path):
    generation = store.save(_data(), tmp_path)
    (generation / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexStoreError, match="manifest"):
        store.load(tmp_path)


def test_passage_vector_is_the_normalized_mean_of_its_sentences():
    a, b = np.eye(4, dtype=np.float32)[:2]
    table = store.SentenceTable.from_parts([(np.array([[0, 2], [2, 4]]), np.stack([a, b]))], 4)
    np.testing.assert_allclose(table.passage_vectors()[0], (a + b) / np.sqrt(2), atol=1e-3)

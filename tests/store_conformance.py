"""The store contract, once, for every store: a test class each store's tests subclass.

As Haystack does for its document stores: a store's test module defines

    class TestMyStore(StoreConformance):
        @pytest.fixture
        def make_store(self):
            return lambda folder, doc_ids=("town", "city"): ...  # an index of DOCUMENTS saved in folder/ix

and runs every contract test below against it. ``make_store(folder, doc_ids)`` builds and saves an
index of the documents named (from ``TEXTS``, one passage per entry) in ``folder / "ix"``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import HashEmbedder

from qa.index import factory as index_store
from qa.index.base import SentenceTable
from qa.schema import DocumentInfo, Passage

TEXTS = {
    "town": ["全年财政总收入1.6亿元。比增8.8%。", "新增学位3600个。", "建成消防救援站。"],
    "city": ["地区生产总值增长5%。", "新建道路12公里。", "紫湖郊野公园全面建成。"],
}
MakeStore = Callable[..., Any]


def document(doc_id: str, year: int) -> tuple[DocumentInfo, str, list[Passage], SentenceTable]:
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


def create(config: index_store.StoreConfig, folder: Path, doc_ids=("town", "city")) -> Any:
    """An index of ``doc_ids`` in the store ``config`` names, saved in ``folder / "ix"``."""
    docs = [document(d, 2022 + i) for i, d in enumerate(doc_ids)]
    parts = [p for _, _, _, table in docs for p in (table.of(r) for r in range(len(table.offsets) - 1))]
    return index_store.create(
        folder / "ix",
        config,
        [d[0] for d in docs],
        {d[0].doc_id: d[1] for d in docs},
        [p for d in docs for p in d[2]],
        SentenceTable.from_parts(parts, HashEmbedder.dimension),
        {"model": HashEmbedder().identity()},
    )


def row_of(data, passage_id: str) -> int:
    """The row of a passage in an index."""
    return next(row for row, p in data.passage_rows() if p.passage_id == passage_id)


def query(text: str) -> np.ndarray:
    """The test double's query vector of ``text``."""
    return HashEmbedder().encode_queries([text])[0]


class StoreConformance:
    """The contract every store keeps; subclasses provide the ``make_store`` fixture."""

    @pytest.fixture
    def data(self, make_store: MakeStore, tmp_path: Path) -> Any:
        return make_store(tmp_path)

    def test_passages_and_documents_are_held_row_for_row(self, data):
        assert data.passage_count == 6
        assert [p.passage_id for _, p in data.passage_rows()] == [f"{d}:{i}" for d in TEXTS for i in range(3)]
        row = row_of(data, "city:1")
        assert data.passage(row).text == "新建道路12公里。"
        assert {d.doc_id for d in data.documents} == {"town", "city"}
        assert data.texts["town"].startswith("全年财政总收入")

    def test_dense_search_ranks_the_passage_itself_first(self, data):
        hits = data.dense_search(query("新增学位3600个。"), 3)
        assert hits[0][0] == row_of(data, "town:1")
        assert len(hits) == 3 and hits[0][1] >= hits[1][1] >= hits[2][1]

    def test_lexical_search_finds_exact_terms(self, data):
        hits = data.lexical_search("消防救援", 5)
        assert hits[0][0] == row_of(data, "town:2")
        assert all(score > 0 for _, score in hits)
        assert data.lexical_search("机场港口", 5) == []

    def test_filters_keep_only_the_documents_asked_for(self, data):
        city = {row_of(data, f"city:{i}") for i in range(3)}
        assert {row for row, _ in data.dense_search(query("财政收入"), 6, {"city"})} <= city
        hits = data.lexical_search("建成", 6, {"city"})
        assert hits[0][0] == row_of(data, "city:2") and {row for row, _ in hits} <= city
        assert data.dense_search(query("财政"), 6, set()) == []
        assert data.lexical_search("财政", 6, set()) == []

    def test_sentences_come_back_as_stored(self, data):
        spans, vectors = data.sentence_parts([row_of(data, "town:0")])[0]
        np.testing.assert_array_equal(spans, [[0, 13], [13, 20]])
        expected = HashEmbedder().encode_passages(["全年财政总收入1.6亿元。", "比增8.8%。"])
        np.testing.assert_allclose(np.asarray(vectors, dtype=np.float32), expected, atol=1e-3)

    def test_document_frequency_counts_passages_of_all_documents_or_some(self, data):
        asked = {"消防", "建", "不存在"}
        counts, passages = data.document_frequency(asked)
        assert passages == len(data.passage_rows())
        assert counts["建"] >= counts["消防"] > 0 and counts["不存在"] == 0
        town, town_passages = data.document_frequency(asked, {"town"})
        city, city_passages = data.document_frequency(asked, ["city"])
        assert town_passages + city_passages == passages
        assert town["消防"] == counts["消防"] and city["消防"] == 0
        assert data.document_frequency(asked, set()) == ({t: 0 for t in asked}, 0)

    def test_document_terms_are_the_tokens_its_text_holds(self, data):
        asked = {"消防", "学位", "公园", "道路", "从未", "亿元"}
        assert data.document_terms("town", asked) == {"消防", "学位", "亿元"}
        assert data.document_terms("city", asked) == {"公园", "道路"}
        shrunk = data.delete_document("town")  # rows move: the city's terms must follow them
        assert shrunk.document_terms("city", asked) == {"公园", "道路"}
        assert shrunk.document_terms("town", asked) == set()

    def test_deleting_a_document_removes_it_from_both_search_paths(self, data, tmp_path):
        shrunk = data.delete_document("town")
        assert shrunk.passage_count == 3 and [d.doc_id for d in shrunk.documents] == ["city"]
        assert all(p.doc_id == "city" for _, p in shrunk.passage_rows())
        assert shrunk.lexical_search("消防救援", 5) == []
        assert {shrunk.passage(row).doc_id for row, _ in shrunk.dense_search(query("消防救援站"), 6)} == {
            "city"
        }
        shrunk.save(tmp_path / "ix")
        reopened = index_store.load(tmp_path / "ix")
        assert reopened.lexical_search("消防救援", 5) == []
        assert reopened.passage_count == 3

    def test_added_documents_are_searchable(self, make_store, tmp_path):
        small = make_store(tmp_path, doc_ids=("town",))
        kind = type(small).__name__
        info, text, passages, sentences = document("city", 2023)
        grown = small.add([info], {"city": text}, passages, sentences)
        assert grown.passage_count == 6, kind
        row = grown.lexical_search("郊野公园", 3)[0][0]
        assert grown.passage(row).passage_id == "city:2", kind
        assert grown.dense_search(query("新建道路12公里。"), 1)[0][0] == row_of(grown, "city:1"), kind
        assert len(grown.sentence_parts([row])[0][0]) == 1, kind

    def test_saved_index_loads_with_the_same_results(self, data, tmp_path):
        reopened = index_store.load(tmp_path / "ix")
        assert type(reopened) is type(data)
        assert reopened.passage_rows() == data.passage_rows()
        assert reopened.manifest["store"] == data.manifest["store"]
        vector = query("地区生产总值")
        for before, after in [
            (data.dense_search(vector, 6), reopened.dense_search(vector, 6)),
            (data.lexical_search("生产总值", 6), reopened.lexical_search("生产总值", 6)),
        ]:
            assert [row for row, _ in after] == [row for row, _ in before]
            assert [score for _, score in after] == pytest.approx([score for _, score in before], rel=1e-5)

    def test_changes_are_not_live_until_saved(self, data, tmp_path):
        """An add or a delete builds a new snapshot; the saved index (and the snapshot it came from)
        keeps answering as before until the new one is saved."""
        info, text, passages, sentences = document("town", 2024)
        grown = data.delete_document("town").add([info], {"town": text}, passages, sentences)
        assert grown.passage_count == 6
        for unchanged in (data, index_store.load(tmp_path / "ix")):
            assert unchanged.passage_count == 6
            assert [p.passage_id for _, p in unchanged.passage_rows()] == [
                f"{d}:{i}" for d in TEXTS for i in range(3)
            ]
            assert unchanged.passage(unchanged.lexical_search("消防救援", 1)[0][0]).passage_id == "town:2"
            assert len(unchanged.dense_search(query("新增学位3600个。"), 6)) == 6
        grown.save(tmp_path / "ix")
        reopened = index_store.load(tmp_path / "ix")
        assert reopened.passage_rows() == grown.passage_rows()
        assert reopened.documents[-1].year == 2024

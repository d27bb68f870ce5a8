"""ReportQA with the hash test double: index reuse, rebuild on change, bad input, adding files."""

from __future__ import annotations

import numpy as np
import pytest

from qa import ReportQA
from qa.errors import DocumentError, IndexStoreError, QuestionError
from tests.conftest import HashEmbedder

REPORT = """某某县人民政府2023年政府工作报告

一、2023年工作回顾

（一）经济运行稳中向好

全年完成地区生产总值321.5亿元，增长6.2%。一般公共预算收入18.7亿元，增长5.1%。

（二）民生保障持续加强

新建幼儿园3所，新增学位1200个。城乡居民医保参保率达98%。

二、2024年主要工作安排

（一）主要预期目标

地区生产总值增长6%左右，一般公共预算收入增长5%。

（二）重点任务

建设县消防救援站，改造老旧小区12个。
"""


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "docs" / "county.txt"
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_from_paths_answers_with_citation(tmp_path, report, hash_embedder):
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=hash_embedder)
    answer = bot.ask("新增学位多少个", k=3)
    top = answer.passages[0]
    assert "新增学位1200个" in top.text
    assert top.text == bot.context(top, chars=0)
    assert top.section[0].startswith("一、")
    assert answer.answer and "1200" in answer.answer
    assert top.highlight and top.text[top.highlight[0] : top.highlight[1]] == answer.answer
    assert top.doc_id == bot.documents[0].doc_id and bot.documents[0].source == "county.txt"
    assert len(answer.passages) <= 3


def test_a_report_in_traditional_characters_answers_simplified_questions(tmp_path, hash_embedder):
    traditional = "一、2022年工作回顧\n全年完成財政總收入3.2億元，比上年增長6.5%。新增學位1200個。"
    simplified = "一、2022年工作回顾\n全年完成财政总收入3.2亿元，比上年增长6.5%。新增学位1200个。"
    bots = []
    for name, text in (("traditional", traditional), ("simplified", simplified)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "county.txt").write_text(text, encoding="utf-8")
        bots.append(ReportQA.from_paths([tmp_path / name], tmp_path / f"ix-{name}", embedder=hash_embedder))
    asked = [bot.ask("去年财政总收入是多少？") for bot in bots]
    assert asked[0].answer == "全年完成財政總收入3.2億元，比上年增長6.5%。"  # quoted as the report has it
    top = asked[0].passages[0]
    assert top.text[top.highlight[0] : top.highlight[1]] == asked[0].answer
    # Matched as if the report were simplified: the same BM25 score.
    lexical = [answer.reason["passages"][0]["lexical"] for answer in asked]
    assert lexical[0] == lexical[1] > 0


def test_the_model_reads_questions_and_sentences_in_simplified_characters(tmp_path):
    class Recording(HashEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.read: list[str] = []

        def encode_queries(self, texts: list[str]) -> np.ndarray:
            self.read += texts
            return super().encode_queries(texts)

        def encode_passages(self, texts: list[str], show_progress: bool | None = None) -> np.ndarray:
            self.read += texts
            return super().encode_passages(texts, show_progress)

    (tmp_path / "county.txt").write_text("一、2022年工作回顧\n全年完成財政總收入3.2億元。", encoding="utf-8")
    embedder = Recording()
    bot = ReportQA.from_paths([tmp_path / "county.txt"], tmp_path / "ix", embedder=embedder)
    assert bot.ask("去年財政總收入是多少？").answer == "全年完成財政總收入3.2億元。"  # quoted as written
    assert any("财政总收入" in text for text in embedder.read)
    assert not any(c in text for text in embedder.read for c in "財總億")


def test_unchanged_documents_reuse_the_index_without_encoding(tmp_path, report):
    first = HashEmbedder()
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=first)
    assert first.encoded > 0
    second = HashEmbedder()
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=second)
    assert second.encoded == 0
    assert bot.ask("消防救援站").passages


def test_edited_document_triggers_rebuild_of_only_what_changed(tmp_path, report):
    other = report.parent / "other.txt"
    other.write_text("另一份报告\n\n全年接待游客50万人次。", encoding="utf-8")
    ReportQA.from_paths([report, other], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    report.write_text(REPORT.replace("1200", "1500"), encoding="utf-8")
    embedder = HashEmbedder()
    bot = ReportQA.from_paths([report, other], index_dir=tmp_path / "ix", embedder=embedder)
    from_scratch = HashEmbedder()
    ReportQA.from_paths([report, other], index_dir=tmp_path / "fresh", embedder=from_scratch)
    assert 0 < embedder.encoded < from_scratch.encoded  # the unchanged file kept its vectors
    assert "1500" in bot.ask("新增学位多少个").passages[0].text


def test_index_of_other_weights_of_the_same_model_is_refused(tmp_path, report, monkeypatch):
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    adapted = HashEmbedder()
    monkeypatch.setattr(adapted, "identity", lambda: HashEmbedder().identity() | {"adapter": "0123abcd"})
    with pytest.raises(IndexStoreError, match="not this version of it; pass that model or rebuild"):
        ReportQA(index_dir=tmp_path / "ix", embedder=adapted)


def test_index_of_another_model_is_refused_with_a_clear_error(tmp_path, report):
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    with pytest.raises(IndexStoreError, match="built with model"):
        ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder("test/other-model"))
    with pytest.raises(IndexStoreError, match="--rebuild"):
        ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder("test/other-model"))
    bot = ReportQA.from_paths(
        [report], tmp_path / "ix", embedder=HashEmbedder("test/other-model"), rebuild=True
    )
    assert bot.ask("消防").passages


def test_truncated_index_file_is_reported(tmp_path, report):
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    generation = next((tmp_path / "ix").glob("gen-*"))
    passages = generation / "passages.jsonl"
    passages.write_bytes(passages.read_bytes()[:100])
    with pytest.raises(IndexStoreError, match="damaged"):
        ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder())


def test_add_documents_and_filters(tmp_path, report):
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    extra = tmp_path / "town.txt"
    extra.write_text(
        "某某镇人民政府2022年工作报告\n\n一、工作回顾\n\n全年新建幼儿园1所，新增学位300个。", encoding="utf-8"
    )
    added = bot.add_documents([extra])
    assert [d.source for d in added] == ["town.txt"]
    assert bot.add_documents([extra]) == []  # same content: nothing new
    town = added[0].doc_id
    hits = bot.ask("新增学位", k=5, filters={"doc_id": town}).passages
    assert hits and all(p.doc_id == town for p in hits)
    reopened = ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert {d.source for d in reopened.documents} == {"county.txt", "town.txt"}
    # A region as people write it, with or without its level (某某镇 or 某某): found by a helper,
    # "河南" matched nothing where "河南省" did.
    hits = bot.ask("新增学位", k=5, filters={"region": "某某镇"}).passages
    assert hits and all(p.doc_id == town for p in hits)
    short = {p.doc_id for p in bot.ask("新增学位", k=5, filters={"region": "某某"}).passages}
    assert short == {d.doc_id for d in bot.documents}  # 某某镇 and the county 某某县 alike


def test_unknown_filter_is_refused(tmp_path, report):
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    with pytest.raises(QuestionError, match="unknown filter"):
        bot.ask("消防", filters={"province": "福建"})


@pytest.mark.parametrize(
    "filters",
    [
        {"level": "bogus"},
        {"level": "省"},
        {"year": "abc"},
        {"year": 2023.5},
        {"year": True},
        {"region": 123},
        {"doc_id": 5},
        "广东",  # not a mapping: it had been read key by key (unknown filter '东')
    ],
)
def test_a_filter_value_no_document_can_have_is_refused(tmp_path, report, filters):
    # Found by a helper: a typo in a value had kept nothing, silently ("nothing indexed matches").
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    with pytest.raises(QuestionError, match=r"level|year|region|doc_id|filters"):
        bot.ask("消防", filters=filters)
    with pytest.raises(QuestionError):
        bot.series("地区生产总值", filters=filters)
    assert bot.ask("消防", filters={"year": "2023", "level": ["county", "provincial"]}).passages


@pytest.mark.parametrize("k", [0, -1, "5", 2.5, None, True, 21])  # 21: past the page's and HTTP's 20
def test_a_bad_k_or_a_question_that_is_no_text_raises_question_error(tmp_path, report, k):
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    with pytest.raises(QuestionError, match="k must be"):
        bot.ask("消防", k=k)
    with pytest.raises(QuestionError, match="must be text"):
        bot.ask(b"GDP")  # type: ignore[arg-type]


@pytest.mark.parametrize("question", ["", "   ", "问" * 100_000, "？？？", "😀😀", "…!?"])
def test_bad_questions_raise_question_error(tmp_path, report, question):
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    with pytest.raises(QuestionError):
        bot.ask(question)


def _make_bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4\n garbage that is not a pdf")
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.xyz").write_text("x", encoding="utf-8")


@pytest.mark.parametrize("name", ["missing.txt", "empty.txt", "binary.txt", "corrupt.pdf", "nothing"])
def test_bad_files_raise_document_error_and_write_nothing(tmp_path, name):
    _make_bad_inputs(tmp_path)
    embedder = HashEmbedder()
    with pytest.raises(DocumentError):
        ReportQA.from_paths([tmp_path / name], index_dir=tmp_path / "ix", embedder=embedder)
    assert not (tmp_path / "ix").exists()
    assert embedder.encoded == 0


def test_one_path_given_alone_is_that_file(tmp_path, report, monkeypatch):
    # Found by a helper: "/data/a.txt" had been read as the paths "/", "d", … and the disk walked from "/".
    monkeypatch.chdir(report.parent)
    bot = ReportQA.from_paths(str(report), index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert [d.source for d in bot.documents] == ["county.txt"]
    (tmp_path / "docs" / "town.txt").write_text("某镇2023年工作报告\n\n全年新建公厕3座。", encoding="utf-8")
    assert [d.source for d in bot.add_documents("town.txt")] == ["town.txt"]  # relative, too


@pytest.mark.parametrize("paths", [[], None, [123], 5, "", [""], ["  "]])
def test_no_paths_or_what_is_no_path_raise_document_error_and_write_nothing(tmp_path, paths):
    with pytest.raises(DocumentError):
        ReportQA.from_paths(paths, index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert not (tmp_path / "ix").exists()


@pytest.mark.parametrize("paths", ["", [], [""]])
def test_an_empty_path_adds_nothing_and_keeps_the_index(tmp_path, report, monkeypatch, paths):
    # Found by a helper: "" was the current folder; add_documents("") put 96 repo files in an index,
    # and `index ""` removed every document the index held.
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    monkeypatch.chdir(report.parent)
    with pytest.raises(DocumentError):
        bot.add_documents(paths)
    with pytest.raises(DocumentError):
        ReportQA.from_paths(paths, index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert [d.source for d in ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder()).documents] == [
        report.name
    ]


def test_bad_file_in_add_documents_keeps_the_index(tmp_path, report):
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(DocumentError):
        bot.add_documents([tmp_path / "empty.txt"])
    assert len(bot.documents) == 1
    assert len(ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder()).documents) == 1


@pytest.fixture(params=["local", "milvus"])
def store_options(request, tmp_path):
    """ReportQA's store arguments for each store (Milvus through a Milvus Lite file)."""
    if request.param == "local":
        return {"store": "local"}
    return {"store": "milvus", "milvus_uri": str(tmp_path / "milvus.db")}


def test_both_stores_answer_alike_and_reopen_as_built(tmp_path, report, store_options):
    local = ReportQA.from_paths([report], index_dir=tmp_path / "local", embedder=HashEmbedder())
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder(), **store_options)
    for question in ("新增学位多少个", "消防救援站", "What was built?"):
        expected, answer = local.ask(question), bot.ask(question)
        assert [p.passage_id for p in answer.passages] == [p.passage_id for p in expected.passages]
        assert answer.answer == expected.answer
    reopened = ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert reopened.store == store_options["store"]
    assert reopened.ask("消防救援站").answer == local.ask("消防救援站").answer


def test_removed_document_leaves_answers_and_index(tmp_path, report, store_options):
    extra = tmp_path / "town.txt"
    extra.write_text(
        "某某镇人民政府2022年工作报告\n\n一、工作回顾\n\n全年新建幼儿园1所，新增学位300个。", encoding="utf-8"
    )
    bot = ReportQA.from_paths(
        [report, extra], index_dir=tmp_path / "ix", embedder=HashEmbedder(), **store_options
    )
    town = next(d for d in bot.documents if d.source == "town.txt")
    assert any(p.doc_id == town.doc_id for p in bot.ask("新建幼儿园", k=10).passages)
    assert bot.remove_document(town.doc_id) == town
    assert all(p.doc_id != town.doc_id for p in bot.ask("新建幼儿园", k=10).passages)
    reopened = ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert [d.source for d in reopened.documents] == ["county.txt"]
    assert reopened.passage_count == bot.passage_count
    with pytest.raises(DocumentError, match="only document"):
        reopened.remove_document(reopened.documents[0].doc_id)
    with pytest.raises(DocumentError, match="no document"):
        reopened.remove_document("nope")


def test_index_moves_to_milvus_reusing_its_vectors(tmp_path, report):
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    embedder = HashEmbedder()
    moved = ReportQA.from_paths(
        [report],
        index_dir=tmp_path / "ix",
        embedder=embedder,
        store="milvus",
        milvus_uri=str(tmp_path / "m.db"),
    )
    assert embedder.encoded == 0
    assert moved.store == "milvus"
    with pytest.raises(IndexStoreError, match="holds a milvus index"):
        ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder(), store="local")


def test_unreachable_milvus_fails_before_anything_is_embedded(tmp_path, report):
    embedder = HashEmbedder()
    with pytest.raises(IndexStoreError, match="cannot reach Milvus"):
        ReportQA.from_paths(
            [report],
            index_dir=tmp_path / "ix",
            embedder=embedder,
            store="milvus",
            milvus_uri="http://127.0.0.1:9",
        )
    assert embedder.encoded == 0 and not (tmp_path / "ix").exists()


def test_a_question_or_history_of_the_wrong_type_is_a_question_error(tmp_path, report, hash_embedder):
    # Found by a helper: ask(["…"]) raised TypeError (unhashable), chat("…") read its characters.
    bot = ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=hash_embedder)
    with pytest.raises(QuestionError, match="must be text"):
        bot.ask(["财政赤字多少"])  # type: ignore[arg-type]
    with pytest.raises(QuestionError, match="earlier_questions must be a list"):
        bot.chat("财政赤字多少")
    with pytest.raises(QuestionError, match="earlier_questions must be a list"):
        bot.chat([["财政赤字多少"]])  # type: ignore[list-item]
    assert bot.chat(["财政赤字多少？"]).ask("那医疗呢？").question == "那医疗呢？"

"""The report-qa command: bad input ends in one line on stderr and exit code 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qa import ReportQA
from qa.apps.cli import main
from qa.ingest.loader import bundled_report_path
from tests.conftest import HashEmbedder


def _run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _assert_one_line_error(code, err):
    assert code == 2
    # Progress notes (e.g. a first-run model conversion) may precede it; the error is one last line.
    lines = err.strip().splitlines()
    assert lines[-1].startswith("report-qa: error:")
    assert sum(line.startswith("report-qa: error") for line in lines) == 1
    assert re.search("[\u4e00-\u9fff]", lines[-1])  # said in Chinese, the library's English after it


@pytest.mark.parametrize(
    ("setup", "argv"),
    [
        (None, ["ask", "问题", "--docs", "{tmp}/missing.txt"]),
        ("empty", ["ask", "问题", "--docs", "{tmp}/empty.txt"]),
        ("binary", ["index", "{tmp}/binary.txt"]),
        ("corrupt", ["index", "{tmp}/corrupt.pdf"]),
        ("folder", ["index", "{tmp}/folder"]),
        ("qa", ["eval", "{tmp}/bad.jsonl", "--docs", "{tmp}/missing.txt"]),
        ("scan", ["index", "{tmp}/scan.pdf"]),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path, capsys, setup, argv):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.7 not really")
    (tmp_path / "folder").mkdir()
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    if setup == "scan":  # a PDF page with a drawing and no text layer, as a scanner makes
        from reportlab.pdfgen import canvas

        page = canvas.Canvas(str(tmp_path / "scan.pdf"))
        page.rect(100, 100, 200, 300, fill=1)
        page.save()
    code, _, err = _run([a.format(tmp=tmp_path) for a in argv], capsys)
    _assert_one_line_error(code, err)
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("k", ["0", "21"])
def test_bad_k_exits_2(capsys, k):
    code, _, err = _run(["ask", "问题", "--k", k], capsys)
    _assert_one_line_error(code, err)


def test_index_of_another_model_exits_2(tmp_path, capsys):
    report = tmp_path / "r.txt"
    report.write_text("某县2023年政府工作报告\n\n一、回顾\n\n新建学校2所。", encoding="utf-8")
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    code, _, err = _run(["ask", "学校", "--index-dir", str(tmp_path / "ix")], capsys)
    _assert_one_line_error(code, err)
    assert "built with model" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["ask", "湖南今年GDP目标是多少？"],
        ["facts"],  # had listed the bundled report's figures
        ["remove", "abc"],  # had built the bundled report's index in the mistyped folder
        ["eval", "{tmp}/set.jsonl"],  # the same, and scored against it
        ["log"],
    ],
)
def test_a_folder_that_holds_no_index_exits_2_and_builds_nothing(tmp_path, capsys, argv):
    # Found by helpers: a mistyped --index-dir built the bundled town report there and answered every
    # question of another report from it, with exit 0.
    (tmp_path / "set.jsonl").write_text('{"question": "GDP目标", "answers": ["5%"]}\n', encoding="utf-8")
    argv = [a.format(tmp=tmp_path) for a in argv]
    code, _, err = _run([*argv, "--index-dir", str(tmp_path / "typo")], capsys)
    _assert_one_line_error(code, err)
    assert "没有索引" in err and not (tmp_path / "typo").exists()


def test_ask_and_serve_with_docs_keep_what_the_index_holds(tmp_path, capsys):
    # Found by a helper: restarting a server with `serve --docs FILE` (or one `ask --docs FILE` on its
    # folder) removed every document uploaded over HTTP since; `eval --docs` still holds exactly them.
    office, uploaded = tmp_path / "office.txt", tmp_path / "uploaded.txt"
    office.write_text("青山县2024年政府工作报告\n\n一、回顾\n\n新建学校2所。", encoding="utf-8")
    uploaded.write_text("白石镇2024年政府工作报告\n\n一、回顾\n\n新建公厕3座。", encoding="utf-8")
    ix = tmp_path / "ix"
    assert _run(["index", str(office), "--index-dir", str(ix)], capsys)[0] == 0
    ReportQA(index_dir=ix).add_documents([uploaded], client="http")  # as the page's upload does
    code, _, _ = _run(["ask", "新建学校几所？", "--docs", str(office), "--index-dir", str(ix)], capsys)
    assert code == 0 and {d.source for d in ReportQA(index_dir=ix).documents} == {
        "office.txt",
        "uploaded.txt",
    }


@pytest.mark.parametrize("damage", ["format", "truncate"])
def test_damaged_or_foreign_format_index_exits_2(tmp_path, capsys, damage):
    report = tmp_path / "r.txt"
    report.write_text("某县2023年政府工作报告\n\n一、回顾\n\n新建学校2所。", encoding="utf-8")
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    generation = next((tmp_path / "ix").glob("gen-*"))
    if damage == "format":
        manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = 999
        (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    else:
        (generation / "dense.faiss").write_bytes((generation / "dense.faiss").read_bytes()[:50])
    before = sorted(p.name for p in (tmp_path / "ix").rglob("*"))
    code, _, err = _run(["index", str(report), "--index-dir", str(tmp_path / "ix")], capsys)
    _assert_one_line_error(code, err)
    assert "--rebuild" in err
    assert sorted(p.name for p in (tmp_path / "ix").rglob("*")) == before  # nothing written


def test_end_to_end_shell_commands(tmp_path):
    """The installed command on the bundled report, with the real model: ask, JSON from stdin, reuse."""
    env_cmd = [sys.executable, "-m", "qa"]
    ix = str(tmp_path / "ix")
    out = subprocess.run(  # the bundled report's file given: a folder named that holds no index is refused
        [
            *env_cmd,
            "ask",
            "2022年财政总收入是多少？",
            "--index-dir",
            ix,
            "--docs",
            str(bundled_report_path()),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first_citation = out.split("[1]", 1)[1].split("[2]", 1)[0]
    assert "财政总收入1.6亿元" in first_citation
    assert "一、2022年工作回顾" in first_citation
    batch = subprocess.run(
        [*env_cmd, "ask", "--json", "--index-dir", ix],
        input="去年规上工业产值有多少？\n\n" + "问" * 3000 + "\n要不要建消防站\n",
        capture_output=True,
        text=True,
    )
    replies = [json.loads(line) for line in batch.stdout.splitlines()]
    assert batch.returncode == 2  # one line was too long; the others were still answered
    # One object per line, a blank one's too: the n-th reply answers the n-th line.
    # A refused line as HTTP refuses it: the Chinese message, its code, the library's English line.
    assert [r.get("code", "") for r in replies] == ["", "empty_question", "question_too_long", ""]
    assert replies[2]["error"] == "问题有 3000 个字，超过了 2000 字的上限。"
    assert replies[2]["detail"].startswith("the question has 3000 characters")
    assert "26.62亿元" in replies[0]["passages"][0]["text"]
    # The same fields as the HTTP API's reply: the Chinese reason and notes too.
    assert {"why_not_found", "notes"} <= set(replies[0]) and replies[0]["why_not_found"] is None


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    """`report-qa facts | head -c 1`: the reader leaves at once; no traceback, exit status 141."""
    import qa

    text = (Path(qa.__file__).parent / "data" / "zimao_2022.txt").read_text(encoding="utf-8")
    for i in range(12):  # distinct copies: well over a pipe's 64 KB of output
        (tmp_path / f"r{i}.txt").write_text(f"{text}\n第{i}份", encoding="utf-8")
    shell = f"{sys.executable} -m qa facts --json --docs {tmp_path}; echo status=$? >&2"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"({shell}) | head -c 1"], capture_output=True, text=True
    )
    assert len(done.stdout) == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert "status=141" in done.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--store", "milvus", "--milvus-uri", "http://127.0.0.1:9"],
            "cannot reach Milvus at http://127.0.0.1:9",
        ),
        (["--store", "milvus", "--milvus-uri", "somewhere"], "neither http"),
        (["--store", "milvus"], "needs a URI"),
    ],
)
def test_unusable_milvus_exits_2_before_the_model_loads(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.delenv("MILVUS_URI", raising=False)
    report = tmp_path / "r.txt"
    report.write_text("某县2023年政府工作报告\n\n一、回顾\n\n新建学校2所。", encoding="utf-8")
    monkeypatch.setattr("qa.api.load_embedder", lambda model, settings: pytest.fail("the model was loaded"))
    code, _, err = _run(["index", str(report), "--index-dir", str(tmp_path / "ix"), *argv], capsys)
    _assert_one_line_error(code, err)
    assert message in err


def test_index_moves_between_stores_and_facts_read_either(tmp_path, capsys):
    """``index --from`` copies an index into Milvus and back without the model; facts read both."""
    report = tmp_path / "r.txt"
    report.write_text(
        "某县2023年政府工作报告\n\n一、回顾\n\n全年财政总收入1.6亿元，比增8.8%。新建学校2所。",
        encoding="utf-8",
    )
    ReportQA.from_paths([report], index_dir=tmp_path / "local", embedder=HashEmbedder())
    uri = str(tmp_path / "milvus.db")
    code, out, _ = _run(
        ["index", "--from", str(tmp_path / "local"), "--index-dir", str(tmp_path / "m"), "--store", "milvus",
         "--milvus-uri", uri],
        capsys,
    )  # fmt: skip
    assert code == 0 and "1 document, " in out
    code, out, _ = _run(
        ["index", "--from", str(tmp_path / "m"), "--index-dir", str(tmp_path / "back")], capsys
    )
    assert code == 0
    facts = [
        _run(["facts", "--json", "--index-dir", str(tmp_path / d)], capsys)[1] for d in ("local", "m", "back")
    ]
    assert "财政总收入" in facts[0] and facts[0] == facts[1] == facts[2]
    manifest = json.loads(next((tmp_path / "m").glob("gen-*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["store"]["kind"] == "milvus" and manifest["store"]["uri"] == uri
    code, _, err = _run(["index", "--index-dir", str(tmp_path / "x")], capsys)
    _assert_one_line_error(code, err)


@pytest.mark.parametrize("store", ["local", "milvus"])
def test_remove_takes_a_document_out_of_either_store(tmp_path, capsys, monkeypatch, store):
    reports = []
    for name, body in (("a", "新建学校2所。"), ("b", "新建医院1所。")):
        reports.append(tmp_path / f"{name}.txt")
        reports[-1].write_text(f"某县2023年政府工作报告{name}\n\n一、回顾\n\n{body}", encoding="utf-8")
    options = {"store": store, "milvus_uri": str(tmp_path / "m.db") if store == "milvus" else None}
    bot = ReportQA.from_paths(reports, index_dir=tmp_path / "ix", embedder=HashEmbedder(), **options)
    gone = next(d for d in bot.documents if d.source == "b.txt")
    monkeypatch.setattr("qa.api.load_embedder", lambda model, settings: HashEmbedder())
    code, out, _ = _run(["remove", gone.doc_id, "--index-dir", str(tmp_path / "ix")], capsys)
    assert code == 0 and f"removed {gone.doc_id}" in out and "1 document, " in out
    assert [d.source for d in ReportQA(tmp_path / "ix", embedder=HashEmbedder()).documents] == ["a.txt"]
    code, _, err = _run(["remove", "nope", "--index-dir", str(tmp_path / "ix")], capsys)
    _assert_one_line_error(code, err)


def test_serve_loads_the_answer_scorer_before_it_says_ready(tmp_path, capsys, monkeypatch):
    """The scorer loads lazily (~2 s of imports): serve loads it before "ready", not at the first ask."""
    report = tmp_path / "a.txt"
    report.write_text("某县2023年政府工作报告\n\n一、回顾\n\n新建学校2所。", encoding="utf-8")
    ReportQA.from_paths([report], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    monkeypatch.setattr("qa.api.load_embedder", lambda model, settings: HashEmbedder())
    served = []
    monkeypatch.setattr("qa.apps.server.serve", lambda bot, **_: served.append("scorer" in vars(bot)))
    from qa.apps.server import free_port

    port = str(free_port())  # serve checks its port first: 7860 may be taken on the machine
    code, out, _ = _run(["serve", "--index-dir", str(tmp_path / "ix"), "--port", port], capsys)
    assert code == 0 and "ready in" in out and served == [True]


def test_add_keeps_what_the_index_holds_and_index_says_what_leaves_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("qa.api.load_embedder", lambda model, settings: HashEmbedder())
    reports = {}
    for name, body in (("a", "新建学校2所。"), ("b", "新建医院1所。"), ("c", "新修道路3条。")):
        reports[name] = tmp_path / f"{name}.txt"
        reports[name].write_text(f"某县2023年政府工作报告{name}\n\n一、回顾\n\n{body}", encoding="utf-8")
    index = ["--index-dir", str(tmp_path / "ix")]

    def sources() -> list[str]:
        return sorted(d.source for d in ReportQA(tmp_path / "ix", embedder=HashEmbedder()).documents)

    code, out, _ = _run(["add", str(reports["a"]), *index], capsys)  # no index yet: it makes one
    assert code == 0 and sources() == ["a.txt"]
    code, out, _ = _run(["add", str(reports["b"]), *index], capsys)
    assert code == 0 and "added " in out and "2 documents, " in out and sources() == ["a.txt", "b.txt"]
    code, out, _ = _run(["add", str(reports["b"]), *index], capsys)
    assert code == 0 and "nothing added" in out and sources() == ["a.txt", "b.txt"]
    # index holds exactly its PATHs: what leaves is said, and recorded as removed by the CLI.
    code, out, _ = _run(["index", str(reports["c"]), *index], capsys)
    assert code == 0 and sources() == ["c.txt"]
    assert sum(line.startswith("removed ") and "not among PATH" in line for line in out.splitlines()) == 2
    code, out, _ = _run(["log", "--json", *index], capsys)
    entries = [json.loads(line) for line in out.splitlines()]
    assert [(e["action"], e["file"], e["client"]) for e in entries] == [
        ("add", "a.txt", "cli"),
        ("add", "b.txt", "cli"),
        ("remove", "a.txt", "cli"),
        ("remove", "b.txt", "cli"),
        ("add", "c.txt", "cli"),
    ]


def test_an_edited_file_added_or_indexed_again_replaces_its_earlier_version(tmp_path, capsys, monkeypatch):
    # Found by a helper: `add` after an edit kept both versions, and answers quoted the old figure.
    monkeypatch.setattr("qa.api.load_embedder", lambda model, settings: HashEmbedder())
    report, other = tmp_path / "town.txt", tmp_path / "other.txt"
    other.write_text("某县2023年政府工作报告\n\n一、回顾\n\n新建医院1所。", encoding="utf-8")
    index = ["--index-dir", str(tmp_path / "ix")]

    def texts() -> list[str]:
        bot = ReportQA(tmp_path / "ix", embedder=HashEmbedder())
        return sorted(bot.document_text(d.doc_id).split("\n")[-1] for d in bot.documents)

    for seats, command in ((360, "index"), (480, "add"), (500, "index")):
        report.write_text(
            f"青石镇人民政府2025年工作报告\n\n一、回顾\n\n新增学位{seats}个。", encoding="utf-8"
        )
        paths = [str(report), str(other)] if command == "index" else [str(report)]
        code, out, _ = _run([command, *paths, *index], capsys)
        assert code == 0 and texts() == sorted(["新建医院1所。", f"新增学位{seats}个。"])
        assert ("replaced " in out and "its file has changed" in out) == (seats != 360)
        assert "not among PATH" not in out
    code, out, _ = _run(["log", "--json", *index], capsys)
    actions = [(e["action"], e["file"]) for e in map(json.loads, out.splitlines())]
    assert actions[2:4] == [("remove", "town.txt"), ("add", "town.txt")]  # the add replaced the first


def test_a_refusal_reads_in_chinese_in_the_terminal():
    from qa.apps.terminal import format_answer
    from qa.schema import Answer, Passage

    passage = Passage("d", "某县2023年政府工作报告", ["一、回顾"], "review", 0, 8, "新建学校2所。", 0.5)
    refused = Answer(
        "镇里有多少人口？", False, None, [passage], {"not_found_because": _NOT_LIKELY}, 0.02, "not_found"
    )
    text = format_answer(refused)
    assert text.startswith("报告中没有：报告里没有哪一句话能可靠地回答这个问题。")
    assert "回顾 · 得分 0.5000" in text and "review" not in text and "the report" not in text


_NOT_LIKELY = "no sentence of the report is likely to answer the question"


def test_add_adds_what_it_can_read_and_names_every_file_it_cannot(tmp_path, capsys, monkeypatch):
    # Found by a helper: one scanned PDF in a batch had stopped `add` whole, naming only the first bad file.
    monkeypatch.setattr("qa.api.load_embedder", lambda model, settings: HashEmbedder())
    folder = tmp_path / "batch"
    folder.mkdir()
    first, good = tmp_path / "first.txt", folder / "good.txt"
    first.write_text("某县2023年政府工作报告\n\n一、回顾\n\n新建学校2所。", encoding="utf-8")
    good.write_text("某镇2024年政府工作报告\n\n一、回顾\n\n新建医院1所。", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7 not really")
    index = ["--index-dir", str(tmp_path / "ix")]
    assert _run(["add", str(first), *index], capsys)[0] == 0
    code, out, err = _run(["add", str(folder), str(tmp_path / "missing.txt"), *index], capsys)
    errors = [line for line in err.splitlines() if line.startswith("report-qa: error:")]
    assert code == 2 and len(errors) == 3
    for name in ("empty.txt", "corrupt.pdf", "missing.txt"):
        assert sum(name in line for line in errors) == 1, name
    held = ReportQA(tmp_path / "ix", embedder=HashEmbedder()).documents
    assert sorted(d.source for d in held) == ["first.txt", "good.txt"] and "added " in out


def test_an_error_the_chinese_says_whole_has_no_english_after_it(capsys):
    # A helper's terminal had shown 问题不能为空。（the question is empty）.
    code, _, err = _run(["ask", "   "], capsys)
    _assert_one_line_error(code, err)
    assert err.strip().splitlines()[-1] == "report-qa: error: 问题不能为空。"


def test_an_index_of_another_format_is_not_called_a_docx_zip_bomb() -> None:
    from qa.apps.messages import explain_error
    from qa.errors import DocumentError, IndexStoreError

    code, message = explain_error(IndexStoreError("/ix holds index format report-qa v999, this reads v7"))
    assert code == "index_format" and "--rebuild" in message and ".docx" not in message
    docx = explain_error(DocumentError("a.docx would unpack to 900 MB; the limit is 200 MB"))
    assert docx[0] == "docx_too_large"

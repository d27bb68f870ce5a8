"""``POST /api/ask`` answered by worker processes (qa.apps.workers), with the real model and index.

Replies must be byte for byte what the server's own process sends; workers must follow an index
that changes under them and survive a worker that dies.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from benchmarks.serving import process_tree, server_process
from qa import ReportQA
from qa.apps.cli import main
from qa.apps.server import create_app, free_port, running
from qa.apps.workers import AskWorkers
from qa.errors import IndexStoreError
from tests.conftest import bundled_index

QUESTIONS = [
    "2022年财政总收入是多少？",
    "今年要建消防站吗？",
    "How much went into river works?",
    "镇里有多少家规上企业？",
    "去年完成了哪些重点项目？今年计划投资多少？",
]
# The last one a chat's next turn: its earlier questions go to the worker too.
PAYLOADS = [{"question": q, "k": 3} for q in QUESTIONS] + [
    {"question": "那今年的目标呢？", "earlier_questions": QUESTIONS[:1], "k": 3}
]
REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> ReportQA:
    # A copy: one test adds a report to it.
    path = tmp_path_factory.mktemp("workers") / "index"
    shutil.copytree(bundled_index(tmp_path_factory, real_embedder), path)
    return ReportQA(index_dir=path, embedder=real_embedder)


def test_replies_equal_the_server_process_replies(bot: ReportQA) -> None:
    with TestClient(create_app(bot, ui=False)) as client:
        expected = [client.post("/api/ask", json=payload).content for payload in PAYLOADS]
        bad = client.post("/api/ask", json={"question": "   "})
    with running(bot, settings=replace(bot.settings, ask_workers=2)) as url:
        got = [httpx.post(f"{url}/api/ask", json=payload, timeout=60) for payload in PAYLOADS]
        refused = httpx.post(f"{url}/api/ask", json={"question": "   "}, timeout=60)
    assert [r.status_code for r in got] == [200] * len(PAYLOADS)
    assert [r.headers["content-type"] for r in got] == ["application/json"] * len(PAYLOADS)
    assert [r.content for r in got] == expected
    assert "财政总收入" in got[-1].json()["reason"]["standalone_question"]
    assert (refused.status_code, refused.json()) == (bad.status_code, bad.json())


def test_workers_follow_a_report_added_in_the_server_process(bot: ReportQA) -> None:
    report = sorted(REPORTS.glob("*.txt"))[0]
    workers = AskWorkers(bot, 1)
    try:
        bot.add_documents([report])
        added = next(d for d in bot.documents if d.source == report.name)
        import asyncio

        body = asyncio.run(workers.ask("政府工作报告", 5, {"doc_id": added.doc_id}))
    finally:
        workers.close()
        bot.remove_document(added.doc_id)
    assert f'"doc_id":"{added.doc_id}"' in body.decode()


def test_a_dead_worker_is_replaced(bot: ReportQA) -> None:
    with running(bot, settings=replace(bot.settings, ask_workers=1)) as url:
        assert httpx.post(f"{url}/api/ask", json={"question": QUESTIONS[0]}, timeout=60).status_code == 200
        (worker,) = multiprocessing.active_children()
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(10)
        replies = [httpx.post(f"{url}/api/ask", json={"question": q}, timeout=120) for q in QUESTIONS[:2]]
        assert [r.status_code for r in replies] == [200, 200]
        (replacement,) = multiprocessing.active_children()
    assert replacement.pid != worker.pid and "1.6亿元" in replies[0].text


def test_workers_need_a_count_and_the_local_store(bot: ReportQA) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        AskWorkers(bot, 0)

    class Elsewhere:
        store = "milvus"

    with pytest.raises(IndexStoreError, match="local store"):
        AskWorkers(Elsewhere(), 2)  # type: ignore[arg-type]


def test_cli_refuses_a_negative_worker_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--ask-workers", "-1"])
    assert exit_.value.code == 2
    assert "0 or more" in capsys.readouterr().err


def test_workers_end_with_the_server_process(bot: ReportQA) -> None:
    # uvicorn re-raises SIGTERM after its shutdown: the server dies before it could stop the pool.
    with server_process(bot.index_dir, free_port(), workers=2) as server:
        workers = [pid for pid in process_tree(server.pid) if pid != server.pid]
        assert len(workers) >= 2  # the ask workers and multiprocessing's resource tracker
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)


def test_cli_refuses_a_bad_worker_count_in_the_environment(
    bot: ReportQA, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPORT_QA_ASK_WORKERS", "many")
    assert main(["serve", "--index-dir", str(bot.index_dir), "--port", str(free_port())]) == 2
    assert "REPORT_QA_ASK_WORKERS" in capsys.readouterr().err


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"

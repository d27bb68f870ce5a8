"""Index integrity under crashes, concurrent writers and concurrent readers (hash test double).

Real processes where it matters: a writer killed with SIGKILL at every step of a save (and after
timed delays), two writer processes on one index folder, and readers in another process while a
writer keeps replacing the index. Threads for ask() during add_documents() in one process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

from qa import ReportQA
from qa.errors import IndexStoreError
from qa.index import generations
from qa.index import local as store
from qa.index.audit import AUDIT_FILE
from tests.conftest import HashEmbedder
from tests.index_worker import question, report_text, write_corpus

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "tests" / "index_worker.py"
GEN = "gen-"


def _worker(*args: str | Path, timeout: float = 240) -> subprocess.CompletedProcess:
    # One thread for OpenMP and OpenBLAS: the crash trials fork, which is only safe without pools.
    env = os.environ | {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    return subprocess.run(
        [sys.executable, str(WORKER), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )


def _popen(*args: str | Path) -> subprocess.Popen:
    env = os.environ | {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


# ---------------------------------------------------------------- crashes


def test_a_writer_killed_at_any_point_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    """SIGKILL at each of the ~30 steps of a save (before and after every file write, rename and
    removal), and at fractions of a long add: the index always opens, answers from the old or the
    new document set, and the next save leaves exactly one generation and no temporary files."""
    write_corpus(tmp_path / "old", range(0, 3))
    write_corpus(tmp_path / "new", range(100, 102))
    write_corpus(tmp_path / "large", range(200, 216), paragraphs=20)
    result = _worker(
        "crash-trials", tmp_path / "ix", tmp_path / "old", tmp_path / "new",
        "--large", tmp_path / "large", "--timed", "0.2,0.5,0.8,0.95,1.1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    calibration, trials = lines[0], [t for t in lines if "kind" in t]
    assert calibration["code"] == 0 and calibration["steps"] >= 20
    steps = [t for t in trials if t["kind"] == "step"]
    assert len(steps) == calibration["steps"]
    for trial in trials:
        assert "error" not in trial, trial
        assert trial["state"] in ("old", "new"), trial
        assert trial["recovered"], trial
        assert [n for n in trial["after"] if n.startswith(GEN)] == trial["after"], trial
        assert len(trial["after"]) == 1, trial  # one generation, no *.tmp left
    assert all(t["killed"] for t in steps)
    # The kill points cover both sides of the CURRENT swap, and leftovers that the next save removed.
    assert {t["state"] for t in steps} == {"old", "new"}
    assert any(t["leftovers_before"] for t in steps)
    assert any(t["killed"] for t in trials if t["kind"] == "timed")


def test_stale_temporary_files_and_folders_are_removed_by_the_next_save(tmp_path: Path) -> None:
    write_corpus(tmp_path / "docs", range(3))
    bot = ReportQA.from_paths([tmp_path / "docs"], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    (tmp_path / "ix" / "gen-000050.tmp" / "sentences").mkdir(parents=True)
    (tmp_path / "ix" / "CURRENT.tmp").write_text("gen-000050", encoding="utf-8")
    (tmp_path / "ix" / "gen-000049").mkdir()  # a complete generation that never became live
    bot.add_documents(write_corpus(tmp_path / "more", range(7, 8)))
    names = sorted(p.name for p in (tmp_path / "ix").iterdir() if p.name != AUDIT_FILE)
    assert names == [".lock", "CURRENT", "gen-000050"]


# ---------------------------------------------------------------- concurrent writers


def test_two_writer_processes_wait_for_each_other_and_lose_nothing(tmp_path: Path) -> None:
    """Two processes add a document each to one index at the same moment: the saves run one after
    the other (the second waits for the lock), and the index ends with both documents."""
    base = write_corpus(tmp_path / "base", range(3))
    ReportQA.from_paths(base, index_dir=tmp_path / "ix", embedder=HashEmbedder())
    first, second = write_corpus(tmp_path / "a", range(10, 11)), write_corpus(tmp_path / "b", range(20, 21))
    log, go = tmp_path / "steps.log", tmp_path / "go"
    writers = [
        _popen("write", tmp_path / "ix", *files, "--log", log, "--go", go, "--slow", "15")
        for files in (first, second)
    ]
    for writer in writers:  # both have imported everything and wait for the go file
        assert writer.stdout.readline().strip() == "ready"
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-3000:]

    events = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    by_pid: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for pid, step, at in events:
        by_pid[pid].append((step, float(at)))
    assert len(by_pid) == 2
    held = []
    for steps in by_pid.values():
        names = [s for s, _ in steps]
        acquired, released = names.index("lock-acquired"), names.index("lock-release")
        # Every write of this process happened while it held the lock.
        assert all(not s.startswith(("before-", "after-")) for s in names[:acquired] + names[released + 1 :])
        held.append((steps[acquired][1], steps[released][1]))
    (_, first_end), (second_start, _) = sorted(held)
    assert first_end <= second_start, "the second writer wrote while the first held the lock"
    # ... and it did wait: it asked for the lock before the first one let go.
    waits = sorted(float(at) for _, step, at in events if step == "lock-wait")
    assert waits[1] < first_end
    # The log's lines from the two processes do not interleave between lock and release either.
    order = [pid for pid, step, _ in events if step not in ("lock-wait",)]
    assert order == sorted(order, key=order.index)  # one block per process

    bot = ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert len(bot.documents) == 5  # neither writer's document was lost
    assert bot.ask(question(10)).found and bot.ask(question(20)).found
    assert sorted(p.name for p in (tmp_path / "ix").iterdir() if p.name.startswith(GEN))[-1:] == [
        generations.current_generation(tmp_path / "ix").name
    ]


def test_readers_in_another_process_never_see_a_missing_generation(tmp_path: Path) -> None:
    """store.load() here while another process replaces the index as fast as it can: every load
    returns a whole index (one of the two document sets), never a "missing or damaged" error."""
    a = write_corpus(tmp_path / "a", range(3))
    write_corpus(tmp_path / "b", range(30, 35))
    ReportQA.from_paths(a, index_dir=tmp_path / "ix", embedder=HashEmbedder())
    churn = _popen("churn", tmp_path / "ix", tmp_path / "a", tmp_path / "b", "--seconds", "8")
    loads, sizes, errors = 0, set(), []
    deadline = time.monotonic() + 30
    while churn.poll() is None and time.monotonic() < deadline:
        try:
            data = store.load(tmp_path / "ix")
        except Exception as exc:  # before the fix: IndexStoreError, faiss RuntimeError, FileNotFoundError
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        loads += 1
        sizes.add(len(data.documents))
        assert len(data.passages) == data.dense.ntotal == len(data.sentences.offsets) - 1
    out, err = churn.communicate(timeout=60)
    assert churn.returncode == 0, err[-3000:]
    assert int(out.strip()) > 10, "the writer did not save often enough to race"
    assert errors == []
    assert loads > 10 and sizes <= {3, 5}


# ---------------------------------------------------------------- readers during writes, one process


class SlowHashEmbedder(HashEmbedder):
    """Takes its time encoding passages, so add_documents is slow enough for questions to overlap it."""

    def encode_passages(self, texts, show_progress=None):
        time.sleep(0.3)
        return super().encode_passages(texts, show_progress)


def test_questions_during_add_documents_see_the_old_or_the_new_snapshot(tmp_path: Path) -> None:
    old = write_corpus(tmp_path / "old", range(3))
    bot = ReportQA.from_paths(old, index_dir=tmp_path / "ix", embedder=SlowHashEmbedder())
    batches = [write_corpus(tmp_path / f"new{n}", range(40 + 5 * n, 45 + 5 * n)) for n in range(3)]
    target = question(40)  # about a document of the first batch
    stop = threading.Event()
    failures: list[str] = []
    seen: dict[int, list[bool]] = defaultdict(list)  # thread -> did each answer come from batch 0?

    def asker(n: int) -> None:
        questions = [target, question(1), "地区生产总值增长多少", "新增学位"]
        i = 0
        while not stop.is_set():
            q = questions[i % len(questions)]
            i += 1
            try:
                answer = bot.ask(q, k=5)
            except Exception as exc:  # any exception is a failure
                failures.append(f"{type(exc).__name__}: {exc}")
                return
            docs = {p.doc_id for p in answer.passages}
            snapshot_ids = {d.doc_id for d in bot.documents}
            if not docs <= snapshot_ids:
                failures.append(f"passages of unknown documents {docs - snapshot_ids}")
            if q == target:
                seen[n].append(_name_in(answer, 40))

    threads = [threading.Thread(target=asker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.2)
        for batch in batches:
            bot.add_documents(batch)
    finally:
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert failures == []
    assert len(bot.documents) == 3 + 15
    for n, answers in seen.items():
        assert answers, f"thread {n} asked nothing"
        # Once a thread has seen the new document it never sees the old snapshot again.
        first_new = answers.index(True) if True in answers else len(answers)
        assert all(answers[first_new:]), f"thread {n} went back to the old snapshot"
    assert any(not a[0] for a in seen.values()) and all(a[-1] for a in seen.values())


def _name_in(answer, i: int) -> bool:
    name = report_text(i).split("人民政府")[0]
    return any(name in p.text for p in answer.passages)


# ---------------------------------------------------------------- integrity checks on load


def _built(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "docs", range(2))
    ReportQA.from_paths([tmp_path / "docs"], index_dir=tmp_path / "ix", embedder=HashEmbedder())
    return generations.current_generation(tmp_path / "ix")


def _edit_manifest(generation: Path, change) -> None:
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def _flip_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # same size: only the checksum can tell
    path.write_bytes(bytes(data))


DAMAGE = {
    "truncated-passages": lambda g: _truncate(g / "passages.jsonl"),
    "flipped-faiss": lambda g: _flip_middle_byte(g / "dense.faiss"),
    "flipped-vectors": lambda g: _flip_middle_byte(g / "sentences" / "vectors.npy"),
    "flipped-bm25": lambda g: _flip_middle_byte(g / "lexical" / "data.csc.index.npy"),
    "altered-vocab": lambda g: (g / "lexical" / "vocab.index.json").write_text("{}", encoding="utf-8"),
    "missing-offsets": lambda g: (g / "sentences" / "offsets.npy").unlink(),
    "missing-document": lambda g: next((g / "documents").iterdir()).unlink(),
    "emptied-manifest": lambda g: (g / "manifest.json").write_bytes(b""),
    "missing-manifest": lambda g: (g / "manifest.json").unlink(),
    "missing-generation": lambda g: shutil.rmtree(g),
    "current-names-nothing": lambda g: (g.parent / "CURRENT").write_text("gen-999999", encoding="utf-8"),
    "current-path-escape": lambda g: (g.parent / "CURRENT").write_text("../../etc", encoding="utf-8"),
    "unlisted-file": lambda g: (g / "sentences" / "extra.npy").write_bytes(b"\x93NUMPY"),
    "files-list-removed": lambda g: _edit_manifest(g, lambda m: m.pop("files")),
    "listed-path-escape": lambda g: _edit_manifest(g, lambda m: m["files"].update({"../../etc/passwd": {}})),
    "doc-id-path": lambda g: _edit_manifest(g, lambda m: m["documents"][0].update(doc_id="../../x")),
}  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_index_is_refused_with_the_rebuild_command(tmp_path: Path, damage) -> None:
    damage(_built(tmp_path))
    with pytest.raises(IndexStoreError, match=r"report-qa index PATH \.\.\. --rebuild") as info:
        ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder())
    assert "\n" not in str(info.value)
    # And the command it names does repair it.
    bot = ReportQA.from_paths(
        [tmp_path / "docs"], index_dir=tmp_path / "ix", embedder=HashEmbedder(), rebuild=True
    )
    assert bot.ask(question(1)).found
    assert ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder()).passage_count == bot.passage_count


def test_manifest_lists_every_file_with_size_and_checksum(tmp_path: Path) -> None:
    generation = _built(tmp_path)
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {str(p.relative_to(generation)) for p in generation.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == on_disk - {"manifest.json"}
    for name, entry in manifest["files"].items():
        assert entry["size"] == (generation / name).stat().st_size
        assert len(entry["sha256"]) == 64

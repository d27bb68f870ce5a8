"""Crash trials of the Milvus store (Milvus Lite in a temporary folder), for tests/test_reliability_milvus.py.

    python tests/milvus_worker.py crash-trials WORK OLD_DIR NEW_DIR EXTRA_DIR

Builds an index of OLD_DIR in the Milvus store once. Then, for every step of adding NEW_DIR (each
call that creates, fills or drops a collection, writes a file, renames or removes one: before and
after it), copies that index and its Milvus Lite file, forks a child that adds NEW_DIR and is killed
with SIGKILL at that step, and checks in a second child that the index opens and answers from the
old or the new document set (the old one from its untouched collection), and that the next save
(adding EXTRA_DIR) leaves one generation, no temporary files and one collection. Prints one JSON
line per trial.

Every Milvus Lite client lives in a forked child (the parent never opens one), so no gRPC channel
crosses a fork; OMP_NUM_THREADS=1 and OPENBLAS_NUM_THREADS=1 (set by the caller) make forking safe.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pymilvus import MilvusClient

from qa import ReportQA
from qa.index.audit import AUDIT_FILE
from qa.index.generations import read_manifest
from tests.conftest import HashEmbedder
from tests.index_worker import Steps, question

PARALLEL = 4  # trials at a time


def _bot(work: Path) -> ReportQA:
    return ReportQA(
        index_dir=work / "ix", store="milvus", milvus_uri=str(work / "milvus.db"), embedder=HashEmbedder()
    )


def _spawn(run, kill_at: int = 0) -> tuple[int, int]:
    """Fork a child that runs ``run()`` (killed at step ``kill_at`` if given) and writes its JSON
    to a pipe; the child's pid and the pipe's reading end."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        try:
            if kill_at:
                Steps(kill_at=kill_at).install().wrap_milvus()
            result = run()
            os.write(write, json.dumps(result).encode())
            os._exit(0)
        except BaseException as exc:  # reported, not raised: the parent goes on with the next trial
            os.write(write, json.dumps({"error": f"{type(exc).__name__}: {exc}"[:300]}).encode())
            os._exit(3)
    os.close(write)
    return pid, read


def _collect(pid: int, read: int) -> tuple[bool, dict]:
    """Whether the child was killed, and the JSON it wrote."""
    with os.fdopen(read) as f:
        text = f.read()
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return killed, json.loads(text) if text else {}


def _in_child(run, kill_at: int = 0) -> tuple[bool, dict]:
    """Run ``run()`` in a forked child and wait for it (see _spawn)."""
    return _collect(*_spawn(run, kill_at))


def _collections(work: Path) -> list[str]:
    return sorted(MilvusClient(uri=str(work / "milvus.db")).list_collections())


def _check(work: Path, old: list[str], new: list[str], pristine_collection: str, extra: Path) -> dict:
    """Open the index after a crash, ask, save once more; what was found."""
    for _ in range(50):  # the killed writer's Milvus Lite server may take a moment to let go of the file
        try:
            bot = _bot(work)
            break
        except Exception as exc:
            if "cannot reach Milvus" not in str(exc):
                return {"error": f"open: {type(exc).__name__}: {exc}"[:300]}
            time.sleep(0.2)
    else:
        return {"error": "open: Milvus Lite never came back"}
    docs = sorted(d.content_hash for d in bot.documents)
    state = "old" if docs == sorted(old) else "new" if docs == sorted(old + new) else f"other({len(docs)})"
    result: dict = {"state": state, "collection": bot._data.manifest["store"]["collection"]}
    result["old_collection_kept"] = result["collection"] == pristine_collection
    for q in (question(1), *([question(100)] if state == "new" else [])):
        answer = bot.ask(q, k=3)
        if not answer.found or not answer.passages:
            result["error"] = f"no answer to {q!r}"
    result["collections_before"] = _collections(work)
    result["leftovers_before"] = sorted(p.name for p in (work / "ix").iterdir() if p.name.endswith(".tmp"))
    before = len(bot.documents)
    bot.add_documents([extra])
    reopened = _bot(work)
    result["recovered"] = len(reopened.documents) == before + 1
    kept = (".lock", "CURRENT", AUDIT_FILE)  # the audit log of changes stays beside the generations
    result["after"] = sorted(p.name for p in (work / "ix").iterdir() if p.name not in kept)
    result["collections_after"] = _collections(work)
    result["live_collection"] = read_manifest(work / "ix")["store"]["collection"]
    return result


def cmd_crash_trials(args: argparse.Namespace) -> int:
    old_files = sorted(args.old.glob("*.txt"))
    new_files = sorted(args.new.glob("*.txt"))
    extra = sorted(args.extra.glob("*.txt"))[0]
    pristine = args.work / "pristine"

    def build() -> dict:
        bot = ReportQA.from_paths(
            old_files,
            index_dir=pristine / "ix",
            store="milvus",
            milvus_uri=str(pristine / "milvus.db"),
            embedder=HashEmbedder(),
        )
        return {
            "old": [d.content_hash for d in bot.documents],
            "collection": bot._data.manifest["store"]["collection"],
        }

    _, built = _in_child(build)
    assert "error" not in built, built

    def add(work: Path) -> dict:
        _bot(work).add_documents(new_files)
        return {}

    def fresh(work: Path) -> Path:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work)
        return work

    # A full run first: how many steps an add has, and the document set it leads to.
    def counted() -> dict:
        steps = Steps().install().wrap_milvus()
        add(fresh(args.work / "calibration"))
        return {
            "steps": steps.count,
            "new": [d.content_hash for d in _bot(args.work / "calibration").documents],
        }

    _, counter = _in_child(counted)
    new = [h for h in counter.get("new", []) if h not in built["old"]]
    print(json.dumps({"calibration": True, **counter, "new": new}))
    sys.stdout.flush()

    def trial(kill_at: int) -> dict:
        """One kill point, in its own copy (PARALLEL trials at a time: mostly they wait on Milvus Lite)."""
        work = fresh(args.work / f"trial-{kill_at}")
        killed, _ = _in_child(lambda: add(work), kill_at=kill_at)
        _, checked = _in_child(lambda: _check(work, built["old"], new, built["collection"], extra))
        shutil.rmtree(work, ignore_errors=True)
        return {"step": kill_at, "killed": killed} | checked

    running: list[tuple[int, int]] = []
    for kill_at in range(1, int(counter.get("steps", 0)) + 1):
        running.append(_spawn(lambda k=kill_at: trial(k)))
        if len(running) >= PARALLEL:
            print(json.dumps(_collect(*running.pop(0))[1], ensure_ascii=False), flush=True)
    for child in running:
        print(json.dumps(_collect(*child)[1], ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["crash-trials"] or len(sys.argv) != 6:
        sys.exit(__doc__)
    names = ("work", "old", "new", "extra")
    sys.exit(cmd_crash_trials(argparse.Namespace(**dict(zip(names, map(Path, sys.argv[2:]), strict=True)))))

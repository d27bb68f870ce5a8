"""A separate process that writes indexes with the hash test double, for tests/test_reliability.py.

    python tests/index_worker.py write INDEX FILE... [--mode add|build] [--log LOG] [--go GO] [--slow MS]
    python tests/index_worker.py churn INDEX A_DIR B_DIR [--seconds S]
    python tests/index_worker.py crash-trials INDEX OLD_DIR NEW_DIR [--timed 0.1,0.3,...]

``write`` adds (or indexes exactly) FILE... in INDEX, after waiting for the file GO to exist; with
``--log`` it appends one line per step of ``store.save`` (``pid step time``) and ``--slow`` sleeps
at each step, so two writers' saves can be checked for interleaving.

``crash-trials`` builds INDEX from OLD_DIR once, then for each trial copies it, forks a child that adds
the files of NEW_DIR and is killed with SIGKILL at one point of ``store.save`` (every step, before
and after it, in turn) or after a delay (``--timed``, seconds), and checks in the parent that the
index loads and answers from the old or the new document set, and that the next save cleans up.
Prints one JSON line per trial. Forking after one import keeps the trials fast; OMP_NUM_THREADS=1
and OPENBLAS_NUM_THREADS=1 (set by the caller) make forking safe.

The steps are counted by wrapping what ``store.save`` calls (no hook in the product code).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faiss

from qa import ReportQA
from qa.index import generations
from qa.index.audit import AUDIT_FILE
from qa.index.base import SentenceTable
from qa.index.lexical import LexicalIndex
from tests.conftest import HashEmbedder

# ---------------------------------------------------------------- a synthetic corpus


def _name(i: int) -> str:
    """A county name that no other document in the corpus contains: 两 rare characters from i."""
    return chr(0x5A00 + (i * 7) % 900) + chr(0x6A00 + (i * 13) % 900) + "县"


def report_text(i: int, paragraphs: int = 6) -> str:
    """A small work report with figures unique to ``i``."""
    name = _name(i)
    body = [
        f"{name}人民政府{2000 + i % 25}年工作报告",
        "",
        "一、过去一年工作回顾",
        "",
        f"全年完成{name}地区生产总值{100 + i}.{i % 10}亿元，增长{i % 9}.5%。",
    ]
    for p in range(paragraphs):
        body += [
            "",
            f"（{p + 1}）第{p + 1}项工作：新建{name}第{p}所学校，新增学位{i * 10 + p}个，"
            f"改造道路{p + 3}公里。",
        ]
    body += ["", "二、今年主要工作安排", "", f"{name}地区生产总值增长{i % 7 + 3}%左右。"]
    return "\n".join(body) + "\n"


def question(i: int) -> str:
    return f"{_name(i)}地区生产总值是多少"


def write_corpus(folder: Path, numbers: range, paragraphs: int = 6) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in numbers:
        path = folder / f"report-{i:04d}.txt"
        path.write_text(report_text(i, paragraphs), encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------- counting the steps of a save


class Steps:
    """Wraps what ``store.save`` calls; each call is two steps (before, after)."""

    def __init__(self, kill_at: int = 0, log: Path | None = None, slow_ms: float = 0) -> None:
        self.count, self.kill_at, self.log, self.slow = 0, kill_at, log, slow_ms / 1000
        self.inside = False

    def step(self, name: str) -> None:
        if not self.inside:
            return
        self.count += 1
        if self.log is not None:
            with self.log.open("a", encoding="utf-8") as f:
                f.write(f"{os.getpid()} {name} {time.monotonic():.6f}\n")
        if self.count == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if self.slow:
            time.sleep(self.slow)

    def wrap(self, owner: object, attr: str, label: str) -> None:
        original = getattr(owner, attr)

        def wrapped(*args, **kwargs):
            self.step(f"before-{label}")
            result = original(*args, **kwargs)
            self.step(f"after-{label}")
            return result

        setattr(owner, attr, wrapped)

    def install(self) -> Steps:
        original_lock = generations.write_lock

        depth = [0]

        @contextlib.contextmanager
        def lock(index_dir):  # re-entrant like the real one: logged at the outermost level only
            depth[0] += 1
            if depth[0] == 1:
                self.inside = True
                self.step("lock-wait")
            try:
                with original_lock(index_dir):
                    if depth[0] == 1:
                        self.step("lock-acquired")
                    yield
                    if depth[0] == 1:
                        self.step("lock-release")
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    self.inside = False

        generations.write_lock = lock
        self.wrap(generations, "write_text", "write-text")
        self.wrap(faiss, "write_index", "write-faiss")
        self.wrap(SentenceTable, "save", "write-sentences")
        self.wrap(LexicalIndex, "save", "write-lexical")
        self.wrap(os, "replace", "rename")
        self.wrap(shutil, "rmtree", "remove-tree")
        return self

    def wrap_milvus(self) -> Steps:
        """Also count the Milvus calls that create, fill and drop collections (tests/milvus_worker.py)."""
        from pymilvus import MilvusClient

        for attr in ("create_collection", "insert", "drop_collection"):
            self.wrap(MilvusClient, attr, attr.replace("_", "-"))
        return self


# ---------------------------------------------------------------- commands


def cmd_write(args: argparse.Namespace) -> int:
    Steps(log=args.log, slow_ms=args.slow).install()
    if args.go:
        print("ready", flush=True)
        while not Path(args.go).exists():
            time.sleep(0.005)
    if args.mode == "build":
        ReportQA.from_paths(args.files, index_dir=args.index, embedder=HashEmbedder())
    else:
        ReportQA(index_dir=args.index, embedder=HashEmbedder()).add_documents(args.files)
    return 0


def cmd_churn(args: argparse.Namespace) -> int:
    """Index A, then B, then A ... for ``--seconds``: a writer for readers in other processes to race."""
    sets = [sorted(args.a.glob("*.txt")), sorted(args.b.glob("*.txt"))]
    deadline, saves = time.monotonic() + args.seconds, 0
    while time.monotonic() < deadline:
        ReportQA.from_paths(sets[saves % 2], index_dir=args.index, embedder=HashEmbedder())
        saves += 1
    print(saves)
    return 0


def _check(index: Path, old: set[str], new: set[str], old_q: str, new_q: str) -> dict:
    """Open the index after a crash, ask, save again; what was found."""
    result: dict = {}
    try:
        bot = ReportQA(index_dir=index, embedder=HashEmbedder())
    except Exception as exc:
        return {"error": f"open: {type(exc).__name__}: {exc}"}
    docs = {d.content_hash for d in bot.documents}
    result["state"] = "old" if docs == old else "new" if docs == old | new else f"other({len(docs)})"
    texts = bot._data.texts
    for q in (old_q, *([new_q] if result["state"] == "new" else [])):
        answer = bot.ask(q, k=3)
        if not answer.found or not answer.passages:
            result["error"] = f"no answer to {q!r}"
        for p in answer.passages:
            if texts[p.doc_id][p.start : p.end] != p.text:
                result["error"] = "a passage is not a slice of its document"
    result["leftovers_before"] = sorted(p.name for p in index.iterdir() if p.name.endswith(".tmp"))
    return result


def _recover(index: Path, extra: Path) -> dict:
    """Save once more (adding ``extra``): it must work and leave one generation and no temporary files."""
    before = {d.content_hash for d in ReportQA(index_dir=index, embedder=HashEmbedder()).documents}
    ReportQA(index_dir=index, embedder=HashEmbedder()).add_documents([extra])
    after = {d.content_hash for d in ReportQA(index_dir=index, embedder=HashEmbedder()).documents}
    kept = (".lock", "CURRENT", AUDIT_FILE)  # the audit log of changes stays beside the generations
    names = sorted(p.name for p in index.iterdir() if p.name not in kept)
    return {"recovered": len(after) == len(before) + 1 and before < after, "after": names}


def _trial(pristine: Path, work: Path, new_files: list[Path], kill_at: int = 0, delay: float = 0) -> tuple:
    """Fork a child that adds ``new_files`` and dies at step ``kill_at`` or after ``delay`` seconds."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(pristine, work)
    read, write = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        steps = Steps(kill_at=kill_at).install()
        try:
            ReportQA(index_dir=work, embedder=HashEmbedder()).add_documents(new_files)
            os.write(write, str(steps.count).encode())
            os._exit(0)
        except BaseException:
            os._exit(3)
    os.close(write)
    if delay:
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    with os.fdopen(read) as f:
        steps_done = f.read()
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    code = os.waitstatus_to_exitcode(status)
    return killed, code, int(steps_done or 0), elapsed


def cmd_crash_trials(args: argparse.Namespace) -> int:
    old_files = sorted(args.old.glob("*.txt"))
    new_files = sorted(args.new.glob("*.txt"))
    pristine = args.index / "pristine"
    ReportQA.from_paths(old_files, index_dir=pristine, embedder=HashEmbedder())
    old = {d.content_hash for d in ReportQA(index_dir=pristine, embedder=HashEmbedder()).documents}
    hashes = ReportQA.from_paths(new_files, index_dir=args.index / "scratch", embedder=HashEmbedder())
    new = {d.content_hash for d in hashes.documents}
    old_q = question(int(old_files[0].stem.split("-")[1]))
    new_q = question(int(new_files[0].stem.split("-")[1]))
    work = args.index / "trial"
    extra = write_corpus(args.index / "extra", range(999, 1000))[0]

    # A full run first: how many steps a save has, and how long the whole add takes.
    killed, code, total, duration = _trial(pristine, work, new_files)
    print(json.dumps({"calibration": True, "steps": total, "seconds": round(duration, 3), "code": code}))
    sys.stdout.flush()
    plans = [("step", k, 0.0, new_files, new, new_q) for k in range(1, total + 1)]
    if args.timed:
        # Timed kills add many documents, so that they land anywhere in loading, embedding and saving.
        large_files = sorted(args.large.glob("*.txt"))
        large = {
            d.content_hash
            for d in ReportQA.from_paths(
                large_files, index_dir=args.index / "scratch-large", embedder=HashEmbedder()
            ).documents
        }
        _, _, _, duration = _trial(pristine, work, large_files)
        print(json.dumps({"calibration": "large", "seconds": round(duration, 3)}))
        # Asked about a document these trials add (the new set's question names one they do not).
        large_q = question(int(large_files[0].stem.split("-")[1]))
        plans += [
            ("timed", 0, float(t) * duration, large_files, large, large_q) for t in args.timed.split(",")
        ]
    for kind, kill_at, delay, files, added, added_q in plans:
        killed, code, _, _ = _trial(pristine, work, files, kill_at=kill_at, delay=delay)
        result = {"kind": kind, "step": kill_at, "delay": round(delay, 3), "killed": killed, "code": code}
        result |= _check(work, old, added, old_q, added_q)
        if "error" not in result:
            result |= _recover(work, extra)
        print(json.dumps(result, ensure_ascii=False))
        sys.stdout.flush()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("index", type=Path)
    w.add_argument("files", nargs="+", type=Path)
    w.add_argument("--mode", choices=["add", "build"], default="add")
    w.add_argument("--log", type=Path)
    w.add_argument("--go", type=Path)
    w.add_argument("--slow", type=float, default=0)
    w.set_defaults(run=cmd_write)
    h = sub.add_parser("churn")
    h.add_argument("index", type=Path)
    h.add_argument("a", type=Path)
    h.add_argument("b", type=Path)
    h.add_argument("--seconds", type=float, default=5)
    h.set_defaults(run=cmd_churn)
    c = sub.add_parser("crash-trials")
    c.add_argument("index", type=Path)
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    c.add_argument("--timed", default="", help="kill delays, as fractions of a full run's time")
    c.add_argument("--large", type=Path, help="the documents the timed trials add")
    c.set_defaults(run=cmd_crash_trials)
    args = parser.parse_args()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

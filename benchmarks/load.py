"""Load and soak test of the report-qa server on loopback: concurrent clients, errors, latency, memory.

    python benchmarks/load.py                                  # 32 clients x 50 questions, real model
    python benchmarks/load.py --minutes 10 --add-every 60      # soak: 10 min, a report added a minute
    python benchmarks/load.py --clients 4 --questions 5 --test-double --json   # the CI smoke version

The server runs in a child process (this script with ``--serve``), on 127.0.0.1 and a free port, over
a copy of the bundled report's index in a temporary folder (``./index`` is never touched). Each client
thread asks the questions of ``tests/data/dev_zimao.jsonl`` in turn, every ``--gradio-every``-th one
through Gradio's ``/ask`` endpoint (gradio_client) and the rest through ``POST /api/ask``. An error is
any exception, any status but 200, or a reply without ``found``/``passages``. The server's resident
memory (VmRSS of the child) is read after a warm-up round, after the load, and after a second round
of the same load, so growth shows as a trend rather than a single number.

With ``--minutes``, clients keep asking until the time is up (each pausing ``--think`` seconds between
questions) while the server adds a generated report every ``--add-every`` seconds through
``ReportQA.add_documents``; memory is sampled every ``--sample-every`` seconds.

Every request goes to 127.0.0.1 only; every loop is bounded by a count or a deadline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine_info, rss_mb  # noqa: E402  (after the path is set)
from benchmarks.load_clients import run_clients, summary  # noqa: E402
from qa.apps.server import free_port  # noqa: E402

HOST = "127.0.0.1"
QUESTIONS = ROOT / "tests" / "data" / "dev_zimao.jsonl"


# ---------------------------------------------------------------- the server (child process)


def _soak_report(n: int) -> str:
    name = chr(0x5A00 + (n * 7) % 900) + chr(0x6A00 + (n * 13) % 900) + "镇"
    lines = [f"{name}人民政府2023年工作报告", "", "一、2022年工作回顾", ""]
    lines += [f"全年完成{name}财政总收入{n + 1}.{n % 10}亿元，增长{n % 9}.5%。新建学校{n % 5 + 1}所。"] * 3
    lines += ["", "二、2023年工作安排", "", f"{name}财政总收入增长{n % 7 + 3}%左右，新增学位{n * 10}个。"]
    return "\n".join(lines) + "\n"


def serve(args: argparse.Namespace) -> int:
    from qa import ReportQA
    from qa.apps.server import serve as run_server

    embedder = None
    if args.test_double:
        from tests.conftest import HashEmbedder

        embedder = HashEmbedder()
    bot = ReportQA(index_dir=args.index_dir, embedder=embedder)
    if args.add_every > 0:
        folder = Path(args.index_dir).parent / "soak-docs"
        folder.mkdir(exist_ok=True)

        def add_reports() -> None:
            n = 0
            while True:  # a daemon thread: ends with the server process
                time.sleep(args.add_every)
                n += 1
                path = folder / f"soak-{n:04d}.txt"
                path.write_text(_soak_report(n), encoding="utf-8")
                bot.add_documents([path])
                print(f"added {path.name}: {len(bot.documents)} documents", flush=True)

        threading.Thread(target=add_reports, daemon=True).start()
    run_server(bot, host=HOST, port=args.port)
    return 0


# ---------------------------------------------------------------- orchestration


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 600) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError("the server did not start")


def machine() -> dict:
    """The machine of the shared benchmarks, and the commit measured."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {**machine_info(), "commit": commit or "?"}


def prepare_index(work: Path, test_double: bool) -> Path:
    """A fresh index of the bundled report in ``work``, built by a child process (the model loads there)."""
    index = work / "index"
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]); from qa import ReportQA\n"
        "e = None\n"
        "if sys.argv[3] == '1':\n    from tests.conftest import HashEmbedder; e = HashEmbedder()\n"
        "ReportQA(index_dir=sys.argv[1], embedder=e)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(index), str(ROOT), "1" if test_double else "0"], check=True
    )
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--questions", type=int, default=50, help="questions per client (load mode)")
    parser.add_argument(
        "--gradio-every", type=int, default=4, help="every Nth question via gradio /ask (0: none)"
    )
    parser.add_argument(
        "--minutes", type=float, default=0, help="soak for this long instead of a fixed count"
    )
    parser.add_argument("--add-every", type=float, default=60, help="soak: seconds between added reports")
    parser.add_argument("--think", type=float, default=0, help="seconds each client waits between questions")
    parser.add_argument("--sample-every", type=float, default=30, help="soak: seconds between RSS samples")
    parser.add_argument("--test-double", action="store_true", help="hash embedder instead of the model")
    parser.add_argument("--out", type=Path, help="append a Markdown section with the results to this file")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args)

    questions = [
        json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line
    ]
    work = Path(tempfile.mkdtemp(prefix="report-qa-load-"))
    port = free_port(HOST)
    url = f"http://{HOST}:{port}"
    soak = args.minutes > 0
    log = (work / "server.log").open("w")
    proc = None
    try:
        index = prepare_index(work, args.test_double)
        command = [sys.executable, str(Path(__file__).resolve()), "--serve", "--index-dir", str(index)]
        command += ["--port", str(port), "--add-every", str(args.add_every if soak else 0)]
        command += ["--test-double"] if args.test_double else []
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        wait_ready(url, proc)
        results: dict = {
            "machine": machine(),
            "command": "python benchmarks/load.py " + " ".join(argv or sys.argv[1:]),
        }
        warm = run_clients(url, args, questions, count=2, deadline=None)
        results["warmup_errors"] = len(warm.errors)
        results["loadavg_before"] = round(os.getloadavg()[0], 1)
        results["rss_mb_before"] = rss_mb(proc.pid)
        if not soak:
            first = run_clients(url, args, questions, count=args.questions, deadline=None)
            results["rss_mb_after"] = rss_mb(proc.pid)
            second = run_clients(url, args, questions, count=args.questions, deadline=None)
            results["rss_mb_after_second_round"] = rss_mb(proc.pid)
            results["load"] = summary(first)
            results["second_round"] = summary(second)
            results["errors"] = len(first.errors) + len(second.errors) + len(warm.errors)
        else:
            samples = [(0.0, results["rss_mb_before"])]
            deadline = time.monotonic() + 60 * args.minutes
            box: dict = {}
            runner = threading.Thread(
                target=lambda: box.setdefault("stats", run_clients(url, args, questions, None, deadline))
            )
            started = time.monotonic()
            runner.start()
            while runner.is_alive():
                runner.join(timeout=args.sample_every)
                samples.append((round(time.monotonic() - started, 1), rss_mb(proc.pid)))
            import httpx

            health = httpx.get(url + "/healthz", timeout=30).json()
            results["soak"] = summary(box["stats"])
            results["rss_samples"] = samples
            results["rss_mb_after"] = samples[-1][1]
            results["documents_at_end"] = health["documents"]
            results["errors"] = len(box["stats"].errors) + len(warm.errors)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        server_log = (work / "server.log").read_text(errors="replace")
        shutil.rmtree(work, ignore_errors=True)
    results["server_log_tail"] = server_log.strip().splitlines()[-3:]
    results["loadavg_after"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.out:
        write_markdown(args.out, results, args)
    return 0 if results["errors"] == 0 else 1


def write_markdown(path: Path, results: dict, args) -> None:
    m = results["machine"]
    lines = [
        f"## {'Soak' if args.minutes else 'Load'}: {args.clients} clients, "
        + (
            (
                f"{args.minutes:g} min, a report added every {args.add_every:g} s"
                if args.add_every < 60 * args.minutes
                else f"{args.minutes:g} min, no reports added"
            )
            if args.minutes
            else f"{args.questions} questions each"
        )
        + (" (test double)" if args.test_double else " (real model)"),
        "",
        f"`{results['command']}` — {time.strftime('%Y-%m-%d %H:%M')}, commit {m['commit']}, "
        f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB, Python {m['versions']['python']}, "
        f"{m['platform']}; "
        f"1-min load average {results['loadavg_before']} before, {results['loadavg_after']} after "
        "(anything above the core count was other work on the machine)",
        "",
        "| run | requests | errors | req/s | p50 ms | p95 ms | max ms | api p50/p95 ms | gradio p50/p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    runs = (
        [("soak", results["soak"])]
        if args.minutes
        else [("load", results["load"]), ("second round", results["second_round"])]
    )
    for name, s in runs:
        lines.append(
            f"| {name} | {s['requests']} | {s['errors']} | {s['throughput_rps']} | {s.get('all_p50_ms')} | "
            f"{s.get('all_p95_ms')} | {s.get('all_max_ms')} | {s.get('api_p50_ms')}/{s.get('api_p95_ms')} | "
            f"{s.get('gradio_p50_ms')}/{s.get('gradio_p95_ms')} |"
        )
    lines.append("")
    if args.minutes:
        samples = ", ".join(f"{t:g}s {mb:g}" for t, mb in results["rss_samples"])
        lines.append(
            f"Server RSS (MB) over time: {samples}. Documents at the end: {results['documents_at_end']}."
        )
    else:
        lines.append(
            f"Server RSS: {results['rss_mb_before']} MB after warm-up, "
            f"{results['rss_mb_after']} MB after the load, "
            f"{results['rss_mb_after_second_round']} MB after a second identical round."
        )
    lines.append("")
    header = (
        ""
        if path.exists()
        else "# Load and soak results\n\nWritten by `benchmarks/load.py`; newest last.\n\n"
    )
    with path.open("a", encoding="utf-8") as f:
        f.write(header + "\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())

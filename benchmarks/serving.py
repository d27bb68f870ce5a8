"""Serving on both cores: HTTP ``POST /api/ask`` from concurrent clients vs sequential asks in-process.

One run measures all on the same index: ``ReportQA.ask`` called in a loop in this process (asks/s;
before, between and after the HTTP runs), and a fresh ``report-qa serve`` process on loopback,
answering in its own process and then with
``--ask-workers`` (one per core, qa.apps.workers), asked by ``clients`` concurrent keep-alive
connections of ``wrk`` (Debian's package; benchmarks/wrk_ask.lua). The load generator shares the
cores with the server, so it must cost little: wrk takes ~0.13 ms of CPU per request, where the
aiohttp client used before took ~1.7 ms, a tenth of the machine at this rate. An error is a socket
error, any status but 200, or a reply without ``passages``. The server's RSS is read after the load.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import log, pct, rss_mb

ROOT = Path(__file__).resolve().parents[1]
WRK_SCRIPT = Path(__file__).with_name("wrk_ask.lua")


def _cpu_s(pid: int | None = None) -> float:
    """CPU seconds (user + system) used so far by this process, or by process ``pid``."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """Process ``pid`` and every living descendant (the server and its ask workers)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # ended while being read
        parents.setdefault(parent, []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        out.append(todo.pop())
        todo += parents.get(out[-1], [])
    return out


def _tree_cpu_s(pids: list[int]) -> float:
    return sum(_cpu_s(p) for p in pids)


def _asks(bot: Any, questions: list[str], rounds: int) -> tuple[list[float], float, float]:
    """``bot.ask`` over ``questions`` ``rounds`` times in a loop: each ask's seconds, wall seconds
    and CPU seconds of the whole loop."""
    seconds = []
    started, cpu = time.perf_counter(), _cpu_s()
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            bot.ask(q, k=5)
            seconds.append(time.perf_counter() - t)
    return seconds, time.perf_counter() - started, _cpu_s() - cpu


def sequential(slices: list[tuple[list[float], float, float]]) -> dict[str, Any]:
    """Asks per second, latency and CPU milliseconds per ask over loops of ``_asks``."""
    seconds = [s for part in slices for s in part[0]]
    wall, cpu = sum(part[1] for part in slices), sum(part[2] for part in slices)
    return {
        "asks": len(seconds),
        "per_s": round(len(seconds) / wall, 2),
        "cpu_ms_per_ask": round(cpu / len(seconds) * 1000, 2),
        "slices_per_s": [round(len(part[0]) / part[1], 2) for part in slices],
        **pct(seconds),
    }


def _load(base: str, questions: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``wrk`` with ``clients`` keep-alive connections posting ``questions`` in turn for ``seconds``:
    requests, per second, p50/p95 latency, errors, and wrk's CPU milliseconds per request."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("the serving benchmark needs wrk (Debian: apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as bodies:
        bodies.writelines(json.dumps({"question": q, "k": 5}, ensure_ascii=False) + "\n" for q in questions)
    command = [
        wrk,
        "-t1",
        f"-c{clients}",
        f"-d{seconds:g}s",
        "--timeout",
        "120s",
        "-s",
        str(WRK_SCRIPT),
        base,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        env = {**os.environ, "WRK_BODIES": bodies.name}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    finally:
        os.unlink(bodies.name)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    client_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "requests": out["requests"],
        "errors": out["bad"] + out["socket_errors"],
        "per_s": round(out["requests"] / out["seconds"], 2),
        "p50_ms": out["p50_ms"],
        "p95_ms": out["p95_ms"],
        "client_cpu_ms_per_request": round(client_cpu / max(out["requests"], 1) * 1000, 2),
    }


@contextmanager
def server_process(index_dir: Path, port: int, workers: int = 0) -> Iterator[subprocess.Popen[bytes]]:
    """A fresh ``report-qa serve`` on loopback (``workers`` ask workers), answering ``/healthz`` when
    the block starts; terminated (SIGTERM) when it ends."""
    import httpx

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "qa", "serve", "--index-dir", str(index_dir), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--ask-workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def over_http(
    index_dir: Path, questions: list[str], clients: int, seconds: float, port: int, workers: int = 0
) -> dict[str, Any]:
    """A fresh ``report-qa serve`` on ``index_dir`` (``workers`` ask workers), asked by ``clients``
    concurrent connections. CPU and RSS are the server's with its workers (RSS summed)."""
    base = f"http://127.0.0.1:{port}"
    with server_process(index_dir, port, workers) as server:
        _load(base, questions, clients, min(3.0, seconds))  # warm-up
        pids = process_tree(server.pid)
        cpu = _tree_cpu_s(pids)
        out = _load(base, questions, clients, seconds)
        out["server_cpu_ms_per_request"] = round(
            (_tree_cpu_s(pids) - cpu) / max(out["requests"], 1) * 1000, 2
        )
        out["server_rss_mb"] = round(sum(rss_mb(p) for p in pids), 1)
        out["processes"] = len(pids)
        return out


def measure(
    bot: Any, index_dir: Path, questions: list[str], clients: int, seconds: float, rounds: int, port: int
) -> dict[str, Any]:
    """Sequential in-process asks, and HTTP with ``clients`` concurrent clients, on one index: the
    server answering in its own process, then with one ask worker per core. The sequential loop
    runs before, between and after the two (``rounds`` each) and counts as one: the shared machine's
    speed drifts by 20% within minutes, and a loop at one moment only made the ratio swing."""
    cores = len(os.sched_getaffinity(0))
    for q in questions[:3]:
        bot.ask(q, k=5)
    log(f"serving: sequential asks in-process (3 x {rounds} x {len(questions)} questions, between runs)")
    slices = [_asks(bot, questions, rounds)]
    log(f"serving: {clients} HTTP clients for {seconds:g} s, in the server process")
    http = over_http(index_dir, questions, clients, seconds, port)
    slices.append(_asks(bot, questions, rounds))
    log(f"serving: {clients} HTTP clients for {seconds:g} s, {cores} ask workers")
    workers = over_http(index_dir, questions, clients, seconds, port, workers=cores)
    slices.append(_asks(bot, questions, rounds))
    seq = sequential(slices)
    out = {
        "clients": clients,
        "seconds": seconds,
        "sequential": seq,
        "http": http,
        "ratio": round(http["per_s"] / seq["per_s"], 2),
        "http_workers": workers,
        "ratio_workers": round(workers["per_s"] / seq["per_s"], 2),
        "cores": cores,
    }
    log(f"serving: {out}")
    return out


def _http_row(label: str, http: dict[str, Any]) -> list[Any]:
    return [
        label,
        http["requests"],
        http["per_s"],
        http["p50_ms"],
        http["p95_ms"],
        http["errors"],
        http["server_cpu_ms_per_request"],
        http["server_rss_mb"],
    ]


def render_section(r: dict[str, Any]) -> tuple[list[list[Any]], list[str]]:
    """Headline row (what, measured, goal, met) and the RESULTS.md section of ``serving``."""
    from benchmarks.common import table

    s = r.get("serving")
    if not s:
        return [], []
    seq, http, workers = s["sequential"], s["http"], s.get("http_workers")
    # The goal is met by the server as deployed for it: with one ask worker per core where measured.
    best, ratio = (workers, s["ratio_workers"]) if workers else (http, s["ratio"])
    setting = f", --ask-workers {s['cores']}" if workers else ""
    met = ratio >= 1.6 and best["p95_ms"] <= 400 and best["errors"] == 0
    rows = [
        [
            f"HTTP /api/ask, {s['clients']} clients{setting}: req/s ÷ sequential asks/s in-process; "
            "p95; errors",
            f"{ratio}x ({best['per_s']} ÷ {seq['per_s']}); {best['p95_ms']} ms; {best['errors']}"
            + (f" (server's own process: {s['ratio']}x)" if workers else ""),
            "≥ 1.6x; ≤ 400 ms; 0",
            "yes" if met else "**no**",
        ]
    ]
    runs = [_http_row(f"HTTP, {s['clients']} clients, answered in the server process", http)]
    if workers:
        runs.append(_http_row(f"HTTP, {s['clients']} clients, {s['cores']} ask workers", workers))
    section = [
        "## Serving on both cores",
        "",
        "The bundled report's index. In one run: `ReportQA.ask` over the dev_zimao questions in a loop "
        f"in the benchmark process ({seq['asks']} asks in three equal loops before, between and after "
        f"the HTTP runs: {', '.join(map(str, seq.get('slices_per_s', [])))} asks/s), and fresh "
        "`report-qa serve` processes asked "
        f"by {s['clients']} concurrent clients (`wrk`, one keep-alive connection each, "
        f"{s['seconds']:g} s after a warm-up) on {s['cores']} cores shared with the load generator: "
        "first answering in the server's own process, two questions per core at once in threads "
        "(`qa.apps.server.asks_at_once`), where the Python half of every answer holds the GIL; then "
        f"with `--ask-workers {s['cores']}` (`qa.apps.workers`: processes that each open the index "
        "and answer, the server only parses and replies). Server CPU and RSS include its workers "
        "(RSS summed over the processes, so pages they share count once per process).",
        "",
        table(
            [
                "run",
                "requests",
                "per s",
                "p50 ms",
                "p95 ms",
                "errors",
                "server CPU ms / request",
                "server RSS MB",
            ],
            [
                [
                    "sequential, in-process",
                    seq["asks"],
                    seq["per_s"],
                    seq["p50_ms"],
                    seq["p95_ms"],
                    "—",
                    seq["cpu_ms_per_ask"],
                    "—",
                ],
                *runs,
            ],
        ),
        "",
        f"CPU per request: {seq['cpu_ms_per_ask']} ms per ask in-process; over HTTP "
        + "; ".join(f"{run[0].split(', ', 2)[-1]} {run[6]} ms" for run in runs)
        + f"; the load generator {best['client_cpu_ms_per_request']} ms.",
        "",
    ]
    return rows, section

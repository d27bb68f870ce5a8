"""Serving on both cores: HTTP ``POST /api/ask`` from concurrent clients vs sequential asks in-process.

One run measures both on the same index: ``ReportQA.ask`` called in a loop in this process (asks/s),
then a fresh ``report-qa serve`` process on loopback asked by ``clients`` concurrent keep-alive
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


def sequential(bot: Any, questions: list[str], rounds: int) -> dict[str, Any]:
    """``bot.ask`` over ``questions`` ``rounds`` times in a loop: asks per second, latency and CPU
    milliseconds per ask."""
    for q in questions[:3]:
        bot.ask(q, k=5)
    seconds = []
    started, cpu = time.perf_counter(), _cpu_s()
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            bot.ask(q, k=5)
            seconds.append(time.perf_counter() - t)
    wall, cpu = time.perf_counter() - started, _cpu_s() - cpu
    return {
        "asks": len(seconds),
        "per_s": round(len(seconds) / wall, 2),
        "cpu_ms_per_ask": round(cpu / len(seconds) * 1000, 2),
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


def over_http(
    index_dir: Path, questions: list[str], clients: int, seconds: float, port: int
) -> dict[str, Any]:
    """A fresh ``report-qa serve`` on ``index_dir``, asked by ``clients`` concurrent connections."""
    import httpx

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "qa", "serve", "--index-dir", str(index_dir), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        _load(base, questions, clients, min(3.0, seconds))  # warm-up
        cpu = _cpu_s(server.pid)
        out = _load(base, questions, clients, seconds)
        out["server_cpu_ms_per_request"] = round(
            (_cpu_s(server.pid) - cpu) / max(out["requests"], 1) * 1000, 2
        )
        out["server_rss_mb"] = rss_mb(server.pid)
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(
    bot: Any, index_dir: Path, questions: list[str], clients: int, seconds: float, rounds: int, port: int
) -> dict[str, Any]:
    """Sequential in-process asks, then HTTP with ``clients`` concurrent clients, on one index."""
    log(f"serving: sequential asks in-process ({rounds} x {len(questions)} questions)")
    seq = sequential(bot, questions, rounds)
    log(f"serving: {clients} HTTP clients for {seconds:g} s")
    http = over_http(index_dir, questions, clients, seconds, port)
    out = {
        "clients": clients,
        "seconds": seconds,
        "sequential": seq,
        "http": http,
        "ratio": round(http["per_s"] / seq["per_s"], 2),
        "cores": len(os.sched_getaffinity(0)),
    }
    log(f"serving: {out}")
    return out


def render_section(r: dict[str, Any]) -> tuple[list[list[Any]], list[str]]:
    """Headline row (what, measured, goal, met) and the RESULTS.md section of ``serving``."""
    from benchmarks.common import table

    s = r.get("serving")
    if not s:
        return [], []
    seq, http = s["sequential"], s["http"]
    met = s["ratio"] >= 1.6 and http["p95_ms"] <= 400 and http["errors"] == 0
    rows = [
        [
            f"HTTP /api/ask, {s['clients']} clients: req/s ÷ sequential asks/s in-process; p95; errors",
            f"{s['ratio']}x ({http['per_s']} ÷ {seq['per_s']}); {http['p95_ms']} ms; {http['errors']}",
            "≥ 1.6x; ≤ 400 ms; 0",
            "yes" if met else "**no**",
        ]
    ]
    section = [
        "## Serving on both cores",
        "",
        "The bundled report's index. In one run: `ReportQA.ask` over the dev_zimao questions in a loop "
        f"in the benchmark process ({seq['asks']} asks), then a fresh `report-qa serve` process asked "
        f"by {s['clients']} concurrent clients (`wrk`, one keep-alive connection each, "
        f"{s['seconds']:g} s after a warm-up: {http['requests']} requests) on {s['cores']} cores shared "
        "with the load generator. The server answers two questions per core at once in worker threads "
        "(`qa.apps.server.asks_at_once`): ONNX Runtime, faiss and numpy release the GIL, so the "
        "asks use both cores; the other requests wait on the event loop. uvicorn parses with "
        "httptools on uvloop.",
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
                [
                    f"HTTP, {s['clients']} clients",
                    http["requests"],
                    http["per_s"],
                    http["p50_ms"],
                    http["p95_ms"],
                    http["errors"],
                    http["server_cpu_ms_per_request"],
                    http["server_rss_mb"],
                ],
            ],
        ),
        "",
        f"CPU per request: the server {http['server_cpu_ms_per_request']} ms against "
        f"{seq['cpu_ms_per_ask']} ms per ask in-process, the load generator "
        f"{http['client_cpu_ms_per_request']} ms. Two cores give at most "
        f"{2 * seq['cpu_ms_per_ask'] / http['server_cpu_ms_per_request']:.2f}x the sequential rate at "
        "the server's CPU cost per request.",
        "",
    ]
    return rows, section

"""Serving on both cores: HTTP ``POST /api/ask`` from concurrent clients vs sequential asks in-process.

One run measures both on the same index: ``ReportQA.ask`` called in a loop in this process (asks/s),
then a fresh ``report-qa serve`` process on loopback asked by ``clients`` concurrent connections
(aiohttp, one coroutine per client in one thread, so the load generator takes little of the CPU it
shares with the server). An error is any exception, any status but 200, or a reply without
``found``/``passages``. The server's RSS is read after the load.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import log, pct

ROOT = Path(__file__).resolve().parents[1]


def sequential(bot: Any, questions: list[str], rounds: int) -> dict[str, Any]:
    """``bot.ask`` over ``questions`` ``rounds`` times in a loop: asks per second and latency."""
    for q in questions[:3]:
        bot.ask(q, k=5)
    seconds = []
    started = time.perf_counter()
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            bot.ask(q, k=5)
            seconds.append(time.perf_counter() - t)
    wall = time.perf_counter() - started
    return {"asks": len(seconds), "per_s": round(len(seconds) / wall, 2), **pct(seconds)}


async def _clients(url: str, questions: list[str], clients: int, per_client: int) -> dict[str, Any]:
    import aiohttp

    latencies: list[float] = []
    errors: list[str] = []

    async def one(number: int, session: aiohttp.ClientSession, count: int, record: bool) -> None:
        for i in range(count):
            question = questions[(number * 7 + i) % len(questions)]
            t = time.perf_counter()
            try:
                async with session.post(url, json={"question": question, "k": 5}) as response:
                    body = await response.json()
                    error = None if response.status == 200 else f"HTTP {response.status}"
                    if error is None and not ("found" in body and "passages" in body):
                        error = f"unexpected reply {str(body)[:120]}"
            except Exception as exc:  # any failure is counted, never hidden
                error = f"{type(exc).__name__}: {exc}"[:200]
            if record:
                latencies.append(time.perf_counter() - t)
                if error:
                    errors.append(error)

    timeout = aiohttp.ClientTimeout(total=120)
    sessions = [
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), timeout=timeout)
        for _ in range(clients)
    ]
    try:
        await asyncio.gather(*(one(n, s, 2, False) for n, s in enumerate(sessions)))  # connect, warm up
        started = time.perf_counter()
        await asyncio.gather(*(one(n, s, per_client, True) for n, s in enumerate(sessions)))
        wall = time.perf_counter() - started
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "per_s": round(len(latencies) / wall, 2),
        **pct(latencies),
    }


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def over_http(
    index_dir: Path, questions: list[str], clients: int, per_client: int, port: int
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
        out = asyncio.run(_clients(f"{base}/api/ask", questions, clients, per_client))
        out["server_rss_mb"] = _rss_mb(server.pid)
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(
    bot: Any, index_dir: Path, questions: list[str], clients: int, per_client: int, rounds: int, port: int
) -> dict[str, Any]:
    """Sequential in-process asks, then HTTP with ``clients`` concurrent clients, on one index."""
    log(f"serving: sequential asks in-process ({rounds} x {len(questions)} questions)")
    seq = sequential(bot, questions, rounds)
    log(f"serving: {clients} HTTP clients x {per_client} questions")
    http = over_http(index_dir, questions, clients, per_client, port)
    out = {
        "clients": clients,
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
        f"by {s['clients']} concurrent clients (aiohttp, one connection each, keep-alive; "
        f"{http['requests']} requests after two warm-up questions each) on {s['cores']} cores shared "
        "with the clients. The server answers two questions per core at once in worker threads "
        "(`qa.apps.server.asks_at_once`): ONNX Runtime, faiss and numpy release the GIL, so the "
        "asks use both cores; the other requests wait on the event loop. uvicorn parses with "
        "httptools on uvloop.",
        "",
        table(
            ["run", "requests", "per s", "p50 ms", "p95 ms", "errors", "server RSS MB"],
            [
                ["sequential, in-process", seq["asks"], seq["per_s"], seq["p50_ms"], seq["p95_ms"], "—", "—"],
                [
                    f"HTTP, {s['clients']} clients",
                    http["requests"],
                    http["per_s"],
                    http["p50_ms"],
                    http["p95_ms"],
                    http["errors"],
                    http["server_rss_mb"],
                ],
            ],
        ),
        "",
    ]
    return rows, section

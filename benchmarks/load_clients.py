"""The client side of the load benchmark: threads asking the server, and what they measured."""

from __future__ import annotations

import threading
import time

from benchmarks.common import pct


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {"api": [], "gradio": []}
        self.errors: list[str] = []

    def record(self, route: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latency[route].append(seconds)
            if error:
                self.errors.append(f"{route}: {error}")

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latency.values())


def _check(reply: object) -> str | None:
    if not isinstance(reply, dict) or "found" not in reply or "passages" not in reply:
        return f"unexpected reply {str(reply)[:120]}"
    return None


def _route(args, number: int, i: int) -> str:
    every = args.gradio_every
    return "gradio" if every and i % every == number % every else "api"


def client(
    url: str,
    number: int,
    questions: list[str],
    count: int | None,
    deadline: float | None,
    args,
    stats: Stats,
    ready: threading.Barrier,
) -> None:
    import httpx

    gradio = None
    try:
        if any(_route(args, number, i) == "gradio" for i in range(args.gradio_every or 1)):
            from gradio_client import Client

            # Set up once per client, before the clock starts (it reads the app's config).
            gradio = Client(url + "/", verbose=False)
    except Exception as exc:
        stats.record("gradio", 0.0, f"connect: {type(exc).__name__}: {exc}"[:200])
        return
    finally:
        ready.wait()
    with httpx.Client(base_url=url, timeout=120) as http:
        i = 0
        while (count is None or i < count) and (deadline is None or time.monotonic() < deadline):
            question = questions[(number * 7 + i) % len(questions)]
            route = _route(args, number, i)
            started = time.perf_counter()
            error = None
            try:
                if route == "api":
                    response = http.post("/api/ask", json={"question": question, "k": 5})
                    error = (
                        f"HTTP {response.status_code}"
                        if response.status_code != 200
                        else _check(response.json())
                    )
                else:
                    error = _check(gradio.predict(question, 5, api_name="/ask"))
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"[:200]
            stats.record(route, time.perf_counter() - started, error)
            i += 1
            if args.think:
                time.sleep(args.think)
    if gradio is not None:
        gradio.close()


def run_clients(url: str, args, questions: list[str], count: int | None, deadline: float | None) -> Stats:
    stats = Stats()
    ready = threading.Barrier(args.clients + 1, timeout=300)
    threads = [
        threading.Thread(
            target=client, args=(url, n, questions, count, deadline, args, stats, ready), daemon=True
        )
        for n in range(args.clients)
    ]
    for t in threads:
        t.start()
    ready.wait()  # every client is connected: the clock starts now
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=None if deadline is None else max(1.0, deadline - time.monotonic() + 300))
    stats.seconds = time.perf_counter() - started
    return stats


def summary(stats: Stats) -> dict:
    every = stats.latency["api"] + stats.latency["gradio"]
    out = {
        "requests": stats.requests,
        "errors": len(stats.errors),
        "seconds": round(stats.seconds, 2),
        "throughput_rps": round(stats.requests / stats.seconds, 2) if stats.seconds else None,
    }
    for name, values in [("all", every), *stats.latency.items()]:
        if values:
            p = pct(values)
            out[f"{name}_n"] = len(values)
            out[f"{name}_p50_ms"] = round(p["p50_ms"], 1)
            out[f"{name}_p95_ms"] = round(p["p95_ms"], 1)
            out[f"{name}_max_ms"] = round(1000 * max(values), 1)
    if stats.errors:
        out["first_errors"] = stats.errors[:5]
    return out

"""What every benchmark section stands on: the run's settings, the dev questions, indexing and
measuring one index, and running ``benchmarks.child`` in a fresh process."""

from __future__ import annotations

import functools
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    DATA,
    GOV_DEV_DOCS,
    ROOT,
    log,
    pct,
    timed,
)


class BenchBase:
    """The state of one ``python -m benchmarks`` run, shared by its sections."""

    def __init__(
        self,
        work: Path,
        reports_dir: Path,
        config: dict,
        results: dict,
        no_scale: bool,
        all_index: Path | None = None,
    ) -> None:
        self.work = work
        self.reports_dir = reports_dir
        self.config = config
        self.results = results
        self.no_scale = no_scale
        self.all_index = all_index  # the all-reports index, once built (or given)
        all_reports = sorted(reports_dir.glob("*.txt"))
        self.reports = all_reports[: config["reports"]] if config["reports"] else all_reports
        self.zimao_items = load_items(DATA / "dev_zimao.jsonl")
        self.gov_items = load_items(DATA / "dev_gov.jsonl")
        self.gov_paths = [reports_dir / name for name in GOV_DEV_DOCS]

    @functools.cached_property
    def _passages(self) -> list[Any]:
        """Every passage of the reports, split as indexing splits them (made once, for any section)."""
        from qa.api import PASSAGE_CHARS
        from qa.ingest.loader import load_paths
        from qa.ingest.structure import build_passages

        return [p for doc in load_paths(self.reports) for p in build_passages(doc, *PASSAGE_CHARS)]

    @functools.cached_property
    def _all_sentences(self) -> list[str]:
        from qa.ingest.structure import split_sentences

        return [
            p.text[s:e] for p in self._passages for s, e in (split_sentences(p.text) or [(0, len(p.text))])
        ]

    def _sentence_sample(self, count: int) -> list[str]:
        sentences = self._all_sentences
        return random.Random(0).sample(sentences, min(count, len(sentences)))

    def _index(self, paths: list[Path], name: str, embedder: Any = None) -> tuple[Any, float]:
        from qa import ReportQA

        seconds, bot = timed(
            lambda: ReportQA.from_paths(
                paths, index_dir=self.work / name, embedder=embedder or self.embedder, rebuild=True
            )
        )
        return bot, seconds

    def _quality(self, bot: Any, items: list[dict], gov: bool) -> dict[str, Any]:
        from qa.evaluation import evaluate

        sources = {d.doc_id: Path(d.source).name for d in bot.documents} if gov else None
        return evaluate(lambda q, k: bot.ask(q, k), items, sources=sources)["metrics"]

    def _latency(self, bot: Any, items: list[dict], label: str) -> dict[str, Any]:
        """bot.ask vs the bare query embedding, alternating per question; then the same over HTTP."""
        import httpx

        from qa.apps.server import running

        questions = [item["question"] for item in items]
        ask_s, embed_s = [], []
        for q in questions[:3]:
            bot.ask(q)
        for _ in range(self.config["latency_rounds"]):
            for q in questions:
                embed_s.append(timed(lambda q=q: self.embedder.encode_queries([q]))[0])
                ask_s.append(timed(lambda q=q: bot.ask(q))[0])
        http_s = []
        with running(bot) as base, httpx.Client(timeout=120) as client:
            for q in questions[:3]:
                client.post(f"{base}/api/ask", json={"question": q, "k": 5}).raise_for_status()
            for _ in range(self.config["latency_rounds"]):
                for q in questions:
                    start = time.perf_counter()
                    client.post(f"{base}/api/ask", json={"question": q, "k": 5}).raise_for_status()
                    http_s.append(time.perf_counter() - start)
        out = {"questions": len(questions), "ask": pct(ask_s), "embed": pct(embed_s), "http": pct(http_s)}
        out["ask_over_embed_p50"] = round(out["ask"]["p50_ms"] / out["embed"]["p50_ms"], 2)
        log(f"latency {label}: {out}")
        return out


def load_items(path: Path) -> list[dict]:
    from qa.evaluation import load_questions

    return load_questions(path)


@functools.cache
def plain_sentence_transformer(directory: Path) -> Any:
    """Plain sentence-transformers fp32 (loaded the way qa.embed.embedder does), one instance per run."""
    from qa.embed.embedder import _load_sentence_transformer

    return _load_sentence_transformer(str(directory), local=True)


class Quiet:
    """Silences warnings within the block (libraries warn once per load about things we chose)."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._catch.__exit__(*exc)


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python -m benchmarks.child ARGS`` from the repository root; its last stdout line is JSON."""
    env = dict(env or os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmarks.child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])

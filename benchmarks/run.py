"""``python -m benchmarks``: speed, memory and quality of report-qa, and of what users would build instead.

    python -m benchmarks [--quick] [--reports-dir ../shared/datasets/gov_reports]
                         [--out benchmarks/RESULTS.md] [--no-scale]
    python -m benchmarks --sections dense_scale --all-index INDEX_OF_THE_REPORTS   # measure one again

Everything that is compared is measured in the same run, and where the machine's load could tilt a
comparison the two sides alternate (A B A B ...). See RESULTS.md for what each number means.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import baselines, scale, serving, thousand
from benchmarks.common import (
    DATA,
    DEFAULT_REPORTS_DIR,
    GOV_DEV_DOCS,
    ROOT,
    load_average,
    log,
    machine_info,
    pct,
    timed,
    write_results,
)
from benchmarks.report import render

SECTIONS = (
    "embedding_options",
    "bundled",
    "gov3",
    "fp32_reference",
    "baselines",
    "all_reports",
    "cold_start",
    "serving",
    "first_start",
    "thousand_reports",
    "dense_scale",
    "bm25_scale",
)
QUICK = {
    "reports": 6,  # of the reports folder, for the "all reports" runs
    "option_sentences": 48,
    "option_rounds": 2,
    "latency_rounds": 1,
    "plain_passages": 32,
    "coldstart_repeats": 1,
    "dense_sizes": [20_000],
    "dense_flat_max": 10_000,
    "bm25_sizes": [20_000],
    "first_start": False,
    "serving": {"clients": 4, "seconds": 2, "rounds": 1},
    "thousand_reports": 12,
    "fp32_reference": False,
    "baseline_sets": ["zimao"],
}
FULL = {
    "reports": None,
    "option_sentences": 200,
    "option_rounds": 3,
    "latency_rounds": 3,
    "plain_passages": 240,
    "coldstart_repeats": 3,
    "dense_sizes": [100_000, 1_000_000],
    "dense_flat_max": None,
    "bm25_sizes": [100_000, 1_000_000],
    "first_start": True,
    "serving": {"clients": 32, "seconds": 20, "rounds": 3},
    "thousand_reports": 1000,
    "fp32_reference": True,
    "baseline_sets": ["zimao", "gov"],
}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized: a few reports, small scale runs")
    parser.add_argument("--reports-dir", type=Path, default=DEFAULT_REPORTS_DIR)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--no-scale", action="store_true", help="skip the synthetic scale runs")
    parser.add_argument(
        "--sections",
        help="comma-separated sections to measure again into the existing results next to --out "
        f"(of: {', '.join(SECTIONS)}); the others are kept as they were",
    )
    parser.add_argument(
        "--all-index",
        type=Path,
        help="with --sections: an index of the reports folder already built, for sections that need one",
    )
    parser.add_argument(
        "--thousand-reports",
        type=int,
        help="reports in the thousand_reports collection (default 1000, quick 12); fewer when time is short",
    )
    args = parser.parse_args(argv)
    if not args.reports_dir.is_dir():
        parser.error(f"--reports-dir {args.reports_dir} is not a folder")
    config = QUICK if args.quick else FULL
    started = time.time()
    command = "python -m benchmarks " + " ".join(argv)
    if args.sections:
        only = [name.strip() for name in args.sections.split(",") if name.strip()]
        if unknown := sorted(set(only) - set(SECTIONS)):
            parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
        previous = args.out.with_name("results.json")
        if not previous.is_file():
            parser.error(f"--sections needs the results of a full run in {previous}")
        results = json.loads(previous.read_text(encoding="utf-8"))
        config = (
            {**QUICK, **results["config"]}
            if results.get("mode") == "quick"
            else {**FULL, **results["config"]}
        )
        results.setdefault("reruns", []).append(
            {"command": command, "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "sections": only}
        )
    else:
        only = list(SECTIONS)
        results = {
            "command": command,
            "mode": "quick" if args.quick else "full",
            "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "machine": machine_info(),
            "config": config,
        }
    if args.thousand_reports:
        config = {**config, "thousand_reports": args.thousand_reports}
    with tempfile.TemporaryDirectory(prefix="report-qa-bench-") as tmp:
        Bench(Path(tmp), args.reports_dir, config, results, args.no_scale, args.all_index).run(only)
    if not args.sections:
        results["machine"]["load_average_end"] = load_average()
        results["total_s"] = round(time.time() - started, 1)
    md, js = write_results(results, render(results), args.out)
    log(f"wrote {md} and {js} in {results['total_s']:.0f} s")


class Bench:
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
        self.zimao_items = _questions(DATA / "dev_zimao.jsonl")
        self.gov_items = _questions(DATA / "dev_gov.jsonl")
        self.gov_paths = [reports_dir / name for name in GOV_DEV_DOCS]

    # ------------------------------------------------------------------ driver

    def run(self, only: list[str]) -> None:
        from qa.embed.embedder import load_embedder

        log("loading the default embedder")
        seconds, self.embedder = timed(load_embedder)
        self.results["embedder"] = {**self.embedder.identity(), "load_s": round(seconds, 2)}
        sections = {
            "embedding_options": self.embedding_options,
            "bundled": self.bundled,
            "gov3": self.gov3,
            "fp32_reference": self.fp32_reference if self.config["fp32_reference"] else None,
            "baselines": self.baselines,
            "all_reports": self.all_reports,
            "cold_start": self.cold_start,
            "serving": self.serving,
            "first_start": self.first_start if self.config["first_start"] else None,
            "thousand_reports": None if self.no_scale else self.thousand_reports,
            "dense_scale": None if self.no_scale else self.dense_scale,
            "bm25_scale": None if self.no_scale else self.bm25_scale,
        }
        assert list(sections) == list(SECTIONS)
        for name in only:
            section = sections[name]
            if section is None:
                continue
            try:
                self.results[name] = section()
            except Exception as exc:  # a failed section is reported; the others still run
                log(f"section {name} failed: {exc!r}")
                self.results.setdefault("errors", {})[name] = repr(exc)[-2000:]

    # ------------------------------------------------------------------ sections

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

    def embedding_options(self) -> dict[str, Any]:
        """Backends and thread counts on the same sentences, in alternating rounds."""
        import torch

        from qa.embed import onnx as onnx_backend
        from qa.embed.cache import ensure_converted_model, ensure_onnx_model
        from qa.embed.embedder import DEFAULT_MODEL, Embedder

        log("embedding options")
        sentences = self._sentence_sample(self.config["option_sentences"])
        st = _sentence_transformer(ensure_converted_model())
        st_int8 = copy.deepcopy(st)
        with _quiet():
            st_int8[0].model = torch.ao.quantization.quantize_dynamic(
                st_int8[0].model, {torch.nn.Linear}, dtype=torch.qint8
            )
        source = self.embedder.source
        one_thread = onnx_backend.OnnxSentenceModel(ensure_onnx_model(), threads=1)
        onnx1 = Embedder(one_thread, DEFAULT_MODEL, source)
        default_threads = onnx_backend.default_threads()
        options = {
            f"onnx int8, {default_threads} texts at once x 1 thread (default)": (self.embedder, None),
            "onnx int8, 1 thread": (onnx1, None),
            "torch fp32, 2 threads": (Embedder(st, DEFAULT_MODEL, source), 2),
            "torch fp32, 1 thread": (Embedder(st, DEFAULT_MODEL, source), 1),
            "torch int8 quantize_dynamic(Linear), 1 thread": (Embedder(st_int8, DEFAULT_MODEL, source), 1),
        }
        torch_threads = torch.get_num_threads()
        reference = Embedder(st, DEFAULT_MODEL, source).encode_passages(sentences)
        rates: dict[str, list[float]] = {k: [] for k in options}
        queries: dict[str, list[float]] = {k: [] for k in options}
        cosines = {}
        question = self.zimao_items[0]["question"]
        for name, (embedder, threads) in options.items():
            torch.set_num_threads(threads or torch_threads)
            embedder.encode_passages(sentences[:8])  # warm-up
            cosines[name] = np.sum(embedder.encode_passages(sentences) * reference, axis=1)
        for _ in range(self.config["option_rounds"]):
            for name, (embedder, threads) in options.items():
                torch.set_num_threads(threads or torch_threads)
                seconds, _ = timed(lambda e=embedder: e.encode_passages(sentences))
                rates[name].append(len(sentences) / seconds)
                for _ in range(10):
                    queries[name].append(timed(lambda e=embedder: e.encode_queries([question]))[0])
        torch.set_num_threads(torch_threads)
        tokens = self._token_lengths()
        return {
            "sentences": len(sentences),
            "rounds": self.config["option_rounds"],
            "options": {
                name: {
                    "sentences_per_s": round(float(np.median(rates[name])), 1),
                    "rates": [round(r, 1) for r in rates[name]],
                    "query": pct(queries[name]),
                    "cosine_vs_torch_fp32_min": round(float(cosines[name].min()), 4),
                    "cosine_vs_torch_fp32_mean": round(float(cosines[name].mean()), 4),
                }
                for name in options
            },
            "tokens": tokens,
        }

    def _token_lengths(self) -> dict[str, Any]:
        """Sentence lengths in model tokens: how much a max_seq_length of 128 could save at most."""
        tokenizer = self.embedder.model.tokenizer
        encoded = tokenizer.encode_batch(["passage: " + s for s in self._all_sentences])
        lengths = np.array([len(e.ids) for e in encoded])
        over = np.clip(lengths - 128, 0, None)
        return {
            "sentences": len(lengths),
            "p50": int(np.percentile(lengths, 50)),
            "p99": int(np.percentile(lengths, 99)),
            "max": int(lengths.max()),
            "share_over_128": round(float((lengths > 128).mean()), 4),
            "token_share_beyond_128": round(float(over.sum() / lengths.sum()), 4),
        }

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

    def bundled(self) -> dict[str, Any]:
        from qa.ingest.loader import bundled_report_path

        log("bundled report: index, quality, latency")
        bot, seconds = self._index([bundled_report_path()], "zimao")
        self.zimao_index = self.work / "zimao"
        out = {"build_s": round(seconds, 2), "passages": bot.passage_count}
        out["quality"] = self._quality(bot, self.zimao_items, gov=False)
        out["latency"] = self._latency(bot, self.zimao_items, "bundled")
        return out

    def gov3(self) -> dict[str, Any]:
        log("three gov reports (dev_gov): index, quality")
        bot, seconds = self._index(self.gov_paths, "gov3")
        return {
            "build_s": round(seconds, 2),
            "passages": bot.passage_count,
            "quality": self._quality(bot, self.gov_items, gov=True),
        }

    def fp32_reference(self) -> dict[str, Any]:
        """The same pipeline with the fp32 PyTorch model: what "quality unchanged" is measured against."""
        from qa.embed.cache import ensure_converted_model
        from qa.embed.embedder import DEFAULT_MODEL, Embedder
        from qa.ingest.loader import bundled_report_path

        log("fp32 PyTorch reference: quality on both dev sets")
        model = _sentence_transformer(ensure_converted_model())
        embedder = Embedder(model, DEFAULT_MODEL, self.embedder.source)
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # faster on this busy machine; only the quality is wanted here
        zimao, zs = self._index([bundled_report_path()], "ref-zimao", embedder)
        gov, gs = self._index(self.gov_paths, "ref-gov3", embedder)
        torch.set_num_threads(threads)
        return {
            "identity": embedder.identity(),
            "build_s": {"zimao": round(zs, 2), "gov3": round(gs, 2)},
            "zimao": self._quality(zimao, self.zimao_items, gov=False),
            "gov": self._quality(gov, self.gov_items, gov=True),
        }

    def baselines(self) -> dict[str, Any]:
        from qa.embed.cache import ensure_converted_model
        from qa.index import local as store
        from qa.ingest.loader import bundled_report_path, load_paths

        log("baselines: LangChain + FAISS, plain BM25")
        model = _sentence_transformer(ensure_converted_model())
        sets = {"zimao": ([bundled_report_path()], self.zimao_items, "zimao")}
        if "gov" in self.config["baseline_sets"]:
            sets["gov"] = (self.gov_paths, self.gov_items, "gov3")
        out: dict[str, Any] = {}
        for name, (paths, items, index_name) in sets.items():
            documents = load_paths(paths)
            pairs = [(Path(d.source).name, d.text) for d in documents]
            chunks = baselines.langchain_chunks(pairs)
            dense = baselines.DenseBaseline(model, chunks)
            for item in items[:3]:
                dense.search(item["question"])
            data = store.load(self.work / index_name)
            names = {d.doc_id: Path(d.source).name for d in data.documents}
            passages = baselines.Corpus(
                [p.text for p in data.passages], [names[p.doc_id] for p in data.passages]
            )
            runs = {
                "langchain_faiss": (dense.search, chunks),
                "bm25_chunks": (baselines.BM25Baseline(chunks).search, chunks),
                "bm25_passages": (baselines.BM25Baseline(passages).search, passages),
            }
            out[name] = {"chunks": len(chunks.texts), "chunk_encode_s": round(dense.encode_seconds, 2)}
            for label, (search, corpus) in runs.items():
                run = baselines.run_baseline(search, items, corpus)
                out[name][label] = {"quality": run["quality"], "latency": pct(run["seconds"])}
            # A typical user runs torch at its default thread count; 1 thread is faster on this busy
            # machine. At 1 thread the baseline and report-qa's ask() take turns on each question, so
            # load on the machine falls on both alike: that pair is the latency comparison.
            import torch

            from qa import ReportQA

            bot = ReportQA(index_dir=self.work / index_name, embedder=self.embedder)
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            theirs, ours = [], []
            for item in items:
                theirs.append(timed(dense.search, item["question"])[0])
                ours.append(timed(bot.ask, item["question"])[0])
            torch.set_num_threads(threads)
            default = out[name]["langchain_faiss"]["latency"]
            one = pct(theirs)
            out[name]["langchain_faiss"]["latency_by_threads"] = {str(threads): default, "1": one}
            out[name]["langchain_faiss"]["latency"] = min(default, one, key=lambda x: x["p50_ms"])
            out[name]["langchain_faiss"]["alternating"] = {"theirs": one, "report_qa": pct(ours)}
            log(f"baselines {name}: {out[name]}")
        return out

    def all_reports(self) -> dict[str, Any]:
        """Index every report in a fresh process (time, peak RSS); plain ST encode rate; latency.

        Given an index (``--all-index``) and earlier results, only latency and quality are measured
        again on it; the earlier build numbers are kept.
        """
        from qa import ReportQA

        if self.all_index is not None and "all_reports" in self.results:
            out = dict(self.results["all_reports"])
        else:
            out = self._index_all_reports()
        bot = ReportQA(index_dir=self.all_index, embedder=self.embedder)
        out["latency"] = self._latency(bot, self.gov_items, f"{len(self.reports)} reports")
        if all(p in self.reports for p in self.gov_paths):
            out["quality_dev_gov"] = self._quality(bot, self.gov_items, gov=True)
        return out

    def _index_all_reports(self) -> dict[str, Any]:
        from qa.embed.cache import ensure_converted_model

        log(f"all reports ({len(self.reports)}): indexing in a child process")
        index_dir = self.work / "all"
        started = time.perf_counter()
        child = _child(["index", "--index-dir", str(index_dir), *map(str, self.reports)])
        wall = time.perf_counter() - started
        out: dict[str, Any] = {
            "reports": len(self.reports),
            "index": {**child, "wall_s": round(wall, 2)},
            "passages_per_s": round(child["passages"] / child["seconds"], 1),
            "sentences_per_s": round(child["sentences"] / child["seconds"], 1),
        }
        self.all_index = index_dir
        # Plain sentence-transformers fp32 on passage texts vs report-qa's embedder on the sentences of
        # the same passages, alternating; torch at its default thread count and at 1 thread.
        import torch

        log("plain sentence-transformers fp32 encode rate vs report-qa's embedder (same passages)")
        count = min(self.config["plain_passages"], len(self._passages))
        sample = random.Random(1).sample(self._passages, count)
        texts = [p.text for p in sample]
        from qa.ingest.structure import split_sentences

        sentences = [p.text[s:e] for p in sample for s, e in (split_sentences(p.text) or [(0, len(p.text))])]
        st = _sentence_transformer(ensure_converted_model())
        threads = torch.get_num_threads()
        st.encode_document(texts[:4], batch_size=32)
        keys = (f"st_fp32_{threads}_threads", "st_fp32_1_thread", "report_qa")
        plain: dict[str, list[float]] = {key: [] for key in keys}
        halves = [texts[: len(texts) // 2], texts[len(texts) // 2 :]]
        sentence_halves = [
            [p.text[s:e] for p in part for s, e in (split_sentences(p.text) or [(0, len(p.text))])]
            for part in (sample[: len(sample) // 2], sample[len(sample) // 2 :])
        ]
        for half, sentence_half in zip(halves, sentence_halves, strict=True):
            for key, n in ((f"st_fp32_{threads}_threads", threads), ("st_fp32_1_thread", 1)):
                torch.set_num_threads(n)
                seconds, _ = timed(
                    lambda h=half: st.encode_document(h, batch_size=32, normalize_embeddings=True)
                )
                plain[key].append(len(half) / seconds)
            torch.set_num_threads(threads)
            seconds, _ = timed(lambda s=sentence_half: self.embedder.encode_passages(s))
            plain["report_qa"].append(len(half) / seconds)
        out["encode_passages_per_s"] = {k: round(float(np.mean(v)), 2) for k, v in plain.items()}
        out["encode_sample"] = {"passages": len(texts), "sentences": len(sentences)}
        best_plain = max(v for k, v in out["encode_passages_per_s"].items() if k.startswith("st_"))
        out["build_over_plain"] = round(out["passages_per_s"] / best_plain, 2)
        out["embed_over_plain"] = round(out["encode_passages_per_s"]["report_qa"] / best_plain, 2)
        log(f"all reports: {out}")
        return out

    def cold_start(self) -> dict[str, Any]:
        """A fresh python opens a built index and answers (model cache warm); and the very first start."""
        questions = str(DATA / "dev_zimao.jsonl")
        out: dict[str, Any] = {}
        for label, index_dir, qs in (
            ("bundled", self.zimao_index, questions),
            ("all_reports", self.all_index, str(DATA / "dev_gov.jsonl")),
        ):
            runs = []
            for _ in range(self.config["coldstart_repeats"]):
                log(f"cold start {label}")
                spawned = time.time()
                child = _child(["serve", "--index-dir", str(index_dir), "--questions", qs, "--count", "50"])
                runs.append({**child, "first_answer_s": round(child["first_answer_epoch"] - spawned, 2)})
            out[label] = {
                "runs": runs,
                "first_answer_s_median": round(float(np.median([r["first_answer_s"] for r in runs])), 2),
                "peak_rss_mb_max": max(r["peak_rss_mb"] for r in runs),
            }
        log(f"cold start: {out}")
        return out

    def first_start(self) -> dict[str, Any]:
        """The same command twice in fresh processes: with an empty model cache and no index (the
        conversion to int8 ONNX, the bundled index, one answer), then warm (both reused)."""
        env = {**os.environ, "REPORT_QA_CACHE": str(self.work / "empty-cache")}
        command = [
            "serve",
            "--index-dir",
            str(self.work / "first"),
            "--questions",
            str(DATA / "dev_zimao.jsonl"),
        ]
        out: dict[str, Any] = {}
        for label in ("first", "warm"):
            log(f"first start: {label}")
            spawned = time.time()
            child = _child([*command, "--count", "1"], env=env)
            out[label] = {**child, "first_answer_s": round(child["first_answer_epoch"] - spawned, 2)}
        out["first_over_warm"] = round(out["first"]["first_answer_s"] / out["warm"]["first_answer_s"], 2)
        log(f"first start: {out}")
        return out

    def thousand_reports(self) -> dict[str, Any]:
        """The real reports, then ~1,000 (real + generated variants): build, disk, ask, serve."""
        from qa.ingest.loader import bundled_report_path

        total = self.config["thousand_reports"]
        paths = thousand.write_collection(self.reports, total, self.work / "variants")
        gov = DATA / "dev_gov.jsonl"
        bundled_bot, _ = self._index([bundled_report_path()], "zimao-thousand")
        out: dict[str, Any] = {"bundled_latency": self._latency(bundled_bot, self.zimao_items, "bundled")}
        for label, group in (("real", self.reports), ("collection", paths)):
            out[label] = thousand.measure_collection(
                f"{len(group)} reports",
                group,
                self.work / f"thousand-{label}",
                _child,
                functools.partial(self._gov_latency, reports=len(group)),
                self.embedder,
                gov,
            )
        # The real reports once more: the machine's speed drifts over the collection's hour.
        out["real_after"] = thousand.build(
            f"{len(self.reports)} reports again", self.reports, self.work / "thousand-real-after", _child
        )
        return out

    def serving(self) -> dict[str, Any]:
        """HTTP with concurrent clients vs sequential asks in-process, on the bundled report's index."""
        from qa.apps.server import free_port
        from qa.ingest.loader import bundled_report_path

        bot, _ = self._index([bundled_report_path()], "zimao-serving")
        questions = [item["question"] for item in self.zimao_items]
        c = self.config["serving"]
        return serving.measure(
            bot, bot.index_dir, questions, c["clients"], c["seconds"], c["rounds"], free_port()
        )

    def _gov_latency(self, bot: Any, reports: int) -> dict[str, Any]:
        return self._latency(bot, self.gov_items, f"{reports} reports")

    def dense_scale(self) -> dict[str, Any]:
        from qa.index import faiss_dense
        from qa.index import local as store

        rng = np.random.default_rng(0)
        data = store.load(self.all_index)
        sentences = np.asarray(data.sentences.vectors, dtype=np.float32)
        doc_ranges = []
        for doc in data.documents:
            rows = [i for i, p in enumerate(data.passages) if p.doc_id == doc.doc_id]
            offsets = data.sentences.offsets
            doc_ranges.append((int(offsets[rows[0]]), int(offsets[rows[-1] + 1])))
        questions = [i["question"] for i in self.zimao_items + self.gov_items]
        real_queries = self.embedder.encode_queries(questions)
        real_probes = sentences[np.random.default_rng(5).choice(len(sentences), 256, replace=False)]
        flat_max = self.config["dense_flat_max"]
        runs = []
        for n in self.config["dense_sizes"]:
            vectors = scale.random_unit(n, rng)
            runs.append(
                scale.dense_scale(
                    "random", vectors, scale.random_unit(200, rng), scale.random_unit(256, rng), flat_max
                )
            )
            del vectors
            vectors = scale.real_like(n, sentences, doc_ranges)
            runs.append(scale.dense_scale("real-like", vectors, real_queries, real_probes, flat_max))
            if flat_max is None and n <= faiss_dense.FLAT_MAX_PASSAGES:  # the IVF side of the threshold, too
                runs.append(
                    scale.dense_scale("real-like, IVF forced", vectors, real_queries, real_probes, 0, False)
                )
            del vectors
        return {
            "runs": runs,
            "flat_max_passages": faiss_dense.FLAT_MAX_PASSAGES,
            "recall_target": faiss_dense.RECALL_TARGET,
        }

    def bm25_scale(self) -> dict[str, Any]:
        runs = []
        for n in self.config["bm25_sizes"]:
            log(f"BM25 scale: {n:,} synthetic passages (child process)")
            args = ["bm25", "--reports-dir", str(self.reports_dir), "--passages", str(n)]
            args += ["--questions", str(DATA / "dev_gov.jsonl")]
            runs.append(_child(args))
            log(f"  -> {runs[-1]}")
        return {"runs": runs}


# ---------------------------------------------------------------------- helpers


def _questions(path: Path) -> list[dict]:
    from qa.evaluation import load_questions

    return load_questions(path)


@functools.cache
def _sentence_transformer(directory: Path) -> Any:
    """Plain sentence-transformers fp32 (loaded the way qa.embed.embedder does), one instance per run."""
    from qa.embed.embedder import _load_sentence_transformer

    return _load_sentence_transformer(str(directory), local=True)


class _quiet:
    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._catch.__exit__(*exc)


def _child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
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

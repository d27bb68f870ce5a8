"""Sections that measure speed, memory and scale: embedding backends, building every report,
starts, serving, a thousand reports and the synthetic million-vector runs."""

from __future__ import annotations

import copy
import functools
import os
import random
import time
from typing import Any

import numpy as np

from benchmarks import scale, serving, thousand
from benchmarks.bench import BenchBase, Quiet, plain_sentence_transformer, run_child
from benchmarks.common import (
    DATA,
    log,
    pct,
    timed,
)


class SpeedRuns(BenchBase):
    """Build rates, start-up, serving and scale."""

    def embedding_options(self) -> dict[str, Any]:
        """Backends and thread counts on the same sentences, in alternating rounds."""
        import torch

        from qa.embed import onnx as onnx_backend
        from qa.embed.cache import ensure_converted_model, ensure_onnx_model
        from qa.embed.embedder import DEFAULT_MODEL, Embedder

        log("embedding options")
        sentences = self._sentence_sample(self.config["option_sentences"])
        st = plain_sentence_transformer(ensure_converted_model())
        st_int8 = copy.deepcopy(st)
        with Quiet():
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
        child = run_child(["index", "--index-dir", str(index_dir), *map(str, self.reports)])
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
        st = plain_sentence_transformer(ensure_converted_model())
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
                child = run_child(
                    ["serve", "--index-dir", str(index_dir), "--questions", qs, "--count", "50"]
                )
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
            child = run_child([*command, "--count", "1"], env=env)
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
                run_child,
                functools.partial(self._gov_latency, reports=len(group)),
                self.embedder,
                gov,
            )
        # The real reports once more: the machine's speed drifts over the collection's hour.
        out["real_after"] = thousand.build(
            f"{len(self.reports)} reports again", self.reports, self.work / "thousand-real-after", run_child
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
            runs.append(run_child(args))
            log(f"  -> {runs[-1]}")
        return {"runs": runs}

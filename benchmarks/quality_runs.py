"""Sections that measure answer quality beside speed: the bundled report, the three dev reports,
the fp32 reference model and the baselines users would build instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks import baselines
from benchmarks.bench import BenchBase, plain_sentence_transformer
from benchmarks.common import (
    log,
    pct,
    timed,
)


class QualityRuns(BenchBase):
    """Quality and latency on the dev sets, against the reference model and the baselines."""

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
        model = plain_sentence_transformer(ensure_converted_model())
        # The same adapter as the served model's, named in the identity: the scorer is calibrated for it.
        embedder = Embedder(model, DEFAULT_MODEL, self.embedder.source, self.embedder.adapter)
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
        # The public model, as someone building LangChain + FAISS would download it: not our adapter.
        model = plain_sentence_transformer(ensure_converted_model(adapted=False))
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

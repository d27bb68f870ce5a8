"""``python -m benchmarks``: speed, memory and quality of report-qa, and of what users would build instead.

    python -m benchmarks [--quick] [--reports-dir ../shared/datasets/gov_reports]
                         [--out benchmarks/RESULTS.md] [--no-scale]
    python -m benchmarks --sections dense_scale --all-index INDEX_OF_THE_REPORTS   # measure one again

Everything that is compared is measured in the same run, and where the machine's load could tilt a
comparison the two sides alternate (A B A B ...). See RESULTS.md for what each number means.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import torch

from benchmarks.common import (
    DEFAULT_REPORTS_DIR,
    ROOT,
    load_average,
    log,
    machine_info,
    timed,
    write_results,
)
from benchmarks.quality_runs import QualityRuns
from benchmarks.report import render
from benchmarks.speed_runs import SpeedRuns

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
            {
                "command": command,
                "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
                "sections": only,
                # The machine of a later run may not be the full run's (another CPU, other extensions).
                "vector_flags": machine_info()["vector_flags"],
            }
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


class Bench(QualityRuns, SpeedRuns):
    """Every section of the benchmark, run in the order asked for."""

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
            threads = torch.get_num_threads()
            try:
                self.results[name] = section()
                self.results.get("errors", {}).pop(name, None)  # an earlier failure is measured over
            except Exception as exc:  # a failed section is reported; the others still run
                log(f"section {name} failed: {exc!r}")
                self.results.setdefault("errors", {})[name] = repr(exc)[-2000:]
            finally:  # a section that failed midway must not leave its thread count to the next
                torch.set_num_threads(threads)

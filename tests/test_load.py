"""The load benchmark's smoke version: 4 clients x 5 questions against a real server on loopback
(half through POST /api/ask, some through Gradio's /ask), with the hash test double. No errors allowed.

The full run (32 clients x 50 questions, real model) and the soak are in benchmarks/LOAD.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_small_load_has_no_errors_and_no_memory_runaway() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "load.py")]
    command += ["--clients", "4", "--questions", "5", "--gradio-every", "2", "--test-double", "--json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT, check=False)
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == 0 and report["warmup_errors"] == 0
    for run in (report["load"], report["second_round"]):
        assert run["requests"] == 20 and run["errors"] == 0
        assert run["api_n"] > 0 and run["gradio_n"] > 0
    # A second identical round must not keep growing the server (generous: allocator noise).
    assert report["rss_mb_after_second_round"] - report["rss_mb_before"] < 150

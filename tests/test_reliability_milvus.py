"""The Milvus store under crashes: a writer killed at every step of an add (Milvus Lite, real processes).

Milvus writes in two phases (qa.index.milvus): the new collection first, the index folder's manifest
last, older collections dropped after the swap. Killed anywhere, the previous index (its manifest and
its untouched collection) or the complete new one is what opens, and the next save cleans up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.index_worker import write_corpus

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "tests" / "milvus_worker.py"


def test_a_milvus_writer_killed_at_any_point_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    write_corpus(tmp_path / "old", range(1, 3))
    write_corpus(tmp_path / "new", range(100, 101))
    write_corpus(tmp_path / "extra", range(999, 1000))
    env = os.environ | {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    result = subprocess.run(
        [sys.executable, WORKER, "crash-trials", *(tmp_path / n for n in ("work", "old", "new", "extra"))],
        capture_output=True, text=True, timeout=600, env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    calibration, trials = lines[0], lines[1:]
    assert calibration["steps"] >= 15 and len(calibration["new"]) == 1, calibration
    assert len(trials) == calibration["steps"]
    for trial in trials:
        assert "error" not in trial, trial
        assert trial["killed"], trial
        assert trial["state"] in ("old", "new"), trial
        if trial["state"] == "old":  # the old manifest, pointing at the old, untouched collection
            assert trial["old_collection_kept"], trial
        assert trial["recovered"], trial
        assert len(trial["after"]) == 1 and trial["after"][0].startswith("gen-"), trial  # no *.tmp left
        assert trial["collections_after"] == [trial["live_collection"]], trial  # orphans dropped
    # The kill points fall on both sides of the manifest swap, and some leave a collection behind.
    assert {t["state"] for t in trials} == {"old", "new"}
    assert any(len(t["collections_before"]) > 1 for t in trials)

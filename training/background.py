"""Write qa/data/background.json: how many passages of ordinary government work reports hold each
token, the background the answer scorer's term weights are measured against (qa.pipeline.background).

    python -m training.background [--reports ../shared/datasets/gov_reports]

The reports are those of the dataset that no training question (``TRAIN_REPORTS``, the written
questions' reports) and no dev or blind single-report set asks about, so a training question's report
is never part of its own background, as a user's report never is. They are chunked as the index
chunks them; tokens held by fewer than two passages are left out (a word seen once says little, and
it keeps the file small).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from qa.api import PASSAGE_CHARS
from qa.index.lexical import tokenize
from qa.ingest.loader import load_paths
from qa.ingest.structure import build_passages
from qa.pipeline.background import BACKGROUND_PATH
from training.examples import TRAIN_REPORTS, WRITTEN_FILES

ROOT = Path(__file__).resolve().parents[1]
# dev_written_2.jsonl, dev_written_3.jsonl and dev_written_4.jsonl came after the shipped background
# (qa/data/background.json), which still counts their reports: the next background leaves them out.
QUESTION_SETS = (
    "dev_gov.jsonl", "dev_written.jsonl", "dev_written_2.jsonl", "dev_written_3.jsonl", "dev_written_4.jsonl",
    "blind_single.jsonl",
)  # fmt: skip
MIN_PASSAGES = 2


def asked_reports() -> set[str]:
    """File stems of every report a training question or a single-report dev or blind set asks about."""
    asked = set(TRAIN_REPORTS)
    for path in (*(ROOT / "tests" / "data" / name for name in QUESTION_SETS), *WRITTEN_FILES):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            asked.add(Path(item.get("doc") or item.get("report") or "").stem)
    return asked


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=Path, default=ROOT.parent / "shared" / "datasets" / "gov_reports")
    parser.add_argument("--out", type=Path, default=BACKGROUND_PATH)
    args = parser.parse_args()
    asked = asked_reports()
    paths = [p for p in sorted(args.reports.glob("*.txt")) if p.stem not in asked]
    passages = [p for doc in load_paths(paths) for p in build_passages(doc, *PASSAGE_CHARS)]
    counts: Counter[str] = Counter()
    for passage in passages:
        counts.update(set(tokenize(passage.text)))
    frequency = {t: n for t, n in sorted(counts.items()) if n >= MIN_PASSAGES}
    spec = {
        "version": 1,
        "provenance": {
            "reports": [p.name for p in paths],
            "excluded": "reports any training question or dev / blind single-report set asks about",
            "min_passages": MIN_PASSAGES,
        },
        "passages": len(passages),
        "frequency": frequency,
    }
    args.out.write_text(json.dumps(spec, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out}: {len(paths)} reports, {len(passages)} passages, {len(frequency)} tokens")


if __name__ == "__main__":
    main()

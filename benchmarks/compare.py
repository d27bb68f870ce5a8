"""Whether a change beats what it replaces on the dev sets by more than their noise.

    python -m benchmarks.answering --sets dev --out /tmp/a.md --items /tmp/a.json   # before
    python -m benchmarks.answering --sets dev --out /tmp/b.md --items /tmp/b.json   # after
    python -m benchmarks.compare /tmp/a.json /tmp/b.json

The scorer's variants are judged by the mean over the dev sets of answer@1 and of the confidence
AUC (training/README.md), and by the mean share of unanswerable questions refused, which answer@1
cannot see (it counts answerable questions only, so a more lenient scorer looks no worse). One
set's standard error is about 0.025 for either, so most variants move the means by less than their
noise. This is a paired bootstrap: each round resamples every set's answerable and unanswerable
questions (with replacement, each kind apart), the same questions for both runs, and recomputes the
means; it prints each mean's difference (after − before), its 95% interval and the share of rounds
in which it is above 0.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from qa.evaluation import roc_auc

ROUNDS = 2000
MEASURES = ("answer@1", "AUC", "unanswerable refused")
# The same questions in traditional characters are not another set: they would count twice.
REPEATED = "asked in traditional characters"


def rule_sets(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The dev sets both runs hold, without the repeated ones."""
    return [name for name in before if name.startswith("dev") and REPEATED not in name and name in after]


def _arrays(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    return {
        key: np.array([row[key] for row in rows])
        for key in ("answerable", "answer_hit", "sentence_hit", "found", "confidence")
    }


def _measures(
    run: dict[str, np.ndarray], answerable: np.ndarray, unanswerable: np.ndarray
) -> tuple[float, float, float]:
    """answer@1, AUC and the share of unanswerable questions refused, of one set over the questions
    at the given positions (repeats allowed)."""
    right = answerable[run["sentence_hit"][answerable]]
    auc = roc_auc(run["confidence"][right], run["confidence"][unanswerable])
    refused = float((~run["found"][unanswerable]).mean()) if len(unanswerable) else float("nan")
    return float(run["answer_hit"][answerable].mean()), float("nan") if auc is None else auc, refused


def compare(
    before: dict[str, Any], after: dict[str, Any], rounds: int = ROUNDS, seed: int = 0
) -> dict[str, Any]:
    """Differences (after − before) of the sets' mean answer@1, mean AUC and mean share of
    unanswerable questions refused, as measured and over ``rounds`` paired resamples:
    {"sets", "answer@1": {...}, "AUC": {...}, "unanswerable refused": {...}}."""
    names = rule_sets(before, after)
    runs = []
    for name in names:
        first, second = _arrays(before[name]), _arrays(after[name])
        if not np.array_equal(first["answerable"], second["answerable"]):
            raise ValueError(f"{name}: the two runs asked different questions")
        runs.append(
            (first, second, np.flatnonzero(first["answerable"]), np.flatnonzero(~first["answerable"]))
        )
    rng = np.random.default_rng(seed)
    observed = _mean_difference(runs, [(a, u) for *_, a, u in runs])
    samples = np.array(
        [
            _mean_difference(runs, [(rng.choice(a, len(a)), rng.choice(u, len(u))) for *_, a, u in runs])
            for _ in range(rounds)
        ]
    )
    result: dict[str, Any] = {"sets": names, "rounds": rounds}
    for column, measure in enumerate(MEASURES):
        low, high = np.nanpercentile(samples[:, column], [2.5, 97.5])
        result[measure] = {
            "difference": round(float(observed[column]), 4),
            "interval": [round(float(low), 4), round(float(high), 4)],
            "above_zero": round(float(np.mean(samples[:, column] > 0)), 3),
        }
    return result


def _mean_difference(runs: list[tuple[Any, ...]], picks: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The means' differences (after − before) over the sets, on the picked questions (``MEASURES``)."""
    differences = [
        np.subtract(_measures(second, a, u), _measures(first, a, u))
        for (first, second, *_), (a, u) in zip(runs, picks, strict=True)
    ]
    return np.nanmean(differences, axis=0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path, help="--items file of benchmarks.answering, before the change")
    parser.add_argument("after", type=Path, help="the same, after it")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    try:
        before, after = (json.loads(path.read_text(encoding="utf-8")) for path in (args.before, args.after))
        result = compare(before, after, args.rounds)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:  # JSONDecodeError too
        parser.error(f"cannot compare these files: {error}")  # one line, exit status 2
    print(f"{len(result['sets'])} sets: {', '.join(result['sets'])}; {result['rounds']} paired resamples")
    for measure in MEASURES:
        r = result[measure]
        low, high = r["interval"]
        above = f"above 0 in {r['above_zero']:.1%}"
        print(f"mean {measure}: {r['difference']:+.4f} (95% {low:+.4f} to {high:+.4f}; {above})")


if __name__ == "__main__":
    main()

"""How often words occur in government work reports in general: the background that the answer
scorer's term weights (IDF) are measured against.

A question's words weigh by how rare they are. Counted over the searched report alone, a word the
report never uses weighs nothing, so "地铁一共有多长？" asked of a report without 地铁 looked fully
covered by any sentence about length. Counted over the report together with this background (the
passages of reports no training or validation question uses, ``training/background.py``), a word
the report lacks still weighs what it weighs in such reports, and its absence lowers the coverage.
The same background serves every deployment, so a report's features, and its answers, are the same
alone or in a library of many (``qa.pipeline.answering.retrieve`` counts the searched reports only).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from qa.index.lexical import idf_value

BACKGROUND_PATH = Path(__file__).parents[1] / "data" / "background.json"


@dataclass(frozen=True)
class Background:
    """Passages holding each token (qa.index.lexical.tokenize) among ``passages`` background passages."""

    frequency: Mapping[str, int]
    passages: int

    def idf(self, counts: Mapping[str, int], passages: int) -> dict[str, float]:
        """IDF of each token over ``passages`` searched passages (``counts`` of them hold it) and the
        background's together; 0 for a token found in neither."""
        n = passages + self.passages
        return {t: idf_value(c + self.frequency.get(t, 0), n) for t, c in counts.items()}


@cache
def load_background(path: Path = BACKGROUND_PATH) -> Background:
    """The background file written by ``python -m training.background``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Background(data["frequency"], int(data["passages"]))

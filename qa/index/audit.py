"""The record of changes to an index: one JSON line per document added or removed.

``<index>/audit.jsonl`` holds, per change, ``time`` (UTC, ISO 8601), ``action`` ("add" or "remove"),
``doc_id``, ``content_hash``, ``file`` (the name it was loaded from), ``title`` and ``client`` (the
address of whoever asked for it: an IP address, "cli", or None for plain Python calls).

Writers call ``record`` while they hold the index folder's writer lock (``ReportQA.add_documents`` and
``remove_document`` do), so lines of two writers never interleave and the order of the lines is the
order of the changes. The file is only ever appended to: nothing in report-qa rewrites or trims it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from qa.schema import DocumentInfo

AUDIT_FILE = "audit.jsonl"
Action = Literal["add", "remove"]


def record(index_dir: Path, action: Action, documents: Iterable[DocumentInfo], client: str | None) -> None:
    """Append one line per document to the index's audit log (call under the writer lock)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    lines = [
        json.dumps(
            {
                "time": now,
                "action": action,
                "doc_id": info.doc_id,
                "content_hash": info.content_hash,
                "file": info.source,
                "title": info.title,
                "client": client,
            },
            ensure_ascii=False,
        )
        + "\n"
        for info in documents
    ]
    if not lines:
        return
    with open(Path(index_dir) / AUDIT_FILE, "a", encoding="utf-8") as f:
        f.write("".join(lines))
        f.flush()
        os.fsync(f.fileno())  # a change the index already shows must not lose its record in a crash


def read(index_dir: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The recorded changes, oldest first; with ``limit`` only the newest ``limit`` of them.

    A line cut short (a writer killed mid-write) is skipped rather than failing the whole log.
    """
    path = Path(index_dir) / AUDIT_FILE
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries[-limit:] if limit else entries

"""A document's sidecar file (``<file>.meta.json`` or ``<stem>.meta.json``): metadata a user gives
to override what is inferred from the text, any of ``qa.ingest.metadata.META_FIELDS``, validated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from qa.errors import DocumentError
from qa.ingest.metadata import META_FIELDS
from qa.ingest.readers import one_line
from qa.schema import LEVELS

SIDECAR_SUFFIX = ".meta.json"


def _sidecar_path(path: Path) -> Path | None:
    for name in (path.name + SIDECAR_SUFFIX, path.stem + SIDECAR_SUFFIX):
        candidate = path.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from the file's sidecar, validated; ``{}`` when there is none."""
    sidecar = _sidecar_path(path)
    if sidecar is None:
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError(f"{sidecar} is not valid JSON ({one_line(exc)})") from exc
    if not isinstance(meta, dict):
        raise DocumentError(f"{sidecar} must hold a JSON object")
    unknown = sorted(set(meta) - set(META_FIELDS))
    if unknown:
        allowed = ", ".join(META_FIELDS)
        raise DocumentError(f"{sidecar}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}")
    for key, value in meta.items():
        problem = _sidecar_problem(key, value)
        if problem:
            raise DocumentError(f"{sidecar}: '{key}' {problem}")
    return meta


def _sidecar_problem(key: str, value: Any) -> str | None:
    if key == "title":
        return None if isinstance(value, str) and value.strip() else "must be a non-empty string"
    if value is None:
        return None  # an explicit null says "unknown", overriding a wrong inference
    if key in ("issuer", "region"):
        return None if isinstance(value, str) else "must be a string or null"
    if key in ("year", "review_year"):
        ok = isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100
        return None if ok else "must be a year (integer 1900-2100) or null"
    if key == "date":
        try:
            ok = isinstance(value, str) and dt.date.fromisoformat(value).isoformat() == value
        except ValueError:
            ok = False
        return None if ok else "must be an ISO date yyyy-mm-dd or null"
    if key == "level":
        return None if value in LEVELS else f"must be one of {', '.join(LEVELS)} or null"
    return None

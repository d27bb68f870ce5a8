"""The index folder a command is told to read: one named that holds no index is a mistake."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qa.api import DEFAULT_INDEX_DIR
from qa.errors import IndexStoreError
from qa.index.generations import read_manifest


def require_index(index_dir: str | Path, docs: Sequence[str] | None = None) -> None:
    """Raise IndexStoreError when ``index_dir`` is named (not ./index), holds no index and no ``docs``
    are given to build one: a typo or a relative path, not a wish for the bundled report built there,
    which had answered every question of another report, listed its figures, and been written into
    the mistyped folder by ``remove`` and ``eval`` (exit 0)."""
    named = Path(index_dir) != Path(DEFAULT_INDEX_DIR)
    if named and not docs and read_manifest(Path(index_dir)) is None:
        raise IndexStoreError(
            f"{index_dir} holds no index; build one with `report-qa index PATH ... --index-dir`"
        )

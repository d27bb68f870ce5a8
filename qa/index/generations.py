"""Index folders on disk: generations, the CURRENT pointer, the manifest, checksums, the writer lock.

Layout of an index folder::

    index/
      CURRENT            name of the live generation (replaced atomically)
      .lock              held while writing
      gen-000004/        one complete, immutable index
        documents/<doc_id>.txt   stored document texts (context around citations)
        ...              what the store writes (qa.index.local: passages, FAISS, sentences, BM25)
        manifest.json    written last: format, model, documents, files with size and sha256

A save writes a new generation folder and then swaps CURRENT, so a reader (or a crash at any point)
sees either the old index or the new one, never a half-written one. An index held by another engine
(Milvus, ``qa.index.milvus``) keeps the same folder with only documents/ and the manifest, whose
``store`` entry names where the passages live; ``load`` hands each generation to the opener of its
store.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qa.errors import IndexStoreError
from qa.index.base import FORMAT_NAME, FORMAT_VERSION, REBUILD_HINT, store_kind
from qa.schema import DocumentInfo

_GENERATION = re.compile(r"gen-[0-9]{6,}")
_DOC_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")  # a file name in documents/, never a path

# Opens a verified generation of one store: (generation folder, manifest, documents, texts) -> index.
Opener = Callable[[Path, dict[str, Any], list[DocumentInfo], dict[str, str]], Any]


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) at ``path`` and fsync it, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_held = threading.local()  # index folders whose lock this thread holds, with nesting depth


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's writer lock; a second writer (process or thread) waits here instead
    of interleaving. Re-entrant within a thread, so a read-modify-write can hold it around ``save``.
    Whichever store holds the index, the folder's manifest is what its writers take turns on."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    depth = getattr(_held, "depth", None)
    if depth is None:
        depth = _held.depth = {}
    if depth.get(key):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    with (index_dir / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_generation(
    index_dir: Path,
    manifest: dict[str, Any],
    texts: dict[str, str],
    write_payload: Callable[[Path], None] | None = None,
) -> tuple[Path, dict[str, Any]]:
    """Write a generation (document texts, what ``write_payload`` puts in the folder, and the
    manifest listing every file) and make it the live one; returns the folder and the manifest."""
    index_dir = Path(index_dir)
    with write_lock(index_dir):
        for stale in index_dir.glob("*.tmp"):  # left by a writer that was killed
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        number = 1 + max(
            (int(p.name[4:]) for p in index_dir.glob("gen-[0-9]*") if p.name[4:].isdigit()), default=0
        )
        final = index_dir / f"gen-{number:06d}"
        tmp = index_dir / f"gen-{number:06d}.tmp"
        tmp.mkdir()
        for doc_id, text in texts.items():
            write_text(tmp / "documents" / f"{doc_id}.txt", text)
        if write_payload is not None:
            write_payload(tmp)
        files = {
            str(p.relative_to(tmp)): {"size": p.stat().st_size, "sha256": sha256(p)}
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        manifest = {**manifest, "files": files, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        write_text(tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        # On disk before the renames, so a power cut cannot publish a generation of empty files
        # (a killed process needs none of this: the kernel keeps what was written).
        for path in sorted(tmp.rglob("*"), reverse=True):
            _fsync(path)
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync(index_dir)
        write_text(index_dir / "CURRENT.tmp", final.name)
        os.replace(index_dir / "CURRENT.tmp", index_dir / "CURRENT")
        _fsync(index_dir)
        for old in index_dir.glob("gen-[0-9]*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
    return final, manifest


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when the folder holds no index yet."""
    pointer = Path(index_dir) / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    if not _GENERATION.fullmatch(name):
        raise IndexStoreError(f"{index_dir}: CURRENT holds {name[:40]!r}, not a generation; {REBUILD_HINT}")
    generation = Path(index_dir) / name
    if not generation.is_dir():
        raise IndexStoreError(
            f"{index_dir}: CURRENT names {generation.name}, which is missing; {REBUILD_HINT}"
        )
    return generation


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    """The live manifest, checked for format; None when there is no index yet."""
    generation = current_generation(index_dir)
    if generation is None:
        return None
    try:
        manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexStoreError(f"{index_dir}: manifest unreadable ({exc}); {REBUILD_HINT}") from None
    if manifest.get("format") != FORMAT_NAME or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexStoreError(
            f"{index_dir} holds index format {manifest.get('format')} v{manifest.get('format_version')}, "
            f"this report-qa reads v{FORMAT_VERSION}; {REBUILD_HINT}"
        )
    return manifest


def load(index_dir: Path, openers: dict[str, Opener]) -> Any:
    """Load and verify the live generation (sizes and checksums); None when there is no index yet.

    The generation is handed to ``openers[kind]``, ``kind`` being the store its manifest names.
    Another process may replace the index meanwhile and remove the generation being read: then the
    read is retried on the new one, instead of calling a healthy index damaged.
    """
    for attempt in range(10):
        before = _pointer(index_dir)
        try:
            return _load(index_dir, openers)
        except Exception as exc:
            if attempt < 9 and _pointer(index_dir) != before:
                continue
            if isinstance(exc, IndexStoreError):
                raise
            # Files that match their checksums but still do not load (a planted object array, a
            # foreign file format): as unusable as a damaged index, and said the same way.
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            raise IndexStoreError(
                f"{index_dir}: the index could not be read ({reason}); {REBUILD_HINT}"
            ) from exc
    raise AssertionError("unreachable")


def _pointer(index_dir: Path) -> str | None:
    try:
        return (Path(index_dir) / "CURRENT").read_text(encoding="utf-8")
    except OSError:
        return None


def _load(index_dir: Path, openers: dict[str, Opener]) -> Any:
    manifest = read_manifest(index_dir)
    if manifest is None:
        return None
    generation = current_generation(index_dir)
    assert generation is not None
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexStoreError(f"{index_dir}: the manifest lists no files; {REBUILD_HINT}")
    for name, expected in files.items():
        path = generation / name
        if (
            not path.resolve().is_relative_to(generation.resolve())
            or not path.is_file()
            or path.stat().st_size != expected["size"]
            or sha256(path) != expected["sha256"]
        ):
            raise IndexStoreError(f"{index_dir}: {name} is missing or damaged; {REBUILD_HINT}")
    unlisted = sorted(
        str(p.relative_to(generation))
        for p in generation.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )
    unlisted = [name for name in unlisted if name not in files]
    if unlisted:
        raise IndexStoreError(f"{index_dir}: {unlisted[0]} is not in the manifest; {REBUILD_HINT}")
    documents = [DocumentInfo(**d) for d in manifest["documents"]]
    if any(not _DOC_ID.fullmatch(d.doc_id) for d in documents):
        raise IndexStoreError(
            f"{index_dir}: the manifest names a document file outside the index; {REBUILD_HINT}"
        )
    texts = {
        d.doc_id: (generation / "documents" / f"{d.doc_id}.txt").read_text(encoding="utf-8")
        for d in documents
    }
    kind = store_kind(manifest)
    if kind not in openers:
        raise IndexStoreError(f"{index_dir}: the index is held by an unknown store {kind[:40]!r}")
    return openers[kind](generation, manifest, documents, texts)

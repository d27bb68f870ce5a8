"""Uploaded files: checked, named safely, stored under the index folder, then indexed.

Every upload goes through ``add_upload`` (the web UI's 文档 tab calls it): the file is refused unless
its type is supported *by its content* (a .pdf starts with ``%PDF-``, a .docx is a zip holding
``word/document.xml`` and no zip bomb, text is no binary file) and it is within the size limit
(``Settings.max_upload_mb``, checked by ``qa.ingest.limits``). It is then copied to
``<index>/uploads/<sha256 of the bytes, 16 hex>/<safe name>``:

- the name is reduced to its last path component and to letters, digits, spaces and ``._-()（）`` (no ``..``,
  no separators, no absolute paths, no control characters, no leading dot), so it stays inside
  that folder;
- the folder is named by the content, so two different files never share a path and nothing
  already stored is overwritten; the same file uploaded again lands on the same path;
- the copy is written to a temporary file in the same folder and renamed into place.

A file the loader then refuses is removed again, so the uploads folder holds indexed documents only.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from qa.errors import DocumentError
from qa.ingest import limits
from qa.ingest.encodings import MAGIC
from qa.ingest.loader import SUPPORTED_SUFFIXES
from qa.schema import DocumentInfo
from qa.settings import Settings

UPLOADS = "uploads"
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 240  # a file system's names end at 255 bytes (a longer upload had failed with a 500)
_UNSAFE = re.compile(r"[^\w.\-()（） ]+")  # \w is Unicode: Chinese names stay readable
_BINARY_MAGIC = tuple(MAGIC)  # PDF, zip, old Office, images, gzip
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def safe_name(name: str) -> str:
    """A file name that is safe to create inside one folder, keeping as much of ``name`` as it can.

    ``../../etc/passwd`` -> ``passwd``; ``C:\\x\\报告.pdf`` -> ``报告.pdf``; ``.bashrc`` -> ``bashrc``.
    """
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # controls, format chars
    name = re.sub(r"\s+", " ", _UNSAFE.sub("_", name))
    if len(name) > MAX_NAME_CHARS or len(name.encode()) > MAX_NAME_BYTES:  # keep a short suffix: it
        stem, dot, suffix = name.rpartition(".")  # says how to read the file
        keep = f".{suffix}" if dot and len(suffix) <= 10 else ""
        stem = (stem if keep else name)[: MAX_NAME_CHARS - len(keep)]
        while len((stem + keep).encode()) > MAX_NAME_BYTES:  # 84 Chinese characters fill 255 bytes
            stem = stem[:-1]
        name = stem + keep
    name = re.sub(r"\.{2,}", ".", name).strip("._ ")
    return name or "upload"


def check_content(data: bytes, suffix: str, name: str) -> None:
    """Refuse bytes that are not what ``suffix`` says; the loader checks the rest when it reads them."""
    if not data:
        raise DocumentError(f"{name} is empty")
    if suffix == ".pdf":
        # Readers accept the header anywhere in the first 1024 bytes (qa.ingest.readers does the same).
        if b"%PDF-" not in data[:1024]:
            raise DocumentError(f"{name} is not a PDF (no %PDF- header): the file is corrupt or misnamed")
    elif suffix == ".docx":
        limits.check_docx_archive(data, name)
    else:  # .txt .md .html .htm: must be text
        head = data[:8192]
        if head.startswith(_BINARY_MAGIC) or (b"\x00" in head and not head.startswith(_UTF16_BOMS)):
            raise DocumentError(f"{name} looks like a binary file, not text")


def store_upload(
    index_dir: str | Path, source: str | Path, name: str | None = None, limit_mb: float | None = None
) -> Path:
    """Check the file at ``source`` and copy it under ``<index_dir>/uploads``; returns the stored path.

    ``name`` is the name the user gave the file (default: ``source``'s name); ``limit_mb`` the size
    limit (default: ``Settings.from_env().max_upload_mb``). Raises ``DocumentError`` with a message that
    names the file by ``name``, never by a server path.
    """
    if limit_mb is None:
        limit_mb = Settings.from_env().max_upload_mb
    source = Path(source)
    display = safe_name(name or source.name)
    suffix = Path(display).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{display}: unsupported file type '{suffix or '(none)'}'; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = source.stat().st_size
        limits.check_upload_size(size, display, limit_mb)  # before reading: a huge file is never loaded
        data = source.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{display} could not be read: {exc.strerror or exc}") from None
    limits.check_upload_size(len(data), display, limit_mb)  # the file may have grown since stat
    check_content(data, suffix, display)

    root = (Path(index_dir) / UPLOADS).resolve()
    folder = root / hashlib.sha256(data).hexdigest()[:16]
    target = folder / display
    if target.parent != folder or not target.is_relative_to(root):  # cannot happen after safe_name
        raise DocumentError(f"{display}: unsafe file name")
    if target.is_file() and target.read_bytes() == data:
        return target  # the same file uploaded before: nothing to write
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def add_upload(
    bot: Any, source: str | Path, name: str | None = None, client: str | None = None
) -> list[DocumentInfo]:
    """Store an uploaded file (``store_upload``) and add it to ``bot``'s index (a ``ReportQA``).

    ``client`` (who uploaded it) goes into the index's audit log with the documents added.

    The size limit is the bot's ``settings.max_upload_mb``. Returns the documents added (empty when
    the same text is already indexed). A refused file raises ``DocumentError`` naming it by ``name``,
    and leaves no stored copy behind.
    """
    display = safe_name(name or Path(source).name)
    stored = store_upload(bot.index_dir, source, name, bot.settings.max_upload_mb)
    try:
        added = bot.add_documents([stored], client=client)
    except DocumentError as exc:
        # Loading is deterministic: a file refused now was never indexed, so its copy can go.
        _discard(stored)
        raise DocumentError(str(exc).replace(str(stored), display)) from None
    if not added and stored.name not in {d.source for d in bot.documents}:
        _discard(stored)  # the same text under another name: the copy indexed already is kept
    return added


def replaced(held: list[DocumentInfo], bot: Any) -> list[DocumentInfo]:
    """The documents of ``held`` (``bot.documents`` before an add) that ``bot``'s index no longer
    holds: earlier versions of files added again after an edit (``ReportQA.add_documents``)."""
    kept = {d.doc_id for d in bot.documents}
    return [d for d in held if d.doc_id not in kept]


def namesakes(added: list[DocumentInfo], bot: Any) -> list[DocumentInfo]:
    """The documents ``bot`` holds besides ``added`` that bear the title of one of them: an edited
    report uploaded under another file name (or another encoding) is kept beside the old one, and
    both are searched; the uploader should know (a helper's answers fell from 答案 to 可能相关)."""
    titles, new = {d.title for d in added}, {d.doc_id for d in added}
    return [d for d in bot.documents if d.title in titles and d.doc_id not in new]


def _discard(stored: Path) -> None:
    """Remove a stored upload that is no indexed document, and its folder when that is left empty
    (another name may hold the same bytes)."""
    stored.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        stored.parent.rmdir()

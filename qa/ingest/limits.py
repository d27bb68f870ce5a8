"""Input limits: what report-qa refuses before it spends time or memory on it.

Each limit ends in a ``QuestionError`` or ``DocumentError`` with one line that says what the limit is:

- a question has at most ``qa.settings.MAX_QUESTION_CHARS`` characters (``qa.pipeline.query.analyze``
  checks it);
- an upload is at most ``Settings.max_upload_mb`` megabytes (``REPORT_QA_MAX_UPLOAD_MB``, default 50;
  ``qa.ingest.uploads`` and the web server's upload route check it);
- a .docx is refused on its zip directory alone, before anything is extracted, when it holds more
  than ``MAX_ZIP_ENTRIES`` entries or declares more than ``MAX_ZIP_UNCOMPRESSED`` bytes unpacked.
  The declared sizes are a real bound: Python's zipfile stops inflating an entry at its declared
  size and a longer stream then fails its CRC, so a lying archive is refused as corrupt;
- a PDF has at most ``MAX_PDF_PAGES`` pages, and its text is read within ``PDF_SECONDS``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from qa.errors import DocumentError

# Named in the message of a refused upload; qa.settings.Settings.from_env is what reads it.
MAX_UPLOAD_ENV = "REPORT_QA_MAX_UPLOAD_MB"

MAX_ZIP_ENTRIES = 5000  # a long real report has a few dozen (styles, media, headers)
MAX_ZIP_UNCOMPRESSED = 512 * 1024 * 1024  # declared unpacked bytes of all entries together
MAX_PDF_PAGES = 2000  # the longest national report is ~40 pages; statistical yearbooks are not reports
PDF_SECONDS = 300.0  # text extraction budget for one PDF


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_upload_size(size: int, name: str, limit_mb: float) -> None:
    """Refuse an upload of ``size`` bytes over ``limit_mb`` megabytes (``Settings.max_upload_mb``),
    naming both sizes."""
    # The limit comes in megabytes, not bytes, so the message repeats it as the user set it ("0.001 MB").
    if size > int(limit_mb * 1024 * 1024):
        raise DocumentError(
            f"{name} is {_mb(size)}; the upload limit is {limit_mb:g} MB (set {MAX_UPLOAD_ENV} to change it)"
        )


def check_docx_archive(data: bytes, path: str | Path) -> None:
    """Refuse a .docx that is no zip, has no ``word/document.xml``, or would unpack too large.

    Reads only the zip's central directory: nothing is decompressed here.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(f"{path} is not a valid .docx file (not a zip archive)") from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DocumentError(
            f"{path} holds {len(entries)} files inside; a .docx may hold at most {MAX_ZIP_ENTRIES} "
            "(refused as a possible zip bomb)"
        )
    unpacked = sum(max(0, e.file_size) for e in entries)
    if unpacked > MAX_ZIP_UNCOMPRESSED:
        raise DocumentError(
            f"{path} would unpack to {_mb(unpacked)}; the limit is {_mb(MAX_ZIP_UNCOMPRESSED)} "
            "(refused as a possible zip bomb)"
        )
    if "word/document.xml" not in {e.filename for e in entries}:
        raise DocumentError(f"{path} is not a readable .docx file (the zip has no word/document.xml)")


def check_pdf_pages(pages: int, path: str | Path) -> None:
    """Refuse a PDF of more than ``MAX_PDF_PAGES`` pages."""
    if pages > MAX_PDF_PAGES:
        raise DocumentError(
            f"{path} has {pages} pages; the limit is {MAX_PDF_PAGES} (split it into smaller PDFs)"
        )


def pdf_too_slow(path: str | Path, pages_read: int, pages: int) -> DocumentError:
    """The error for a PDF whose text took longer than ``PDF_SECONDS`` to read."""
    return DocumentError(
        f"{path}: reading its text took over {PDF_SECONDS:g} s ({pages_read} of {pages} pages read); "
        "the PDF is too complex, save it as text or .docx first"
    )

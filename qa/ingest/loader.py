"""Files -> ``Document``: read a report, clean its text, infer its metadata.

Supported: ``.txt`` and ``.md`` (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030/GBK, Big5), ``.html`` and
``.htm`` (main text only), ``.pdf`` (text layer) and ``.docx`` (paragraphs and table rows).

Loading is three steps, each a module of its own: ``qa.ingest.readers`` turns the file's bytes into
text, ``qa.ingest.cleaning`` cleans its lines and removes web-page chrome, ``qa.ingest.metadata`` infers
title, issuer, region, years, date and level (or takes them from a ``.meta.json`` sidecar).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from qa.errors import DocumentError
from qa.ingest.cleaning import clean_lines, collapse_blank_lines, strip_chrome
from qa.ingest.metadata import display_title, infer_metadata, review_year
from qa.ingest.outline import SUFFIXES as OUTLINED
from qa.ingest.outline import take_outline
from qa.ingest.readers import READERS
from qa.ingest.sidecar import SIDECAR_SUFFIX, read_sidecar
from qa.ingest.unwrap import join_broken_lines, join_wrapped_lines
from qa.schema import Document
from qa.text.normalize import to_simplified

__all__ = ["SUPPORTED_SUFFIXES", "bundled_report_path", "load_bundled", "load_document", "load_paths"]

# The one list of file types report-qa reads (uploads are checked against it too).
SUPPORTED_SUFFIXES = tuple(READERS)

_DATA_DIR = Path(__file__).parents[1] / "data"
_BUNDLED_NAME = "zimao_2022.txt"


def bundled_report_path() -> Path:
    """Path of the bundled report (紫帽镇人民政府2022年工作报告, cleaned text) inside the package."""
    return _DATA_DIR / _BUNDLED_NAME


def load_bundled() -> Document:
    """Load the bundled report, with the metadata of its sidecar."""
    return load_document(bundled_report_path())


def load_document(path: str | Path) -> Document:
    """Load one file into a ``Document``: cleaned text plus inferred (or sidecar) metadata.

    Raises ``DocumentError`` with one line naming the file when it is missing, of an unsupported
    type, empty, binary, undecodable, a corrupt or text-less (scanned) PDF, or a .docx that is not one.
    """
    p = Path(path)
    if not p.exists():
        raise DocumentError(f"{p}: no such file")
    if p.is_dir():
        raise DocumentError(f"{p} is a folder; use load_paths to load the files in it")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{p}: unsupported file type '{suffix or '(none)'}'; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{p} could not be read: {exc.strerror or exc}") from exc
    if not data:
        raise DocumentError(f"{p} is empty")

    raw = READERS[suffix](data, p)
    lines, fields = strip_chrome(clean_lines(raw))
    text = "\n".join(collapse_blank_lines(join_broken_lines(join_wrapped_lines(lines))))
    text, levels = take_outline(text) if suffix in OUTLINED else (text, ())
    if not text:
        raise DocumentError(f"{p} has no text after cleaning")
    # Title, issuer, region and year are read in simplified characters (國務院政府工作報告 names 国务院).
    view = to_simplified(text)
    meta = infer_metadata(view, {k: to_simplified(v) for k, v in fields.items()}, p.stem)
    meta["title"] = _as_written(meta["title"], view, text)
    sidecar = read_sidecar(p)
    meta.update(sidecar)
    if "review_year" not in meta:  # after the sidecar: a corrected date or year changes it
        meta["review_year"] = review_year(view, meta["date"], meta["year"], meta["level"])
    meta["raw_title"] = meta["title"]
    if "title" not in sidecar:  # a title someone wrote down is shown as written
        shown = to_simplified(meta["title"])  # shown like the rest of the page, in simplified characters
        meta["title"] = display_title(shown, meta["year"], meta["region"], meta["level"])
    return Document(text=text, source=p.name, outline=levels, **meta)


def _as_written(found: str, view: str, text: str) -> str:
    """``found``, read in ``view`` (``text`` in simplified characters), as ``text`` writes it: the
    conversion changes characters, not lengths, so the same offsets hold it."""
    at = view.find(found)
    return text[at : at + len(found)] if at >= 0 and len(view) == len(text) else found


def load_paths(paths: Iterable[str | Path] | str | Path) -> list[Document]:
    """Load files and folders, in the order given; a folder contributes its supported files, recursively,
    sorted by path. Sidecars (``*.meta.json``) and hidden files are skipped; a file named twice loads once.
    One path given alone (a string, not a list) is that one file or folder.

    Raises ``DocumentError`` for no paths, an empty or missing path, something that is no path, a
    folder with no supported file, or any bad file.
    """
    return [load_document(f) for f in files_of(paths)]


def loadable_files(paths: Iterable[str | Path] | str | Path) -> tuple[list[Path], list[DocumentError]]:
    """The files of ``paths`` (as ``load_paths`` lists them) that load, and the error of each path or
    file that does not: a batch adds what it can read and names every file it cannot, as the page's
    upload does (one bad file had stopped ``add`` of a whole folder, naming only the first)."""
    given = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    good: list[Path] = []
    errors: list[DocumentError] = []
    for path in given:
        try:
            files = files_of([path])
        except DocumentError as exc:
            errors.append(exc)
            continue
        for f in files:
            try:
                load_document(f)
            except DocumentError as exc:
                errors.append(exc)
            else:
                good.append(f)
    return list(dict.fromkeys(good)), errors


def files_of(paths: Iterable[str | Path] | str | Path) -> list[Path]:
    """The files ``load_paths`` loads, once each, in its order; raises ``DocumentError`` as it does for
    a path that is none."""
    # A string is iterable too: "/data/a.txt" had been read as the paths "/", "d", … and the whole
    # disk walked from "/".
    given = [paths] if isinstance(paths, str | os.PathLike) else paths
    if not isinstance(given, Iterable):
        raise DocumentError(f"{paths!r}: give the files to load as a path or a list of paths")
    given = list(given)
    if not given:  # add_documents([]) had done nothing, silently
        raise DocumentError("nothing to index: give at least one file or folder")
    files: list[Path] = []
    for path in given:
        if not isinstance(path, str | os.PathLike):
            raise DocumentError(f"{path!r}: not a file path")
        # "" (an unset variable, an empty form field) is no path: Path("") is the current folder,
        # and `index ""` had indexed it and removed everything the index held.
        if not str(os.fspath(path)).strip():
            raise DocumentError("an empty path: give a file or folder")
        p = Path(path)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and _is_loadable(f.relative_to(p)))
            if not found:
                raise DocumentError(
                    f"{p}: no supported files in this folder ({', '.join(SUPPORTED_SUFFIXES)})"
                )
            files.extend(found)
        elif not p.name.lower().endswith(SIDECAR_SUFFIX):
            files.append(p)  # load_document reports a missing or unsupported file
    return list({f.resolve(): f for f in files}.values())


def _is_loadable(rel: Path) -> bool:
    # Hidden files and folders (.git, .DS_Store) and Word's "~$x.docx" lock files are never reports.
    if any(part.startswith((".", "~$")) for part in rel.parts):
        return False
    return rel.suffix.lower() in SUPPORTED_SUFFIXES

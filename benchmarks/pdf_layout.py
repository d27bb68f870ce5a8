"""Reports published as PDFs: the written dev sets asked of their reports laid out as printed pages.

    python -m benchmarks.pdf_layout [--work DIR] [--out benchmarks/PDF.md]

Each report of ``dev_written*.jsonl`` is set as a PDF the way a printed report is (paragraphs
indented two characters, lines broken at the page's width by the font's own metrics, 38 lines a
page, the title atop every page but the first and "— n —" below; reportlab with its built-in
STSong-Light), read back through the product's loader (pypdf), and
indexed alone; its questions are asked of it as of the .txt file (``benchmarks.answering``).
Page numbers and running headers are dropped (``qa.ingest.pdf_pages``) and lines wrapped by the
layout joined back (``qa.ingest.unwrap``); without that a sentence ended at every line end and
answers were quoted cut off.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from benchmarks.answering import DATA, SHARED, each_report_alone, metrics_table
from qa.embed.embedder import load_embedder

# The sets it was run on (benchmarks/PDF.md); dev_written_4.jsonl came after it.
WRITTEN_SETS = ("dev_written.jsonl", "dev_written_2.jsonl", "dev_written_3.jsonl")
FONT, SIZE, WIDTH, LINES_A_PAGE = "STSong-Light", 12, 450, 38


def render_pdf(text: str, path: Path) -> Path:
    """``text`` set as a printed report: one paragraph per line of ``text``, wrapped at the width."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    lines: list[str] = []
    for paragraph in filter(None, (p.strip() for p in text.split("\n"))):
        line = ""
        for ch in "\u3000\u3000" + paragraph:
            if pdfmetrics.stringWidth(line + ch, FONT, SIZE) > WIDTH:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    title = next(filter(None, (p.strip() for p in text.split("\n"))), "")
    page = canvas.Canvas(str(path))
    for number, start in enumerate(range(0, len(lines), LINES_A_PAGE), start=1):
        if number > 1:  # the running header: the title atop every page but the first
            page.setFont(FONT, 9)
            page.drawCentredString(297, 810, title)
        page.setFont(FONT, SIZE)
        for i, line in enumerate(lines[start : start + LINES_A_PAGE]):
            page.drawString(72, 780 - 19 * i, line)
        page.setFont(FONT, 10)
        page.drawCentredString(297, 40, f"— {number} —")
        page.showPage()
    page.save()
    return path


def _as_pdf_set(questions: Path, pdfs: Path, reports: Path) -> Path:
    """The question file with each report named as its PDF, the PDFs written beside it."""
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    for doc in {item["doc"] for item in items}:
        target = pdfs / Path(doc).with_suffix(".pdf").name
        if not target.exists():
            render_pdf((reports / doc).read_text(encoding="utf-8"), target)
    renamed = pdfs / questions.name
    lines = [
        json.dumps(item | {"doc": Path(item["doc"]).with_suffix(".pdf").name}, ensure_ascii=False)
        for item in items
    ]
    renamed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return renamed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/report-qa-pdf"))
    parser.add_argument("--out", type=Path, default=DATA.parents[1] / "benchmarks" / "PDF.md")
    args = parser.parse_args()
    started = time.time()
    embedder = load_embedder()
    reports, pdfs = SHARED / "gov_reports", args.work / "pdf"
    pdfs.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in WRITTEN_SETS:
        for layout, questions in (("text", DATA / name), ("PDF", _as_pdf_set(DATA / name, pdfs, reports))):
            folder = pdfs if layout == "PDF" else reports
            metrics = each_report_alone(questions, args.work / layout, embedder, folder)["metrics"]
            rows.append((f"{name.removesuffix('.jsonl')}, as {layout}", metrics))
    lines = [
        "# Reports as PDFs: the written dev sets asked of their reports set as printed pages",
        "",
        f"`python -m benchmarks.pdf_layout` on {time.strftime('%Y-%m-%d')} ({time.time() - started:.0f} s, "
        f"2 shared cores); model {embedder.name} ({embedder.source}).",
        "",
        *metrics_table(rows),
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

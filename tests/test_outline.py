"""Heading levels from the file's markup (Word's Heading styles, Markdown's #, HTML's <hN>) nest sections
(qa.ingest.outline, qa.ingest.headings). Found by a helper loading a county's own Word report: its
unnumbered sub-headings were top-level sections and the review's subsections read as plans."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from qa.ingest.loader import load_document
from qa.ingest.outline import take_outline
from qa.ingest.structure import build_passages

TITLE = "石岭县2024年政府工作报告"
# (level, heading, paragraph under it)
OUTLINE = [
    (1, "2023年工作回顾", "过去一年，全县经济持续恢复，地区生产总值增长5.1%。"),
    (2, "农业基础持续巩固", "全县粮食播种面积稳定在52.6万亩，粮食总产量达到23.8万吨。"),
    (3, "生猪产业", "生猪出栏31.2万头，新建标准化养殖场4个。"),
    (2, "工业经济稳中向好", "规上工业增加值增长7.2%。"),
    (1, "2024年主要目标和重点工作", "今年全县地区生产总值增长目标为6%左右。"),
    (2, "全力推进乡村振兴", "新建高标准农田5万亩。"),
]
EXPECTED = {
    "过去一年": (["2023年工作回顾"], "review"),
    "粮食播种面积": (["2023年工作回顾", "农业基础持续巩固"], "review"),
    "生猪出栏": (["2023年工作回顾", "农业基础持续巩固", "生猪产业"], "review"),
    "规上工业": (["2023年工作回顾", "工业经济稳中向好"], "review"),
    "增长目标": (["2024年主要目标和重点工作"], "plan"),
    "高标准农田": (["2024年主要目标和重点工作", "全力推进乡村振兴"], "plan"),
}


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph("——2024年1月10日在石岭县第十八届人民代表大会第四次会议上")
    for level, heading, paragraph in OUTLINE:
        document.add_heading(heading, level=level)
        document.add_paragraph(paragraph)
    document.save(path)


def _markdown(path: Path) -> None:
    body = "".join(
        f"{'#' * (level + 1)} {heading}\n\n{paragraph}\n\n" for level, heading, paragraph in OUTLINE
    )
    path.write_text(f"# {TITLE}\n\n{body}", encoding="utf-8")


def _html(path: Path) -> None:
    body = "".join(
        f"<h{level + 1}>{heading}</h{level + 1}><p>{paragraph}</p>" for level, heading, paragraph in OUTLINE
    )
    path.write_text(f"<html><body><article><h1>{TITLE}</h1>{body}</article></body></html>", encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "write"), [("report.docx", _docx), ("report.md", _markdown), ("report.html", _html)]
)
def test_marked_levels_nest_sections_and_their_periods(tmp_path: Path, name, write) -> None:
    path = tmp_path / name
    write(path)
    doc = load_document(path)
    assert doc.title == TITLE and "#" not in doc.text  # the marks leave the text the answers quote
    found = {}
    for passage in build_passages(doc):
        assert doc.text[passage.start : passage.end] == passage.text
        for words in EXPECTED:
            if words in passage.text:
                found[words] = (passage.section, passage.period)
    assert found == EXPECTED  # the title line above the top level is no section of its own


def test_take_outline_keeps_offsets_of_the_text_without_marks() -> None:
    text, outline = take_outline("# 标题\n正文。\n  ## 小节 ##\n1. # 不是标题\n#没有空格")
    assert text == "标题\n正文。\n小节\n1. # 不是标题\n#没有空格"
    assert [(text[at : at + 2], level) for at, level in outline] == [("标题", 1), ("小节", 2)]


def test_a_sentence_announcing_marked_subsections_brings_them_after_a_reload(tmp_path: Path) -> None:
    # The sections read when answering know the markup's levels: the stored text holds no marks, and
    # a helper's Word report had answered "重点抓好以下几个方面的工作。" with no items.
    from qa import ReportQA
    from qa.pipeline.lists import announced_items
    from tests.conftest import HashEmbedder

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_heading("2024年主要目标和重点工作", level=1)
    document.add_paragraph("今年重点抓好以下几个方面的工作。")
    for heading in ("做强特色产业", "补齐基础设施短板", "办好民生实事"):
        document.add_heading(heading, level=2)
        document.add_paragraph(f"{heading}，全年完成投资1亿元。")
    document.save(tmp_path / "plan.docx")
    ReportQA.from_paths([tmp_path / "plan.docx"], tmp_path / "ix", embedder=HashEmbedder())
    bot = ReportQA(index_dir=tmp_path / "ix", embedder=HashEmbedder())  # read back from its manifest
    [info] = bot.documents
    text = bot.document_text(info.doc_id)
    sentence = "今年重点抓好以下几个方面的工作。"
    start = text.index(sentence)
    top = next(p for _, p in bot._data.passage_rows() if p.start <= start < p.end)
    top = top.with_(highlight=(start - top.start, start - top.start + len(sentence)))
    items = announced_items(text, top, info.outline)
    assert [i.text for i in items] == ["做强特色产业", "补齐基础设施短板", "办好民生实事"]
    assert items[0].section == ["2024年主要目标和重点工作", "做强特色产业"]  # under their Heading 1
    assert announced_items(text, top)[0].section == ["做强特色产业"]  # read from the text alone


def test_a_markdown_title_alone_marked_leaves_the_headings_to_be_read_as_before(tmp_path: Path) -> None:
    # Only the title marked (# …) is no outline of the sections: the unnumbered part headings are
    # found from the text as when the marks were stripped (they had been lost).
    body = "各位代表：\n\n现在，我代表县人民政府作报告。\n\n发展成就\n\n全年新建学校2所。\n\n"
    body += "今年安排\n\n新建公厕3座。\n"
    path = tmp_path / "title_only.md"
    path.write_text(f"# {TITLE}\n\n{body}", encoding="utf-8")
    plain = tmp_path / "title_only.txt"
    plain.write_text(f"{TITLE}\n\n{body}", encoding="utf-8")
    marked_doc, plain_doc = load_document(path), load_document(plain)
    assert marked_doc.text == plain_doc.text
    sections = [p.section for p in build_passages(marked_doc)]
    assert sections == [p.section for p in build_passages(plain_doc)] and ["发展成就"] in sections

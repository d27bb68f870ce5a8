"""Lines a layout wrapped are joined back (qa.ingest.unwrap); a text of one paragraph per line is not."""

from __future__ import annotations

from pathlib import Path

from benchmarks.pdf_layout import render_pdf
from qa.ingest.cleaning import clean_lines
from qa.ingest.loader import bundled_report_path, load_bundled, load_document
from qa.ingest.unwrap import _width, join_broken_lines, join_wrapped_lines


def _wrapped(paragraphs: list[str], width: int = 60) -> list[str]:
    """Each paragraph broken where it reaches ``width`` columns, as a page wraps it."""
    lines = []
    for paragraph in paragraphs:
        line = ""
        for ch in paragraph:
            if _width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


PARAGRAPHS = [
    "全年预计完成财政总收入1.6亿元，比增8.8%；规上工业产值26.62亿元，比增7.6%；工业投资1.49亿元，比增142.42%；限上批发零售业销售额53.39亿元。",
    "强化隐患排查整治，建设紫帽消防救援站，启动安置小区消防安全提升工程，为辖区所有出租房屋购买火灾意外险，完成铁灶路安全隐患整治工作。",
    "高效运转“大数据+网格化+铁脚板”工作模式，织密织牢疫情防控防线，建立社区便民网格，畅通药品保供渠道，做好居家、就诊服务、生活保障等工作。",
    "持续开展河道执法排查整治，累计拆除清退沿河畜禽养殖点15660多平方米，投入24万元完成2个河长制年度建设项目，水生态环境持续改善。",
]


def test_wrapped_paragraphs_are_joined_back():
    assert join_wrapped_lines(_wrapped(PARAGRAPHS)) == PARAGRAPHS


def test_a_page_break_inside_a_paragraph_is_joined_over():
    lines = _wrapped(PARAGRAPHS)
    lines.insert(2, "")  # the second line of the first paragraph ends a page
    assert join_wrapped_lines(lines) == PARAGRAPHS


def test_a_line_ended_by_a_quotation_of_a_sentence_ends_it():
    ended = "他说：“全年预计完成财政总收入1.6亿元，比增8.8%，规上工业产值26.62亿元。”"
    lines = [*_wrapped(PARAGRAPHS[:2]), ended, *_wrapped(PARAGRAPHS[2:])]
    assert join_wrapped_lines(lines) == [*PARAGRAPHS[:2], ended, *PARAGRAPHS[2:]]


def test_latin_words_cut_at_a_line_end_keep_their_space():
    english = "Total fiscal revenue for the year is expected to reach 160 million yuan, up 8.8 percent."
    cut = english.index(" million")  # a layout breaks Latin text between two words
    lines = [english[:cut], english[cut + 1 :], *_wrapped(PARAGRAPHS)]  # the Chinese ones show the width
    assert join_wrapped_lines(lines) == [english, *PARAGRAPHS]


def test_one_paragraph_per_line_is_left_alone():
    lines = clean_lines(bundled_report_path().read_text(encoding="utf-8"))  # the real report, as stored
    assert join_wrapped_lines(lines) == lines


def test_short_lines_of_a_list_are_left_alone():
    items = [f"第{i}项 修建村道{i}公里" for i in range(1, 20)]
    assert join_wrapped_lines(items) == items


def test_a_plan_of_many_short_headings_is_unwrapped_too():
    # Found by a helper: a 规划 wrapped at 30 characters kept its line ends (its 第X章 and 一、 lines
    # outnumbered the full ones), and "永久基本农田保护面积不低于3." was quoted without its 2万亩.
    paragraphs = [
        "规划范围为青石镇全域，总面积186.4平方公里，包括12个行政村和2个社区。",
        "到2035年，全镇常住人口达到4.5万人，城镇化率达到55%。耕地保有量不低于3.8万亩，永久基本农田保护面积不低于3.2万亩。",
        "镇区形成“一心两轴三片区”的空间结构。规划镇区建设用地规模控制在320公顷以内。",
    ]
    lines = []
    for n, paragraph in enumerate(paragraphs, start=1):
        lines += [f"第{n}章 规划", f"{n}、分项", f"（{n}）细目", *_wrapped([paragraph])]
    joined = join_wrapped_lines(lines)
    assert all(paragraph in joined for paragraph in paragraphs)
    # A title as wide as the page does not take the chapter after it (第一章 had become part of it).
    titled = join_wrapped_lines(["安平县国民经济和社会发展第十五个五年规划纲要要点一览", *lines])
    assert titled[:2] == ["安平县国民经济和社会发展第十五个五年规划纲要要点一览", "第1章 规划"]


def test_a_report_printed_as_a_pdf_reads_as_its_text(tmp_path: Path):
    text = bundled_report_path().read_text(encoding="utf-8")
    pdf = load_document(render_pdf(text, tmp_path / "report.pdf"))  # real PDF, read back with pypdf
    # Sentences no longer end at the page's line ends: each answer is quoted whole.
    for sentence in (
        "强化隐患排查整治,建设紫帽消防救援站,启动安置小区消防安全提升工程,为辖区所有出租房屋购买火灾意外险",
        "投入24万元完成2个河长制年度建设项目,水生态环境持续改善。",
    ):
        assert sentence in text and sentence in pdf.text
    assert pdf.title == load_bundled().title
    # Its page numbers and the running header (the title atop every page but the first) are gone.
    assert "— 2 —" not in pdf.text and pdf.text.count(pdf.title) == text.count(pdf.title)


def test_a_tables_rows_are_never_joined():
    rows = [
        f"指标{i}：地区生产总值与一般公共预算收入\t{i}56.7亿元\t比上年增长百分之{i}点五" for i in range(12)
    ]
    lines = [*_wrapped(PARAGRAPHS), *rows]
    assert join_wrapped_lines(lines) == [*PARAGRAPHS, *rows]


def test_a_paragraph_cut_by_a_hard_line_break_is_made_whole():
    # The 2017 report's web copy breaks 27 paragraphs inside a sentence, one inside a figure.
    lines = [
        "——经济运行缓中趋稳、稳中向好。国内生产总值达到74.4",
        "万亿元，增长6.7%。",
        "坚持就业优先战略，实施更加积极的就业政策。城镇新增",
        "就业预期目标比去年多100万人。",
        "新增就业1314",  # too short to show a sentence, but a number and its unit
        "万人。",
        "深化生态环境分区管控。持续改善空气质量，以PM",  # a number starting a line is no list item
        "2.5",
        "浓度持续下降为主线。",
    ]
    assert join_broken_lines(lines) == [
        "——经济运行缓中趋稳、稳中向好。国内生产总值达到74.4万亿元，增长6.7%。",
        "坚持就业优先战略，实施更加积极的就业政策。城镇新增就业预期目标比去年多100万人。",
        "新增就业1314万人。",
        "深化生态环境分区管控。持续改善空气质量，以PM2.5浓度持续下降为主线。",
    ]
    # A heading, a line ended by a sentence or a colon, or one before a heading or list item stays.
    kept = [
        "一、2025年工作回顾",
        "过去一年，经济运行稳中有进。主要做了以下工作：",
        "一是稳住经济大盘。全年地区生产总值增长5.4%，增速高于",
        "（二）扩大内需",
        "二、2023年",
        "万众一心推进现代化建设。",
        "详见附件2",
        "名词解释",
    ]
    assert join_broken_lines(kept) == kept

"""A question about a numbered part of a document ("第五章讲的是什么？") is answered with the part's
heading and its subsections (qa.pipeline.sections)."""

from __future__ import annotations

from qa import ReportQA
from qa.ingest.structure import parse_sections
from qa.pipeline.sections import asked_part, part_named
from tests.conftest import HashEmbedder, write

PLAN = """安平县国民经济和社会发展第十五个五年规划纲要

第一章 发展基础

第一节 发展成就

全县地区生产总值达到258.3亿元。

第二节 发展环境

我县发展仍处于重要战略机遇期。

第二章 主要目标

第一节 指导思想

坚持稳中求进工作总基调。

第二节 主要指标

到2030年，全县地区生产总值达到360亿元左右。
"""


def test_the_part_a_question_names() -> None:
    assert asked_part("第二章讲的是什么？") == [(2, "章")]
    assert asked_part("第二章第二节主要写了什么？") == [(2, "章"), (2, "节")]
    assert asked_part("第二章的目标是多少？") == []  # asks a figure in it, not what it holds
    assert asked_part("第三条是怎么规定的？") == [(3, "条")]
    sections = parse_sections(PLAN)
    assert part_named(sections, [(2, "章")]).title == "第二章 主要目标"
    assert part_named(sections, [(2, "章"), (2, "节")]).title == "第二节 主要指标"
    assert part_named(sections, [(9, "章")]) is None


def test_a_part_is_answered_with_its_heading_and_its_subsections(tmp_path) -> None:
    # Found by a helper: "第五章讲的是什么？" found only headings, which are no candidates, and was refused
    # with "nothing indexed matches the filters".
    bot = ReportQA.from_paths([write(tmp_path / "plan.txt", PLAN)], tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("第一章讲的是什么？")
    assert answer.outcome == "answer" and answer.answer == "第一章 发展基础"
    assert [item.text for item in answer.items] == ["第一节 发展成就", "第二节 发展环境"]
    top = answer.passages[0]
    assert bot.document_text(top.doc_id)[top.start : top.end] == top.text == "第一章 发展基础"


RULES = """青溪县公务用车管理办法

第一章 总则

第一条 为加强和规范公务用车管理，制定本办法。

第二条 本办法适用于县级党政机关。

第二章 使用管理

第十条 严禁下列行为：
（一）公车私用；
（二）擅自借用车辆；
（三）违规长时间停放。

第十一条 公务用车实行定点保险、定点维修、定点加油制度。单车年度运行费用原则上不超过2.8万元。
"""


def test_an_article_asked_by_its_number_is_answered_with_its_text(tmp_path) -> None:
    # Found by a helper: "第十一条的内容是什么？" was refused though its first passage held 第十一条, and
    # "第七条是什么？" answered with 第一条.
    path = write(tmp_path / "rules.txt", RULES)
    bot = ReportQA.from_paths([path], tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("第十一条的内容是什么？")
    assert answer.outcome == "answer" and answer.answer.startswith("第十一条 公务用车实行定点保险")
    answer = bot.ask("第十条规定了什么？")
    assert answer.answer == "第十条 严禁下列行为："
    listed = ["（一）公车私用；", "（二）擅自借用车辆；", "（三）违规长时间停放。"]
    assert [item.text for item in answer.items] == listed
    assert bot.ask("第九条规定了什么？").answer != "第十条 严禁下列行为："  # no such article: no look-up


def test_a_chapters_heading_quoted_as_the_answer_still_brings_its_articles(tmp_path, real_embedder) -> None:
    # Found by a helper: headings spaced otherwise than their titles ("第二章  使用管理") are candidates,
    # and the real model quoted one for "第二章主要写了什么？" without its articles (5 of 5 chapters).
    spaced = RULES.replace("章 ", "章  ").replace("条 ", "条  ")
    bot = ReportQA.from_paths(
        [write(tmp_path / "spaced.txt", spaced)], tmp_path / "ix", embedder=real_embedder
    )
    for question, first in (("第一章主要写了什么？", "第一条"), ("第二章讲了什么？", "第十条")):
        answer = bot.ask(question)
        assert answer.outcome == "answer" and answer.items and answer.items[0].text.startswith(first)

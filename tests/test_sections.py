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
    assert asked_part("第三条是怎么规定的？") == []  # an article's own text answers that
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

"""A question about a numbered part of a document ("第五章讲的是什么？") is answered with the part's
heading and its subsections, one about the whole ("报告分为哪几个部分？") with its parts' headings
(qa.pipeline.sections)."""

from __future__ import annotations

from qa import ReportQA
from qa.apps.messages import not_found_reason, scope_notes, search_scored
from qa.apps.terminal import format_answer
from qa.ingest.structure import parse_sections
from qa.pipeline.mentions import asked_topic
from qa.pipeline.sections import asked_part, asks_outline, part_count, part_named, titled_list
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

第三章 法律责任

第十二条 违反本办法第十条规定，公车私用的，由监察机关给予警告；再次违反的，处二百元以上五百元以下罚款。
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


def test_an_article_of_clauses_is_quoted_whole(tmp_path, real_embedder) -> None:
    # Found by a helper: "第十七条说了什么？" was answered with the article's first clause (…给予警告；)
    # at 0.67, without the fine after it.
    bot = ReportQA.from_paths([write(tmp_path / "rules.txt", RULES)], tmp_path / "ix", embedder=real_embedder)
    for question in ("第十二条说了什么？", "第十二条规定了什么？"):
        answer = bot.ask(question)
        assert answer.outcome == "answer" and answer.answer.startswith("第十二条 违反本办法第十条规定")
        assert answer.answer.endswith("处二百元以上五百元以下罚款。")


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


REPORT = """青溪县2025年政府工作报告

一、2024年工作回顾

过去一年，全县地区生产总值增长6.1%。

二、2025年工作安排

（一）扩大有效投资。全年实施重点项目120个。

（二）办好民生实事。新建幼儿园3所。

三、加强政府自身建设

坚持依法行政。
"""


def test_questions_about_the_whole_document_or_its_parts() -> None:
    assert asks_outline("报告分为哪几个部分？") == asks_outline("这份报告主要讲了哪几部分？") == "parts"
    assert asks_outline("报告的结构是怎样的？") == "parts" and asks_outline("产业结构怎么样？") is None
    assert asks_outline("总结一下这份报告") == asks_outline("安徽的报告讲了什么") == "summary"
    assert asks_outline("这份报告的主要内容是什么？") == "summary"
    # A topic, a part by number, or no document named is no question about the whole.
    others = ("关于教育说了什么？", "教育的主要内容", "第三部分讲了什么？", "内容是什么？", "讲了什么？")
    for question in others:
        assert asks_outline(question) is None, question
    sections = parse_sections(REPORT)
    assert part_named(sections, [(2, "部分")]).title == "二、2025年工作安排"  # no 第二部分 heading
    assert part_count(sections, [(5, "部分")]) == 3 and part_count(sections, [(3, "部分")]) is None


def test_a_reports_parts_asked_by_number_and_as_a_whole(tmp_path) -> None:
    # Found by a helper: 第三部分讲了什么？ and 报告分为哪几个部分？ were refused of every work report (0 of
    # 14), 总结一下这份报告 refused as if the report said nothing, 第五部分 of three answered otherwise.
    bot = ReportQA.from_paths([write(tmp_path / "r.txt", REPORT)], tmp_path / "ix", embedder=HashEmbedder())
    part = bot.ask("第二部分讲了什么？")
    assert part.answer == "二、2025年工作安排"
    # A heading looked up has no search score to show (it had read 得分 0.0000 beside 把握 100%).
    assert not search_scored(part, part.passages[0]) and "得分 0.0000" not in format_answer(part)
    assert [item.text for item in part.items] == ["（一）扩大有效投资。", "（二）办好民生实事。"]
    whole = bot.ask("报告分为哪几个部分？")
    headings = ["一、2024年工作回顾", "二、2025年工作安排", "三、加强政府自身建设"]
    assert [item.text for item in whole.items] == headings and whole.answer == "\n".join(headings)
    text = bot.document_text(whole.items[0].doc_id)
    assert all(text[item.start : item.end] == item.text for item in whole.items)
    summary = bot.ask("总结一下这份报告")
    assert summary.reason["outline"] == "summary" and [i.text for i in summary.items] == headings
    assert scope_notes(summary.reason)[0].startswith("这里只摘录原文，不能概括全文")
    # A refusal for a fact stands: a report the library lacks is no question about this one's parts.
    lacking = bot.ask("2030年的报告说了什么？")
    assert lacking.outcome == "not_found" and "missing_report" in lacking.reason
    missing = bot.ask("第五部分讲了什么？")
    assert missing.outcome == "not_found" and not_found_reason(missing.reason) == "报告只有3个部分。"


def test_a_list_asked_by_its_headings_words_is_that_headings_list(tmp_path) -> None:
    # Found by a helper: "江苏今年的重点工作有哪些？" quoted the targets sentence inside 三、2026年重点工作,
    # and "湖北今年重点工作有哪些？" a preamble, not the part's (一)…(十).
    assert titled_list("江苏今年的重点工作有哪些？") == ("重点工作",)
    assert titled_list("今年工作安排包括哪几个方面？") == ("工作安排",)
    for other in ("去年重点工作有哪些？", "今年的目标是多少？", "有哪些？", "工作有哪些？"):
        assert titled_list(other) is None, other
    bot = ReportQA.from_paths([write(tmp_path / "r.txt", REPORT)], tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("今年的工作安排有哪些？")
    assert answer.answer == "二、2025年工作安排" and answer.reason["part"] == "二、2025年工作安排"
    assert [item.text for item in answer.items] == ["（一）扩大有效投资。", "（二）办好民生实事。"]
    # The year written out, and the noun after the question word (a helper's 湖北2026年重点做好哪些工作？
    # had quoted a preamble): that year's heading; another year's is no answer.
    assert titled_list("2025年工作做好哪些安排？") is None
    assert titled_list("湖北2026年重点做好哪些工作？") == ("重点工作",)
    assert bot.ask("2025年工作安排有哪些？").reason.get("part") == "二、2025年工作安排"
    assert "part" not in bot.ask("2024年工作安排有哪些？").reason


def test_what_a_document_says_of_a_topic_is_its_sentences_naming_it(tmp_path) -> None:
    # Found by a helper: 关于教育说了什么？ was refused 8 of 8 times of reports naming 教育 17–35 times.
    assert asked_topic("关于民生说了什么？") == asked_topic("民生方面讲了哪些内容？") == "民生"
    assert asked_topic("今年民生实事有哪些？") is None
    # Whether it mentions a topic at all asks the same (有没有提到人工智能？ had been refused of a report
    # naming it 13 times).
    for mentioned in ("有没有提到民生？", "报告里提到民生了吗？", "民生有没有提到？"):
        assert asked_topic(mentioned) == "民生", mentioned
    text = REPORT.replace("坚持依法行政。", "坚持依法行政，人民生活持续改善。")
    bot = ReportQA.from_paths([write(tmp_path / "r.txt", text)], tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("关于民生说了什么？")
    # 办好民生实事 names 民生; 人民生活 does not (民生 across two words).
    assert [item.text for item in answer.items] == ["（二）办好民生实事。"]
    # The note names the document: a library's other documents may name it too (a helper read 共4处 as all).
    note = "这里摘录《青溪县2025年政府工作报告》中提到“民生”的句子（共1处），按原文顺序，不是概括。"
    assert scope_notes(answer.reason)[0] == note
    assert "mentions" not in bot.ask("关于足球说了什么？").reason  # no sentence names it: as scored

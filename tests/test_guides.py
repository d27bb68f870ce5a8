"""A service guide or notice asked as people ask at a service hall: with the service named, without
its heading's noun (收费吗？, 多久能办好？), as a chat follow-up; and whether a named report mentions a
topic (qa.pipeline.sections, qa.pipeline.lists, qa.pipeline.mentions, qa.pipeline.reading_choice)."""

from __future__ import annotations

from pathlib import Path

from qa import ReportQA
from qa.pipeline.mentions import asked_topic
from qa.pipeline.sections import titled_list
from tests.conftest import HashEmbedder, bot_of, write

GUIDE = """青溪县医疗保障局异地就医备案办事指南

一、事项名称
城乡居民基本医疗保险异地就医备案。

二、所需材料
1.居民身份证或者社会保障卡原件；
2.异地就医备案表一份；
3.县级定点医院开具的转诊单。

三、办理流程
1.申请人向窗口提交申请材料；
2.窗口工作人员当场审核材料；
3.备案结果通过短信告知申请人。

四、办理时限
材料齐全的，即时办结；需要核实的，3个工作日内办结。

五、收费标准
不收费。

六、办理地点
青溪县政务服务中心二楼医疗保障服务窗口。
"""

NOTICE = """青溪县市场监督管理局关于开展食品小作坊登记证换证工作的通知

各乡镇市场监管所：

县局决定于2026年3月1日至6月30日开展食品小作坊登记证集中换证工作。现将有关事项通知如下。

一、提交材料

经营者应当提交以下材料：（一）换证申请表；（二）原登记证正本和副本；（三）经营者身份证复印件。

二、办理步骤

换证按以下步骤进行：（一）经营者向所在乡镇市场监管所提出申请；（二）市场监管所完成现场核查；（三）县局审批科制发新证。

三、其他事项

换证不收取任何费用。
"""


def test_a_guides_labelled_heading_answers_its_question_with_the_service_named(tmp_path: Path) -> None:
    # Found by a helper: 异地就医备案收费吗？ had quoted the 事项名称 line, …流程是什么？ one step.
    assert titled_list("异地就医备案流程是什么？") == ("就医备案流程", "流程", "步骤", "程序")
    assert titled_list("要带哪些东西？") == ("东西", "材料", "资料", "证件")
    assert titled_list("收费吗？") == ("收费", "费用") and titled_list("多久能办好？")[:2] == (
        "时限",
        "时间要求",
    )
    assert titled_list("去年财政收入多少？") is None
    bot = bot_of(tmp_path, GUIDE)
    asked = {
        "异地就医备案流程是什么？": ("三、办理流程", 3),
        "异地就医备案要带哪些东西？": ("二、所需材料", 3),
        "异地就医备案收费吗？": ("五、收费标准", 1),
        "异地就医备案多久能办好？": ("四、办理时限", 1),  # its line whole: 即时办结 had been left out
        "异地就医备案在哪里办？": ("六、办理地点", 1),
        "异地就医备案怎么办理？": ("三、办理流程", 3),
    }
    for question, (heading, count) in asked.items():
        answer = bot.ask(question)
        assert (answer.answer, len(answer.items)) == (heading, count), question
        assert all(GUIDE[i.start : i.end] == i.text for i in answer.items)
    assert bot.ask("异地就医备案收费吗？").items[0].text == "不收费。"


BRACKETED = """白石区个体工商户设立登记服务指引

本指引适用于白石区个体工商户设立登记。

【申办步骤】
第一步，网上申报。申请人登录平台填写登记信息。
第二步，审核。区市场监督管理局对申请材料进行审查。
第三步，领照。申请人到窗口领取营业执照。

【时间要求】
材料齐全的，当场登记；需要核实的，3个工作日内作出决定。

【受理窗口】
白石区市民中心一楼市场监管综合窗口。

【联系方式】
区市场监督管理局登记注册科，电话0755-27781234。

【费用】
个体工商户设立登记不收取任何费用。
"""


def test_a_guide_headed_in_brackets_answers_by_what_its_headings_mean(tmp_path: Path) -> None:
    # Found by a helper: 【申办步骤】, 【时间要求】, 【受理窗口】, 【联系方式】 had been missed, and questions
    # answered with the materials sentence or refused.
    bot = bot_of(tmp_path, BRACKETED)
    asked = {
        "个体工商户怎么申请？": ("【申办步骤】", 3),
        "有几个步骤？": ("【申办步骤】", 3),
        "个体户登记多久能办好？": ("【时间要求】", 1),
        "去哪儿办？": ("【受理窗口】", 1),
        "咨询电话是多少？": ("【联系方式】", 1),
    }
    for question, (heading, count) in asked.items():
        answer = bot.ask(question)
        assert (answer.answer, len(answer.items)) == (heading, count), question
    assert bot.ask("有几个步骤？").items[1].text == "第二步，审核。区市场监督管理局对申请材料进行审查。"


def test_a_guides_heading_is_looked_up_in_the_document_the_question_names(tmp_path: Path) -> None:
    # Found by a helper: 注册个体户收费吗？ of a library whose first passage was a report's quoted the
    # report's 新登记注册市场主体 sentence at 0.83, the guide being among the other passages.
    report = "青溪县2026年政府工作报告\n\n清理规范涉企收费，注册个体户增长12%，个体户收费全面减免。\n"
    files = [write(tmp_path / "r.txt", report), write(tmp_path / "g.txt", BRACKETED)]
    bot = ReportQA.from_paths(files, tmp_path / "ix", embedder=HashEmbedder())
    assert bot.retrieve("注册个体户收费吗？").passages[0].document == "青溪县2026年政府工作报告"
    answer = bot.ask("注册个体户收费吗？")
    assert answer.answer == "【费用】" and answer.items[0].text == "个体工商户设立登记不收取任何费用。"
    assert "part" not in bot.ask("收费吗？").reason  # naming no document: not another one's heading


def test_a_label_question_is_no_question_for_a_heading_naming_its_word_otherwise(tmp_path: Path) -> None:
    # Found by a reviewer: a work report's 单一窗口, a contract's 相关费用的承担, a plan's 今年重点工作
    # for another year, and a guide's 【时间要求】 for a report's 去年… had answered at 1.0.
    assert titled_list("如何办好人民满意的教育？") is None
    report = (
        "青溪县2026年政府工作报告\n\n一、2025年工作回顾\n个体工商户登记时间压缩到1天。\n\n"
        "二、今年重点工作\n推进政务服务改革。\n\n12.单一窗口\n企业可以在一个窗口办理通关。\n"
    )
    contract = "房屋租赁合同\n\n第一条 租金\n月租金3000元。\n\n第六条 相关费用的承担\n水电费由乙方承担。\n"
    files = [write(tmp_path / "r.txt", report), write(tmp_path / "g.txt", BRACKETED)]
    bot = ReportQA.from_paths(files, tmp_path / "ix", embedder=HashEmbedder())
    for question in ("在哪里办理通关？", "2025年重点工作有哪些？", "去年个体工商户登记时间压缩到几天？"):
        assert "part" not in bot.ask(question).reason, question
    assert "part" not in bot_of(tmp_path, contract, "c.txt").ask("押金交多少钱？").reason


def test_a_notice_announcing_its_steps_in_running_text_lists_them_under_the_heading(tmp_path: Path) -> None:
    # Found by a helper: 食品小作坊换证流程是什么？ had quoted the notice's preamble.
    bot = bot_of(tmp_path, NOTICE)
    answer = bot.ask("食品小作坊换证流程是什么？")
    assert answer.answer == "二、办理步骤"
    assert [i.text for i in answer.items] == [
        "（一）经营者向所在乡镇市场监管所提出申请；",
        "（二）市场监管所完成现场核查；",
        "（三）县局审批科制发新证。",
    ]


def test_a_follow_up_goes_on_in_the_document_being_talked_about(tmp_path: Path) -> None:
    # Found by helpers: 需要什么材料？ after a question on the notice's service had quoted the other
    # guide's materials at 1.0, and 多久能办好？ after one on the guide a report's sentence.
    files = [write(tmp_path / "guide.txt", GUIDE), write(tmp_path / "notice.txt", NOTICE)]
    bot = ReportQA.from_paths(files, tmp_path / "ix", embedder=HashEmbedder())
    notice = bot.chat(["食品小作坊登记证换证需要什么材料？"]).ask("流程是什么？")
    assert notice.passages[0].document.endswith("换证工作的通知") and notice.answer == "二、办理步骤"
    guide = bot.chat(["异地就医备案怎么办理？"]).ask("多久能办好？")
    assert guide.answer == "四、办理时限" and guide.passages[0].document.endswith("办事指南")
    # A turn naming its own document is of that one (a reviewer's had gone on in the notice).
    moved = bot.chat(["食品小作坊登记证换证需要什么材料？"]).ask("异地就医备案需要什么材料？")
    assert moved.answer == "二、所需材料" and moved.passages[0].document.endswith("办事指南")


def test_whether_a_named_report_mentions_a_topic(tmp_path: Path) -> None:
    # Found by helpers: 河南的报告有没有提到比亚迪？ and 湖北有没有提到北斗？ had been refused, though the
    # report names it; 提到“苏超”了吗 was read with its quotes.
    asked = {
        "河南的报告有没有提到比亚迪？": "比亚迪",
        "河南报告里比亚迪有没有提到？": "比亚迪",
        "08年的报告里核电有没有提到？": "核电",
        "湖北有没有提到北斗？": "北斗",
        "江苏提到“苏超”了吗？": "苏超",
        "河南的报告教育方面说了什么？": "教育",
    }
    for question, topic in asked.items():
        assert asked_topic(question) == topic, question
    assert asked_topic("今年的目标是多少？") is None
    # A topic starts on a word (a reviewer's 过渡期 had been 渡期, 对外开放 外开放).
    assert asked_topic("报告有没有提到过渡期？") == "过渡期"
    assert asked_topic("河南的报告对外开放是怎么说的？") == "对外开放"
    bot = bot_of(tmp_path, "青溪县2026年政府工作报告\n\n加快发展人工智能产业，建设AI创新中心。\n")
    answer = bot.ask("报告有没有提到AI？")
    assert answer.reason["mentions"]["topic"] == "AI"  # as the user wrote it, not lower-cased


def test_a_thing_named_under_a_label_of_running_text_is_answered_by_its_sentence(tmp_path) -> None:
    # Found by a helper: 诊断证明书收费吗？ had been answered with the heading 五、其他收费 alone, at 1.0.
    fees = (
        "江州市第二人民医院收费公示\n一、挂号及诊查费\n普通门诊诊查费每人次10元。\n"
        "五、其他收费\n病历复印每页0.5元。诊断证明书不收费。救护车出车费每次120元。\n"
    )
    bot = bot_of(tmp_path, fees, "fees.txt")
    assert bot.ask("诊断证明书收费吗？").answer == "诊断证明书不收费。"
    assert bot.ask("病历复印收费吗？").answer == "病历复印每页0.5元。"

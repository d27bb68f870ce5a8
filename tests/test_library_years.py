"""A place with reports of several years: 今年/去年 means its newest, whether or not the question
names the place, in a question of one part or two (``qa.pipeline.scope.preferred_documents``)."""

from __future__ import annotations

import pytest

from qa import ReportQA
from tests.conftest import write

REPORT = """青山县{year}年政府工作报告
各位代表：
现在，我代表县人民政府向大会报告工作，请予审议。
一、{review}年工作回顾
过去一年，全县经济运行稳中有进。地区生产总值达到{gdp}亿元，同比增长{growth}%。
全年接待游客{visitors}万人次，实现旅游收入{income}亿元。
新建改扩建中小学和幼儿园{schools}所，新增学位{seats}个。
二、{year}年工作安排
全县经济社会发展的主要预期目标是：地区生产总值增长{target}%左右，一般公共预算收入增长5%。
我们将持续推进文旅融合，打造山水旅游品牌。
"""


@pytest.fixture(scope="module")
def county(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("county-reports")
    older = dict(year=2025, review=2024, gdp="294.3", growth="5.8", visitors=590, income=45, schools=6)
    newer = dict(year=2026, review=2025, gdp="312.5", growth="6.2", visitors=680, income=52, schools=9)
    paths = [
        write(folder / "qingshan_2025.txt", REPORT.format(**older, seats=3100, target=6)),
        write(folder / "qingshan_2026.txt", REPORT.format(**newer, seats=4200, target="6.5")),
    ]
    return ReportQA.from_paths(paths, tmp_path_factory.mktemp("county-index"), embedder=real_embedder)


def test_last_year_is_the_newest_reports_review_whether_or_not_the_place_is_named(county):
    assert sorted(d.review_year for d in county.documents) == [2024, 2025]
    asked = ("去年接待游客多少人次？", "青山县去年接待游客多少人次？", "去年青山县接待游客多少人次？")
    for question in asked:
        answer = county.ask(question)
        assert answer.found and "680万人次" in answer.answer, question


def test_each_part_of_a_two_part_question_is_asked_of_the_newest_report(county):
    answer = county.ask("青山县去年接待游客多少人次？今年地区生产总值预期增长多少？")
    assert len(answer.parts) == 2
    assert "680万人次" in answer.parts[0].answer
    assert "6.5%" in answer.parts[1].answer


def test_a_follow_up_keeps_the_place_and_the_topic(county):
    # The topic of "青山县去年…" was 青山县 alone (cut at its time word), so "今年呢？" asked nothing.
    chat = county.chat()
    chat.ask("青山县去年地区生产总值增长多少？")
    follow = chat.ask("今年呢？")
    # Read as the turn before, asked of 今年 (since 2026-12-06: the retimed reading alone).
    assert follow.reason["standalone_question"] == "青山县今年地区生产总值增长多少？"
    assert follow.found and "6.5%" in follow.answer


def test_a_part_naming_no_report_is_asked_of_the_one_the_question_names(county):
    answer = county.ask("青山县2025年政府工作报告里，去年接待游客多少人次？今年地区生产总值预期增长多少？")
    older = next(d.doc_id for d in county.documents if d.year == 2025)
    assert [p.passages[0].doc_id for p in answer.parts] == [older, older]
    assert "590万人次" in answer.parts[0].answer and "增长6%左右" in answer.parts[1].answer


NATIONAL = """2026年国务院政府工作报告
一、2025年工作回顾
过去一年，国内生产总值增长5%，城镇新增就业1267万人。
二、2026年经济社会发展总体要求和政策取向
今年发展主要预期目标是：国内生产总值增长4.5%—5%；城镇新增就业1200万人以上。
"""


def test_the_second_part_is_asked_of_the_report_the_first_was_answered_from(tmp_path, real_embedder):
    # Found by a helper in the page: the second part, naming no report, went to the newest State
    # Council report (今年) while the first was answered from the town's.
    newer = dict(year=2026, review=2025, gdp="312.5", growth="6.2", visitors=680, income=52, schools=9)
    paths = [
        write(tmp_path / "qingshan_2026.txt", REPORT.format(**newer, seats=4200, target="6.5")),
        write(tmp_path / "national_2026.txt", NATIONAL),
    ]
    bot = ReportQA.from_paths(paths, tmp_path / "index", embedder=real_embedder)
    answer = bot.ask("去年接待游客多少人次？今年地区生产总值预期增长多少？")
    county = next(d.doc_id for d in bot.documents if d.region == "青山县")
    assert [p.passages[0].doc_id for p in answer.parts] == [county, county]
    assert "6.5%" in answer.parts[1].answer
    # A second part that names another report is asked of it.
    named = bot.ask("青山县去年接待游客多少人次？全国今年城镇新增就业目标是多少？")
    assert "1200万人" in named.parts[1].answer

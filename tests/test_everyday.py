"""Questions in everyday words asked again in the report's terms (qa.pipeline.everyday)."""

from __future__ import annotations

import pytest

from qa import ReportQA
from qa.pipeline import answerer, everyday
from qa.pipeline.everyday import official_readings
from qa.settings import MAX_QUESTION_CHARS
from tests.conftest import GOV_REPORTS


def test_the_everyday_word_is_read_as_each_report_term():
    readings = official_readings("孩子上幼儿园免费吗？")
    assert readings == [("孩子上学前教育免费吗?", "学前教育"), ("孩子上学前免费吗?", "学前")]
    # The longest word is read, not a word inside it (看病 in 看病报销).
    assert [term for _, term in official_readings("看病报销有什么新变化")] == ["医保", "医疗保障"]


def test_hong_kong_and_taiwan_words_are_read_as_the_mainlands_terms():
    # Found by a helper: 長者飯堂, 註冊公司 and 軟體 had been refused (t2s gives 长者, 注册, 软体).
    assert [term for _, term in official_readings("長者飯堂建了幾個？")] == ["老年助餐", "助餐"]
    assert official_readings("註冊公司需要幾個工作天？")[0][0] == "企业开办需要几个工作天?"
    assert [term for _, term in official_readings("軟體業有什麼計畫？")] == ["软件"]


def test_a_question_already_in_the_reports_terms_is_not_read_again():
    assert official_readings("幼儿园和学前教育有什么政策？") == []
    assert official_readings("今年财政收入多少？") == []


def test_no_reading_is_longer_than_a_question_may_be():
    question = "带娃" * 999 + "吗"  # 1,999 characters; 婴幼儿照护 in place of each 带娃 would be 4,996
    assert all(len(reading) <= MAX_QUESTION_CHARS for reading, _ in official_readings(question))


def test_no_more_readings_than_the_cap(monkeypatch):
    words = tuple((f"词{i}", (f"术语{i}a", f"术语{i}b")) for i in range(4))
    monkeypatch.setattr(everyday, "_entries", lambda: words)
    assert len(official_readings("词0词1词2词3")) == everyday.MAX_READINGS


@pytest.fixture(scope="module")
def hunan(tmp_path_factory, real_embedder):
    report = GOV_REPORTS / "2026_province_hunan.txt"
    return ReportQA.from_paths([report], tmp_path_factory.mktemp("everyday"), embedder=real_embedder)


def test_an_everyday_question_refused_as_asked_is_answered_in_the_reports_terms(hunan, monkeypatch):
    answer = hunan.ask("上幼儿园免费吗？")
    assert answer.found and "学前教育" in answer.answer
    assert answer.reason["reading"] == "上学前教育免费吗?"
    assert answer.question == "上幼儿园免费吗？"
    # As asked, no sentence was likely enough: the reading is what answers it.
    monkeypatch.setattr(answerer, "official_readings", lambda question: [])
    assert not hunan.ask("上幼儿园免费吗？").found

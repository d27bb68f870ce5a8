"""A chat over two years of State Council reports, with the real model: turns that name nothing of
their own ("完成了吗？") are read with the earlier topic and its year (qa.pipeline.conversation)."""

from __future__ import annotations

import pytest

from qa import ReportQA
from tests.conftest import GOV_REPORTS


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, real_embedder):
    paths = [GOV_REPORTS / "2014_national.txt", GOV_REPORTS / "2015_national.txt"]
    return ReportQA.from_paths(paths, tmp_path_factory.mktemp("chat-years"), embedder=real_embedder)


def test_did_it_get_done_asks_the_earlier_target_of_its_year(two_years):
    # Found by a helper: "完成了吗？" was answered as it stood, with the 2015 report's
    # 完成了全年经济社会发展主要目标任务, whatever the conversation was about.
    chat = two_years.chat()
    chat.ask("2014年城镇新增就业目标是多少？")
    answer = chat.ask("完成了吗？")
    assert answer.found and "1322万人" in answer.answer  # the 2015 report's review of 2014
    assert answer.reason["standalone_question"].startswith("2014年")


def test_a_name_after_a_figure_question_is_not_put_inside_its_compound(two_years):
    # "那医疗呢？" had been read only as 2014年医疗生产总值增长目标是多少？ and its like, and refused
    # as "only the sentence quoted for the question before was found".
    chat = two_years.chat()
    chat.ask("2014年国内生产总值增长目标是多少？")
    answer = chat.ask("那医疗呢？")
    assert (
        answer.reason.get("not_found_because") != "only the sentence quoted for the question before was found"
    )
    assert "生产总值" not in answer.reason["standalone_question"]

"""Documents that are no government work report, with the real model: a regulation's articles,
judged by the confidence model of documents that are no report (qa.pipeline.scorer).

Laws and regulations write amounts in characters (补植三株, 二百元以上) and say 全市 for the city
that issued them; these are read as figures and as a word, not as a city the collection lacks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import ReportQA

REGULATION = Path(__file__).parent / "data" / "regulation.txt"


@pytest.fixture(scope="module")
def regulation(tmp_path_factory, real_embedder):
    return ReportQA.from_paths([REGULATION], tmp_path_factory.mktemp("regulation"), embedder=real_embedder)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("砍一棵树要补种几棵？", "补植三株"),  # the amount is in characters; before, 0.02 and refused
        ("谁负责全市的绿化？", "负责全市城市绿化工作"),  # before: 没有谁负责全市的报告
        ("损坏绿地罚多少钱？", "二百元以上五百元以下"),
        ("这个办法什么时候开始实施？", "2024年1月1日"),
    ],
)
def test_a_regulation_is_answered_from_its_articles(regulation, question, quoted):
    answer = regulation.ask(question)
    why = (answer.confidence, answer.reason.get("not_found_because"))
    assert answer.found and quoted in answer.answer, why
    assert answer.passages[0].section[0].startswith("第")  # the chapter: 第三章 保护和管理


def test_a_regulation_is_judged_as_a_document_that_is_no_report(regulation):
    from qa.schema import document_kind

    assert document_kind(regulation.documents[0].title) == "other"
    # 老城区 for the article's 旧城改造区: the work reports' confidence model refused it (0.18); a
    # document of another kind is judged by the model fitted on questions asked of such documents.
    answer = regulation.ask("老城区改造绿地比例要求是多少？")
    assert answer.found and "百分之二十五" in answer.answer, answer.confidence

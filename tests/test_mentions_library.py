"""Which of a library's documents mention a topic ("哪些报告提到了“一带一路”？"): each one's first
mention, cited, with how many it has; refused with that fact when none does (qa.pipeline.mentions,
qa.pipeline.looked_up). Found by a helper: such questions were refused, or answered from one report."""

from __future__ import annotations

from pathlib import Path

from qa import ReportQA
from qa.apps.messages import not_found_reason, scope_notes
from qa.pipeline.mentions import asked_topic, asks_every_document, english_every_document
from qa.text.normalize import normalize
from tests.conftest import HashEmbedder, write

REPORTS = {
    "a.txt": "甲县2025年政府工作报告\n一、工作回顾\n积极参与“一带一路”建设，开通国际班列12列。\n"
    "新建学校3所。\n二、今年安排\n深化“一带一路”经贸合作。\n",
    "b.txt": "乙县2025年政府工作报告\n一、工作回顾\n新建公园2个，改造老旧小区15个。\n",
    "c.txt": "丙县2025年政府工作报告\n一、工作回顾\n对接“一带一路”，外贸进出口增长8%。\n",
}


def test_which_documents_ask_every_one() -> None:
    for question, topic in (
        ("哪些报告提到了“一带一路”？", "一带一路"),
        ("有没有报告提到低空经济？", "低空经济"),
        # Found by a helper: by the documents' years or places.
        ("哪几年的报告提到了脱贫攻坚？", "脱贫攻坚"),
        ("哪些省的报告提到了低空经济？", "低空经济"),
        ("哪些年份的报告提到了脱贫攻坚？", "脱贫攻坚"),
        ("哪些市的报告提到了低空经济？", "低空经济"),
    ):
        assert asked_topic(normalize(question)) == topic and asks_every_document(normalize(question))
    assert not asks_every_document(normalize("湖南报告有没有提到长江经济带？"))  # one named report
    assert not asks_every_document(normalize("有没有提到香港？"))


def test_each_document_naming_the_topic_is_quoted_once_with_its_count(tmp_path: Path) -> None:
    paths = [write(tmp_path / name, text) for name, text in REPORTS.items()]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("哪些报告提到了“一带一路”？")
    assert answer.found and [item.document for item in answer.items] == [
        "甲县2025年政府工作报告",
        "丙县2025年政府工作报告",
    ]
    assert answer.items[0].text == "积极参与“一带一路”建设，开通国际班列12列。"
    note = scope_notes(answer.reason)[0]
    assert note.startswith(
        "提到“一带一路”的共2份：《甲县2025年政府工作报告》2处、《丙县2025年政府工作报告》1处"
    )
    refused = bot.ask("哪些报告提到了火星移民？")
    assert not refused.found and not_found_reason(refused.reason) == "资料库里没有一份报告提到火星移民。"
    # The filters say which documents are asked (a helper's filtered library had been answered whole).
    kept = bot.ask("哪些报告提到了“一带一路”？", filters={"region": ["丙县"]})
    assert [item.document for item in kept.items] == ["丙县2025年政府工作报告"]
    assert asks_every_document(normalize("有没有报告提到低空经济吗？"))


def test_an_english_question_asks_it_by_the_topics_report_terms(tmp_path: Path) -> None:
    # Found by a helper: "Which reports mention the Belt and Road?" had been refused.
    assert english_every_document("which reports mention the belt and road?") == ["belt and road", "一带一路"]
    assert english_every_document("which reports mention the frobnicator?") is None  # no report term
    # Several phrases are no topic: their terms (增长 among them) had named all 88 reports (a reviewer's).
    assert english_every_document("which reports mention rural pension increases?") is None
    paths = [write(tmp_path / name, text) for name, text in REPORTS.items()]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("Which reports mention the Belt and Road?")
    assert [item.document for item in answer.items] == ["甲县2025年政府工作报告", "丙县2025年政府工作报告"]

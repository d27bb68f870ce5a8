"""A chat turn pointing into the answer before: an item of its list, a part of its document
(qa.pipeline.pointing), in a live chat and in one resumed from its questions alike."""

from __future__ import annotations

import pytest

from qa import ReportQA
from qa.apps.messages import not_found_reason
from qa.pipeline.pointing import LAST, asked_item, part_question
from tests.conftest import HashEmbedder, write
from tests.test_sections import REPORT

OTHER = REPORT.replace("青溪县", "白石县").replace("办好民生实事", "建设美丽城镇")


def test_the_turns_that_point_into_the_answer_before() -> None:
    asked = ("其中第二个方面是什么？", "第一件呢？", "那第十项呢", "第3点是什么", "最后一个方面是什么？")
    assert [asked_item(q) for q in asked] == [2, 1, 10, 3, LAST]
    assert asked_item("第一季度增长多少？") is None and asked_item("第二个方面的投资是多少？") is None
    assert part_question("第二部分呢?") == "第二部分讲了什么？"
    assert part_question("报告分为哪几个部分？") == "报告分为哪几个部分？"
    # A part of a document the turn names itself is no pointing: it is asked as it stands.
    assert part_question("白石县报告第二部分讲了什么？") is None
    assert part_question("2024年报告分为哪几个部分？") is None


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> ReportQA:
    folder = tmp_path_factory.mktemp("two")
    paths = [write(folder / "qingxi.txt", REPORT), write(folder / "baishi.txt", OTHER)]
    return ReportQA.from_paths(paths, folder / "ix", embedder=HashEmbedder())


@pytest.mark.parametrize("resumed", [True, False], ids=["resumed", "live"])
def test_a_chat_about_a_reports_parts_stays_in_that_report(library: ReportQA, resumed: bool) -> None:
    # Found by a helper: after "江苏…分为哪几个部分？", 10 of 15 such turns were answered from another report.
    turns = ["白石县的报告分为哪几个部分？", "第二部分讲了什么？", "其中第二个方面是什么？", "第五个方面呢？"]
    turns += ["第一个方面呢？", "最后一个方面呢？"]  # past the refusal, to the list it refused from
    if resumed:
        answers = [library.chat(turns[:n]).ask(turn) for n, turn in enumerate(turns)]
    else:
        chat = library.chat()
        answers = [chat.ask(turn) for turn in turns]
    assert {a.passages[0].document for a in answers[:3]} == {"白石县2025年政府工作报告"}
    assert answers[1].answer == "二、2025年工作安排"
    assert answers[2].answer == "（二）建设美丽城镇。" and answers[2].reason["item"] == 2
    assert [a.answer for a in answers[4:]] == ["（一）扩大有效投资。", "（二）建设美丽城镇。"]
    assert answers[3].outcome == "not_found"
    assert not_found_reason(answers[3].reason) == "上一个回答只列了2项。"

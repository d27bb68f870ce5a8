"""Lists as notices and rules number them: after the quoted sentence's colon, and asked by one of
their items (qa.pipeline.lists)."""

from __future__ import annotations

from pathlib import Path

from qa.pipeline.lists import announced_items
from qa.pipeline.sections import titled_list
from tests.conftest import bot_of
from tests.test_lists import _loaded, _marked

NOTICE = """关于新生报到的通知

一、报到时间与地点

1.报到时间：8月25日上午8:00至11:30。
2.报到流程：（1）扫码填写登记表；（2）核验录取通知书；（3）缴纳费用。

二、报到须携带的材料

1.录取通知书原件；
2.身份证原件及复印件2份；
3.初中学籍卡。

三、收费项目及标准

1.住宿费：每生每学期600元；
2.军训服装费：每套150元。
"""


def test_a_list_numbered_after_its_colon_or_asked_by_one_of_its_items(tmp_path: Path) -> None:
    # Found by a helper: 报到的流程是什么？ quoted step (1) alone; 报到要带哪些材料？ one material of three.
    doc = _loaded(tmp_path, NOTICE)
    steps = announced_items(doc.text, _marked(doc, "2.报到流程：（1）扫码填写登记表；"))
    assert [i.text for i in steps] == ["（1）扫码填写登记表；", "（2）核验录取通知书；", "（3）缴纳费用。"]
    second = _marked(doc, "2.身份证原件及复印件2份；")
    assert announced_items(doc.text, second) == []  # a question asking no list: the item alone
    materials = ["1.录取通知书原件；", "2.身份证原件及复印件2份；", "3.初中学籍卡。"]
    assert [i.text for i in announced_items(doc.text, second, asks_list=True)] == materials
    first = _marked(doc, "1.录取通知书原件；")  # the first item quoted brings the list as well
    assert [i.text for i in announced_items(doc.text, first, asks_list=True)] == materials
    # An item's label with a colon announces nothing: its run is the list.
    fee = _marked(doc, "2.军训服装费：每套150元。")
    fees = ["1.住宿费：每生每学期600元；", "2.军训服装费：每套150元。"]
    assert [i.text for i in announced_items(doc.text, fee, asks_list=True)] == fees
    assert all(
        doc.text[i.start : i.end] == i.text for i in steps + announced_items(doc.text, fee, asks_list=True)
    )


GUIDE = """青溪县食品经营许可办事指南

一、事项名称

食品经营许可（新办）。

二、申请条件

（一）具有相适应的经营场所；
（二）具有相适应的经营设备；
（三）申请人应当先行取得营业执照。

三、所需材料

1．食品经营许可申请书；
2．营业执照复印件；
3．法定代表人身份证复印件。

四、办理时限

法定办结时限为10个工作日。
"""


def test_what_a_guide_lists_under_a_heading_is_asked_by_its_noun(tmp_path: Path) -> None:
    # Found by helpers: 需要什么材料？ had been answered with the 事项名称 line, 要满足哪些条件？ with one
    # item.
    assert titled_list("办食品经营许可证需要什么材料？")[0] == "材料"
    assert (titled_list("要满足哪些条件？"), titled_list("申请条件是什么？")) == (
        ("条件",),
        ("申请条件", "条件"),
    )
    assert titled_list("今年要做什么工作？") is None  # 工作 names every part of a report alike
    bot = bot_of(tmp_path, GUIDE)
    materials = bot.ask("需要什么材料？")
    assert materials.answer == "三、所需材料"
    assert [i.text for i in materials.items] == [
        "1．食品经营许可申请书；",
        "2．营业执照复印件；",
        "3．法定代表人身份证复印件。",
    ]
    conditions = bot.ask("要满足哪些条件？")
    assert [i.text[:4] for i in conditions.items] == ["（一）具", "（二）具", "（三）申"]
    limit = bot.ask("办理时限需要多久？")  # no list asked: the labelled heading's one sentence
    assert (limit.answer, [i.text for i in limit.items]) == ("四、办理时限", ["法定办结时限为10个工作日。"])

"""Lists as notices and rules number them: after the quoted sentence's colon, and asked by one of
their items (qa.pipeline.lists)."""

from __future__ import annotations

from pathlib import Path

from qa.pipeline.lists import announced_items
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
    # An item's label with a colon announces nothing: its run is the list.
    fee = _marked(doc, "2.军训服装费：每套150元。")
    fees = ["1.住宿费：每生每学期600元；", "2.军训服装费：每套150元。"]
    assert [i.text for i in announced_items(doc.text, fee, asks_list=True)] == fees
    assert all(
        doc.text[i.start : i.end] == i.text for i in steps + announced_items(doc.text, fee, asks_list=True)
    )

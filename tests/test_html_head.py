"""A web page's heading and byline, which trafilatura keeps as metadata only (qa.ingest.readers)."""

from __future__ import annotations

from pathlib import Path

from qa.ingest.loader import load_paths
from qa.ingest.readers import read_html

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>青溪市住房公积金新政策问答 - 青溪市住房公积金管理中心</title></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zcjd">政策解读</a></div>
<h1>青溪市住房公积金新政策问答</h1>
<p class="info">发布时间：2026-01-18　来源：青溪市住房公积金管理中心</p>
<div class="content">
<p>问：这次政策调整从什么时候开始执行？</p>
<p>答：新政策自2026年2月1日起执行，此前已受理的贷款申请按原政策办理。</p>
<p>问：首套住房公积金贷款最高额度是多少？</p>
<p>答：单缴存职工最高贷款额度由50万元提高到60万元，双缴存职工最高贷款额度由80万元提高到100万元。</p>
<p>问：首付比例有什么变化？</p>
<p>答：首套住房最低首付比例调整为20%，第二套住房最低首付比例调整为25%。</p>
</div></body></html>"""


def test_a_pages_heading_and_byline_are_its_first_lines(tmp_path: Path) -> None:
    # Found by a helper: the page was titled with its first question ("问：这次政策调整…") and lost its
    # date; a page without <h1> was titled with its file name.
    (tmp_path / "wenda.html").write_text(PAGE, encoding="utf-8")
    lines = read_html(PAGE.encode(), tmp_path / "wenda.html").split("\n")
    # The heading marked with its level (qa.ingest.outline), which the loader takes out of the text.
    assert lines[:2] == [
        "# 青溪市住房公积金新政策问答",
        "发布时间：2026-01-18 来源：青溪市住房公积金管理中心",
    ]
    [doc] = load_paths([tmp_path / "wenda.html"])  # the byline's fields are read as the page's head
    assert (doc.title, doc.date) == ("青溪市住房公积金新政策问答", "2026-01-18")
    assert doc.text.startswith("青溪市住房公积金新政策问答\n") and doc.outline == ((0, 1),)
    bare = PAGE.replace("<h1>青溪市住房公积金新政策问答</h1>", "")  # the <title>, without the site's name
    (tmp_path / "simple.html").write_text(bare, encoding="utf-8")
    assert load_paths([tmp_path / "simple.html"])[0].title == "青溪市住房公积金新政策问答"

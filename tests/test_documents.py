"""Tests for qa.ingest.loader: every loader on files made here, cleaning, chrome removal, errors and
folders. Document metadata (sidecars, titles, year, region, level) is in tests/test_document_metadata.py."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.errors import DocumentError
from qa.ingest.loader import SUPPORTED_SUFFIXES, load_document, load_paths
from tests.conftest import write

SIMPLIFIED = (
    "各位代表：\n"
    "现在，我代表市人民政府向大会报告工作，请予审议，并请各位政协委员提出意见。\n"
    "一、2022年工作回顾\n"
    "过去一年，面对复杂严峻的国内外环境，全市上下坚持稳中求进工作总基调，经济运行总体平稳，"
    "全年地区生产总值增长5.2%，一般公共预算收入完成123亿元，城乡居民人均可支配收入分别增长4.8%和6.9%。"
    "我们坚持创新驱动发展，新增高新技术企业120家，研发投入强度达到2.5%。"
)
TRADITIONAL = (
    "各位代表：\n"
    "現在，我代表市政府向大會報告工作，請予審議，並請各位政協委員提出意見。\n"
    "過去一年，面對複雜嚴峻的國內外環境，全市上下堅持穩中求進工作總基調，經濟運行總體平穩，"
    "全年地區生產總值增長百分之五點二，一般公共預算收入完成一百二十三億元，"
    "城鄉居民人均可支配收入分別增長百分之四點八和百分之六點九。"
    "我們堅持創新驅動發展，新增高新技術企業一百二十家。"
)


# ---------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", SIMPLIFIED),
        ("utf-8-sig", SIMPLIFIED),
        ("utf-16", SIMPLIFIED),
        ("gb18030", SIMPLIFIED + "王䶮同志（扩展A区字）。"),
        ("gbk", SIMPLIFIED),
        ("big5", TRADITIONAL),
    ],
)
def test_txt_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    doc = load_document(write(tmp_path / "report.txt", text, encoding))
    assert doc.text == text
    assert not doc.text.startswith("\ufeff")
    assert doc.source == "report.txt"


@pytest.mark.parametrize(("encoding", "text"), [("gbk", SIMPLIFIED), ("big5", TRADITIONAL)])
@pytest.mark.parametrize("length", [40, 80, 200])
def test_short_legacy_encodings(tmp_path: Path, encoding: str, text: str, length: int) -> None:
    # Short texts are where detectors guess wrong.
    sample = text.replace("\n", "")[:length]
    assert load_document(write(tmp_path / "short.txt", sample, encoding)).text == sample


def test_line_cleaning(tmp_path: Path) -> None:
    raw = (
        "\ufeff  标题\u200b行  \r\n\r\n\r\n\u3000\u3000第一段，正文。\xa0\r"
        "第二段\u200d。\n\n\n\n  \n第三段\t\f"
    )
    doc = load_document(write(tmp_path / "a.txt", raw))
    assert doc.text == "标题行\n\n第一段，正文。\n第二段。\n\n第三段"


def test_other_encodings_via_detection(tmp_path: Path) -> None:
    text = "Rapport annuel du gouvernement : résumé des réformes, économie et société en 2022."
    assert load_document(write(tmp_path / "fr.txt", text, "cp1252")).text == text


def test_a_utf8_text_with_a_few_bad_lines_is_read(tmp_path: Path) -> None:
    # Found by a helper: one stray byte, a download cut mid-character or two lines pasted from a GBK
    # file made a whole report "a binary file".
    lines = ["青石镇人民政府2025年工作报告", *(f"第{i}项工作，新增学位{i}个。" for i in range(40))]
    good = "\n".join(lines).encode()
    at = good.index("，".encode())  # between two characters
    stray = load_document(write(tmp_path / "stray.txt", good[:at] + b"\xff" + good[at:])).text
    assert stray.count("\ufffd") == 1 and stray.replace("\ufffd", "") == "\n".join(lines)
    cut = load_document(write(tmp_path / "cut.txt", good + "附件".encode()[:-1])).text
    assert cut.startswith("\n".join(lines))
    pasted = "\n".join(lines[:10]).encode() + b"\n" + "\n".join(lines[10:12]).encode("gbk") + b"\n"
    pasted += "\n".join(lines[12:]).encode()
    assert load_document(write(tmp_path / "pasted.txt", pasted)).text == "\n".join(lines)
    short = "\n".join(lines[:8]).encode()  # a short text with one stray byte had been "binary"
    at = short.index("，".encode())
    strayed = load_document(write(tmp_path / "short.txt", short[:at] + b"\xff" + short[at:])).text
    assert strayed.count("\ufffd") == 1


def test_no_nfkc_normalization(tmp_path: Path) -> None:
    # Offsets point into the stored text, so full-width characters must stay as they are.
    raw = "１９８９年，国民生产总值增长３．９％（初步统计）。"
    assert load_document(write(tmp_path / "a.txt", raw)).text == raw


@given(st.text(st.characters(codec="utf-8"), max_size=300))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_utf8_text_loads_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "any.txt", text)
    try:
        doc = load_document(path)
    except DocumentError as exc:
        assert "\n" not in str(exc)
        return
    assert "\r" not in doc.text
    assert "\n\n\n" not in doc.text
    assert doc.text and doc.text == doc.text.strip()
    assert all(line == line.strip() for line in doc.text.split("\n"))
    assert not set(doc.text) & set("\u200b\u200c\u200d\ufeff")


def test_markdown(tmp_path: Path) -> None:
    md = (
        "# 2023年某县人民政府工作报告\n\n"
        "各位代表：\n\n"
        "## 一、2022年工作回顾\n\n"
        "过去一年，**全县地区生产总值**增长5.2%，详见[统计公报](http://example.org/a)。\n\n"
        "| 指标 | 数值 |\n|---|---|\n| 地区生产总值 | 356亿元 |\n"
    )
    doc = load_document(write(tmp_path / "r.md", md))
    assert doc.text.split("\n") == [
        "2023年某县人民政府工作报告",
        "",
        "各位代表：",
        "",
        "一、2022年工作回顾",
        "",
        "过去一年，全县地区生产总值增长5.2%，详见统计公报。",
        "",
        "指标\t数值",
        "地区生产总值\t356亿元",
    ]
    assert (doc.title, doc.region, doc.level, doc.year) == (
        "2023年某县人民政府工作报告",
        "某县",
        "county",
        2023,
    )


# ---------------------------------------------------------------------------------------------- html

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>紫帽镇人民政府2022年工作报告_晋江市人民政府</title>
<style>p {{ color: red }}</style><script>var tracker = "不应出现的脚本文字";</script></head>
<body>
<header><div class="logo">晋江市人民政府门户网站</div></header>
<nav><a href="/">首页</a><a href="/zwgk">政务公开</a><a href="/hd">互动交流</a></nav>
<div class="main"><h1>紫帽镇人民政府2022年工作报告</h1>
<p>——2023年1月16日在紫帽镇第十一届人民代表大会第三次会议上</p>
<p>各位代表、同志们：</p>
<p>现在，我代表紫帽镇人民政府向大会作2022年工作报告，请各位代表审议，并请列席同志提出意见。</p>
<h2>一、2022年工作回顾</h2>
<p>一年来，在市委、市政府和镇党委的正确领导下，镇政府坚持以习近平新时代中国特色社会主义思想为指导，
统筹推进疫情防控和经济社会发展，社会各项事业取得新的成效。</p>
<p>全年预计完成财政总收入1.6亿元，比增8.8%；规上工业产值26.62亿元，比增7.6%；工业投资1.49亿元。</p>
<h2>二、2023年的发展目标和主要工作</h2>
<p>2023年经济社会发展主要预期目标是：财政总收入增长5%，规上工业产值增长6%，固定资产投资增长8%。</p>
</div>
<footer><p>版权所有：晋江市人民政府办公室 闽ICP备12345678号</p></footer>
</body></html>"""


@pytest.mark.parametrize(("suffix", "charset"), [(".html", "utf-8"), (".htm", "gb2312")])
def test_html_main_text(tmp_path: Path, suffix: str, charset: str) -> None:
    page = HTML_PAGE.format(charset=charset)
    doc = load_document(write(tmp_path / f"page{suffix}", page, "gbk" if charset == "gb2312" else charset))
    lines = doc.text.split("\n")
    assert lines[0] == "紫帽镇人民政府2022年工作报告"
    for line in ("各位代表、同志们：", "一、2022年工作回顾", "二、2023年的发展目标和主要工作"):
        assert line in lines  # headings and paragraphs each on a line of their own
    assert "全年预计完成财政总收入1.6亿元" in doc.text
    for chrome in ("脚本", "color", "门户网站", "互动交流", "版权所有", "ICP"):
        assert chrome not in doc.text
    assert (doc.region, doc.level, doc.year, doc.date) == ("紫帽镇", "town", 2022, "2023-01-16")


def test_html_after_a_huge_inline_picture_is_read(tmp_path: Path) -> None:
    # Found by a helper: after one node over 10 MB (a picture as a data: URI) the rest of the page was
    # dropped, and the upload succeeded with its first 22 characters.
    picture = "data:image/png;base64," + "A" * 11_000_000
    body = "".join(f"<p>第{i}项工作，新增学位{i}个。</p>" for i in range(20))
    head = "<html><body><h1>青石镇人民政府2025年工作报告</h1><p>前言。</p>"
    page = f"{head}<img src='{picture}'/>{body}</body></html>"
    assert load_document(write(tmp_path / "page.html", page)).text.endswith("第19项工作，新增学位19个。")


def test_html_tiny_page_falls_back(tmp_path: Path) -> None:
    # trafilatura returns nothing for a page this small; the lxml fallback still reads it.
    doc = load_document(
        write(tmp_path / "tiny.html", "<html><body><p>短</p><script>x=1</script></body></html>")
    )
    assert doc.text == "短"


def test_html_table_rows(tmp_path: Path) -> None:
    html = (
        "<html><body><h1>2023年某县统计公报</h1><table><tr><td>指标</td><td>数值</td></tr>"
        "<tr><td>地区生产总值</td><td>356亿元</td></tr></table></body></html>"
    )
    doc = load_document(write(tmp_path / "t.html", html))
    assert "指标\t数值\n地区生产总值\t356亿元" in doc.text


# ---------------------------------------------------------------------------------------------- pdf


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 20 * i, line)
        c.showPage()
    c.save()
    return path


def test_pdf_chinese_text_layer(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "r.pdf",
        [
            ["紫帽镇人民政府2022年工作报告", "全年预计完成财政总收入1.6亿元，比增8.8%。"],
            ["二、2023年的发展目标和主要工作"],
        ],
    )
    doc = load_document(path)
    assert doc.text.split("\n") == [
        "紫帽镇人民政府2022年工作报告",
        "全年预计完成财政总收入1.6亿元，比增8.8%。",
        "",
        "二、2023年的发展目标和主要工作",
    ]
    assert (doc.title, doc.issuer, doc.year, doc.level) == (
        "紫帽镇人民政府2022年工作报告",
        "紫帽镇人民政府",
        2022,
        "town",
    )


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 300, fill=1)  # what a scan looks like to a text extractor: no text at all
    c.showPage()
    c.save()
    with pytest.raises(DocumentError, match=r"scan\.pdf.*no text layer.*scan.*OCR"):
        load_document(path)


def test_pdf_corrupt(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", [["政府工作报告"]]).read_bytes()
    truncated = write(tmp_path / "truncated.pdf", good[: len(good) // 2])
    with pytest.raises(DocumentError, match=r"truncated\.pdf is a corrupt PDF"):
        load_document(truncated)
    not_pdf = write(tmp_path / "renamed.pdf", "这其实是一个文本文件")
    with pytest.raises(DocumentError, match=r"renamed\.pdf is not a PDF"):
        load_document(not_pdf)


# ---------------------------------------------------------------------------------------------- docx


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("2023年某县人民政府工作报告", level=1)
    document.add_paragraph("各位代表：")
    document.add_paragraph("  现在，我代表县人民政府向大会报告工作，请予审议。  ")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "2022年", "增长"], ["地区生产总值", "356亿元", "5.2%"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "注：数据为初步统计"
    document.add_paragraph("二、2023年工作安排")
    path = tmp_path / "r.docx"
    document.save(str(path))

    doc = load_document(path)
    assert doc.text.split("\n") == [
        "2023年某县人民政府工作报告",
        "各位代表：",
        "现在，我代表县人民政府向大会报告工作，请予审议。",
        "指标\t2022年\t增长",
        "地区生产总值\t356亿元\t5.2%",
        "注：数据为初步统计",  # a merged cell counts once
        "二、2023年工作安排",
    ]
    assert (doc.region, doc.level, doc.issuer, doc.year) == ("某县", "county", "某县人民政府", 2023)


def test_docx_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"old\.docx is not a valid \.docx file \(not a zip archive\)"):
        load_document(write(tmp_path / "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512))


def test_docx_zip_without_document(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a word document")
    with pytest.raises(DocumentError, match=r"fake\.docx is not a readable \.docx file"):
        load_document(write(tmp_path / "fake.docx", buf.getvalue()))


# ---------------------------------------------------------------------------------------------- errors


def test_binary_named_txt(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    with pytest.raises(DocumentError, match=r"x\.txt looks like a binary file, not text"):
        load_document(write(tmp_path / "x.txt", png))
    with pytest.raises(DocumentError, match=r"y\.txt looks like a binary file, not text"):
        load_document(write(tmp_path / "y.txt", b"abc\x00\x01\x02" * 100))


def test_empty_and_blank_files(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"empty\.txt is empty"):
        load_document(write(tmp_path / "empty.txt", b""))
    with pytest.raises(DocumentError, match=r"blank\.md has no text after cleaning"):
        load_document(write(tmp_path / "blank.md", " \n\u3000\r\n\u200b\n"))


def test_missing_unsupported_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"nope\.txt: no such file"):
        load_document(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match=r"data\.xlsx: unsupported file type '\.xlsx'"):
        load_document(write(tmp_path / "data.xlsx", b"PK"))
    with pytest.raises(DocumentError, match="is a folder"):
        load_document(tmp_path)


def test_errors_are_one_line(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 10)
    with pytest.raises(DocumentError) as info:
        load_document(bad)
    assert "\n" not in str(info.value) and "bad.pdf" in str(info.value)


# ---------------------------------------------------------------------------------------------- paths


def test_load_paths_folders_and_files(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    write(folder / "b.txt", "乙县政府工作报告正文。")
    write(folder / "sub" / "a.md", "# 甲县政府工作报告\n正文。")
    write(folder / "b.txt.meta.json", json.dumps({"year": 2020}))
    write(folder / "notes.csv", "a,b")
    write(folder / ".hidden" / "c.txt", "隐藏")
    write(folder / "~$d.docx", b"lock")
    single = write(tmp_path / "single.txt", "单独的文件。")

    docs = load_paths([folder, single, folder / "b.txt"])
    assert [d.source for d in docs] == ["b.txt", "a.md", "single.txt"]  # sorted by path, no duplicate
    assert docs[0].year == 2020  # the sidecar applies, and is not loaded as a document


def test_load_paths_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    write(folder / "table.csv", "a,b")
    write(folder / "x.meta.json", "{}")
    with pytest.raises(DocumentError, match=r"nothing: no supported files in this folder"):
        load_paths([folder])


def test_load_paths_missing(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        load_paths([tmp_path / "gone"])


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".html", ".htm", ".pdf", ".docx")

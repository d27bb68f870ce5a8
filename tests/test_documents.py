"""Tests for qa.ingest.loader: every loader on files made here, cleaning, chrome removal, metadata."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.errors import DocumentError
from qa.ingest.loader import (
    SUPPORTED_SUFFIXES,
    bundled_report_path,
    load_bundled,
    load_document,
    load_paths,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_288c1e282cea0f90.txt"
GOV_REPORTS = SHARED / "datasets" / "gov_reports"

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


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


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


# ---------------------------------------------------------------------------------------------- sidecars


@pytest.mark.parametrize("sidecar_name", ["report.txt.meta.json", "report.meta.json"])
def test_sidecar_overrides(tmp_path: Path, sidecar_name: str) -> None:
    path = write(tmp_path / "report.txt", "紫帽镇人民政府2022年工作报告\n各位代表：\n正文。")
    meta = {"title": "自定标题", "issuer": None, "region": "晋江市紫帽镇", "year": 2021, "date": "2023-01-31"}
    write(tmp_path / sidecar_name, json.dumps(meta, ensure_ascii=False))
    doc = load_document(path)
    assert (doc.title, doc.issuer, doc.region, doc.year, doc.date) == (
        "自定标题",
        None,
        "晋江市紫帽镇",
        2021,
        "2023-01-31",
    )
    assert doc.level == "town"  # not in the sidecar: inferred


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"yaer": 2022}', "unknown field"),
        ('{"year": "2022"}', "'year' must be a year"),
        ('{"year": true}', "'year' must be a year"),
        ('{"date": "2023/01/31"}', "'date' must be an ISO date"),
        ('{"level": "village"}', "'level' must be one of"),
        ('{"title": ""}', "'title' must be a non-empty string"),
        ('{"region": 5}', "'region' must be a string"),
    ],
)
def test_bad_sidecar(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path / "r.txt", "正文。")
    write(tmp_path / "r.txt.meta.json", content)
    with pytest.raises(DocumentError, match=r"r\.txt\.meta\.json") as info:
        load_document(path)
    assert message in str(info.value)


# ---------------------------------------------------------------------------------------------- metadata


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理　李强\n"
            "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n一、2023年工作回顾",
            ("政府工作报告", "国务院", "全国", 2024, "2024-03-05", "national"),
        ),
        (
            "2026年福建省政府工作报告\n——2026年1月27日在福建省第十四届人民代表大会第四次会议上\n"
            "福建省人民政府省长 赵龙\n各位代表：\n现在，我代表省人民政府，向大会报告工作。",
            ("2026年福建省政府工作报告", "福建省人民政府", "福建省", 2026, "2026-01-27", "province"),
        ),
        (
            "政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n"
            "甘肃省省长 任振鹤\n各位代表：",
            ("政府工作报告", "甘肃省人民政府", "甘肃省", 2026, "2026-01-27", "province"),
        ),
        (
            "2026年上海市政府工作报告\n各位代表：\n现在，我代表上海市人民政府，向大会报告工作。",
            ("2026年上海市政府工作报告", "上海市人民政府", "上海市", 2026, None, "province"),
        ),
        (
            "2023年泉州市人民政府工作报告\n各位代表：",
            ("2023年泉州市人民政府工作报告", "泉州市人民政府", "泉州市", 2023, None, "city"),
        ),
        (
            "政府工作报告\n（2023年1月10日在安溪县第十八届人民代表大会第三次会议上）\n各位代表：",
            ("政府工作报告", "安溪县人民政府", "安溪县", 2023, "2023-01-10", "county"),
        ),
        (
            "2026年广西壮族自治区政府工作报告\n自治区人民政府主席 韦韬\n各位代表：",
            (
                "2026年广西壮族自治区政府工作报告",
                "广西壮族自治区人民政府",
                "广西壮族自治区",
                2026,
                None,
                "province",
            ),
        ),
        (
            "各位代表：\n现在，我代表省人民政府向大会报告工作。\n一、2025年工作回顾\n根据党中央、国务院部署……",
            ("memo", None, None, 2026, None, "province"),  # no name, so no issuer
        ),
    ],
)
def test_metadata_inference(tmp_path: Path, text: str, expected: tuple) -> None:
    doc = load_document(write(tmp_path / "memo.txt", text))
    # raw_title: the title as printed; doc.title adds year and issuer (tests/test_metadata_titles.py)
    assert (doc.raw_title, doc.issuer, doc.region, doc.year, doc.date, doc.level) == expected


def test_title_falls_back_to_stem(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "1985_national.txt", "各位代表：\n刚刚过去的１９８４年，是……"))
    assert doc.title == "1985_national" and doc.year == 1985


# ---------------------------------------------------------------------------------------------- seed


SEED_META = {
    "title": "紫帽镇人民政府2022年工作报告",
    "issuer": "紫帽镇人民政府",
    "date": "2023-01-31",
    "region": "紫帽镇",
    "year": 2022,
    "level": "town",
}
CHROME = [
    "索 引 号",
    "发布机构",
    "公文生成日期",
    "时间:2023-01-31",
    "附件下载",
    "扫一扫",
    "解读",
    "媒体报道",
    ".pdf",
]


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the project")
def test_seed_chrome_stripped(tmp_path: Path) -> None:
    raw_lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    doc = load_document(SEED)
    for chrome in CHROME:
        assert chrome not in doc.text
    assert doc.text.count("紫帽镇人民政府2022年工作报告\n") == 1  # the repeated title went
    kept = set(doc.text.split("\n"))
    body = [line for line in raw_lines if line and not any(c in line for c in CHROME)]
    assert [line for line in body if line not in kept] == []  # every body line is kept
    assert {k: getattr(doc, k) for k in SEED_META} == SEED_META  # inferred, no sidecar


def test_bundled_report() -> None:
    doc = load_bundled()
    assert bundled_report_path().is_file() and doc.source == "zimao_2022.txt"
    assert {k: getattr(doc, k) for k in SEED_META} == SEED_META
    lines = doc.text.split("\n")
    assert lines[0] == "紫帽镇人民政府2022年工作报告"
    assert "——2023116日在紫帽镇第十一届人民代表大会第三次会议上" in lines  # the source's own slip, kept
    assert sum(line.startswith("各位代表") for line in lines) == 4
    assert "财政总收入1.6亿元" in doc.text
    for chrome in CHROME:
        assert chrome not in doc.text
    assert doc.text.endswith("奋力谱写推动全方位高质量发展紫帽新篇章!")


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed is not beside the project")
def test_bundled_text_is_the_loaded_seed() -> None:
    assert load_bundled().text == load_document(SEED).text


# ---------------------------------------------------------------------------------------------- real reports


@pytest.mark.skipif(
    not (GOV_REPORTS / "index.jsonl").exists(), reason="shared/datasets is not beside the project"
)
def test_metadata_agrees_with_real_reports(tmp_path: Path) -> None:
    rows = [
        json.loads(line) for line in (GOV_REPORTS / "index.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) == 88
    hits = {"year": 0, "level": 0, "region": 0, "year_text_only": 0}
    for row in rows:
        doc = load_document(GOV_REPORTS / row["file"])
        for key in ("year", "level", "region"):
            hits[key] += getattr(doc, key) == row[key]
        # The same text under a name without a year: what the text alone tells.
        anonymous = shutil.copy(GOV_REPORTS / row["file"], tmp_path / "report.txt")
        hits["year_text_only"] += load_document(anonymous).year == row["year"]
    rates = {key: n / len(rows) for key, n in hits.items()}
    print("agreement with index.jsonl:", {key: f"{rate:.1%}" for key, rate in rates.items()})
    assert rates["year"] >= 0.95 and rates["level"] >= 0.95 and rates["region"] >= 0.95
    # 30 national reports in the set start at "各位代表" with no title or date line at all.
    assert rates["year_text_only"] >= 0.6

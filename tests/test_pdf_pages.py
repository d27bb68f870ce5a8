"""Page numbers and running headers and footers are dropped from a PDF's pages (qa.ingest.pdf_pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import DocumentError
from qa.ingest.loader import load_document
from qa.ingest.pdf_pages import strip_page_furniture, unspaced
from tests.test_documents import make_pdf

BODY = [
    ["一、过去一年工作回顾", "全年地区生产总值增长百分之五点二，", "城镇新增就业一百二十万人。"],
    ["二、今年工作安排", "今年发展主要预期目标是：", "地区生产总值增长百分之五左右，"],
    ["城镇新增就业一百万人以上。", "三、加强政府自身建设", "坚持依法行政。"],
    ["各位代表！", "让我们更加紧密地团结在一起，", "为完成全年目标任务而努力奋斗！"],
]


def _pages(top: str | None, bottom: str | None, first_top: str | None = None) -> list[str]:
    pages = []
    for n, lines in enumerate(BODY, start=1):
        head = first_top if n == 1 else top
        pages.append(
            "\n".join([*([head] if head else []), *lines, *([bottom.format(n=n)] if bottom else [])])
        )
    return pages


def _body(n: int) -> str:
    return "\n".join(BODY[n])


def test_page_numbers_are_dropped_in_their_usual_forms():
    for bottom in ("— {n} —", "- {n} -", "{n}", "第{n}页", "第 {n} 页 共 4 页", "{n}/4"):
        assert strip_page_furniture(_pages(None, bottom)) == [_body(n) for n in range(4)], bottom


def test_a_running_header_is_dropped_but_the_title_on_the_first_page_kept():
    pages = strip_page_furniture(_pages("2024年政府工作报告", "— {n} —", first_top="2024年政府工作报告"))
    assert pages[0] == "2024年政府工作报告\n" + _body(0)
    assert pages[1:] == [_body(n) for n in range(1, 4)]


def test_a_line_few_pages_repeat_is_text():
    pages = _pages(None, None)
    pages[1] = "今年工作安排\n" + pages[1]  # at the top of one page of four
    assert strip_page_furniture(pages) == pages


def test_too_few_pages_show_no_running_line_but_still_their_numbers():
    pages = _pages("2024年政府工作报告", "— {n} —")[:2]
    assert strip_page_furniture(pages) == [_body(0), "2024年政府工作报告\n" + _body(1)]


def test_a_browsers_print_lines_are_dropped_at_the_bottom_of_every_page():
    # Found by a helper: Chrome's "Headers and footers" put the date and title and the file's address
    # with "n/31" after each page's text; longer than a title, they had been glued into sentences.
    date = "12/7/26, 12:39 AM 2015 年政府工作报告"
    address = "file:///home/user/reports/2015_national_government_work_report.html {n}/4"
    pages = [f"{page}\n{date}\n{address.format(n=n)}" for n, page in enumerate(_pages(None, None), start=1)]
    assert strip_page_furniture(pages) == [_body(n) for n in range(4)]


def test_the_title_pages_number_goes_under_its_kept_header():
    # Found by a helper: "第 1 页 共 4 页" under the title page's header had been kept.
    header = "青禾县人民政府办公室文件"
    pages = _pages(header, "第 {n} 页 共 4 页", first_top=f"{header}\n第 1 页 共 4 页")
    pages[0] = pages[0].rsplit("\n", 1)[0]  # its number at the top instead
    assert strip_page_furniture(pages)[0] == f"{header}\n" + _body(0)


def test_a_letter_spaced_line_is_closed_up_and_words_apart_stay_apart():
    assert unspaced("对进山人 员 实 行 登 记 ， 严 禁 携 带") == "对进山人员实行登记，严禁携带"
    assert unspaced("贡献率达 到 51.2% ， 服 务 业") == "贡献率达到51.2%，服务业"
    assert unspaced("防火股 刘建华，电话 0731-5621350") == "防火股 刘建华，电话 0731-5621350"


def test_pdf_whose_text_layer_holds_no_letters(tmp_path: Path) -> None:
    # Found by a helper: fonts that map no glyph to a character read back as the figures alone, and
    # such a notice had been added, titled 《202537》.
    path = make_pdf(tmp_path / "tofu.pdf", [["202537", "2025 10 12"], ["0731-5621119"]])
    with pytest.raises(DocumentError, match=r"tofu\.pdf.*no text layer"):
        load_document(path)

"""Who delivered a report and when are the lines under its title (qa.pipeline.delivery)."""

from __future__ import annotations

from qa import ReportQA
from qa.pipeline.delivery import asks_delivery
from qa.pipeline.signature import asks_number, asks_sender
from qa.text.normalize import normalize
from tests.conftest import HashEmbedder, bot_of, write

REPORT = """2026年安平县政府工作报告
——2026年1月8日在安平县第十八届人民代表大会
第五次会议上
县长　王小明
各位代表：
现在，我代表县人民政府，向大会报告工作，请予审议。
一、2025年工作回顾
全县地区生产总值达到258.3亿元。
二、2026年工作安排
全县地区生产总值增长6%左右。
"""


def test_questions_asking_who_delivered_the_report_or_when() -> None:
    for who in (
        "作报告的是谁？",
        "2017年政府工作报告是谁作的？",
        "谁代表国务院作了2021年的报告？",
        "Who delivered the report?",
    ):
        assert asks_delivery(normalize(who)) == "who", who
    for when in (
        "这份报告是哪天作的？",
        "在哪次人代会上作的报告？",
        "李克强哪天作的政府工作报告？",
        "When was the report delivered?",
    ):
        assert asks_delivery(normalize(when)) == "when", when
    # The contents of the report, or the work: no question about its delivery.
    for other in ("报告提出什么时候建成新机场？", "这项工程是谁做的？", "总理是谁？", "哪天开始申请？"):
        assert asks_delivery(normalize(other)) is None, other


def test_who_delivered_the_report_and_when_are_quoted_from_under_its_title(tmp_path) -> None:
    # Found by a helper: "作报告的是谁？" and "这份报告是哪天作的？" were refused of reports printing both.
    bot = bot_of(tmp_path, REPORT)
    who = bot.ask("这份报告是谁作的？")
    assert who.outcome == "answer"
    # The meeting's name wraps onto a second line in the file: one line as read.
    assert [item.text for item in who.items] == [
        "——2026年1月8日在安平县第十八届人民代表大会第五次会议上",
        "县长　王小明",
    ]
    text = bot.document_text(who.items[0].doc_id)
    assert all(text[item.start : item.end] == item.text for item in who.items)
    when = bot.ask("报告是哪天作的？")
    assert [item.text for item in when.items] == [who.items[0].text]
    # A report printed without its header: as scored.
    bare = REPORT.split("各位代表：", 1)[1]
    other = bot_of(tmp_path, bare, "b.txt")
    assert "delivery" not in other.ask("这份报告是谁作的？").reason


NEWS = """社区老年食堂正式开业

本报讯（记者 林晓雯 通讯员 孙丽娜）10月8日上午，阳光社区老年食堂举行开业仪式。食堂由李梅负责运营。

首月接待老人超3000人次。
"""


def test_who_wrote_an_article_is_its_byline(tmp_path) -> None:
    # Found by a helper: 记者是谁？ and 通讯员是谁？ were refused of a news story with its byline.
    writers = (
        "记者是谁？",
        "这篇文章是谁写的？",
        "Who wrote the article?",
        "谁写的这篇稿子？",
        "这篇报道是哪个记者写的？",
    )
    for writer in writers:
        assert asks_delivery(normalize(writer)) == "writer", writer
    assert asks_delivery(normalize("谁负责食堂运营？")) is None
    bot = bot_of(tmp_path, NEWS, "n.txt")
    byline = "本报讯（记者 林晓雯 通讯员 孙丽娜）10月8日上午，阳光社区老年食堂举行开业仪式。"
    assert bot.ask("记者是谁？").answer == bot.ask("通讯员是谁？").answer == byline
    # A role the byline does not name is not answered with it (编辑是谁？ had been, at 1.0); one the
    # story names at its end is.
    assert "delivery" not in bot.ask("编辑是谁？").reason
    edited = bot_of(tmp_path, NEWS + "（编辑：何静）\n", "e.txt")
    assert edited.ask("这篇新闻的编辑是谁？").answer == "（编辑：何静）"
    report = bot_of(tmp_path, REPORT)
    assert "delivery" not in report.ask("记者是谁？").reason  # no byline: as scored
    # A role in running text is no byline (a reviewer's press conference had quoted 各位记者朋友).
    press = bot_of(tmp_path, "新闻发布会实录\n\n各位记者朋友，大家上午好！今天发布新政策。\n", "p.txt")
    assert "delivery" not in press.ask("记者是谁？").reason


def test_a_library_asked_which_report_without_naming_one_gets_no_speaker(tmp_path) -> None:
    # Found by a helper: "这份报告是谁作的？" of six documents quoted an arbitrary report's header at 1.0.
    other = REPORT.replace("安平县", "安顺县").replace("王小明", "李大明")
    paths = [write(tmp_path / "a.txt", REPORT), write(tmp_path / "b.txt", other)]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    assert "delivery" not in bot.ask("这份报告是谁作的？").reason
    assert bot.ask("安顺县的报告是谁作的？").items[-1].text == "县长　李大明"


def test_an_articles_byline_answers_in_a_library_whose_first_passage_is_a_report(tmp_path) -> None:
    # Found by helpers: 这篇报道是谁写的？ of a library was refused when a report's passage came first.
    paths = [write(tmp_path / "r.txt", REPORT), write(tmp_path / "n.txt", NEWS)]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    answer = bot.ask("这篇报道是谁写的？")
    assert answer.reason["delivery"] == "writer" and answer.answer.startswith("本报讯（记者 林晓雯")
    assert answer.passages[0].document == "社区老年食堂正式开业"


NOTICE = """青山县农业农村局关于做好春耕备耕工作的通知

各乡镇：
现将有关事项通知如下。各乡镇要及时发布农业气象灾害预警信息。本通知自印发之日起执行。

青山县农业农村局
2026年2月20日
"""


def test_who_sent_a_notice_and_when_are_its_closing_lines(tmp_path) -> None:
    # Found by a helper: 这个通知是谁发的？ had been answered with 本通知自印发之日起执行。
    assert asks_sender("这个通知是谁发的？") == asks_sender("通知是什么时候发的？") == "通知"
    assert asks_sender("谁负责发布预警？") is None and asks_sender("通知什么时候发放补贴？") is None
    paths = [write(tmp_path / "r.txt", REPORT), write(tmp_path / "n.txt", NOTICE)]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    for question in ("这个通知是谁发的？", "通知是什么时候发的？", "落款是什么？"):
        answer = bot.ask(question)
        assert [i.text for i in answer.items] == ["青山县农业农村局", "2026年2月20日"], question
    assert "delivery" not in bot_of(tmp_path, REPORT).ask("这个文件是谁发的？").reason  # no closing lines


def test_a_notices_number_is_the_line_under_its_title(tmp_path) -> None:
    # Found by a helper: 垃圾分类通告的文号是多少？ had been refused (the number line is no sentence).
    assert asks_number("垃圾分类通告的文号是多少？") and asks_number("通告编号是多少")
    assert not asks_number("全市有多少个垃圾分类投放点？")
    assert not asks_number("个体工商户的字号有什么要求？")  # 字号: a shop's name (a reviewer's)
    numbered = NOTICE.replace("\n\n各乡镇：", "\n\n青农发〔2026〕5号\n\n各乡镇：")
    paths = [write(tmp_path / "r.txt", REPORT), write(tmp_path / "n.txt", numbered)]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    for question in ("这个通知的文号是多少？", "通知编号是多少？"):
        answer = bot.ask(question)
        assert answer.answer == "青农发〔2026〕5号" and answer.reason["delivery"] == "number", question
    assert "delivery" not in bot_of(tmp_path, NOTICE, "plain.txt").ask("文号是多少？").reason  # none written


def test_who_sent_it_is_read_under_the_title_after_a_closing_note_or_from_a_dateline(tmp_path) -> None:
    # Found by a helper: a notice closing with （此件公开发布）, a bulletin's sender lines under its title, a
    # news story's dateline, and rules passed by an owners' 大会 had none of them read.
    noted = NOTICE + "（此件公开发布）\n"
    bulletin = (
        "临江区2025年统计公报\n\n临江区统计局\n2026年3月18日\n\n一、综合\n全年地区生产总值586.4亿元。\n"
    )
    news = "江西外贸增长8.6%\n\n新华社南昌10月22日电（记者 李明）今年前三季度，江西进出口增长8.6%。\n"
    rules = (
        "锦华园小区物业管理规约\n\n第一条 为维护业主权益，制定本规约。\n\n锦华园小区业主大会\n2025年5月28日\n"
    )
    paths = [
        write(tmp_path / f"{n}.txt", t) for n, t in (("n", noted), ("b", bulletin), ("s", news), ("r", rules))
    ]
    bot = ReportQA.from_paths(paths, tmp_path / "ix", embedder=HashEmbedder())
    asked = {
        "这个通知是谁发的？": ["青山县农业农村局", "2026年2月20日"],
        "统计公报是谁发布的？": ["临江区统计局", "2026年3月18日"],
        "这篇新闻是哪天发的？": ["新华社南昌10月22日电"],
        "这个规约是谁发的？": ["锦华园小区业主大会", "2025年5月28日"],
    }
    for question, lines in asked.items():
        assert [i.text for i in bot.ask(question).items] == lines, question

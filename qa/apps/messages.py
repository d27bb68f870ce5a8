"""What a user of the page or the HTTP API reads, in Chinese: errors and the reasons of an answer.

The library raises and explains in English (its messages are for the CLI and the logs); the web
surfaces map them here, in one place, to a stable code and a Chinese sentence. A message no pattern
knows still gets a Chinese sentence (the generic one of its class), never the English text.
"""

from __future__ import annotations

import math
import re
from typing import Any

from qa.errors import DocumentError, QuestionError, ReportQAError
from qa.schema import Answer, DocumentInfo, Passage, document_noun

SUPPORTED = ".txt .md .html .pdf .docx"

# (pattern on the English message, code, Chinese template): the first match wins. ``{name}`` is the
# file or value the message starts with; other groups are the pattern's own named groups.
_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"^the question is empty"), "empty_question", "问题不能为空。"),
    (re.compile(r"^the question has no words"), "no_words", "问题里只有标点或符号，请写出想问的事。"),
    (
        re.compile(r"^the question names nothing"),
        "names_nothing",
        "问题里没有可以查找的内容，请写出想问的事，例如：去年财政收入多少？",
    ),
    (
        re.compile(r"^the question has (?P<n>\d+) characters; the limit is (?P<limit>\d+)"),
        "question_too_long",
        "问题有 {n} 个字，超过了 {limit} 字的上限。",
    ),
    (re.compile(r"^unknown filter '(?P<key>[^']*)'"), "unknown_filter", "不认识的筛选条件：{key}。"),
    (
        re.compile(r"^unknown level '(?P<name>[^']*)'"),
        "unknown_level",
        "不认识的层级：{name}（只能取 national、province、city、county、town）。",
    ),
    (re.compile(r"^year must be a whole number"), "bad_year", "年份要写成整数，例如 2024。"),
    (re.compile(r"^the question must be text"), "question_not_text", "问题要写成文字。"),
    (
        re.compile(r"^earlier_questions must be a list"),
        "bad_earlier_questions",
        "之前的问题要写成一个列表，每个问题一项。",
    ),
    (re.compile(r"^(?P<key>region|doc_id) must be text"), "bad_filter", "筛选条件 {key} 要写成文字。"),
    (re.compile(r"^(?P<key>region|doc_id) must not be empty"), "bad_filter", "筛选条件 {key} 不能为空。"),
    (
        re.compile(r"^k must be a whole number from 1 to (?P<name>\d+)"),
        "bad_k",
        "引用段落数 k 要是 1 到 {name} 的整数。",
    ),
    (re.compile(r"^period must be one of"), "bad_period", "时期只能是 plan（计划）或 review（回顾）。"),
    (re.compile(r"^a series needs an indicator"), "empty_indicator", "请给出指标名称，例如：国内生产总值。"),
    (
        re.compile(r"^no document with id '(?P<name>[^']*)'"),
        "not_found",
        "索引里没有这份文档（可能已被移除）。",
    ),
    (
        re.compile(r"^(?P<name>.+?) is the only document"),
        "last_document",
        "这是索引中唯一的文档，至少要保留一份。",
    ),
    (
        re.compile(r"^upload one file per request; (?P<n>\d+) were sent"),
        "one_file",
        "一次只能上传一个文件，这次收到了 {n} 个。",
    ),
    (re.compile(r"^(?P<name>.+?):? is empty$"), "empty_file", "{name}：文件是空的。"),
    (
        re.compile(r"^(?P<name>.+?) is not a PDF"),
        "not_pdf",
        "{name}：不是 PDF 文件（缺少 %PDF- 文件头），可能已损坏或扩展名不对。",
    ),
    (
        re.compile(r"^(?P<name>.+?) is a password-protected PDF"),
        "pdf_password",
        "{name}：PDF 有密码保护，请先去掉密码。",
    ),
    (re.compile(r"^(?P<name>.+?) is a corrupt PDF"), "pdf_corrupt", "{name}：PDF 文件已损坏，无法读取。"),
    (
        re.compile(r"^(?P<name>.+?) has no text layer"),
        "pdf_scanned",
        "{name}：PDF 没有文字层，可能是扫描件，需要先做文字识别（OCR）。",
    ),
    (
        re.compile(r"^(?P<name>.+?) has (?P<n>\d+) pages; the limit is (?P<limit>\d+)"),
        "pdf_too_long",
        "{name}：PDF 有 {n} 页，上限是 {limit} 页，请拆分后再上传。",
    ),
    (
        re.compile(r"^(?P<name>.+?): reading its text took over"),
        "pdf_too_slow",
        "{name}：PDF 结构太复杂，读取超时，请先另存为文本或 .docx。",
    ),
    (
        re.compile(r"^(?P<name>.+?) is (?P<size>[\d.]+ MB); the upload limit is (?P<limit>[\d.]+) MB"),
        "file_too_large",
        "{name}：文件大小 {size}，超过了 {limit} MB 的上传上限。",
    ),
    (
        re.compile(r"^cannot listen on (?P<name>\S+): in use$"),
        "port_in_use",
        "{name} 已被占用，请换一个端口（--port）。",
    ),
    (
        re.compile(r"^cannot listen on (?P<name>\S+): (?P<why>.*)"),
        "port_unavailable",
        "无法在 {name} 上监听（{why}），请换一个端口（--port）或地址（--host）。",
    ),
    (
        re.compile(r"^(?P<name>.+?) holds index format"),
        "index_format",
        "{name}：索引是另一个版本的格式，请用 report-qa index 加 --rebuild 重建。",
    ),
    (
        re.compile(r"^(?P<name>.+?) holds no index"),
        "no_index",
        "{name}：这里还没有索引，请先用 report-qa index 建立，或用 --docs 直接读文件。",
    ),
    (
        # Not every "X holds …": an index of another format had been called a .docx zip bomb.
        re.compile(r"^(?P<name>.+?) (?:holds \d+ files inside; a \.docx|would unpack to)"),
        "docx_too_large",
        "{name}：.docx 解压后过大，已拒绝（可能是压缩炸弹）。",
    ),
    (
        re.compile(r"^(?P<name>.+?) is not a (?:valid|readable) \.docx"),
        "not_docx",
        "{name}：不是有效的 .docx 文件。",
    ),
    (
        re.compile(r"^(?P<name>.+?) looks like a binary file"),
        "not_text",
        "{name}：看起来是二进制文件，不是文本。",
    ),
    (
        re.compile(r"^(?P<name>.+?): unsupported file type"),
        "unsupported_type",
        "{name}：不支持这种文件类型（支持 " + SUPPORTED + "）。",
    ),
    (re.compile(r"^(?P<name>.+?) could not be (?:read|parsed)"), "unreadable", "{name}：无法读取这个文件。"),
    (re.compile(r"^(?P<name>.+?) has no text after cleaning"), "no_text", "{name}：文件里没有可用的正文。"),
]

_GENERIC: list[tuple[type[ReportQAError], str, str]] = [
    (QuestionError, "bad_question", "这个问题无法处理，请换个说法。"),
    (DocumentError, "bad_document", "这个文件无法加入索引。"),
    (ReportQAError, "bad_request", "请求无法处理。"),
]


def _explained(exc: ReportQAError) -> tuple[str, str, bool]:
    """(stable code, Chinese message, whether the message says all the English does)."""
    text = str(exc)
    for pattern, code, template in _PATTERNS:
        match = pattern.search(text)
        if match:
            said = all(f"{{{group}}}" in template for group in match.groupdict())
            return code, template.format(**match.groupdict()), said
    return next((code, message, False) for kind, code, message in _GENERIC if isinstance(exc, kind))


def explain_error(exc: ReportQAError) -> tuple[str, str]:
    """(stable code, Chinese message) for a library error."""
    return _explained(exc)[:2]


def error_line(exc: Exception) -> str:
    """A refused command's one line for a terminal: the Chinese message, and the library's English
    (which names the file or value) in brackets where the message does not say it all (问题不能为空。
    had been followed by （the question is empty））."""
    if not isinstance(exc, ReportQAError):
        return str(exc)
    _, message, said = _explained(exc)
    return message if said else f"{message}（{exc}）"


# ---------------------------------------------------------------- why an answer is what it is

_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_START = re.compile(r"[A-Za-z]")
_YEARS = re.compile(r"the report covers (?P<first>\d{4})[–-](?P<last>\d{4}), not (?P<asked>\d{4})")
_PLANNED_ONLY = re.compile(r"the report reviews (?P<reviewed>\d{4}), and plans (?P<asked>\d{4}) only")
_REVIEWED_ONLY = re.compile(r"the report reviews (?P<asked>\d{4}), and sets no target for it")
_UNNAMED_YEARS = re.compile(r"the document never speaks of (?P<asked>[\d/]+)")
_UNNAMED_THINGS = re.compile(r"the document never names (?P<asked>\S+)")
_UNNAMED_ANYWHERE = re.compile(r"no document of the library names (?P<asked>.+)")
_OTHER_YEARS = re.compile(r"the sentences found tell of (?P<told>[\d/]+), not (?P<asked>[\d/]+)")
_SEVERAL_YEARS = re.compile(r"the sentence found gives figures of (?P<word>\S+), not of one year")
_OTHER_UNIT = re.compile(
    r"the sentence found gives “(?P<clause>.+)”, not "  # the clause may quote a name (“云岭毛尖”)
    r"(?:a figure in (?P<unit>\S+)|(?P<sum>a sum of money))"
)
_OTHER_PLACES = re.compile(r"the sentence found speaks of (?P<told>\S+), not (?P<asked>\S+)")
_FEWER_ITEMS = re.compile(r"the answer before lists only (?P<count>\d+) items")
_FEWER_PARTS = re.compile(r"the document has only (?P<count>\d+) (?P<kind>\S+)")
_NONE_COMPARED = re.compile(r"none of the (?P<count>\d+) figures stated is (?P<asked>\S+)")
NOT_FOUND_REASONS = {
    "nothing indexed matches the filters": "所选筛选条件下没有文档，可以放宽筛选。",
    "no sentence of the report is likely to answer the question": "报告里没有哪一句话能可靠地回答这个问题。",
    "the sentence found gives no figure": "找到的句子没有给出数字。",
    "the sentence found gives no date": "找到的句子没有给出时间。",
    "only the sentence quoted for the question before was found": (
        "只找到上一个问题引用的那句话，它没有说到这次问的内容。"
    ),
}


def not_found_reason(reason: dict[str, Any], noun: str = "报告") -> str:
    """Why the reports do not answer, in Chinese (``Answer.reason``); ``noun`` names the documents
    searched (``document_noun``) where the reason is no report's own (a year it reviews)."""
    because = str(reason.get("not_found_because") or "")
    place = _OTHER_PLACES.search(because)  # before the Chinese passthrough: it names places
    if place:
        return f"找到的句子说的是{place['told']}，不是{place['asked']}。"
    compared = _NONE_COMPARED.search(because)  # before the Chinese passthrough: it names 高于5%
    if compared:
        return f"{compared['count']}份报告给出了这个数字，没有一个{compared['asked']}。"
    several = _SEVERAL_YEARS.search(because)  # before the Chinese passthrough: it names 年均
    if several:
        return f"找到的句子给出的是{several['word']}的数字，不是一年的。"
    unit = _OTHER_UNIT.search(because)  # before the Chinese passthrough: it quotes the clause
    if unit:
        wanted = "金额" if unit["sum"] else f"以{unit['unit']}计的数"
        return f"找到的句子给的是“{unit['clause']}”，没有{wanted}。"
    anywhere = _UNNAMED_ANYWHERE.search(because)  # 哪些报告提到了…？ of none
    if anywhere:
        return f"资料库里没有一份{noun}提到{anywhere['asked']}。"
    things = _UNNAMED_THINGS.search(because)  # before the Chinese passthrough: it names them
    if things:
        return f"{noun}里没有提到{things['asked']}。"
    items = _FEWER_ITEMS.search(because)
    if items:
        count = int(items["count"])
        return f"上一个回答只列了{count}项。" if count else "上一个回答没有列出条目，请写出想问的内容。"
    fewer = _FEWER_PARTS.search(because)  # before the Chinese passthrough: it names 部分
    if fewer:
        kind = "个部分" if fewer["kind"] == "部分" else fewer["kind"]
        return f"{noun}只有{fewer['count']}{kind}。"
    if reason.get("missing_report") or (_CHINESE.search(because) and not _ENGLISH_START.match(because)):
        # The coverage rule writes Chinese already: 没有2025年广东省的报告；有：… (an English reason
        # quoting Chinese words is no such one: it falls through to a Chinese message below).
        return _sentence_end(because)
    years = _YEARS.search(because)
    if years:
        return f"报告涵盖{years['first']}–{years['last']}年，不含{years['asked']}年。"
    planned = _PLANNED_ONLY.search(because)
    if planned:
        return f"报告回顾的是{planned['reviewed']}年；{planned['asked']}年只有目标，还没有结果。"
    reviewed = _REVIEWED_ONLY.search(because)
    if reviewed:
        year = reviewed["asked"]
        return f"报告回顾的是{year}年的结果；{year}年的目标要看{year}年的政府工作报告。"
    unnamed = _UNNAMED_YEARS.search(because)
    if unnamed:
        return f"文档中没有提到{unnamed['asked']}年。"
    other = _OTHER_YEARS.search(because)
    if other:
        return f"找到的句子说的是{other['told']}年的情况，不是{other['asked']}年的。"
    shown = NOT_FOUND_REASONS.get(because, "报告里没有找到能回答这个问题的句子。")
    return noun + shown[2:] if shown.startswith("报告里") else shown


# The level of government a question named (镇里, 全省), as a scope note says it.
_LEVEL_NAMES = {
    "national": "国务院",
    "province": "省一级",
    "city": "市一级",
    "county": "县一级",
    "town": "乡镇一级",
}
# Reports named in a scope note; past this many, "等N份".
_SCOPE_TITLES = 3


def _shown(titles: list[str]) -> str:
    """Titles in a note: the first few, then 等N份."""
    more = f"等{len(titles)}份" if len(titles) > _SCOPE_TITLES else ""
    return "、".join(titles[:_SCOPE_TITLES]) + more


def _preferred(scope: dict[str, Any]) -> tuple[str, str]:
    """Which reports were looked in first ("最新的乡镇一级", their titles), from ``reason["scope"]``
    and ``reason["scope_level"]`` (or the same keys of ``reason["scope_missed"]``)."""
    kind, _, titles = str(scope.get("scope", "")).partition(": ")
    newest = {"the newest": "最新的", "the earliest": "最早的"}.get(kind.rsplit(" ", 1)[0], "")
    return newest + _LEVEL_NAMES.get(str(scope.get("scope_level")), ""), _shown(titles.split("、"))


def scope_notes(reason: dict[str, Any]) -> list[str]:
    """Notes on where an answer was looked for (the newest report, or the reports of the level of
    government the question named, and whether the answer came from elsewhere; the State Council's
    report of a year named without a region; the reports covering the years asked about), in Chinese."""
    notes = []
    if reason.get("mentions", {}).get("documents"):  # 哪些报告提到了…？: which, and how often
        topic, named = reason["mentions"]["topic"], reason["mentions"]["documents"]
        each = "、".join(f"《{title}》{count}处" for title, count in named)
        notes.append(f"提到“{topic}”的共{len(named)}份：{each}；每份摘录第一处，按原文顺序，不是概括。")
    elif reason.get("mentions"):  # 关于教育说了什么？: what it says is where it says it
        topic, count = reason["mentions"]["topic"], reason["mentions"]["count"]
        shown = f"共{count}处，以下是前{len(range(min(count, 10)))}处" if count > 10 else f"共{count}处"
        # Which document: a library's other documents may name it too (a helper read 共4处 as all).
        where = f"《{reason['mentions']['document']}》" if reason["mentions"].get("document") else "原文"
        notes.append(f"这里摘录{where}中提到“{topic}”的句子（{shown}），按原文顺序，不是概括。")
    if reason.get("outline") == "summary":  # 总结一下这份报告: no sentence sums it up
        notes.append("这里只摘录原文，不能概括全文；以下是各部分的标题，可以接着问其中一部分。")
    if reason.get("parts_not_found"):
        notes.append(f"第{'、'.join(map(str, reason['parts_not_found']))}问没有找到答案，见下文。")
    if reason.get("scope"):
        which, titles = _preferred(reason)
        unnamed = "" if reason.get("scope_asked") else "问题没有指明哪份报告，"
        notes.append(f"{unnamed}按{which}报告回答：{titles}。")
    series = reason.get("series") or {}
    if series.get("extreme"):  # 哪一年…最低: the quotes are the reports' own, the ranking is ours
        which = "最高" if series["extreme"] == "highest" else "最低"
        notes.append(f"{series['of']}份报告给出了这个数字，以下是其中{which}的。")
    places = reason.get("other_places") or {}
    if places:  # 省里… in a library of several provinces: one of them is quoted
        others = [str(p) for p in places["others"]]
        more = f"等{len(others)}地" if len(others) > _SCOPE_TITLES else ""
        notes.append(
            f"以下回答出自{places['quoted']}的报告；{'、'.join(others[:_SCOPE_TITLES])}{more}的报告"
            "可能另有说法，在问题里写明地名可只查那里。"
        )
    # A refusal quotes nothing: its nearest passages, not an answer, come from the other reports.
    shown = "最相近的段落" if reason.get("not_found_because") else "以下回答"
    if reason.get("scope_missed"):
        which, titles = _preferred(reason["scope_missed"])
        notes.append(f"{which}报告（{titles}）里没有找到，{shown}来自其他报告。")
    if reason.get("level_lacking") in _LEVEL_NAMES:
        notes.append(f"资料库里没有{_LEVEL_NAMES[reason['level_lacking']]}的报告，{shown}来自其他报告。")
    if reason.get("level_not_covering") in _LEVEL_NAMES:  # 2025年全国…, the State Council's of other years
        level = _LEVEL_NAMES[reason["level_not_covering"]]
        notes.append(f"资料库里{level}的报告都不涵盖问的年份，{shown}来自其他报告。")
    national = [str(t) for t in reason.get("national_by_title", [])]
    if national:
        notes.append(f"问题没有写地区，按通常的说法，这一年的政府工作报告指国务院的：{'、'.join(national)}。")
    years_scope = reason.get("years_scope") or {}
    reports = [str(t) for t in years_scope.get("reports", [])]
    if reports:
        years = "、".join(f"{y}年" for y in years_scope.get("years", []))
        undated = "，以及没有写明年份的文档" if years_scope.get("undated") else ""
        noun = document_noun(reports)  # a library of notices: 只在涵盖这一时间的文档中查找
        notes.append(f"问题问的是{years}，只在涵盖这一时间的{noun}中查找：{_shown(reports)}{undated}。")
    return notes


def search_scored(answer: Answer, passage: Passage) -> bool:
    """Whether a cited passage came from the search, so its score means something: not a series
    answer's sentence, nor a part's heading or a list's item looked up (they had read 得分 0.0000
    beside 把握 100%)."""
    looked_up = ":part:" in passage.passage_id or ":item:" in passage.passage_id
    return "series" not in answer.reason and not looked_up


def shown_confidence(confidence: float) -> float:
    """A confidence as the page and the terminal show it: rounded down to hundredths, so a value
    under a floor never reads as the floor (0.4974 next to 可能相关 read "50%")."""
    return math.floor(confidence * 100 + 1e-9) / 100


def _sentence_end(text: str) -> str:
    """``text`` ending as a sentence does (a reason that lists reports ends on a title: the terminal
    ran it into 最相近的段落：)."""
    return text if not text or text.endswith(("。", "！", "？", ".", "!", "?")) else text + "。"


def namesake_note(twins: list[DocumentInfo]) -> str:
    """What an upload says when the index holds other documents of its title."""
    held = "、".join(d.source for d in twins)
    return f"索引里已有同标题的文档（{held}），两份都会被检索；如果这是修订版，请删除旧的那份。"

"""A question about a numbered part of a document ("第五章讲的是什么？", "第二节主要写了什么？",
"第十一条规定了什么？"): its heading line is the answer, quoted (an article's line is its text), and its
subsections or the items its line announces are the items. Headings are no candidate sentences (one
quoted for "今年的发展目标是什么？" answered nothing), so such a question found only headings and was
refused, though the part it names is there to read; an article asked by its number alone was refused
or answered with another article (6 of 6, a helper found)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace

from qa.ingest.structure import Section
from qa.pipeline.places import places_in
from qa.schema import Passage
from qa.text.normalize import normalize
from qa.text.numerals import parse_numeral
from qa.text.words import cut_words

# A part named by its number and asked what it holds.
_PART = re.compile(r"第([一二三四五六七八九十百零〇两\d]{1,4})(章|节|部分|编|条)")
_ASKS_WHAT = re.compile(r"讲|写|是什么|内容|关于|主要|哪些|什么|说|规定")


# "报告分为哪几个部分？", "一共几部分？", "报告的结构是怎样的？": the document's parts.
_ASKS_PARTS = re.compile(r"(?:哪|几)[几些]?个?(?:大)?部分|(?:报告|文件|文档|全文)的?(?:结构|框架)")
# "总结一下", "主要内容是什么", "报告讲了什么": a summary of the whole, which no sentence of it quotes.
_SUMMARY = re.compile(
    r"(?:总结|概括|归纳|简述)(?:一下)?(?:主要)?(?:内容)?|主要(?:内容|(?:讲|说|写)了?(?:些)?(?:什么|啥))"
    r"(?:是什么|有哪些)?|(?:讲|说|写)了?(?:些)?(?:什么|啥)(?:内容)?"
)
_DOCUMENT = re.compile(r"报告|文件|文档|文章|全文")
# What a question about the whole document says besides its summary word: which one, and politeness.
_OF_THE_DOCUMENT = re.compile(
    r"这份|这篇|这个|本|该|整个|整篇|全篇|全文|政府工作|工作|报告|文件|文档|文章|的|请|帮我|给我|你|能|可以|吗|呢|一下"
    r"|(?:19|20)\d\d年|[\W_]"
)


def asks_outline(question: str) -> str | None:
    """ "parts" for a question asking which parts the document has; "summary" for one asking it
    summed up (总结一下这份报告, 报告主要讲了什么), which the document's part headings answer as
    nearly as its own words can; else None. ``question`` is normalized."""
    if _ASKS_PARTS.search(question) and not _PART.search(question):
        return "parts"
    if not _SUMMARY.search(question):  # most questions: no place look-up (an analysis) for them
        return None
    rest = question
    for place in places_in(question, cities=True):
        rest = rest.replace(place, "")
    rest = _OF_THE_DOCUMENT.sub("", rest)
    summary = rest and _SUMMARY.fullmatch(rest)
    # "讲了什么" alone names no document ("内容是什么？" in a chat asks about the topic before).
    if summary and (_DOCUMENT.search(question) or not rest.startswith(("讲", "说", "写"))):
        return "summary"
    return None


# "今年的重点工作有哪些？": a list asked by what a heading of the document names (三、2026年重点工作).
# "重点做好哪些工作？" names its heading's noun after the question word (三、2026年的重点工作).
_ASKS_LIST = re.compile(
    r"(?:有|包括|包含|是)?(?:哪些|哪几个?方面|哪几项)(?:方面|内容|(?P<noun>工作|任务|举措|措施))?[?？。!！\s]*$"
)
_DOING = re.compile(r"(?:做好|抓好|做|开展|推进|安排|部署)$")  # the verb before that noun: 重点做好 -> 重点
# Words of a list question that no heading is titled by: its time, and words around the name.
_NOT_TITLED = re.compile(
    r"今年|本年|(?:19|20)\d\d年?|的|主要|都|一共|具体|要|将|我们|咱们|省里|市里|县里|镇里|[\W_]"
)
# A question of another year than the one planned: its list is the review's, which headings name otherwise.
# (A year written out is checked against the heading's: ``fits_years``.)
_OTHER_TIME = re.compile(r"去年|上年|前年|过去|一年来|五年来|明年")
_YEAR = re.compile(r"(?:19|20)\d\d")
_PAST = re.compile(r"去年|上年|前年|过去|以来")
MIN_TITLE_WORDS = 3  # 重点工作, 民生实事: two characters (工作, 措施) name every part alike


# "需要什么材料？", "要满足哪些条件？", "办理流程是什么？": what a guide lists under a heading (四、申请材料,
# 六、办理流程), asked by its noun (a helper's guide had been answered with its 事项名称 or one step).
_ASKS_NEEDED = re.compile(
    r"(?:需要|要|得|须|应该?)(?:带|交|提供|准备|提交|满足|具备|符合|走|经过)?(?:哪些|什么|啥)(?P<x>[\u4e00-\u9fff]{2,6}?)"
    r"(?:呢|啊)?[?？。!！\s]*$"
    r"|(?P<y>[\u4e00-\u9fff]{0,4}(?:流程|步骤|程序|条件|材料))(?:是|有)(?:什么|哪些|怎样的?)[?？。!！\s]*$"
)
# The nouns a guide's headings are titled by, each with the words people use for it (带什么东西 asks
# for its 所需材料; 步骤 for its 办理流程).
_LISTED_NOUNS = (("材料", "资料", "证件", "东西"), ("条件",), ("流程", "步骤", "程序"))
# "收费吗？", "多久能办好？", "在哪里办？", "怎么办理？": what a guide says under a labelled heading
# (七、收费标准, 六、办理时限, 八、办理地点, 五、办理流程), asked without its noun (a helper's service
# questions with the service named had been answered with the guide's 事项名称 line or its preamble).
_ASKS_LABEL = (
    (
        re.compile(
            r"收费吗|收不收费|(?:要不要|需不需要)(?:交|花)?钱|要(?:交|花)?钱吗|收钱吗|(?:收|交|花)多少(?:钱|费)"
            r"|费用(?:是)?多少|多少费用|有(?:什么)?费用吗"
        ),
        ("收费", "费用"),
    ),
    (re.compile(r"多久|多长时间|几天|几个工作日|时限"), ("时限", "时间要求", "办结")),
    (
        re.compile(r"(?:在|去|到)哪(?:里|儿)?(?:办|申请|交|提交|递交)|办理地点|地址在哪|地址是"),
        ("地点", "地址", "窗口"),
    ),
    (
        re.compile(r"电话(?:是|号码)?(?:多少|几号)|(?:咨询|联系)(?:电话|方式)|怎么联系"),
        ("咨询电话", "联系电话", "联系方式", "电话"),
    ),
    (
        re.compile(r"(?:怎么|怎样|如何)(?:办理|申请|申报|办(?=[?？吗呢]|$))|几个步骤|哪几步"),
        ("流程", "步骤", "程序"),
    ),
)
# A guide's label (五、所需材料, 【受理窗口】, 七、收费标准): its words open or close a short title; a
# heading that names them in a phrase (第六条 相关费用的承担, 第六章 终止程序及附则) is none.
_LABEL_WORDS = frozenset(w for g in (*_LISTED_NOUNS, *(words for _, words in _ASKS_LABEL)) for w in g)
LABEL_LENGTH = 8
_NUMBERING = re.compile(r"^[（(【\[]?(?:第?[一二三四五六七八九十百\d]+[、.．）)条章节部分]?\s*)?|[】\]）)]$")


def titled_list(question: str) -> tuple[str, ...] | None:
    """The words a heading answering ``question`` would be titled by, most specific first
    ("江苏今年的重点工作有哪些？" -> 重点工作; "申请条件是什么？" -> 申请条件, 条件; "收费吗？" -> 收费,
    费用), or None for any other question. ``question`` is normalized."""
    needed = _ASKS_NEEDED.search(question)
    if needed:
        noun = needed.group("x") or needed.group("y")
        group = next((g for g in _LISTED_NOUNS for n in g if noun.endswith(n)), ())
        if len(noun) >= MIN_TITLE_WORDS or group:
            words = (noun,) if len(noun) >= MIN_TITLE_WORDS else ()
            return tuple(dict.fromkeys((*words, *(n for n in group if noun.endswith(n)), *group)))
    label = next((words for asks, words in _ASKS_LABEL if asks.search(question)), None)
    if label:
        return label
    found = _ASKS_LIST.search(question)
    if found is None or _OTHER_TIME.search(question):
        return None
    rest = question[: found.start()]
    if found.group("noun"):
        rest = _DOING.sub("", rest) + found.group("noun")
    for place in places_in(rest, cities=True):
        rest = rest.replace(place, "")
    rest = _NOT_TITLED.sub("", rest)
    return (rest,) if len(rest) >= MIN_TITLE_WORDS else None


def fits_years(question: str, section: Section) -> bool:
    """Whether the years ``question`` writes out are those of ``section``'s headings: 2025年重点工作有哪些？
    is no question for 三、2026年重点工作, nor for a heading naming no year (二、今年重点工作)."""
    asked = set(_YEAR.findall(question))
    return not asked or bool(asked & set(_YEAR.findall(" ".join(section.path))))


def section_titled(
    sections: list[Section], words: tuple[str, ...], parents_only: bool = True
) -> Section | None:
    """The outermost section titled by the first of ``words`` that titles any (``_titles``) and that
    has subsections (or none, when not ``parents_only``: a guide's 五、所需材料 lists its items in
    running text), or None."""
    for word in words:
        titled = [s for s in sections if _titles(normalize(s.title), word)]
        if parents_only:
            titled = [
                s
                for s in titled
                if any(c.level == s.level + 1 and s.start < c.start < s.end for c in sections)
            ]
        if titled:
            return min(titled, key=lambda s: (s.level, s.start))
    return None


def names_title(question: str, title: str, asked: tuple[str, ...] = ()) -> bool:
    """Whether ``question`` (normalized) names the document titled ``title`` by two characters of one
    of its words that asks for no heading of ``asked`` (个体 of 个体户 in …个体工商户…指引, not 收费 of
    收费吗)."""
    words = [w for w in cut_words(question) if len(w) > 1 and not any(a in w or w in a for a in asked)]
    title = normalize(title)
    return any(w[i : i + 2] in title for w in words for i in range(len(w) - 1))


def asks_label(words: tuple[str, ...]) -> bool:
    """Whether ``titled_list``'s ``words`` ask for a guide's label (材料, 收费, 办理时限) rather than a
    report's list (重点工作)."""
    return any(word in _LABEL_WORDS for word in words)


def asks_the_past(question: str) -> bool:
    """Whether ``question`` (normalized) asks of the past (去年, 上年, 过去): of what a report says
    happened, not of a guide's label."""
    return bool(_PAST.search(question))


def names_a_time(question: str) -> bool:
    """Whether ``question`` (normalized) names a year or a time word: 去年个体工商户登记时间压缩到几天？ asks
    of what a report says happened, not of a guide's 办理时限."""
    return bool(_YEAR.search(question) or _OTHER_TIME.search(question) or "今年" in question)


def _titles(title: str, word: str) -> bool:
    """Whether a heading's ``title`` (normalized) is titled by ``word``: holds it, or, for a guide's
    label word, opens or closes with it within ``LABEL_LENGTH`` characters, its numbering aside."""
    if word not in _LABEL_WORDS:
        return word in title
    core = _NUMBERING.sub("", title).strip()
    return len(core) <= LABEL_LENGTH and (core.startswith(word) or core.endswith(word))


def asked_part(question: str) -> list[tuple[int, str]]:
    """(number, kind word) of each numbered part a question names, outermost first ("第二章第二节"),
    when it asks what the last of them holds; else []."""
    found = list(_PART.finditer(question))
    if not found or not _ASKS_WHAT.search(question[found[-1].end() :]):
        return []
    try:
        return [(int(parse_numeral(m.group(1))), m.group(2)) for m in found]
    except ValueError:
        return []


def part_named(sections: list[Section], parts: list[tuple[int, str]]) -> Section | None:
    """The section so numbered (第五章 …; 第二节 within 第二章 for "第二章第二节"; 第三部分 of a
    report whose parts are headed 一、二、三、: the third of them), or None."""
    scope: Section | None = None
    for number, word in parts:
        inside = [s for s in sections if scope is None or scope.start < s.start < scope.end]
        scope = next((s for s in _of_kind(inside, word) if s.number == number), None)
        if scope is None:
            return None
    return scope


def part_count(sections: list[Section], parts: list[tuple[int, str]]) -> int | None:
    """How many parts of the asked kind the document has, when it has some and fewer than the one
    asked (第五部分 of a report of three): a fact the user can check; else None."""
    if len(parts) != 1:
        return None
    number, word = parts[0]
    numbers = [s.number for s in _of_kind(sections, word) if s.number is not None]
    return len(numbers) if numbers and max(numbers) < number else None


def _of_kind(sections: list[Section], word: str) -> list[Section]:
    """The sections titled 第N{word}, each with its number; for 部分 in a document that has none so
    titled, its outermost numbered sections (一、二、三、 of a work report)."""
    titled = re.compile(rf"^第([一二三四五六七八九十百零〇两\d]{{1,4}}){word}")
    found = []
    for section in sections:
        match = titled.match(section.title)
        with contextlib.suppress(ValueError):
            if match:
                found.append(replace(section, number=int(parse_numeral(match.group(1)))))
    if found or word != "部分" or not sections:
        return found
    outermost = min(s.level for s in sections)
    return [s for s in sections if s.level == outermost and s.number is not None and s.kind != "bare"]


def part_passage(top: Passage, text: str, section: Section) -> Passage:
    """The heading line of ``section`` as a cited passage of ``top``'s document, marked whole."""
    line_end = text.find("\n", section.start, section.end)
    end = section.end if line_end < 0 else line_end
    return top.with_(
        section=list(section.path),
        start=section.start,
        end=end,
        text=text[section.start : end],
        highlight=(0, end - section.start),
        passage_id=f"{top.doc_id}:part:{section.start}",
    )

"""Metadata of a report: title, issuer, region, year, date, level and review year.

Inferred from the cleaned text and the page-header fields that ``qa.ingest.cleaning`` removed, and
overridden by a sidecar ``<file>.meta.json`` holding any of ``META_FIELDS`` (``qa.ingest.sidecar``).

``year`` is the year printed in the report's title: ``紫帽镇人民政府2022年工作报告`` -> 2022, and
``2024年政府工作报告`` -> 2024 even though that national report reviews 2023 (it is delivered in March
2024). This follows how reports are titled and cited, and agrees with the ``year`` field of the reference
set in ``shared/datasets/gov_reports``. Without a year in the title the delivery year stands in (it is
what national and provincial titles print): the year of the ``——2024年3月5日在…会议上`` line, else the
year after a ``2023年工作回顾`` heading, else the header's publication date, else a year in the file name.

``display_title`` names a report for readers with its year and issuer: a bare ``政府工作报告`` (or a file
name, where no title was printed) becomes ``2024年国务院政府工作报告``; a title that already carries both
(``紫帽镇人民政府2022年工作报告``) stays as printed, which ``raw_title`` keeps in any case.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from qa.ingest.cleaning import SALUTATION, SPEECH_DATE
from qa.ingest.senders import ORGAN_LINE, closing_fields, dateline_agency, sender_lines
from qa.schema import Level
from qa.text.normalize import CJK_RANGES
from qa.text.numerals import parse_numeral
from qa.text.years import title_span

__all__ = ["META_FIELDS", "display_title", "infer_metadata", "review_year"]

META_FIELDS = ("title", "issuer", "region", "year", "date", "level", "review_year")

_UNIT = r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省|市|州|盟|县|区|旗|镇|乡)"
_REGION = rf"[{CJK_RANGES}]{{1,20}}?{_UNIT}"
# Unit words that the region pattern can match on their own ("自治" + "区"): not a named region.
_BARE_UNITS = {"特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "街道", "新区", "城区", "市区"}
# A sender of its government or one of its departments (青溪县人民政府, 青溪县农业农村局: a county's notice
# had no region and was left out of its questions). A 社区 or 小区 ends like a district and is none.
_GOVERNMENT_OF = re.compile(
    rf"(?P<r>{_REGION})(?<!社区)(?<!小区)(?<!园区)(?<!景区)(?<!校区)"
    rf"(?:人民政府|[{CJK_RANGES}]{{1,14}}?(?:局|厅|委员会|办公室|署))"
)
_HEAD_OF = "(?:省长|市长|县长|区长|镇长|乡长|主席|旗长|州长)"  # the speaker line: 福建省人民政府省长 赵龙
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
_TITLE_WORDS = (
    "工作报告",
    "报告",
    "规划",
    "纲要",
    "意见",
    "通知",
    "通告",
    "公告",
    "决定",
    "方案",
    "公报",
    "办法",
    "讲话",
)
# The State Council speaking (受国务院委托, 代表国务院), not a text citing it: a local regulation opens
# with "根据国务院《城市绿化条例》", and was read as a national report.
_NATIONAL = re.compile(
    r"国务院总理|(?:代表|受)[^，。]{0,8}国务院|国务院(?:的|已经|已)?(?:决定|委托)|全国人民代表大会"
)
# How far the State Council's voice is looked for when nothing named the issuer: 1985's report opens
# with a page on the year's achievements and first says "国务院已经决定" some 6,000 characters in.
_NATIONAL_WINDOW = 20000
# Fields of a page's header (证券简称：启衡智控　公告编号：2024-018): two labels with their values, or one
# that numbers or dates the paper; not a headline with a colon (解读：2024年政府工作报告中的…).
_FIELD_LINE = re.compile(r"[：:]\s*\S+\s+\S{2,8}[：:]|(?:编号|文号|代码|简称|日期|时间)[：:]")
_DASH_START = re.compile(r"^[—―－\-]{1,2}|^[（(]")  # a subtitle or speech line, not a title
# A title naming the nation as its subject (国务院…, 2024年全国…), not one that only ranks against it: a
# news headline "安徽新能源汽车产量连续两年居全国首位" had made the story a State Council document.
_NATIONAL_TITLE = re.compile(r"国务院|中华人民共和国|^(?:\d{4}\s*年度?)?全国")
_REVIEW_HEADING = re.compile(r"(?m)^.{0,6}?(\d{4})\s*年(?:国内)?工作(?:的)?回顾")
# A year's plan or budget (1965年计划草案, 1981年国民经济计划, 1982年经济和社会发展计划, 1965年国家预算).
_YEAR_PLAN = re.compile(
    r"(?<![\d〇○零一二三四五六七八九])(\d{4}|[一二][〇○零一二三四五六七八九]{3})\s*年"
    r"(?:的)?(?:国民经济|经济)?(?:和社会发展)?(?:的)?(?:年度)?(?:国家)?(?:计划|预算)"
)


def infer_metadata(text: str, fields: dict[str, str], stem: str) -> dict[str, Any]:
    """Title, issuer, region, year, date and level from the text and the page-header fields."""
    lines = [line for line in text.split("\n") if line]
    # An official document's sender and date close it (落款): what a page header would say.
    fields = closing_fields(text) | fields
    head = _head(lines)
    head_text = "".join(head)  # a speech line may be broken over two lines
    opening = text[:3000]

    title_found = _infer_title(head)
    title = title_found or stem
    if title_found:
        fields = sender_lines(head, title_found) | fields
    region, level = _infer_region(title_found or "", head, head_text, text, fields)
    issuer = _infer_issuer(title_found or "", head, opening, fields, region, level)

    speech = SPEECH_DATE.search(head_text)
    speech_date = _date(speech.group("y"), speech.group("m"), speech.group("d")) if speech else None
    header_date = next(
        (d for label in ("成文日期", "公文生成日期", "发布日期", "生成日期", "发布时间", "日期", "时间")
         if label in fields and (d := _parse_date(fields[label]))),
        None,
    )  # fmt: skip
    date = header_date or speech_date

    span = title_span(title_found or "")  # a plan of 2025—2027年 is of its first year, when it is issued
    year = span.start if span else _year_in(title_found or "")
    if year is None and speech_date:
        year = int(speech_date[:4])
    if year is None:
        review = _REVIEW_HEADING.search(text[:5000])
        year = int(review.group(1)) + 1 if review else None  # a report reviews the year before its own
    if year is None and header_date:
        year = int(header_date[:4])
    if year is None:
        year = _year_in(stem, suffix="")
    return {"title": title, "issuer": issuer, "region": region, "year": year, "date": date, "level": level}


def review_year(text: str, date: str | None, year: int | None, level: Level | None) -> int | None:
    """The year the report looks back on: its "N年工作回顾" heading, else the year before an
    early-in-the-year delivery date (reports are delivered in January-March), else ``year`` when
    the text lays out the plan of the year after it, else the year before a State Council report's
    title year (it is titled by delivery), else ``year``."""
    heading = _REVIEW_HEADING.search(text[:20000])
    if heading:
        return int(heading.group(1))
    if date:
        return int(date[:4]) - 1 if int(date[5:7]) <= 6 else int(date[:4])
    if year is not None and year + 1 in _plan_years(text):
        # A report that lays out the next year's plan was given late in its own year and looks back
        # on that year: 1964's (December), 1980's, 1981's and 1982's.
        return year
    if year is not None and level == "national":
        return year - 1
    return year


def _plan_years(text: str) -> set[int]:
    """The years whose plan or budget ``text`` names."""
    years = set()
    for written in _YEAR_PLAN.findall(text):
        try:
            years.add(int(written) if written.isdigit() else int(parse_numeral(written)))
        except ValueError:
            continue
    return years


# A title that names no one but the genre: the year and issuer are put in front of these only, so a
# 规划 or 通知 keeps the title it was given.
_BARE_REPORT_TITLE = re.compile(r"(?:人民)?政府工作报告(?:[（(][^）)]{1,8}[）)])?|工作报告")
_YEAR_PREFIX = re.compile(r"^\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?")
_REGION_UNIT = re.compile(
    r"(?:维吾尔|壮族|回族)?(?:自治区|特别行政区|自治州|省|市|州|盟|县|区|旗|镇|乡|街道)$"
)


def display_title(raw_title: str, year: int | None, region: str | None, level: Level | None) -> str:
    """The title shown to readers: ``raw_title`` with the year and issuer put in front where a bare
    report title (or a file name standing in for a missing one) lacks them.

    ``政府工作报告`` -> ``2024年国务院政府工作报告``, ``1955_national`` -> ``1955年国务院政府工作报告``,
    ``2026年政府工作报告`` (云南省) -> ``2026年云南省政府工作报告``; ``紫帽镇人民政府2022年工作报告`` and
    any title that is not a bare report title stay as they are, as does everything when the year or
    the issuer is unknown (a guess in a title would be read as fact).
    """
    issuer = "国务院" if level == "national" else region
    if year is None or not issuer:
        return raw_title
    named = _names_issuer(raw_title, issuer)
    if named and _year_in(raw_title) == year:
        return raw_title
    base = _YEAR_PREFIX.sub("", raw_title).strip()
    if named:
        base = base.removeprefix(issuer)
    if not any(word in base for word in _TITLE_WORDS) and not re.search(f"[{CJK_RANGES}]", base):
        # No title was printed: the file name stood in for it (1955_national). A printed title of
        # another genre stays (安吉县市场监督管理局…办事指南 had been shown as 2026年安吉县政府工作报告).
        base = "政府工作报告"
    elif not _BARE_REPORT_TITLE.fullmatch(base):
        return raw_title
    return f"{year}年{issuer}{base}"


def _names_issuer(title: str, issuer: str) -> bool:
    if issuer == "国务院":
        return bool(re.search(r"国务院|中华人民共和国|中央人民政府", title))
    short = _REGION_UNIT.sub("", issuer)
    return issuer in title or (len(short) >= 2 and short in title)


# A numbered section heading (一、编制春耕规划, （一）, 1., 第一条, 第二章) is body: the head ends before it.
_SECTION_START = re.compile(
    r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]\D"
    r"|第[一二三四五六七八九十百零\d]+[条章节])"
)


def _head(lines: list[str]) -> list[str]:
    """The lines above the salutation, the first numbered section or the first paragraph: title,
    speech line, speaker. A line ending in a colon is a salutation too: a notice's addressees
    (各乡镇人民政府，县直各有关单位：). A section heading is none of them, whatever it names
    (一、编制春耕规划 had been taken for a notice's title by its word 规划)."""
    head = []
    for line in lines[:12]:
        if SALUTATION.match(line) or line.rstrip().endswith(("：", ":")) or _SECTION_START.match(line):
            break
        if len(line) > 60 and not SPEECH_DATE.search(line):
            break
        head.append(line)
    return head


def _infer_title(head: list[str]) -> str | None:
    candidates = [re.split(r"[—―]{2}|--", line)[0].strip() for line in head]
    candidates = [c for c in candidates if c and _is_heading_like(c)]
    for word in _TITLE_WORDS:  # in order of preference, so a "…工作报告" beats a "规划计划" menu entry
        for c in candidates:
            if word in c and not _FIELD_LINE.search(c):  # not 证券简称：启衡智控　公告编号：2024-018
                return c
    # Else the first line, whole, when it reads as a headline: an article's title may ask or
    # exclaim (萤火虫的"冷光"从哪里来？) or carry its subtitle after a dash (…——专访…).
    first = head[0].strip() if head else ""
    # A sender's line above the title (郸城县人力资源和社会保障局 / 灵活就业人员…办事指南): the next is the
    # title (a helper's guide had been titled by its bureau alone).
    if len(head) > 1 and ORGAN_LINE.fullmatch(first) and _is_heading_like(head[1].strip()):
        return head[1].strip()
    return first if first and _is_heading_like(first.rstrip("？！?!")) else None


def _is_heading_like(line: str) -> bool:
    return (
        2 <= len(line) <= 60
        and not line.endswith(("。", "；", "：", ":", "，", ",", "！", "？", "!", "?"))
        and not _DASH_START.match(line)
        and not SPEECH_DATE.search(line)
    )


def _infer_region(
    title: str, head: list[str], head_text: str, text: str, fields: dict[str, str]
) -> tuple[str | None, Level | None]:
    opening = text[:3000]
    if _NATIONAL_TITLE.search(title):
        return "全国", "national"
    bare_level: Level | None = None
    stripped_title = re.sub(r"\d{4}\s*年度?", "", title)
    candidates = [
        re.match(rf"(?P<r>{_REGION})(?:人民)?政府", stripped_title),
        re.search(rf"在(?P<r>{_REGION})第?[一二三四五六七八九十百零〇\d]+届", head_text),
        *(re.match(rf"(?P<r>{_REGION})(?:人民政府)?{_HEAD_OF}", line) for line in head),
        re.search(rf"我代表(?P<r>{_REGION}|省|市|县|区|镇|乡)人民政府", opening),
        re.match(_GOVERNMENT_OF, fields.get("发布机构", "") or fields.get("发文机关", "")),
        # The sender opening the title, with 关于 or without (固始县医疗保障局…办事指南).
        re.match(_GOVERNMENT_OF, stripped_title.partition("关于")[0]),
    ]
    for m in candidates:
        if not m:
            continue
        r = _whole_region(m)
        if _is_named(r):
            return r, _level_of(r)
        bare_level = bare_level or _level_of(r)
    if bare_level:  # "我代表省人民政府": a level without a name
        return None, bare_level
    if "全国人民代表大会" in head_text or _NATIONAL.search(opening):
        return "全国", "national"
    if SALUTATION.match(opening) and _NATIONAL.search(text[:_NATIONAL_WINDOW]):
        return "全国", "national"  # a speech to a congress (各位代表) in which the State Council speaks
    return None, None


def _whole_region(found: re.Match[str]) -> str:
    """The region ``found`` names, with the unit after its shortest reading: 南州市 of 南州市临江区教育局
    (州 ends a region too, and 南州 had been read; 福州市教育局 likewise)."""
    end = found.end("r")
    if found.string[end - 1] == "州" and found.string[end : end + 1] in ("市", "县", "区"):
        end += 1  # not 安吉县 of 安吉县市场监督管理局: only 州 is read short
    return found.string[found.start("r") : end]


def _level_of(region: str) -> Level | None:
    if region == "全国":
        return "national"
    if region in _MUNICIPALITIES or region.endswith(("省", "自治区", "特别行政区")):
        return "province"
    if region.endswith(("镇", "乡", "街道")):
        return "town"
    if region.endswith(("市", "州", "盟", "地区")):
        return "city"
    if region.endswith(("县", "区", "旗")):
        return "county"
    return None


def _infer_issuer(
    title: str, head: list[str], opening: str, fields: dict[str, str], region: str | None, level: Level | None
) -> str | None:
    explicit = fields.get("发布机构") or fields.get("发文机关") or fields.get("发文机构")
    if explicit:
        return explicit
    named = [
        *(re.match(rf"(?P<r>{_REGION})人民政府", s) for s in (re.sub(r"\d{4}\s*年度?", "", title), *head)),
        re.search(rf"我代表(?P<r>{_REGION})人民政府", opening),
    ]
    for m in named:
        if m and _is_named(m.group("r")):
            return m.group("r") + "人民政府"
    sender = re.match(_GOVERNMENT_OF, title.partition("关于")[0])
    if sender:  # the title's sender: 青溪县农业农村局关于…的通知, 固始县医疗保障局…办事指南
        return sender.group(0)
    # A dateline names the agency of a news story, after whoever speaks in it (a report reprinted by
    # 新华社 is still the State Council's) and before the nation it may be about (全国秋粮收购…).
    voice = _NATIONAL.search(opening) or re.search(r"国务院|中华人民共和国", title)
    agency = None if voice else dateline_agency(opening)
    if agency:
        return agency
    if level == "national":
        return "国务院"
    if region and region.endswith("特别行政区"):
        return f"{region}政府"  # 香港特别行政区政府: a special region has no 人民政府
    return f"{region}人民政府" if region else None


def _is_named(region: str) -> bool:
    """False for what the region pattern matches that is no place name: "自治区", "市人民政府…市"."""
    return len(region) > 1 and region not in _BARE_UNITS and "政府" not in region


def _date(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(int(parse_numeral(y)), int(parse_numeral(m)), int(parse_numeral(d))).isoformat()
    except ValueError:  # 二月三十日, or a numeral that is none
        return None


def _parse_date(value: str) -> str | None:
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", value)
    return _date(*m.groups()) if m else None


def _year_in(s: str, suffix: str = "年") -> int | None:
    m = re.search(rf"(?<!\d)(\d{{4}}|[〇○零一二三四五六七八九]{{4}})(?!\d){suffix}", s)
    if not m:
        return None
    year = int(parse_numeral(m.group(1)))
    return year if 1900 <= year <= 2100 else None

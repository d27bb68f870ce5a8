"""Query analysis: what a question asks about, before anything is searched.

A ``Query`` carries the normalized question, its text for BM25 (question words removed, glossary
report terms added for English), the years it names (as a period or as a report's title), and the
period it asks about (review: 去年/完成了; plan: 今年/目标). Retrieval and answering read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from qa.errors import QuestionError
from qa.pipeline.glossary import report_terms, without_phrases
from qa.schema import Period
from qa.settings import MAX_QUESTION_CHARS
from qa.text.abbreviations import provinces_spelled_out, years_spelled_out
from qa.text.normalize import CJK_RANGES, fold_width, has_cjk, has_words, normalize
from qa.text.numerals import figures_in_digits

# Question words carry no content; left in, their rare character pairs (多少, 哪些) add noise to BM25.
_QUESTION_WORDS = re.compile(
    r"多少|几多|几个|几项|几家|几|什么|哪些|哪个|哪几|哪位|谁|是否|是不是|有没有|要不要|会不会|怎么样|怎样|怎么|如何|为什么|多大|"
    # 几多 (above), 系咪, 乜嘢: Cantonese 多少, 是不是, 什么, as Hong Kong and Macau write them.
    r"请问|吗|呢|吧|么|系咪|乜嘢|？|\?"
)
_PAUSES = re.compile(r"[，,。！!\s]")
# What names nothing to look for: Chinese particles and function characters, English function words.
# A question of these alone ("的", "a", "是吗？", "What is it?") has nothing to search; searched
# anyway, it was answered with whatever sentence was nearest, at confidence 0.9.
_FUNCTION_CHARS = frozenset(
    "的了吗呢吧啊呀么嘛是在和与及或也都就还又很"  # particles, copula, conjunctions, adverbs
    "有个这那些之其被把给对于以为而且着过地得"  # pronouns, measure word, prepositions, aspect
)
FUNCTION_WORDS = frozenset(
    " ".join(
        (
            "a an the is are was were be been am do does did what which who whom whose how much many",
            "when where why of in on at to for from by with and or it its this that these those there",
            "i you we they he she me my our your his her not no yes any some can could will would",
            "should shall may might must please tell about",
        )
    ).split()
)
_TOKEN = re.compile(r"\w+")
NAMES_NOTHING = "the question names nothing to look for, only words like 的, 吗 or the"
# Greetings, thanks and acknowledgements ask nothing either ("谢谢" was answered with the report's
# thank-you sentence, "hello" with its salutation, "好的" with 主要指标好于预期), nor does a run of one
# letter ("aaaaaaa").
_SMALL_TALK = re.compile(
    r"你好|您好|谢谢(?:你|您|啦)?|多谢|再见|拜拜|好的|好吧|明白了?|知道了|收到|了解了|^[嗯哦噢喔]+"
    # A one-word yes on its own (好, 行, 可以: "好" had been answered at 0.88 with a sentence of 好).
    r"|^(?:好|行|对|是的|可以|没问题|好嘞)[啊呀吧的了哈嘛]*[\s!！。.~～]*$"
    # Words to the bot before a question: 在吗, 打扰一下, 能帮我查一下吗, 我想咨询个事儿.
    r"|在吗|在不在|打扰(?:一下|了)?|麻烦(?:你|您)|(?:能|可以)?帮(?:我|忙)查(?:一下|查)?|可以吗|听得[到见]吗"
    r"|你是谁|我?想咨询(?:一下|个事儿?)?|想问问|问一下|^喂+|^(?:那个|呃+|额+)"
    r"|\b(?:hello|hi|hey|thanks|thank you|bye|ok|okay)\b"
)
_ONE_LETTER_RUN = re.compile(r"(\w)\1*")


# When a question asks about: words resolved against each report's own review year (a report
# reviews year N and plans N+1, so 去年 means N and 今年/明年 mean N+1 from the report's side).
_PAST_WORDS = re.compile(r"去年|上年|上一年|前一年|过去一年|last year|previous year")
# 当年 in a question about a named report is that report's own year, the one it plans.
_FUTURE_WORDS = re.compile(r"今年|明年|当年|下一年|来年|this year|next year|coming year")
# Weaker cues from the verb: done (完成了, 建好了没有, did/was) vs intended (目标, 计划, 将, will).
_DONE_CUES = re.compile(
    r"完成了|实现了|取得了?|已经|已|了吗|了没有|了多少|了几|了哪些|成效|成绩|实际|"
    r"\b(?:did|was|were|has been|have been|had|achieved|completed|built|added|spent)\b"
)
_PLAN_CUES = re.compile(
    r"目标|计划|预期|打算|准备|将|要不要|会不会|能不能|能否|力争|未来|以后|安排|部署|"
    # "什么时候建成？" asks when something will happen; "什么时候建成的/了" asks about the past.
    r"(?:什么时候|何时)[^的了]*$|"
    r"\b(?:will|plan|plans|planned|target|targets|aim|aims|going to|expected|expect)\b"
)
_LATIN_RUN = re.compile(r"[a-z][a-z&'\- ]*[a-z]|[a-z]")
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
# A name in quotes holding a number ("中国制造2025", 《健康中国2030》): its number is no year asked about
# (the search had been kept to the reports covering 2025). A year written with 年 is one, quoted or not.
_QUOTED = re.compile(r"[“\"「『《]([^”\"」』》]{1,30})[”\"」』》](?!\s*年)")  # not “2024”年
_NAME_NUMBER = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d|\s*年)")


def _without_named_numbers(text: str) -> str:
    """``text`` with the numbers of quoted names blanked out."""
    return _QUOTED.sub(lambda m: _NAME_NUMBER.sub("    ", m.group(0)), text)


# "2024年政府工作报告" / "the 2024 government work report" names a report, not the period asked about.
_TITLE_YEAR = re.compile(
    # The years listed before one 报告 name reports too ("2022年和2023年政府工作报告中，…分别"): all leave.
    rf"(?<!\d)(?:(?:19|20)\d{{2}}\s*年?\s*(?:和|与|跟|及|、|，|,)\s*)*"
    rf"(?:19|20)\d{{2}}\s*年?(?:的|度)?[{CJK_RANGES}]{{0,8}}?(?:工作)?报告|"
    r"(?<!\d)(?:19|20)\d{2}(?:'s)?\s+(?:[a-z]+\s+){0,3}?report"
)

# Words that name the State Council's report itself. 国家 or 全国 alone are topics ("国家安全",
# "全国粮食产量") that any report may speak of, so they do not restrict the search.
NATIONAL_WORDS = re.compile(r"国务院|中央政府|state council", re.I)
# How a question points at a report rather than at what it asks: "2024年政府工作报告里", "报告中提到的".
_REPORT_REFERENCE = re.compile(
    rf"(?:{_TITLE_YEAR.pattern}|(?:政府)?(?:工作)?报告)(?:里面|里|中|上|内)?(?:提到|提出|说|讲|写|显示)?(?:了|的)?",
    re.I,
)
# The same in English: "In the Hunan government work report, …", "the State Council's 2015 report".
_ENGLISH_REFERENCE = re.compile(
    r"\b(?:in|from|of|according to)?\s*(?:the\s+)?(?:provincial\s+|national\s+)?(?:government\s+)?"
    r"(?:work\s+)?reports?\b(?:\s+(?:say|said|says|mention|mentioned|state|stated))?",
    re.I,
)
# Words the names leave dangling: "In the 's , what …", "What was GDP in the ?".
_ENGLISH_POSSESSIVE = re.compile(r"(?<![a-z])'s\b", re.I)
_ENGLISH_DANGLING = re.compile(r"(?:\b(?:in|of|from|for)\s+)?\bthe\s*(?=[,.?!]|$)", re.I)
_SPACE_BEFORE_MARK = re.compile(r"\s+(?=[,.?!])")
# What is left at the start once the names are gone: "广东省的GDP" -> "的GDP", "江苏和山东…" -> "和…".
_LEFT_OVER = re.compile(r"^[\s的和与跟及、，,:：]+")


@dataclass(frozen=True)
class Query:
    """A question as the search stages need it."""

    text: str
    normalized: str
    lexical_text: str  # the question without question words (English: plus glossary report terms), for BM25
    has_cjk: bool
    years: tuple[int, ...] = ()  # years the question asks about
    report_years: tuple[int, ...] = ()  # years naming a report ("2024年政府工作报告")
    relative: Period | None = None  # "review" for 去年/last year, "plan" for 今年/明年/next year
    aspect: Period | None = None  # from the verb: done vs intended
    translated: tuple[str, ...] = ()  # report terms of the question's English phrases (qa.pipeline.glossary)

    @property
    def named_text(self) -> str:
        """Where a place or report may be named: the question and the report terms of its English
        ("Fujian" -> 福建, qa.pipeline.glossary); qa.index.catalog looks region names up in it."""
        return " ".join((self.normalized, *self.translated))

    @property
    def content(self) -> str:
        """The question without question words, punctuation and spaces: what it names, to be
        looked for in a sentence."""
        return _PAUSES.sub("", _QUESTION_WORDS.sub("", self.normalized))

    @property
    def uses_lexical(self) -> bool:
        """Whether BM25 can help: Chinese in the question, or report terms found for its English."""
        return self.has_cjk or bool(self.translated)

    def period_for(self, review_year: int | None) -> Period | None:
        """Which part of a report reviewing ``review_year`` the question asks about, if any."""
        if self.years and review_year is not None:
            if review_year in self.years:
                return "review"
            if review_year + 1 in self.years:
                return "plan"
        return self.relative or self.aspect


def _one_period(review: bool, plan: bool) -> Period | None:
    return "review" if review and not plan else "plan" if plan and not review else None


def _lexical_text(normalized: str, translated: tuple[str, ...]) -> str:
    return " ".join((_QUESTION_WORDS.sub(" ", _TITLE_YEAR.sub(" ", normalized)), *translated))


def names_something(normalized: str) -> bool:
    """Whether a (normalized) question holds a word to look for: a number, a Chinese character that
    is no particle (的, 吗), a word of any other script that is no English function word (the, is)
    nor a run of one letter; greetings and thanks (谢谢, hello) are no words to look for."""
    for token in _TOKEN.findall(_QUESTION_WORDS.sub(" ", _SMALL_TALK.sub(" ", normalized.lower()))):
        if has_cjk(token):
            if any(ch not in _FUNCTION_CHARS for ch in token):
                return True
        # A number alone ("1", "2026": a menu choice, a slip) asks nothing; it had quoted a sentence
        # holding that digit as the answer.
        elif token not in FUNCTION_WORDS and not token.isdigit() and not _ONE_LETTER_RUN.fullmatch(token):
            return True
    return False


def small_talk(normalized: str) -> bool:
    """Whether a (normalized) question is a greeting or thanks and nothing more (谢谢, 你好, thank you):
    no follow-up either, whatever the conversation was about."""
    return bool(_SMALL_TALK.search(normalized.lower())) and not names_something(normalized)


def check_text(question: str) -> None:
    """Raise QuestionError for what no reading can make a question: empty or over-long input, or
    input without a letter, digit or Chinese character (a chat turn's too, whatever came before)."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    if not question.strip():
        raise QuestionError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    if not has_words(question):
        # "？？？" or a row of emoji asks nothing; searched anyway, it matched a stray bracket.
        raise QuestionError("the question has no words, only punctuation or symbols")


# Spaces typed between Chinese characters ("今 年 城 镇 新 增 就 业"): Chinese writes none, and
# "今 年" was no 今年 (this year's and last year's figures were swapped).
_SPACE_IN_CHINESE = re.compile(rf"(?<=[{CJK_RANGES}])\s+(?=[{CJK_RANGES}])")
# Letters typed apart ("G D P") and abbreviations typed in lower case on a phone (gdp, cpi, 5g, pm2.5):
# Chinese official text writes them in capitals, and the model told gdp from GDP.
_SPACED_LETTERS = re.compile(r"(?<![A-Za-z])[A-Za-z](?: [A-Za-z])+(?![A-Za-z])")
# (or a short one with a capital first, as a phone's keyboard types it: Gdp, Cpi; not Apple).
_LOWER_ABBREVIATION = re.compile(
    r"(?<![A-Za-z0-9.])(?:(?=[0-9.]*[a-z])[a-z0-9.]{1,5}|[A-Z](?=[0-9.]*[a-z])[a-z0-9.]{1,3})(?![A-Za-z0-9.])"
)


# The asker's own story before the question ("我2023年来的深圳，广东去年GDP增长多少？", "我儿子今年毕业，…"):
# a clause that opens with 我, asks nothing and is not the last. Its years and time words are the
# asker's, not the question's (没有2023年广东的报告 had refused it); its words stay, as they may name
# the topic (我有高血压，…: leaving such clauses out lost generic questions).
_CLAUSE = re.compile(r"[^，,。；;！!？?\s]+[，,。；;！!？?\s]*")
_ASKING = re.compile(r"想知道|想了解|想问|问问|请问|打听|查一下|告诉")
# What the story says of time is what the query's years and periods are read from, nothing else.
_STORY_TIME = re.compile("|".join(p.pattern for p in (_YEAR, _PAST_WORDS, _FUTURE_WORDS)))


def _untimed_story(question: str, normalized: str) -> str:
    """``normalized`` with the years and time words of the asker's story taken out."""
    clauses = _CLAUSE.findall(question)
    for clause in clauses[:-1]:
        story = clause.startswith("我") and len(_PAUSES.sub("", clause)) >= 3
        if story and not _QUESTION_WORDS.search(clause) and not _ASKING.search(clause):
            told = normalize(clause.strip())
            normalized = normalized.replace(told, _STORY_TIME.sub("", told), 1)
    return normalized


def as_meant(question: str) -> str:
    """A question with Chinese words as typed on a phone read as meant: no spaces between Chinese
    characters, letters typed apart joined, lower-case abbreviations (up to five letters and digits)
    in capitals, figures in Chinese numerals in digits as reports write them (百分之六点九 -> 6.9%, as
    voice input types them), a province's one-character abbreviation opening a clause in full (皖去年
    -> 安徽去年) and a year by its last two digits in full (08年的报告 -> 2008年的报告). A question
    without Chinese is left as it is."""
    if not has_cjk(question):
        return question
    text = years_spelled_out(provinces_spelled_out(figures_in_digits(_SPACE_IN_CHINESE.sub("", question))))
    text = _SPACED_LETTERS.sub(lambda m: m.group().replace(" ", ""), text)
    return _LOWER_ABBREVIATION.sub(lambda m: m.group().upper(), text)


def analyze(question: str, use_glossary: bool = True, typed: bool = True) -> Query:
    """Validate and analyse a question; raises QuestionError on empty or over-long input, or on
    input without a letter, digit or Chinese character, or naming nothing (``names_something``).
    A Chinese question as ``typed`` by a user is read as meant (``as_meant``)."""
    check_text(question)
    asked, question = question, as_meant(question) if typed else question
    normalized = normalize(question)
    if not names_something(normalized):
        raise QuestionError(NAMES_NOTHING)
    cjk = has_cjk(normalized)
    # A Chinese question's English words ("今年GDP增长多少") are looked up too: the glossary's
    # patterns need the words apart from the Chinese around them.
    english = " ".join(_LATIN_RUN.findall(normalized)) if cjk else normalized
    translated = tuple(report_terms(english)) if use_glossary and english else ()
    timed = _untimed_story(asked, normalized) if typed and cjk else normalized
    return Query(
        text=question,
        normalized=normalized,
        lexical_text=_lexical_text(normalized, translated),
        has_cjk=cjk,
        # Each year once, in the order named: "2022年的…和2022年的…" asks of one year.
        years=tuple(
            dict.fromkeys(int(y) for y in _YEAR.findall(_TITLE_YEAR.sub(" ", _without_named_numbers(timed))))
        ),
        report_years=tuple(
            dict.fromkeys(int(y) for m in _TITLE_YEAR.findall(timed) for y in _YEAR.findall(m))
        ),
        relative=_one_period(bool(_PAST_WORDS.search(timed)), bool(_FUTURE_WORDS.search(timed))),
        aspect=_one_period(bool(_DONE_CUES.search(normalized)), bool(_PLAN_CUES.search(normalized))),
        translated=translated,
    )


# The one-character ends of the names of divisions (河南省, 紫帽镇), which a segmenter may cut off.
DIVISION_ENDS = "省市县区镇乡"
_OFFICE = r"(?=长|委|政府|人大|政协)"  # 省长, 市委, 县政府 …: the office of the place, named by its level


def without_names(query: Query, places: Iterable[str], use_glossary: bool = True) -> Query:
    """The question without the words that name its report (a title year, the issuer, ``places``),
    for searching inside the reports it names: a name chooses where to look, and left in the text it
    pulls the search toward the report's opening lines and toward any sentence that repeats the place.
    The years and the period asked about stay those of the whole question; the question itself when
    nothing but names is left."""
    places = [p for p in places if p]
    text = NATIONAL_WORDS.sub(" ", _REPORT_REFERENCE.sub(" ", fold_width(query.text)))
    for place in sorted(places, key=len, reverse=True):
        # "河南省长是谁？": 省 goes with 长 (the governor), not with 河南; only the name leaves.
        if place[-1] in DIVISION_ENDS:
            text = re.sub(re.escape(place) + _OFFICE, place[-1], text)
        text = text.replace(place, " ")
    if query.translated:  # an English question names its report in English: "Hunan's", "the report"
        text = _ENGLISH_REFERENCE.sub(" ", without_phrases(text, set(places)))
        text = _ENGLISH_DANGLING.sub("", " ".join(_ENGLISH_POSSESSIVE.sub("", text).split()))
        text = _SPACE_BEFORE_MARK.sub("", text).lstrip(" ,")
    text = _LEFT_OVER.sub("", " ".join(text.split()))
    if normalize(text) == query.normalized or not has_words(_QUESTION_WORDS.sub("", text)):
        return query
    # Not re-read as typed: the gap a name leaves (去年 粮食) is the search text the scorer learned on.
    topic = analyze(text, use_glossary, typed=False)
    translated = tuple(t for t in topic.translated if t not in places)  # "Guangdong" -> 广东
    return replace(
        topic,
        translated=translated,
        lexical_text=_lexical_text(topic.normalized, translated),
        years=query.years,
        report_years=query.report_years,
        relative=query.relative,
        aspect=query.aspect,
    )

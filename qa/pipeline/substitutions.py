"""A follow-up that names something asks the earlier question of it: "农民呢？" after "城里人收入涨了多少？"
is "农民收入涨了多少？", a place stands in for a place ("湖北呢？" after "江苏今年GDP…"), a kind of one of
its words for that word ("农村居民呢？" after "去年云南居民人均…"), an amount for an amount ("满20年呢？").
"""

from __future__ import annotations

import re

from qa.pipeline.english_follow_ups import in_chinese
from qa.pipeline.places import names_a_place, places_in
from qa.pipeline.query import DIVISION_ENDS
from qa.pipeline.turn_words import LEADING_CONTEXT, WHEN, elliptical_name, in_front, names_nothing, topic_of
from qa.settings import MAX_QUESTION_CHARS
from qa.text.normalize import has_cjk, normalize
from qa.text.tiers import amount_swapped
from qa.text.words import cut_words, parts_of

SUBSTITUTED_WORDS = 3  # an elliptical name is put in for each of the earlier question's first words
LONG_NAME = 4  # characters; a name this long may stand for a name of several words (居民消费价格)

ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")  # GDP, CPI, M2: names of things in a Chinese question
# Words that ask rather than name ("那学校呢？" after "长者食堂开在哪里？" is not 长者食堂开在学校？).
_ASKING = re.compile(r"哪里|哪儿|哪些|哪个|什么|怎么|怎样|如何|为何|为什么|是否|有没有|多大|多长|多久|几时")


def names_a_thing(word: str) -> bool:
    """A word an elliptical name can stand in for: Chinese or an acronym (GDP), two or more
    characters, not a time or question word (去年, 多少, 哪里) nor a word of address (请问)."""
    named = has_cjk(word) or bool(ACRONYM.fullmatch(word))
    asks = names_nothing(word) or _ASKING.fullmatch(word) is not None
    return len(word) >= 2 and named and not asks and not LEADING_CONTEXT.fullmatch(word)


def places_whole(words: list[str]) -> list[str]:
    """``words`` with a place's one-character ending put back on it (紫帽 镇 -> 紫帽镇): "新增学位呢？"
    had replaced 紫帽 and been refused as 没有新增学位镇的报告, and "白石镇呢？" read 白石镇镇…."""
    whole: list[str] = []
    for word in words:
        ending = len(word) == 1 and word in DIVISION_ENDS
        if whole and ending and has_cjk(whole[-1]) and names_a_place(whole[-1] + word):
            whole[-1] += word
        else:
            whole.append(word)
    return whole


# The country as a place a follow-up names (全国呢？ after 山东去年…: 全国 had replaced 城镇新增就业), and the
# country or province an earlier question names so, which a place replaces (河南呢？ after 我国… or 全省…).
COUNTRY = re.compile(r"全国|国家|中国|我国|中央(?:政府)?|国务院(?:的?(?:政府工作)?报告)?|[全本我][省市县区]")


def place_like(word: str) -> bool:
    """Whether ``word`` is a place or the country as a question names it (全国, 我省)."""
    return names_a_place(word) or COUNTRY.fullmatch(word) is not None


def substitutions(question: str, previous: str) -> list[str]:
    """``previous`` with one of its words replaced by what an elliptical ``question`` names:
    "农民呢？" after "城里人收入涨了多少？" -> ["农民收入涨了多少？", "城里人农民涨了多少？"]. The words
    replaced are Chinese, of two or more characters, and name something (not 去年, 多少); only the
    first ``SUBSTITUTED_WORDS`` of them, since each reading is answered in full. [] when the question
    names nothing elliptically or the earlier question already holds the name ("收入呢？")."""
    name = elliptical_name(question)
    earlier = previous.strip()  # as typed: the reading is shown in the answer's reason
    if not name or not in_chinese(earlier):  # not into an English question's words
        return []
    words = [part for word in places_whole(cut_words(earlier)) for part in parts_of(word)]
    if _names_already(name, earlier, words):
        return []
    if swapped := amount_swapped(name, earlier):  # "满20年呢？" after "工作满12年有几天年假？"
        return [swapped]
    if phased := _phase_swapped(name, earlier):  # "二期呢？" after "…项目一期…" or "…项目什么时候…"
        return [phased]
    # A place stands in for a place, and a thing for a thing: "湖北呢？" after "江苏今年GDP…" is not
    # 江苏今年湖北…, nor "那居民消费价格呢？" after "山东今年地区生产总值…" 居民消费价格今年….
    place = place_like(name)
    named = [names_a_thing(word) or (place and COUNTRY.fullmatch(word) is not None) for word in words]
    replaceable = [n for n, word in enumerate(words) if named[n] and word not in name]
    replaceable = [n for n in replaceable if place_like(words[n]) == place] or replaceable
    if (run := None if place else _kind_of(words, named, name)) is not None:
        return ["".join([*words[: run[0]], name, *words[run[1] :]])]
    if place and not any(place_like(words[n]) for n in replaceable):
        # A place where the earlier question named none is asked of it ("河南呢？" after "今年GDP增长目标是
        # 多少？": 河南今年GDP…, not 今年河南增长目标…; after "有没有时间表？" it had read 有没有河南？).
        return [name + earlier] if len(name + earlier) <= MAX_QUESTION_CHARS else []
    forms = []
    for n in replaceable[:SUBSTITUTED_WORDS]:
        end = n + 1
        while end < len(words) and len(words[end]) >= 2 and words[end] in name:  # "农民收入" for 城里人 收入
            end += 1
        run = end
        while len(name) >= LONG_NAME and run in replaceable:  # or the name it begins: 地区 生产总值
            run += 1
        forms += ["".join([*words[:n], name, *words[stop:]]) for stop in dict.fromkeys((end, run))]
    if not place:
        forms += _of_the_subject(name, question, earlier)
    return [form for form in dict.fromkeys(forms) if len(form) <= MAX_QUESTION_CHARS]


# A phase of a project (一期, 二期, 三期工程): another phase stands in for it, or follows the project named.
_PHASE = re.compile(r"[一二三四五六七八九十]+期(?:工程|项目)?")
_PROJECT = re.compile(r"项目|工程")


def _phase_swapped(name: str, earlier: str) -> str | None:
    """``earlier`` of the phase ``name`` names: its phase replaced ("二期呢？" after "…项目一期什么时候
    投产？"), or put after the project it names ("宏达新材料项目二期什么时候投产的？": a helper's 二期呢？ had
    been read 宏达新二期项目…, replacing 材料); None when ``name`` is no phase or ``earlier`` names no
    project."""
    if not _PHASE.fullmatch(name):
        return None
    if phase := _PHASE.search(earlier):
        return earlier[: phase.start()] + name + earlier[phase.end() :]
    projects = list(_PROJECT.finditer(earlier))
    if not projects:
        return None
    at = projects[-1].end()
    return earlier[:at] + name + earlier[at:]


def _names_already(name: str, earlier: str, words: list[str]) -> bool:
    """Whether the earlier question names ``name`` itself: as its words, or as the start of one (湖北 of
    湖北省). Not inside a longer word: "那出口呢？" after "2009年全年进出口总额是多少？" asks 出口总额 (it had
    been read as the earlier question, and answered with 进出口总额 at 0.97)."""
    if name not in earlier:
        return False
    for start in range(len(words)):
        run = ""
        for word in words[start:]:
            run += word
            if run == name or (run.startswith(name) and run == word):
                return True
            if len(run) >= len(name):
                break
    return False


def _kind_of(words: list[str], named: list[bool], name: str) -> tuple[int, int] | None:
    """The run of ``words`` (start, end) that ``name`` is a kind of: they end it, and the word before
    them names no thing ("农村居民呢？" after "去年云南居民人均…" replaces 居民; "人均地区生产总值呢？" after
    "去年地区生产总值…" replaces 地区 生产总值); None when there is none (非税收入 after 税收 收入, where
    税收 names a thing: 城里人 收入 → 农民收入 likewise replaces both)."""
    for end in range(len(words), 0, -1):
        start = end
        while start > 0 and name.endswith("".join(words[start - 1 : end])):
            start -= 1
        before_names = start > 0 and named[start - 1] and not place_like(words[start - 1])
        if start < end and named[end - 1] and not before_names and "".join(words[start:end]) != name:
            return start, end
    return None


def _of_the_subject(name: str, question: str, earlier: str) -> list[str]:
    """The earlier question with its whole subject replaced by ``name``, when the subject is words
    that name things ("那医疗呢？" after "2018年国内生产总值增长目标是多少？": 2018年医疗增长目标是多少？,
    where one word's part had been replaced: 2018年国内医疗总值…); and the name asked at the earlier
    question's time (2018年医疗呢？), which no reading had asked."""
    subject = topic_of(earlier)
    whole = len(subject) > len(name) and all(names_a_thing(word) for word in cut_words(subject))
    # And the name as a kind of the subject: "那中央的呢？" after "2016年财政赤字是多少？" asks 中央财政赤字.
    forms = [earlier.replace(subject, name, 1), earlier.replace(subject, name + subject, 1)] if whole else []
    # The earlier question's places too: "那医疗呢？" after "安徽今年地区生产总值增长目标是多少？" asks
    # 安徽今年医疗呢？ (read 今年医疗呢？, 10 of 10 such turns had been answered from the State Council's).
    places = [p for p in places_in(earlier, cities=True) if p not in name]
    when = WHEN.findall(normalize(earlier))
    context = "".join(places) + "".join(when[:1])  # one time: 2015年去年… asked of neither
    return forms + ([in_front(context, question)] if context else [])


def only_a_place(name: str) -> bool:
    """Whether ``name`` is a place and nothing more (广东, 江苏省, 全国; not 广东今年GDP目标)."""
    rest = name
    for place in places_in(name, cities=True):
        rest = rest.replace(place, "")
    return COUNTRY.fullmatch(name) is not None or not rest.strip(DIVISION_ENDS)

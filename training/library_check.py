"""Does a question that names its report reach that report? Questions generated from the facts of the
training reports (TRAIN_REPORTS: no dev or blind set uses them), and the written training questions
with their report's name put before them, asked of a whole library.

    python -m training.library_check --index-dir /tmp/report-qa-all88   # an index of all 88 reports

Each question names its report the way people do (title year, 国务院, province, short name, the year
the figure is about) and asks for one figure; it counts at 1 when the first passage is that report's
passage holding the figure's sentence, at 5 when one of the first five is. A check on routing
only, for choosing retrieval settings apart from the dev and blind sets; it trains nothing.
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from qa.evaluation import evaluate
from qa.facts.extract import Fact
from qa.index.catalog import years_covered
from qa.pipeline.glossary import glossary_rows
from qa.pipeline.places import PROVINCES
from qa.schema import DocumentInfo
from qa.text.normalize import has_cjk
from training.examples import (
    ENGLISH_NAMES,
    EVERYDAY_WORDS,
    TRAIN_REPORTS,
    _everyday,
    _usable,
    written_examples,
)

# How people name a report: {y} its title year, {r} the region as written, {s} the region without
# 省/市/自治区, {p} the year a figure is about, {i} the indicator. National and provincial forms.
NATIONAL = (
    "{y}年政府工作报告里{i}是多少？",
    "{y}年国务院政府工作报告提出的{i}是多少？",
    "国务院{y}年的报告中{i}是多少",
    "{p}年全国{i}是多少？",
    "{p}年{i}是多少？",
)
PROVINCIAL = (
    "{r}{y}年政府工作报告里{i}是多少？",
    "{s}{p}年{i}是多少？",
    "{s}的{i}是多少？",
    "{r}{i}目标是多少",  # asked of plan figures only
)


# The same, put before a written training question (its own words kept): {y}, {r}, {s} as above.
NAMED_BEFORE = {
    "national": ("{y}年政府工作报告里，", "国务院{y}年的报告中", "{y}年国务院政府工作报告提到，"),
    "provincial": ("{r}{y}年政府工作报告里，", "{s}", "{s}{y}年的报告中，"),
}


def training_facts(facts: list[Fact], documents: list[DocumentInfo]) -> list[Fact]:
    """The facts of the training reports whose indicator can be asked about (``_usable``)."""
    info = {d.doc_id: d for d in documents}
    return [f for f in facts if Path(info[f.doc_id].source).stem in TRAIN_REPORTS and _usable(f.indicator)]


def questions(
    facts: list[Fact], documents: list[DocumentInfo], per_report: int = 8, seed: int = 0
) -> list[dict[str, Any]]:
    """Generated questions naming the training reports, each with its report and figure sentence."""
    rng = random.Random(seed)
    info = {d.doc_id: d for d in documents}
    by_doc: dict[str, list[Fact]] = defaultdict(list)
    for fact in training_facts(facts, documents):
        if fact.year and fact.period != "other":
            by_doc[fact.doc_id].append(fact)
    out = []
    for doc_id, doc_facts in sorted(by_doc.items()):
        d = info[doc_id]
        forms = NATIONAL if d.level == "national" else PROVINCIAL
        short = (d.region or "").removesuffix("省").removesuffix("市").removesuffix("自治区")
        for fact in rng.sample(doc_facts, min(per_report, len(doc_facts))):
            form = rng.choice([f for f in forms if "目标" not in f or fact.period == "plan"])
            question = form.format(
                y=d.year, r=d.region, s=short, p=fact.year, i=_everyday(fact.indicator, rng)
            )
            out.append({"question": question, "doc_id": doc_id, "sentence": fact.sentence, "form": form})
    return out


def english_names() -> dict[str, str]:
    """Province short name -> its English name, read from the glossary's one-term rows ("hunan 湖南")."""
    one_term = ((english, terms[0]) for english, terms in glossary_rows() if len(terms) == 1)
    return {zh: english.title() for english, zh in one_term if zh in PROVINCES}


def paired_questions(
    facts: list[Fact], documents: list[DocumentInfo], per_report: int = 4, seed: int = 2
) -> list[dict[str, Any]]:
    """The same question in Chinese and in English, naming its report and the year it is about, for
    facts whose indicator has an English name (``ENGLISH_NAMES``): does English reach the figure as
    often as Chinese?"""
    rng = random.Random(seed)
    info = {d.doc_id: d for d in documents}
    provinces = english_names()
    out = []
    by_doc: dict[str, list[tuple[Fact, str]]] = defaultdict(list)
    for fact in training_facts(facts, documents):
        english = next((e for zh, e in ENGLISH_NAMES.items() if zh in fact.indicator), None)
        if english and fact.year and fact.period in ("plan", "review"):
            by_doc[fact.doc_id].append((fact, english))
    for doc_id, doc_facts in sorted(by_doc.items()):
        d = info[doc_id]
        short = _short_name(d)
        if d.level != "national" and short not in provinces:
            continue
        for fact, english in rng.sample(doc_facts, min(per_report, len(doc_facts))):
            plan = fact.period == "plan"
            if d.level == "national":
                zh = f"{d.year}年政府工作报告里{fact.year}年{fact.indicator}{'目标' if plan else ''}是多少？"
                asked = (
                    f"what is the {fact.year} target for {english}"
                    if plan
                    else f"what was {english} in {fact.year}"
                )
                en = f"In the {d.year} government work report, {asked}?"
            else:
                zh = f"{short}{fact.year}年{fact.indicator}{'目标' if plan else ''}是多少？"
                name = provinces[short]
                en = (
                    f"What is {name}'s {fact.year} target for {english}?"
                    if plan
                    else f"What was {name}'s {english} in {fact.year}?"
                )
            for lang, question in (("zh", zh), ("en", en)):
                out.append({"question": question, "doc_id": doc_id, "sentence": fact.sentence, "form": lang})
    return out


# Cities with reports of their own that the dataset does not hold (general knowledge, for the check).
CITIES = ("深圳市", "苏州市", "成都市", "杭州市", "武汉市", "南京市", "青岛市", "厦门市", "宁波市", "西安市",
          "长沙市", "郑州市", "东莞市", "佛山市", "无锡市", "温州市", "大连市", "义乌市")  # fmt: skip


# Comparisons of two reports: {a} and {b} name them (years, or provinces' short names).
COMPARE = ("{a}和{b}{i}分别是多少？", "{a}与{b}相比，{i}有什么变化？", "{a}、{b}的{i}各是多少")


def comparisons(
    facts: list[Fact], documents: list[DocumentInfo], count: int = 60, seed: int = 0
) -> list[dict[str, Any]]:
    """Generated questions comparing two training reports of one level on an indicator both give
    (its planned figure, by the exact indicator name), with each report's figure sentence."""
    rng = random.Random(seed)
    info = {d.doc_id: d for d in documents}
    plans: dict[tuple[str, str], dict[str, Fact]] = defaultdict(dict)  # (level, indicator) -> doc -> fact
    for fact in training_facts(facts, documents):
        if fact.period == "plan":
            plans[(info[fact.doc_id].level or "", fact.indicator)].setdefault(fact.doc_id, fact)
    shared = sorted(key for key, by_doc in plans.items() if len(by_doc) >= 2)
    out = []
    for level, indicator in rng.sample(shared, min(count, len(shared))):
        first, second = rng.sample(sorted(plans[(level, indicator)].values(), key=lambda f: f.doc_id), 2)
        names = [_short_name(info[f.doc_id]) for f in (first, second)]
        form = rng.choice(COMPARE)
        out.append(
            {
                "question": form.format(a=names[0], b=names[1], i=indicator),
                "gold": {f.doc_id: f.sentence for f in (first, second)},
                "form": form,
            }
        )
    return out


def missing(documents: list[DocumentInfo], count: int = 40, seed: int = 0) -> list[str]:
    """Generated questions about reports the collection lacks: a place it has in a year none of
    that place's reports covers, or a State Council report of a year it lacks; then ``count // 2``
    each about a province it has no report of, a city (``CITIES``), and a year no report of it covers."""
    rng = random.Random(seed)
    topics = sorted(EVERYDAY_WORDS)
    national_years = {d.year for d in documents if d.level == "national"}
    # Year y is planned by the report of y and reviewed by that of y + 1.
    absent = [y for y in range(1955, 2026) if y not in national_years and y + 1 not in national_years]
    out = []
    for _ in range(count):
        d = rng.choice(documents)
        topic = rng.choice(topics)
        if d.level == "national" and absent:
            out.append(
                rng.choice(("{y}年政府工作报告里{i}是多少？", "国务院{y}年{i}目标是多少")).format(
                    y=rng.choice(absent), i=topic
                )
            )
        elif d.level != "national" and d.year:
            year = d.year - rng.randint(3, 6)  # before anything its report reviews
            out.append(
                rng.choice(("{s}{y}年{i}是多少？", "{r}{y}年政府工作报告中{i}是多少")).format(
                    s=_short_name(d), r=d.region, y=year, i=topic
                )
            )
    held = " ".join(d.region or "" for d in documents)
    absent_places = [p for p in PROVINCES if p not in held]
    covered = {y for d in documents for y in years_covered(d)}
    absent_years = [y for y in range(1950, 2031) if y not in covered]
    for _ in range(count // 2 if absent_places else 0):
        out.append(
            rng.choice(("{s}的{i}是多少？", "{s}今年{i}目标是多少", "{s}的{i}怎么样")).format(
                s=rng.choice(absent_places), i=rng.choice(topics)
            )
        )
    for _ in range(count // 2):  # a city, named the way people name its report
        out.append(
            rng.choice(("{c}政府工作报告里{i}是多少？", "{c}今年{i}目标是多少", "{c}去年{i}是多少？")).format(
                c=rng.choice(CITIES), i=rng.choice(topics)
            )
        )
    for _ in range(count // 2 if absent_years else 0):
        out.append(
            rng.choice(("{y}年{i}是多少？", "{y}年的{i}目标是多少", "{y}年{i}增长了多少")).format(
                y=rng.choice(absent_years), i=rng.choice(topics)
            )
        )
    return out


def check_missing(bot: Any, questions: list[str]) -> dict[str, Any]:
    """Share refused, and refused naming the missing report (reason ``missing_report``)."""
    answers = [bot.ask(q, k=5) for q in questions]
    n = max(1, len(answers))
    return {
        "n": len(answers),
        "refused": round(sum(not a.found for a in answers) / n, 3),
        "refused with the reason": round(
            sum(not a.found and "missing_report" in a.reason for a in answers) / n, 3
        ),
    }


def _short_name(d: DocumentInfo) -> str:
    if d.level == "national":
        return f"{d.year}年"
    return (d.region or "").removesuffix("省").removesuffix("市").removesuffix("自治区")


def check_comparisons(bot: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of comparisons with every named report's figure sentence among the first five passages
    of the answer or of its parts, and with every part answered from its own report."""
    every, parts_right = 0, 0
    for item in items:
        answer = bot.ask(item["question"], k=5)
        passages = answer.passages[:5] + [p for part in answer.parts for p in part.passages[:5]]
        gold = item["gold"]
        every += all(any(p.doc_id == d and s in p.text for p in passages) for d, s in gold.items())
        parts_right += all(
            any(
                part.passages and part.passages[0].doc_id == d and s in part.passages[0].text
                for part in answer.parts
            )
            for d, s in gold.items()
        )
    n = max(1, len(items))
    return {
        "n": len(items),
        "every report in top 5": round(every / n, 3),
        "every part first": round(parts_right / n, 3),
    }


def check(bot: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """hit@1 / hit@5: the named report's passage holding the figure's sentence is first / in the top 5."""
    by_form: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for item in items:
        passages = bot.ask(item["question"], k=5).passages
        ranks = [
            i for i, p in enumerate(passages) if p.doc_id == item["doc_id"] and item["sentence"] in p.text
        ]
        by_form[item["form"]].append((ranks[:1] == [0], bool(ranks)))
    every = [r for rows in by_form.values() for r in rows]

    def rates(rows: list[tuple[bool, bool]]) -> dict[str, float]:
        return {
            "n": len(rows),
            "hit@1": round(sum(a for a, _ in rows) / len(rows), 3),
            "hit@5": round(sum(b for _, b in rows) / len(rows), 3),
        }

    return {"all": rates(every), "by_form": {form: rates(rows) for form, rows in by_form.items()}}


def named_written(documents: list[DocumentInfo], seed: int = 0) -> list[dict[str, Any]]:
    """The answerable Chinese written training questions (``written_examples``), each with its
    report's name put before it, as evaluation items ("doc": the report's file name)."""
    rng = random.Random(seed)
    by_file = {Path(d.source).name: d for d in documents}
    out = []
    for example in written_examples():
        d = by_file.get(example.doc)
        if d is None or not example.answerable or not has_cjk(example.question):
            continue
        form = rng.choice(NAMED_BEFORE["national" if d.level == "national" else "provincial"])
        name = form.format(y=d.year, r=d.region, s=_short_name(d))
        out.append({"question": name + example.question, "answers": example.answers, "doc": example.doc})
    return out


def check_named_written(bot: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """hit@1, hit@5 (the named report's passage holding the gold strings) and answer@1."""
    sources = {d.doc_id: Path(d.source).name for d in bot.documents}
    metrics = evaluate(lambda question, k: bot.ask(question, k), items, sources=sources)["metrics"]
    return {"n": len(items)} | {key: metrics[key] for key in ("hit@1", "hit@5", "answer@1")}


def open_library(prog: str, doc: str) -> Any:
    """The ReportQA of the ``--index-dir`` a check's command line names (an index of the reports)."""
    from qa import ReportQA

    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True, help="an index holding the training reports")
    return ReportQA(index_dir=parser.parse_args().index_dir)


def main() -> None:
    bot = open_library("python -m training.library_check", __doc__)
    items = questions(bot.facts(), bot.documents)
    result = check(bot, items)
    print(f"all: {result['all']}")
    for form, rates in result["by_form"].items():
        print(f"{rates}  {form}")
    paired = check(bot, paired_questions(bot.facts(), bot.documents))["by_form"]
    print(f"the same questions in Chinese and in English: {paired}")
    written = check_named_written(bot, named_written(bot.documents))
    print(f"written questions with their report named: {written}")
    print(f"comparisons: {check_comparisons(bot, comparisons(bot.facts(), bot.documents))}")
    print(f"missing reports: {check_missing(bot, missing(bot.documents))}")
    wrongly = sum("missing_report" in bot.ask(item["question"], k=5).reason for item in items)
    print(f"named reports the collection has, refused as missing: {wrongly} of {len(items)}")


if __name__ == "__main__":
    main()

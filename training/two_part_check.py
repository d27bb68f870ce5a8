"""Are both parts of a two-part question answered? Questions generated from the facts of the
training reports (TRAIN_REPORTS: no dev or blind set uses them), each asked of its own report.

    python -m training.two_part_check --index-dir /tmp/report-qa-all88   # an index of all 88 reports

Two kinds: one indicator's review figure and plan figure ("去年粮食产量是多少？今年的目标是多少？",
"城镇新增就业去年多少？今年呢？"), where the second part leans on the first's subject; and two
different indicators ("去年外贸增长了多少，今年就业计划多少？"), where it must not. A part counts when
its answer holds the fact's sentence. And a third kind in people's words: two answerable Chinese
written training questions (figures and plans) of one report asked at once, joined by a question mark
or a comma as written; both count when each was answered right alone and the joined question's
answer holds both gold strings. A check for choosing how questions are split and read, apart from
the dev and blind sets; it trains nothing.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from qa.facts.extract import Fact
from qa.schema import Answer, DocumentInfo
from qa.text.normalize import normalize
from training.examples import Example, _everyday, written_examples
from training.library_check import open_library, training_facts

SAME = (
    "去年{a}是多少？今年的目标是多少？",
    "{a}去年完成多少，今年计划多少？",
    "去年{a}怎么样？今年打算达到多少？",
    "去年{a}增长了多少，今年预计增长多少？",
    "{a}去年多少？今年呢？",
)
OTHER = (
    "去年{a}是多少？今年{b}的目标是多少？",
    "去年{a}增长了多少，今年{b}计划多少？",
    "{a}去年多少？{b}今年打算达到多少？",
)


def questions(facts: list[Fact], documents: list[DocumentInfo], seed: int = 0) -> list[dict[str, Any]]:
    """Generated two-part questions, each with its report and the sentences of its two parts."""
    rng = random.Random(seed)
    by_doc: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in training_facts(facts, documents):
        if fact.period in ("review", "plan"):
            by_doc[fact.doc_id][fact.period].append(fact)
    out = []
    for doc_id, periods in sorted(by_doc.items()):
        plans = {f.indicator: f for f in periods["plan"]}
        for review in rng.sample(periods["review"], len(periods["review"])):
            plan = plans.get(review.indicator)
            if plan and normalize(plan.sentence) != normalize(review.sentence):
                question = rng.choice(SAME).format(a=_everyday(review.indicator, rng))
                out.append({"kind": "same", "question": question, "doc_id": doc_id, "gold": [review, plan]})
                if sum(item["doc_id"] == doc_id for item in out) >= 4:
                    break
        for _ in range(5):
            if not periods["review"] or not periods["plan"]:
                break
            review, plan = rng.choice(periods["review"]), rng.choice(periods["plan"])
            a, b = review.indicator, plan.indicator
            if a in b or b in a or b in review.sentence:
                continue
            question = rng.choice(OTHER).format(a=_everyday(a, rng), b=_everyday(b, rng))
            out.append({"kind": "other", "question": question, "doc_id": doc_id, "gold": [review, plan]})
    return out


def written_pairs(documents: list[DocumentInfo], per_report: int = 4, seed: int = 0) -> list[dict[str, Any]]:
    """Two written training questions of one report (one gold string each) joined into one."""
    rng = random.Random(seed)
    doc_of = {Path(d.source).name: d.doc_id for d in documents}
    by_report: dict[str, list[Example]] = defaultdict(list)
    for example in written_examples(kinds=("figure", "plan")):
        if example.answerable and len(example.answers) == 1 and example.doc in doc_of:
            by_report[example.doc].append(example)
    out = []
    for report, examples in sorted(by_report.items()):
        for _ in range(per_report if len(examples) >= 2 else 0):
            pair = rng.sample(examples, 2)
            a, b = (e.question.rstrip("？?") for e in pair)
            question = f"{a}？{b}？" if rng.random() < 0.5 else f"{a}，{b}？"
            out.append({"question": question, "doc_id": doc_of[report], "pair": pair})
    return out


def check_written_pairs(bot: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Pairs, pairs split in two, pairs whose two questions are answered right alone, and of
    those the pairs whose joined question's answer holds both gold strings."""

    alone: dict[str, bool] = {}
    counts: Counter[str] = Counter()
    for item in items:
        scope = {"doc_id": item["doc_id"]}
        for example in item["pair"]:
            if example.qid not in alone:
                alone[example.qid] = _holds(bot.ask(example.question, k=5, filters=scope), example.answers[0])
        answer = bot.ask(item["question"], k=5, filters=scope)
        right_alone = all(alone[e.qid] for e in item["pair"])
        both = right_alone and all(_holds(answer, e.answers[0]) for e in item["pair"])
        counts.update(n=1, split=len(answer.parts) == 2, right_alone=right_alone, both=both)
    share = round(counts["both"] / max(1, counts["right_alone"]), 3)
    return dict(counts) | {"both, of those right alone": share}


def _holds(answer: Answer, gold: str) -> bool:
    """The answer's text holds ``gold`` (a gold string or a fact's sentence), both normalized."""
    return answer.answer is not None and normalize(gold) in normalize(answer.answer)


def check(bot: Any, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per kind: questions, split in two, first part right, second part right, both right."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        answer = bot.ask(item["question"], k=5, filters={"doc_id": item["doc_id"]})
        parts = answer.parts if len(answer.parts) == 2 else []
        first = bool(parts) and _holds(parts[0], item["gold"][0].sentence)
        second = bool(parts) and _holds(parts[1], item["gold"][1].sentence)
        counts[item["kind"]].update(n=1, split=bool(parts), first=first, second=second, both=first and second)
    return {
        kind: {"n": c["n"], **{k: round(c[k] / c["n"], 3) for k in ("split", "first", "second", "both")}}
        for kind, c in counts.items()
    }


def main() -> None:
    bot = open_library("python -m training.two_part_check", __doc__)
    for kind, rates in check(bot, questions(bot.facts(), bot.documents)).items():
        print(kind, rates)
    print("written pairs", check_written_pairs(bot, written_pairs(bot.documents)))


if __name__ == "__main__":
    main()

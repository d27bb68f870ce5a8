"""Unit tests of the measures in qa/evaluation.py: what counts for answer@1, the AUC and reliability."""

from __future__ import annotations

from qa.evaluation import evaluate
from qa.schema import Answer, Passage

TEXT = "全年财政总收入1.6亿元。新建公园两座。"
SENTENCE = (0, TEXT.index("。") + 1)


def _reply(question: str, found: bool, confidence: float) -> Answer:
    passage = Passage("d", "《报告》", [], None, 0, len(TEXT), TEXT, passage_id="p", highlight=SENTENCE)
    quoted = TEXT[slice(*SENTENCE)] if found else None
    return Answer(question, found, quoted, [passage], {}, confidence, "answer" if found else "not_found")


def test_a_refused_right_sentence_is_a_miss_for_answer_at_1_but_a_positive_for_the_auc() -> None:
    items = [
        {"question": "quoted", "answers": ["1.6亿元"]},
        {"question": "refused", "answers": ["1.6亿元"]},
        {"question": "nothing", "answers": []},
    ]
    replies = {"quoted": (True, 0.9), "refused": (False, 0.1), "nothing": (False, 0.2)}
    result = evaluate(lambda q, k: _reply(q, *replies[q]), items)
    metrics = result["metrics"]
    assert metrics["answer@1"] == 0.5  # the refused question is not answered
    # The refused question's best sentence is right: a positive, with a confidence below the
    # unanswerable question's, so the AUC is 0.5, not the 1.0 it would be without it.
    assert metrics["confidence_auc"] == 0.5
    low = next(row for row in result["reliability"] if row["bin"] == "0.0–0.2")
    assert low["n"] == 1 and low["observed"] == 1.0  # the refused question whose sentence is right


def test_retrieval_rank_reads_the_order_retrieval_gave_before_the_answer_reordered_it() -> None:
    first = Passage("d", "《报告》", [], None, 0, 12, "全年财政总收入1.6亿元。", passage_id="a")
    chosen = Passage("d", "《报告》", [], None, 12, 20, "新建公园两座。", passage_id="b", highlight=(0, 7))
    retrieval = {"passages": [{"passage_id": "a"}, {"passage_id": "b"}]}
    shown = Answer("q", True, chosen.text, [chosen, first], retrieval, 0.9, "answer")
    result = evaluate(lambda q, k: shown, [{"question": "q", "answers": ["1.6亿元"]}])
    row = result["items"][0]
    assert (row["rank"], row["retrieval_rank"]) == (2, 1)
    assert result["metrics"]["mrr@10"] == 0.5 and result["metrics"]["retrieval_mrr@10"] == 1.0


def test_the_items_an_answer_announces_count_as_quoted() -> None:
    # "以下人群属于高危人群：" shown with its list: an item holding the gold string answers.
    lead, item = "以下人群属于高危人群：", "1. 高盐饮食，口味偏重的人；"
    text = lead + item
    passage = Passage("d", "《文章》", [], None, 0, len(text), text, passage_id="p", highlight=(0, len(lead)))
    listed = passage.with_(start=len(lead), text=item, highlight=None, passage_id="d:item")
    items = [{"question": "哪些人容易得高血压？", "answers": ["高盐饮食"]}]

    def reply(with_items: bool, found: bool = True) -> Answer:
        answer = Answer(items[0]["question"], found, lead if found else None, [passage], {}, 0.9, "answer")
        answer.items = [listed] if with_items else []
        return answer

    assert evaluate(lambda q, k: reply(True), items)["metrics"]["answer@1"] == 1.0
    assert evaluate(lambda q, k: reply(False), items)["metrics"]["answer@1"] == 0.0
    assert evaluate(lambda q, k: reply(True, found=False), items)["metrics"]["answer@1"] == 0.0

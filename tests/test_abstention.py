"""The evidence behind "not found" (no model needed): key terms, their shares, another place."""

from __future__ import annotations

from qa.pipeline.abstention import Evidence, asked_entity, gather, judge, key_terms
from qa.pipeline.answer import Choice
from qa.pipeline.query import analyze
from qa.schema import DocumentInfo, Passage

DOC = DocumentInfo(
    doc_id="d", title="紫帽镇人民政府2022年工作报告", source="z.txt", region="紫帽镇", review_year=2022
)
TEXT = "全年预计完成财政总收入1.6亿元,比增8.8%;规上工业产值26.62亿元。获评晋江市文明镇。"


def _passage(text: str = TEXT) -> Passage:
    return Passage(
        passage_id="p", doc_id="d", document=DOC.title, section=[], period="review", start=0, end=len(text),
        text=text,
    )  # fmt: skip


def _evidence(question: str, sentence_end: int = 25) -> tuple[Evidence, Choice, Passage]:
    passage = _passage()
    choice = Choice(0, (0, sentence_end), score=1.0, coverage=0.5, cosine=0.9, fits=True, wants="figure")
    idf = {"财政": 1.0, "总收": 2.0, "收入": 1.0, "政总": 2.0}
    evidence = gather(
        analyze(question), choice, passage, DOC, TEXT, lambda ts: {t: idf.get(t, 0.0) for t in ts}, 5.0
    )
    return evidence, choice, passage


def test_key_terms_leave_out_question_words_years_and_the_reports_own_name():
    terms = key_terms(analyze("紫帽镇2022年财政总收入是多少？"), DOC)
    assert terms == ("财政", "政总", "总收", "收入")
    assert key_terms(analyze("紫帽镇卫生院有多少张床位？"), DOC)[-1] == "床位"
    assert "张床" not in key_terms(analyze("紫帽镇卫生院有多少张床位？"), DOC)


def test_english_questions_take_their_key_terms_from_the_glossary():
    assert "财政" in key_terms(analyze("What was the fiscal revenue?"), DOC)


def test_a_topic_the_report_never_mentions_is_refused():
    evidence, choice, passage = _evidence("紫帽镇卫生院有多少张床位？")
    assert evidence.key_in_document < 0.2  # unseen terms weigh the most (unseen_idf)
    assert judge(analyze("紫帽镇卫生院有多少张床位？"), choice, passage, evidence, 2022) is not None


def test_the_asked_topic_found_in_the_sentence_is_answered():
    evidence, choice, passage = _evidence("紫帽镇2022年财政总收入是多少？")
    assert evidence.key_in_document == 1.0 and evidence.key_in_sentence == 1.0
    assert judge(analyze("紫帽镇2022年财政总收入是多少？"), choice, passage, evidence, 2022) is None


def test_another_place_is_refused_unless_the_sentence_names_it():
    evidence, choice, passage = _evidence("晋江市2022年财政总收入是多少？")
    assert evidence.other_place == "晋江"
    assert "晋江" in judge(analyze("晋江市2022年财政总收入是多少？"), choice, passage, evidence, 2022)
    named, _, _ = _evidence("哪个镇获评晋江市文明镇？", sentence_end=len(TEXT))
    assert named.other_place is None


def test_another_year_is_refused():
    evidence, choice, passage = _evidence("2020年财政总收入是多少？")
    assert "2020" in judge(analyze("2020年财政总收入是多少？"), choice, passage, evidence, 2022)


def test_the_asked_for_entity_is_the_noun_at_the_question_word():
    assert asked_entity("紫帽镇卫生院有多少张床位？") == "床位"  # after 多少 and its measure word
    assert asked_entity("紫帽镇居民平均工资是多少？") == "紫帽镇居民平均工资"  # before 是多少
    assert asked_entity("2024年政府工作报告里财政部部长是谁？") == "财政部部长"  # the report's name left out
    assert asked_entity("消防站") == ""  # no question word, no entity

"""The answer scorer's model file, its rankers, and a confidence model for each kind of document."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from qa.errors import ReportQAError
from qa.index.catalog import Catalog
from qa.ingest.structure import sentence_periods
from qa.pipeline.background import BACKGROUND_PATH
from qa.pipeline.features import FEATURES, Candidate
from qa.pipeline.scorer import KINDS, MODEL_PATH, AnswerScorer, default_scorer
from qa.schema import DocumentInfo, DocumentKind, Passage, document_kind
from qa.text.sentences import split_sentences


def _report(_: Candidate) -> DocumentKind:
    return "work_report"


def _features(**values: float) -> np.ndarray:
    row = np.zeros(len(FEATURES), dtype=np.float32)
    for name, value in values.items():
        row[FEATURES.index(name)] = value
    return row


def test_the_shipped_scorer_loads_and_states_its_provenance() -> None:
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert spec["sentence"]["features"] == list(FEATURES)
    unused = spec["provenance"]["not_used"]
    assert all(name in unused for name in ("dev_zimao", "dev_written", "blind_single"))
    # Trained on features weighed against the shipped background: retrain when it changes.
    assert spec["provenance"]["background_sha256"] == hashlib.sha256(BACKGROUND_PATH.read_bytes()).hexdigest()
    scorer = default_scorer()
    assert set(scorer.floors) == set(KINDS) == set(spec["confidence"])
    assert all(0.0 < floors.uncertain < floors.answer < 1.0 for floors in scorer.floors.values())


def test_a_model_file_of_other_features_is_refused(tmp_path: Path) -> None:
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    rankers = spec["sentence"]["lightgbm"]
    path = tmp_path / "old.json"

    def refused(sentence: dict, confidence: dict) -> None:
        path.write_text(json.dumps(spec | {"sentence": sentence, "confidence": confidence}), encoding="utf-8")
        with pytest.raises(ReportQAError, match="retrain"):
            AnswerScorer.load(path)

    refused(spec["sentence"] | {"features": ["cosine"]}, spec["confidence"])
    # Files of earlier versions: one ranker; several for every kind; one confidence model for every kind.
    refused(spec["sentence"] | {"lightgbm": rankers["work_report"][0]}, spec["confidence"])
    refused(spec["sentence"] | {"lightgbm": rankers["work_report"]}, spec["confidence"])
    refused(spec["sentence"], spec["confidence"]["work_report"])
    refused(spec["sentence"] | {"lightgbm": {"work_report": rankers["work_report"]}}, spec["confidence"])
    with pytest.raises(ReportQAError, match="cannot read"):
        AnswerScorer.load(tmp_path / "missing.json")


def test_the_sentence_score_is_the_mean_of_the_rankers() -> None:
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    rankers = spec["sentence"]["lightgbm"]["work_report"]
    assert len(rankers) >= 2  # several seeds, averaged
    rows = np.random.default_rng(0).random((6, len(FEATURES))).astype(np.float32)
    alone = [
        AnswerScorer(
            spec | {"sentence": spec["sentence"] | {"lightgbm": {kind: [text] for kind in KINDS}}}
        ).sentence_scores(rows, "work_report")
        for text in rankers
    ]
    assert not np.allclose(alone[0], alone[1])  # the seeds differ
    np.testing.assert_allclose(
        AnswerScorer(spec).sentence_scores(rows, "work_report"), np.mean(alone, axis=0)
    )


def test_each_candidate_is_scored_by_the_rankers_of_its_documents_kind() -> None:
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    rankers = spec["sentence"]["lightgbm"]
    assert set(rankers) == set(KINDS) and all(rankers.values())

    class Spy(AnswerScorer):
        def sentence_scores(self, matrix: np.ndarray, kind: DocumentKind) -> np.ndarray:
            return np.full(len(matrix), 1.0 if kind == "other" else 0.0)

    same = _features(cosine=0.8, coverage=1.0)
    candidates = [Candidate(0, (0, 5), "报告里的句子", same), Candidate(1, (0, 5), "文章里的句子", same)]
    scored = Spy(spec).score(candidates, lambda c: "other" if c.passage == 1 else "work_report")
    assert scored is not None and scored.best == 1
    scored = Spy(spec).score(candidates, lambda c: "other" if c.passage == 0 else "work_report")
    assert scored is not None and scored.best == 0


def test_a_span_of_only_punctuation_is_never_the_answer() -> None:
    scorer = default_scorer()
    strong = _features(cosine=0.9, coverage=1.0, bigram_coverage=1.0, rank_inverse=1.0)
    weak = _features(cosine=0.7)
    bracket = Candidate(0, (0, 1), "（", strong)
    sentence = Candidate(0, (1, 9), "全年完成投资5亿元", weak)
    scores = scorer.sentence_scores(np.stack([strong, weak]), "work_report")
    assert scores[0] > scores[1]  # on features alone the bracket would win
    scored = scorer.score([bracket, sentence], _report)
    assert scored is not None and scored.best == 1
    assert scorer.score([bracket, Candidate(1, (9, 10), "——", strong)], _report) is None


def test_a_document_is_a_work_report_by_its_title() -> None:
    assert document_kind("紫帽镇人民政府2022年工作报告") == "work_report"
    assert document_kind("2024年国务院政府工作报告") == "work_report"
    assert document_kind("关于开展家电以旧换新补贴工作的通知") == "other"
    docs = [
        DocumentInfo("r", "2026年云南省政府工作报告", "r.txt"),
        DocumentInfo("n", "城市绿化管理办法", "n.txt"),
    ]
    catalog = Catalog(docs)
    assert (catalog.kind("r"), catalog.kind("n")) == ("work_report", "other")


def test_each_kind_of_document_is_judged_by_its_own_confidence_model_and_floors() -> None:
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    spec["confidence"]["work_report"]["intercept"] = -50.0  # nothing in a report is likely
    spec["confidence"]["other"]["intercept"] = 50.0  # everything elsewhere is
    scorer = AnswerScorer(spec)
    found = [Candidate(0, (0, 9), "全年完成投资5亿元", _features(cosine=0.9, coverage=1.0))]
    in_report = scorer.score(found, _report)
    elsewhere = scorer.score(found, lambda _: "other")
    assert in_report is not None and in_report.outcome == "not_found" and in_report.confidence < 0.01
    assert elsewhere is not None and elsewhere.outcome == "answer" and elsewhere.confidence > 0.99
    spec["floors"]["other"]["answer"] = 2.0  # its own floors too: one no confidence reaches
    assert AnswerScorer(spec).score(found, lambda _: "other").outcome == "uncertain"


def test_in_a_library_of_both_kinds_the_surer_kinds_best_is_the_answer() -> None:
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    spec["confidence"]["other"]["intercept"] = -50.0  # nothing in an article is likely

    class Spy(AnswerScorer):
        def sentence_scores(self, matrix: np.ndarray, kind: DocumentKind) -> np.ndarray:
            return np.full(len(matrix), 5.0 if kind == "other" else 0.0)  # raw scores favour the article

    same = _features(cosine=0.8, coverage=1.0)
    candidates = [Candidate(0, (0, 5), "报告里的句子", same), Candidate(1, (0, 5), "文章里的句子", same)]
    scored = Spy(spec).score(candidates, lambda c: "other" if c.passage == 1 else "work_report")
    assert scored is not None and scored.best == 0 and scored.confidence > 0.01


def test_last_years_results_told_in_the_plan_part_are_review_sentences() -> None:
    # Found by a helper: "三、2011年的工作" opens with 2010's results, which had answered the 2011
    # GDP target as a plan sentence (0.82).
    text = (
        "2011年，是开局之年。过去一年，我们取得了很大成绩。国内生产总值增长10.3%。\n"
        "今年，形势依然复杂。主要预期目标是：国内生产总值增长8%左右。"
    )
    plan = Passage("d", "报告", ["三、2011年的工作"], "plan", 0, len(text), text)
    spans = [list(span) for span in split_sentences(text, 0, len(text))]
    assert sentence_periods(plan, spans) == ["plan", "review", "review", "plan", "plan"]
    review = Passage("d", "报告", ["一、回顾"], "review", 0, len(text), text)
    assert set(sentence_periods(review, spans)) == {"review"}  # only a plan part tells last year so

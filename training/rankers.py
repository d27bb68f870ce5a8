"""The sentence model: each kind of document's rankers (LightGBM lambdarank over a question's
candidate sentences, several seeds averaged), and the confidence inputs they give each training
question out of fold, which the confidence models are fitted on (training/train_scorer.py)."""

from __future__ import annotations

from typing import Any

import lightgbm
import numpy as np

from qa.pipeline.features import FEATURES
from qa.pipeline.scorer import FORMAT, KINDS, AnswerScorer
from qa.schema import DocumentKind
from training.collect import CONFIDENCE_INPUTS, Rows
from training.sources import domain_weight, of_work_reports


def _groups(qid: np.ndarray) -> list[int]:
    """Sizes of the runs of equal question ids (rows of one question are contiguous)."""
    starts = np.flatnonzero(np.r_[True, qid[1:] != qid[:-1]])
    return np.diff(np.r_[starts, len(qid)]).tolist()


def fit_sentence(rows: Rows, questions: np.ndarray, rankers: int, first_seed: int = 0) -> list[str]:
    """LightGBM ranking (lambdarank) over the candidates of the answerable questions in ``questions``:
    ``rankers`` models of seeds ``first_seed``, ``first_seed`` + 1, … whose scores the product averages
    (one seed alone moved the dev sets' answer@1 by up to 0.03)."""
    mask = np.isin(rows.qid, questions) & rows.answerable
    # Each source (CMRC, generated, written) weighs its share in all (domain_weight).
    weight = domain_weight(rows.qid[mask])
    models = []
    for seed in range(first_seed, first_seed + rankers):
        model = lightgbm.LGBMRanker(
            objective="lambdarank", n_estimators=300, learning_rate=0.05, num_leaves=15,
            min_child_samples=20, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
            random_state=seed, verbose=-1, n_jobs=2,
        )  # fmt: skip
        model.fit(rows.x[mask], rows.y[mask].astype(int), group=_groups(rows.qid[mask]), sample_weight=weight)
        models.append(model.booster_.model_to_string())
    return models


def rankers_by_kind(
    rows: Rows,
    questions: np.ndarray,
    generic: np.ndarray,
    rankers: int,
    first_seed: int = 0,
    kinds: tuple[DocumentKind, ...] = KINDS,
) -> dict[DocumentKind, list[str]]:
    """Each kind's rankers on the answerable ones of ``questions``: a work report's without the
    questions written on documents that are no report (``generic``; training/README.md,
    2026-12-06), another document's with them."""
    trained_on = {"work_report": np.setdiff1d(questions, generic), "other": questions}
    return {kind: fit_sentence(rows, trained_on[kind], rankers, first_seed) for kind in kinds}


def model_spec(
    sentence: dict[str, Any], confidence: dict[str, Any], floors: dict[str, Any]
) -> dict[str, Any]:
    """The model file's parts (``qa.pipeline.scorer``) before its version, provenance and metrics."""
    return {"format": FORMAT, "sentence": sentence, "confidence": confidence, "floors": floors}


def sentence_only(rankers: dict[DocumentKind, list[str]]) -> AnswerScorer:
    """A scorer of the sentence model alone: what the confidence inputs are read with."""
    n = len(CONFIDENCE_INPUTS)
    zeros, ones = [0.0] * n, [1.0] * n
    placeholder = {"inputs": CONFIDENCE_INPUTS, "mean": zeros, "scale": ones, "coef": zeros, "intercept": 0.0}
    floors = {"answer": 1.0, "uncertain": 0.0}
    sentence = {"features": list(FEATURES), "lightgbm": rankers}
    return AnswerScorer(model_spec(sentence, dict.fromkeys(KINDS, placeholder), dict.fromkeys(KINDS, floors)))


def out_of_fold(
    rows: Rows, folds: list[np.ndarray], scored: Rows, generic: np.ndarray, rankers: int, first_seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per question: the confidence inputs of its best candidate in ``scored`` under the rankers of
    its documents' kind fitted on the other fold's ``rows`` (``generic``: the questions written on
    documents that are no report), and whether that candidate answers (label).
    Returns (inputs, label, answerable)."""
    inputs, labels, answerable = [], [], []
    for i, fold in enumerate(folds):
        scorer = sentence_only(rankers_by_kind(rows, folds[1 - i], generic, rankers, first_seed))
        kinds = np.where(of_work_reports(fold, generic), "work_report", "other")
        for qid, kind in zip(fold, kinds, strict=True):
            z, label, ans = scored.confidence_row(qid, scorer, kind)
            inputs.append(z)
            labels.append(label)
            answerable.append(ans)
    return np.array(inputs), np.array(labels), np.array(answerable)

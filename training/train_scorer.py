"""Train the answer scorer (qa/pipeline/scorer.py) and write qa/data/answer_scorer.json.

    python -m training.train_scorer [--work DIR] [--out qa/data/answer_scorer.json]

Needs scikit-learn (``pip install -e ".[train]"``) and LightGBM; the product reads the model file
with LightGBM and numpy. Data: training/examples.py (CMRC 2018's dev split and questions generated
from reports no question set uses, and written on those reports and on documents that are no
report); never the dev or blind sets. Questions are split in two folds by document
(``training.examples.folds_by_document``): the sentence model of one fold scores the other, so the
confidence models and the floors are fitted on scores of documents the sentence model has not seen;
the final sentence model is refitted on all of them. Each kind of document (``qa.schema.document_kind``)
has its own rankers, confidence model and floors: a work report's fitted on every question but those
written on the documents that are no report (training/README.md, 2026-12-06); another document's
rankers on every question, its confidence model on CMRC's and those.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import lightgbm
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from qa.embed.embedder import load_embedder
from qa.errors import ReportQAError
from qa.pipeline.background import BACKGROUND_PATH
from qa.pipeline.features import FEATURES
from qa.pipeline.scorer import FORMAT, KINDS, AnswerScorer, ConfidenceModel
from qa.schema import DocumentKind
from training.calibration import prior_shift, reliability, reweighted, shifted
from training.collect import CONFIDENCE_INPUTS, Rows
from training.examples import (
    GENERIC_DOCS,
    GENERIC_FILES,
    TRAIN_REPORTS,
    WRITTEN_FILES,
    folds_by_document,
    written_examples,
)
from training.sources import (
    cached_rows,
    collect_all,
    collect_cross_fitted,
    document_paths,
    every_example,
    open_indexes,
    training_examples,
)

ROOT = Path(__file__).resolve().parents[1]
VERSION = 3  # 2: a confidence model and floors per kind of document; 3: rankers per kind too
CMRC_PREFIX = "DEV_"  # CMRC 2018's dev question ids; generated ones start with R (facts) or T (topics)
WRITTEN_PREFIX = "W"  # the written questions' ids (training/data/written_questions.jsonl)
# Shares of the total weight by source (training/README.md: 1:1:1 and 1:1:2 compared on the dev
# sets; without the generated or the CMRC questions both did worse).
SOURCE_SHARES = {"cmrc": 1.0, "generated": 1.0, "written": 2.0}
MAX_REFUSED_ANSWERABLE = 0.05  # the uncertain floor refuses at most this share of answerable questions
# The share of questions people ask that their report does not answer, which the confidence is
# calibrated for (training.calibration): issue 11's blind set was specified with at least 30 of 120.
ASKED_UNANSWERABLE = 0.25


def _groups(qid: np.ndarray) -> list[int]:
    """Sizes of the runs of equal question ids (rows of one question are contiguous)."""
    starts = np.flatnonzero(np.r_[True, qid[1:] != qid[:-1]])
    return np.diff(np.r_[starts, len(qid)]).tolist()


def _from_reports(qid: np.ndarray) -> np.ndarray:
    """Per row: the question was asked of a training report (generated or written), not CMRC's."""
    return ~np.char.startswith(qid.astype(str), CMRC_PREFIX)


def _written(qid: np.ndarray) -> np.ndarray:
    """Per row: the question is one of the written ones (training/data/written_*.jsonl: on the
    training reports, and on the documents that are no report)."""
    return np.char.startswith(qid.astype(str), WRITTEN_PREFIX)


def _domain_weight(qid: np.ndarray) -> np.ndarray:
    """Per row: each source's share of the total weight (``SOURCE_SHARES``) spread over its rows.
    The few written questions are the nearest to what people ask; the many CMRC rows would
    otherwise drown them."""
    cmrc, written = ~_from_reports(qid), _written(qid)
    weight = np.ones(len(qid))
    for name, source in (("cmrc", cmrc), ("generated", ~cmrc & ~written), ("written", written)):
        weight[source] = SOURCE_SHARES[name] * cmrc.sum() / max(1, source.sum())
    return weight


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value with at least share ``q`` of the total weight at or below it."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(len(values) - 1, int(np.searchsorted(cumulative, q)))])


def _fit_sentence(rows: Rows, questions: np.ndarray, rankers: int, first_seed: int = 0) -> list[str]:
    """LightGBM ranking (lambdarank) over the candidates of the answerable questions in ``questions``:
    ``rankers`` models of seeds ``first_seed``, ``first_seed`` + 1, … whose scores the product averages
    (one seed alone moved the dev sets' answer@1 by up to 0.03)."""
    mask = np.isin(rows.qid, questions) & rows.answerable
    # Each source (CMRC, generated, written) weighs its share in all (_domain_weight).
    weight = _domain_weight(rows.qid[mask])
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


def _rankers_by_kind(
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
    return {kind: _fit_sentence(rows, trained_on[kind], rankers, first_seed) for kind in kinds}


def _spec(sentence: dict[str, Any], confidence: dict[str, Any], floors: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "sentence": sentence, "confidence": confidence, "floors": floors}


def _sentence_only(rankers: dict[DocumentKind, list[str]]) -> AnswerScorer:
    """A scorer of the sentence model alone: what the confidence inputs are read with."""
    n = len(CONFIDENCE_INPUTS)
    zeros, ones = [0.0] * n, [1.0] * n
    placeholder = {"inputs": CONFIDENCE_INPUTS, "mean": zeros, "scale": ones, "coef": zeros, "intercept": 0.0}
    floors = {"answer": 1.0, "uncertain": 0.0}
    sentence = {"features": list(FEATURES), "lightgbm": rankers}
    return AnswerScorer(_spec(sentence, dict.fromkeys(KINDS, placeholder), dict.fromkeys(KINDS, floors)))


def _out_of_fold(
    rows: Rows, folds: list[np.ndarray], scored: Rows, generic: np.ndarray, rankers: int, first_seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per question: the confidence inputs of its best candidate in ``scored`` under the rankers of
    its documents' kind fitted on the other fold's ``rows`` (``generic``: the questions written on
    documents that are no report), and whether that candidate answers (label).
    Returns (inputs, label, answerable)."""
    inputs, labels, answerable = [], [], []
    for i, fold in enumerate(folds):
        scorer = _sentence_only(_rankers_by_kind(rows, folds[1 - i], generic, rankers, first_seed))
        kinds = np.where(_from_reports(fold) & ~np.isin(fold, generic), "work_report", "other")
        for qid, kind in zip(fold, kinds, strict=True):
            z, label, ans = scored.confidence_row(qid, scorer, kind)
            inputs.append(z)
            labels.append(label)
            answerable.append(ans)
    return np.array(inputs), np.array(labels), np.array(answerable)


def _fit_confidence(z: np.ndarray, label: np.ndarray, weight: np.ndarray) -> dict[str, Any]:
    """Logistic regression (standardized inputs) of whether the best candidate answers: its spec."""
    mean, scale = z.mean(axis=0), z.std(axis=0) + 1e-6
    model = LogisticRegression(C=1.0, max_iter=5000).fit((z - mean) / scale, label, sample_weight=weight)
    return {
        "inputs": CONFIDENCE_INPUTS,
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
    }


def _cross_fitted(z: np.ndarray, label: np.ndarray, weight: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Each question's confidence from the confidence model fitted on the other fold (``first``:
    per row, in the first fold): the probabilities the floor is set on and the metrics are measured
    on, as a user's new report would get them."""
    p = np.zeros(len(z))
    for held in (first, ~first):
        model = ConfidenceModel(_fit_confidence(z[~held], label[~held], weight[~held]))
        p[held] = model.probabilities(z[held])
    return p


def _fit_kind(
    z: np.ndarray,
    label: np.ndarray,
    weight: np.ndarray,
    answerable: np.ndarray,
    first: np.ndarray,
    asked: float,
) -> tuple[dict[str, Any], np.ndarray, dict[str, float]]:
    """One kind of document's confidence model, its questions' cross-fitted confidences (``first``:
    per question, in the first fold) and its floors. ``asked``: the share of unanswerable questions
    people ask, which the model is calibrated for."""
    confidence = _fit_confidence(z, label, weight)
    # Calibrated for the share of unanswerable questions people ask, not the training mix's; the
    # floor below is a quantile, so the same questions are refused either way.
    trained_share = float(weight[~answerable].sum() / weight.sum())
    shift = prior_shift(trained_share, asked)
    confidence["intercept"] += shift
    confidence["prior"] = {"trained_unanswerable": round(trained_share, 4), "asked_unanswerable": asked}
    p = shifted(_cross_fitted(z, label, weight, first), shift)
    # The lower floor: refuse no more than MAX_REFUSED_ANSWERABLE of the answerable questions, each
    # source by its share: the written ones (people's wording) as well as the generated report
    # questions (templates, easier: a floor set on them alone refused 2-3x as many real ones).
    uncertain_floor = _weighted_quantile(p[answerable], weight[answerable], MAX_REFUSED_ANSWERABLE)
    return confidence, p, {"answer": 0.5, "uncertain": round(uncertain_floor, 4)}


def _source_metrics(
    source: np.ndarray, p: np.ndarray, right: np.ndarray, answerable: np.ndarray, floor: np.ndarray
) -> dict[str, float]:
    """Out-of-fold measures of one source's questions (``source``: per question, of that source;
    ``floor``: per question, its kind's); only the count when it has none."""
    if not source.any():
        return {"questions": 0}
    asked, unanswerable = source & answerable, source & ~answerable
    judged = source & (right | ~answerable)
    refused = p < floor
    return {
        "questions": int(source.sum()),
        "top1_right_answerable": float(right[asked].mean()),
        "answered_right": float((right & ~refused)[asked].mean()),
        "refused_answerable": float(refused[asked].mean()),
        "refused_unanswerable": float(refused[unanswerable].mean()),
        "auc_right_vs_unanswerable": float(roc_auc_score(right[judged], p[judged])),
        # The floor these questions alone would set (training/README.md, 2026-12-05 night).
        "floor_alone": _weighted_quantile(p[asked], np.ones(int(asked.sum())), MAX_REFUSED_ANSWERABLE),
    }


def _kept_parts(path: Path, parser: argparse.ArgumentParser) -> dict[str, Any]:
    """The model file ``--keep-reports`` names, checked as the product checks it; one line when not."""
    try:
        spec = AnswerScorer.load(path).spec  # the checks the product makes (format, features, kinds)
        if not {"trained", "provenance"} <= spec.keys():
            raise ReportQAError(f"{path} has no trained date or provenance")
    except ReportQAError as exc:
        parser.error(f"--keep-reports: {exc}")
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/report-qa-training"))
    parser.add_argument("--out", type=Path, default=ROOT / "qa" / "data" / "answer_scorer.json")
    parser.add_argument("--reuse-rows", action="store_true", help="reuse the candidates collected last time")
    parser.add_argument("--rankers", type=int, default=3, help="sentence models (seeds) averaged")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="the rankers' first seed: another draw of the same method on the same rows (training/README.md)",
    )
    parser.add_argument(
        "--asked-unanswerable",
        type=float,
        default=ASKED_UNANSWERABLE,
        help="share of asked questions the report does not answer, which the confidence is calibrated for",
    )
    parser.add_argument(
        "--keep-reports",
        type=Path,
        metavar="FILE",
        help="keep FILE's sentence model and work reports' confidence and floors (a model file of this "
        "version); fit only the other documents' confidence: another draw of the rankers moves the dev "
        "sets' answer@1 by up to 0.02 (training/README.md)",
    )
    parser.add_argument(
        "--fold-adapters",
        type=Path,
        nargs=2,
        metavar=("WITHOUT_0", "WITHOUT_1"),
        help="embedding adapters trained without fold 0's and fold 1's documents: the confidence model "
        "and the floor are fitted on each fold's candidates collected with the one that never saw them",
    )
    args = parser.parse_args()
    if args.rankers < 1:
        parser.error("--rankers must be 1 or more")
    if not 0 < args.asked_unanswerable < 1:
        parser.error("--asked-unanswerable must lie strictly between 0 and 1")
    # Read before the long collection, so a wrong file fails in a second with one line.
    kept = _kept_parts(args.keep_reports, parser) if args.keep_reports else None
    started = time.time()
    embedder = load_embedder()
    paths = document_paths(args.work)
    bots = open_indexes(paths, args.work, embedder)
    print(f"indexes ready after {time.time() - started:.0f} s", file=sys.stderr, flush=True)

    examples = training_examples(bots)
    rows = cached_rows(args.work / "rows.npz", args.reuse_rows, lambda: collect_all(bots, examples))
    # The confidence model and the floor are fitted on what a new question gets: with fold adapters,
    # each question's candidates from the adapter that never saw it; else the shipped adapter's.
    scored = rows
    if args.fold_adapters:
        scored = cached_rows(
            args.work / "rows-fold-adapters.npz",
            args.reuse_rows,
            lambda: collect_cross_fitted(args.work, paths, examples, args.fold_adapters),
        )
    took = time.time() - started
    print(
        f"{len(np.unique(rows.qid))} questions, {len(rows.y)} candidates after {took:.0f} s", file=sys.stderr
    )

    questions = np.unique(rows.qid)
    folds = folds_by_document(np.intersect1d(questions, scored.qid), every_example(examples))
    generic_questions = np.array([e.qid for e in examples["generic"]])
    z, label, answerable = _out_of_fold(rows, folds, scored, generic_questions, args.rankers, args.first_seed)
    # Each source weighs its share in the confidence models and the floors too (_domain_weight, over
    # every question: the written share is spread over the reports' and the other documents' written
    # questions alike, so each kind's model sees its written questions at that weight per question).
    ordered = np.concatenate(folds)
    weight = _domain_weight(ordered)
    generic = np.isin(ordered, generic_questions)
    of_reports = _from_reports(ordered) & ~generic
    # The questions written on documents that are no report are answered by sentences that share few
    # words with them: in the work reports' confidence model they taught it to accept a report's near
    # misses (training/README.md, 2026-12-05 late night), so only the other documents' learns from them.
    fitted_on = {"work_report": ~generic, "other": ~of_reports}
    judges = {"work_report": of_reports, "other": ~of_reports}  # what each kind's model is measured on
    first = np.isin(ordered, folds[0])
    p, floor = np.zeros(len(ordered)), np.zeros(len(ordered))
    confidence, floors = {}, {}
    for kind in KINDS:
        on = fitted_on[kind]
        confidence[kind], p_on, floors[kind] = _fit_kind(
            z[on], label[on], weight[on], answerable[on], first[on], args.asked_unanswerable
        )
        p[judges[kind]] = p_on[judges[kind][on]]
        floor[judges[kind]] = floors[kind]["uncertain"]
    right = label.astype(bool)
    metrics = {
        "questions": len(questions),
        "answerable": int(answerable.sum()),
        "candidates": len(rows.y),
        "top1_right_answerable": float(right[answerable].mean()),
        "auc_right_vs_unanswerable": float(roc_auc_score(right[right | ~answerable], p[right | ~answerable])),
        "refused_answerable": float((p < floor)[answerable].mean()),
        "refused_unanswerable": float((p < floor)[~answerable].mean()),
        "work_report": _source_metrics(of_reports, p, right, answerable, floor),
        "written": _source_metrics(_written(ordered) & ~generic, p, right, answerable, floor),
        "generic": _source_metrics(generic, p, right, answerable, floor),
        "reliability": reliability(p, label, reweighted(weight, answerable, args.asked_unanswerable)),
        "note": "out-of-fold on the training questions (2 folds by document; the confidence model too); "
        "the reliability with each source at its share and the unanswerable questions at the asked share",
    }
    fitted: tuple[DocumentKind, ...] = (
        ("other",) if kept is not None else KINDS
    )  # the other documents' alone when reports are kept
    rankers = _rankers_by_kind(rows, questions, generic_questions, args.rankers, args.first_seed, fitted)
    if kept is not None:
        rankers["work_report"] = kept["sentence"]["lightgbm"]["work_report"]
        confidence["work_report"] = kept["confidence"]["work_report"]
        floors["work_report"] = kept["floors"]["work_report"]
        metrics["note"] += "; the work reports' measured with this run's rankers, not the kept ones"
    spec = _spec({"features": list(FEATURES), "lightgbm": rankers}, confidence, floors)
    spec |= {
        "version": VERSION,
        "trained": time.strftime("%Y-%m-%d"),
        "model": embedder.identity(),
        "provenance": {
            "cmrc2018": "dev split of ../shared/datasets/cmrc2018 (trial split held out), each question "
            "answerable and again with its paragraph filtered out",
            "reports": f"questions generated from {', '.join(TRAIN_REPORTS)} (no question set uses them)",
            "written": f"training/data/{' and '.join(path.name for path in WRITTEN_FILES)}: "
            f"{len(list(written_examples()))} questions on those reports, written by helper sessions "
            "that read only the reports",
            "generic": f"training/data/{' and '.join(path.name for path in GENERIC_FILES)}: "
            f"{len(list(written_examples(GENERIC_FILES)))} questions on the "
            f"{sum(1 for _ in GENERIC_DOCS.iterdir())} documents of training/data/generic (no report), "
            "written by helper sessions that read only those documents",
            "not_used": "tests/data dev_zimao, dev_gov, dev_written, dev_written_2, dev_written_3, "
            "blind_single, blind_library",
            "embedding_adapter": "sentence model on the shipped adapter's candidates (it saw the CMRC and "
            "written questions); confidence and floor on each fold's from an adapter trained without it"
            if args.fold_adapters
            else "the shipped adapter's (it saw the CMRC and written questions)",
            # The term weights of the features were measured against this file (qa.pipeline.background).
            "background_sha256": hashlib.sha256(BACKGROUND_PATH.read_bytes()).hexdigest(),
            "ranker_seeds": list(range(args.first_seed, args.first_seed + args.rankers)),
            # The sentence model and the work reports' confidence and floors, when kept: whose they are.
            "kept": {
                "file": str(args.keep_reports),
                "trained": kept["trained"],
                "provenance": kept["provenance"],
            }
            if kept is not None
            else None,
        },
        "metrics": metrics,
    }
    args.out.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(metrics, ensure_ascii=False, indent=1))
    print(f"wrote {args.out} after {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

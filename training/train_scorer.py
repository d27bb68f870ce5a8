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

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from qa.embed.embedder import load_embedder
from qa.errors import ReportQAError
from qa.pipeline.background import BACKGROUND_PATH
from qa.pipeline.features import FEATURES
from qa.pipeline.scorer import KINDS, AnswerScorer, ConfidenceModel
from qa.schema import DocumentKind
from training.calibration import prior_shift, reliability, reweighted, shifted
from training.collect import CONFIDENCE_INPUTS
from training.examples import (
    GENERIC_DOCS,
    GENERIC_FILES,
    TRAIN_REPORTS,
    WRITTEN_FILES,
    folds_by_document,
    written_examples,
)
from training.rankers import model_spec, out_of_fold, rankers_by_kind
from training.sources import (
    cached_rows,
    collect_all,
    collect_cross_fitted,
    document_paths,
    domain_weight,
    every_example,
    is_written,
    of_work_reports,
    open_indexes,
    training_examples,
)

ROOT = Path(__file__).resolve().parents[1]
VERSION = 3  # 2: a confidence model and floors per kind of document; 3: rankers per kind too
MAX_REFUSED_ANSWERABLE = 0.05  # the uncertain floor refuses at most this share of answerable questions
# The share of questions people ask that their report does not answer, which the confidence is
# calibrated for (training.calibration): issue 11's blind set was specified with at least 30 of 120.
ASKED_UNANSWERABLE = 0.25


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value with at least share ``q`` of the total weight at or below it."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(len(values) - 1, int(np.searchsorted(cumulative, q)))])


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


def _kept_from(path: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """Where the kept work reports' parts of the model file ``spec`` (read from ``path``) came from."""
    return spec["provenance"].get("kept") or {
        "file": str(path),
        "trained": spec["trained"],
        "provenance": spec["provenance"],
    }


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
    z, label, answerable = out_of_fold(rows, folds, scored, generic_questions, args.rankers, args.first_seed)
    # Each source weighs its share in the confidence models and the floors too (domain_weight, over
    # every question: the written share is spread over the reports' and the other documents' written
    # questions alike, so each kind's model sees its written questions at that weight per question).
    ordered = np.concatenate(folds)
    weight = domain_weight(ordered)
    generic = np.isin(ordered, generic_questions)
    of_reports = of_work_reports(ordered, generic_questions)
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
        "written": _source_metrics(is_written(ordered) & ~generic, p, right, answerable, floor),
        "generic": _source_metrics(generic, p, right, answerable, floor),
        "reliability": reliability(p, label, reweighted(weight, answerable, args.asked_unanswerable)),
        "note": "out-of-fold on the training questions (2 folds by document; the confidence model too); "
        "the reliability with each source at its share and the unanswerable questions at the asked share",
    }
    fitted: tuple[DocumentKind, ...] = (
        ("other",) if kept is not None else KINDS
    )  # the other documents' alone when reports are kept
    rankers = rankers_by_kind(rows, questions, generic_questions, args.rankers, args.first_seed, fitted)
    if kept is not None:
        rankers["work_report"] = kept["sentence"]["lightgbm"]["work_report"]
        confidence["work_report"] = kept["confidence"]["work_report"]
        floors["work_report"] = kept["floors"]["work_report"]
        metrics["note"] += "; the work reports' measured with this run's rankers, not the kept ones"
    spec = model_spec({"features": list(FEATURES), "lightgbm": rankers}, confidence, floors)
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
            "dev_written_4, blind_single, blind_library",
            "embedding_adapter": "sentence model on the shipped adapter's candidates (it saw the CMRC and "
            "written questions); confidence and floor on each fold's from an adapter trained without it"
            if args.fold_adapters
            else "the shipped adapter's (it saw the CMRC and written questions)",
            # The term weights of the features were measured against this file (qa.pipeline.background).
            "background_sha256": hashlib.sha256(BACKGROUND_PATH.read_bytes()).hexdigest(),
            "ranker_seeds": list(range(args.first_seed, args.first_seed + args.rankers)),
            # The work reports' rankers, confidence and floors, when kept: whose they are (the file
            # that first had them, when it kept them too).
            "kept": _kept_from(args.keep_reports, kept) if kept is not None else None,
        },
        "metrics": metrics,
    }
    args.out.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(metrics, ensure_ascii=False, indent=1))
    print(f"wrote {args.out} after {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

"""How well the confidence model's probabilities hold, and moving them to the questions people ask.

The confidence model is fitted on a training mix with many unanswerable questions (half of CMRC's
are asked with their paragraph taken away), more than people ask of their own report. A calibrated
probability depends on that share, so the model's log-odds are moved by the difference of the two
shares' log-odds (the prior correction of Saerens, Latinne and Decaestecker, 2002): the ranking of
questions, and so every refusal at a floor set by quantile, stays the same.
"""

from __future__ import annotations

import numpy as np

from qa.evaluation import binned


def prior_shift(trained_share: float, asked_share: float) -> float:
    """What to add to the log-odds that a question is answered when the training mix had
    ``trained_share`` unanswerable questions and the questions asked have ``asked_share``."""
    for share in (trained_share, asked_share):
        if not 0 < share < 1:
            raise ValueError(f"a share of unanswerable questions must lie strictly between 0 and 1: {share}")
    return float(np.log((1 - asked_share) / asked_share) - np.log((1 - trained_share) / trained_share))


def shifted(p: np.ndarray, shift: float) -> np.ndarray:
    """Probabilities ``p`` with ``shift`` added to their log-odds."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    return 1.0 / (1.0 + np.exp(-(np.log(p / (1 - p)) + shift)))


def reweighted(weight: np.ndarray, answerable: np.ndarray, asked_share: float) -> np.ndarray:
    """``weight`` rescaled so that the unanswerable questions carry ``asked_share`` of the total."""
    weight = np.asarray(weight, dtype=np.float64)
    unanswerable = ~np.asarray(answerable, dtype=bool)
    out = weight.copy()
    out[unanswerable] *= asked_share / weight[unanswerable].sum()
    out[~unanswerable] *= (1 - asked_share) / weight[~unanswerable].sum()
    return out


def reliability(
    p: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, bins: int = 5
) -> list[dict[str, float]]:
    """Predicted vs observed (weighted means) by bins of predicted probability (``qa.evaluation.binned``)."""
    return [
        {"bin": f"{lo:.1f}-{hi:.1f}", "n": n, "predicted": pred, "observed": obs}
        for lo, hi, n, pred, obs in binned(p, y, weight, bins)
    ]

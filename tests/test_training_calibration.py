"""Unit tests of training/calibration.py: moving a calibrated model to another share of
unanswerable questions, and the reliability table."""

from __future__ import annotations

import numpy as np
import pytest

from training.calibration import prior_shift, reliability, reweighted, shifted


def _population(share_unanswerable: float, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A score per question: answered ones ~ N(1, 1), unanswerable ones ~ N(-1, 1)."""
    answered = rng.random(n) >= share_unanswerable
    return rng.normal(np.where(answered, 1.0, -1.0), 1.0), answered


def _bayes(score: np.ndarray, share_unanswerable: float) -> np.ndarray:
    """The exact P(answered | score) of _population: the log-odds are 2 * score plus the prior's."""
    return 1.0 / (1.0 + np.exp(-(2.0 * score + np.log((1 - share_unanswerable) / share_unanswerable))))


def test_no_shift_between_equal_shares() -> None:
    assert prior_shift(0.3, 0.3) == pytest.approx(0.0)


def test_fewer_unanswerable_questions_raise_the_probability() -> None:
    assert prior_shift(0.4, 0.25) > 0
    assert prior_shift(0.25, 0.4) == pytest.approx(-prior_shift(0.4, 0.25))


def test_a_model_calibrated_on_one_mix_is_calibrated_on_another_once_shifted() -> None:
    rng = np.random.default_rng(0)
    score, answered = _population(0.25, 200_000, rng)
    trained_on_half = _bayes(score, 0.5)  # right for a mix with half unanswerable, too low here
    moved = shifted(trained_on_half, prior_shift(0.5, 0.25))
    assert np.allclose(moved, _bayes(score, 0.25))
    table = reliability(moved, answered.astype(float))
    assert all(abs(row["predicted"] - row["observed"]) < 0.02 for row in table)
    before = reliability(trained_on_half, answered.astype(float))
    assert any(row["observed"] - row["predicted"] > 0.05 for row in before)


def test_shifting_keeps_the_order_of_questions() -> None:
    p = np.array([0.01, 0.2, 0.5, 0.9, 0.999])
    assert (np.diff(shifted(p, 0.7)) > 0).all()


def test_reweighted_gives_the_unanswerable_questions_their_share() -> None:
    answerable = np.array([True, True, True, False, False])
    weight = reweighted(np.array([1.0, 2.0, 1.0, 5.0, 1.0]), answerable, 0.25)
    assert weight[~answerable].sum() / weight.sum() == pytest.approx(0.25)
    assert weight[3] / weight[4] == pytest.approx(5.0)  # within a side, the weights keep their ratio


def test_reliability_weights_the_observed_share() -> None:
    p = np.array([0.1, 0.1])
    y = np.array([1.0, 0.0])
    (row,) = reliability(p, y, np.array([3.0, 1.0]))
    assert row["observed"] == pytest.approx(0.75)
    assert row["n"] == 2


@pytest.mark.parametrize("share", [0.0, 1.0, -0.1, 1.5])
def test_a_share_outside_0_and_1_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        prior_shift(share, 0.25)

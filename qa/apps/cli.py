"""The ``report-qa`` command: ask, index, add, remove, log, eval, facts, serve (``python -m qa`` runs it too).

Every bad input ends in one readable line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from qa.api import DEFAULT_INDEX_DIR, ReportQA
from qa.apps.facts_command import facts_command
from qa.apps.index_folder import require_index
from qa.apps.listening import check_free, port_number
from qa.apps.messages import error_line, explain_error
from qa.apps.models import answer_json
from qa.apps.terminal import format_answer
from qa.apps.workers import ask_with
from qa.errors import ReportQAError
from qa.evaluation import evaluate, load_questions
from qa.facts import PERIODS
from qa.index import audit, factory
from qa.index.factory import STORES, StoreConfig
from qa.index.generations import read_manifest
from qa.ingest.loader import loadable_files
from qa.ingest.uploads import replaced
from qa.schema import LEVELS, Answer, DocumentInfo
from qa.settings import Settings, SettingsError

EXIT_BAD_INPUT = 2


def _store_options(args: argparse.Namespace) -> dict[str, str | None]:
    """The store flags as ReportQA's keyword arguments."""
    return {"store": args.store, "milvus_uri": args.milvus_uri, "milvus_collection": args.milvus_collection}


def _summary(documents: int, passages: int) -> str:
    """The size of an index, "1 document, 90 passages": the nouns agree with the numbers."""
    return f"{documents} document{'s' * (documents != 1)}, {passages} passage{'s' * (passages != 1)}"


def _open(args: argparse.Namespace, exactly: bool = False) -> ReportQA:
    """The bot of ``--index-dir``, with ``--docs`` added to it (``exactly``: the index holds only them,
    for ``eval``). Restarting a server with ``serve --docs FILE`` had removed every document uploaded
    over HTTP since, and one ``ask --docs`` on its folder too: an index there keeps what it holds."""
    options = {"model": args.model, **_store_options(args)}
    if getattr(args, "docs", None) and (exactly or not _held_documents(Path(args.index_dir))):
        return ReportQA.from_paths(args.docs, index_dir=args.index_dir, **options)
    bot = ReportQA(index_dir=args.index_dir, **options)
    if getattr(args, "docs", None):
        bot.add_documents(args.docs, client="cli")
    return bot


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    require_index(args.index_dir, args.docs)
    bot = _open(args)
    if args.question is not None:
        _print_answer(bot.ask(args.question, k=args.k), args.json, out)
        return 0
    status = 0  # no question: one a line from stdin; a bad line is reported and the rest still run
    earlier: list[str] = []  # --chat: the lines before, as the page and HTTP's earlier_questions send them
    for line in sys.stdin:
        question = line.rstrip("\n")
        try:
            answer = ask_with(bot, question, args.k, None, earlier)
        except ReportQAError as exc:
            if question.strip() or args.json:  # one object per line: the n-th answers the n-th line
                # As HTTP refuses a question: the message in Chinese, its code, the library's line.
                code, message = explain_error(exc)
                refused = {"question": question, "error": message, "code": code, "detail": str(exc)}
                print(json.dumps(refused, ensure_ascii=False), file=out)
            status = EXIT_BAD_INPUT if question.strip() else status
            continue
        finally:
            earlier += [question] if args.chat and question.strip() else []
        if args.chat and not args.json:  # which turn each answer is of, in a long conversation
            print(f"问：{question}", file=out)
        _print_answer(answer, args.json, out)
    return status


def _print_answer(answer: Answer, as_json: bool, out: TextIO) -> None:
    """One answer: as the HTTP API's JSON (one line), or as text."""
    shown = (
        json.dumps(answer_json(answer.to_dict()), ensure_ascii=False) if as_json else format_answer(answer)
    )
    print(shown, file=out)


def _index(args: argparse.Namespace, out: TextIO) -> int:
    started = time.perf_counter()
    if args.source:
        if args.paths:
            raise ReportQAError("give either PATH ... or --from INDEX_DIR, not both")
        # Moving an index between stores: documents, passages and vectors are copied, not embedded.
        source = factory.load(Path(args.source), StoreConfig.from_settings(Settings.from_env()))
        if source is None:
            raise ReportQAError(f"{args.source} holds no index")
        data = factory.copy(
            source,
            Path(args.index_dir),
            StoreConfig.from_settings(
                Settings.from_env(), args.store, args.milvus_uri, args.milvus_collection
            ),
        )
        documents, count = data.documents, data.passage_count
    elif not args.paths:
        raise ReportQAError("nothing to index: give PATH ... or --from INDEX_DIR")
    else:
        held = _held_documents(Path(args.index_dir))
        bot = ReportQA.from_paths(
            args.paths,
            index_dir=args.index_dir,
            model=args.model,
            rebuild=args.rebuild,
            client="cli",
            **_store_options(args),
        )
        documents, count = bot.documents, bot.passage_count
        kept = {d.content_hash for d in documents}
        editions = {(d.source, d.title) for d in documents}
        for info in held:  # the index holds exactly PATH ...: say what left it (`add` keeps them)
            if info.content_hash in kept:
                continue
            if (info.source, info.title) in editions:
                print(f"replaced {_document_line(info)}: its file has changed", file=out)
            else:
                print(f"removed {_document_line(info)}: not among PATH", file=out)
    took = time.perf_counter() - started
    print(f"{_summary(len(documents), count)} in {args.index_dir} ({took:.1f} s)", file=out)
    for info in documents:
        print(f"  {_document_line(info)}", file=out)
    return 0


def _document_line(info: DocumentInfo) -> str:
    return f"{info.doc_id}  {info.title}  ({info.source}, {info.year or '?'}, {info.region or '?'})"


def _held_documents(index_dir: Path) -> list[DocumentInfo]:
    """The documents of the index in ``index_dir`` (none when there is no readable one)."""
    try:
        manifest = read_manifest(index_dir)
    except ReportQAError:
        return []
    return [DocumentInfo(**d) for d in (manifest or {}).get("documents", [])]


def _add(args: argparse.Namespace, out: TextIO) -> int:
    if read_manifest(Path(args.index_dir)) is None:  # no index yet: these files make it
        return _index(argparse.Namespace(**vars(args), source=None, rebuild=False), out)
    bot = ReportQA(index_dir=args.index_dir, model=args.model, **_store_options(args))
    held = bot.documents
    # What can be read is added, and every file that cannot is named (as the page's upload does).
    readable, refused = loadable_files(args.paths)
    for exc in refused:
        print(f"report-qa: error: {error_line(exc)}", file=sys.stderr)
    added = bot.add_documents(readable, client="cli") if readable else []
    for info in replaced(held, bot):  # an edited file's earlier version
        print(f"replaced {_document_line(info)}: its file has changed", file=out)
    for info in added:
        print(f"added {_document_line(info)}", file=out)
    if not added and readable:
        print("nothing added: every file is in the index already", file=out)
    print(f"{_summary(len(bot.documents), bot.passage_count)} in {args.index_dir}", file=out)
    return EXIT_BAD_INPUT if refused else 0


def _remove(args: argparse.Namespace, out: TextIO) -> int:
    require_index(args.index_dir)
    bot = ReportQA(index_dir=args.index_dir, model=args.model, **_store_options(args))
    for doc_id in args.doc_ids:
        info = bot.remove_document(doc_id, client="cli")
        print(f"removed {_document_line(info)}", file=out)
    print(f"{_summary(len(bot.documents), bot.passage_count)} in {args.index_dir}", file=out)
    return 0


def _log(args: argparse.Namespace, out: TextIO) -> int:
    if args.last is not None and args.last < 1:
        raise ReportQAError("--last must be at least 1")
    require_index(args.index_dir)
    # The audit log is a plain file in the index folder: no model, no store connection needed.
    entries = audit.read(Path(args.index_dir), args.last)
    for entry in entries:
        if args.json:
            print(json.dumps(entry, ensure_ascii=False), file=out)
        else:
            action = {"add": "加入", "remove": "移除"}.get(entry.get("action"), entry.get("action"))
            print(
                f"{entry.get('time')}  {action}  {entry.get('doc_id')}  《{entry.get('title')}》  "
                f"{entry.get('file')}  {str(entry.get('content_hash'))[:16]}  {entry.get('client') or '-'}",
                file=out,
            )
    if not entries and not args.json:
        print(f"{args.index_dir} 没有变更记录 (no changes recorded).", file=out)
    return 0


def _eval(args: argparse.Namespace, out: TextIO) -> int:
    items = load_questions(args.qa_file)
    require_index(args.index_dir, args.docs)
    bot = _open(args, exactly=True)
    sources = {d.doc_id: d.source for d in bot.documents}
    result = evaluate(lambda q, k: bot.ask(q, k=k), items, k=args.k, sources=sources)
    if args.json:
        print(json.dumps(result, ensure_ascii=False), file=out)
        return 0
    for row in result["items"]:
        if row["answerable"] and row["rank"] != 1:
            print(f"  rank {row['rank'] or '-':>2}  {row['question']}", file=out)
    for key, value in result["metrics"].items():
        print(f"{key:>28}: {value}", file=out)
    return 0


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    from qa.apps.server import serve  # the web stack loads only for this command

    require_index(args.index_dir, args.docs)
    check_free(args.host, args.port)
    print(f"report-qa: loading the model and the index in {args.index_dir} ...", file=out, flush=True)
    started = time.perf_counter()
    bot = _open(args)
    bot.scorer  # noqa: B018  -- loaded lazily (LightGBM imports scikit-learn, ~2 s): not at the first ask
    size, took = _summary(len(bot.documents), bot.passage_count), time.perf_counter() - started
    print(f"report-qa: {size} ready in {took:.1f} s", file=out, flush=True)
    settings = replace(bot.settings, public=True) if args.public else bot.settings
    if args.ask_workers is not None:
        settings = replace(settings, ask_workers=args.ask_workers)
    serve(bot, host=args.host, port=args.port, settings=settings)
    return 0


def _count(raw: str) -> int:
    """A whole number of at least 0 (argparse prints the error and exits 2 otherwise)."""
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, not {raw!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand; each sets ``run`` to the function that does it."""
    parser = argparse.ArgumentParser(prog="report-qa", description="Ask Chinese government work reports.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index-dir", default=DEFAULT_INDEX_DIR, help="index folder (default: ./index)")
        p.add_argument(
            "--model", default=None, help="sentence-transformers model (default: multilingual-e5-small)"
        )
        stores(p)

    def stores(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--store",
            choices=STORES,
            default=None,
            help="where the index lives (default: what --index-dir holds; local for a new index)",
        )
        p.add_argument(
            "--milvus-uri",
            metavar="URI",
            help="Milvus Lite file (x.db) or http(s)://host:port (default: $MILVUS_URI); "
            "credentials from MILVUS_TOKEN or MILVUS_USER/MILVUS_PASSWORD",
        )
        p.add_argument("--milvus-collection", metavar="NAME", help="collection name prefix")

    ask = sub.add_parser("ask", help="answer a question (or one per line from stdin)")
    ask.add_argument("question", nargs="?", help="the question; omit to read questions from stdin")
    ask.add_argument("--k", type=int, default=5, help="passages to show (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per question)")
    ask.add_argument("--chat", action="store_true", help="stdin's lines are one chat: follow-ups")
    ask.add_argument("--docs", nargs="+", metavar="PATH", help="add these files/folders to the index first")
    common(ask)
    ask.set_defaults(run=_ask)

    index = sub.add_parser(
        "index",
        help="index exactly these files and folders (.txt .md .html .pdf .docx): others leave the index",
    )
    index.add_argument("paths", nargs="*", metavar="PATH")
    index.add_argument(
        "--from",
        dest="source",
        metavar="INDEX_DIR",
        help="copy the index of INDEX_DIR (any store) into --index-dir/--store, without re-embedding",
    )
    index.add_argument(
        "--rebuild", action="store_true", help="replace the index even if it is damaged or foreign"
    )
    common(index)
    index.set_defaults(run=_index)

    add = sub.add_parser("add", help="add files and folders to the index, keeping what it holds")
    add.add_argument("paths", nargs="+", metavar="PATH")
    common(add)
    add.set_defaults(run=_add)

    remove = sub.add_parser("remove", help="remove documents (by doc_id) and their passages from the index")
    remove.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    common(remove)
    remove.set_defaults(run=_remove)

    log = sub.add_parser("log", help="the record of documents added and removed (audit log)")
    log.add_argument("--last", type=int, metavar="N", help="only the newest N changes")
    log.add_argument("--json", action="store_true", help="print JSON lines, one change per line")
    log.add_argument("--index-dir", default=DEFAULT_INDEX_DIR, help="index folder (default: ./index)")
    log.set_defaults(run=_log)

    ev = sub.add_parser("eval", help="score a question set (JSON lines with question and answers)")
    ev.add_argument("qa_file", metavar="QA.jsonl")
    ev.add_argument("--k", type=int, default=5)
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--docs", nargs="+", metavar="PATH")
    common(ev)
    ev.set_defaults(run=_eval)

    facts = sub.add_parser("facts", help="list the key figures (指标, 数值, 变化) of the reports")
    facts.add_argument("--json", action="store_true", help="print JSON lines, one fact per line")
    facts.add_argument("--doc", metavar="DOC_ID", help="only this document")
    facts.add_argument("--indicator", metavar="TEXT", help="only indicators containing TEXT, e.g. 财政")
    facts.add_argument("--period", choices=PERIODS, help="only review or plan (or other) figures")
    facts.add_argument("--series", action="store_true", help="one headline figure of --indicator per report")
    for name, kind, values in (("--level", str, LEVELS), ("--year", int, None), ("--region", str, None)):
        facts.add_argument(name, type=kind, choices=values, help="--series: only reports of this " + name[2:])
    facts.add_argument(
        "--docs", nargs="+", metavar="PATH", help="read these files/folders instead of the index (no model)"
    )
    facts.add_argument("--index-dir", default=DEFAULT_INDEX_DIR, help="index folder (default: ./index)")
    stores(facts)
    facts.set_defaults(run=facts_command)

    srv = sub.add_parser("serve", help="start the web chat and the JSON API")
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    srv.add_argument("--port", type=port_number, default=7860, help="port (default: 7860)")
    srv.add_argument(
        "--public",
        action="store_true",
        help="read-only for visitors even on a loopback address (behind a reverse proxy)",
    )
    srv.add_argument("--docs", nargs="+", metavar="PATH", help="add these files/folders to the index first")
    srv.add_argument(
        "--ask-workers",
        type=_count,
        metavar="N",
        help="answer /api/ask in N processes, one per core (each holds the model and the index; "
        "default: REPORT_QA_ASK_WORKERS or 0, the server's own process)",
    )
    common(srv)
    srv.set_defaults(run=_serve)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    try:
        code = args.run(args, out)
        out.flush()  # so that a reader gone away shows here, inside this handler
        return code
    except (ReportQAError, SettingsError) as exc:
        print(f"report-qa: error: {error_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``report-qa facts | head``): stop quietly, as Unix tools do. stdout
        # goes to devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by the broken pipe


if __name__ == "__main__":
    sys.exit(main())

"""The command line: a thin layer over the library. Parse, call one library function, print."""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import re
import sys
import time
from collections.abc import Sequence
from html import unescape
from importlib.metadata import entry_points
from pathlib import Path

from . import __version__
from .analysis.analyzer import analyze
from .errors import SearchError
from .index import DEFAULT_INDEX, Index, WriteStats
from .language import DOCUMENT_LANGS
from .load.documents import input_bytes, load_documents
from .present.results import SearchResult
from .progress import Progress
from .sharded import ShardedIndex, is_sharded, open_index, write_sharded
from .text import printable, printable_json

DEFAULT_SOURCES = ["seeds"]
EXIT_ERROR = 1
EXIT_USAGE = 2
MAX_TOPICS_SHOWN = 8
SHOWN_SKIPS = 20  # files skipped (or read with a repair) listed in the summary without --verbose
SKIP_LIST = "skipped.tsv"  # in the index folder: every file the last write skipped, kind TAB path TAB reason


def _documents(paths: Sequence[str], skipped: list, warnings: list, seen: set[str], follow_symlinks: bool,
               source: str, progress: Progress):
    done = 0.0  # bytes of the paths read whole
    for path in paths:
        for doc in load_documents(path, on_skip=lambda p, reason: skipped.append((p, reason)),
                                  on_warning=lambda p, note: warnings.append((p, note)),
                                  follow_symlinks=follow_symlinks, source=source,
                                  on_read=functools.partial(_read_after, progress, done)):
            seen.add(doc.id)
            yield doc
        done = progress.bar.n


def _read_after(progress: Progress, before: float, nbytes: int) -> None:
    """Progress told of `nbytes` read of a path, after `before` bytes of the paths read whole."""
    progress.read(before + nbytes)


def cmd_index(args: argparse.Namespace) -> int:
    paths = args.paths or DEFAULT_SOURCES
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise SearchError(f"no such file or folder: {', '.join(missing)}")
    skipped: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    seen: set[str] = set()
    progress = Progress(sum(input_bytes(p, args.follow_symlinks) for p in paths))
    started = time.perf_counter()
    documents = _documents(paths, skipped, warnings, seen, args.follow_symlinks, args.source, progress)
    wait = not args.no_wait
    try:
        index: Index | ShardedIndex
        if args.shards is not None or is_sharded(Path(args.index)):
            index = write_sharded(args.index, documents, args.shards, progress=progress, procs=args.procs,
                                  wait=wait, rebuild=args.rebuild)
        else:
            index = Index.build_or_update(args.index, documents, progress=progress, procs=args.procs, wait=wait,
                                          rebuild=args.rebuild, rebuild_if_unreadable=args.rebuild_if_unreadable)
        stats = index.last_write
        if args.prune and not stats.built:
            roots = [str(Path(p).resolve()) for p in paths]
            gone = [i for i, origin in index.ids().items()
                    if i not in seen and any(origin == r or origin.startswith(r.rstrip("/") + "/") for r in roots)]
            stats.removed = index.delete(gone, wait=wait)
    finally:
        progress.done()
    stats.skipped = skipped + stats.skipped
    stats.warnings = warnings + stats.warnings
    stats.seconds = time.perf_counter() - started
    with index:
        print(_summary(stats, len(index), "built" if stats.built else "updated", args.index, args.verbose))
    return 0


def _summary(stats: WriteStats, total: int, verb: str, where: str, verbose: bool = False) -> str:
    """What a write did; each file skipped (or read with a repair) with its reason: the first SHOWN_SKIPS unless
    `verbose`, and then all of them in the index folder's SKIP_LIST, named here."""
    seconds = max(stats.seconds, 1e-9)
    lines = [
        f"Index {verb} at {where}: {total:,} documents.",
        f"  indexed {stats.added:,} new, updated {stats.updated:,}, unchanged {stats.unchanged:,}, "
        f"removed {stats.removed:,}, skipped {len(stats.skipped):,}",
        f"  {seconds:.2f} s, {stats.written / seconds:,.0f} docs/s, {stats.bytes / 1e6 / seconds:,.2f} MB/s",
    ]
    notes = [("skipped", path, reason) for path, reason in stats.skipped]
    notes += [("warning", path, note) for path, note in stats.warnings]
    shown = notes if verbose else notes[:SHOWN_SKIPS]
    lines += [f"  {kind} {path}: {reason}" for kind, path, reason in shown]
    if len(shown) < len(notes):
        skip_list = Path(where) / SKIP_LIST
        try:
            skip_list.write_text("".join(f"{kind}\t{path}\t{reason}\n" for kind, path, reason in notes),
                                 encoding="utf-8", errors="backslashreplace")
            lines.append(f"  ... and {len(notes) - len(shown):,} more: every one is in {skip_list} "
                         f"(or run with --verbose)")
        except OSError as error:
            lines.append(f"  ... and {len(notes) - len(shown):,} more (run with --verbose; {skip_list}: "
                         f"{error.strerror})")
    return printable("\n".join(lines))


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def terminal_html(html: str, color: bool) -> str:
    """Snippet HTML as terminal text: marks in bold yellow (or [brackets] without colour), entities decoded,
    and the document's own control characters (escape sequences) made harmless.

    >>> terminal_html("a <mark>b&amp;c</mark> \x1b[2J", color=False)
    'a [b&c] \ufffd[2J'
    """
    out, cursor = [], 0
    for match in _MARK.finditer(html):
        out.append(printable(unescape(html[cursor:match.start()])))
        word = printable(unescape(match.group(1)))
        out.append(f"\x1b[1;33m{word}\x1b[0m" if color else f"[{word}]")
        cursor = match.end()
    out.append(printable(unescape(html[cursor:])))
    return "".join(out)


def render_text(result: SearchResult, color: bool) -> str:
    """A result page as terminal text."""
    noun = "result" if result.total == 1 else "results"
    shown = result.searched if result.corrections else result.query
    lines = [printable(f"{result.total:,} {noun} for {shown!r} ({result.took_ms:.1f} ms)")
             + (f", page {result.page} of {result.pages}" if result.pages > 1 else "")]
    for missing in result.missing:
        lines.append(printable(f"partial: {missing['shard']} did not answer ({missing['reason']}); these are the "
                               "other shards' results"))
    if result.corrections:
        changes = ", ".join(f"{c.source} → {c.target} ({c.via})" for c in result.corrections)
        lines.append(printable(f"Showing results for {result.searched!r} ({changes}); "
                               f"search instead for {result.query!r} with --exact"))
    if result.suggestion:
        lines.append(printable(f"Did you mean {result.suggestion!r}?"))
    first = (result.page - 1) * result.per_page
    for number, hit in enumerate(result.hits, first + 1):
        source = hit.url or hit.site or (hit.path if hit.path != hit.id else "")  # a file's id is its path already
        meta = " · ".join(x for x in (hit.lang, hit.date, source) if x)
        lines.append("")
        lines.append(f"{number}. {terminal_html(hit.title_html, color)}")
        lines.append(printable(f"   {meta} · {hit.id} · score {hit.score:.2f}"))
        lines.append(f"   {terminal_html(hit.snippet, color)}")
        if hit.topics:
            lines.append(printable(f"   topics: {', '.join(hit.topics[:MAX_TOPICS_SHOWN])}"
                                   + (" …" if len(hit.topics) > MAX_TOPICS_SHOWN else "")))
        if hit.crossed:
            lines.append(printable(f"   found through the other language: {hit.crossed_text}"))
        if hit.similar_count:
            others = "; ".join(f"{s['title']} ({s['id']})" for s in hit.similar)
            more = f"; and {hit.similar_count - len(hit.similar)} more" if hit.similar_count > len(hit.similar) else ""
            lines.append(printable(f"   and {hit.similar_count} similar: {others}{more}"))
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    with open_index(args.index) as index:
        result = index.search(" ".join(args.query), page=args.page, per_page=args.limit, lang=args.lang,
                              cross_language=args.cross_language, typos=not args.exact, collapse=args.collapse,
                              since=args.since, until=args.until, source=args.source, topic=args.topic,
                              sort=args.sort)
    if args.json:
        print(printable_json(result.to_dict()))
    else:
        print(render_text(result, color=sys.stdout.isatty()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with open_index(args.index) as index:
        stats = index.stats()
    if args.json:
        print(printable_json(stats))
        return 0
    if "shards" in stats:
        print(f"Sharded index at {stats['path']}: {len(stats['shards'])} shards")
        print(f"  documents: {stats['documents']:,}")
        print("  languages: " + ", ".join(f"{k} {v:,}" for k, v in stats["languages"].items()))
        for shard in stats["shards"]:
            print(f"  {shard['folder']}: {shard['documents']:,} document{'' if shard['documents'] == 1 else 's'} "
                  f"({shard['generation']})")
        return 0
    print(f"Index at {stats['path']} ({stats['generation']}, format {stats['format']})")
    print(f"  documents: {stats['documents']:,}")
    print("  languages: " + ", ".join(f"{k} {v:,}" for k, v in stats["languages"].items()))
    print(f"  terms: title {stats['terms']['title']:,}, text {stats['terms']['text']:,}")
    print(f"  size on disk: {stats['size_bytes'] / 1e6:,.2f} MB")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with Index.open(args.index) as index:
        report = index.check()
    print(f"Index at {args.index} ({report['generation']}): {report['documents']:,} documents, "
          f"{report['files']} files, {report['bytes'] / 1e6:,.2f} MB; every checksum matches.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    with Index.restore(args.backup, args.index, wait=not args.no_wait) as index:
        report = index.check(checksums=False)
    print(f"Restored {args.backup} into {args.index} ({report['generation']}): {report['documents']:,} documents.")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    print(printable(" ".join(analyze(" ".join(args.text)))))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bilingual-search",
                                     description="Bilingual Russian + English full-text search.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("index", help="build or update the index from files and folders")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to index (default: seeds/)")
    p.add_argument("--index", default=str(DEFAULT_INDEX), help="index folder (default: index/)")
    p.add_argument("--rebuild", action="store_true", help="build a new index from scratch and swap it in")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1),
                   help="writer processes for a full build (default: 2 where there are 2 cores)")
    p.add_argument("--no-wait", action="store_true",
                   help="fail at once, instead of waiting, when another process is writing the index")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="follow symbolic links to files and folders outside the folders indexed")
    p.add_argument("--rebuild-if-unreadable", action="store_true",
                   help="rebuild an index that cannot be opened (older format, damaged) instead of refusing")
    p.add_argument("--source", default="",
                   help="the source of documents that name none and have no url (a corpus's publisher: reuters)")
    p.add_argument("--shards", type=int, metavar="N",
                   help="build the index in N shards (a folder each, searched together: docs/scaling.md); "
                        "an index built so is updated in its shards without it")
    p.add_argument("--verbose", action="store_true",
                   help="list every file skipped or repaired (otherwise the first 20, and all in the index folder)")
    p.set_defaults(func=cmd_index)

    p = commands.add_parser("search", help="search the index")
    p.add_argument("query", nargs="+", help="query text: words, \"phrases\", -word, OR, title:, lang:ru, word*")
    p.add_argument("--index", default=str(DEFAULT_INDEX), help="index folder (default: index/)")
    p.add_argument("--lang", choices=DOCUMENT_LANGS, help="only documents in this language")
    p.add_argument("--limit", type=int, default=10, help="results per page (default: 10)")
    p.add_argument("--page", type=int, default=1, help="page of results (default: 1)")
    p.add_argument("--json", action="store_true", help="print the JSON API's result shape")
    p.add_argument("--no-cross-language", dest="cross_language", action="store_false",
                   help="only the query's own words: no translations, no names across scripts")
    p.add_argument("--all-copies", dest="collapse", action="store_false",
                   help="list every copy of a story (a repeat, a re-filed report) instead of once, 'and N similar'")
    p.add_argument("--exact", action="store_true",
                   help="the words exactly as typed: no typo, keyboard layout or Latin-letter corrections")
    p.add_argument("--since", help="only documents dated on or after: 2018, 2018-05, 2018-05-29, '29 мая 2018'")
    p.add_argument("--until", help="only documents dated on or before (the whole period named: 2018-05 is all May)")
    p.add_argument("--source", action="append", help="only documents from this source (repeat for either of several)")
    p.add_argument("--topic", action="append", help="only documents with this topic or keyword (repeat: all of them)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance",
                   help="relevance (default) or date: the newest first")
    p.set_defaults(func=cmd_search)

    p = commands.add_parser("stats", help="show what the index holds")
    p.add_argument("--index", default=str(DEFAULT_INDEX), help="index folder (default: index/)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_stats)

    p = commands.add_parser("check", help="check every file of the index against its recorded checksum")
    p.add_argument("--index", default=str(DEFAULT_INDEX), help="index folder (default: index/)")
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("restore", help="make a backup copy of an index live again, safely while serving")
    p.add_argument("backup", help="a copy of an index folder (cp -r index backup)")
    p.add_argument("--index", default=str(DEFAULT_INDEX), help="index folder (default: index/)")
    p.add_argument("--no-wait", action="store_true", help="fail at once if another process is writing the index")
    p.set_defaults(func=cmd_restore)

    p = commands.add_parser("analyze", help="show the index terms a text analyzes into")
    p.add_argument("text", nargs="+", help="text to analyze")
    p.set_defaults(func=cmd_analyze)

    # Commands from other installed parts (the web UI's `serve`): the library does not import them.
    for entry_point in entry_points(group="bilingual_search.commands"):
        entry_point.load()(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _show_library_notices()
    try:
        return args.func(args)
    except (SearchError, OSError) as error:
        if isinstance(error, BrokenPipeError):
            return _closed_output()
        print(printable(f"bilingual-search: error: {_message(error)}"), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("bilingual-search: interrupted; the previous index is intact.", file=sys.stderr)
        return 130


def _message(error: Exception) -> str:
    if isinstance(error, OSError) and not isinstance(error, SearchError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error)


def _closed_output() -> int:
    """The reader of our output went away (`search ... | head -1`): not an error worth a word."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def _show_library_notices() -> None:
    """The library's notices (a writer waiting for the lock) as one line each on stderr."""
    logger = logging.getLogger("search")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("bilingual-search: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


if __name__ == "__main__":
    sys.exit(main())

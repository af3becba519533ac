"""`bilingual-search serve`: the web UI under waitress, registered into the library's CLI by entry point.

waitress rather than gunicorn: pure Python, no compiler, runs the same on Linux, macOS and Windows laptops. Its
threads share one process's searchers, and a search holds a core while it scores, so `serve` runs one worker
process per core (`--workers`, `web.workers`) on one listening socket; the dictionaries are loaded before the
workers fork, so their pages are shared.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys

from search import SearchError, ServingCollector, warm_up

from .server import make_server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
# Worker threads: they share two searchers, so a thread costs a stack, not caches. Half may hold long queries
# (SEARCH_LONG_QUERY_SLOTS): with 8, a load of 8 clients sending headlines (often long) had 427 of 5,491
# requests refused with a 429 while long queries gave way to short ones; 16 leaves 8 for each.
DEFAULT_THREADS = 16


def register(commands) -> None:
    """Add the `serve` command to the CLI's subcommands."""
    p = commands.add_parser("serve", help="serve the search page and the JSON API")
    p.add_argument("--index", default="index", help="index folder (default: index/)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    p.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                   help=f"threads per worker process (default: {DEFAULT_THREADS})")
    p.add_argument("--workers", type=int, default=None,
                   help=f"worker processes, each serving on the same port (default: one per core, here "
                        f"{default_workers()}; one when Ray serves the shards)")
    p.add_argument("--shards", type=int, metavar="N",
                   help="serve an index built in N shards (index --shards N) by N Ray actors on a local Ray, "
                        "started and stopped with the server (pip install 'bilingual-search[cluster]')")
    p.add_argument("--ray-address", metavar="ADDRESS",
                   help="serve the shards by actors of a running Ray cluster (ray start --head; 'auto' finds "
                        "the one on this machine)")
    p.set_defaults(func=serve)


def default_workers() -> int:
    """One worker per core this process may run on; one where processes cannot fork (Windows)."""
    if not hasattr(os, "fork"):
        return 1
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, len(cores))


def serve(args: argparse.Namespace) -> int:
    from search import open_index

    from .workers import listening_sockets, run_workers

    args.ray = _ray_of(args)
    if args.workers is None:
        args.workers = 1 if args.ray else default_workers()
    if args.workers < 1 or args.threads < 1:
        raise SearchError("--workers and --threads take a number of at least 1.")
    if args.ray and args.workers > 1:
        raise SearchError("Ray's actors serve the shards on every core: serve them with one worker process "
                          "(leave out --workers).")
    open_index(args.index).close()  # fail now, with the rebuild message, rather than on the first request
    if args.workers == 1:
        return _serve_one(args)
    try:
        sockets = listening_sockets(args.host, args.port, args.workers)
    except OSError as error:
        raise _cannot_listen(args, error) from None
    public_url = f"http://{args.host}:{sockets[0].getsockname()[1]}"
    warm_up()  # the dictionaries and the lexicon, loaded once and shared by the workers forked below

    def work(slot: int) -> None:
        app = _app(args, public_url)
        _run(app, make_server(app, threads=args.threads, sockets=[sockets[slot % len(sockets)]]))

    def started_all() -> None:  # connections queue until a worker takes them
        print(f"Serving the search page on {public_url}/ (index: {args.index}, {args.workers} worker processes); "
              f"Ctrl-C stops.", file=sys.stderr, flush=True)

    status = run_workers(args.workers, work, say=lambda line: print(line, file=sys.stderr, flush=True),
                         started_all=started_all)
    for sock in sockets:
        sock.close()
    return status


def _ray_of(args: argparse.Namespace) -> str:
    """SEARCH_RAY for `--shards N` (a local Ray: "local") or `--ray-address` (the cluster's address), checked
    against the index: "" when neither is asked for."""
    from search import ShardedIndex

    if args.shards is None and not args.ray_address:
        return ""
    count = ShardedIndex.shards_at(args.index)  # IndexNotFoundError says how to build one
    if args.shards is not None and args.shards != count:
        raise SearchError(f"The index at {args.index} has {count} shards, not {args.shards}: serve it with "
                          f"--shards {count}, or rebuild it with: bilingual-search index PATH --index "
                          f"{args.index} --rebuild --shards {args.shards}")
    return args.ray_address or "local"


def _serve_one(args: argparse.Namespace) -> int:
    """One process, its threads serving."""
    app = _app(args, "")
    try:
        server = make_server(app, args.host, args.port, args.threads)
    except OSError as error:
        raise _cannot_listen(args, error) from None
    app.config["SEARCH_PUBLIC_URL"] = f"http://{args.host}:{server.effective_port}"
    warm_up()  # the dictionaries and the lexicon, before the first visitor's request
    if args.ray:
        from .app_index import get_index

        with app.app_context():
            get_index()  # the shards' actors started (and a local Ray) before the page says it serves
    served = f"{args.index}, its shards on Ray" if args.ray else args.index
    print(f"Serving the search page on http://{args.host}:{server.effective_port}/ (index: {served}); "
          f"Ctrl-C stops.", file=sys.stderr, flush=True)
    _run(app, server)
    return 0


def _app(args: argparse.Namespace, public_url: str):
    from . import create_app

    return create_app({"SEARCH_INDEX": args.index, "SEARCH_LONG_QUERY_SLOTS": max(1, args.threads // 2),
                       "SEARCH_WORKERS": args.workers, "SEARCH_PUBLIC_URL": public_url, "SEARCH_RAY": args.ray})


def _run(app, server) -> None:
    """Open the app's index, warm it, and serve until stopped."""
    from .app_index import get_index

    with app.app_context():
        index = get_index()
    index.warm_up()  # the index's searchers, scoring arrays and vocabulary, before the first request
    collector = ServingCollector(generation=lambda: index.generation)  # no full collection mid-request
    collector.start()
    try:
        server.run()
    finally:
        collector.stop()
        server.close()
        index.close()  # a sharded index's Ray actors, and the local Ray it started


def _cannot_listen(args: argparse.Namespace, error: OSError) -> SearchError:
    return SearchError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
                       + (" (another program uses that port; try --port 8080)"
                          if error.errno == errno.EADDRINUSE else ""))

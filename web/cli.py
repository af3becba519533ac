"""`bilingual-search serve`: the web UI under waitress, registered into the library's CLI by entry point.

waitress rather than gunicorn: pure Python, no compiler, runs the same on Linux, macOS and Windows laptops, and
serves from threads in one process, so the morphology dictionaries and the lemma cache are loaded once instead
of once per forked worker.
"""

from __future__ import annotations

import argparse
import errno
import sys

from search import SearchError, ServingCollector, warm_up

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
    p.add_argument("--threads", type=int, default=DEFAULT_THREADS, help=f"worker threads (default: {DEFAULT_THREADS})")
    p.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    from . import create_app
    from .app_index import get_index
    from .server import make_server

    app = create_app({"SEARCH_INDEX": args.index, "SEARCH_LONG_QUERY_SLOTS": max(1, args.threads // 2)})
    with app.app_context():
        get_index()  # fail now, with the rebuild message, rather than on the first request
    try:
        server = make_server(app, args.host, args.port, args.threads)
    except OSError as error:
        raise SearchError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}"
                          + (" (another program uses that port; try --port 8080)"
                             if error.errno == errno.EADDRINUSE else "")) from None
    app.config["SEARCH_PUBLIC_URL"] = f"http://{args.host}:{server.effective_port}"
    warm_up()  # the dictionaries and the lexicon, before the first visitor's request
    with app.app_context():
        index = get_index()
    index.warm_up()  # and the index's searchers, scoring arrays and vocabulary
    collector = ServingCollector(generation=lambda: index.generation)  # no full collection mid-request
    collector.start()
    print(f"Serving the search page on http://{args.host}:{server.effective_port}/ (index: {args.index}); "
          f"Ctrl-C stops.", file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        collector.stop()
        server.close()
    return 0

"""`bilingual-search serve`: the web UI under waitress, registered into the library's CLI by entry point.

waitress rather than gunicorn: pure Python, no compiler, runs the same on Linux, macOS and Windows laptops, and
serves from threads in one process, so the morphology dictionaries and the lemma cache are loaded once instead
of once per forked worker.
"""

from __future__ import annotations

import argparse
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def register(commands) -> None:
    """Add the `serve` command to the CLI's subcommands."""
    p = commands.add_parser("serve", help="serve the search page and the JSON API")
    p.add_argument("--index", default="index", help="index folder (default: index/)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    p.add_argument("--threads", type=int, default=8, help="worker threads (default: 8)")
    p.set_defaults(func=serve)


def warm_up() -> None:
    """Load the morphology dictionaries and the bilingual lexicon now, not on the first visitor's request."""
    from search.lexicon import lexicon
    from search.morphology import morph_analyzer

    morph_analyzer()
    lexicon()


def serve(args: argparse.Namespace) -> int:
    import waitress

    from . import create_app, get_index

    app = create_app({"SEARCH_INDEX": args.index})
    with app.app_context():
        get_index()  # fail now, with the rebuild message, rather than on the first request
    warm_up()
    print(f"Serving the search page on http://{args.host}:{args.port}/ (index: {args.index}); Ctrl-C stops.",
          file=sys.stderr)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="bilingual-search")
    return 0

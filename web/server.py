"""The production server: waitress with limits that keep it answering, and a stop that cannot race its loop.

Slow clients: waitress reads requests in its main loop and hands only complete ones to the worker threads, so a
client that trickles bytes holds a connection, not a thread. The limits below make that cheap: many connections
(the open-file limit is raised to allow them), idle ones closed after CHANNEL_TIMEOUT seconds, small requests.
The loop waits with poll(), not waitress's default select(), which cannot watch a descriptor past 1,023: with
more connections than that open, select() raised ValueError and the server exited.
For public use put a reverse proxy in front (nginx, Caddy) that buffers requests and limits rates per client.
"""

from __future__ import annotations

import contextlib
import json
import resource
from typing import Any, cast

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask

CONNECTION_LIMIT = 2000
CHANNEL_TIMEOUT = 20  # seconds a connection may stay idle
MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 64 * 1024  # the API takes no bodies; forms are GET


class JsonErrorTask(ErrorTask):
    """waitress's own replies to requests it cannot parse (400, 413, 431), in the API's error shape and with the
    app's security headers, instead of plain text without them."""

    def execute(self) -> None:
        from . import SECURITY_HEADERS

        error: Any = cast(Any, self.request).error  # waitress's ParsingError subclasses, each with code, reason, body
        message = f"{error.reason}: {' '.join(str(error.body).split())}".rstrip(": ")
        body = json.dumps({"ok": False, "error": message, "status": error.code}, ensure_ascii=False).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers = [*self.response_headers, ("Content-Type", "application/json"),
                                 *SECURITY_HEADERS.items()]
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class Channel(HTTPChannel):
    error_task_class = JsonErrorTask


def make_server(app, host: str = "", port: int = 0, threads: int = 16, sockets: list | None = None):
    """A bound waitress server (binding fails here, with OSError, when the port is taken), or one serving
    `sockets` already listening (a worker's: see `web.workers`); `.run()` serves."""
    _raise_open_file_limit(CONNECTION_LIMIT + 100)
    where: dict = {"sockets": sockets} if sockets else {"host": host, "port": port}
    server = create_server(app, **where, threads=threads, ident="bilingual-search",
                           connection_limit=CONNECTION_LIMIT, channel_timeout=CHANNEL_TIMEOUT, cleanup_interval=5,
                           max_request_header_size=MAX_HEADER_BYTES, max_request_body_size=MAX_BODY_BYTES,
                           asyncore_use_poll=True)
    # One server a listening socket: several when the host names more than one address (localhost: ::1 and
    # 127.0.0.1), each in the map of the one returned.
    listening = [server] if isinstance(server, BaseWSGIServer) else list((server.map or {}).values())
    for each in listening:
        if isinstance(each, BaseWSGIServer):
            each.channel_class = Channel
    return server


def stop(server) -> None:
    """Stop a server running in another thread: its own loop closes every socket, then finds nothing to watch
    and returns (closing them from this thread races the loop's select: 'Bad file descriptor')."""

    def close_everything() -> None:
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)

    server.trigger.pull_trigger(close_everything)


def _raise_open_file_limit(wanted: int) -> None:
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))

"""Serving on every core: worker processes that serve one port, watched by the process that opened it.

The parent opens the port's listening sockets (`listening_sockets`: one per worker on Linux), loads what every
worker reads and never changes (the morphology dictionaries and the lexicon: after the fork their pages are
shared until written), then forks the workers. Each worker opens the index itself (its own searchers and caches;
the index files are shared through the OS page cache) and serves its socket with waitress. A worker follows a
rebuilt index as a single process does: `Index` picks up each new generation.

The parent only watches: a worker that dies is started again at once, unless workers keep dying soon after they
start (more such deaths in a row than there are workers: a bad index or a bug on start would only repeat), which
stops everything with the worker's exit status. SIGTERM or Ctrl-C stops every worker and waits for them.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Callable

WORKER_MIN_LIFE = 10.0  # seconds: a worker dead sooner died "soon after it started"
STOP_GRACE = 10.0  # seconds workers have to stop after SIGTERM before SIGKILL


class _Stop(Exception):
    """Raised by the parent's signal handler, so that its wait for a worker returns."""


SHARE_PORT = hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")
BACKLOG = 1024


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """Sockets listening on host:port for `count` workers (OSError when the port is taken). On Linux, one per
    worker, all bound to the port with SO_REUSEPORT: the kernel spreads new connections evenly among them, and a
    worker's socket outlives it (the parent holds it), so connections wait for its replacement. (One socket shared
    by all the workers let whichever woke first accept a burst of connections: under 16 kept-alive clients, 2
    workers served 1.2x or 1.9x one worker's requests, depending on how the first burst fell.) Elsewhere one
    socket, which the workers share."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    if not SHARE_PORT:
        return [_listening(socket.create_server((host, port), family=family, backlog=BACKLOG))]
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port) if len(sockets) == 1 else sockets[0].getsockname()[:2])
            sock.listen(BACKLOG)
            _listening(sock)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _listening(sock: socket.socket) -> socket.socket:
    sock.setblocking(False)
    return sock


def run_workers(count: int, work: Callable[[int], None], say: Callable[[str], None] = print,
                started_all: Callable[[], None] = lambda: None) -> int:
    """Fork `count` workers that each run `work(slot)` (which serves until the process is stopped; slot 0 to
    count - 1), then call `started_all()`; restart a worker that dies in its slot; on SIGTERM or SIGINT stop them
    all. The exit status: 0 when stopped, else the failing worker's."""
    started: dict[int, float] = {}
    slots: dict[int, int] = {}

    def start(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: the parent handles Ctrl-C for all; SIGTERM ends it
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            status = 0
            try:
                work(slot)
            except BaseException as error:  # noqa: BLE001 - a worker reports any end, then exits with a status
                say(f"worker {os.getpid()} stopped: {error}")
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        started[pid] = time.monotonic()
        slots[pid] = slot

    def stop(signum, frame) -> None:
        raise _Stop

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    status, early_deaths = 0, 0
    try:
        for slot in range(count):
            start(slot)
        started_all()
        while True:
            pid, wait_status = os.waitpid(-1, 0)
            began = started.pop(pid, None)
            if began is None:
                continue
            code = os.waitstatus_to_exitcode(wait_status)
            early_deaths = early_deaths + 1 if time.monotonic() - began < WORKER_MIN_LIFE else 0
            if early_deaths > count:
                say(f"Workers keep exiting soon after they start (the last with status {code}): stopping.")
                status = code if code > 0 else 1
                break
            say(f"Worker {pid} exited with status {code}; starting another.")
            start(slots.pop(pid))
    except _Stop:
        pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _stop_all(started)
    return status


def _stop_all(started: dict[int, float]) -> None:
    for pid in started:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    while started and time.monotonic() < deadline:
        for pid in list(started):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                started.pop(pid)
        time.sleep(0.05)
    for pid in started:
        _signal(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux: /proc; elsewhere its peak)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 2**10)

"""Serving on every core: worker processes that share one listening socket, watched by the process that made it.

The parent binds the socket, loads what every worker reads and never changes (the morphology dictionaries and the
lexicon: after the fork their pages are shared until written), then forks the workers. Each worker opens the
index itself (its own searchers and caches; the index files are shared through the OS page cache) and serves the
socket with waitress; the kernel hands each new connection to one of the workers waiting on it. A worker follows
a rebuilt index as a single process does: `Index` picks up each new generation.

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


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening, inherited by forked workers (OSError when the port is taken)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.create_server((host, port), family=family, backlog=1024, reuse_port=False)
    sock.setblocking(False)
    return sock


def run_workers(count: int, work: Callable[[], None], say: Callable[[str], None] = print,
                started_all: Callable[[], None] = lambda: None) -> int:
    """Fork `count` workers that each run `work()` (which serves until the process is stopped), then call
    `started_all()`; restart a worker that dies; on SIGTERM or SIGINT stop them all. The exit status: 0 when
    stopped, else the failing worker's."""
    started: dict[int, float] = {}

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # the worker: the parent handles Ctrl-C for all; SIGTERM ends it
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            status = 0
            try:
                work()
            except BaseException as error:  # noqa: BLE001 - a worker reports any end, then exits with a status
                say(f"worker {os.getpid()} stopped: {error}")
                status = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        started[pid] = time.monotonic()

    def stop(signum, frame) -> None:
        raise _Stop

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    status, early_deaths = 0, 0
    try:
        for _ in range(count):
            start()
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
            start()
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

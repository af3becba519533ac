"""One writer at a time per index: a lock file held for the whole of a build, an update or a delete.

filelock rather than a lock of our own: it is the well-kept cross-platform choice (fcntl/flock on Unix,
msvcrt on Windows), and the operating system releases the lock when its holder dies, even by kill -9, so a
crashed writer never leaves the index locked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import IndexLockedError

LOCK_NAME = "WRITE.lock"
log = logging.getLogger("search")


@contextmanager
def write_lock(root: Path, wait: bool = True) -> Iterator[None]:
    """Hold the index's write lock; when another writer has it, wait for it (saying so) or, with `wait=False`,
    raise `IndexLockedError` at once."""
    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise IndexLockedError(
                f"The index at {root} is being built or updated by another process; try again when it is done."
            ) from None
        log.warning("The index at %s is being built or updated by another process; waiting for it to finish.",
                    root)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()

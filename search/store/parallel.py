"""Whoosh's multi-process writer, made to fail loudly: a build loses no documents without saying so.

Whoosh's `MpWriter` hands batches of documents to writer processes and, at commit, takes whatever segments
come back: a process that raised or was killed simply contributes nothing, and the build commits without its
documents. `CheckedMpWriter` reports a failed process's error to the parent, and its commit raises
`BuildError` unless every process finished and returned its segment. Its processes ignore Ctrl-C (the parent
cancels them), and on Linux die with the parent when it is killed instead of writing on for half a minute.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
import types
from collections.abc import Iterator
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from ..errors import BuildError
from .garbage import young_collections_only
from .postings_writer import TermPoolWriter

POLL_SECONDS = 1.0
START_METHOD = "forkserver"  # never "fork": the caller may be a threaded server (see CheckedSubWriterTask)
_PR_SET_PDEATHSIG = 1


class WorkerFailure:
    """What a writer process sends back instead of its segment when it fails."""

    def __init__(self, message: str) -> None:
        self.message = message


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (no-op elsewhere)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _die_with_builder() -> None:
    """End this process when the process that started it (the build) ends, however it ends. (Its parent is the
    fork server, which itself waits on its children: on its own it would outlive a killed build, and so would
    this process, waiting for jobs that never come.)"""
    builder = multiprocessing.parent_process()
    if builder is None or builder.sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([builder.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="die-with-builder", daemon=True).start()


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold a Ctrl-C that lands inside the block until its end. A writer process that the fork server had
    forked when Ctrl-C stopped `start` halfway was unknown to `cancel`: it went on unpickling after the build
    had gone and printed a traceback about the build's vanished semaphores. (Main thread only, as signal
    handlers are.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)


def _start_fork_server_deaf_to_ctrl_c() -> None:
    """Start the fork server, if it is not running yet, with Ctrl-C blocked. A blocked signal stays blocked
    across fork and exec, so the server and every writer process it forks never receive Ctrl-C, from their
    first instruction: before, a Ctrl-C in the half second a new writer spent importing printed its
    KeyboardInterrupt traceback under the build's one clean line. Blocked, not ignored: a Ctrl-C that lands
    while the server starts waits and is delivered here once it has started (ignoring it for that moment lost
    it, and the rebuild went on to the end as if no one had pressed it)."""
    from multiprocessing import forkserver

    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class CheckedSubWriterTask(SubWriterTask):
    """A writer process that reports its failure, then keeps taking jobs so the parent never blocks on it.

    It is started from a fork server (a clean process forked once, early), never forked from the caller: a
    threaded web server or app that builds an index would otherwise fork with its other threads' locks held."""

    @staticmethod
    def _Popen(process_obj):  # noqa: N802 (multiprocessing's name)
        # The process needs nothing from the caller's main module: without it, a script that builds an index at
        # its top level (no `if __name__ == "__main__":`) is not run again in every writer process.
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            _start_fork_server_deaf_to_ctrl_c()
            return multiprocessing.get_context(START_METHOD).Process._Popen(process_obj)
        finally:
            sys.modules["__main__"] = main

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _die_with_parent()
        _die_with_builder()
        try:
            with young_collections_only():
                self._write()
        except BaseException as error:  # noqa: BLE001 - everything a process can die of is reported
            summary = "".join(traceback.format_exception_only(type(error), error)).strip()
            self.resultqueue.put(WorkerFailure(f"a writer process failed: {summary}"))
            while (job := self.jobqueue.get()) is not None:
                with contextlib.suppress(Exception):  # the job file goes with the failed build's folder anyway
                    os.remove(os.path.join(self.writer.temp_storage().folder, job[0]))

    def _write(self) -> None:
        """Whoosh's `SubWriterTask.run` (each process writes a segment of its own) with a `TermPoolWriter`."""
        if not self.multisegment:
            raise ValueError("writer processes write a segment each (multisegment=True)")
        writer = self.writer = TermPoolWriter(self.storage.open_index(self.indexname), _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        fieldnames = set(writer.pool.fieldnames)
        self.resultqueue.put((None, fieldnames, writer._finalize_segment()), timeout=5)


class CheckedMpWriter(MpWriter):
    """`MpWriter` whose commit raises `BuildError` unless every writer process delivered its documents."""

    jobqueue: Any  # MpWriter's, replaced below
    resultqueue: Any
    docbuffer: list

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The queues of the fork server's processes come from its context (a fork context's locks cannot be
        # shared with them).
        context = multiprocessing.get_context(START_METHOD)
        for unused in (self.jobqueue, self.resultqueue):
            unused.close()
        self.jobqueue = context.Queue(self.procs * 4)
        self.resultqueue = context.Queue()

    def _new_task(self) -> CheckedSubWriterTask:
        task = CheckedSubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                                    self.multisegment)
        self.tasks.append(task)
        with _ctrl_c_deferred():  # a task is started whole, so that cancel knows its process and ends it
            task.start()
        return task

    def _enqueue(self) -> None:
        """Whoosh's, but a put that gives up when no writer process is left to take the job."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _put(self, item) -> None:
        while True:
            try:
                self.jobqueue.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                self._check_alive()

    def _results(self) -> list:
        """One result per writer process, or fewer when some died without sending one."""
        results: list = []
        while len(results) < len(self.tasks):
            try:
                results.append(self.resultqueue.get(timeout=POLL_SECONDS))
            except queue.Empty:
                # A killed process may die holding the job queue's lock: the others then wait on it forever.
                if self._killed() or not any(task.is_alive() for task in self.tasks):
                    with contextlib.suppress(queue.Empty):
                        while len(results) < len(self.tasks):
                            results.append(self.resultqueue.get(timeout=POLL_SECONDS))
                    break
        return results

    def _killed(self) -> list:
        """The writer processes that ended other than by finishing their work (killed, or exited with an error)."""
        return [task for task in self.tasks if not task.is_alive() and task.exitcode not in (0, None)]

    def _check_alive(self) -> None:
        killed = self._killed()
        if killed:
            raise BuildError(f"a writer process died (exit codes {[t.exitcode for t in killed]}); "
                             f"nothing was changed")

    def cancel(self) -> None:
        # Ctrl-C may land while a process is being started: only a started one can be ended and waited for.
        started = [task for task in self.tasks if task.pid is not None]
        for task in started:
            if task.is_alive():
                task.terminate()
        for task in started:
            task.join(5)
        # Jobs still buffered for the ended processes must not hold this process's exit (the queues' feeder
        # threads would wait forever to write them to a pipe no one reads).
        for channel in (self.jobqueue, self.resultqueue):
            channel.cancel_join_thread()
        super().cancel()

    def _commit(self, mergetype, optimize, merge) -> None:
        if self.docbuffer:
            self._enqueue()
        for _task in self.tasks:
            self._put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        received = self._results()
        failures = [r for r in received if isinstance(r, WorkerFailure)]
        results = [r for r in received if not isinstance(r, WorkerFailure)]
        if failures or len(results) != len(self.tasks):
            for task in self.tasks:  # a survivor may wait forever on a queue lock its killed sibling held
                if task.is_alive():
                    task.terminate()
        for task in self.tasks:
            task.join()
        problem = None
        if failures:
            problem = failures[0].message
        elif len(results) != len(self.tasks) or any(task.exitcode != 0 for task in self.tasks):
            problem = f"a writer process died before finishing (exit codes {[t.exitcode for t in self.tasks]})"
        if problem:
            SegmentWriter.cancel(self)  # closes this writer's own files
            raise BuildError(f"{problem}; nothing was changed")
        if self.multisegment:
            finalsegments += [segment for _, _, segment in results]
            if self._added:
                finalsegments.append(self._finalize_segment())
            else:
                self._close_segment()
        else:
            self._merge_subsegments(results, mergetype)
            self._close_segment()
            self._assemble_segment()
            finalsegments.append(self.get_segment())
        self._commit_toc(finalsegments)
        self._finish()

"""Every write path under faults: competing writers, a writer process killed, a write that fails midway (a full
disk, a size limit), kill -9 of the whole writer. Nothing published may miss a document or be half-written."""

import json
import logging
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from search import BuildError, Document, Index, IndexDamagedError, IndexLockedError
from search.store import generations
from search.store.locking import write_lock

CLI = [sys.executable, "-m", "search"]


def _docs(n, prefix="d", word="переговоры"):
    return [Document(id=f"{prefix}{i}", title=f"Документ {i}", text=f"{word} номер {i} в Женеве.", lang="ru")
            for i in range(n)]


def _cli(*args, **kwargs):
    """The real CLI in its own process, as an operator runs it."""
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, **kwargs)


def _count(root):
    with Index.open(root) as index:
        return len(index)


@pytest.mark.parametrize("victim", [0, -1])
def test_a_killed_writer_process_fails_the_build_and_keeps_the_old_index(tmp_path, victim):
    # Either process: one killed while it waits for a job dies holding the job queue's lock, and the other can
    # never take a job again (the build used to wait for it forever, one run in four).
    Index.build(tmp_path, _docs(3, "old")).close()

    def killing(docs):
        for n, doc in enumerate(docs):
            if n == 700:
                victims = multiprocessing.active_children()
                assert victims, "the build should have started its writer processes"
                os.kill(victims[victim].pid, signal.SIGKILL)
            yield doc

    with pytest.raises(BuildError, match="writer process"):
        Index.build(tmp_path, killing(_docs(1500)), procs=2)
    assert _count(tmp_path) == 3
    assert not list(tmp_path.glob("gen-*.tmp"))


def test_a_two_process_build_holds_every_document_it_reports(tmp_path):
    docs = _docs(2001)
    docs[1500] = Document(id="tangut", title="𗂴Ӽ", text="𗂴Ӽ переговоры", lang="ru")
    index = Index.build(tmp_path, docs, procs=2)
    assert index.last_write.added == len(index) == 2001
    assert index.search("переговоры").total == 2001
    index.close()


def test_an_update_during_a_rebuild_waits_and_lands_in_the_live_index(tmp_path):
    Index.build(tmp_path, _docs(2, "a")).close()
    index = Index.open(tmp_path)
    started, finished = threading.Event(), []
    waiting = _LockWaitSeen()

    def held_open(docs):
        """The rebuild's documents: the first, then the rest once the update says it waits for the lock."""
        docs = iter(docs)
        yield next(docs)
        started.set()
        assert waiting.seen.wait(60), "the update never waited for the lock"
        yield from docs

    rebuild = threading.Thread(target=lambda: finished.append(Index.build(tmp_path, held_open(_docs(300, "b")))))
    rebuild.start()
    assert started.wait(60)
    try:
        stats = index.update([Document(id="late", title="Поздний", text="Позднее обновление.", lang="ru")])
    finally:
        waiting.close()
    rebuild.join()
    assert stats.added == 1
    # The update waited for the rebuild, then wrote on top of it: both are in the live index.
    assert _count(tmp_path) == 301
    assert index.search("поздний").total == 1
    index.close()
    finished[0].close()


class _LockWaitSeen(logging.Handler):
    """Sets `seen` when the library says a writer waits for the write lock (it says so before it blocks)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = threading.Event()
        logging.getLogger("search").addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if "waiting for it to finish" in record.getMessage():
            self.seen.set()

    def close(self) -> None:
        logging.getLogger("search").removeHandler(self)
        super().close()


def test_a_second_writer_that_will_not_wait_gets_one_clear_error(tmp_path):
    Index.build(tmp_path, _docs(1)).close()
    with write_lock(tmp_path), pytest.raises(IndexLockedError, match="another process"):
        Index.open(tmp_path).update(_docs(1, "x"), wait=False)


def test_two_rebuilds_at_once_both_finish_one_after_the_other(tmp_path):
    Index.build(tmp_path, _docs(1)).close()
    errors = []

    def rebuild(prefix):
        try:
            Index.build(tmp_path, _docs(200, prefix)).close()
        except Exception as error:  # noqa: BLE001 - the test reports any
            errors.append(error)

    threads = [threading.Thread(target=rebuild, args=(p,)) for p in "xy"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _count(tmp_path) == 200


class _LockHolder:
    """Another process holding the index's write lock until the test releases it (not for a fixed time, which a
    loaded machine can outlast)."""

    def __init__(self, root):
        self.process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from pathlib import Path
            from search.store.locking import write_lock
            with write_lock(Path({str(root)!r})):
                print("locked", flush=True)
                sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "locked"

    def release(self):
        self.process.stdin.write("done\n")
        self.process.stdin.close()
        assert self.process.wait(60) == 0
        self.process.stdout.close()


def _cli_waiting(args, stderr_path):
    """The CLI started in its own process; returns once it says it waits for the lock."""
    stderr = open(stderr_path, "w", encoding="utf-8")  # noqa: SIM115 - closed by _finish
    run = subprocess.Popen([*CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=stderr, text=True)
    deadline = time.monotonic() + 120
    while "waiting for it to finish" not in stderr_path.read_text(encoding="utf-8"):
        assert run.poll() is None, stderr_path.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the CLI never said it waits for the lock"
        time.sleep(0.05)
    run.stderr_file = stderr
    return run


def _finish(run, stderr_path):
    out, _ = run.communicate(timeout=300)
    run.stderr_file.close()
    return run.returncode, out, stderr_path.read_text(encoding="utf-8")


def test_the_cli_says_when_it_waits_for_another_writer_and_fails_at_once_with_no_wait(tmp_path, seeds_dir):
    root = tmp_path / "ix"
    Index.build(root, _docs(1)).close()
    holder = _LockHolder(root)
    quick = _cli("index", seeds_dir, "--index", root, "--no-wait")
    assert quick.returncode == 1 and "being built or updated by another process" in quick.stderr
    assert len(quick.stderr.strip().splitlines()) == 1
    patient = _cli_waiting(["index", seeds_dir, "--index", root], tmp_path / "patient.err")
    holder.release()
    code, _, err = _finish(patient, tmp_path / "patient.err")
    assert code == 0, err
    assert _count(root) == 6


def _jsonl(path, n, prefix):
    path.write_text("".join(json.dumps({"id": f"{prefix}{i}", "title": f"Новость {prefix} {i}",
                                        "text": f"Переговоры в Женеве, день {i}."}, ensure_ascii=False) + "\n"
                            for i in range(n)), encoding="utf-8")
    return path


def test_two_index_runs_on_a_folder_with_no_index_yet_keep_both_runs_documents(tmp_path):
    # Both decided "build" before taking the lock, and the second build replaced the first one's documents.
    root = tmp_path / "ix"
    first, second = _jsonl(tmp_path / "first.jsonl", 200, "a"), _jsonl(tmp_path / "second.jsonl", 5, "b")
    holder = _LockHolder(root)
    runs = []
    for path in (first, second):
        err = tmp_path / f"{path.stem}.err"
        runs.append((_cli_waiting(["index", path, "--index", root], err), err))
    holder.release()
    outcomes = [_finish(run, err) for run, err in runs]
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    summaries = sorted(out.splitlines()[0] for _, out, _ in outcomes)
    assert any("built" in line for line in summaries) and any("updated" in line for line in summaries), summaries
    assert _count(root) == 205
    assert "205 documents" in " ".join(summaries)


def test_a_lost_current_is_refused_with_one_line_and_its_generation_kept(tmp_path):
    root = tmp_path / "ix"
    Index.build(root, _docs(20)).close()
    live = generations.current_generation(root)
    (root / generations.CURRENT).unlink()
    extra = _jsonl(tmp_path / "extra.jsonl", 5, "x")
    refused = _cli("index", extra, "--index", root)
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
    assert "restore" in refused.stderr and "--rebuild" in refused.stderr and live.name in refused.stderr
    assert live.is_dir() and generations.verify(live, root)["documents"] == 20
    with pytest.raises(IndexDamagedError, match="restore"):
        Index.open(root)
    with pytest.raises(IndexDamagedError):
        Index.build_or_update(root, _docs(5, "y"))
    # The line's own command brings it back.
    restored = _cli("restore", live, "--index", root)
    assert restored.returncode == 0, restored.stderr
    assert _count(root) == 20


def test_a_rebuild_over_a_lost_current_does_not_delete_the_generation_it_did_not_make(tmp_path):
    root = tmp_path / "ix"
    Index.build(root, _docs(20)).close()
    orphan = generations.current_generation(root)
    (root / generations.CURRENT).unlink()
    Index.build_or_update(root, _docs(3, "n"), rebuild_if_unreadable=True).close()
    assert _count(root) == 3
    assert orphan.is_dir() and generations.verify(orphan, root)["documents"] == 20


def test_build_or_update_builds_then_updates(tmp_path):
    first = Index.build_or_update(tmp_path / "ix", _docs(3, "a"))
    assert first.last_write.built and first.last_write.added == 3
    second = Index.build_or_update(tmp_path / "ix", _docs(2, "b"))
    assert not second.last_write.built and second.last_write.added == 2 and len(second) == 5
    again = Index.build_or_update(tmp_path / "ix", _docs(1, "c"), rebuild=True)
    assert again.last_write.built and len(again) == 1
    for index in (first, second, again):
        index.close()


def _limit_file_size(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_write_that_fails_midway_changes_nothing_and_the_next_one_recovers(tmp_path):
    """A file-size limit makes the writer's files fail to grow, as a full disk does (EFBIG instead of ENOSPC)."""
    root = tmp_path / "ix"
    Index.build(root, _docs(5)).close()
    live = generations.current_generation(root)
    before = sorted(p.name for p in live.iterdir())
    big = tmp_path / "big.jsonl"
    with open(big, "w", encoding="utf-8") as f:
        for i in range(400):
            text = " ".join(f"w{i}x{j}" for j in range(1000))
            f.write(json.dumps({"id": f"big{i}", "title": f"Большой {i}", "text": text}) + "\n")
    failed = subprocess.run([*CLI, "index", str(big), "--index", str(root)], capture_output=True, text=True,
                            preexec_fn=_limit_file_size(500_000))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Traceback" not in failed.stderr and len(failed.stderr.strip().splitlines()) == 1
    assert generations.current_generation(root) == live
    assert sorted(p.name for p in live.iterdir()) == before
    assert _count(root) == 5
    recovered = subprocess.run([*CLI, "index", str(big), "--index", str(root)], capture_output=True, text=True)
    assert recovered.returncode == 0, recovered.stderr
    assert _count(root) == 405


def test_kill_9_mid_update_leaves_the_index_as_it_was(tmp_path):
    root = tmp_path / "ix"
    Index.build(root, _docs(5)).close()
    corpus = tmp_path / "more.jsonl"
    with open(corpus, "w", encoding="utf-8") as f:
        for i in range(3000):
            f.write(json.dumps({"id": f"m{i}", "title": f"Ещё {i}", "text": f"текст номер {i} " * 50}) + "\n")
    writer = subprocess.Popen([*CLI, "index", str(corpus), "--index", str(root)], stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while not list(root.glob("gen-*.tmp")) and time.time() < deadline:  # the update has begun its generation
        time.sleep(0.05)
    writer.kill()
    writer.communicate()
    assert _count(root) == 5
    after = subprocess.run([*CLI, "index", str(corpus), "--index", str(root), "--no-wait"], capture_output=True,
                           text=True)
    assert after.returncode == 0, after.stderr  # the dead writer's lock went with it
    assert _count(root) == 3005
    assert not list(root.glob("gen-*.tmp"))


def test_a_document_without_id_or_text_is_skipped_with_its_reason_not_fatal(tmp_path):
    empty = [Document(id="", title="Заголовок", text="Текст"), Document(id="x", title=" ", text="")]
    index = Index.build(tmp_path, [*_docs(2), *empty])
    reasons = [reason for _, reason in index.last_write.skipped]
    assert (index.last_write.added, len(index)) == (2, 2)
    assert "non-empty id" in reasons[0] and "neither a title nor text" in reasons[1]
    stats = index.update([*empty, Document(id="y", title="Новый", text="Текст")])
    assert (stats.added, len(stats.skipped), len(index)) == (1, 2, 3)
    index.close()


def test_an_index_with_no_documents_is_valid_and_empty(tmp_path):
    index = Index.build(tmp_path, [])
    assert len(index) == 0
    assert index.search("переговоры").total == 0
    assert index.stats()["documents"] == 0
    assert index.update(_docs(2)).added == 2
    assert index.search("переговоры").total == 2
    index.close()


def _children(pid):
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def _parent(pid):
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(state) and not state.startswith("Z")


def _corpus(path, n=6000):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"c{i}", "title": f"Статья {i}", "text": f"переговоры номер {i} " * 40},
                               ensure_ascii=False) + "\n")


def test_writer_processes_die_with_a_killed_indexer(tmp_path):
    _corpus(tmp_path / "c.jsonl")
    indexer = subprocess.Popen([*CLI, "index", str(tmp_path / "c.jsonl"), "--index", str(tmp_path / "ix"),
                                "--procs", "2"], stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while len(_children(indexer.pid)) < 2 and time.time() < deadline:
        time.sleep(0.1)
    workers = _children(indexer.pid)
    assert workers, "the writer processes should have started"
    indexer.kill()
    indexer.communicate()
    deadline = time.time() + 10
    while any(_alive(w) for w in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)


def test_ctrl_c_during_a_two_process_rebuild_is_one_clean_line(tmp_path):
    _corpus(tmp_path / "c.jsonl")
    Index.build(tmp_path / "ix", _docs(3)).close()
    # Ctrl-C as a terminal delivers it: to a process whose SIGINT is not ignored. A program started with SIGINT
    # ignored (by nohup, or `&` in a script: the test suite run in the background) keeps ignoring it, as it
    # should, and a fresh-clone CI run started that way saw the rebuild finish with exit 0.
    indexer = subprocess.Popen([*CLI, "index", str(tmp_path / "c.jsonl"), "--index", str(tmp_path / "ix"),
                                "--procs", "2", "--rebuild"], stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while len(_children(indexer.pid)) < 2 and time.time() < deadline:  # the writer processes are at work
        time.sleep(0.1)
    assert indexer.poll() is None, "the rebuild ended before it could be interrupted"
    os.killpg(indexer.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group gets it
    _, stderr = indexer.communicate(timeout=60)
    assert indexer.returncode == 130
    assert "Traceback" not in stderr and stderr.strip().splitlines() == [
        "bilingual-search: interrupted; the previous index is intact."]
    assert _count(tmp_path / "ix") == 3


def test_a_full_disk_during_an_update_changes_nothing_and_the_next_write_recovers(tmp_path, small_disk):
    root = small_disk / "ix"
    Index.build(root, _docs(5)).close()
    live = generations.current_generation(root)
    big = tmp_path / "big.jsonl"
    with open(big, "w", encoding="utf-8") as f:
        for i in range(300):
            text = " ".join(f"w{i}x{j}" for j in range(1000))
            f.write(json.dumps({"id": f"big{i}", "title": f"Большой {i}", "text": text}) + "\n")
    full = subprocess.run([*CLI, "index", str(big), "--index", str(root)], capture_output=True, text=True)
    assert full.returncode == 1, full.stdout
    assert "No space left on device" in full.stderr and "Traceback" not in full.stderr
    assert generations.current_generation(root) == live and _count(root) == 5
    assert not list(root.glob("gen-*.tmp"))  # the failed write removed what it had written
    small = tmp_path / "small.jsonl"
    small.write_text(json.dumps({"id": "s", "title": "Маленький", "text": "Помещается."}) + "\n", encoding="utf-8")
    assert subprocess.run([*CLI, "index", str(small), "--index", str(root)], capture_output=True).returncode == 0
    assert _count(root) == 6
    rebuilt = subprocess.run([*CLI, "index", str(small), "--index", str(root), "--rebuild"], capture_output=True)
    assert rebuilt.returncode == 0 and _count(root) == 1


def test_a_vocabulary_that_cannot_be_written_fails_the_delete_and_changes_nothing(tmp_path):
    """A delete writes little besides the new vocabulary: a file-size limit between the two fails exactly the
    vocabulary's write (a full disk at that moment), and the live index and its vocabulary stay as they were."""
    from search.store.vocabulary import VOCABULARY_FILE, read_counts

    root = tmp_path / "ix"
    words = [Document(id=f"v{i}", title="", text=" ".join(f"слово{i}x{j}" for j in range(400)), lang="ru")
             for i in range(120)]
    Index.build(root, words).close()
    live = generations.current_generation(root)
    vocabulary = read_counts(live)
    assert (live / VOCABULARY_FILE).stat().st_size > 80_000
    script = f"from search import Index; Index.open({str(root)!r}).delete(['v0'])"
    failed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            preexec_fn=_limit_file_size(40_000))
    assert failed.returncode != 0 and "File too large" in failed.stderr and "write_counts" in failed.stderr
    assert generations.current_generation(root) == live and read_counts(live) == vocabulary
    assert _count(root) == 120 and not list(root.glob("gen-*.tmp"))
    with Index.open(root) as index:  # the next delete, with room to write, goes through
        assert index.delete(["v0"]) == 1 and len(index) == 119
        assert "слово0x1" not in read_counts(generations.current_generation(root))


def test_stories_that_cannot_be_written_fail_the_delete_and_change_nothing(tmp_path):
    """The stories file (two fingerprints a document, see `search.store.stories`) is the largest a delete writes: a
    file-size limit under it fails exactly that write, and the live index and its stories stay as they were."""
    from search.store.stories import STORIES_FILE, read_stories

    root = tmp_path / "ix"
    Index.build(root, [Document(id=f"s{i}", title=f"Заметка {i}", text=f"Короткий текст номер {i}.", lang="ru")
                       for i in range(400)]).close()
    live = generations.current_generation(root)
    assert (live / STORIES_FILE).stat().st_size > 150_000
    script = f"from search import Index; Index.open({str(root)!r}).delete(['s0'])"
    failed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            preexec_fn=_limit_file_size(100_000))
    assert failed.returncode != 0 and "File too large" in failed.stderr and "write_stories" in failed.stderr
    assert generations.current_generation(root) == live and len(read_stories(live).ids) == 400
    assert _count(root) == 400 and not list(root.glob("gen-*.tmp"))
    with Index.open(root) as index:
        assert index.delete(["s0"]) == 1 and len(index) == 399
        assert "s0" not in read_stories(generations.current_generation(root)).ids


def test_a_build_from_a_threaded_app_uses_both_cores_without_forking_it(tmp_path):
    """Index.build uses writer processes by default, started from a fork server: a thread of a running app (here,
    one holding a lock the whole time) is never copied into them half-way through its work."""
    held, release, parents = threading.Lock(), threading.Event(), []
    holder = threading.Thread(target=lambda: (held.acquire(), release.wait(), held.release()))
    holder.start()

    def watched(docs):
        for n, doc in enumerate(docs):
            if n == 800:
                parents.extend(_parent(p.pid) for p in multiprocessing.active_children()
                               if "SubWriterTask" in type(p).__name__)
            yield doc

    result = []
    builder = threading.Thread(target=lambda: result.append(Index.build(tmp_path, watched(_docs(1500)))))
    builder.start()
    builder.join(120)
    release.set()
    holder.join()
    assert len(result[0]) == 1500
    assert len(parents) == 2 and os.getpid() not in parents  # two writer processes, not forked from this one
    result[0].close()

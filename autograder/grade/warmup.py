"""What grading can start before it knows what to grade: the sandbox slots of this process,
and the warm sandboxes the first submissions will use.

Light on purpose (no numpy, nbformat or gradebook): ``grade`` calls :func:`prewarm` first,
so the sandboxes start (a second or more: an interpreter importing the notebook's modules)
while this process imports the rest and reads the plan and the gradebook.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sys
import threading
from pathlib import Path

from autograder.grade.results import result_path
from autograder.paths import Course

_SLOTS: queue.Queue | None = None
_SLOTS_LOCK = threading.Lock()
_STARTED: set[tuple] = set()


WARM_AFTER = 20  # submissions per slot from which a zygote warms its libraries up
RANGES = 15  # ranges of slots (and so of uids) that grader processes on one machine take
SLOT_LOCKS = Path(os.environ.get("AUTOGRADER_SLOT_LOCKS", "/run/lock" if os.access("/run/lock", os.W_OK) else "/tmp"))
_RANGE_LOCK = None  # the open file whose lock holds this process's range until it exits


def claim_range() -> int:
    """A range no other grader process on this machine holds: an exclusive lock on
    ``autograder-slots-<n>.lock``, kept until this process exits (two graders with one
    range would kill each other's sandboxed processes when a slot is cleaned up). With
    every range taken, the pid picks one, as before the locks."""
    global _RANGE_LOCK
    import fcntl

    for n in range(RANGES):
        try:
            f = open(SLOT_LOCKS / f"autograder-slots-{n}.lock", "a")
        except OSError:
            break
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            continue
        _RANGE_LOCK = f
        return n
    return os.getpid() % RANGES


def slot_pool(size: int = 64) -> queue.Queue:
    """Sandbox slots in this process: each concurrent run gets its own slot (and uid).
    Grader processes on one machine take different ranges of 64 (:func:`claim_range`)."""
    global _SLOTS
    with _SLOTS_LOCK:
        if _SLOTS is None:
            # Last in, first out: the same few slots come back, and with them their warm
            # sandbox (a process that has already imported numpy and torch).
            _SLOTS = queue.LifoQueue()
            base = claim_range() * size
            for n in reversed(range(size)):
                _SLOTS.put(base + n)
    return _SLOTS


class Slots:
    """The sandbox slots of one class: ``count`` slots taken from this process's pool (the
    ones :func:`prewarm` started), lent one sandbox run at a time. More grading threads
    than slots keep every slot busy: while one submission runs, another thread reads the
    next notebook or judges the last one."""

    def __init__(self, count: int):
        pool = slot_pool()
        self._free: queue.LifoQueue = queue.LifoQueue()
        taken = [pool.get() for _ in range(count)]
        for n in reversed(taken):  # the first run gets the slot that was warmed first
            self._free.put(n)
        self._lock = threading.Lock()
        self._closed = False

    @contextlib.contextmanager
    def lend(self):
        while True:
            with self._lock:
                closed = self._closed
            if closed:  # a run still starting after close(): from the pool, as _grade_one does
                pool = slot_pool()
                n = pool.get()
                try:
                    yield n
                finally:
                    pool.put(n)
                return
            try:
                n = self._free.get(timeout=0.5)
                break
            except queue.Empty:
                continue
        try:
            yield n
        finally:
            with self._lock:
                if self._closed:
                    slot_pool().put(n)
                else:
                    self._free.put(n)

    def close(self) -> None:
        """Give the slots back to the pool; one still lent goes back when its run ends."""
        with self._lock:
            self._closed = True
            while True:
                try:
                    slot_pool().put(self._free.get_nowait())
                except queue.Empty:
                    break


def prewarm(course: Course, assignment: str, submitted: Path, sandbox_name: str, workers: int,
            students: tuple[str, ...] = (), force: bool = False, memory_mb: int = 4096) -> None:
    """Start, in the background, the warm sandboxes of the slots the first submissions
    take, preloading what the source notebook imports; once per process and assignment.
    Skipped when every submission looks graded already. Never raises: whatever fails here
    fails again, and is reported, where grading meets it."""
    key = (str(course.root), assignment, sandbox_name)
    if key in _STARTED:
        return
    _STARTED.add(key)
    try:
        from autograder.sandbox import get_sandbox, imports_of

        sandbox = get_sandbox(sandbox_name)
        if not hasattr(sandbox, "prewarm"):
            return
        cells = json.loads(course.source_notebook(assignment).read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                         for c in cells if c.get("cell_type") == "code")
        preload = imports_of(code)
        folders = [d for d in Path(submitted).iterdir() if d.is_dir() and not d.name.startswith(".")]
        if not (force or students or any(not result_path(course.grades, assignment, d.name).exists()
                                         for d in folders)):
            return  # most likely nothing to grade
    except Exception:  # noqa: BLE001
        return
    workers = workers or os.cpu_count() or 1
    count = min(workers, len(students)) if students else workers
    pool = slot_pool()
    with pool.mutex:
        slots = list(pool.queue)[::-1][:count]  # the slots the first tasks take (last in, first out)
    # Warming a zygote's libraries up costs a few tenths of a second and saves a few
    # hundredths per job: worth it only with many jobs ahead of each slot.
    warm = (len(students) if students else len(folders)) >= WARM_AFTER * count
    for slot in slots:
        threading.Thread(target=sandbox.prewarm, args=(slot, sys.executable, preload, memory_mb, warm),
                         name=f"prewarm-{slot}", daemon=True).start()

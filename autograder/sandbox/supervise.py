"""The one supervision loop of every backend: watch a run's output and progress pipes,
enforce the wall and per-cell (idle) limits, and say why a run ended.

Progress pipe (fd 3 in the sandbox): every line is passed to ``on_progress``. The
per-cell timer restarts only on a line that starts a new unit: ``on_progress`` returns
False for a line that does not (a repeated or unknown unit), so extra lines can never
extend a cell's time. The pipe is bounded: lines are cut at PROGRESS_LINE_MAX bytes and
at most PROGRESS_RATE lines a second are read (burst PROGRESS_BURST); beyond that the
pipe is left unread, so a flooding submission blocks on its own writes instead of
taking the trusted process's time from the other students.
"""
from __future__ import annotations

import os
import selectors
import signal
import time
from dataclasses import dataclass
from typing import Callable

from .limits import Limits

TAIL_BYTES = 20 * 1024
PROGRESS_LINE_MAX = 4096
PROGRESS_RATE = 200.0     # lines per second, sustained
PROGRESS_BURST = 2000     # lines at once
EXIT_GRACE_S = 1.0        # after the main process exits, drain output this long at most
READ_CHUNK = 65536


class Tail:
    """Keeps the last TAIL_BYTES of a stream in bounded memory."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def add(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > 2 * TAIL_BYTES:
            del self.buf[:-TAIL_BYTES]

    def text(self) -> str:
        return bytes(self.buf[-TAIL_BYTES:]).decode("utf-8", "replace")


class Progress:
    """Splits the progress pipe into lines, under a line-rate budget."""

    def __init__(self, cb: Callable[[str], object] | None, rate: float = PROGRESS_RATE,
                 burst: int = PROGRESS_BURST):
        self.cb = cb
        self.partial = bytearray()
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.refilled = time.monotonic()
        self.lines = 0

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now

    def can_read(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= 1 and len(self.partial) <= READ_CHUNK

    def resume_at(self, now: float) -> float:
        """When the budget allows reading again."""
        return now + max(0.0, (1 - self.tokens) / self.rate)

    def add(self, data: bytes) -> bool:
        """Feed bytes; True if a line started a new unit (restart the cell timer)."""
        self.partial += data
        new_unit = False
        while self.tokens >= 1:
            i = self.partial.find(b"\n")
            if i < 0:
                if len(self.partial) > PROGRESS_LINE_MAX:  # no newline: truncate
                    del self.partial[PROGRESS_LINE_MAX:]
                return new_unit
            line = bytes(self.partial[:i][:PROGRESS_LINE_MAX])
            del self.partial[:i + 1]
            self.tokens -= 1
            self.lines += 1
            if self.cb is None or self.cb(line.decode("utf-8", "replace")) is not False:
                new_unit = True
        return new_unit


@dataclass
class Watch:
    """What the loop saw: why it stopped the run ("" if the run ended by itself)."""
    reason: str = ""
    timed_out: bool = False
    exited: bool = False


def watch(sel: selectors.BaseSelector, limits: Limits, start: float, progress: Progress,
          *, exited: Callable[[], bool], on_exit: Callable[[], None],
          exit_key: object = None) -> Watch:
    """Run the loop until the run exits and its output is drained (or EXIT_GRACE_S
    passed), or a limit is hit. ``sel`` holds the output pipes (data: a Tail), the
    progress pipe (data: ``progress``) and optionally a key whose data is ``exit_key``:
    when it is readable, or when ``exited()`` says so, ``on_exit()`` is called once."""
    w = Watch()
    deadline = start + limits.wall_s
    cell_start = time.monotonic()
    exited_at: float | None = None
    paused: dict = {}   # the progress pipe's key while its budget is spent
    while True:
        now = time.monotonic()
        if paused and progress.can_read(now):
            sel.register(paused["fileobj"], selectors.EVENT_READ, progress)
            paused.clear()
        if exited_at is None:
            if now >= deadline:
                w.reason, w.timed_out = f"wall time limit {limits.wall_s:g} s", True
                return w
            if limits.idle_s is not None and now >= cell_start + limits.idle_s:
                w.reason, w.timed_out = f"no progress for {limits.idle_s:g} s (cell timeout)", True
                return w
            timeout = min(0.25, deadline - now)
            if limits.idle_s is not None:
                timeout = min(timeout, cell_start + limits.idle_s - now)
        else:
            streams = [k for k in sel.get_map().values() if isinstance(k.data, Tail)]
            if not streams or now >= exited_at + EXIT_GRACE_S:
                w.exited = True
                return w
            timeout = exited_at + EXIT_GRACE_S - now
        if paused:
            timeout = min(timeout, max(0.001, progress.resume_at(now) - now))
        events = sel.select(max(0.0, timeout)) if sel.get_map() else []
        if not sel.get_map():
            time.sleep(0.005)
        for key, _ in events:
            if exit_key is not None and key.data is exit_key:
                sel.unregister(key.fileobj)
                exited_at = time.monotonic()
                on_exit()
                continue
            try:
                data = os.read(key.fd, READ_CHUNK)
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(key.fileobj)
            elif key.data is progress:
                if progress.add(data):
                    cell_start = time.monotonic()
                if not progress.can_read(time.monotonic()):
                    paused["fileobj"] = key.fileobj
                    sel.unregister(key.fileobj)
            else:
                key.data.add(data)
        if exited_at is None and exit_key is None and exited():
            exited_at = time.monotonic()
            on_exit()


def drain(sel: selectors.BaseSelector, progress: Progress, deadline: float) -> None:
    """Read what is left in the pipes (the writers are dead) without blocking; the
    progress pipe only within its budget."""
    while sel.get_map() and time.monotonic() < deadline:
        events = sel.select(max(0.0, deadline - time.monotonic()))
        if not events:
            return
        for key, _ in events:
            if key.data is progress and not progress.can_read(time.monotonic()):
                sel.unregister(key.fileobj)
                continue
            try:
                data = os.read(key.fd, READ_CHUNK)
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(key.fileobj)
            elif key.data is progress:
                try:
                    progress.add(data)
                except Exception:  # noqa: BLE001 - the run is over; a bad line changes nothing
                    pass
            elif isinstance(key.data, Tail):
                key.data.add(data)


def signal_rc(rc: int) -> int:
    """bwrap and docker report death by signal N as exit 128+N."""
    return -(rc - 128) if 128 < rc < 128 + 65 else rc


def exit_reason(rc: int | None, cpu_s: float, limits: Limits, *, oom: bool,
                err_text: str = "", memory_by_rlimit: bool = False,
                status_lost: bool = False) -> str:
    """Why a run that ended by itself ended, if a limit did it ("" otherwise)."""
    if oom:
        return "memory limit"
    if rc == -signal.SIGXCPU or (rc == -signal.SIGKILL and cpu_s >= limits.cpu_s):
        return "cpu time limit"
    if rc == -signal.SIGXFSZ:
        return "file size limit"
    if memory_by_rlimit and rc != 0 and "MemoryError" in err_text[-2000:]:
        return "memory limit"
    if status_lost:
        return "the sandbox process died"
    return ""

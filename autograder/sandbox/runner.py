"""The supervision loop shared by every backend: spawn, watch, time out, kill.

The command is started through a tiny /bin/sh prologue (no ``preexec_fn``,
which can deadlock a threaded engine): it joins the run's memory cgroup, puts
the progress pipe on fd 3 (so passed fds must avoid 3: ``fd_not_3``), then execs ``prlimit`` (rlimits) and the backend's
command. The child gets its own session/process group, so the whole local tree
can be SIGKILLed; the cgroup catches processes that left the group.
"""
from __future__ import annotations

import fcntl
import os
import selectors
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable

from .limits import Limits, MemoryCgroup, RunResult

TAIL_BYTES = 20 * 1024
PROGRESS_LINE_MAX = 4096
EXIT_GRACE_S = 1.0  # after the main process exits, drain output this long at most

# $1: cgroup.procs to join ("" = none). $2 = 1: the progress pipe arrives as
# stdin (dash can only redirect fds 0-9): move it to fd 3, stdin from /dev/null.
_PROLOGUE = (
    'if [ -n "$1" ]; then echo $$ > "$1" || exit 125; fi; '
    'if [ "$2" = 1 ]; then exec 3>&0 0</dev/null; fi; '
    'shift 2; exec "$@"'
)

# Environment the sandboxed code sees: nothing from the engine's environment
# (tokens, paths) except these knobs.
PASS_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
            "PYTHONHASHSEED", "TZ")


def fd_not_3(fd: int) -> int:
    """Move fd off 3: the prologue dups the progress pipe onto 3."""
    if fd != 3:
        return fd
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


def clean_env(python: str, home: str, tmp: str) -> dict[str, str]:
    bindir = os.path.dirname(python)
    env = {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "TMPDIR": tmp,
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "USER": "sandbox", "LOGNAME": "sandbox",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
        "MPLBACKEND": "Agg",
        "AUTOGRADER_PROGRESS_FD": "3",
    }
    env.update({k: os.environ[k] for k in PASS_ENV if k in os.environ})
    return env


class _Tail:
    """Keeps the last TAIL_BYTES of a stream in bounded memory."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def add(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > 2 * TAIL_BYTES:
            del self.buf[:-TAIL_BYTES]

    def text(self) -> str:
        return bytes(self.buf[-TAIL_BYTES:]).decode("utf-8", "replace")


class _Progress:
    def __init__(self, cb: Callable[[str], None] | None):
        self.cb = cb
        self.partial = bytearray()

    def add(self, data: bytes) -> int:
        """Feed bytes; returns the number of complete lines seen."""
        self.partial += data
        n = 0
        while True:
            i = self.partial.find(b"\n")
            if i < 0:
                if len(self.partial) > PROGRESS_LINE_MAX:  # no newline: truncate
                    del self.partial[PROGRESS_LINE_MAX:]
                return n
            line = bytes(self.partial[:i][:PROGRESS_LINE_MAX])
            del self.partial[:i + 1]
            n += 1
            if self.cb is not None:
                self.cb(line.decode("utf-8", "replace"))


def _signal_rc(rc: int) -> int:
    """bwrap and docker report death by signal N as exit 128+N."""
    return -(rc - 128) if 128 < rc < 128 + 65 else rc


def execute(cmd: list[str], *, env: dict[str, str], cwd: Path, limits: Limits,
            on_progress: Callable[[str], None] | None,
            rlimits: list[str] | None,
            cgroup: MemoryCgroup | None = None,
            progress_fifo: Path | None = None,
            pass_fds: tuple[int, ...] = (),
            on_kill: Callable[[], None] | None = None,
            after_exit: Callable[[], None] | None = None,
            signal_exit_codes: bool = False,
            memory_by_rlimit: bool = False) -> RunResult:
    """Run ``cmd`` under ``limits``; always returns with the whole tree dead."""
    progress = _Progress(on_progress)
    out, err = _Tail(), _Tail()
    if progress_fifo is not None:
        # A FIFO in the bind-mounted workdir (container engines cannot pass fds).
        # Our own dummy writer keeps it from reading EOF before the child opens it.
        r = os.open(progress_fifo, os.O_RDONLY | os.O_NONBLOCK)
        w = os.open(progress_fifo, os.O_WRONLY | os.O_NONBLOCK)
        fd_arg = ""
    else:
        r, w = os.pipe()
        fd_arg = "1"
    full = ["/bin/sh", "-c", _PROLOGUE, "sandbox",
            str(cgroup.procs_file) if cgroup else "", fd_arg]
    if rlimits is not None:
        full += ["prlimit", *rlimits, "--"]
    full += cmd

    start = time.monotonic()
    try:
        proc = subprocess.Popen(full, stdin=w if fd_arg else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=cwd, env=env, pass_fds=pass_fds,
                                start_new_session=True)
    except BaseException:
        os.close(r)
        os.close(w)
        raise
    if fd_arg:
        os.close(w)
        w = -1
    os.set_blocking(r, False)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    sel.register(r, selectors.EVENT_READ, progress)

    deadline = start + limits.wall_s
    last_progress = start
    reason, timed_out = "", False
    exited_at: float | None = None
    rusage = None

    def kill_tree() -> None:
        if on_kill is not None:
            on_kill()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # pgid == pid (new session)
        except OSError:
            pass
        if cgroup is not None:
            cgroup.kill_all()

    def exited() -> bool:
        # WNOWAIT: leave the zombie, so proc.pid (our pgid) cannot be recycled
        # before kill_tree() has used it.
        try:
            return os.waitid(os.P_PID, proc.pid,
                             os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True

    try:
        while True:
            now = time.monotonic()
            if exited_at is None:
                if now >= deadline:
                    reason, timed_out = f"wall time limit {limits.wall_s:g} s", True
                    break
                if limits.idle_s is not None and now >= last_progress + limits.idle_s:
                    reason = f"no progress for {limits.idle_s:g} s (cell timeout)"
                    timed_out = True
                    break
                timeout = min(0.25, deadline - now)
                if limits.idle_s is not None:
                    timeout = min(timeout, last_progress + limits.idle_s - now)
            else:
                streams = [k for k in sel.get_map().values() if k.data is not progress]
                if not streams or now >= exited_at + EXIT_GRACE_S:
                    break
                timeout = exited_at + EXIT_GRACE_S - now
            if len(sel.get_map()) > 0:
                events = sel.select(max(0.0, timeout))
            else:
                time.sleep(0.005)
                events = []
            for key, _ in events:
                try:
                    data = os.read(key.fd, 65536)
                except BlockingIOError:
                    continue
                if not data:
                    sel.unregister(key.fileobj)
                elif key.data is progress:
                    if progress.add(data):
                        last_progress = time.monotonic()
                else:
                    key.data.add(data)
            if exited_at is None and exited():
                exited_at = time.monotonic()
                kill_tree()  # the run is over: no leftover background process
    finally:
        if exited_at is None:
            kill_tree()
        _, status, rusage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if after_exit is not None:
            after_exit()
        _drain(sel, progress, deadline=time.monotonic() + 0.5)
        sel.close()
        proc.stdout.close()
        proc.stderr.close()
        os.close(r)
        if w >= 0:
            os.close(w)
        oom = cgroup.oom_kills() if cgroup is not None else 0
        if cgroup is not None:
            cgroup.remove()

    wall = time.monotonic() - start
    rc = proc.returncode
    if signal_exit_codes and rc is not None and rc > 0:
        rc = _signal_rc(rc)
    if not reason:
        cpu = rusage.ru_utime + rusage.ru_stime
        err_text = err.text()
        if oom:
            reason = "memory limit"
        elif rc == -signal.SIGXCPU or (rc == -signal.SIGKILL and cpu >= limits.cpu_s):
            reason = "cpu time limit"
        elif rc == -signal.SIGXFSZ:
            reason = "file size limit"
        elif memory_by_rlimit and rc != 0 and "MemoryError" in err_text[-2000:]:
            reason = "memory limit"
    return RunResult(returncode=rc, timed_out=timed_out, killed_reason=reason,
                     wall_s=round(wall, 4), stdout_tail=out.text(), stderr_tail=err.text())


def _drain(sel: selectors.BaseSelector, progress: _Progress, deadline: float) -> None:
    """Read what is left in the pipes (the writers are dead) without blocking."""
    while sel.get_map() and time.monotonic() < deadline:
        events = sel.select(max(0.0, deadline - time.monotonic()))
        if not events:
            return
        for key, _ in events:
            try:
                data = os.read(key.fd, 65536)
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(key.fileobj)
            elif key.data is progress:
                try:
                    progress.add(data)
                except Exception:
                    pass
            else:
                key.data.add(data)

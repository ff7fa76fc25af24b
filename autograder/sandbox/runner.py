"""Spawn a backend's command and supervise it (supervise.watch): time out, kill.

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
from .supervise import Progress, Tail, drain, exit_reason, signal_rc, watch

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
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
        "AUTOGRADER_PROGRESS_FD": "3",
    }
    env.update({k: os.environ[k] for k in PASS_ENV if k in os.environ})
    return env


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
    progress = Progress(on_progress)
    out, err = Tail(), Tail()
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

    rusage = None
    state = {"exited": False}

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

    def on_exit() -> None:
        state["exited"] = True
        kill_tree()  # the run is over: no leftover background process

    try:
        seen = watch(sel, limits, start, progress, exited=exited, on_exit=on_exit)
    finally:
        if not state["exited"]:
            kill_tree()
        _, status, rusage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if after_exit is not None:
            after_exit()
        drain(sel, progress, deadline=time.monotonic() + 0.5)
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
        rc = signal_rc(rc)
    reason = seen.reason or exit_reason(rc, rusage.ru_utime + rusage.ru_stime, limits, oom=bool(oom),
                                        err_text=err.text(), memory_by_rlimit=memory_by_rlimit)
    return RunResult(returncode=rc, timed_out=seen.timed_out, killed_reason=reason,
                     wall_s=round(wall, 4), stdout_tail=out.text(), stderr_tail=err.text())

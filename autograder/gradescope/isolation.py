"""Keeping student code away from the grader inside Gradescope's container.

Gradescope runs ``run_autograder`` as root in a container that usually allows no new
namespaces (no CAP_SYS_ADMIN, user namespaces refused), so bubblewrap may not work there.
In order of preference:

1. ``bubblewrap``: the platform's bwrap sandbox, when the container allows it.
2. ``separate user``: the student's code runs as uid ``STUDENT_UID`` (no account, no
   groups, no capabilities, no_new_privs, cleared environment, rlimits), the grader's
   files are root-owned 0700/0600 (Gradescope's own advice), and a probe run as that uid
   must fail to read or write them before anything is graded.
3. Neither: the submission is not graded (``choose`` returns no sandbox and the reason).

Either way the job runs in a fresh folder; only ``outcomes.json``/``outcomes.npz`` come
back to the grader (regular files, no links, size-capped), and every process of the
student uid is killed after each run.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.sandbox import SandboxUnavailable, get_sandbox

STUDENT_UID = 62000  # not an account; outside the bwrap sandbox's slot uids (61000-61999)
MAX_PROCESSES = 256
OUTCOMES = {"outcomes.json": 16 * 2**20, "outcomes.npz": 600 * 2**20}

SETPRIV = ("setpriv", f"--reuid={STUDENT_UID}", f"--regid={STUDENT_UID}", "--clear-groups",
           "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--")


def user_prefix() -> list[str]:
    return [*SETPRIV, "prlimit", f"--nproc={MAX_PROCESSES}", "--core=0", "--"]


# -- the grader's files ------------------------------------------------------------------

def harden(root: Path) -> None:
    """Root-owned 0700/0600 grader files; ``root`` itself traversable only (0711) so the
    venv under it stays usable; results and submission folders root-only."""
    root = Path(root)
    for name in ("source", "results", "submission"):
        path = root / name
        path.mkdir(exist_ok=True)
        _lock_tree(path)
    os.chmod(root, 0o711)


def _lock_tree(path: Path) -> None:
    os.chown(path, 0, 0, follow_symlinks=False)
    os.chmod(path, 0o700)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            try:
                os.chown(p, 0, 0, follow_symlinks=False)
                info = os.lstat(p)
                if stat.S_ISLNK(info.st_mode):
                    continue
                os.chmod(p, 0o700 if stat.S_ISDIR(info.st_mode) or info.st_mode & 0o100 else 0o600)
            except OSError:
                pass


# -- choosing ----------------------------------------------------------------------------

def choose(secret: Path, prefer: tuple[str, ...] = ("bubblewrap", "separate user")):
    """(sandbox, mode, reasons): the first isolation that holds here, or (None, "", why
    none does). ``secret``: a root-only grader file the student's uid must not read, in a
    root-only folder it must not write to."""
    reasons = []
    for mode in prefer:
        if mode == "bubblewrap":
            try:
                return CopyingSandbox(get_sandbox("bwrap")), mode, reasons
            except SandboxUnavailable as exc:
                reasons.append(f"bubblewrap: {exc}".split("; install it")[0])
        elif mode == "separate user":
            why = user_mode_problem(Path(secret))
            if why is None:
                return CopyingSandbox(get_sandbox("none"), uid=STUDENT_UID, prefix=user_prefix()), mode, reasons
            reasons.append(f"separate user: {why}")
    return None, "", reasons


def user_mode_problem(secret: Path) -> str | None:
    """None when code run as STUDENT_UID can neither read ``secret`` nor write beside it."""
    if os.geteuid() != 0:
        return "the grader does not run as root, so it cannot run student code as another user"
    for tool in ("setpriv", "prlimit"):
        if shutil.which(tool) is None:
            return f"{tool} (util-linux) is missing"
    code = ("import os, sys\nbad = []\n"
            "try:\n    open(sys.argv[1], 'rb').read(1); bad.append('read ' + sys.argv[1])\nexcept OSError: pass\n"
            "try:\n    open(os.path.join(os.path.dirname(sys.argv[1]), '.probe'), 'w'); bad.append('write')\n"
            "except OSError: pass\n"
            "print(os.getuid(), os.geteuid(), 'ok' if not bad else 'LEAK: ' + ', '.join(bad))\n")
    try:
        r = subprocess.run([*user_prefix(), sys.executable, "-I", "-c", code, str(secret)], capture_output=True,
                           text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, cwd="/")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the probe did not run: {exc}"
    finally:
        kill_uid(STUDENT_UID)
    if r.stdout.split() != [str(STUDENT_UID), str(STUDENT_UID), "ok"]:
        return f"the probe as uid {STUDENT_UID} failed: {(r.stdout + r.stderr).strip()[-300:]}"
    return None


# -- running -----------------------------------------------------------------------------

class CopyingSandbox:
    """Runs the engine's job in a fresh folder the grader never reads from except for the
    two outcome files; ``uid``/``prefix``: the separate-user mode."""

    def __init__(self, inner, uid: int | None = None, prefix: list[str] | None = None):
        self.inner, self.uid, self.prefix = inner, uid, list(prefix or [])
        self.name, self.isolated = f"gradescope-{inner.name}", True
        self.base = Path(tempfile.mkdtemp(prefix="la4ml-gradescope-"))
        os.chmod(self.base, 0o711)

    def run(self, argv, workdir, limits, slot=0, on_progress=None, harness=None):
        workdir = Path(workdir)
        job = self.base / f"job-{secrets.token_hex(16)}"
        job.mkdir(mode=0o711)
        try:
            _copy_regular(workdir, job)
            if self.uid is not None:
                for p in [job, *job.rglob("*")]:
                    os.chown(p, self.uid, self.uid, follow_symlinks=False)
            try:
                return self.inner.run([*self.prefix, *argv], job, limits, slot, on_progress, harness=harness)
            finally:
                if self.uid is not None:
                    kill_uid(self.uid)
                for name in OUTCOMES:
                    (workdir / name).unlink(missing_ok=True)
                for name, limit in OUTCOMES.items():
                    data = _read_regular(job / name, limit)
                    if data is not None:
                        (workdir / name).write_bytes(data)
        finally:
            shutil.rmtree(job, ignore_errors=True)


def _copy_regular(src: Path, dst: Path) -> None:
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src)
        if p.is_symlink():
            continue
        if p.is_dir():
            (dst / rel).mkdir(mode=0o755, exist_ok=True)
        elif p.is_file():
            shutil.copyfile(p, dst / rel)


def _read_regular(path: Path, limit: int) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        return data if len(data) <= limit else None
    finally:
        os.close(fd)


def _uid_of(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("State:") and line.split()[1] in ("Z", "X"):
                    return None  # a zombie: already dead
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def kill_uid(uid: int, timeout: float = 5.0) -> None:
    """SIGKILL every process running as ``uid`` (double-forked daemons included) until
    none is left: a kill(-1) sent as that uid, then a sweep of /proc."""
    deadline = time.monotonic() + timeout
    while True:
        subprocess.run([*SETPRIV[:1], f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--",
                        sys.executable, "-I", "-c", "import os, signal; os.kill(-1, signal.SIGKILL)"],
                       capture_output=True, timeout=30, env={"PATH": "/usr/bin:/bin"}) if uid != os.getuid() else None
        left = [p for p in os.listdir("/proc") if p.isdigit() and _uid_of(p) == uid]
        if not left or time.monotonic() > deadline:
            return
        for pid in left:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.02)

"""One slot's zygote, seen from the trusted side (root, on the host): start it in the
bwrap sandbox, run a job in it, check it after each job, stop it. The design and the
promises are described in warm.py; the zygote itself is zygote.py, the checks from
outside are tamper.py.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from . import seccomp, tamper
from .bwrap import BwrapSandbox, data_fds, huge_pages, identity_files
from .job import REPLY_TIMEOUT_S, ZygoteError, execute, recv
from .jobfs import JobFsError, copy_tree, make_shared, mount_tmpfs, remove_tree, unmount
from .limits import Limits, MemoryCgroup, RunResult, kill_pid
from .preload import HARNESS_DIR, PRELOAD_IMPORTS
from .runner import clean_env, fd_not_3

log = logging.getLogger("autograder.sandbox.warm")

# The engine's sandbox command (autograder.grade.engine.BOOT); only it runs warm.
MAX_JOBS = 50              # then a fresh zygote anyway
BOOT_TIMEOUT_S = 180.0
ZYGOTE_NPROC = 4096        # the zygote's RLIMIT_NPROC; each job lowers its own
OUTCOME_CAPS = {"outcomes.json": 16 * 2**20, "outcomes.npz": 600 * 2**20}
ZYGOTE_FILE = Path(__file__).resolve().parent / "zygote.py"

_logged: set[str] = set()
_logged_lock = threading.Lock()


def log_once(key: str, message: str) -> None:
    with _logged_lock:
        if key in _logged:
            return
        _logged.add(key)
    log.warning(message)


# ---------------------------------------------------------------------- the zygote


def zygote_env(python: str) -> dict[str, str]:
    """The zygote's environment: a job's, and malloc asked for huge pages (bwrap.huge_pages;
    ``AUTOGRADER_HUGE_PAGES=0`` leaves malloc as it is). The zygote removes that variable
    before any job."""
    env = clean_env(python, home="/tmp", tmp="/tmp")
    if os.environ.get("AUTOGRADER_HUGE_PAGES", "1") != "0":
        env["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1"
    return env


def _digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


_DIGESTS: dict[tuple, str] = {}


def harness_digest() -> str:
    """Changes when the harness files change: the zygote is then restarted. Asked before
    every job; the files are read again only when one's size, time or inode changed."""
    files = _harness_files()
    key = tuple((f.name, st.st_size, st.st_mtime_ns, st.st_ino) for f in files for st in (f.stat(),))
    if key not in _DIGESTS:
        _DIGESTS.clear()
        _DIGESTS[key] = _digest(files)
    return _DIGESTS[key]


def _harness_files() -> list[Path]:
    return sorted(HARNESS_DIR.glob("*.py"))


# --------------------------------------------------------------------- one zygote


class _Spawner:
    """A daemon thread that lives as long as the process and starts the zygotes: bwrap
    --die-with-parent (PR_SET_PDEATHSIG) fires when the *thread* that started it exits,
    and the engine's worker threads come and go. The zygote itself notices the grader's
    death by EOF on its socket (a PDEATHSIG from root's bwrap to the slot uid is refused)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: "queue.Queue | None" = None

    def __call__(self, fn, *args, **kwargs):
        with self.lock:
            if self.jobs is None:
                self.jobs = queue.Queue()
                threading.Thread(target=self._serve, name="warm-sandbox-spawner", daemon=True).start()
        done = threading.Event()
        box: dict = {}
        self.jobs.put((fn, args, kwargs, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def _serve(self) -> None:
        while True:
            fn, args, kwargs, box, done = self.jobs.get()
            try:
                box["value"] = fn(*args, **kwargs)
            except BaseException as exc:  # handed to the caller
                box["error"] = exc
            done.set()


_spawn = _Spawner()


class Zygote:
    """One slot's zygote. Used by one run at a time (``lock``)."""

    def __init__(self, slot: int, base: Path, bwrap: BwrapSandbox):
        self.slot, self.base, self.bwrap = slot, base, bwrap
        self.uid = bwrap.uid_base + slot
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.started: str | None = None
        self.sock: socket.socket | None = None
        self.host_pid: int | None = None
        self.dir: Path | None = None
        self.dir_fd: int | None = None
        self.key: tuple | None = None
        self.memory_mb = 0
        self.preload: tuple[str, ...] = ()
        self.jobs = 0
        self.broken = ""
        self.tasks = 1
        self.attrs: dict | None = None
        self.last_used = time.monotonic()
        self.shared = False

    # -- life ----------------------------------------------------------------
    def alive(self) -> bool:
        return (self.proc is not None and self.proc.poll() is None and not self.broken
                and self.host_pid is not None and Path(f"/proc/{self.host_pid}").exists())

    def start(self, python: str, preload: tuple[str, ...], memory_mb: int, harness: str, warm: bool = True) -> None:
        """``warm``: the zygote runs its libraries once before serving (autograder.harness.warm):
        a few tenths of a second more to start, a few hundredths less for every job."""
        self.stop()
        began = time.monotonic()
        self.dir = self.base / f"slot-{self.slot}-{secrets.token_hex(8)}"
        os.mkdir(self.dir, 0o711)
        os.chmod(self.dir, 0o711)  # root's: the slot uid can enter, not list or write
        lib = self.dir / "lib"  # listable (the import system lists directories)
        for d in (lib, lib / "autograder", lib / "autograder" / "harness"):
            os.mkdir(d)
            os.chmod(d, 0o755)
        (lib / "autograder" / "__init__.py").write_text("")
        for f in _harness_files():
            shutil.copy(f, lib / "autograder" / "harness" / f.name)
        shutil.copy(ZYGOTE_FILE, self.dir / "zygote.py")
        for f in self.dir.rglob("*.py"):
            os.chmod(f, 0o644)
        try:  # each job's tmpfs, mounted below the slot folder later, appears inside too
            make_shared(self.dir)
            self.shared = True
        except JobFsError as exc:
            self.shared = False
            log_once("jobfs", f"warm sandbox: {exc}; job folders have no byte or inode quota")
        self.dir_fd = os.open(self.dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        mods = [m for name in preload for m in PRELOAD_IMPORTS.get(name, (name,))]
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        theirs_fd = fd_not_3(os.dup(theirs.fileno()))
        theirs.close()
        fds: dict[str, int] = {}
        data = {**identity_files(self.uid), **huge_pages()}
        prog = seccomp.program(warm=True)
        if prog is not None:
            data["seccomp"] = prog
        logf = None
        try:
            fds.update(data_fds(data))
            argv = [python, "-I", str(self.dir / "zygote.py"), str(self.dir), str(theirs_fd), ",".join(mods),
                    "warm" if warm else "cold"]
            # /tmp and /dev/shm: tmpfs of this size; what a job writes there is charged
            # to its memory cgroup, and wiped after it.
            cmd = self.bwrap.command(argv, self.dir, Limits(memory_mb=memory_mb), self.slot, fds)
            cmd.insert(1, "--as-pid-1")  # the zygote is PID 1: no job can signal it
            full = ["prlimit", "--core=0", f"--nproc={ZYGOTE_NPROC}", "--", *cmd]
            logf = open(self.base / f"{self.dir.name}.log", "wb")
            # From the spawner thread: bwrap's --die-with-parent follows the thread that
            # started it, and the zygote must outlive the engine's worker threads.
            self.proc = _spawn(subprocess.Popen, full, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                               cwd=self.dir, env=zygote_env(python),
                               pass_fds=(*fds.values(), theirs_fd), start_new_session=True)
        except BaseException:
            ours.close()
            raise
        finally:
            for fd in fds.values():
                os.close(fd)
            os.close(theirs_fd)
            if logf is not None:
                logf.close()
        self.sock = ours
        ready = recv(ours, BOOT_TIMEOUT_S)
        if not ready or ready.get("op") != "ready":
            tail = tamper.read(str(self.base / f"{self.dir.name}.log"))[-2000:]
            self.stop()
            raise ZygoteError(f"the warm sandbox did not start: {tail.strip() or 'no answer'}")
        kids = tamper.children(self.proc.pid)
        if len(kids) != 1 or tamper.ns_pid(kids[0]) != (self.proc.pid, 1):
            self.stop()
            raise ZygoteError("cannot find the warm sandbox's process")
        self.host_pid = kids[0]
        self.started = tamper.start_time(self.host_pid)
        if ready.get("failed"):
            log_once(f"preload:{sorted(ready['failed'])}",
                      f"warm sandbox: could not preload {ready['failed']}; jobs import them themselves")
        if ready.get("not_warmed"):
            log_once(f"warm-up:{sorted(ready['not_warmed'])}",
                      f"warm sandbox: the first use of {ready['not_warmed']} failed before any job; "
                      "jobs pay for it themselves")
        self.tasks = int(ready.get("tasks", 1))
        self.key = (python, harness)
        self.memory_mb = memory_mb
        self.preload = tuple(preload)
        self.jobs = 0
        self.broken = ""
        if not (self._wipe_tmp()):
            self.stop()
            raise ZygoteError("cannot clear the warm sandbox's /tmp")
        self.attrs = tamper.attributes(self.host_pid)
        log.info("warm sandbox slot %s: zygote started in %.2f s (preloaded: %s)", self.slot,
                 time.monotonic() - began, ", ".join(self.preload) or "nothing")

    def stop(self) -> None:
        if self.host_pid is not None:
            started = self.started  # never a recycled pid: same pid, same start time
            kill_pid(self.host_pid, lambda p: started is not None and tamper.start_time(p) == started)
        if self.proc is not None:
            try:  # bwrap exits once its child (the zygote) is dead, and reaps it
                self.proc.wait(timeout=2 if self.host_pid is not None else 0.01)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except OSError:
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
        if self.sock is not None:
            self.sock.close()
        if self.dir_fd is not None:
            os.close(self.dir_fd)
        if self.dir is not None:
            remove_tree(self.dir)
            try:
                (self.base / f"{self.dir.name}.log").unlink()
            except OSError:
                pass
        self.proc = self.sock = self.host_pid = self.dir = self.dir_fd = None
        self.key, self.attrs = None, None

    def _wipe_tmp(self) -> bool:
        return all(tamper.wipe(f"/proc/{self.host_pid}/root{d}") for d in ("/tmp", "/dev/shm"))

    # -- one job -------------------------------------------------------------
    def run_job(self, workdir: Path, limits: Limits, on_progress, cgroup: MemoryCgroup) -> RunResult:
        start = time.monotonic()
        self.jobs += 1
        self.last_used = start
        name = f"job-{secrets.token_hex(16)}"
        os.mkdir(name, 0o700, dir_fd=self.dir_fd)  # fails if it exists; never follows a link
        job_dir = self.dir / name
        mounted = False
        job_fd = None
        try:
            if self.shared:
                mount_tmpfs(job_dir, limits.disk_mb, limits.files, self.uid, mode=0o700)
                mounted = True
            job_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=self.dir_fd)
            os.chown(job_fd, self.uid, self.uid)
            copy_tree(workdir, job_dir, self.uid, self.uid)
            result = execute(self, job_dir, limits, on_progress, cgroup, start)
            if self.alive():
                self._after_job()
            copy_tree(job_dir, workdir, names=OUTCOME_CAPS)  # plain files of a capped size
            return result
        finally:
            if job_fd is not None:
                os.close(job_fd)
            if mounted:
                unmount(job_dir)
            remove_tree(job_dir)
            if job_dir.exists():
                self.broken = "the job folder could not be removed"

    def _after_job(self) -> None:
        """The zygote must be exactly as it was before the job, or it goes."""
        doc = None
        deadline = time.monotonic() + 2.0
        while True:
            try:
                self.sock.send(json.dumps({"op": "clean"}).encode())
            except OSError:
                break
            doc = recv(self.sock, REPLY_TIMEOUT_S)
            if not doc or doc.get("op") != "clean" or not doc.get("others") or time.monotonic() > deadline:
                break
            time.sleep(0.01)  # killed processes still being reaped
        if not doc or doc.get("op") != "clean":
            self.broken = "the zygote did not answer after the job"
        elif doc.get("others"):
            self.broken = f"processes left in the namespace: {doc['others'][:10]}"
        elif doc.get("ipc"):
            self.broken = f"SysV IPC objects left: {doc['ipc']}"
        elif doc.get("tasks") != self.tasks:
            self.broken = "the zygote's thread count changed"
        elif not self._wipe_tmp():
            self.broken = "/tmp or /dev/shm could not be cleared"
        elif tamper.attributes(self.host_pid) != self.attrs:
            self.broken = "the zygote's limits or scheduling were changed"
        if self.broken:
            log.info("warm sandbox slot %s: restarting the zygote: %s", self.slot, self.broken)

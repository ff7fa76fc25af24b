"""Warm backend: per slot, a long-lived "zygote" that has already imported the heavy
modules, and forks one child per job. Same isolation as the bwrap backend, minus the
~0.3 s (numpy) to ~3 s (torch) of interpreter start and imports per run.

    sb = get_sandbox("warm")        # what "auto" gives when bwrap is usable
    sb.run(sandbox_argv(), workdir, limits, slot, on_progress,
           harness=HarnessJob(preload=("torch",)))                # as any backend

Only a run the engine marks as its harness (``harness=HarnessJob(...)``) runs warm: the
zygote calls ``autograder.harness.run.main`` on the job folder itself. Any other
command, and every run when no memory cgroup is writable, runs on the cold bwrap backend.

How a run goes (the trusted side is this module, as root; the zygote and the jobs run
as the slot uid 61000+slot with no capabilities, seccomp, no network):

* zygote (zygote.py, copied into the slot folder): started through the bwrap command
  line (``BwrapSandbox.command``) with
  ``--as-pid-1`` and the stricter seccomp filter (``seccomp.program(warm=True)``).
  Its one writable bind is a fresh slot directory (root-owned 0711, made per zygote
  with a random name under a root-only 0700 base, never under /tmp) holding a copy
  of the harness and the zygote's code. It clears PR_SET_DUMPABLE (same-uid jobs can
  neither ptrace it nor open /proc/1/{mem,fd,environ}), is PID 1 of its namespace
  (signals from the jobs, kill(-1) included, never reach it), imports the preload
  modules and the harness, then waits for commands on a SOCK_SEQPACKET socket. Its heap
  is in transparent huge pages where the host allows them (bwrap.huge_pages): fewer
  page-table entries to copy at each fork and to drop at each exit.
* job: the trusted side mounts a tmpfs with a byte and inode quota (jobfs.py) on a new
  job folder ``job-<128 random bits>`` (mkdir fails if it exists; the slot folder is a
  shared mount, so the tmpfs appears in the zygote's namespace too), copies the caller's
  workdir into it (regular files only, owned by the slot uid), makes pipes and a per-job memory cgroup, and sends "run"
  with the pipe ends and (cgroup v1) the cgroup's ``tasks`` file (SCM_RIGHTS). The zygote
  forks; the child joins the cgroup through that file, closes it, and (new session) blocks
  on a go byte; the trusted side checks the child is in the job cgroup (else writes its
  host pid there itself), sends go. The child sets RLIMIT_CPU/FSIZE/NPROC/CORE, moves
  stdout/stderr/progress to 1/2/3, chdirs into the job folder and runs the harness's
  ``main(job_folder)``. Wall, idle and CPU time, memory (cgroup OOM) are judged as in
  every backend (supervise.watch); the progress lines on fd 3 reach ``on_progress``.
* after the job: every process in the job cgroup is SIGKILLed (double-forked daemons
  included), then the zygote reaps and reports (no other process in its namespace, no
  SysV IPC object), /tmp and /dev/shm of the namespace are wiped (fd-based, no symlink
  followed, bounded), the zygote's rlimits/nice/affinity/scheduling/ioprio are compared
  with their values at start (a job could change some of them), outcomes.json/.npz
  are copied back (O_NOFOLLOW, regular files, size-capped) and the job's tmpfs is
  unmounted. The checks from outside are in tamper.py. Anything unexpected, a dead zygote, or ``MAX_JOBS`` jobs: the zygote is
  killed (its whole PID namespace dies with it) and the next run starts a fresh one.

Preload (preload.py): ``WarmSandbox(preload=...)`` (default numpy) plus the job's
``HarnessJob.preload``, which the engine computes from the cells it sends: a zygote is
restarted with the union when a job needs one it lacks.
If the grader dies, the zygote reads EOF on its socket and exits, and as PID 1 takes its
whole namespace with it (bwrap's PDEATHSIG cannot reach the slot uid from root).

Memory accounting differs slightly from cold: pages the child shares with the zygote
(the preloaded modules) are charged to the zygote, so the limit counts what the job
itself allocates.
"""
from __future__ import annotations

import atexit
import os
import secrets
import threading
import time
from pathlib import Path
from typing import Callable

from .bwrap import MAX_SLOTS, BwrapSandbox, check_job
from .jobfs import remove_tree, sweep_stale
from .limits import Limits, MemoryCgroup, RunResult
from .preload import DEFAULT_PRELOAD, HEAVY_MODULES, HarnessJob, write_harness
from .slot import MAX_JOBS, OUTCOME_CAPS, Zygote, ZygoteError, harness_digest, log_once

MAX_ZYGOTES = max(4, 2 * (os.cpu_count() or 1))  # idle zygotes beyond this are stopped


# ------------------------------------------------------------------- the pool


class _Pool:
    """Zygotes of this process, one per slot, shared by every WarmSandbox object."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.zygotes: dict[int, Zygote] = {}
        self.base: Path | None = None

    def _base(self) -> Path:
        if self.base is None:
            root = Path(os.environ.get("AUTOGRADER_WARM_DIR", "/var/tmp"))
            real = os.path.realpath(root)
            if real in ("/tmp", "/dev/shm") or real.startswith(("/tmp/", "/dev/shm/")):
                root = Path("/var/tmp")  # the namespace's own /tmp is wiped after each job
            root.mkdir(parents=True, exist_ok=True)
            sweep_stale(root, "autograder-warm")
            self.base = root / f"autograder-warm-{os.getpid()}-{secrets.token_hex(4)}"
            os.mkdir(self.base, 0o700)
            atexit.register(self.close)
        return self.base

    def acquire(self, slot: int, python: str, preload: tuple[str, ...], memory_mb: int,
                bwrap: BwrapSandbox, warm: bool = True) -> Zygote:
        with self.lock:
            base = self._base()
            z = self.zygotes.get(slot)
            if z is None:
                z = self.zygotes[slot] = Zygote(slot, base, bwrap)
        z.lock.acquire()
        try:
            harness = harness_digest()
            if (not z.alive() or z.key != (python, harness) or z.jobs >= MAX_JOBS
                    or not set(preload) <= set(z.preload) or memory_mb > z.memory_mb):
                keep = z.preload if z.key is not None and z.key[0] == python else ()
                wanted = tuple(m for m in HEAVY_MODULES if m in set(preload) | set(keep))
                wanted += tuple(m for m in preload if m not in wanted)
                z.start(python, wanted, max(memory_mb, Limits().memory_mb), harness, warm=warm or z.jobs >= MAX_JOBS)
        except BaseException:
            z.stop()
            z.lock.release()
            raise
        return z

    def release(self, z: Zygote) -> None:
        if z.broken:
            z.stop()
        z.last_used = time.monotonic()
        z.lock.release()
        self._evict()

    def _evict(self) -> None:
        with self.lock:
            live = [z for z in self.zygotes.values() if z.proc is not None]
            if len(live) <= MAX_ZYGOTES:
                return
            for z in sorted(live, key=lambda z: z.last_used)[: len(live) - MAX_ZYGOTES]:
                if z.lock.acquire(blocking=False):
                    try:
                        z.stop()
                    finally:
                        z.lock.release()

    def close(self) -> None:
        with self.lock:
            zygotes = list(self.zygotes.values())
            self.zygotes.clear()
        for z in zygotes:
            z.stop()
        if self.base is not None:
            remove_tree(self.base)
            self.base = None


_POOL = _Pool()


# ------------------------------------------------------------------- the backend


class WarmSandbox:
    name = "warm"
    isolated = True
    brings_harness = True  # the engine leaves the harness out of the workdir (see _cold)

    def __init__(self, preload: tuple[str, ...] = DEFAULT_PRELOAD, uid_base: int | None = None):
        """``preload``: modules every zygote imports (HEAVY_MODULES names), besides those
        each job asks for (``HarnessJob.preload``)."""
        self.preload = tuple(preload)
        self.cold = BwrapSandbox() if uid_base is None else BwrapSandbox(uid_base=uid_base)

    @staticmethod
    def unusable_reason() -> str | None:
        return BwrapSandbox.unusable_reason()

    def prewarm(self, slot: int, python: str, preload: tuple[str, ...], memory_mb: int, warm: bool = True) -> bool:
        """Start the zygote of ``slot`` now (what the first :meth:`run` on that slot would
        start), so that its start-up overlaps the caller's own. True if it is ready;
        any failure is left for that run to meet and report. ``warm``: worth warming its
        libraries up (many jobs ahead: see Zygote.start)."""
        if not 0 <= slot < MAX_SLOTS or not MemoryCgroup.available():
            return False
        preload = tuple(dict.fromkeys(self.preload + tuple(preload)))
        try:
            z = _POOL.acquire(slot, python, preload, memory_mb, self.cold, warm)
        except (ZygoteError, OSError):
            return False
        _POOL.release(z)
        return True

    def run(self, argv: list[str], workdir: Path, limits: Limits, slot: int = 0,
            on_progress: Callable[[str], object] | None = None,
            harness: HarnessJob | None = None) -> RunResult:
        """``harness``: the engine says argv runs its grading harness on the workdir: only
        such a job runs warm (the zygote calls the harness itself); anything else cold."""
        workdir = check_job(workdir, slot)
        if harness is None or not os.path.isabs(argv[0]):
            log_once("argv", "warm sandbox: only the grading harness runs warm; other commands run cold")
            return self._cold(argv, workdir, limits, slot, on_progress, harness)
        cgroup = MemoryCgroup.create(slot, limits.memory_mb)
        if cgroup is None:
            log_once("cgroup", "warm sandbox: no writable memory cgroup here, so every job runs on "
                                "the cold bwrap backend (a fresh interpreter per run)")
            return self._cold(argv, workdir, limits, slot, on_progress, harness)
        preload = tuple(dict.fromkeys(self.preload + tuple(harness.preload)))
        try:
            z = _POOL.acquire(slot, argv[0], preload, limits.memory_mb, self.cold)
        except (ZygoteError, OSError) as exc:
            cgroup.remove()
            log_once(f"start:{type(exc).__name__}", f"warm sandbox unavailable ({exc}); running cold")
            return self._cold(argv, workdir, limits, slot, on_progress, harness)
        try:
            return z.run_job(workdir, limits, on_progress, cgroup)
        except ZygoteError as exc:
            # Raised only before the job's code ran (no go byte sent): run it cold.
            z.broken = z.broken or str(exc)
            log_once(f"job:{exc}", f"warm sandbox: {exc}; running this job cold")
            for name in OUTCOME_CAPS:
                try:
                    (workdir / name).unlink()
                except OSError:
                    pass
            return self._cold(argv, workdir, limits, slot, on_progress, harness)
        finally:
            cgroup.remove()
            _POOL.release(z)

    def _cold(self, argv, workdir: Path, limits: Limits, slot: int, on_progress, harness) -> RunResult:
        """A run on the cold backend. A fresh interpreter imports the engine's harness from
        the workdir, where the engine leaves it out for this backend (``brings_harness``)."""
        if harness is not None:
            write_harness(workdir)
        return self.cold.run(argv, workdir, limits, slot, on_progress)


def shutdown() -> None:
    """Stop every zygote of this process (also done at exit)."""
    _POOL.close()

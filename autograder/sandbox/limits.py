"""Resource limits of one run, and the two kernel mechanisms that enforce them.

* rlimits (CPU, FSIZE, NPROC, CORE, and AS when no memory cgroup) are set by
  util-linux ``prlimit`` in the exec chain, not in a ``preexec_fn``: preexec_fn
  can deadlock when the engine runs several slots from threads.
* memory: a cgroup (v1 ``memory`` controller, or v2 where the parent already
  delegates ``memory``) nested UNDER our own cgroup, so it never escapes the
  limits the host put on us. It also lists every process of the run, so the
  whole tree can be killed even if it left its process group. Without a
  writable memory controller, RLIMIT_AS is the fallback (torch needs >= 4 GiB
  of address space to import).
"""
from __future__ import annotations

import errno
import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024


@dataclass
class Limits:
    wall_s: float = 120.0        # whole run
    cpu_s: float = 120.0         # RLIMIT_CPU
    memory_mb: int = 4096        # memory cgroup where writable, else RLIMIT_AS
    processes: int = 64          # RLIMIT_NPROC (non-root uid only; one uid per slot)
    file_mb: int = 64            # RLIMIT_FSIZE
    disk_mb: int = 1024          # the job folder's tmpfs: bytes (charged to memory too)
    files: int = 10000           # the job folder's tmpfs: inodes (files and directories)
    idle_s: float | None = None  # kill if no progress line for this long


@dataclass
class RunResult:
    returncode: int | None       # negative: killed by that signal
    timed_out: bool              # wall or idle limit hit
    killed_reason: str           # "" when the run ended by itself
    wall_s: float
    stdout_tail: str             # last 20 kB
    stderr_tail: str


def cpu_ceiling(limits: Limits) -> int:
    """RLIMIT_CPU's soft limit in whole seconds (the hard one is a second more)."""
    return max(1, int(limits.cpu_s + 0.999))


def prlimit_args(limits: Limits, *, nproc: bool, address_space: bool) -> list[str]:
    """``prlimit`` options for the rlimits (soft:hard)."""
    cpu = cpu_ceiling(limits)
    # Soft limit sends SIGXCPU, the hard one a second later SIGKILL (for code
    # that ignores SIGXCPU).
    args = [f"--cpu={cpu}:{cpu + 1}",
            f"--fsize={limits.file_mb * MiB}",
            "--core=0"]
    if nproc:
        args.append(f"--nproc={limits.processes}")
    if address_space:
        args.append(f"--as={limits.memory_mb * MiB}")
    return args


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True  # gone


def kill_pid(pid: int, check=None) -> None:
    """SIGKILL pid through a pidfd, so a recycled pid is never hit: ``check``
    (re-run after the pidfd is open) confirms the pid is still ours."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return
    try:
        if check is None or check(pid):
            signal.pidfd_send_signal(fd, signal.SIGKILL)
    except OSError:
        pass
    finally:
        os.close(fd)


class MemoryCgroup:
    """A private memory cgroup for one run, nested under our own cgroup."""

    _counter = itertools.count()
    PREFIX = "autograder-sandbox-"

    def __init__(self, path: Path, version: int):
        self.path = path
        self.version = version
        self.procs_file = path / "cgroup.procs"

    # -- discovery ---------------------------------------------------------
    @staticmethod
    def _own_parent() -> tuple[Path, int] | None:
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError:
            return None
        for line in lines:  # v1: "4:memory:/path"
            _, ctrls, rel = line.split(":", 2)
            if "memory" in ctrls.split(","):
                base = Path("/sys/fs/cgroup/memory")
                if (base / rel.lstrip("/") / "memory.limit_in_bytes").exists():
                    return base / rel.lstrip("/"), 1
        for line in lines:  # v2: "0::/path", only if memory is delegated to children
            if line.startswith("0::"):
                for mnt in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")):
                    parent = mnt / line[3:].lstrip("/")
                    try:
                        ctl = (parent / "cgroup.subtree_control").read_text().split()
                    except OSError:
                        continue
                    if "memory" in ctl:
                        return parent, 2
        return None

    @classmethod
    def available(cls) -> bool:
        found = cls._own_parent()
        return bool(found) and os.access(found[0], os.W_OK)

    @classmethod
    def create(cls, slot: int, memory_mb: int) -> "MemoryCgroup | None":
        found = cls._own_parent()
        if not found or not os.access(found[0], os.W_OK):
            return None
        parent, version = found
        cls._sweep_stale(parent)
        path = parent / f"{cls.PREFIX}{os.getpid()}-{slot}-{next(cls._counter)}"
        try:
            path.mkdir()
        except OSError:
            return None
        cg = cls(path, version)
        limit = str(memory_mb * MiB)
        try:
            if version == 1:
                (path / "memory.limit_in_bytes").write_text(limit)
                sw = path / "memory.memsw.limit_in_bytes"  # only with swap accounting
                if sw.exists():
                    try:
                        sw.write_text(limit)
                    except OSError:
                        pass
            else:
                (path / "memory.max").write_text(limit)
                try:
                    (path / "memory.swap.max").write_text("0")
                except OSError:
                    pass
        except OSError:
            cg.remove()
            return None
        return cg

    @classmethod
    def _sweep_stale(cls, parent: Path) -> None:
        """Remove empty cgroups left by a crashed engine process."""
        try:
            entries = list(parent.iterdir())
        except OSError:
            return
        for d in entries:
            if not d.name.startswith(cls.PREFIX):
                continue
            try:
                pid = int(d.name[len(cls.PREFIX):].split("-")[0])
            except ValueError:
                continue
            if pid != os.getpid() and not _pid_alive(pid):
                try:
                    d.rmdir()
                except OSError:
                    pass

    # -- use ---------------------------------------------------------------
    def pids(self) -> list[int]:
        try:
            return [int(x) for x in self.procs_file.read_text().split()]
        except (OSError, ValueError):
            return []

    def tasks_fd(self) -> int | None:
        """cgroup v1: the ``tasks`` file, open for writing, for a job's child to join the
        cgroup itself (as root opened it, the kernel lets that child write its own thread
        id there: "0"). None on cgroup v2, where a process joins only as a whole."""
        if self.version != 1:
            return None
        try:
            return os.open(self.path / "tasks", os.O_WRONLY | os.O_CLOEXEC)
        except OSError:
            return None

    def _member(self, pid: int) -> bool:
        try:
            rel = Path(f"/proc/{pid}/cgroup").read_text()
        except OSError:
            return False
        return self.path.name in rel

    def kill_all(self, timeout: float = 3.0) -> bool:
        """SIGKILL every process in the cgroup until none is left alive
        (zombies waiting for their parent do not count)."""
        deadline = time.monotonic() + timeout
        while True:
            pids = [p for p in self.pids() if not _zombie(p)]
            if not pids:
                return True
            for pid in pids:
                kill_pid(pid, self._member)
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)

    def oom_kills(self) -> int:
        name = "memory.oom_control" if self.version == 1 else "memory.events"
        try:
            for line in (self.path / name).read_text().splitlines():
                k, _, v = line.partition(" ")
                if k == "oom_kill":
                    return int(v)
        except (OSError, ValueError):
            pass
        if self.version == 1:  # old kernels: no oom_kill counter
            try:
                return int((self.path / "memory.failcnt").read_text()) and 1
            except (OSError, ValueError):
                pass
        return 0

    def remove(self) -> None:
        for _ in range(200):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError as e:
                if e.errno != errno.EBUSY:
                    return
                self.kill_all(timeout=0.1)
                time.sleep(0.01)

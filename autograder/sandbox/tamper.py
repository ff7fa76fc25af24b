"""The trusted side's checks of a warm zygote from outside (run as root on the host):
what a job could have changed about the zygote (limits, scheduling, identity), which
processes are its children, and wiping the namespace's /tmp and /dev/shm without
following a link or crossing a mount.
"""
from __future__ import annotations

import ctypes
import os
import platform
import stat

WIPE_MAX_ENTRIES = 20000
WIPE_MAX_DEPTH = 32


def read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def ioprio(pid: int) -> int | None:
    if platform.machine() not in ("x86_64", "AMD64"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.syscall(252, 1, pid)  # ioprio_get(IOPRIO_WHO_PROCESS, pid)
    except (OSError, AttributeError):
        return None


def attributes(pid: int) -> dict:
    """What a same-uid job could change about the zygote (and so about later jobs)."""
    stat_fields = read(f"/proc/{pid}/stat").rpartition(")")[2].split()
    status = {k: v.strip() for k, _, v in (line.partition(":") for line in read(f"/proc/{pid}/status").splitlines())}
    return {
        "limits": read(f"/proc/{pid}/limits"),
        "sched": [stat_fields[i] for i in (15, 16, 37, 38)] if len(stat_fields) > 38 else None,
        "status": {k: status.get(k) for k in ("Uid", "Gid", "Groups", "CapEff", "CapBnd", "NoNewPrivs",
                                              "Seccomp", "Cpus_allowed_list", "Mems_allowed_list")},
        "oom_score_adj": read(f"/proc/{pid}/oom_score_adj"),
        "timerslack_ns": read(f"/proc/{pid}/timerslack_ns"),
        "ioprio": ioprio(pid),
    }


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in read(f"/proc/{pid}/task/{pid}/children").split()]
    except ValueError:
        return []


def start_time(pid: int) -> str | None:
    fields = read(f"/proc/{pid}/stat").rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 else None


def ns_pid(host_pid: int) -> tuple[int | None, int | None]:
    """(parent host pid, pid in its own namespace) of a host pid."""
    ppid = nspid = None
    for line in read(f"/proc/{host_pid}/status").splitlines():
        if line.startswith("PPid:"):
            ppid = int(line.split()[1])
        elif line.startswith("NSpid:"):
            nspid = int(line.split()[-1])
    return ppid, nspid


def wipe(path: str) -> bool:
    """Empty a directory without following symlinks or crossing mounts. False if it
    could not (too deep, too many entries): the caller then discards the whole namespace.
    The sandbox's own read-only binds may sit inside (a venv under /tmp, say): they and
    the directories holding them are left in place, everything else goes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        return wipe_fd(fd, os.fstat(fd).st_dev, [WIPE_MAX_ENTRIES], 0) is not None
    except OSError:
        return False
    finally:
        os.close(fd)


def wipe_fd(fd: int, dev: int, budget: list[int], depth: int) -> bool | None:
    """Wipe what is in ``fd``; None on failure, else whether a mount was kept inside."""
    if depth > WIPE_MAX_DEPTH:
        return None
    with os.scandir(fd) as it:
        entries = list(it)
    kept = False
    for entry in entries:
        budget[0] -= 1
        if budget[0] < 0:
            return None
        st = entry.stat(follow_symlinks=False)
        if st.st_dev != dev:
            if not stat.S_ISDIR(st.st_mode):
                return None
            kept = True  # a bind mount of the sandbox (read-only): not the job's to leave
            continue
        if stat.S_ISDIR(st.st_mode):
            sub = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            try:
                if os.fstat(sub).st_ino != st.st_ino:
                    return None
                inner = wipe_fd(sub, dev, budget, depth + 1)
            finally:
                os.close(sub)
            if inner is None:
                return None
            if inner:
                kept = True
            else:
                os.rmdir(entry.name, dir_fd=fd)
        else:
            os.unlink(entry.name, dir_fd=fd)
    return kept

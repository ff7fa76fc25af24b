"""The job's own filesystem: a tmpfs with a byte and an inode quota per run.

A submission may only write into its job folder (and /tmp, /dev/shm: tmpfs of the
sandbox). On the host disk that folder would take whatever it writes (1 GB in 2 s,
150k files in 3 s); here it is a tmpfs mounted by the trusted side with ``size`` and
``nr_inodes``, whose pages are charged to the memory cgroup of the process that
writes them. The trusted side copies the job's files in before the run and the
results out after it, without following links, at a bounded depth, then unmounts:
the student's tree is never walked by anything recursive.
"""
from __future__ import annotations

import atexit
import ctypes
import logging
import os
import secrets
import shutil
import stat
import subprocess
import threading
from pathlib import Path

from .limits import Limits, MiB

log = logging.getLogger(__name__)

MAX_DEPTH = 32           # deeper entries are not copied back
COPY_CHUNK = 1 << 20
_MNT_DETACH = 2
_MS_NOSUID, _MS_NODEV = 2, 4
_libc = ctypes.CDLL(None, use_errno=True)


class JobFsError(OSError):
    """The job filesystem could not be made (no CAP_SYS_ADMIN, say)."""


def mount_tmpfs(path: Path, size_mb: int, inodes: int, uid: int, mode: int = 0o755) -> None:
    opts = f"size={size_mb * MiB},nr_inodes={inodes},mode={mode:o},uid={uid},gid={uid}"
    if _libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                   opts.encode()) != 0:
        err = ctypes.get_errno()
        raise JobFsError(err, f"cannot mount the job's tmpfs: {os.strerror(err)}", str(path))


def unmount(path: Path) -> None:
    """Lazy unmount: the tmpfs and all it holds go once nothing uses it."""
    _libc.umount2(os.fsencode(path), _MNT_DETACH)


def mounts_under(root: Path) -> list[str]:
    """Mount points at or below ``root`` (from /proc/self/mountinfo), deepest first."""
    prefix = os.path.realpath(root)
    found = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        fields = line.split()
        if len(fields) > 4:
            point = fields[4].encode().decode("unicode_escape")
            if point == prefix or point.startswith(prefix + "/"):
                found.append(point)
    return sorted(set(found), key=len, reverse=True)


def unmount_all(root: Path) -> None:
    for point in mounts_under(root):
        _libc.umount2(os.fsencode(point), _MNT_DETACH)


def make_shared(path: Path) -> None:
    """Bind ``path`` on itself as a shared mount: a tmpfs mounted below it later also
    appears in sandboxes started earlier that bind it (their copy is a slave)."""
    p = os.fsencode(path)
    for source, flags, what in ((p, 4096 | 16384, "bind"), (b"none", 1 << 18, "private"),
                                (b"none", 1 << 20, "shared")):
        # MS_BIND|MS_REC, then MS_PRIVATE, then MS_SHARED
        if _libc.mount(source, p, None, flags, None) != 0:
            err = ctypes.get_errno()
            raise JobFsError(err, f"cannot make {what} mount: {os.strerror(err)}", str(path))


def _open_dir(path: Path | str, dir_fd: int | None = None) -> int:
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dir_fd)


def copy_tree(src: Path, dest: Path, uid: int | None = None, gid: int | None = None,
              names: dict[str, int] | None = None, max_depth: int = MAX_DEPTH) -> int:
    """Copy directories and regular files from ``src`` into the existing ``dest``,
    depth first without recursion, never following a link, skipping anything else
    (FIFOs, sockets, devices) and anything deeper than ``max_depth``. ``uid``/``gid``:
    owner of what is created. ``names``: copy only these top-level regular files, each
    at most its size in bytes (bigger ones are skipped). Returns the number skipped."""
    skipped = 0
    sfd = _open_dir(src)
    stack = [(sfd, _open_dir(dest), iter(_entries(sfd)))]
    try:
        while stack:
            sfd, dfd, it = stack[-1]
            entry = next(it, None)
            if entry is None:
                os.close(sfd)
                os.close(dfd)
                stack.pop()
                continue
            if names is not None and entry.name not in names:
                continue
            try:
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode) and names is None:
                    if len(stack) > max_depth:
                        skipped += 1
                        continue
                    try:
                        os.mkdir(entry.name, 0o755, dir_fd=dfd)
                    except FileExistsError:
                        pass  # the caller's own folder: opened below without following links
                    if uid is not None:
                        os.chown(entry.name, uid, gid, dir_fd=dfd, follow_symlinks=False)
                    sub = _open_dir(entry.name, sfd)
                    stack.append((sub, _open_dir(entry.name, dfd), iter(_entries(sub))))
                elif stat.S_ISREG(st.st_mode):
                    cap = names.get(entry.name) if names is not None else None
                    if not _copy_file(sfd, dfd, entry.name, uid, gid, cap):
                        skipped += 1
                else:
                    skipped += 1
            except OSError:
                skipped += 1
    finally:
        for sfd, dfd, _ in stack:
            os.close(sfd)
            os.close(dfd)
    return skipped


def _copy_file(sfd: int, dfd: int, name: str, uid, gid, cap: int | None) -> bool:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=sfd)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as fin:
        info = os.fstat(fin.fileno())
        if not stat.S_ISREG(info.st_mode) or (cap is not None and info.st_size > cap):
            return False
        try:
            os.unlink(name, dir_fd=dfd)
        except FileNotFoundError:
            pass
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                      stat.S_IMODE(info.st_mode) & 0o755 | 0o600, dir_fd=dfd)
        with os.fdopen(out, "wb") as fout:
            left = cap + 1 if cap is not None else None
            while left is None or left > 0:
                chunk = fin.read(COPY_CHUNK if left is None else min(COPY_CHUNK, left))
                if not chunk:
                    break
                fout.write(chunk)
                if left is not None:
                    left -= len(chunk)
            if uid is not None:
                os.fchown(fout.fileno(), uid, gid)
    return True


def chown_tree(root: Path, uid: int, gid: int, max_entries: int = 200_000,
               max_depth: int = 4096) -> bool:
    """lchown ``root`` and what is below it, depth first with one open directory per
    level (no recursion: a 1,200-deep tree is fine), never following a link. False if
    it stopped at ``max_entries`` or ``max_depth``."""
    os.chown(root, uid, gid, follow_symlinks=False)
    fd = _open_dir(root)
    stack = [(fd, iter(_entries(fd)))]
    left, complete = max_entries, True
    try:
        while stack:
            fd, it = stack[-1]
            entry = next(it, None)
            if entry is None:
                os.close(fd)
                stack.pop()
                continue
            left -= 1
            if left < 0:
                return False
            try:
                os.chown(entry.name, uid, gid, dir_fd=fd, follow_symlinks=False)
                if entry.is_dir(follow_symlinks=False):
                    if len(stack) >= max_depth:
                        complete = False
                        continue
                    sub = _open_dir(entry.name, fd)
                    stack.append((sub, iter(_entries(sub))))
            except OSError:
                pass
    finally:
        for fd, _ in stack:
            os.close(fd)
    return complete


def _entries(fd: int) -> list[os.DirEntry]:
    try:
        with os.scandir(fd) as it:
            return list(it)
    except OSError:
        return []


def private_dir(base: Path, prefix: str) -> Path:
    """A fresh root-only directory ``base/prefix-<pid>-<random>``."""
    base.mkdir(parents=True, exist_ok=True)
    path = base / f"{prefix}-{os.getpid()}-{secrets.token_hex(4)}"
    os.mkdir(path, 0o700)
    return path


def remove_tree(path: Path) -> None:
    """Unmount what is mounted below ``path``, then delete it (without recursion limits)."""
    unmount_all(path)
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except (OSError, RecursionError):
        subprocess.run(["rm", "-rf", "--one-file-system", "--", str(path)], capture_output=True)


def sweep_stale(root: Path, prefix: str) -> None:
    """Remove ``root/prefix-<pid>-*`` left by a grader process that died."""
    for d in root.glob(f"{prefix}-*"):
        try:
            pid = int(d.name[len(prefix) + 1:].split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and not Path(f"/proc/{pid}").exists() and not d.is_symlink():
            remove_tree(d)


class _Base:
    """This process's root-only folder for job mounts, made on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.path: Path | None = None

    def get(self) -> Path:
        with self.lock:
            if self.path is None:
                root = Path(os.environ.get("AUTOGRADER_WARM_DIR", "/var/tmp"))
                root.mkdir(parents=True, exist_ok=True)
                sweep_stale(root, "autograder-jobs")
                self.path = private_dir(root, "autograder-jobs")
                atexit.register(remove_tree, self.path)
            return self.path


_BASE = _Base()
_warned = threading.Event()


class JobFolder:
    """The job's tmpfs for the cold backends: the caller's files copied in, the run's
    files copied back (regular files and folders, at most MAX_DEPTH deep), unmounted."""

    def __init__(self, caller: Path, uid: int, limits: Limits):
        self.caller, self.uid = caller, uid
        self.path: Path | None = private_dir(_BASE.get(), "job")
        try:
            mount_tmpfs(self.path, limits.disk_mb, limits.files, uid)
        except JobFsError:
            os.rmdir(self.path)
            self.path = None
            raise
        try:
            copy_tree(caller, self.path, uid, uid)
        except BaseException:
            self.close(copy_back=False)
            raise

    @classmethod
    def make(cls, caller: Path, uid: int, limits: Limits) -> "JobFolder | None":
        """None where no tmpfs can be mounted (then the caller's folder is used as is)."""
        try:
            return cls(caller, uid, limits)
        except JobFsError as exc:
            if not _warned.is_set():
                _warned.set()
                log.warning("sandbox: %s; the job folder has no byte or inode quota", exc)
            return None

    def close(self, copy_back: bool = True) -> None:
        if self.path is None:
            return
        try:
            if copy_back:
                owner = os.stat(self.caller)
                copy_tree(self.path, self.caller, owner.st_uid, owner.st_gid)
        finally:
            unmount(self.path)
            try:
                os.rmdir(self.path)
            except OSError:
                pass
            self.path = None

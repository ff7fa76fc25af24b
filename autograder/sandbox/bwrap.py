"""bubblewrap backend: fresh namespaces, a read-only minimal root, a slot uid.

Why this shape (each point checked by tests/test_sandbox.py):
* bwrap runs as root, because the interpreter lives under the 0700 /root, and
  bwrap as an unprivileged uid cannot bind it (it resolves every bind source
  path, and ``--ro-bind-fd`` is resolved through the same path). So root bwrap
  builds the view, then ``setpriv`` (util-linux) drops to uid 61000+slot with
  no capabilities, an empty bounding set and no_new_privs before the student
  code runs. The code is never root: it cannot remount the read-only binds
  (no CAP_SYS_ADMIN, and the mount namespace belongs to the host user
  namespace), host files owned by root stay unwritable even if reachable, and
  RLIMIT_NPROC applies (it never applies to root).
* The root is a fresh tmpfs (remounted read-only) holding only /usr, the
  /bin,/lib* symlinks, a few /etc files, the interpreter prefix and the venv
  (read-only, bound at their own paths, not their parents: nothing else of
  /root or of the repository exists), a private /tmp and /dev/shm, and the
  workdir (read-write).
* --unshare-net: only a loopback with nothing listening; --unshare-pid with
  bwrap's init as pid 1: killing bwrap kills init (--die-with-parent), and the
  kernel then kills the whole PID namespace; kill(-1) reaches only the run.
* a seccomp filter (seccomp.py) refuses new user namespaces and a few
  kernel-surface syscalls, since root bwrap cannot use --disable-userns.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable

from . import seccomp
from .jobfs import JobFolder, chown_tree
from .limits import Limits, MiB, MemoryCgroup, RunResult, kill_pid, prlimit_args
from .runner import clean_env, execute, fd_not_3

UID_BASE = 61000  # slot n runs as uid/gid UID_BASE + n: one uid per concurrent slot
MAX_SLOTS = 1000

ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
             "/etc/localtime", "/etc/nsswitch.conf", "/etc/hosts",
             "/etc/alternatives", "/etc/fonts", "/etc/mime.types")
ROOT_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")


def python_trees(python: str) -> list[str]:
    """Directories the interpreter needs: its venv (if any) and its real prefix."""
    exe = Path(os.path.abspath(python))
    trees: list[Path] = []
    venv = exe.parent.parent
    cfg = venv / "pyvenv.cfg"
    if cfg.is_file():
        trees.append(venv)
        for line in cfg.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "home" and value.strip():
                trees.append(Path(os.path.realpath(value.strip())).parent)
    trees.append(Path(os.path.realpath(exe)).parent.parent)
    out: list[str] = []
    for t in trees:
        s = str(t)
        if s in ("/", "/usr", "/root", "/home") or s.startswith("/usr/") or s in out:
            continue
        out.append(s)
    return out


_USABLE: set[str] = set()  # bwrap binaries whose namespace probe succeeded

class BwrapSandbox:
    name = "bwrap"
    isolated = True

    def __init__(self, ro_paths: tuple[str, ...] = (), uid_base: int = UID_BASE,
                 bwrap: str | None = None):
        self.ro_paths = tuple(os.path.abspath(p) for p in ro_paths)
        self.uid_base = uid_base
        self.bwrap = bwrap or shutil.which("bwrap") or "bwrap"

    # -- availability ------------------------------------------------------
    @staticmethod
    @functools.lru_cache(maxsize=1)
    def unusable_reason() -> str | None:
        bw = shutil.which("bwrap")
        if bw is None:
            return "bubblewrap (bwrap) is not installed"
        if os.geteuid() != 0:
            return "the bwrap sandbox must run as root (it switches to a per-slot uid)"
        for tool in ("setpriv", "prlimit"):
            if shutil.which(tool) is None:
                return f"{tool} (util-linux) is missing"
        if bw in _USABLE:  # probed once per process (a namespace to create and tear down)
            return None
        probe = [bw, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                 "--die-with-parent", "--ro-bind", "/", "/", "--", "/bin/true"]
        try:
            r = subprocess.run(probe, capture_output=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"bwrap does not run: {e}"
        if r.returncode != 0:
            msg = r.stderr.decode(errors="replace").strip()
            return f"bwrap cannot create namespaces here: {msg}"
        _USABLE.add(bw)
        return None

    # -- command line --------------------------------------------------------
    def command(self, argv: list[str], workdir: Path, limits: Limits, slot: int,
                fds: dict[str, int], source: Path | None = None) -> list[str]:
        """The bwrap argv. ``fds``: read ends holding passwd, group, seccomp.
        ``source``: what is bound at the workdir's path (default: the workdir)."""
        uid = self.uid_base + slot
        wd_dest = os.path.abspath(workdir)
        wd_src = os.path.realpath(source or workdir)
        tmp_size = str(limits.memory_mb * MiB)
        a = [self.bwrap,
             "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
             "--unshare-cgroup-try",
             "--die-with-parent", "--new-session", "--hostname", "sandbox",
             # Root bwrap keeps only what setpriv needs; setpriv drops them all.
             "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
             "--cap-add", "CAP_SETPCAP",
             "--ro-bind", "/usr", "/usr"]
        for d in ROOT_LINKS:
            if os.path.islink(d):
                a += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                a += ["--ro-bind", d, d]
        a += ["--perms", "0755", "--dir", "/etc"]
        for f in ETC_FILES:
            a += ["--ro-bind-try", f, f]
        a += ["--perms", "0644", "--ro-bind-data", str(fds["passwd"]), "/etc/passwd",
              "--perms", "0644", "--ro-bind-data", str(fds["group"]), "/etc/group",
              "--proc", "/proc", "--dev", "/dev",
              "--perms", "1777", "--size", tmp_size, "--tmpfs", "/dev/shm",
              "--perms", "1777", "--size", tmp_size, "--tmpfs", "/tmp"]
        made = {"/usr", "/etc", "/proc", "/dev", "/dev/shm", "/tmp", *ROOT_LINKS}
        trees = [*python_trees(argv[0]), *self.ro_paths]
        if (wd_dest in made or wd_dest in ("/", "/root", "/home", "/work")
                or any(t == wd_dest or t.startswith(wd_dest + "/") for t in trees)):
            raise ValueError(f"workdir must be a dedicated job directory, not {wd_dest}")

        def parents(path: str) -> list[str]:
            out = []
            for anc in reversed(Path(path).parents):
                s = str(anc)
                if s != "/" and s not in made:
                    made.add(s)
                    out += ["--perms", "0755", "--dir", s]
            made.add(path)
            return out

        for tree in trees:
            if tree not in made:
                a += parents(tree) + ["--ro-bind", tree, tree]
        for path in sorted(k for k in fds if k.startswith("/")):  # read-only copies (huge_pages)
            a += parents(os.path.dirname(path)) + ["--perms", "0444", "--ro-bind-data", str(fds[path]), path]
        a += parents(wd_dest) + ["--bind", wd_src, wd_dest, "--chdir", wd_dest,
                                 "--remount-ro", "/"]
        if "seccomp" in fds:
            a += ["--seccomp", str(fds["seccomp"])]
        a += ["--", shutil.which("setpriv") or "/usr/bin/setpriv",
              f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
              "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--", *argv]
        return a

    # -- run ---------------------------------------------------------------
    def run(self, argv: list[str], workdir: Path, limits: Limits, slot: int = 0,
            on_progress: Callable[[str], object] | None = None, harness=None) -> RunResult:
        workdir = check_job(workdir, slot)
        uid = self.uid_base + slot
        owner = os.stat(workdir)
        data = identity_files(uid)
        prog = seccomp.program()
        if prog is not None:
            data["seccomp"] = prog
        fds: dict[str, int] = {}
        cgroup = folder = None
        try:
            fds.update(data_fds(data))
            cgroup = MemoryCgroup.create(slot, limits.memory_mb)
            folder = JobFolder.make(workdir, uid, limits)
            cmd = self.command(argv, workdir, limits, slot, fds, folder and folder.path)
            if folder is None:
                chown_tree(workdir, uid, uid)
            env = clean_env(argv[0], home="/tmp", tmp="/tmp")
            return execute(cmd, env=env, cwd=workdir, limits=limits,
                           on_progress=on_progress, cgroup=cgroup,
                           rlimits=prlimit_args(limits, nproc=True,
                                                address_space=cgroup is None),
                           pass_fds=tuple(fds.values()),
                           after_exit=(lambda: _reap_uid(uid)) if cgroup is None else None,
                           signal_exit_codes=True,
                           memory_by_rlimit=cgroup is None)
        finally:
            for fd in fds.values():
                os.close(fd)
            if cgroup is not None:
                cgroup.remove()  # no-op when execute() already removed it
            if folder is not None:
                folder.close()
            else:
                chown_tree(workdir, owner.st_uid, owner.st_gid)  # bounded, iterative


def check_job(workdir: Path, slot: int) -> Path:
    """The slot and workdir a backend may use, or ValueError."""
    if not 0 <= slot < MAX_SLOTS:
        raise ValueError(f"slot must be in [0, {MAX_SLOTS})")
    workdir = Path(workdir)
    if workdir.is_symlink() or not workdir.is_dir():
        raise ValueError(f"workdir must be an existing directory: {workdir}")
    return workdir


def identity_files(uid: int) -> dict[str, bytes]:
    """/etc/passwd and /etc/group of the sandbox: root, the slot user, nobody."""
    passwd = (f"root:x:0:0:root:/root:/usr/sbin/nologin\n"
              f"sandbox:x:{uid}:{uid}:sandbox:/tmp:/usr/sbin/nologin\n"
              f"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
    group = f"root:x:0:\nsandbox:x:{uid}:\nnogroup:x:65534:\n"
    return {"passwd": passwd.encode(), "group": group.encode()}


THP = "/sys/kernel/mm/transparent_hugepage"


def huge_pages() -> dict[str, bytes]:
    """What glibc's malloc reads to back its heap with transparent huge pages when asked to
    (``GLIBC_TUNABLES=glibc.malloc.hugetlb=1``): copies of two host files, bound read-only
    in the warm sandbox's otherwise empty /sys. A zygote whose heap is in 2 MiB pages forks
    and exits with a few hundred page-table entries instead of tens of thousands (for torch,
    about 8 ms less of each job). Empty if the host has no such files."""
    out = {}
    for name in ("enabled", "hpage_pmd_size"):
        try:
            with open(f"{THP}/{name}", "rb") as f:
                out[f"{THP}/{name}"] = f.read(256)
        except OSError:
            return {}
    return out


def data_fds(data: dict[str, bytes]) -> dict[str, int]:
    """A pipe per blob (small: fits in the pipe buffer), read ends off fd 3, for bwrap's
    --ro-bind-data and --seccomp. The caller closes them."""
    fds: dict[str, int] = {}
    try:
        for key, blob in data.items():
            r, w = os.pipe()
            fds[key] = fd_not_3(r)
            os.write(w, blob)
            os.close(w)
    except BaseException:
        for fd in fds.values():
            os.close(fd)
        raise
    return fds


def _uid_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _reap_uid(uid: int, timeout: float = 3.0) -> None:
    """Belt and braces after the PID namespace is gone: the slot uid is ours
    alone, so any process still running as it is a leftover of this run."""
    deadline = time.monotonic() + timeout
    while True:
        left = [int(p) for p in os.listdir("/proc") if p.isdigit() and _uid_of(int(p)) == uid]
        if not left or time.monotonic() > deadline:
            return
        for pid in left:
            kill_pid(pid, lambda p: _uid_of(p) == uid)
        time.sleep(0.01)

"""A stand-in for Gradescope's container: a Debian 12 root filesystem (debootstrap, cached
by scripts/debian-rootfs.sh) in which the autograder zip's setup.sh has run once (cached per
setup.sh and requirements), and an overlay of it per submission, entered by chroot as root
either with every privilege bwrap needs or without them (no CAP_SYS_ADMIN in the bounding
set, no new user namespaces: a user namespace whose max_user_namespaces is 0), as Docker
runs Gradescope's containers. Used by tests/test_gradescope_rootfs.py; needs root."""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BASE = Path("/var/cache/autograder/bookworm-rootfs")
CACHE = Path("/var/cache/autograder")
# The machine's pip configuration, and the CA bundle it names (the registries are reached
# through the machine's own network path).
PIP_CONFIGS = ("/etc/pip.conf", "/etc/xdg/pip/pip.conf", "/etc/xdg/pip/constraints.txt",
               "/root/.config/pip/pip.conf", "/root/.pip/pip.conf", "/etc/ssl/certs/ca-certificates.crt")
CLONE_NEWUSER = 0x10000000


def base_rootfs() -> Path:
    if not (BASE / ".complete").exists():
        subprocess.run(["bash", str(REPO / "scripts" / "debian-rootfs.sh"), str(BASE)], check=True, timeout=3600)
    return BASE


def pip_env() -> dict:
    return {k: v for k, v in os.environ.items() if k.startswith("PIP_")}


def local_index_dirs() -> list[str]:
    """Folders the machine's pip configuration reads packages from (file:// indexes and
    find-links); bound read-only into the root filesystem while setup.sh runs."""
    text = " ".join(Path(p).read_text() for p in PIP_CONFIGS if Path(p).is_file())
    text += " " + " ".join(pip_env().values())
    out = []
    for token in text.replace("=", " ").split():
        path = token[len("file://"):] if token.startswith("file://") else token
        if not path.startswith("/opt/") or not Path(path).is_dir():
            continue
        path = str(Path(path).parent) if Path(path).name == "simple" else path
        if path not in out:
            out.append(path)
    return out


def installed_rootfs(zip_path: Path) -> Path:
    """The base root filesystem after the zip's setup.sh, cached by what setup.sh installs.
    One process at a time builds it (two test runs on one machine share the cache)."""
    with zipfile.ZipFile(zip_path) as z:
        extra = z.read("requirements-extra.txt") if "requirements-extra.txt" in z.namelist() else b""
        key = hashlib.sha256(z.read("setup.sh") + z.read("requirements.txt") + extra).hexdigest()[:16]
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"gradescope-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _install(zip_path, key)


def _install(zip_path: Path, key: str) -> Path:
    done = CACHE / f"gradescope-{key}"
    if (done / ".complete").exists():
        return done
    tmp = CACHE / f"gradescope-{key}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(["cp", "-a", str(base_rootfs()), str(tmp)], check=True)
    for conf in PIP_CONFIGS:
        if Path(conf).is_file():
            dest = tmp / conf.lstrip("/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(conf, dest)
    binds = ""
    for d in local_index_dirs():
        (tmp / d.lstrip("/")).mkdir(parents=True, exist_ok=True)
        binds += f"mount --rbind -o ro {d} {tmp}{d}; "
    (tmp / "autograder" / "source").mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(tmp / "autograder" / "source")
    script = (f"set -e; {binds} mount --rbind /dev {tmp}/dev; mount -t proc proc {tmp}/proc; "
              f"chroot {tmp} /bin/bash /autograder/source/setup.sh")
    log = CACHE / f"gradescope-{key}.log"
    with open(log, "w") as fh:
        r = subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-c", script],
                           stdout=fh, stderr=subprocess.STDOUT, env={**pip_env(), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                                                                     "HOME": "/root", "LANG": "C.UTF-8"},
                           timeout=3600)
    if r.returncode != 0:
        raise RuntimeError(f"setup.sh failed in the Debian root filesystem (exit {r.returncode}), see {log}")
    shutil.rmtree(tmp / "autograder" / "source")
    (tmp / ".complete").touch()
    shutil.rmtree(done, ignore_errors=True)
    tmp.rename(done)
    return done


def enter_userns_without_sysadmin(argv: list[str], uids: int = 65536) -> int:
    """Run ``argv`` as root of a new user namespace (uids 0-65535 mapped to themselves)
    where no further user namespace may be made, without CAP_SYS_ADMIN (capsh drops it
    from the bounding set before the exec). Called as a script: ``python -m ... argv``."""
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(CLONE_NEWUSER) != 0:
                os._exit(120)
            os.write(w1, b"x")
            os.read(r2, 1)
            os.setresgid(0, 0, 0)
            os.setresuid(0, 0, 0)
            with open("/proc/sys/user/max_user_namespaces", "w") as f:
                f.write("0")
            os.execvp("capsh", ["capsh", "--drop=cap_sys_admin", *argv])
        finally:
            os._exit(121)
    os.read(r1, 1)
    for name in ("uid_map", "gid_map"):
        with open(f"/proc/{pid}/{name}", "w") as f:
            f.write(f"0 0 {uids}\n")
    os.write(w2, b"x")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def run_submission(installed: Path, zip_path: Path, notebook: Path, privileged: bool, work: Path,
                   only_root: bool = False) -> dict:
    """One Gradescope run of ``notebook`` in a fresh overlay of ``installed``; without
    privileges, ``only_root``: a user namespace that maps uid 0 alone, so the grader cannot
    switch to another uid either. Returns
    {"results": results.json or None, "log": ..., "intact": grader files unchanged,
    "leftover": processes of the student uid still running afterwards}."""
    work.mkdir(parents=True)
    for d in ("up", "wk", "m"):
        (work / d).mkdir()
    m = work / "m"
    if privileged:
        enter = f"chroot {m} /bin/bash /autograder/source/run_autograder"
    else:
        enter = (f"{sys.executable} {Path(__file__).resolve()} {'--only-root ' if only_root else ''}--chroot={m} -- "
                 "-c '/bin/bash /autograder/source/run_autograder'")
    script = f"""
set -u
mount -t overlay overlay -o lowerdir={installed},upperdir={work}/up,workdir={work}/wk {m} || exit 90
mkdir -p {m}/autograder/source {m}/autograder/submission
cd {m}/autograder/source && unzip -q {zip_path} && find . -type f -exec sha256sum {{}} + > {work}/manifest
cp {notebook} {m}/autograder/submission/
mount --rbind /dev {m}/dev && mount -t proc proc {m}/proc || exit 91
cd /
{enter}
echo "run_autograder exit: $?"
sleep 1
(cd {m}/autograder/source && sha256sum --quiet -c {work}/manifest) && echo GRADER-FILES-INTACT
ps -u 62000 -o pid=,stat=,etime=,cmd= | awk '$2 !~ /^Z/' | grep . && echo STUDENT-PROCESSES-LEFT  # zombies are dead
cp {m}/autograder/results/results.json {work}/results.json 2>/dev/null
umount -l {m}/proc {m}/dev 2>/dev/null
"""
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-c", script],
                       capture_output=True, text=True, timeout=1200,
                       env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8"})
    log = r.stdout + r.stderr
    results = work / "results.json"
    return {"results": json.loads(results.read_text()) if results.exists() else None, "log": log,
            "intact": "GRADER-FILES-INTACT" in log, "leftover": "STUDENT-PROCESSES-LEFT" in log}


def prepare() -> None:
    """Install the root filesystems the Gradescope tests use (before pytest starts, from
    scripts/install-test-deps.sh, so the suite's time is the tests' own)."""
    import tempfile

    from autograder.gradescope.build import build_zip
    from autograder.paths import Course

    with tempfile.TemporaryDirectory() as tmp:
        for assignment in ("01-vectors", "17-attention", "14-embeddings"):  # numpy; torch; the model
            print(installed_rootfs(build_zip(Course(REPO), assignment, Path(tmp) / f"{assignment}.zip")))


if __name__ == "__main__":
    if sys.argv[1] == "--prepare":
        sys.exit(prepare())
    if sys.argv[1] == "--only-root":
        sys.exit(enter_userns_without_sysadmin(sys.argv[2:], uids=1))
    sys.exit(enter_userns_without_sysadmin(sys.argv[1:]))

"""The sandbox layer: each isolation property and limit, proven by a run.

bwrap tests skip (with the reason) where bwrap is not usable; run
scripts/install-system-deps.sh to get it.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autograder.sandbox import Limits, SandboxUnavailable, get_sandbox
from autograder.sandbox.bwrap import UID_BASE, BwrapSandbox, python_trees
from autograder.sandbox.limits import MemoryCgroup
from autograder.sandbox.oci import OciSandbox, find_engine

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
_REASON = BwrapSandbox.unusable_reason()
needs_bwrap = pytest.mark.skipif(_REASON is not None, reason=f"bwrap unusable: {_REASON}")


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    d = tmp_path / "bob"       # this student's job dir
    d.mkdir()
    other = tmp_path / "alice"  # another student's, next to it
    other.mkdir()
    (other / "answers.txt").write_text("alice's answers")
    return d


def run(code: str, workdir: Path, sandbox=None, slot: int = 0, progress=None,
        **limits):
    (workdir / "main.py").write_text(textwrap.dedent(code))
    sb = sandbox or BwrapSandbox()
    limits.setdefault("wall_s", 20)
    return sb.run([PY, "main.py"], workdir, Limits(**limits), slot=slot,
                  on_progress=progress)


def no_process_of(uid: int) -> bool:
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/status") as f:
                    if any(l.startswith("Uid:") and int(l.split()[1]) == uid for l in f):
                        return False
            except OSError:
                pass
    return True


# ---------------------------------------------------------------- isolation


@pytest.mark.sandbox
@needs_bwrap
def test_no_network(workdir):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]
    try:
        r = run(f"""
            import socket
            print("ifaces", sorted(n for _, n in socket.if_nameindex()))
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", {port}))
                print("CONNECTED")
            except OSError as e:
                print("refused", e.errno)
        """, workdir)
    finally:
        srv.close()
    assert r.returncode == 0, r.stderr_tail
    assert "CONNECTED" not in r.stdout_tail
    # Only a loopback of its own: no route to any other address exists.
    assert "ifaces ['lo']" in r.stdout_tail


@pytest.mark.sandbox
@needs_bwrap
def test_filesystem_view(workdir):
    venv = Path(PY).parent.parent
    r = run(f"""
        import os, pathlib
        def can_write(p):
            try:
                with open(p, "w") as f: f.write("x")
                return True
            except OSError:
                return False
        print("venv_w", can_write({str(venv / "pwned.txt")!r}))
        print("usr_w", can_write("/usr/pwned.txt"))
        print("root_w", can_write("/pwned.txt"))
        for p in [{str(REPO / "source")!r}, {str(REPO / "autograder" / "checks")!r},
                  {str(REPO / "gradebook.db")!r}, {str(REPO / "pyproject.toml")!r},
                  {str(workdir.parent / "alice")!r}, "/root/.bashrc", "/root/.gitconfig",
                  "/etc/shadow", "/home"]:
            print("exists", p, os.path.exists(p))
        print("repo", sorted(os.listdir({str(REPO)!r})))
        print("root", sorted(os.listdir("/root")))
        try:
            import autograder.checks.core  # the editable install points into the repo
            print("CHECKS IMPORTED")
        except ImportError:
            print("checks hidden")
        with open("out.txt", "w") as f: f.write("result")
        with open("/tmp/scratch", "w") as f: f.write("tmp")
        print("tmp_ok")
    """, workdir)
    out = r.stdout_tail
    assert r.returncode == 0, r.stderr_tail
    for key in ("venv_w", "usr_w", "root_w"):
        assert f"{key} False" in out
    assert "True" not in out.replace("venv_w", "").split("repo")[0]
    assert "repo ['.venv']" in out  # only the venv of the repository exists
    assert "root ['.pyenv']" in out or "root []" in out
    assert "tmp_ok" in out and "checks hidden" in out
    # Workdir writes reach the caller, owned by the workdir's owner again.
    assert (workdir / "out.txt").read_text() == "result"
    assert (workdir / "out.txt").stat().st_uid == os.getuid()
    assert not (venv / "pwned.txt").exists()


@pytest.mark.sandbox
@needs_bwrap
def test_symlink_escape(workdir):
    (workdir / "src").symlink_to(REPO / "source")
    (workdir / "rootdir").symlink_to("/root")
    (workdir / "bashrc").symlink_to("/root/.bashrc")
    (workdir / "lock").symlink_to(REPO / "requirements.lock")
    r = run("""
        import os
        for p in ["src", "rootdir/.bashrc", "bashrc", "lock"]:
            try:
                open(p).read(); print("READ", p)
            except OSError as e:
                print("denied", p, type(e).__name__)
        os.symlink("/etc/passwd", "made_inside")
    """, workdir)
    assert r.returncode == 0, r.stderr_tail
    assert "READ" not in r.stdout_tail
    assert r.stdout_tail.count("denied") == 4


@pytest.mark.sandbox
@needs_bwrap
def test_identity_and_kill_all(workdir):
    """Non-root slot uid, no capabilities, own session and PID namespace:
    kill(-1, 9) and killing the parent reach nothing outside."""
    host = subprocess.Popen(["sleep", "30"])  # a root process on the host
    slot = 3
    same_uid = None
    if MemoryCgroup.available():  # else the uid reaper would (rightly) kill it
        same_uid = subprocess.Popen(["setpriv", f"--reuid={UID_BASE + slot}",
                                     f"--regid={UID_BASE + slot}", "--clear-groups",
                                     "sleep", "30"])
    try:
        r = run("""
            import os, signal
            st = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
            print("uid", os.getuid(), os.geteuid(), st["Uid"].split())
            for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs"):
                print(k, st[k].strip())
            print("sid", os.getsid(0), "pid", os.getpid())  # session of bwrap's init
            print("procs", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
            try:
                os.kill(os.getppid(), signal.SIGKILL)
            except PermissionError:
                print("parent EPERM")
            child = os.fork()
            if child == 0:
                signal.pause(); os._exit(0)
            os.kill(-1, signal.SIGKILL)  # everything we may signal, except us
            print("child", os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]))
        """, workdir, slot=slot)
        time.sleep(0.1)
        assert host.poll() is None, "a host process was killed"
        if same_uid is not None:
            assert same_uid.poll() is None, "a host process of the slot uid was killed"
    finally:
        host.kill()
        if same_uid is not None:
            same_uid.kill()
    out = r.stdout_tail
    uid = UID_BASE + slot
    assert f"uid {uid} {uid} ['{uid}', '{uid}', '{uid}', '{uid}']" in out
    for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert f"{k} 0000000000000000" in out
    assert "NoNewPrivs 1" in out
    assert "sid 1 pid 2" in out  # new session (no terminal to inject into), own PID ns
    assert "procs [1, 2]" in out  # bwrap's init and us, nothing of the host
    assert "parent EPERM" in out
    assert "child -9" in r.stdout_tail and r.returncode == 0, r.stderr_tail


@pytest.mark.sandbox
@needs_bwrap
def test_no_user_namespaces_but_threads_work(workdir):
    r = run("""
        import ctypes, os, threading
        libc = ctypes.CDLL(None, use_errno=True)
        rc = libc.unshare(0x10000000)  # CLONE_NEWUSER
        print("unshare", rc, ctypes.get_errno())
        t = threading.Thread(target=print, args=("thread ok",)); t.start(); t.join()
        pid = os.fork()
        if pid == 0:
            os._exit(7)
        print("fork", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    """, workdir)
    assert r.returncode == 0, r.stderr_tail
    assert "unshare -1 1" in r.stdout_tail  # EPERM
    assert "thread ok" in r.stdout_tail and "fork 7" in r.stdout_tail


@pytest.mark.sandbox
@needs_bwrap
def test_environment_is_clean(workdir, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET_TOKEN", "s3cret")
    r = run("""
        import os
        print(sorted(os.environ))
        print("fd3", os.environ["AUTOGRADER_PROGRESS_FD"])
    """, workdir)
    assert "GRADER_SECRET_TOKEN" not in r.stdout_tail
    assert "fd3 3" in r.stdout_tail


# ------------------------------------------------------------------ limits


@pytest.mark.sandbox
@needs_bwrap
def test_progress_and_idle_timeout(workdir):
    lines = []
    r = run("""
        import os, time
        for i in range(3):
            os.write(3, f"cell {i}\\n".encode()); time.sleep(0.2)
        time.sleep(30)
    """, workdir, progress=lines.append, idle_s=0.6)
    assert lines == ["cell 0", "cell 1", "cell 2"]
    assert r.timed_out and r.killed_reason == "no progress for 0.6 s (cell timeout)"
    assert r.wall_s < 3


@pytest.mark.sandbox
@needs_bwrap
def test_wall_limit_kills_signal_ignoring_tree(workdir):
    """SIGINT/SIGTERM ignored, a daemonised grandchild: all SIGKILLed."""
    slot = 4
    r = run("""
        import os, signal, time
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                while True: time.sleep(1)
            os._exit(0)
        print("started", flush=True)
        while True:
            pass
    """, workdir, slot=slot, wall_s=1)
    assert r.timed_out and r.killed_reason == "wall time limit 1 s"
    assert "started" in r.stdout_tail
    assert r.wall_s < 3
    assert no_process_of(UID_BASE + slot)


@pytest.mark.sandbox
@needs_bwrap
def test_cpu_limit(workdir):
    r = run("while True: pass", workdir, cpu_s=1, wall_s=10)
    assert r.killed_reason == "cpu time limit" and not r.timed_out
    assert r.wall_s < 4


@pytest.mark.sandbox
@needs_bwrap
@pytest.mark.parametrize("mechanism", ["cgroup", "rlimit_as"])
def test_memory_limit(workdir, mechanism, monkeypatch):
    if mechanism == "cgroup" and not MemoryCgroup.available():
        pytest.skip("no writable memory cgroup here: RLIMIT_AS is used instead")
    if mechanism == "rlimit_as":
        monkeypatch.setattr(MemoryCgroup, "create", classmethod(lambda cls, *a: None))
    r = run("""
        chunks = []
        for _ in range(64):
            chunks.append(bytearray(32 * 1024 * 1024))  # touched: really resident
        print("ALLOCATED 2 GiB")
    """, workdir, memory_mb=300)
    assert "ALLOCATED" not in r.stdout_tail
    assert r.killed_reason == "memory limit", (r.returncode, r.stderr_tail)


@pytest.mark.sandbox
@needs_bwrap
def test_fork_bomb_contained(workdir):
    slot = 6
    r = run("""
        import os, time
        n = 0
        try:
            for _ in range(500):
                if os.fork() == 0:
                    time.sleep(30); os._exit(0)
                n += 1
        except OSError as e:
            print("fork refused after", n, e.errno, flush=True)
        while True:          # and now a real bomb
            try: os.fork()
            except OSError: pass
    """, workdir, slot=slot, processes=32, wall_s=2)
    assert r.timed_out
    refused = [l for l in r.stdout_tail.splitlines() if l.startswith("fork refused")]
    assert refused and int(refused[0].split()[3]) < 32
    t = time.monotonic()
    subprocess.run(["true"], check=True)
    assert time.monotonic() - t < 1, "host unresponsive after the fork bomb"
    assert no_process_of(UID_BASE + slot)


@pytest.mark.sandbox
@needs_bwrap
def test_file_size_limit(workdir):
    r = run("""
        block = b"x" * (1024 * 1024)
        try:
            with open("big.bin", "wb") as f:
                for _ in range(100):
                    f.write(block)
        except OSError as e:
            print("stopped", e.errno)
    """, workdir, file_mb=8)
    assert "stopped 27" in r.stdout_tail  # EFBIG
    assert (workdir / "big.bin").stat().st_size <= 8 * 1024 * 1024


@pytest.mark.sandbox
@needs_bwrap
def test_stdout_flood_is_bounded(workdir):
    r = run("""
        import sys
        chunk = b"y" * (1024 * 1024)
        for _ in range(300):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.write(b"\\nEND")
        sys.stderr.write("e" * 100000 + "ERR_END")
    """, workdir)
    assert r.returncode == 0
    assert len(r.stdout_tail) <= 20 * 1024 and r.stdout_tail.endswith("END")
    assert len(r.stderr_tail) <= 20 * 1024 and r.stderr_tail.endswith("ERR_END")


@pytest.mark.sandbox
@needs_bwrap
def test_numpy_and_torch_import(workdir):
    code = "import numpy, torch; print('ok', float(torch.ones(3).sum()), numpy.__version__)"
    (workdir / "imp.py").write_text(code)
    t = time.monotonic()
    raw = subprocess.run([PY, "imp.py"], cwd=workdir, capture_output=True, text=True)
    t_raw = time.monotonic() - t
    r = BwrapSandbox().run([PY, "imp.py"], workdir, Limits())
    assert raw.returncode == 0, raw.stderr
    assert r.returncode == 0, r.stderr_tail
    assert "ok 3.0" in r.stdout_tail
    print(f"\nimport numpy+torch: unsandboxed {t_raw * 1000:.0f} ms, bwrap {r.wall_s * 1000:.0f} ms")


def test_bwrap_command_line(tmp_path):
    fds = {"passwd": 10, "group": 11, "seccomp": 12}
    cmd = BwrapSandbox(bwrap="bwrap").command([PY, "main.py"], tmp_path, Limits(), 2, fds)
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session"):
        assert flag in cmd
    # Nothing of the repository but the venv, read-only; the workdir read-write.
    binds = [(cmd[i], cmd[i + 1], cmd[i + 2]) for i, a in enumerate(cmd)
             if a in ("--bind", "--ro-bind", "--ro-bind-try")]
    repo_binds = [b for b in binds if b[1].startswith(str(REPO))]
    assert repo_binds in ([], [("--ro-bind", str(REPO / ".venv"), str(REPO / ".venv"))])
    assert ("--bind", str(tmp_path), str(tmp_path)) in binds
    assert [b for b in binds if b[0] == "--bind"] == [("--bind", str(tmp_path), str(tmp_path))]
    tail = cmd[cmd.index("--") + 1:]
    assert tail[0].endswith("setpriv") and f"--reuid={UID_BASE + 2}" in tail
    assert tail[-2:] == [PY, "main.py"]
    assert "/" not in python_trees(PY) and str(REPO) not in python_trees(PY)


# ---------------------------------------------------------- other backends


def test_local_backend_limits(tmp_path):
    sb = get_sandbox("none")
    assert sb.name == "none" and sb.isolated is False
    lines = []
    r = run("""
        import os, time
        os.write(3, b"hello\\n")
        if os.fork() == 0:
            os.setsid(); time.sleep(60); os._exit(0)
        print("cwd", os.getcwd())
        time.sleep(60)
    """, tmp_path, sandbox=sb, progress=lines.append, wall_s=1)
    assert lines == ["hello"]
    assert r.timed_out and r.killed_reason == "wall time limit 1 s"
    assert f"cwd {tmp_path}" in r.stdout_tail
    ok = run("print('fine')", tmp_path, sandbox=sb)
    assert ok.returncode == 0 and ok.stdout_tail == "fine\n" and not ok.timed_out
    cpu = run("while True: pass", tmp_path, sandbox=sb, cpu_s=1)
    assert cpu.killed_reason == "cpu time limit"


def test_get_sandbox_errors(monkeypatch):
    with pytest.raises(ValueError):
        get_sandbox("chroot")
    monkeypatch.setattr(BwrapSandbox, "unusable_reason", staticmethod(lambda: "bwrap is missing"))
    with pytest.raises(SandboxUnavailable, match="--no-sandbox"):
        get_sandbox("auto")


def test_oci_command_line(tmp_path):
    sb = OciSandbox(engine="podman", image="la4ml-autograder:test")
    cmd = sb.command([PY, "main.py", "nb.ipynb"], tmp_path, Limits(memory_mb=2048, processes=50),
                     1, "autograder-x")
    s = " ".join(cmd)
    for part in ("run --name autograder-x", "--network none", "--read-only",
                 "--memory 2048m", "--memory-swap 2048m", "--pids-limit 50",
                 f"--user {UID_BASE + 1}:{UID_BASE + 1}", "--cap-drop ALL",
                 "--security-opt no-new-privileges", f"-v {tmp_path}:{tmp_path}:rw",
                 f"-w {tmp_path}", "-e AUTOGRADER_PROGRESS_FD=3", "la4ml-autograder:test"):
        assert part in s
    assert cmd[-3:] == ["/opt/venv/bin/python", "main.py", "nb.ipynb"]


def test_oci_run(tmp_path):
    engine = find_engine()
    if engine is None:
        pytest.skip("no container engine (podman/docker) answers on this machine")
    r = run("import os; os.write(3, b'p\\n'); print('in container')", tmp_path,
            sandbox=OciSandbox(engine=engine))
    if r.returncode == 125:
        pytest.skip(f"image not built: {r.stderr_tail[-200:]}")
    assert "in container" in r.stdout_tail


def test_bwrap_refuses_shared_workdirs():
    sb = BwrapSandbox(bwrap="bwrap")
    fds = {"passwd": 10, "group": 11}
    for bad in ("/tmp", "/", str(REPO)):
        with pytest.raises(ValueError):
            sb.command([PY, "x.py"], Path(bad), Limits(), 0, fds)


# ---------------------------------------------------------- progress pipe


@pytest.mark.sandbox
@needs_bwrap
def test_progress_flood_is_rate_limited(workdir):
    """A submission writing progress lines as fast as it can gets at most the budget
    read (PROGRESS_BURST, then PROGRESS_RATE a second): its own writes block, the
    grader's process spends next to no time on it, and its limits stop it."""
    import resource

    from autograder.sandbox.supervise import PROGRESS_BURST, PROGRESS_RATE
    lines = []
    before = resource.getrusage(resource.RUSAGE_SELF)
    r = run("""
        import os
        while True:
            os.write(3, b"unit x\\n" * 100)
    """, workdir, progress=lines.append, wall_s=3)
    after = resource.getrusage(resource.RUSAGE_SELF)
    assert r.timed_out and r.killed_reason == "wall time limit 3 s"
    assert PROGRESS_BURST <= len(lines) <= PROGRESS_BURST + PROGRESS_RATE * (r.wall_s + 1)
    assert set(lines) == {"unit x"}
    grader_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert grader_cpu < 1.0, grader_cpu


@pytest.mark.sandbox
@needs_bwrap
def test_repeated_lines_do_not_extend_the_cell_timeout(workdir):
    """Only a line the caller accepts as a new unit restarts the per-cell timer."""
    seen = []

    def new_unit(line):
        fresh = line not in seen
        seen.append(line)
        return fresh

    r = run("""
        import os, time
        os.write(3, b"unit cell:0\\n")
        while True:
            os.write(3, b"unit cell:0\\n"); time.sleep(0.1)
    """, workdir, progress=new_unit, idle_s=1.0)
    assert r.timed_out and r.killed_reason == "no progress for 1 s (cell timeout)"
    assert r.wall_s < 2.5 and len(seen) >= 5


# ---------------------------------------------------------- the job folder's quota

FOLDER_ATTACKS = {  # code, limits, what it must print
    # 1.1 GB in files under the per-file limit: the folder's byte quota stops it at 64 MB.
    "bytes": ("""
        import os
        n = 0
        try:
            for i in range(140):
                with open(f"f{i}.bin", "wb") as f:
                    f.write(b"x" * (8 * 2**20)); n += 8
        except OSError as e:
            print("stopped", e.errno, "after", n, "MB")
    """, {"disk_mb": 64, "file_mb": 16}, "stopped 28 after"),
    # 150k empty files: the inode quota stops it.
    "inodes": ("""
        import os
        n = 0
        try:
            for i in range(150000):
                open(f"e{i}", "w").close(); n += 1
        except OSError as e:
            print("stopped", e.errno, "after", n, "files")
    """, {"files": 1000}, "stopped 28 after 99"),
    # A 1,200-deep tree: the run ends normally and the grader copes.
    "deep": ("""
        import os
        for i in range(1200):
            os.mkdir("d"); os.chdir("d")
        print("made", len(os.getcwd().split("/")))
    """, {}, "made "),
}


@pytest.mark.sandbox
@needs_bwrap
@pytest.mark.parametrize("case", sorted(FOLDER_ATTACKS))
def test_job_folder_has_a_quota(workdir, case):
    import shutil

    code, limits, expected = FOLDER_ATTACKS[case]
    r = run(code, workdir, **limits)
    assert r.returncode == 0 and not r.killed_reason, r.stderr_tail
    assert expected in r.stdout_tail, r.stdout_tail
    if case == "bytes":
        mb = int(r.stdout_tail.split()[3])
        assert 48 <= mb <= 64
        on_host = sum(f.stat().st_size for f in workdir.iterdir() if f.is_file())
        assert on_host <= 64 * 2**20  # what reaches the host folder: at most the quota
    if case == "inodes":
        n = int(r.stdout_tail.split()[3])
        assert 990 <= n < 1000
        assert len(os.listdir(workdir)) <= 1001
    if case == "deep":
        depth = 0
        d = workdir
        while (d / "d").is_dir():
            d, depth = d / "d", depth + 1
        assert depth == 32  # copied back no deeper than jobfs.MAX_DEPTH
        shutil.rmtree(workdir)  # and the caller can remove it as usual
    assert no_process_of(UID_BASE)

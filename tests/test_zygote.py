"""Unit tests of the warm sandbox's tamper checks: the zygote's own report (zygote.py,
which runs inside the sandbox) and the trusted side's checks from outside (tamper.py)."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.sandbox import tamper, zygote


def fake_proc(root: Path, pids=(1,), ipc=(), threads=1) -> str:
    """A /proc-like tree: the process folders, /proc/sysvipc, /proc/self/task."""
    for pid in pids:
        (root / str(pid)).mkdir(parents=True)
    (root / "sysvipc").mkdir(parents=True)
    header = "       key      id perms\n"
    for kind in ("shm", "sem", "msg"):
        rows = "         0       5   600\n" if kind in ipc else ""
        (root / "sysvipc" / kind).write_text(header + rows)
    for t in range(threads):
        (root / "self" / "task" / str(100 + t)).mkdir(parents=True)
    return str(root)


def test_zygote_report_of_a_clean_namespace(tmp_path):
    assert zygote.clean_report(fake_proc(tmp_path)) == {"op": "clean", "others": [], "ipc": [], "tasks": 1}


def test_zygote_report_names_what_a_job_left(tmp_path):
    proc = fake_proc(tmp_path, pids=(1, 7, 42), ipc=("shm", "msg"), threads=3)
    assert zygote.clean_report(proc) == {"op": "clean", "others": [7, 42], "ipc": ["shm", "msg"], "tasks": 3}


def test_zygote_report_without_sysvipc(tmp_path):
    proc = fake_proc(tmp_path)
    for kind in ("shm", "sem", "msg"):
        (tmp_path / "sysvipc" / kind).unlink()
    assert zygote.sysv_ipc(proc) == []


def test_job_rlimits_count_the_zygote_threads():
    lim = zygote.job_rlimits({"cpu": 5, "fsize": 1024, "nproc": 32}, ntasks=3)
    assert lim[resource.RLIMIT_CPU] == (5, 6)
    assert lim[resource.RLIMIT_NPROC] == (35, 35)
    assert lim[resource.RLIMIT_FSIZE] == (1024, 1024)
    assert lim[resource.RLIMIT_CORE] == (0, 0)


def test_exit_values_map_as_python_maps_them():
    # (finish() itself runs the interpreter's exit steps: never call it in the test process)
    assert zygote.exit_code(None) == 0
    assert zygote.exit_code(3) == 3
    assert zygote.exit_code(256 + 7) == 7
    assert zygote.exit_code("a message") == 1


def test_zygote_module_runs_isolated_and_imports_nothing_of_the_grader():
    """It is copied alone into the slot folder and run with -I: only the standard library."""
    src = Path(zygote.__file__).read_text()
    compile(src, "zygote.py", "exec")
    assert "autograder.sandbox" not in src and "from ." not in src
    r = subprocess.run([sys.executable, "-I", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())",
                        zygote.__file__], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# ------------------------------------------------------------- the trusted side


@pytest.fixture
def sleeper():
    proc = subprocess.Popen(["sleep", "30"])
    yield proc.pid
    proc.kill()
    proc.wait()


def test_attributes_see_a_changed_priority(sleeper):
    before = tamper.attributes(sleeper)
    assert tamper.attributes(sleeper) == before
    os.setpriority(os.PRIO_PROCESS, sleeper, 5)
    assert tamper.attributes(sleeper) != before


def test_attributes_see_changed_limits(sleeper):
    before = tamper.attributes(sleeper)
    resource.prlimit(sleeper, resource.RLIMIT_NOFILE, (64, 64))
    assert tamper.attributes(sleeper)["limits"] != before["limits"]


def test_attributes_see_a_changed_cpu_affinity(sleeper):
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: affinity cannot change")
    before = tamper.attributes(sleeper)
    os.sched_setaffinity(sleeper, {min(os.sched_getaffinity(0))})
    assert tamper.attributes(sleeper)["status"] != before["status"]


def test_children_and_namespace_pid(sleeper):
    assert sleeper in tamper.children(os.getpid())
    assert tamper.ns_pid(sleeper) == (os.getpid(), sleeper)
    assert tamper.start_time(sleeper) is not None and tamper.start_time(999_999_999) is None


def test_wipe_empties_without_following_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("host file")
    tmp = tmp_path / "tmp"
    (tmp / "a" / "b").mkdir(parents=True)
    (tmp / "a" / "b" / "f").write_text("x")
    (tmp / "link").symlink_to(outside)
    (tmp / "a" / "filelink").symlink_to(outside / "keep.txt")
    os.mkfifo(tmp / "fifo")
    assert tamper.wipe(str(tmp)) is True
    assert os.listdir(tmp) == []
    assert (outside / "keep.txt").read_text() == "host file"


def test_wipe_refuses_a_tree_too_deep_or_too_big(tmp_path, monkeypatch):
    deep = tmp_path / "deep"
    d = deep
    for _ in range(tamper.WIPE_MAX_DEPTH + 2):
        d = d / "d"
    d.mkdir(parents=True)
    assert tamper.wipe(str(deep)) is False  # the caller then discards the whole namespace
    wide = tmp_path / "wide"
    wide.mkdir()
    for i in range(50):
        (wide / f"f{i}").write_text("")
    monkeypatch.setattr(tamper, "WIPE_MAX_ENTRIES", 10)
    assert tamper.wipe(str(wide)) is False
    assert tamper.wipe(str(tmp_path / "missing")) is False
    (tmp_path / "alink").symlink_to(wide)
    assert tamper.wipe(str(tmp_path / "alink")) is False  # never through a link


ZYGOTE_START = """
import json, socket, sys
import autograder.harness.warm as warm
def boom():
    raise RuntimeError("no display")
warm.WARM_UPS["json"] = boom
from autograder.sandbox.zygote import Zygote
ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
z = Zygote(sys.argv[1], theirs.fileno(), ["json", "no_such_module_here"], warm=True)
print(json.dumps({"failed": sorted(z.failed), "not_warmed": z.not_warmed}))
"""


def test_zygote_tells_a_preload_that_did_not_import_from_one_whose_warm_up_failed(tmp_path):
    from tests.helpers import REPO

    out = subprocess.run([sys.executable, "-c", ZYGOTE_START, str(tmp_path)], cwd=REPO, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.returncode == 0, out.stderr[-2000:]
    said = json.loads(out.stdout.strip().splitlines()[-1])
    assert said == {"failed": ["no_such_module_here"], "not_warmed": {"json": "RuntimeError: no display"}}


def test_the_harness_digest_follows_the_files(tmp_path, monkeypatch):
    """Asked before every job: the same files give the same digest without being read
    again; a changed harness file changes it (and so restarts the zygotes)."""
    import shutil

    from autograder.sandbox import slot

    harness = tmp_path / "harness"
    shutil.copytree(slot.HARNESS_DIR, harness, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(slot, "HARNESS_DIR", harness)
    first = slot.harness_digest()
    reads = []
    real = slot._digest
    monkeypatch.setattr(slot, "_digest", lambda files: reads.append(len(files)) or real(files))
    assert slot.harness_digest() == first and reads == []
    run = harness / "run.py"
    run.write_text(run.read_text() + "\n# changed\n")
    assert slot.harness_digest() != first and len(reads) == 1

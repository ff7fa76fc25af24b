"""The warm sandbox (autograder/sandbox/warm.py): the same answers and limits as the cold
bwrap backend, and no job can reach the jobs after it in the same slot."""
from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.grade.engine import grade_submission, sandbox_argv
from autograder.grade.plan import load_plan
from autograder.grade.submission import Submission
from autograder.harness import wire
from autograder.paths import PACKAGE, Course
from autograder.sandbox import HarnessJob, Limits, get_sandbox, seccomp, warm
from autograder.sandbox.bwrap import UID_BASE, BwrapSandbox
from autograder.sandbox.limits import MemoryCgroup
from autograder.sandbox.preload import imports_of
from autograder.sandbox.warm import WarmSandbox
from tests.helpers import MINI, copy_course, with_answer

_REASON = BwrapSandbox.unusable_reason()
pytestmark = [pytest.mark.sandbox,
              pytest.mark.skipif(_REASON is not None, reason=f"bwrap unusable: {_REASON}"),
              pytest.mark.skipif(_REASON is None and not MemoryCgroup.available(),
                                 reason="no writable memory cgroup: the warm backend runs everything cold")]
SLOT = 960  # above the engine's slot ranges ((pid % 15) * 64 + n < 960), below MAX_SLOTS


def job(root: Path, *cells: str, name: str = "work") -> Path:
    """A harness job directory, as the engine's _prepare makes it, with no checks."""
    work = root / name
    (work / "autograder" / "harness").mkdir(parents=True)
    (work / "autograder" / "__init__.py").write_text("")
    for f in (PACKAGE / "harness").glob("*.py"):
        shutil.copy(f, work / "autograder" / "harness" / f.name)
    (work / "job.json").write_text(json.dumps(
        {"cells": [{"unit": f"cell:{i}", "source": textwrap.dedent(c)} for i, c in enumerate(cells)],
         "checks": [], "skip": []}))
    doc, arrays = wire.pack_args({})
    (work / "args.json").write_text(json.dumps(doc))
    wire.save_arrays(work / "args.npz", arrays)
    return work


def run(sb, work: Path, slot: int, progress=None, **limits):
    """Run a job as the engine does: the harness command, with what its cells import."""
    limits.setdefault("wall_s", 30)
    cells = json.loads((work / "job.json").read_text())["cells"]
    harness = HarnessJob(preload=imports_of("\n".join(c["source"] for c in cells)))
    return sb.run(sandbox_argv(), work, Limits(**limits), slot=slot, on_progress=progress, harness=harness)


def _binds_under_tmp() -> list[str]:
    """What /tmp holds in a clean sandbox: only the folders that carry its read-only binds
    (when the checkout, and so the venv, lives under /tmp)."""
    names = {Path(p).resolve().parts[2] for p in (sys.prefix, sys.base_prefix)
             if len(Path(p).resolve().parts) > 2 and Path(p).resolve().parts[1] == "tmp"}
    return sorted(names)


def zygote_pid(slot: int) -> int | None:
    z = warm._POOL.zygotes.get(slot)
    return z.host_pid if z is not None else None


def uid_processes(uid: int) -> list[int]:
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/status") as f:
                    if any(line.startswith("Uid:") and int(line.split()[1]) == uid for line in f):
                        out.append(int(p))
            except OSError:
                pass
    return out


# What a job can observe of what came before it. Printed on fd 1 (the harness keeps the
# cells' sys.stdout for itself).
PROBE = """
import os, resource, sys
def attempt(f):
    try:
        return f()
    except Exception as e:
        return type(e).__name__
facts = {
    "others": sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())),
    "tmp": attempt(lambda: sorted(os.listdir("/tmp"))),
    "shm": attempt(lambda: sorted(os.listdir("/dev/shm"))),
    "cwd": sorted(os.listdir(".")),
    "slot_dir": attempt(lambda: os.listdir("..")),
    "earlier_job": attempt(lambda: os.path.exists(EARLIER)),
    "nice": os.nice(0),
    "limits": [resource.getrlimit(r) for r in (resource.RLIMIT_NOFILE, resource.RLIMIT_NPROC,
                                               resource.RLIMIT_CPU, resource.RLIMIT_FSIZE, resource.RLIMIT_AS)],
    "affinity": sorted(os.sched_getaffinity(0)),
    "planted": attempt(lambda: __import__("planted").VALUE),
    "ipc": [len(open(f"/proc/sysvipc/{k}").read().splitlines()) for k in ("shm", "sem", "msg")],
    "uid": os.getuid(),
}
import numpy as np
facts["dot"] = float(np.dot(np.arange(5.0), np.arange(5.0)))
os.write(1, ("FACTS " + repr(facts) + "\\n").encode())
"""


def probe(earlier: str = "") -> str:
    return PROBE.replace("EARLIER", repr(earlier))


def facts(result) -> str:
    assert result.returncode == 0, result.stderr_tail
    return [line for line in result.stdout_tail.splitlines() if line.startswith("FACTS ")][-1]


# ------------------------------------------------------------------ registration


def test_auto_is_warm_and_bwrap_stays_cold():
    assert get_sandbox("auto").name == "warm" and get_sandbox("warm").isolated
    assert get_sandbox("bwrap").name == "bwrap"
    assert get_sandbox("auto", preload=("numpy", "torch")).preload == ("numpy", "torch")


def test_imports_of_finds_heavy_top_level_modules():
    src = ("%matplotlib inline\nimport numpy as np, os\nimport torch.nn as nn\n"
           "from sklearn.linear_model import Ridge\nfrom . import local\nimport requests\n"
           "def f():\n    import scipy.linalg\n")
    assert imports_of(src) == ("numpy", "scipy", "torch", "sklearn")  # %matplotlib is a magic
    assert imports_of("import pandas as pd\nthis is not python (") == ("pandas",)
    assert imports_of("x = 1") == ()


# ------------------------------------------------------------------ same answers


def test_same_grades_as_the_cold_backend(tmp_path):
    course = Course(copy_course(MINI, tmp_path / "course", generated=False))
    plan = load_plan(course, "mini")
    source = json.loads(course.source_notebook("mini").read_text())
    answers = {"correct": "import numpy as np\ndef dot(a, b):\n"
                          "    return float(np.sum(np.asarray(a) * np.asarray(b)))\n",
               "wrong": "def dot(a, b):\n    return 0.0\n",
               "crash": "import os\ndef dot(a, b):\n    os._exit(3)\n"}
    got = {}
    for name, code in answers.items():
        path = tmp_path / "sub" / name / "mini.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(with_answer(source, "dot", code)))
        for backend in ("bwrap", "warm"):
            r = grade_submission(course, plan, Submission(name, path), get_sandbox(backend),
                                 Limits(wall_s=60, idle_s=20), slot=SLOT + 1, rng=np.random.default_rng(7))
            got[name, backend] = (r.score, r.status, r.reason, [(q.score, q.status, q.feedback) for q in r.questions])
    for name in answers:
        assert got[name, "warm"] == got[name, "bwrap"], name
    assert got["correct", "warm"][0] == 2 and got["wrong", "warm"][0] == 0 and got["crash", "warm"][0] == 0
    assert zygote_pid(SLOT + 1) is not None  # it really ran warm


# ------------------------------------------------------------------ isolation


ATTACK = """
import ctypes, os, resource, signal, time
libc = ctypes.CDLL(None, use_errno=True)
out = []
def note(*a):
    out.append(" ".join(str(x) for x in a))
def attempt(label, f):
    try:
        f(); note(label, "DONE")
    except Exception as e:
        note(label, "refused", type(e).__name__)
note("cwd", os.getcwd())
note("ptrace", libc.ptrace(16, 1, 0, 0), ctypes.get_errno())           # PTRACE_ATTACH the zygote
attempt("mem", lambda: open("/proc/1/mem", "rb").read(1))
attempt("environ", lambda: open("/proc/1/environ", "rb").read())
attempt("fds", lambda: os.listdir("/proc/1/fd"))
attempt("prlimit", lambda: resource.prlimit(1, resource.RLIMIT_FSIZE, (1, 1)))
attempt("slot_dir", lambda: open("../planted.py", "w").write("VALUE = 'from the slot dir'"))
attempt("harness", lambda: open("../lib/autograder/harness/run.py", "a").write("# pwned"))
attempt("zygote_code", lambda: open("../zygote.py", "a").write("# pwned"))
os.kill(1, signal.SIGKILL); os.kill(1, signal.SIGSTOP); os.kill(1, signal.SIGINT)
try:
    os.kill(-1, signal.SIGKILL)
except OSError:
    pass
open("planted.py", "w").write("VALUE = 'from my own folder'")
os.makedirs("/tmp/.config/matplotlib", exist_ok=True)
open("/tmp/.config/matplotlib/matplotlibrc", "w").write("backend: module://evil")
open("/tmp/planted.py", "w").write("VALUE = 'from /tmp'")
open("/dev/shm/planted", "w").write("x")
os.symlink("/etc", "/tmp/etc-link")
os.mkfifo("/tmp/fifo")
if os.fork() == 0:                         # a double-forked daemon that keeps trying
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for _ in range(600):
            for p in ("/tmp/daemon-was-here", "/dev/shm/daemon-was-here"):
                try:
                    open(p, "w").write("alive")
                except OSError:
                    pass
            time.sleep(0.05)
        os._exit(0)
    os._exit(0)
time.sleep(0.3)
os.write(1, ("ATTACK " + " | ".join(out) + "\\n").encode())
"""


def test_a_job_cannot_affect_the_next_job_in_its_slot(tmp_path):
    slot = SLOT + 2
    sb = WarmSandbox()
    earlier = str(tmp_path / "none")
    alone = facts(run(sb, job(tmp_path / "a", probe(earlier)), slot))
    zygote = zygote_pid(slot)
    attack = run(sb, job(tmp_path / "b", ATTACK), slot)
    assert attack.returncode == 0, attack.stderr_tail
    said = attack.stdout_tail
    assert "ptrace -1 1" in said                      # EPERM: seccomp, and the zygote is not dumpable
    for label in ("mem", "environ", "fds", "prlimit", "slot_dir", "harness", "zygote_code"):
        assert f"{label} refused" in said, said
    assert zygote_pid(slot) == zygote                 # the zygote survived the signals
    time.sleep(0.3)
    assert uid_processes(UID_BASE + slot) == [zygote]  # the daemon is gone, only the zygote is left
    job_dir = said.split("cwd ", 1)[1].split(" |")[0]
    after = facts(run(sb, job(tmp_path / "c", probe(job_dir)), slot))
    assert after == alone
    assert f"'tmp': {_binds_under_tmp()}" in after and "'shm': []" in after
    assert "'planted': 'ModuleNotFoundError'" in after
    assert "'earlier_job': False" in after and "'slot_dir': 'PermissionError'" in after
    assert "'others': []" in after and f"'uid': {UID_BASE + slot}" in after
    assert zygote_pid(slot) == zygote                 # and nothing needed a restart


@pytest.mark.parametrize("attack", [
    "import os\nos.setpriority(os.PRIO_USER, 0, 10)\n",            # renices every process of the uid
    "import os\nos.sched_setaffinity(1, {0})\n",                   # pins the zygote
    "import ctypes\nlib = ctypes.CDLL(None)\nlib.shmget(4242, 4096, 0o1666)\n",  # SysV shm outlives its process
])
def test_what_a_job_changes_in_the_zygote_restarts_it(tmp_path, attack):
    slot = SLOT + 3
    sb = WarmSandbox()
    alone = facts(run(sb, job(tmp_path / "a", probe()), slot))
    zygote = zygote_pid(slot)
    r = run(sb, job(tmp_path / "b", attack), slot)
    assert r.returncode == 0, r.stderr_tail
    assert zygote_pid(slot) != zygote
    assert facts(run(sb, job(tmp_path / "c", probe()), slot)) == alone


def test_the_zygote_is_replaced_after_max_jobs(tmp_path, monkeypatch):
    monkeypatch.setattr(warm, "MAX_JOBS", 2)
    slot, sb, pids = SLOT + 4, WarmSandbox(), []
    for i in range(3):
        assert run(sb, job(tmp_path / str(i), "x = 1"), slot).returncode == 0
        pids.append(zygote_pid(slot))
    assert pids[0] == pids[1] != pids[2]


def test_seccomp_refuses_prlimit_on_others_only_in_warm(tmp_path):
    assert seccomp.program(warm=True) != seccomp.program()
    r = run(WarmSandbox(), job(tmp_path, """
        import os, resource
        resource.setrlimit(resource.RLIMIT_NOFILE, (100, 100))          # its own: fine
        try:
            resource.prlimit(os.getppid() or 1, resource.RLIMIT_NOFILE, (10, 10))
            os.write(1, b"PRLIMIT OTHERS DONE\\n")
        except PermissionError:
            os.write(1, b"prlimit others refused\\n")
    """), SLOT + 5)
    assert "prlimit others refused" in r.stdout_tail, r.stderr_tail


def test_other_commands_run_cold(tmp_path):
    work = tmp_path / "work"
    work.mkdir(mode=0o755)
    (work / "main.py").write_text("import os; print('uid', os.getuid(), 'pid', os.getpid())")
    r = WarmSandbox().run([sys.executable, "main.py"], work, Limits(wall_s=20), slot=SLOT + 6)
    assert r.returncode == 0 and f"uid {UID_BASE + SLOT + 6} pid 2" in r.stdout_tail  # bwrap's init is 1
    assert zygote_pid(SLOT + 6) is None


# ------------------------------------------------------------------ limits


LIMIT_CASES = {
    "idle": ("import time\ntime.sleep(30)\n", {"idle_s": 1.0}, (True, "no progress for 1 s (cell timeout)")),
    "wall": ("import os, time\nwhile True:\n    os.write(3, b'tick\\n'); time.sleep(0.1)\n",
             {"wall_s": 1.5}, (True, "wall time limit 1.5 s")),
    "cpu": ("while True:\n    pass\n", {"cpu_s": 1}, (False, "cpu time limit")),
    "memory": ("chunks = []\nfor _ in range(64):\n    chunks.append(bytearray(32 * 2**20))\n",
               {"memory_mb": 300}, (False, "memory limit")),
    "file": ("import os\nos.write(1, b'x')\nwith open('big.bin', 'wb') as f:\n    f.write(b'x' * (9 * 2**20))\n",
             {"file_mb": 8}, (False, "")),  # EFBIG inside the cell: the run goes on
}


@pytest.mark.parametrize("case", sorted(LIMIT_CASES))
def test_limits_as_in_the_cold_backend(tmp_path, case):
    code, limits, expected = LIMIT_CASES[case]
    slot = SLOT + 7
    got = {}
    for name, sb in (("cold", BwrapSandbox()), ("warm", WarmSandbox())):
        started = time.monotonic()
        work = job(tmp_path / name, code)
        r = run(sb, work, slot, **limits)
        got[name] = (r.timed_out, r.killed_reason, (work / "outcomes.json").exists())
        assert time.monotonic() - started < 10
    assert got["warm"] == got["cold"], got
    assert got["warm"] == (*expected, case == "file")
    # ... and the slot's next job runs normally.
    work = job(tmp_path / "next", "x = 1")
    ok = run(WarmSandbox(), work, slot)
    assert ok.returncode == 0 and (work / "outcomes.json").exists(), ok.stderr_tail
    assert uid_processes(UID_BASE + slot) == [zygote_pid(slot)]


def test_progress_lines_reach_the_caller(tmp_path):
    lines = []
    r = run(WarmSandbox(), job(tmp_path, "a = 1", "b = 2"), SLOT + 8, progress=lines.append)
    assert r.returncode == 0
    assert lines == ["unit cell:0", "unit cell:1", "unit write", "unit done"]


def test_a_zygote_that_dies_during_a_job_is_replaced(tmp_path):
    import signal
    import threading

    slot, sb = SLOT + 9, WarmSandbox()
    assert run(sb, job(tmp_path / "a", "x = 1"), slot).returncode == 0
    zygote = zygote_pid(slot)
    threading.Timer(1.0, os.kill, (zygote, signal.SIGKILL)).start()
    r = run(sb, job(tmp_path / "b", "import time\ntime.sleep(20)"), slot)
    assert r.returncode == -signal.SIGKILL and r.wall_s < 5
    assert run(sb, job(tmp_path / "c", "x = 1"), slot).returncode == 0
    assert zygote_pid(slot) not in (None, zygote)


def test_nothing_outlives_a_killed_grader(tmp_path):
    """The zygote reads EOF when the grader dies, and as PID 1 takes its namespace along."""
    import subprocess

    slot = SLOT + 10
    script = tmp_path / "grader.py"
    script.write_text(textwrap.dedent(f"""
        import os, signal, sys, threading, time
        sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
        from pathlib import Path
        from tests.test_warm_sandbox import job, run
        from autograder.sandbox.warm import WarmSandbox
        sb, root = WarmSandbox(), Path({str(tmp_path)!r})
        run(sb, job(root / "a", "x = 1"), {slot})                       # an idle zygote...
        threading.Thread(target=run, args=(sb, job(root / "b", "import time\\ntime.sleep(60)"), {slot + 1}),
                         daemon=True).start()                               # ... and one in a job
        time.sleep(1.5)
        from tests.test_warm_sandbox import uid_processes
        print("RUNNING", len(uid_processes({UID_BASE + slot}) + uid_processes({UID_BASE + slot + 1})), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """))
    said = subprocess.run([sys.executable, str(script)], timeout=60, capture_output=True, text=True)
    assert "RUNNING 3" in said.stdout, said.stderr  # two zygotes and a job
    deadline = time.monotonic() + 5
    while (uid_processes(UID_BASE + slot) or uid_processes(UID_BASE + slot + 1)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert uid_processes(UID_BASE + slot) == [] and uid_processes(UID_BASE + slot + 1) == []


# ------------------------------------------------------------------ progress pipe

PROGRESS_ATTACKS = {  # answer cell: (score, status)
    # A `unit` line every 0.2 s, repeating the cell's own unit: the cell timer keeps running.
    "repeat_unit": ("import os, time\nwhile True:\n    os.write(3, b'unit cell:1\\n'); time.sleep(0.2)\n",
                    (0, "timeout")),
    # Units that do not exist, or that lie ahead, then a hang: still the answer cell's timeout.
    "fake_units": ("import os, time\nfor u in (b'cell:x', b'check:nope', b'cell:1', b'cell:-1'):\n"
                   "    os.write(3, b'unit ' + u + b'\\n')\nwhile True:\n    time.sleep(0.2); os.write(3, b'unit cell:x\\n')\n",
                   (0, "timeout")),
    # A burst of progress lines within the pipe's budget, then an honest answer: full points.
    "burst_then_correct": ("import os\nfor _ in range(10):\n    os.write(3, b'unit cell:0\\n' * 100)\n"
                           "import numpy as np\ndef dot(a, b):\n    return float(np.sum(np.asarray(a) * np.asarray(b)))\n",
                           (2, "graded")),
    # A flood beyond the budget: the pipe is left unread, the cell stalls on its own writes
    # and its timer (which the repeated lines do not restart) stops it.
    "flood_then_correct": ("import os\nfor _ in range(200):\n    os.write(3, b'unit cell:0\\n' * 100)\n"
                           "import numpy as np\ndef dot(a, b):\n    return float(np.sum(np.asarray(a) * np.asarray(b)))\n",
                           (0, "timeout")),
}


@pytest.mark.parametrize("backend", ["bwrap", "warm"])
def test_progress_lines_cannot_extend_a_cell_or_break_the_grader(tmp_path, backend):
    course = Course(copy_course(MINI, tmp_path / "course", generated=False))
    plan = load_plan(course, "mini")
    source = json.loads(course.source_notebook("mini").read_text())
    got = {}
    for name, (code, _) in PROGRESS_ATTACKS.items():
        path = tmp_path / "sub" / name / "mini.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(with_answer(source, "dot", code)))
        started = time.monotonic()
        r = grade_submission(course, plan, Submission(name, path), get_sandbox(backend),
                             Limits(wall_s=60, idle_s=2), slot=SLOT + 9)
        got[name] = (r.score, r.status)
        assert time.monotonic() - started < 20, name
        assert not r.reason.startswith("the grader itself failed"), r.reason
    assert got == {name: expected for name, (_, expected) in PROGRESS_ATTACKS.items()}


# ------------------------------------------------------------------ the job folder's quota

FOLDER_CASES = {  # cell, limits, what it must report on fd 1 (each cleans up, so the
    # harness can still write its outcomes into the same quota)
    "bytes": ("import os\nn = 0\ntry:\n    for i in range(140):\n        with open(f'f{i}.bin', 'wb') as f:\n"
              "            f.write(b'x' * (8 * 2**20)); n += 8\nexcept OSError as e:\n"
              "    os.write(1, f'stopped {e.errno} after {n} MB'.encode())\n"
              "for i in range(140):\n    if os.path.exists(f'f{i}.bin'):\n        os.remove(f'f{i}.bin')\n",
              {"disk_mb": 64, "file_mb": 16}, "stopped 28 after"),
    "inodes": ("import os\nn = 0\ntry:\n    for i in range(150000):\n        open(f'e{i}', 'w').close(); n += 1\n"
               "except OSError as e:\n    os.write(1, f'stopped {e.errno} after {n} files'.encode())\n"
               "for i in range(n):\n    os.remove(f'e{i}')\n",
               {"files": 1000}, "stopped 28 after 9"),
    "deep": ("import os\nhere = os.getcwd()\nfor i in range(1200):\n    os.mkdir('d'); os.chdir('d')\n"
             "os.chdir(here)\nos.write(1, b'made')\n", {}, "made"),
}


@pytest.mark.parametrize("case", sorted(FOLDER_CASES))
def test_job_folder_has_a_quota(tmp_path, case):
    code, limits, expected = FOLDER_CASES[case]
    slot = SLOT + 12
    work = job(tmp_path, code)
    r = run(WarmSandbox(), work, slot, **limits)
    assert r.returncode == 0 and not r.killed_reason, r.stderr_tail
    assert r.stdout_tail.startswith(expected), r.stdout_tail
    assert (work / "outcomes.json").exists()
    if case == "bytes":
        assert 48 <= int(r.stdout_tail.split()[3]) <= 64
    assert sorted(os.listdir(work)) == ["args.json", "args.npz", "autograder", "job.json",
                                        "outcomes.json", "outcomes.npz"]
    # The same zygote takes the next job, and no job folder or mount is left.
    assert run(WarmSandbox(), job(tmp_path / "next", "x = 1"), slot).returncode == 0
    assert uid_processes(UID_BASE + slot) == [zygote_pid(slot)]
    mounts = [m for m in Path("/proc/self/mountinfo").read_text().splitlines() if f"/slot-{slot}-" in m]
    assert mounts and not [m for m in mounts if "/job-" in m]


# What a job sees of its memory cgroup and of its open files.
JOINED = """
import os
memory = [line for line in open("/proc/self/cgroup").read().splitlines() if ":memory:" in line]
fds = []
for fd in os.listdir("/proc/self/fd"):
    try:
        fds.append(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        pass  # the folder listing's own descriptor
os.write(1, ("JOINED " + repr((memory, fds)) + "\\n").encode())
"""


def _joined(result) -> tuple[list[str], list[str]]:
    assert result.returncode == 0, result.stderr_tail
    line = [x for x in result.stdout_tail.splitlines() if x.startswith("JOINED ")][-1]
    return eval(line[len("JOINED "):])  # noqa: S307 - our own probe's repr


@pytest.mark.parametrize("who", ["child", "grader"])
def test_a_job_runs_in_its_memory_cgroup_whoever_moved_it(tmp_path, monkeypatch, who):
    """The child joins its job's cgroup itself (cgroup v1: a thread moving itself skips an
    RCU grace period); when it cannot, the grader moves it. Either way the job runs warm,
    inside its own cgroup, and the cgroup file it joined through is closed before it runs."""
    slot, sb = SLOT + 13 + (who == "grader"), WarmSandbox()
    moves = []
    real_write = Path.write_text

    def spy(self, text, *a, **k):
        if self.name == "cgroup.procs":
            moves.append(text)
        return real_write(self, text, *a, **k)

    monkeypatch.setattr(Path, "write_text", spy)
    if who == "grader":
        monkeypatch.setattr(MemoryCgroup, "tasks_fd", lambda self: None)
    assert run(sb, job(tmp_path / "a", "x = 1"), slot).returncode == 0
    zygote = zygote_pid(slot)
    memory, fds = _joined(run(sb, job(tmp_path / "b", JOINED), slot))
    assert len(memory) == 1 and f"/{MemoryCgroup.PREFIX}{os.getpid()}-{slot}-" in memory[0], memory
    assert not [f for f in fds if "cgroup" in f or f.endswith("/tasks")], fds
    assert zygote_pid(slot) == zygote  # ran warm: no fallback to a cold run, no restart
    if MemoryCgroup._own_parent()[1] == 1 and who == "child":
        assert moves == []
    else:
        assert len(moves) == 2  # one per job


def _anon_huge_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1])
    return 0


HOST_THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


@pytest.mark.skipif(not HOST_THP.exists() or "[madvise]" not in HOST_THP.read_text(),
                    reason="the host's transparent huge pages are not in madvise mode")
@pytest.mark.parametrize("setting", ["default", "off"])
def test_the_zygote_heap_is_in_huge_pages_unless_turned_off(tmp_path, monkeypatch, setting):
    """malloc backs the zygote's heap with 2 MiB pages (it reads two read-only copies of the
    host's settings); jobs still get the usual environment. AUTOGRADER_HUGE_PAGES=0 turns it off."""
    slot = SLOT + 15 + (setting == "off")
    if setting == "off":
        monkeypatch.setenv("AUTOGRADER_HUGE_PAGES", "0")
    r = run(WarmSandbox(), job(tmp_path, """
        import os, numpy
        seen = (os.environ.get("GLIBC_TUNABLES"), open("/sys/kernel/mm/transparent_hugepage/enabled").read(),
                sorted(os.listdir("/sys/kernel/mm/transparent_hugepage")))
        os.write(1, ("SEEN " + repr(seen) + "\\n").encode())
        """), slot)
    assert r.returncode == 0, r.stderr_tail
    assert f"SEEN (None, {HOST_THP.read_text()!r}, ['enabled', 'hpage_pmd_size'])" in r.stdout_tail
    huge = _anon_huge_kb(zygote_pid(slot))
    assert (huge >= 2048) if setting == "default" else (huge == 0), huge


def test_the_harness_is_the_zygote_s_and_a_cold_run_gets_its_own(tmp_path, monkeypatch):
    """The engine writes no harness into a warm job's folder (the zygote has it imported);
    when the warm sandbox gives a run to the cold backend (no memory cgroup here, say), it
    writes the harness there first, and the grade is the same."""
    course = Course(copy_course(MINI, tmp_path / "course", generated=False))
    plan = load_plan(course, "mini")
    source = json.loads(course.source_notebook("mini").read_text())
    path = tmp_path / "sub" / "mini.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(with_answer(source, "dot", "import numpy as np\ndef dot(a, b):\n"
                                                           "    return float(np.sum(np.asarray(a) * np.asarray(b)))\n")))
    seen = []

    def spy(cls):
        real = cls.run

        def run(self, argv, workdir, *a, **k):
            seen.append((cls.__name__, sorted(p.name for p in workdir.iterdir())))
            return real(self, argv, workdir, *a, **k)
        monkeypatch.setattr(cls, "run", run)

    spy(WarmSandbox)
    spy(BwrapSandbox)
    grades = {}
    for how in ("warm", "cold"):
        if how == "cold":
            monkeypatch.setattr(MemoryCgroup, "create", classmethod(lambda cls, slot, mb: None))
        seen.clear()
        r = grade_submission(course, plan, Submission("s", path), WarmSandbox(), Limits(wall_s=60, idle_s=20),
                             slot=SLOT + 17, rng=np.random.default_rng(3))
        grades[how] = (r.score, r.status, [(q.score, q.feedback) for q in r.questions])
        if how == "warm":
            assert [cls for cls, _ in seen] == ["WarmSandbox"], seen
            assert "job.json" in seen[0][1] and "autograder" not in seen[0][1]
        else:
            assert [cls for cls, _ in seen] == ["WarmSandbox", "BwrapSandbox"], seen
            assert "autograder" not in seen[0][1] and "autograder" in seen[1][1]
    assert grades["warm"] == grades["cold"] and grades["warm"][0] == 2, grades

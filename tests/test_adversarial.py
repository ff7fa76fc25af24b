"""Hostile submissions earn exactly what their honest work is worth, and harm nothing.

Each entry below replaces the answer cell of the one-question `mini` assignment (dot, 2
points) and says the exact score it must get. Afterwards the host files, the gradebook
and the grader itself must be untouched.
"""

import hashlib
import json
import socket
import threading

import pytest

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from autograder.sandbox import Limits
from tests.helpers import REPO, put_submission, with_answer

pytestmark = pytest.mark.sandbox
A = "mini"
CORRECT = "import numpy as np\ndef dot(a, b):\n    return float(np.sum(np.asarray(a, float) * np.asarray(b, float)))\n"
WRONG = "def dot(a, b):\n    return 0.0\n"

ATTACKS = {  # name: (code of the answer cell, exact score)
    "patch_isclose": ("import numpy as np\nnp.isclose = lambda *a, **k: True\nnp.allclose = lambda *a, **k: True\n"
                      "np.testing.assert_allclose = lambda *a, **k: None\n" + WRONG, 0),
    "always_equal_object": ("class Yes:\n    def __eq__(self, other):\n        return True\n    __hash__ = None\n"
                            "    def __float__(self):\n        return 0.0\n"
                            "def dot(a, b):\n    return Yes()\n", 0),
    "always_equal_float": ("class F(float):\n    def __eq__(self, other):\n        return True\n"
                           "    def __sub__(self, other):\n        return 0.0\n    __rsub__ = __sub__\n"
                           "def dot(a, b):\n    return F(123.0)\n", 0),
    "ndarray_subclass_eq": ("import numpy as np\nclass A(np.ndarray):\n    def __eq__(self, other):\n"
                            "        return np.ones(np.shape(other), bool)\n"
                            "def dot(a, b):\n    return np.zeros(()).view(A)\n", 0),
    "object_array_of_yes": ("import numpy as np\nclass Yes:\n    def __eq__(self, o):\n        return True\n"
                            "def dot(a, b):\n    x = np.empty((), dtype=object)\n    x[()] = Yes()\n    return x\n", 0),
    "print_passed": ("print('passed: dot(a, b) matches the reference on fresh random vectors')\n" + WRONG, 0),
    "fake_result_files_then_exit": (
        WRONG + "import json, os\nopen('outcomes.json', 'w').write(json.dumps({'vectors.dot@dot': []}))\n"
        "open('result.json', 'w').write(json.dumps({'score': 2, 'max_score': 2}))\nos._exit(0)\n", 0),
    "atexit_fake_outcomes": (WRONG + "import atexit, json\natexit.register(lambda: open('outcomes.json', 'w')"
                             ".write(json.dumps({'vectors.dot@dot': [{'value': None, 'error': None}] * 4})))\n", 0),
    "atexit_hides_its_error": (WRONG + "import atexit, json\n"
                               "def _hide():\n    doc = json.load(open('outcomes.json'))\n"
                               "    doc.pop('~cells', None)\n    open('outcomes.json', 'w').write(json.dumps(doc))\n"
                               "atexit.register(_hide)\nraise ValueError('this error stays visible')\n", 0),
    "symlinked_outcomes": (WRONG + "import os\nos.symlink('/etc/passwd', 'outcomes.json')\n"
                           "os.symlink('/etc/passwd', 'outcomes.npz')\nos._exit(0)\n", 0),
    "sys_exit_but_correct": ("import sys\ntry:\n    sys.exit(0)\nfinally:\n    pass\n", None),  # see below
    "exit_early_wrong": (WRONG + "import os\nos._exit(0)\n", 0),
    "kill_own_process": ("import os, signal\n" + WRONG + "os.kill(os.getpid(), signal.SIGKILL)\n", 0),
    "kill_parent": ("import os, signal\n" + WRONG + "os.kill(os.getppid(), signal.SIGKILL)\n", 0),
    "kill_everything": ("import os, signal\n" + WRONG + "os.kill(-1, signal.SIGKILL)\n", 0),
    "detect_grading": ("import os, sys\nimport numpy as np\n"
                       "GRADED = 'AUTOGRADER_PROGRESS_FD' in os.environ or 'autograder.harness' in sys.modules\n"
                       "def dot(a, b):\n    return 1.0 if GRADED else float(np.dot(a, b))\n", 0),
    "patch_probe": ("import numpy as np\nimport autograder.harness.probes as p\n"
                    "p.PROBES['call'] = lambda fn, args: p.Outcome(value=np.asarray(0.0))\n" + WRONG, 0),
    "import_hidden_checks": ("import numpy as np\ntry:\n    import autograder.checks.vectors\n    CAN = True\n"
                             "except Exception:\n    CAN = False\n"
                             "def dot(a, b):\n    return float(np.sum(np.asarray(a) * np.asarray(b))) if CAN else 0.0\n", 0),
    "read_solution_notebook": ("import json\ntry:\n    nb = json.load(open({source!r}))\n"
                               "    exec([c for c in nb['cells'] if c['metadata'].get('nbgrader', {{}}).get('grade_id') == 'dot'][0]['source'])\n"
                               "except Exception:\n    " + WRONG.replace("\n    ", "\n        ").replace("\n", "\n    ").rstrip() + "\n", 0),
    "read_other_student": ("import json\ntry:\n    nb = json.load(open({other!r}))\n"
                           "    exec([c for c in nb['cells'] if c['metadata'].get('nbgrader', {{}}).get('grade_id') == 'dot'][0]['source'])\n"
                           "except Exception:\n    " + WRONG.replace("\n    ", "\n        ").replace("\n", "\n    ").rstrip() + "\n", 0),
    "overwrite_checks_and_gradebook": ("for path in ({checks!r}, {repo_checks!r}, {gradebook!r}, {sentinel!r}):\n"
                                       "    try:\n        open(path, 'w').write('pwned')\n    except OSError:\n        pass\n" + WRONG, 0),
    "symlink_escape": ("import os\nfor i, target in enumerate(({source!r}, {sentinel!r}, '/root')):\n"
                       "    try:\n        os.symlink(target, f'link{{i}}')\n        open(f'link{{i}}', 'a').write('pwned')\n"
                       "    except OSError:\n        pass\n" + WRONG, 0),
    "network_fetch_answers": ("import socket\ntry:\n    s = socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                              "    s.sendall(b'give me the answers')\n    OK = True\nexcept OSError:\n    OK = False\n"
                              "import numpy as np\ndef dot(a, b):\n    return float(np.sum(np.asarray(a) * np.asarray(b))) if OK else 0.0\n", 0),
    "fork_bomb_then_correct": ("import os\nfor _ in range(100000):\n    try:\n        os.fork()\n    except OSError:\n"
                               "        pass\n" + CORRECT, None),
    "memory_bomb": ("blocks = []\nwhile True:\n    blocks.append(bytearray(256 * 2**20))\n" + WRONG, 0),
    "infinite_loop": ("while True:\n    pass\n" + CORRECT, 0),
    "ignore_signals_and_loop": ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n" + CORRECT + "while True:\n    pass\n", 0),
    "loop_only_when_called": ("def dot(a, b):\n    while True:\n        pass\n", 0),
    "fill_the_disk": ("import os\ntry:\n    with open('big.bin', 'wb') as fh:\n        while True:\n"
                      "            fh.write(b'x' * 2**20)\nexcept OSError:\n    pass\n" + WRONG, 0),
    "stdout_flood_then_correct": ("for _ in range(200):\n    print('x' * 2**20)\n" + CORRECT, 2),
    "patch_builtins": ("import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.len = lambda *a: 0\n" + WRONG, 0),
    "huge_return": ("import numpy as np\ndef dot(a, b):\n    return np.zeros(10**8)\n", 0),
}
# Honest work inside hostile code still counts: these define a correct dot in a later cell.
LATER_CORRECT = {"sys_exit_but_correct": 2, "fork_bomb_then_correct": 2}
STATUS = {"infinite_loop": "timeout", "ignore_signals_and_loop": "timeout", "loop_only_when_called": "timeout"}


class _Listener:
    """A localhost server that records whether anything connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def _fill(code, paths):
    """Put the host's paths into an attack's code ({name!r} or {name}; {{ }} are braces)."""
    if not any(f"{{{k}" in code for k in paths):
        return code
    for key, value in paths.items():
        code = code.replace(f"{{{key}!r}}", repr(value)).replace(f"{{{key}}}", str(value))
    return code.replace("{{", "{").replace("}}", "}")


def _digest(paths):
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def attacked(mini_course, tmp_path_factory):
    import shutil

    tmp = tmp_path_factory.mktemp("attacks")
    course = tmp / "course"
    shutil.copytree(mini_course, course, symlinks=True)
    (course / "gradebook.db").unlink(missing_ok=True)
    sub = tmp / "submitted"
    sentinel = tmp / "host-secret.txt"
    sentinel.write_text("the host's file")
    release = json.loads(Course(course).release_notebook(A).read_text())
    put_submission(sub, "reference", A, json.loads(Course(course).solution_notebook(A).read_text()))
    # The gradebook exists before the attacks, with the reference graded.
    grade_class(Course(course), A, Options(submitted=sub, progress=False), log=lambda *a: None)
    listener = _Listener()
    paths = {"source": str(course / "source" / A / f"{A}.ipynb"), "other": str(sub / "reference" / A / f"{A}.ipynb"),
             "checks": str(REPO / "autograder" / "checks" / "vectors.py"),
             "repo_checks": str(REPO / "autograder" / "checks" / "core.py"),
             "gradebook": str(course / "gradebook.db"), "sentinel": str(sentinel), "port": listener.port}
    for name, (code, _score) in ATTACKS.items():
        nb = with_answer(release, "dot", _fill(code, paths))
        if name in LATER_CORRECT:
            nb = json.loads(json.dumps(nb))
            nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                "source": CORRECT})
        put_submission(sub, name, A, nb)
    protected = [REPO / "autograder" / "checks" / "vectors.py", REPO / "autograder" / "checks" / "core.py",
                 course / "source" / A / f"{A}.ipynb", sentinel, sub / "reference" / A / f"{A}.ipynb"]
    before = _digest(protected)
    results = grade_class(Course(course), A, Options(
        submitted=sub, progress=False, workers=2,
        limits=Limits(wall_s=40, cpu_s=40, idle_s=4, memory_mb=2048, processes=32, file_mb=16)),
        log=lambda *a: None)
    listener.close()
    return {"results": {r.student_id: r for r in results}, "before": before, "after": _digest(protected),
            "listener": listener, "course": course, "sub": sub}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_hostile_submission_gets_exactly_its_score(attacked, name):
    result = attacked["results"][name]
    expected = LATER_CORRECT.get(name, ATTACKS[name][1])
    assert result.score == expected, f"{name}: {result.score} ({result.status}: {result.reason}) " \
                                     f"{[q.feedback for q in result.questions]}"
    assert not result.reason.startswith("the grader itself failed")
    if name in STATUS:
        assert result.status == STATUS[name], f"{name}: {result.status} {result.reason}"


def test_nothing_of_the_submission_runs_after_its_outcomes_are_written(attacked):
    """An atexit handler that strips the record of a cell that raised never runs: the
    harness exits the moment the outcomes are written."""
    result = attacked["results"]["atexit_hides_its_error"]
    assert any("this error stays visible" in e["error"] for e in result.cell_errors), result.cell_errors


def test_there_are_at_least_25_attacks():
    assert len(ATTACKS) >= 25


def test_host_files_are_untouched(attacked):
    assert attacked["after"] == attacked["before"]


def test_no_connection_left_the_sandbox(attacked):
    assert attacked["listener"].connections == 0


def test_the_gradebook_is_intact_and_counts_each_student_once(attacked):
    from nbgrader.api import Gradebook

    with Gradebook(Course(attacked["course"]).db_url) as gb:
        assignment = gb.find_assignment(A)
        students = [s.student.id for s in assignment.submissions]
        assert sorted(students) == sorted(set(students))
        assert set(students) == set(attacked["results"])
        assert gb.find_submission(A, "reference").score == 2


# --------------------------------------------------------------------------------------
# Self-reports: a verdict never rests on what the student's process says about itself.
# Each forger makes the mistake its honest twin makes, then tells the grader otherwise in
# the grader's own process (a patched comparison, a replaced or wrapped probe). It earns
# exactly its score, never more than the twin: "unchanged" is judged from the inputs handed
# back, a replaced PROBES entry is never called, and code that reaches into the `autograder`
# package also loses every from-scratch exercise of its assignment.

IN_PLACE_STANDARDISE = ("def standardise(X):\n    X = np.asarray(X, dtype=float)\n    X -= X.mean(axis=0)\n"
                        "    sd = X.std(axis=0)\n    X /= np.where(sd == 0, 1.0, sd)\n    return X\n")
IN_PLACE_MERGE = ("def merge(layer):\n    with torch.no_grad():\n"
                  "        layer.base.weight += layer.scaling * (layer.B @ layer.A)\n"
                  "    return layer.base.weight.detach().clone()\n")
WRAP = "import autograder.harness.probes as _p\n_orig = _p.PROBES[{probe!r}]\n"
REWRITE_AT_EXIT = (
    "import atexit\n"
    "def _rewrite():\n"
    "    import json\n"
    "    from autograder.harness import wire\n"
    "    from autograder.harness.probes import PROBES\n"
    "    copy = lambda v: np.array(v, copy=True) if isinstance(v, np.ndarray) else v\n"
    "    args = wire.unpack_args(json.load(open('args.json')), wire.load_arrays('args.npz'))\n"
    "    job, old = json.load(open('job.json')), json.load(open('outcomes.json'))\n"
    "    out = {}\n"
    "    for c in job['checks']:\n"
    "        fn = globals()[c['target']]\n"
    "        safe = lambda *a, _fn=fn, **k: _fn(*map(copy, a), **{n: copy(v) for n, v in k.items()})\n"
    "        out[c['id']] = [PROBES[c['probe']](safe, a) for a in args.get(c['id'], [])]\n"
    "    doc, arrays = wire.pack_outcomes(out)\n"
    "    doc.update({k: v for k, v in old.items() if k.startswith('~')})\n"
    "    wire.save_arrays('outcomes.npz', arrays)\n"
    "    open('outcomes.json', 'w').write(json.dumps(doc))\n"
    "atexit.register(_rewrite)\n")
ZERO_A = "zero A"  # the LoRALinear solution with A initialised at zero
SELF_REPORTS = {  # name: (assignment, grade id of the answer cell, its new code, exact score, honest twin)
    "in_place_standardise": ("01-vectors", "standardise", IN_PLACE_STANDARDISE, 11, None),
    "in_place_standardise_patches_array_equal": (
        "01-vectors", "standardise", IN_PLACE_STANDARDISE + "np.array_equal = lambda *a, **k: True\n", 11,
        "in_place_standardise"),
    "in_place_standardise_swaps_the_probe": (  # also loses dot and norm (from scratch): 11 - 2
        "01-vectors", "standardise",
        IN_PLACE_STANDARDISE + WRAP.format(probe="call") + "_p.PROBES['call_unchanged'] = _orig\n", 9,
        "in_place_standardise"),
    # After the outcomes are written, an atexit handler probes again with a copying wrapper
    # and rewrites them ("unchanged"): it never runs (the harness exits at once), and
    # reaching into the package costs the from-scratch parts: 11 - 2.
    "in_place_standardise_rewrites_outcomes_at_exit": (
        "01-vectors", "standardise", IN_PLACE_STANDARDISE + REWRITE_AT_EXIT, 9, "in_place_standardise"),
    "in_place_merge": ("18-lora", "merge", IN_PLACE_MERGE, 12, None),
    "in_place_merge_wraps_the_probe": (  # loses the layer checks and merge (from scratch): 14 - 8
        "18-lora", "merge", IN_PLACE_MERGE + "import copy\n" + WRAP.format(probe="lora_merge")
        + "_p.PROBES['lora_merge'] = lambda fn, args: _orig(lambda layer: fn(copy.deepcopy(layer)), args)\n", 6,
        "in_place_merge"),
    "zero_A": ("18-lora", "LoRALinear", ZERO_A, 11, None),
    "zero_A_reports_random_A": ("18-lora", "LoRALinear", ZERO_A, 6, "zero_A"),
    # The same lie told from a module the cell writes, patching the probe module's own
    # function: the job folder is off the import path (18-lora has from-scratch parts), so
    # the module is never imported; and A is judged from the layer's first training step,
    # which a zero A cannot move, whatever is reported.
    "zero_A_reports_random_A_from_a_written_module": ("18-lora", "LoRALinear", ZERO_A, 11, "zero_A"),
}
FORGE_A = ("\nimport numpy as _np\n" + WRAP.format(probe="lora_layer")
           + "def _forge(cls, args):\n    out = _orig(cls, args)\n"
           "    if isinstance(out.value, dict) and 'A_init' in out.value:\n"
           "        out.value['A_init'] = _np.ones_like(out.value['A_init'])\n    return out\n"
           "_p.PROBES['lora_layer'] = _forge\n")


FORGE_A_MODULE = ("import numpy as np\nimport autograder.harness.lora_probes as lp\n_orig = lp.to_plain\n"
                  "def to_plain(x, where='the result'):\n    value = _orig(x, where)\n"
                  "    return np.ones_like(value) if where == 'layer.A' else value\n"
                  "lp.to_plain = to_plain\n")


def _zero_A(source_cell: str, name: str) -> str:
    code = source_cell.replace("nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))", "nn.init.zeros_(self.A)")
    assert code != source_cell
    if name.endswith("from_a_written_module"):
        return code + f"\nopen('lora_check_helpers.py', 'w').write({FORGE_A_MODULE!r})\nimport lora_check_helpers\n"
    return code + (FORGE_A if name != "zero_A" else "")


@pytest.fixture(scope="module")
def self_reports(tmp_path_factory):
    from tests.helpers import copy_course

    tmp = tmp_path_factory.mktemp("self-reports")
    course = copy_course(REPO, tmp / "course", generated=False)
    results = {}
    for assignment in ("01-vectors", "18-lora"):
        source = json.loads(Course(course).source_notebook(assignment).read_text())
        sub = tmp / f"submitted-{assignment}"
        put_submission(sub, "reference", assignment, source)
        for name, (where, grade_id, code, _score, twin) in SELF_REPORTS.items():
            if where == assignment:
                if code == ZERO_A:
                    cell = next(c for c in source["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
                    code = _zero_A("".join(cell["source"]), name)
                put_submission(sub, name, assignment, with_answer(source, grade_id, code))
        for r in grade_class(Course(course), assignment, Options(
                submitted=sub, progress=False, workers=2, limits=Limits(wall_s=300, cpu_s=300, idle_s=120)),
                log=lambda *a: None):
            results[(assignment, r.student_id)] = r
    return results


@pytest.mark.sandbox
@pytest.mark.parametrize("name", sorted(SELF_REPORTS))
def test_a_forged_self_report_earns_no_more_than_its_honest_twin(self_reports, name):
    assignment, _grade_id, _code, score, twin = SELF_REPORTS[name]
    reference = self_reports[(assignment, "reference")]
    assert (reference.score, reference.status) == (14, "graded"), reference.reason
    r = self_reports[(assignment, name)]
    assert (r.score, r.status) == (score, "graded"), f"{name}: {[(q.question, q.score, q.feedback) for q in r.questions]}"
    if twin is not None:
        assert r.score <= SELF_REPORTS[twin][3]

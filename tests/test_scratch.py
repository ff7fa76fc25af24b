"""The from-scratch rule: decided from what the code does, across cells, whatever the spelling.

Each bypass style loses exactly the points of its exercise, with the reason shown; an honest
helper whose name looks like a library's keeps full marks.
"""

import base64
import json

import pytest

from autograder.checks import load_all
from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from autograder.sandbox import Limits
from autograder.checks import load_all as _load_all
from autograder.scratch import Rule, Watch
from autograder.scratch import violation as _violation
from tests.helpers import REPO, copy_course, put_submission, with_answer

NP = "import numpy as np\n"
EXEC_TEXT = "def dot(a, b):\n    import numpy\n    return float(numpy.inner(a, b))\n"

# name: (check id, target, cells (the last is the exercise's answer cell), words in the reason)
BYPASSES = {
    "helper_in_another_answer_cell": ("pca.pca_eig", "pca_eig", [
        NP, "def center(X):\n    return X - X.mean(0)\n\ndef _fit(X, k):\n    from sklearn.decomposition import PCA\n"
            "    p = PCA(k).fit(X)\n    return p.components_.T, p.explained_variance_\n",
        "def pca_eig(X, k):\n    return _fit(X, k)\n"], "sklearn.decomposition"),
    "multiline_parenthesised_import": ("pca.pca_eig", "pca_eig", [
        "from sklearn.decomposition import (\n    IncrementalPCA,\n    PCA as P,\n)\n",
        "def pca_eig(X, k):\n    return P(k).fit(X)\n"], "sklearn.decomposition"),
    "importlib_import_module": ("pca.pca_svd", "pca_svd", [
        "import importlib\ndef pca_svd(X, k):\n    m = importlib.import_module('sklearn.' + 'decomposition')\n"
        "    return m.PCA(k).fit(X)\n"], "importlib"),
    "dunder_import": ("lora.merge", "merge", [
        "def merge(layer):\n    return __import__('pe' + 'ft').merge(layer)\n"], "__import__"),
    "getattr_with_built_name": ("vectors.dot", "dot", [
        NP, "def dot(a, b):\n    return getattr(np, 'in' + 'ner')(a, b)\n"], "computed attribute name"),
    "getattr_on_the_array": ("vectors.dot", "dot", [
        "def dot(a, b):\n    name = 'do' + 't'\n    return getattr(a, name)(b)\n"], "computed attribute name"),
    "getattr_with_plain_string": ("vectors.norm", "norm", [
        NP, "def norm(v):\n    return getattr(np.linalg, 'norm')(v)\n"], "numpy.linalg.norm"),
    "exec_of_base64": ("vectors.dot", "dot", [
        "import base64\nexec(base64.b64decode(%r).decode())\n" % base64.b64encode(EXEC_TEXT.encode()).decode(),
        "def dot(a, b):\n    return float(a.sum())\n"], "exec"),
    "import_inside_fstring": ("attention.softmax", "softmax", [
        "def softmax(x, axis=-1):\n    name = f\"{__import__('sc' + 'ipy')}\"\n    return name\n"], "__import__"),
    "fullwidth_identifiers": ("vectors.norm", "norm", [
        NP, "def norm(v):\n    return \uff4e\uff50.\uff4c\uff49\uff4e\uff41\uff4c\uff47.\uff4e\uff4f\uff52\uff4d(v)\n"],
        "numpy.linalg.norm"),
    "alias_chain_across_cells": ("vectors.norm", "norm", [
        NP, "la = np.linalg\nf = la.norm\n", "def norm(v):\n    return f(v)\n"], "numpy.linalg.norm"),
    "matmul_operator": ("vectors.dot", "dot", ["def dot(a, b):\n    return float(a @ b)\n"], "`@`"),
    "dunder_matmul": ("vectors.dot", "dot", ["def dot(a, b):\n    return float(a.__matmul__(b))\n"], "__matmul__"),
    "builtins_patched_elsewhere": ("vectors.dot", "dot", [
        NP, "import builtins\nbuiltins.total = np.inner\n", "def dot(a, b):\n    return float(total(a, b))\n"],
        "builtins"),
    "star_import": ("pca.explained_variance_ratio", "explained_variance_ratio", [
        "from sklearn.decomposition import *\n",
        "def explained_variance_ratio(X):\n    return PCA().fit(X).explained_variance_ratio_\n"], "sklearn.decomposition"),
    "torch_attention_alias": ("attention.scaled_dot_product_attention", "scaled_dot_product_attention", [
        "import torch.nn.functional as F\nattend = F.scaled_dot_product_attention\n",
        "def scaled_dot_product_attention(q, k, v, mask=None):\n    return attend(q, k, v)\n"],
        "scaled_dot_product_attention"),
    "tensor_softmax_method": ("attention.softmax", "softmax", [
        "import torch\n", "def softmax(x, axis=-1):\n    return torch.as_tensor(x).softmax(axis).numpy()\n"],
        ".softmax"),
    "multihead_module": ("attention.multi_head_attention", "multi_head_attention", [
        "from torch import nn\n", "def multi_head_attention(x, w, h):\n    return nn.MultiheadAttention(8, h)(x, x, x)\n"],
        "MultiheadAttention"),
    "peft_in_a_class": ("lora.layer_init", "LoRALinear", [
        "import peft as p\n", "class LoRALinear:\n    def __init__(self, base, r):\n        self.m = p.LoraModel\n"],
        "peft"),
    "local_alias_of_a_getattr": ("vectors.norm", "norm", [
        NP, "def norm(v):\n    la = getattr(np, 'linalg')\n    f = la.norm\n    return f(v)\n"], "numpy.linalg.norm"),
    "comprehension_does_not_hide_a_global": ("vectors.norm", "norm", [
        NP, "f = np.linalg.norm\n", "def norm(v):\n    [f for f in range(2)]\n    return f(v)\n"], "numpy.linalg.norm"),
    "parameter_elsewhere_does_not_hide_a_global": ("vectors.norm", "norm", [
        NP, "f = np.linalg.norm\ndef unused(f):\n    return f\n", "def norm(v):\n    return f(v)\n"],
        "numpy.linalg.norm"),
    "closure_over_a_library_alias": ("vectors.norm", "norm", [
        NP, "def make():\n    f = np.linalg.norm\n    def inner(v):\n        return f(v)\n    return inner\n",
        "norm = make()\n"], "numpy.linalg.norm"),
    "written_module_from_a_path_entry": ("vectors.dot", "dot", [
        "import sys\nsys.path.insert(0, '/tmp')\n", "def dot(a, b):\n    return sum(x * y for x, y in zip(a, b))\n"],
        "`.path`"),
    "sys_modules_lookup": ("vectors.norm", "norm", [
        "import sys\n", "def norm(v):\n    return sys.modules['numpy'].linalg.norm(v)\n"], "sys.modules"),
    "defined_by_globals": ("vectors.dot", "dot", [
        NP, "globals()['dot'] = np.inner\n"], "numpy.inner"),
    "defined_by_globals_exec": ("vectors.dot", "dot", [
        "globals()['d' + 'ot'] = lambda a, b: 0\n", "x = 1\n"], "globals()"),
}

HONEST = {  # name: (check id, target, cells)
    "own_helper_named_PCA": ("pca.pca_eig", "pca_eig", [
        NP, "def PCA(X, k):\n    Xc = X - X.mean(0)\n    w, V = np.linalg.eigh(np.cov(Xc.T))\n"
            "    return V[:, ::-1][:, :k], w[::-1][:k]\n", "def pca_eig(X, k):\n    return PCA(X, k)\n"]),
    "os_path_and_an_attribute_named_path": ("vectors.dot", "dot", [
        "import os\nfrom pathlib import Path\nhere = os.path.join('.', 'songs.csv')\n"
        "folder = getattr(Path(here), 'parent')\nhas_path = hasattr(folder, 'path')\n",
        "def dot(a, b):\n    return sum(x * y for x, y in zip(a, b))\n"]),
    "einsum_is_allowed_for_dot": ("vectors.dot", "dot", [
        NP, "def dot(a, b):\n    return float(np.einsum('i,i->', a, b))\n"]),
    "own_helper_named_inner": ("vectors.dot", "dot", [
        "def inner(a, b):\n    return sum(x * y for x, y in zip(a, b))\n", "def dot(a, b):\n    return float(inner(a, b))\n"]),
    "library_named_in_comments_and_strings": ("vectors.dot", "dot", [
        NP, "def dot(a, b):\n    \"\"\"Like np.dot(a, b), but mine.\"\"\"\n    # not np.dot, not a @ b\n"
            "    return float(np.sum(np.asarray(a) * np.asarray(b)))\n"]),
    "norm_calls_own_dot_which_uses_matmul": ("vectors.norm", "norm", [
        NP, "def dot(a, b):\n    return float(a @ b)\n", "def norm(v):\n    return dot(v, v) ** 0.5\n"]),
    "library_used_only_to_compare_elsewhere": ("vectors.dot", "dot", [
        NP, "def dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n",
        "print(dot([1, 2], [3, 4]), np.dot([1, 2], [3, 4]))\n"]),
    "library_version_replaced_by_own": ("vectors.norm", "norm", [
        NP, "norm = np.linalg.norm\n", "def norm(v):\n    return sum(x * x for x in v) ** 0.5\n"]),
    "sklearn_data_loader": ("pca.pca_svd", "pca_svd", [
        "import numpy as np\nfrom sklearn.datasets import load_iris\n",
        "def pca_svd(X, k):\n    Xc = X - X.mean(0)\n    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)\n"
        "    return Vt[:k].T, s[:k] ** 2 / (len(X) - 1)\n"]),
    "locals_named_like_notebook_globals": ("pca.pca_svd", "pca_svd", [
        NP, "from sklearn.decomposition import PCA\nX = np.ones((3, 2))\nW = PCA(1).fit(X)\n",
        "def pca_svd(X, k):\n    W = X - X.mean(0)\n    U, s, Vt = np.linalg.svd(W, full_matrices=False)\n"
        "    return Vt[:k].T, s[:k] ** 2 / (len(X) - 1)\n"]),
    "own_softmax_with_torch": ("attention.softmax", "softmax", [
        "import torch\n", "def softmax(x, axis=-1):\n    e = torch.exp(torch.as_tensor(x) - torch.as_tensor(x).max())\n"
        "    return (e / e.sum(axis, keepdim=True)).numpy()\n"]),
}


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_each_bypass_style_is_found_with_its_reason(name):
    check_id, target, cells, words = BYPASSES[name]
    found = violation(check_id, target, cells, [len(cells) - 1])
    assert found is not None and words in found, f"{name}: {found}"


@pytest.mark.parametrize("name", sorted(HONEST))
def test_honest_code_is_never_penalised(name):
    check_id, target, cells = HONEST[name]
    answer = next(i for i, c in enumerate(cells) if f"def {target}" in c)
    assert violation(check_id, target, cells, [answer]) is None


def violation(check_id, target, cells, answers=(), own=None):
    """The rule the check declares, applied to these cells."""
    return _violation(check_id, target, cells, answers, own, _load_all()[check_id].forbidden)


def test_every_from_scratch_check_declares_a_rule_and_its_watch_is_a_watch():
    checks = load_all().values()
    for check in checks:
        rules = check.forbidden if isinstance(check.forbidden, tuple) else (check.forbidden,)
        assert check.forbidden is None or all(isinstance(r, Rule) for r in rules), check.id
        assert check.watch is None or (isinstance(check.watch, Watch) and check.forbidden is not None), check.id
    assert sum(c.forbidden is not None for c in checks) >= 20
    assert sum(c.watch is not None for c in checks) >= 10


def test_the_notebook_path_uses_the_same_rule():
    check = load_all()["vectors.dot"]
    verdict = check.scan("def dot(a, b):\n    return __import__('num' + 'py').sum(a * b)\n")
    assert verdict is not None and verdict.mistake == "library_used" and "__import__" in verdict.message
    assert check.scan("def dot(a, b):\n    # np.dot is not used\n    return sum(x * y for x, y in zip(a, b))\n") is None


# --- end to end, through the sandboxed grader ----------------------------------------------

CORRECT = "def dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"
MINI = {  # student: (answer cell, extra cell after it or None, exact score)
    "honest": (CORRECT, None, 2),
    "honest_helper_named_inner": ("def dot(a, b):\n    return float(inner(a, b))\n",
                                  "def inner(a, b):\n    return sum(x * y for x, y in zip(a, b))\n", 2),
    "helper_in_own_cell": ("def dot(a, b):\n    return float(helper(a, b))\n",
                           "import numpy\ndef helper(a, b):\n    return numpy.inner(a, b)\n", 0),
    "multiline_import": ("from numpy import (\n    inner as i,\n)\ndef dot(a, b):\n    return float(i(a, b))\n", None, 0),
    "importlib": ("import importlib\ndef dot(a, b):\n    return float(importlib.import_module('num' + 'py').inner(a, b))\n",
                  None, 0),
    "dunder_import": ("def dot(a, b):\n    return float(__import__('numpy').inner(a, b))\n", None, 0),
    "getattr_string": ("import numpy as np\ndef dot(a, b):\n    return float(getattr(np, 'in' + 'ner')(a, b))\n", None, 0),
    "exec_base64": ("import base64\nexec(base64.b64decode(%r).decode())\n" % base64.b64encode(EXEC_TEXT.encode()).decode(),
                    None, 0),
    "fstring_import": ("def dot(a, b):\n    return float(f\"{__import__('numpy').inner(a, b)}\")\n", None, 0),
    "fullwidth": ("import numpy as np\ndef dot(a, b):\n    return float(\uff4e\uff50.\uff49\uff4e\uff4e\uff45\uff52(a, b))\n",
                  None, 0),
    # Invisible to a reading of the code: the library call sits in a file the cell writes.
    # The sandbox's watch sees ndarray.dot run during the check.
    "hidden_in_a_written_module": ("open('helper_mod.py', 'w').write('def d(a, b):\\n    return float(a.dot(b))\\n')\n"
                                   "import helper_mod\ndef dot(a, b):\n    return helper_mod.d(a, b)\n", None, 0),
}


@pytest.fixture(scope="module")
def mini_graded(mini_course, tmp_path_factory):
    import shutil

    tmp = tmp_path_factory.mktemp("scratch")
    course = tmp / "course"
    shutil.copytree(mini_course, course, symlinks=True)
    (course / "gradebook.db").unlink(missing_ok=True)
    sub = tmp / "submitted"
    release = json.loads(Course(course).release_notebook("mini").read_text())
    for name, (answer, extra, _score) in MINI.items():
        nb = with_answer(release, "dot", answer)
        if extra:
            nb["cells"].insert(1, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                   "source": extra})
        put_submission(sub, name, "mini", nb)
    results = grade_class(Course(course), "mini", Options(submitted=sub, progress=False, workers=2),
                          log=lambda *a: None)
    return {r.student_id: r for r in results}


@pytest.mark.sandbox
@pytest.mark.parametrize("name", sorted(MINI))
def test_each_bypass_loses_exactly_its_points(mini_graded, name):
    r = mini_graded[name]
    q = r.questions[0]
    assert (r.score, r.status, q.status) == (MINI[name][2], "graded", "graded"), f"{name}: {q.feedback}"
    if MINI[name][2] == 0 and name != "hidden_in_a_written_module":  # that one cannot even import (below)
        assert q.mistake == "library_used", f"{name}: {q.feedback}"
        assert "from scratch" in q.feedback and "worth 2 of the assignment's points" in q.feedback


@pytest.mark.sandbox
def test_a_module_the_notebook_wrote_cannot_be_imported(mini_graded):
    """With a from-scratch exercise the job folder is off the import path: the cell that
    imports the module it wrote raises, and the function it defines never exists."""
    r = mini_graded["hidden_in_a_written_module"]
    assert "`dot` is not defined" in r.questions[0].feedback
    assert any("No module named 'helper_mod'" in str(e) for e in r.cell_errors), r.cell_errors


PCA_HELPER = ("def PCA(X, k):\n    Xc = X - X.mean(axis=0)\n    w, V = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))\n"
              "    order = np.argsort(w)[::-1][:k]\n    return V[:, order], w[order]\n")
SKLEARN_FIT = ("def _fit(X, k):\n    from sklearn.decomposition import PCA\n    p = PCA(k).fit(X)\n"
               "    return p.components_.T, p.explained_variance_\n")
WRITTEN = ("open('skl_helper.py', 'w').write('from sklearn.decomposition import PCA as P\\n'\n"
           "    'def fit(X, k):\\n    p = P(k).fit(X)\\n    return p.components_.T, p.explained_variance_\\n')\n"
           "import skl_helper\n")


@pytest.fixture(scope="module")
def pca_graded(tmp_path_factory):
    """08-pca graded from its source notebook (no build needed): the solutions, then variants."""
    tmp = tmp_path_factory.mktemp("pca")
    course = copy_course(REPO, tmp / "course", generated=False)
    source = json.loads((course / "source" / "08-pca" / "08-pca.ipynb").read_text())

    def answer(nb, grade_id, extra_code):
        nb = json.loads(json.dumps(nb))
        for cell in nb["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                src = "".join(cell["source"])
                cell["source"] = extra_code + src if grade_id != "pca_eig" else extra_code
        return nb

    sub = tmp / "submitted"
    put_submission(sub, "reference", "08-pca", source)
    put_submission(sub, "honest_PCA_helper", "08-pca",
                   answer(source, "pca_eig", PCA_HELPER + "def pca_eig(X, k):\n    return PCA(X, k)\n"))
    # The library reached through a helper that another answer cell defines.
    nb = answer(source, "center", SKLEARN_FIT)
    put_submission(sub, "sklearn_in_center_cell", "08-pca", answer(nb, "pca_eig", "def pca_eig(X, k):\n    return _fit(X, k)\n"))
    put_submission(sub, "sklearn_in_written_module", "08-pca",
                   answer(source, "pca_eig", WRITTEN + "def pca_eig(X, k):\n    return skl_helper.fit(X, k)\n"))
    results = grade_class(Course(course), "08-pca", Options(submitted=sub, progress=False, workers=2,
                                                           limits=Limits(wall_s=300, cpu_s=300, idle_s=120)),
                          log=lambda *a: None)
    return {r.student_id: r for r in results}


@pytest.mark.sandbox
@pytest.mark.parametrize("name,score", [("reference", 15), ("honest_PCA_helper", 15),
                                        ("sklearn_in_center_cell", 12), ("sklearn_in_written_module", 12)])
def test_pca_from_scratch_exact_scores(pca_graded, name, score):
    r = pca_graded[name]
    by_q = {q.question: q for q in r.questions}
    assert (r.score, r.status) == (score, "graded"), f"{name}: {[(q.question, q.score, q.feedback) for q in r.questions]}"
    if score < 15 and name != "sklearn_in_written_module":
        q = by_q["pca_eig_values"]
        assert (q.score, q.mistake) == (0, "library_used"), q.feedback
        assert "worth 3 of the assignment's points" in q.feedback
    if name == "sklearn_in_written_module":  # the module the notebook wrote cannot be imported: pca_eig never exists
        assert (by_q["pca_eig_values"].score, by_q["pca_eig_values"].mistake) == (0, "error")
        assert "`pca_eig` is not defined" in by_q["pca_eig_values"].feedback


def test_a_check_declares_its_own_rule():
    """A check outside RULES passes its rule as `forbidden=scratch.Rule(...)`: the matmul of
    02-matrices is followed through a helper in another cell, and loops pass."""
    from autograder.checks import load_all

    check = load_all()["matrices.matmul"]
    helper = "def _mul(A, B):\n    return A @ B\n"
    cheat = "def matmul(A, B):\n    return _mul(A, B)\n"
    loops = ("def matmul(A, B):\n    n, m = len(A), len(B[0])\n"
             "    return [[sum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(m)] for i in range(n)]\n")
    assert check.scan([helper, cheat], answers=[1]).mistake == "library_used"
    assert check.scan([helper, loops], answers=[1]) is None
    assert check.scan(["import numpy\nmm = getattr(numpy, 'mat' + 'mul')\n", cheat.replace("_mul", "mm")],
                      answers=[1]).mistake == "library_used"

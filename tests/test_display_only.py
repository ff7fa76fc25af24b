"""Which instructor cells the grader leaves out as display-only (autograder.grade.display),
and that leaving them out changes no score."""
from __future__ import annotations

import pytest

from autograder.grade.display import display_plan

IMPORTS = "import numpy as np\nimport matplotlib.pyplot as plt\nrng = np.random.default_rng(0)\n"
ANSWER = "def norm(x):\n    return float(np.sqrt(x @ x))\n"


def units(*sources: str, own=(), later=frozenset()) -> list[int]:
    cells = [{"unit": f"cell:{i}", "source": s} for i, s in enumerate(sources)]
    return [int(u[5:]) for u in display_plan(cells, set(own), frozenset(later))[0]]


PLOT = "xs = np.linspace(0, 1, 50)\nfig, ax = plt.subplots()\nax.plot(xs, [norm(np.array([x, 1.0])) for x in xs])\nplt.show()\n"


def test_a_plot_whose_names_nothing_reads_is_left_out():
    assert units(IMPORTS, ANSWER, PLOT, "fig, ax = plt.subplots()\nax.plot([1, 2])\n") == [2, 3]


@pytest.mark.parametrize("after, why", [
    ("print(xs.sum())", "a later cell reads a name it binds"),
    ("def f():\n    return xs\n", "a later function reads it when called"),
    ("y = xs + 1 if True else 0", "read in an expression"),
    ("for x in xs:\n    pass", "read as a loop's source"),
    ("g = globals()", "names reached indirectly"),
    ("v = eval('xs')", "eval"),
])
def test_a_plot_whose_names_are_read_later_runs(after, why):
    assert 2 not in units(IMPORTS, ANSWER, PLOT, after), why


def test_a_name_bound_again_before_it_is_read_does_not_keep_the_plot():
    assert 2 in units(IMPORTS, ANSWER, PLOT, "xs = [1, 2]\nprint(xs)")
    assert 2 not in units(IMPORTS, ANSWER, PLOT, "if True:\n    xs = [1, 2]\nprint(xs)")  # maybe not bound


@pytest.mark.parametrize("cell, why", [
    ("fig, ax = plt.subplots()\nax.hist(rng.normal(size=10))\n", "it draws from a generator the notebook shares"),
    ("fig, ax = plt.subplots()\nax.plot(np.random.normal(size=10))\n", "numpy's global generator"),
    ("np.set_printoptions(precision=2)\nplt.plot([1])\n", "a module setting"),
    ("plt.style.use('ggplot')\nplt.plot([1])\n", "pyplot's style, for every later plot"),
    ("fig, ax = plt.subplots()\nfig.savefig('out.png')\n", "it writes a file"),
    ("data = np.zeros(3)\nplt.plot(data)\nTABLE[0] = 1\n", "it stores into an object it did not make"),
    ("def helper():\n    return 1\nplt.plot([helper()])\n", "it defines a function"),
    ("global G\nG = 1\nplt.plot([1])\n", "global"),
    ("del rng\nplt.plot([1])\n", "del"),
    ("fig, ax = plt.subplots()\nax.plot([1])\nopen('x.txt', 'w').write('1')\n", "open"),
    ("x = [1, 2, 3]\nprint(x)\n", "it draws nothing"),
    ("fig, ax = plt.subplots(\n", "it does not parse"),
])
def test_a_cell_that_changes_shared_state_runs(cell, why):
    assert units(IMPORTS, ANSWER, cell, "print(rng.normal(), TABLE if 'TABLE' in dir() else 0)") == [], why


def test_the_students_own_cells_and_edited_cells_always_run():
    assert units(IMPORTS, ANSWER, PLOT, own={2}) == []


def test_a_check_target_or_public_test_reading_its_names_keeps_it():
    assert units(IMPORTS, ANSWER, PLOT, later={"xs"}) == []


def test_a_plot_read_only_by_a_left_out_plot_is_left_out_too():
    second = "fig2, ax2 = plt.subplots()\nax2.plot(xs)\n"
    assert units(IMPORTS, ANSWER, PLOT, second) == [2, 3]
    # xs read later: the first plot (which binds it) runs; the second only hands it to pyplot
    assert units(IMPORTS, ANSWER, PLOT, second, "print(xs)") == [3]


def heads(*sources: str, later=frozenset()) -> dict[int, str]:
    """{cell: the source that still runs} for cells whose drawing tail is left out."""
    cells = [{"unit": f"cell:{i}", "source": s} for i, s in enumerate(sources)]
    return {int(u[5:]): h for u, h in display_plan(cells, set(), frozenset(later))[1].items()}


COMPUTE_THEN_DRAW = ("ys = np.cumsum(np.ones(5))\ntotal = float(ys.sum())\n"
                     "fig, (a1, a2) = plt.subplots(1, 2)\nfor ax, data in zip((a1, a2), (ys, ys[::-1])):\n"
                     "    im = ax.plot(data, label=f'{total:.1f}')\n    ax.set_title(str(len(data)))\n"
                     "a1.legend()\nplt.tight_layout()\nplt.show()\n")
HEAD = "ys = np.cumsum(np.ones(5))\ntotal = float(ys.sum())\n"


def test_a_cell_that_computes_then_draws_runs_up_to_its_drawing():
    assert heads(IMPORTS, ANSWER, COMPUTE_THEN_DRAW, "print(ys, total)") == {2: HEAD}
    # what the drawing reads from outside (ys, total) may be read later: nothing it calls can change it


def test_a_name_the_drawing_binds_and_a_later_cell_reads_keeps_that_part():
    figure = "fig, (a1, a2) = plt.subplots(1, 2)\n"
    loop = ("for ax, data in zip((a1, a2), (ys, ys[::-1])):\n    im = ax.plot(data, label=f'{total:.1f}')\n"
            "    ax.set_title(str(len(data)))\n")
    assert heads(IMPORTS, ANSWER, COMPUTE_THEN_DRAW, "print(fig, ys, total)") == {2: HEAD + figure}
    assert heads(IMPORTS, ANSWER, COMPUTE_THEN_DRAW, "print(ax, ys, total)") == {2: HEAD + figure + loop}
    # a pure computation whose result nothing reads goes with the drawing
    assert heads(IMPORTS, ANSWER, COMPUTE_THEN_DRAW, "print(ys)") == {2: "ys = np.cumsum(np.ones(5))\n"}


@pytest.mark.parametrize("tail, why", [
    ("ax.plot([norm(np.array([y, 1.0])) for y in ys])\n", "it calls a function of the notebook"),
    ("ax.hist(rng.normal(size=10))\n", "it draws from a shared generator"),
    ("ys.sort()\nax.plot(ys)\n", "a method that changes what it is called on"),
    ("ax.plot(np.cumsum(ys, out=ys))\n", "a numpy function writing into its argument"),
    ("ax.plot(np.random.normal(size=3))\n", "numpy's global generator"),
    ("ys[0] = 1.0\nax.plot(ys)\n", "it stores into an object it did not make"),
    ("plt.style.use('ggplot')\nax.plot(ys)\n", "a pyplot setting for every later plot"),
    ("fig.savefig('out.png')\n", "it writes a file"),
    ("f = lambda: ys\nax.plot(ys)\n", "a lambda"),
    ("import math\nax.plot([math.pi])\n", "an import"),
    ("plt.rcParams['lines.linewidth'] = 3\nax.plot(ys)\n", "a pyplot setting stored"),
    ("line, = ax.plot(ys)\nmine = line.get_ydata()\nmine.sort()\n", "data handed back by a getter"),
])
def test_a_drawing_that_could_change_something_runs(tail, why):
    cell = HEAD + "fig, ax = plt.subplots()\n" + tail + "plt.show()\n"
    later = "print(ys, total, rng.normal())"
    runs = heads(IMPORTS, ANSWER, cell, later).get(2, cell)
    assert tail.splitlines()[0] in runs and runs.startswith(HEAD), why
    assert heads(IMPORTS, ANSWER, HEAD + "fig, ax = plt.subplots()\nax.plot(ys)\nplt.show()\n", later) == {2: HEAD}
    assert units(IMPORTS, ANSWER, cell, later) == [], why


def test_a_builtin_or_numpy_the_notebook_rebinds_is_not_trusted():
    assert heads(IMPORTS, ANSWER, COMPUTE_THEN_DRAW, "print(ys, total)") == {2: HEAD}
    after_zip = {2: HEAD + "fig, (a1, a2) = plt.subplots(1, 2)\n"
                    "for ax, data in zip((a1, a2), (ys, ys[::-1])):\n    im = ax.plot(data, label=f'{total:.1f}')\n"
                    "    ax.set_title(str(len(data)))\n"}
    assert heads(IMPORTS, "def zip(*a):\n    return []\n", COMPUTE_THEN_DRAW, "print(ys, total)") == after_zip
    uses_np = "ys = np.ones(3)\nfig, ax = plt.subplots()\nax.plot(np.arange(3))\n"
    assert heads(IMPORTS, ANSWER, uses_np, "print(ys)") == {2: "ys = np.ones(3)\n"}
    assert heads(IMPORTS.replace("import numpy as np", "import numpy as np\nimport mylib as np"),
                 ANSWER, uses_np, "print(ys)") == {}


@pytest.mark.sandbox
def test_a_left_out_plot_changes_no_score_and_runs_when_a_student_cell_reads_it(tmp_path):
    """01-vectors' histogram of random cosines only draws. With a cosine_similarity that
    raises for d = 1000 (only that plot asks for it), the plot is left out and no error is
    said; a student cell reading the plot's ``pairs`` makes it run, and its error is said.
    The score is the same either way."""
    import json

    from autograder.grade.batch import Options, grade_class
    from autograder.paths import Course
    from tests.helpers import REPO, copy_course, put_submission, with_answer

    course = Course(copy_course(REPO, tmp_path / "course"))
    solution = json.loads(course.solution_notebook("01-vectors").read_text())
    answer = next(c["source"] for c in solution["cells"]
                  if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "cosine_similarity")
    answer = "".join(answer).replace("def cosine_similarity(", "def _cosine(") + (
        "\n\ndef cosine_similarity(a, b):\n    if np.shape(a)[-1] == 1000:\n"
        "        raise ValueError('d = 1000 is not handled')\n    return _cosine(a, b)\n")
    plain = with_answer(solution, "cosine_similarity", answer)
    reader = json.loads(json.dumps(plain))
    reader["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                            "source": "print(pairs.shape)"})
    sub = tmp_path / "submitted"
    put_submission(sub, "plain", "01-vectors", plain)
    put_submission(sub, "reader", "01-vectors", reader)
    results = {r.student_id: r for r in grade_class(course, "01-vectors", Options(submitted=sub, progress=False),
                                                    log=lambda *a: None)}
    said = {k: [e["error"] for e in r.cell_errors] for k, r in results.items()}
    assert results["plain"].score == results["reader"].score == results["plain"].max_score, said
    assert not any("d = 1000" in e for e in said["plain"]), said
    assert any("ValueError: d = 1000 is not handled" in e for e in said["reader"]), said

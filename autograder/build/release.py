"""How one assignment's generated trees are made from ``source/`` (``make release`` runs
these through ``autograder/build/schedule.py``). For each assignment:

* ``release/<id>/``: nbgrader ``generate_assignment`` (no solutions, no hidden tests);
* ``solutions/<id>/``: nbgrader ``generate_solution``, executed, hidden tests removed;
* ``release-otter/<id>/``: otter's student notebook, and ``build/otter/<id>/dist/``: its
  autograder zip, both made by ``otter assign`` from a master derived from the source.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.build import notebook
from autograder.build.otter import otter_master
from autograder import course_settings
from autograder.paths import Course

# What the Gradescope image needs to run the checks (otter installs these there).
GRADING_REQUIREMENTS = course_settings.grading_requirements()  # the lock file's pins of the course's packages


def nbgrader(course: Course, *args: str) -> None:
    run([sys.executable, "-m", "nbgrader", *args, "--force", "--log-level=WARN"], cwd=course.root)


def tool_env() -> dict:
    """The environment for nbgrader and otter: this interpreter's bin first on PATH
    (nbgrader calls ``alembic`` by name)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # Solutions must rebuild byte for byte: fixed hash order, one BLAS thread, no display.
    env.update({"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1",
                "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    return env


def run(argv: list[str], cwd: Path) -> None:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=tool_env())
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed in {cwd}:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")


def build_release(course: Course, assignment: str) -> Path:
    nbgrader(course, "generate_assignment", assignment)
    path = course.release_notebook(assignment)
    notebook.write(notebook.normalise(notebook.read(path)), path)
    return path


def build_solution(course: Course, assignment: str) -> Path:
    nbgrader(course, "generate_solution", assignment)
    path = course.solution_notebook(assignment)
    notebook.write(notebook.normalise(notebook.read(path), keep_outputs=True), path)
    return path


def build_otter(course: Course, assignment: str) -> Path:
    """Write the otter master, run ``otter assign``, keep the student notebook."""
    from autograder.grade.plan import KEEP_POINTS, dependent_setting

    if dependent_setting(notebook.read(course.source_notebook(assignment))) == KEEP_POINTS:
        raise ValueError(f"{assignment}: its dependent questions keep their points, and otter grades in the "
                         "student's kernel, where no question can be re-checked with a reference function; grade "
                         "it with the platform, nbgrader autograde or Gradescope, or set "
                         "autograder.dependent_questions to \"lose_points\"")
    work = course.build / "otter" / assignment
    shutil.rmtree(work, ignore_errors=True)
    master_dir = work / "master"
    master_dir.mkdir(parents=True)
    data = course.data_files(assignment)
    for f in data:
        shutil.copy(f, master_dir / f.name)
    (master_dir / "requirements.txt").write_text("\n".join(GRADING_REQUIREMENTS) + "\n")
    shutil.copytree(course.package, master_dir / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    master = otter_master(notebook.read(course.source_notebook(assignment)), assignment,
                          "requirements.txt", [f.name for f in data])
    notebook.write(master, master_dir / f"{assignment}.ipynb")
    argv = [sys.executable, "-m", "otter", "assign", "--no-pdfs", f"master/{assignment}.ipynb", "dist"]
    try:
        run(argv, cwd=work)
    except RuntimeError as exc:
        # otter gives the kernel that runs the notebook's tests 60 s to start; on a machine
        # busy with other work it can miss that once.
        if "Kernel didn't respond" not in str(exc):
            raise
        shutil.rmtree(work / "dist", ignore_errors=True)
        run(argv, cwd=work)

    out_dir = course.otter_release / assignment
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    student = notebook.read(work / "dist" / "student" / f"{assignment}.ipynb")
    notebook.write(notebook.normalise(student), out_dir / f"{assignment}.ipynb")
    for f in data:
        shutil.copy(f, out_dir / f.name)
    return out_dir / f"{assignment}.ipynb"


def otter_zip(course: Course, assignment: str) -> Path:
    zips = sorted((course.build / "otter" / assignment / "dist" / "autograder").glob("*.zip"))
    if not zips:
        raise FileNotFoundError(f"no otter autograder zip for {assignment}: run `make release` first")
    return zips[-1]

"""Gradescope: the autograder zip, and the conversion of a result.json to results.json.

Spec followed: Gradescope "Autograder Specifications"
(gradescope-autograders.readthedocs.io/en/latest/specs/): the zip holds ``setup.sh`` and
``run_autograder`` at its root and is unpacked to ``/autograder/source``; the submission
is in ``/autograder/submission``; ``run_autograder`` must write
``/autograder/results/results.json``::

    {"score": 7.0, "execution_time": 12, "output": "...", "stdout_visibility": "hidden",
     "tests": [{"score": 2.0, "max_score": 3.0, "status": "failed", "name": "dot_values",
                "number": "1", "output": "...", "visibility": "after_published"}]}

``visibility`` is one of hidden, after_due_date, after_published, visible; the top-level
``score`` overrides the sum of the tests; stdout is shown to instructors only (here:
``stdout_visibility: hidden``), so only ``output`` fields reach students, and those carry
the student-facing diagnosis only (``student_safe``).

Inside the container ``run_autograder`` calls this module::

    python -m autograder.export.gradescope stage   --config gradescope_config.json --submission DIR --into DIR
    python -m autograder.export.gradescope results --config gradescope_config.json --result FILE --out FILE
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import zipfile
from pathlib import Path

from autograder.export.safe import student_safe
from autograder.grade.results import SubmissionResult

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
STUDENT = "gradescope"  # the student id the submission is graded under inside the container
REPO = Path(__file__).resolve().parents[2]

_STATUS_OUTPUT = {
    "error": "Your notebook stopped with an error before every check could run.",
    "timeout": "Your notebook took too long to run and was stopped.",
    "invalid": "Your submission could not be read as the expected notebook.",
}


def to_gradescope(result: SubmissionResult, hidden_visibility: str = "after_published") -> dict:
    """results.json for one graded submission. Every graded cell's points come from a hidden
    check (docs/authoring.md), so each test gets ``hidden_visibility``; cells graded by hand
    are left to the instructor and named in the top-level output."""
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {VISIBILITIES}, not {hidden_visibility!r}")
    tests = []
    manual = []
    for q in result.questions:
        if q.manual:
            manual.append(q.question)
            continue
        passed = q.score >= q.max_score
        output = student_safe(q.feedback) if not passed else ""
        if not passed and not output and q.status in _STATUS_OUTPUT:
            output = _STATUS_OUTPUT[q.status]
        tests.append({
            "score": float(q.score),
            "max_score": float(q.max_score),
            "status": "passed" if passed else "failed",
            "name": q.question,
            "number": str(len(tests) + 1),
            "output": output,
            "visibility": hidden_visibility,
        })
    lines = []
    if result.status != "graded":
        lines.append(_STATUS_OUTPUT.get(result.status, "Your submission could not be graded completely."))
        reason = student_safe(result.reason)
        if reason:
            lines.append(reason)
    if manual:
        lines.append("Graded by hand later, not included in this score: " + ", ".join(manual) + ".")
    return {
        "score": float(sum(t["score"] for t in tests)),
        "execution_time": int(round(result.duration_s)),
        "output": "\n".join(lines),
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def not_graded(message: str) -> dict:
    """results.json when no result.json was produced at all (the grader itself failed)."""
    return {"score": 0.0, "execution_time": 0, "stdout_visibility": "hidden", "tests": [],
            "output": message or "The autograder could not grade this submission; your instructor has been told."}


# -- inside the Gradescope container --------------------------------------------------

def stage(config: dict, submission: Path, into: Path) -> Path:
    """Copy the submitted notebooks into ``<into>/<STUDENT>/<assignment>/`` (nbgrader's
    submitted layout). A single submitted notebook of any name is taken as the expected one."""
    assignment = config["assignment"]
    notebooks = config.get("notebooks", [])
    dest = Path(into) / STUDENT / assignment
    dest.mkdir(parents=True, exist_ok=True)
    found = sorted(p for p in Path(submission).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if len(found) == 1 and len(notebooks) == 1:
        shutil.copy2(found[0], dest / f"{notebooks[0]}.ipynb")
    else:
        for p in found:
            shutil.copy2(p, dest / p.name)
    return dest


def convert(config: dict, result_path: Path, out: Path, elapsed: float | None = None) -> dict:
    if result_path.exists():
        try:
            result = SubmissionResult.from_dict(json.loads(result_path.read_text()))
            data = to_gradescope(result, config.get("hidden_visibility", "after_published"))
        except (ValueError, TypeError, KeyError) as e:
            print(f"gradescope: unreadable {result_path}: {e}", file=sys.stderr)
            data = not_graded("")
    else:
        print(f"gradescope: no {result_path}: the grader failed before writing a result", file=sys.stderr)
        data = not_graded("")
    if elapsed is not None:  # the whole run, not just the notebook: what Gradescope shows
        data["execution_time"] = max(int(data["execution_time"]), int(round(elapsed)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1))
    return data


# -- building the zip -----------------------------------------------------------------

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this once per submission, in /autograder (Gradescope "Autograder
# Specifications"): grade /autograder/submission/*.ipynb with this platform's hidden checks
# and write /autograder/results/results.json. Generated by `python -m autograder export
# {assignment} --format gradescope`; do not edit by hand.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SRC="$ROOT/source"
PY="${{PYTHON:-$ROOT/venv/bin/python}}"
[ -x "$PY" ] || PY=python3
ASSIGNMENT={assignment_q}
COURSE="$SRC/course"
WORK="$(mktemp -d)"
export PYTHONPATH="$SRC${{PYTHONPATH:+:$PYTHONPATH}}"
export PATH="$(dirname "$PY"):$PATH"  # nbgrader runs `alembic` from the venv
START=$(date +%s)
cd "$SRC"

"$PY" -m autograder.export.gradescope stage --config "$SRC/gradescope_config.json" \\
    --submission "$ROOT/submission" --into "$WORK/submitted"

# Each Gradescope run is its own container; add bubblewrap inside it when it works there.
SANDBOX=--no-sandbox
if command -v bwrap >/dev/null 2>&1 && bwrap --ro-bind / / --dev /dev --proc /proc true >/dev/null 2>&1; then
    SANDBOX=
fi
"$PY" -m autograder grade "$ASSIGNMENT" --submitted "$WORK/submitted" --csv "$WORK/grades.csv" \\
    --course "$COURSE" $SANDBOX
echo "grader exit status: $?"

"$PY" -m autograder.export.gradescope results --config "$SRC/gradescope_config.json" \\
    --result "$COURSE/grades/$ASSIGNMENT/{student}/result.json" --out "$ROOT/results/results.json" \\
    --elapsed $(( $(date +%s) - START ))
"""

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# The platform needs Python 3.11 and the pinned environment of requirements.lock.
set -euxo pipefail
apt-get update
apt-get install -y --no-install-recommends python3.11 python3.11-venv python3.11-dev bubblewrap
python3.11 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install -r /autograder/source/requirements.txt
# Gradescope side only: the CPU build of the pinned torch, from PyTorch's own index.
/autograder/venv/bin/pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
"""


def _requirements() -> str:
    lock = REPO / "requirements.lock"
    lines = lock.read_text().splitlines() if lock.exists() else []
    # torch is installed by setup.sh from the CPU index; playwright is for our tests only.
    keep = [ln for ln in lines if ln.strip() and not ln.lower().startswith(("torch==", "playwright=="))]
    return "\n".join(keep) + "\n"


def _copy_structure(course: Path, assignment: str, db_path: Path) -> list[str] | None:
    """A gradebook holding only the assignment's structure (cells, points, checksums),
    never any student or grade: the zip is uploaded to a third party. None when the
    course's gradebook does not know the assignment (the grader then records it from the
    source notebook inside the container, into an empty gradebook)."""
    from nbgrader.api import Gradebook, MissingEntry

    from autograder.export.course import create_gradebook, default_db_url

    if not (course / "gradebook.db").exists():
        return None
    with Gradebook(default_db_url(course)) as probe:
        try:
            probe.find_assignment(assignment)
        except MissingEntry:
            return None
    notebooks = []
    with Gradebook(default_db_url(course)) as src, create_gradebook(db_path) as dst:
        a = src.find_assignment(assignment)
        dst.add_assignment(assignment, duedate=a.duedate)
        for nb in a.notebooks:
            notebooks.append(nb.name)
            dst.add_notebook(nb.name, assignment)
            for c in nb.grade_cells:
                dst.add_grade_cell(c.name, nb.name, assignment, max_score=c.max_score, cell_type=c.cell_type)
            for c in nb.solution_cells:
                dst.add_solution_cell(c.name, nb.name, assignment)
            for c in nb.task_cells:
                dst.add_task_cell(c.name, nb.name, assignment, max_score=c.max_score, cell_type=c.cell_type)
            for c in nb.source_cells:
                dst.add_source_cell(c.name, nb.name, assignment, cell_type=c.cell_type, locked=c.locked,
                                    source=c.source, checksum=c.checksum)
    return notebooks


def build_zip(course: Path, assignment: str, out: Path, hidden_visibility: str = "after_published") -> Path:
    """``out``: setup.sh, run_autograder, requirements.txt, gradescope_config.json, the
    ``autograder`` package, and ``course/`` (nbgrader_config.py, source/<assignment>/, and a
    student-free gradebook.db)."""
    import shlex
    import tempfile

    course = Path(course)
    src_dir = course / "source" / assignment
    if not src_dir.is_dir():
        raise SystemExit(f"no {src_dir}: the Gradescope autograder needs the source notebook")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "gradebook.db"
        notebooks = _copy_structure(course, assignment, db)
        if notebooks is None:
            from autograder.export.course import create_gradebook

            # An empty gradebook: the grader adds the assignment from source, and nbgrader
            # need not run `alembic` on every Gradescope submission to create one.
            create_gradebook(db).close()
            notebooks = sorted(p.stem for p in src_dir.glob("*.ipynb"))
        config = {"assignment": assignment, "notebooks": notebooks, "hidden_visibility": hidden_visibility}
        files: dict[str, bytes | Path] = {
            "setup.sh": SETUP_SH.encode(),
            "run_autograder": RUN_AUTOGRADER.format(assignment=assignment, assignment_q=shlex.quote(assignment),
                                                    student=STUDENT).encode(),
            "requirements.txt": _requirements().encode(),
            "gradescope_config.json": json.dumps(config, indent=1).encode(),
        }
        files["course/gradebook.db"] = db.read_bytes()
        if (course / "nbgrader_config.py").exists():
            files["course/nbgrader_config.py"] = course / "nbgrader_config.py"
        for p in sorted(src_dir.rglob("*")):
            if p.is_file() and ".ipynb_checkpoints" not in p.parts:
                files[f"course/source/{assignment}/{p.relative_to(src_dir).as_posix()}"] = p.resolve()
        package = REPO / "autograder"
        for p in sorted(package.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                files[f"autograder/{p.relative_to(package).as_posix()}"] = p
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp_zip = out.with_name(out.name + ".tmp")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in files.items():
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                executable = name in ("setup.sh", "run_autograder")
                info.external_attr = ((0o755 if executable else 0o644) | 0o100000) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data if isinstance(data, bytes) else Path(data).read_bytes())
        tmp_zip.replace(out)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.export.gradescope")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("stage", help="copy the submission into nbgrader's submitted layout")
    s.add_argument("--config", required=True)
    s.add_argument("--submission", required=True)
    s.add_argument("--into", required=True)
    r = sub.add_parser("results", help="convert result.json to Gradescope's results.json")
    r.add_argument("--config", required=True)
    r.add_argument("--result", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--elapsed", type=float, default=None, help="seconds the whole run took")
    args = parser.parse_args(argv)
    config = json.loads(Path(args.config).read_text())
    if args.command == "stage":
        dest = stage(config, Path(args.submission), Path(args.into))
        print(f"staged: {sorted(p.name for p in dest.iterdir())}")
    else:
        t = time.time()
        data = convert(config, Path(args.result), Path(args.out), args.elapsed)
        print(f"results.json: score {data['score']}, {len(data['tests'])} test(s) ({time.time() - t:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Inside Gradescope's container: grade ``/autograder/submission`` and write
``/autograder/results/results.json`` (called by ``run_autograder``)."""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

from autograder.gradescope import isolation
from autograder.gradescope import plan as plan_files
from autograder.gradescope.results import not_graded, not_graded_safely, to_gradescope

STUDENT = "gradescope"  # the student id the submission is graded under


def pick_notebook(folder: Path, expected: str):
    """The Submission to grade: the notebook named ``expected``, else the only notebook,
    else none, with a message naming the expected file and the files found."""
    from autograder.grade.submission import Submission

    files = sorted(p for p in folder.rglob("*") if ".ipynb_checkpoints" not in p.parts
                   and not p.name.startswith(".") and (p.is_file() or p.is_symlink()))
    names = [str(p.relative_to(folder)) for p in files]
    notebooks = [p for p in files if p.suffix == ".ipynb" and not p.is_symlink() and p.is_file()]
    exact = [p for p in notebooks if p.name == expected]
    if exact:
        return Submission(STUDENT, exact[0])
    if len(notebooks) == 1:
        return Submission(STUDENT, notebooks[0],
                          note=f"your notebook was named {notebooks[0].name}; it was graded as {expected}")
    listing = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    if not notebooks:
        return Submission(STUDENT, None, problem=f"no notebook was found in your submission: expected a file "
                                                 f"named {expected}; found {listing or 'no files at all'}")
    return Submission(STUDENT, None, problem=f"your submission has {len(notebooks)} notebooks and none is named "
                                             f"{expected} ({listing}); submit only {expected}")


def run(root: Path, prefer: tuple[str, ...] = ("bubblewrap", "separate user")) -> int:
    started = time.monotonic()
    src = root / "source"
    out = root / "results" / "results.json"
    config = json.loads((src / "gradescope_config.json").read_text())
    assignment = config["assignment"]
    code = 0
    try:
        isolation.harden(root)
        plan = plan_files.load(src / "plan", assignment)
        sub = pick_notebook(root / "submission", plan.notebook)
        if sub.path is None:  # nothing to run: no isolation needed to say so
            data = to_gradescope(_unanswered(plan, sub), config["visibility"])
        else:
            sandbox, mode, reasons = isolation.choose(src / "plan" / f"{assignment}.json", prefer)
            for r in reasons:
                print(f"isolation: not available: {r}")
            if sandbox is None:
                print("isolation: NONE holds here; the submission is NOT graded (no score).")
                data, code = not_graded_safely("; ".join(reasons)), 1
            else:
                print(f"isolation: {mode}")
                data = to_gradescope(_grade(src, plan, sub, sandbox, config), config["visibility"])
    except Exception:  # noqa: BLE001 - whatever fails, the student gets a result that says so
        traceback.print_exc()
        data, code = not_graded(), 1
    if "score" in data:
        data["execution_time"] = max(int(data["execution_time"]), int(round(time.monotonic() - started)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1))
    print(f"results.json: score {data.get('score', 'none')}, {len(data['tests'])} test(s)")
    return code


def _unanswered(plan, sub):
    from autograder.grade.engine import unanswered

    print(f"not graded: {sub.problem}")
    return unanswered(plan, sub, "invalid", sub.problem)


def _grade(src: Path, plan, sub, sandbox, config: dict):
    from autograder.grade.engine import grade_submission
    from autograder.paths import Course
    from autograder.sandbox import Limits

    limits = Limits(wall_s=config.get("timeout", 600.0), cpu_s=config.get("timeout", 600.0),
                    idle_s=config.get("cell_timeout", 120.0), memory_mb=config.get("memory_mb", 4096))
    course = Course(src / "course")
    (course.source / plan.assignment).mkdir(parents=True, exist_ok=True)  # data files, if any
    result = grade_submission(course, plan, sub, sandbox, limits)
    print(f"graded: {result.status}, {result.score:g} / {result.max_score:g}")
    return result


def main(argv=None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m autograder.gradescope run")
    p.add_argument("--root", default="/autograder")
    args = p.parse_args(argv)
    return run(Path(args.root))


if __name__ == "__main__":
    sys.exit(main())

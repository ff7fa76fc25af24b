"""``make bench-regrade``: what grading costs beyond running the student's code.

    python -m benchmarks.regrade [--runs 5] [--n 24] [--workers 2] [--profile DIR]

One run copies 01-vectors (source notebook and data) into a temporary course and measures,
with the default sandbox:

  regrade   ``python -m autograder grade 01-vectors --student alice --csv grades.csv`` as a TA
            types it, each time a fresh process, on a course whose gradebook exists (one run
            before sets it up): wall time from start to exit (the CSV written), min and
            median of ``--runs``. Target: at most 2 s.
  per nb    CPU time (user + sys, every thread) of the grading process, per submission: a
            class of ``--n`` copies of the reference answer and one of n/6, each graded in a
            fresh process; (cpu(n) - cpu(n/6)) / (n - n/6), so start-up costs cancel. The
            student's code runs in the sandbox, another process, and is not counted; the
            helper process that saves a class of 40 or more is counted (it has ended, and
            been reaped, when the CPU is read; the sandboxes have not).
            Target: at most 0.1 s.

``--profile DIR`` also writes cProfile files of one regrade: the main thread
(``main.prof``) and the grading threads (``tasks.prof``); read them with ``python -m pstats``.
Prints a table and writes build/bench/regrade.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
A = "01-vectors"
OUT = REPO / "build" / "bench" / "regrade.json"
TARGET_REGRADE_S = 2.0
TARGET_CPU_S = 0.1


def make_course(root: Path, students: list[str]) -> Path:
    course = root / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(REPO / "source" / A, course / "source" / A, ignore=shutil.ignore_patterns("__pycache__"))
    answer = REPO / "solutions" / A / f"{A}.ipynb"
    for student in students:
        folder = course / "submitted" / student / A
        folder.mkdir(parents=True)
        shutil.copy(answer, folder / f"{A}.ipynb")
    return course


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _grade_argv(course: Path, csv: Path) -> list[str]:
    return [sys.executable, "-m", "autograder", "grade", A, "--course", str(course), "--submitted",
            str(course / "submitted"), "--student", "alice", "--csv", str(csv)]


def regrade(runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-regrade-") as tmp:
        course = make_course(Path(tmp), ["alice", "bob"])
        csv = Path(tmp) / "grades.csv"
        subprocess.run(_grade_argv(course, csv), env=_env(), check=True, capture_output=True)  # the gradebook
        walls, cpus = [], []
        for _ in range(runs):
            csv.unlink()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            proc = subprocess.run(_grade_argv(course, csv), env=_env(), capture_output=True, text=True)
            walls.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if proc.returncode != 0 or not csv.exists() or "\nalice," not in csv.read_text():
                raise SystemExit(f"the regrade failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return {"wall_s": walls, "cpu_s": cpus, "min_s": min(walls), "median_s": statistics.median(walls)}


def _class_phase(course: Path, workers: int) -> None:
    """In a fresh process: grade every submission of ``course``; print the CPU it took."""
    from autograder.grade.batch import Options, grade_class
    from autograder.paths import Course

    started = time.perf_counter()
    results = grade_class(Course(course), A, Options(submitted=course / "submitted", workers=workers, force=True,
                                                     progress=False), log=lambda *a: None)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    saving = resource.getrusage(resource.RUSAGE_CHILDREN)  # the saving helper, if any (zygotes still run)
    scores = sorted({r.score for r in results})
    print(json.dumps({"cpu_s": usage.ru_utime + usage.ru_stime + saving.ru_utime + saving.ru_stime, "wall_s": wall,
                      "n": len(results), "scores": scores}))


def class_cpu(n: int, workers: int) -> dict:
    out = {}
    for size in (max(1, n // 6), n):
        with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
            course = make_course(Path(tmp), ["alice"] + [f"s{i:03d}" for i in range(size - 1)])
            proc = subprocess.run([sys.executable, "-m", "benchmarks.regrade", "--phase-class", str(course),
                                   "--workers", str(workers)], env=_env(), capture_output=True, text=True,
                                  cwd=REPO)
            if proc.returncode != 0:
                raise SystemExit(f"grading a class of {size} failed:\n{proc.stderr[-3000:]}")
            doc = json.loads(proc.stdout.strip().splitlines()[-1])
            if doc["n"] != size or doc["scores"] != [14.0]:
                raise SystemExit(f"a class of {size} was not graded in full: {doc}")
            out[size] = doc
    small, big = sorted(out)
    per = (out[big]["cpu_s"] - out[small]["cpu_s"]) / (big - small)
    return {"classes": {str(k): v for k, v in out.items()}, "cpu_per_submission_s": per,
            "wall_per_submission_s": (out[big]["wall_s"] - out[small]["wall_s"]) / (big - small)}


def profile(folder: Path) -> None:
    """One regrade under cProfile in a fresh process: main thread and grading threads."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        course = make_course(Path(tmp), ["alice"])
        csv = Path(tmp) / "grades.csv"
        subprocess.run(_grade_argv(course, csv), env=_env(), check=True, capture_output=True)
        argv = [sys.executable, "-m", "benchmarks.regrade", "--phase-profile", str(folder), "--",
                *_grade_argv(course, csv)[3:]]
        subprocess.run(argv, env=_env(), check=True, cwd=REPO)


def _profile_phase(folder: Path, argv: list[str]) -> None:
    import cProfile
    import pstats

    main = cProfile.Profile()
    main.enable()
    import autograder.__main__ as cli
    import autograder.grade.batch as batch

    tasks = []
    grade_one = batch._grade_one

    def profiled(*args, **kwargs):
        prof = cProfile.Profile()
        prof.enable()
        try:
            return grade_one(*args, **kwargs)
        finally:
            prof.disable()
            tasks.append(prof)

    batch._grade_one = profiled
    cli.main(argv)
    main.disable()
    main.dump_stats(folder / "main.prof")
    if tasks:
        stats = pstats.Stats(tasks[0])
        for prof in tasks[1:]:
            stats.add(prof)
        stats.dump_stats(folder / "tasks.prof")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="regrades of one student (default 5)")
    ap.add_argument("--n", type=int, default=24, help="submissions in the larger class (default 24)")
    ap.add_argument("--workers", type=int, default=2, help="grading threads (default 2)")
    ap.add_argument("--profile", type=Path, help="also write cProfile files of one regrade here")
    ap.add_argument("--phase-class", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--phase-profile", type=Path, help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args()
    if args.phase_class:
        return _class_phase(args.phase_class, args.workers)
    if args.phase_profile:
        return _profile_phase(args.phase_profile, [a for a in rest if a != "--"])

    load = os.getloadavg()[0]
    one = regrade(args.runs)
    cls = class_cpu(args.n, args.workers)
    if args.profile:
        profile(args.profile)
    doc = {"regrade": one, "class": cls, "load_average": load, "cores": os.cpu_count(),
           "targets": {"regrade_s": TARGET_REGRADE_S, "cpu_per_submission_s": TARGET_CPU_S}}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1))

    ok1 = one["min_s"] <= TARGET_REGRADE_S
    ok2 = cls["cpu_per_submission_s"] <= TARGET_CPU_S
    print(f"\n{A} on {os.cpu_count()} cores (load average {load:.1f} at the start)")
    print(f"  regrade one student, start to CSV: min {one['min_s']:.2f} s, median {one['median_s']:.2f} s "
          f"over {args.runs} runs (CPU {statistics.median(one['cpu_s']):.2f} s, sandbox included); "
          f"target <= {TARGET_REGRADE_S:g} s: {'met' if ok1 else 'NOT met'} "
          f"({one['min_s'] / TARGET_REGRADE_S:.2f} of it)")
    print(f"  grader CPU per submission beyond the student's code: {cls['cpu_per_submission_s']:.3f} s "
          f"(wall {cls['wall_per_submission_s']:.2f} s per submission, {args.workers} workers); "
          f"target <= {TARGET_CPU_S:g} s: {'met' if ok2 else 'NOT met'} "
          f"({cls['cpu_per_submission_s'] / TARGET_CPU_S:.2f} of it)")
    print(f"written to {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()

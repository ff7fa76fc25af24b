"""``make bench-term``: how long a whole term of grading takes on this machine.

    python -m benchmarks.term [--per-assignment 100] [--assignments 01-vectors 08-pca 17-attention]

One run copies the course into a temporary folder and makes, for each assignment, a class of
synthetic submissions from the committed trees: the reference solution, answers with one
function left unanswered (a typical partial submission), blank notebooks, notebooks whose
kernel crashes, and one that never stops. It grades every class three ways, each in its own
fresh process, with the same sandbox settings as ``grade``:

  local      the default: grading threads in the grader process, one per core
  dask x1    a real Dask scheduler and ONE worker process started by the benchmark
  dask x2    the same scheduler with TWO worker processes

and prints throughput (notebooks/s), peak memory, the time for a term of 300 students x 26
assignments (7,800 notebooks; target 20 minutes on 2 cores) both as a straight extrapolation
of the best rate and as 26 classes of 300 (each class's fixed cost paid once), where the time
goes (seconds per submission by kind and by grading phase), the scale-out
efficiency from one to two Dask workers, and a plot of throughput against workers
(build/bench/term.png). Results: build/bench/term.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "bench" / "term.json"
TERM_NOTEBOOKS = 300 * 26
TARGET_TERM_MIN = 20.0
HANG = "while True:\n    pass\n"
CRASH = "import os\nos._exit(3)\n"


def _grade_ids(nb: dict) -> list[str]:
    return [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def _with(nb: dict, grade_id: str, code: str | None, release: dict) -> dict:
    nb = json.loads(json.dumps(nb))
    blank = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in release["cells"]
             if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell["source"] = blank[grade_id] if code is None else code
    return nb


def make_term(course: Path, assignments: list[str], per: int) -> dict[str, dict[str, str]]:
    """Write submitted/<assignment>/<student>/<assignment>.ipynb; returns the kind of each."""
    kinds: dict[str, dict[str, str]] = {}
    for a in assignments:
        solution = json.loads((course / "solutions" / a / f"{a}.ipynb").read_text())
        release = json.loads((course / "release" / a / f"{a}.ipynb").read_text())
        ids = _grade_ids(solution)
        kinds[a] = {}
        for i in range(per):
            student = f"s{i:04d}"
            if i == per - 1:
                kind, nb = "hang", _with(solution, ids[0], HANG, release)
            elif i % 10 == 9:
                kind, nb = "crash", _with(solution, ids[i % len(ids)], CRASH, release)
            elif i % 10 == 8:
                kind, nb = "blank", release
            elif i % 2 == 1:
                kind, nb = "partial", _with(solution, ids[i % len(ids)], None, release)
            else:
                kind, nb = "reference", solution
            folder = course / "submitted" / a / student / a
            folder.mkdir(parents=True)
            (folder / f"{a}.ipynb").write_text(json.dumps(nb))
            kinds[a][student] = kind
    return kinds


def dask_subset(course: Path, kinds: dict[str, dict[str, str]], per: int) -> Path:
    """The first ``per`` - 1 students of each class and its hang, for the Dask runs."""
    root = course / "submitted-dask"
    for a, students in kinds.items():
        names = sorted(students)
        keep = names[: max(0, per - 1)] + [s for s in names if students[s] == "hang"]
        for s in dict.fromkeys(keep):
            (root / a).mkdir(parents=True, exist_ok=True)
            (root / a / s).symlink_to(course / "submitted" / a / s)
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the Dask scheduler did not listen on port {port}")


class DaskCluster:
    """A scheduler and N single-threaded worker processes on loopback, started and stopped
    here (``dask scheduler`` / ``dask worker``)."""

    def __init__(self, workers: int, cwd: Path):
        self.port = _free_port()
        bindir = Path(sys.executable).parent
        env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
        log = open(cwd / f"dask-{workers}.log", "w")
        self.procs = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                        "--port", str(self.port), "--dashboard-address", ":0"],
                                       cwd=cwd, env=env, stdout=log, stderr=log)]
        _wait_port(self.port)
        for _ in range(workers):
            self.procs.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", self.address, "--nthreads", "1",
                 "--nworkers", "1", "--no-nanny", "--dashboard-address", ":0"],
                cwd=cwd, env=env, stdout=log, stderr=log))
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def close(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def phase(course: Path, assignments: list[str], scheduler: str | None, workers: int, submitted: Path) -> dict:
    """Grade every class once (in this fresh process); wall time, results, peak memory."""
    from autograder.grade.batch import Options, grade_class
    from autograder.paths import Course
    from autograder.sandbox import Limits

    c = Course(course)
    shutil.rmtree(c.grades, ignore_errors=True)
    limits = Limits(wall_s=120, cpu_s=120, idle_s=10)  # the hang costs 10 s, as with --cell-timeout 10
    started = time.perf_counter()
    scores, statuses, seconds, class_wall, timing = {}, {}, {}, {}, {}
    for a in assignments:
        class_started = time.perf_counter()
        results = grade_class(c, a, Options(submitted=submitted / a, workers=workers, force=True,
                                            scheduler=scheduler, limits=limits, progress=True),
                              log=lambda m: print(m, file=sys.stderr))
        class_wall[a] = time.perf_counter() - class_started
        for r in results:
            scores[f"{a}/{r.student_id}"] = r.score
            statuses[f"{a}/{r.student_id}"] = r.status
            seconds[f"{a}/{r.student_id}"] = r.duration_s
            timing[f"{a}/{r.student_id}"] = r.timing
    wall = time.perf_counter() - started
    kib = 1024
    return {"wall_s": wall, "scores": scores, "statuses": statuses, "seconds": seconds, "class_wall_s": class_wall, "timing": timing,
            "self_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib / 2**20,
            "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib / 2**20}


PHASES = ("files", "start", "cells", "checks", "public", "write", "stop", "judge")


def phases_by_kind(timing: dict[str, dict], kinds: dict[str, dict[str, str]]) -> dict[str, dict[str, float]]:
    """Mean seconds of each grading phase, by assignment and kind of submission."""
    groups: dict[str, list[dict]] = {}
    for a, students in kinds.items():
        for student, kind in students.items():
            groups.setdefault(f"{a}/{kind}", []).append(timing.get(f"{a}/{student}") or {})
    return {key: {p: sum(t.get(p, 0.0) for t in rows) / len(rows) for p in PHASES}
            for key, rows in sorted(groups.items())}


def term_model(run: dict, kinds: dict[str, dict[str, str]], workers: int) -> dict:
    """A term as it is graded: 26 classes of 300, each as long as the measured classes were
    on average (scaled to 300 notebooks when a class had another size). Also what each class
    spent outside its submissions (its wall time minus their grading time shared by the
    workers: the plan, the sandboxes' start, the gradebook, a last hang running alone)."""
    fixed, busy, n, walls = [], 0.0, 0, []
    for a, students in kinds.items():
        seconds = [run["seconds"].get(f"{a}/{s}", 0.0) for s in students]
        fixed.append(max(0.0, run["class_wall_s"][a] - sum(seconds) / workers))
        busy += sum(seconds)
        n += len(seconds)
        walls.append(run["class_wall_s"][a] * 300 / len(students))
    minutes = 26 * (sum(walls) / len(walls)) / 60
    return {"fixed_s_per_class": sum(fixed) / len(fixed), "worker_s_per_notebook": busy / n,
            "class_of_300_s": sum(walls) / len(walls), "term_minutes": minutes}


def course_wide(per_assignment: dict, workers: int) -> dict | None:
    """Every assignment, not only the benchmark's: 300 reference submissions of each at the
    grading time per submission that ``make bench-assignments`` measured, shared by the
    workers. A rough figure (references only, no fixed cost per class), printed beside the
    measured one so that a cheap choice of assignments cannot flatter the term."""
    if not per_assignment:
        return None
    per_sub = {a: r["median_s"] for a, r in per_assignment.items()}
    parallel = min(workers, os.cpu_count() or 1)  # its times are one worker's: at best the cores share them
    minutes = 300 * sum(per_sub.values()) / parallel / 60 * 26 / len(per_sub)
    worst = sorted(per_sub.items(), key=lambda kv: -kv[1])[:3]
    return {"assignments": len(per_sub), "term_minutes": minutes, "costliest": worst}


def _in_fresh_process(course: Path, assignments: list[str], scheduler: str | None, workers: int, tmp: Path,
                      name: str, submitted: Path) -> dict:
    result = tmp / f"{name}.json"
    argv = [sys.executable, "-m", "benchmarks.term", "--phase", "--course", str(course), "--result", str(result),
            "--workers", str(workers), "--submitted", str(submitted), "--assignments", *assignments]
    if scheduler:
        argv += ["--scheduler", scheduler]
    proc = subprocess.run(argv, cwd=REPO)
    if proc.returncode != 0 or not result.exists():
        raise SystemExit(f"the {name} phase failed (exit code {proc.returncode})")
    return json.loads(result.read_text())


def plot(rows: list[tuple[str, int, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    dask = [(w, r) for name, w, r in rows if name.startswith("dask")]
    ax.plot([w for w, _ in dask], [r for _, r in dask], "o-", label="Dask worker processes")
    ideal = [dask[0][1] * w for w, _ in dask] if dask else []
    ax.plot([w for w, _ in dask], ideal, "--", color="grey", label="ideal scaling")
    for name, w, r in rows:
        if name == "local":
            ax.plot([w], [r], "s", label=f"grader threads ({w})")
    ax.set_xlabel("workers")
    ax.set_ylabel("notebooks per second")
    ax.set_xticks(sorted({w for _, w, _ in rows}))
    ax.set_title("Grading throughput on this machine")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.term", description=__doc__.split("\n\n")[0])
    p.add_argument("--per-assignment", type=int, default=300, help="submissions per assignment (default 300, a class)")
    p.add_argument("--dask-per-assignment", type=int, default=100,
                   help="of those, how many the two Dask runs grade (default 100)")
    p.add_argument("--assignments", nargs="+", default=["01-vectors", "08-pca", "17-attention"])
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--out", default=str(OUT))
    p.add_argument("--keep", action="store_true", help="keep the temporary course")
    p.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--course", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    p.add_argument("--scheduler", help=argparse.SUPPRESS)
    p.add_argument("--submitted", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.phase:
        doc = phase(Path(args.course), args.assignments, args.scheduler, args.workers, Path(args.submitted))
        Path(args.result).write_text(json.dumps(doc))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="la4ml-term-"))
    try:
        course = tmp / "course"
        ignore = shutil.ignore_patterns(".git", ".venv", "build", "demo", "grades", "gradebook.db", "submitted",
                                        "__pycache__", "tests")
        shutil.copytree(REPO, course, ignore=ignore, symlinks=True)
        kinds = make_term(course, args.assignments, args.per_assignment)
        n = sum(len(k) for k in kinds.values())
        print(f"{n} submissions: {args.per_assignment} for each of {', '.join(args.assignments)}", file=sys.stderr)
        runs = {"local": _in_fresh_process(course, args.assignments, None, args.workers, tmp, "local",
                                           course / "submitted")}
        subset = dask_subset(course, kinds, args.dask_per_assignment)
        for w in (1, 2):
            cluster = DaskCluster(w, tmp)
            try:
                runs[f"dask x{w}"] = _in_fresh_process(course, args.assignments, cluster.address, w, tmp, f"dask{w}",
                                                       subset)
            finally:
                cluster.close()
        rows, summary = [], {"n": n, "assignments": args.assignments, "cpus": os.cpu_count(), "runs": {}}
        for name, run in runs.items():
            workers = args.workers if name == "local" else int(name[-1])
            graded = len(run["scores"])
            rate = graded / run["wall_s"]
            by_status = {}
            for s in run["statuses"].values():
                by_status[s] = by_status.get(s, 0) + 1
            summary["runs"][name] = {"workers": workers, "wall_s": run["wall_s"], "notebooks_per_s": rate,
                                     "term_minutes": TERM_NOTEBOOKS / rate / 60, "graded": graded,
                                     "statuses": by_status, "self_rss_mb": run["self_rss_mb"],
                                     "child_rss_mb": run["child_rss_mb"]}
            rows.append((name, workers, rate))
        r1, r2 = summary["runs"]["dask x1"]["notebooks_per_s"], summary["runs"]["dask x2"]["notebooks_per_s"]
        summary["scale_out_efficiency"] = r2 / (2 * r1)
        best = max(summary["runs"].values(), key=lambda r: r["notebooks_per_s"])
        summary["term_minutes"] = best["term_minutes"]
        summary["target_met"] = best["term_minutes"] <= TARGET_TERM_MIN
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(summary, indent=1))
        plot(rows, out.with_suffix(".png"))
        print(f"\n{'run':<10} {'workers':>7} {'wall s':>8} {'nb/s':>6} {'term min':>9} {'graded':>7}  "
              f"{'peak RSS MB (proc / child)':>27}  statuses")
        for name, r in summary["runs"].items():
            print(f"{name:<10} {r['workers']:>7} {r['wall_s']:>8.1f} {r['notebooks_per_s']:>6.2f} "
                  f"{r['term_minutes']:>9.1f} {r['graded']:>7}  {r['self_rss_mb']:>12.0f} / "
                  f"{r['child_rss_mb']:<12.0f}  {r['statuses']}")
        print("\nwhere the time goes (local run): grading seconds per submission, by assignment and kind")
        local = runs["local"]["seconds"]
        by: dict[tuple[str, str], list[float]] = {}
        for a, students in kinds.items():
            for student, kind in students.items():
                by.setdefault((a, kind), []).append(local.get(f"{a}/{student}", 0.0))
        summary["seconds_by_kind"] = {f"{a}/{k}": {"n": len(v), "mean_s": sum(v) / len(v), "total_s": sum(v)}
                                      for (a, k), v in sorted(by.items())}
        for key, row in summary["seconds_by_kind"].items():
            print(f"  {key:<28} n={row['n']:>3}  mean {row['mean_s']:6.2f} s  total {row['total_s']:7.1f} s")
        summary["phases_by_kind"] = phases_by_kind(runs["local"].get("timing", {}), kinds)
        print("\nthe same by phase (mean seconds): start = the sandbox and harness up to the first cell; "
              "cells = the notebook's own code; stop = exit and the sandbox's checks; files = job files and outcomes")
        print(f"  {'kind':<28} " + " ".join(f"{p:>7}" for p in PHASES))
        for key, row in summary["phases_by_kind"].items():
            print(f"  {key:<28} " + " ".join(f"{row.get(p, 0.0):7.3f}" for p in PHASES))
        out.write_text(json.dumps(summary, indent=1))
        summary["model"] = term_model(runs["local"], kinds, args.workers)
        m = summary["model"]
        print(f"\nper class, outside any submission (start, plan, sandboxes, gradebook, idle tail): "
              f"{m['fixed_s_per_class']:.1f} s; per notebook: {m['worker_s_per_notebook']:.3f} s of a worker")
        print(f"a term as 26 classes of 300, each as long as a measured class of 300: {m['term_minutes']:.1f} min")
        bench_assignments = REPO / "build" / "bench" / "assignments.json"
        wide = course_wide(json.loads(bench_assignments.read_text()) if bench_assignments.exists() else {},
                           args.workers)
        summary["course_wide"] = wide
        if wide:
            print(f"every assignment (make bench-assignments, {wide['assignments']} assignments, references only): "
                  f"about {wide['term_minutes']:.1f} min; costliest per submission: "
                  + ", ".join(f"{a} {t:.2f} s" for a, t in wide["costliest"]))
        print(f"\nscale-out from 1 to 2 Dask workers: {r2 / r1:.2f}x ({summary['scale_out_efficiency']:.0%} efficient)")
        summary["model_target_met"] = m["term_minutes"] <= TARGET_TERM_MIN
        print(f"a term of {TERM_NOTEBOOKS} notebooks (target <= {TARGET_TERM_MIN:g} min): straight extrapolation "
              f"of the best rate {summary['term_minutes']:.1f} min, {'PASS' if summary['target_met'] else 'MISS'}; "
              f"as 26 classes of 300 {m['term_minutes']:.1f} min, {'PASS' if summary['model_target_met'] else 'MISS'}")
        out.write_text(json.dumps(summary, indent=1))
        print(f"written to {out} and {out.with_suffix('.png')}")
    finally:
        if args.keep:
            print(f"course kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

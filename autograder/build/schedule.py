"""``make release``: rebuild only the assignments whose inputs changed since their last
build (``autograder/build/manifest.py`` says which), one per core at a time, with a
progress bar; ``--force`` rebuilds them all."""

from __future__ import annotations

import os
import threading

from autograder.build.release import build_otter, build_release, build_solution
from autograder.paths import Course

_DB_LOCK = threading.Lock()


def build_one(course: Course, assignment: str, otter: bool = True) -> None:
    """Every generated tree of one assignment, then its manifest (with otter only: the
    manifest records the otter zip's summary)."""
    from autograder.build import manifest

    built_from = manifest.inputs(course, assignment)  # before building: a later edit makes it stale
    with _DB_LOCK:  # nbgrader writes the course gradebook: one writer at a time
        build_release(course, assignment)
    build_solution(course, assignment)
    if otter:
        build_otter(course, assignment)
        manifest.record(course, assignment, built_from)


def build(course: Course, assignments: list[str] | None = None, otter: bool = True, force: bool = False,
          jobs: int | None = None, log=print, progress: bool = True) -> list[str]:
    """Rebuild the assignments whose inputs changed (all of them with ``force``), several
    at a time; returns the ids rebuilt."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from tqdm import tqdm

    from autograder.build import manifest

    known = course.assignments()
    unknown = sorted(set(assignments or []) - set(known))
    if unknown:
        raise SystemExit(f"no assignment {', '.join(unknown)} in {course.source} (known: {', '.join(known)})")
    wanted = assignments or known
    todo = []
    for assignment in wanted:
        why = None if force or not otter else manifest.why_stale(course, assignment)
        if force or not otter or why:
            todo.append(assignment)
            log(f"{assignment}: to build" + (f" ({why})" if why else ""))
        else:
            log(f"{assignment}: up to date")
    if not todo:
        return []
    if otter:
        log("note: otter's autograder zip is the UNTRUSTED path (its checks run in the student's own kernel); "
            "for Gradescope use `python -m autograder.gradescope build <assignment>`")
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    failed = {}
    bar = tqdm(total=len(todo), unit="assignment", disable=not progress, desc="build")
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(build_one, course, a, otter): a for a in todo}
        for future in as_completed(futures):
            assignment = futures[future]
            try:
                future.result()
                bar.write(f"{assignment}: built")
            except Exception as exc:  # noqa: BLE001 - report every failure, not the first
                failed[assignment] = exc
                bar.write(f"{assignment}: FAILED")
            bar.update()
    bar.close()
    if failed:
        raise RuntimeError("the build failed for " + ", ".join(sorted(failed)) + ":\n"
                           + "\n".join(f"--- {a}\n{e}" for a, e in sorted(failed.items())))
    return todo

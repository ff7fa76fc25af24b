"""The test suite's marginal cost per assignment: ``python -m benchmarks.suite``.

Runs the per-assignment tier (tests/test_generated.py) and the check catalogues
(tests/test_catalogues.py) in one pytest process and adds up each test's time by the
assignment it belongs to: a test parametrized by an assignment counts for it, and a
catalogue test for the checks of a topic counts for the assignments that call that topic
(shared evenly). The end-to-end tier (tests/test_pipeline.py) runs a fixed set of
assignments and does not grow with the course. ``--total S`` (a full suite's seconds)
also projects the suite for ``--target`` assignments.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from autograder.grade.plan import load_plan
from autograder.paths import Course

REPO = Path(__file__).resolve().parent.parent


def _topics(course: Course) -> dict[str, set[str]]:
    """Topic (checks module) -> assignments that call one of its checks."""
    users = defaultdict(set)
    for assignment in course.assignments():
        for cell in load_plan(course, assignment).cells:
            for call in cell.calls:
                users[call.check_id.split(".")[0]].add(assignment)
    return users


def _cases(xml: Path) -> list[tuple[str, str, float]]:
    return [(c.get("classname", ""), c.get("name", ""), float(c.get("time", 0)))
            for c in ET.parse(xml).getroot().iter("testcase")]


def measure(report: Path | None = None) -> tuple[dict[str, float], float]:
    if report is not None:
        cases = [c for c in _cases(report) if "test_generated" in c[0] or "test_catalogues" in c[0]]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            xml = Path(tmp) / "times.xml"
            subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}",
                            "tests/test_generated.py", "tests/test_catalogues.py"], cwd=REPO, check=False)
            cases = _cases(xml)
    course = Course(REPO)
    assignments = course.assignments()
    users = _topics(course)
    cost, shared = defaultdict(float), 0.0
    for classname, name, seconds in cases:
        param = re.search(r"\[(.*)\]$", name)
        owner = next((a for a in assignments if param and a in param.group(1)), None)
        if "test_generated" in classname and owner:
            cost[owner] += seconds
        elif "test_catalogues" in classname and param:
            topic = param.group(1).split(".")[0]
            who = users.get(topic) or set()
            for a in who:
                cost[a] += seconds / len(who)
            if not who:
                shared += seconds
        else:
            shared += seconds
    return dict(cost), shared


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=float, help="seconds of a full `make test` run, to project from")
    parser.add_argument("--target", type=int, default=26, help="assignments to project for (default 26)")
    parser.add_argument("--junitxml", type=Path, help="read the times from this report of a full run instead")
    args = parser.parse_args()
    cost, shared = measure(args.junitxml)
    for assignment, seconds in sorted(cost.items()):
        print(f"{assignment:16s} {seconds:6.1f} s")
    mean, worst = sum(cost.values()) / len(cost), max(cost.values())
    print(f"per assignment: mean {mean:.1f} s, max {worst:.1f} s; not per assignment: {shared:.1f} s")
    if args.total:
        extra = args.target - len(cost)
        print(f"projected for {args.target} assignments: {args.total:.0f} s + {extra} x {worst:.1f} s "
              f"(the costliest so far) = {args.total + extra * worst:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

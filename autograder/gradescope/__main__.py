"""``python -m autograder.gradescope build <assignment>`` writes the autograder zip (no
gradebook needed); ``python -m autograder.gradescope run`` is what run_autograder calls."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.gradescope.results import VISIBILITIES


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.gradescope")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the Gradescope autograder zip of an assignment")
    b.add_argument("assignment")
    b.add_argument("--course", default=None, help="course directory (default: found from here)")
    b.add_argument("--out", type=Path, default=None, help="zip path (default: exports/<id>/gradescope-autograder.zip)")
    b.add_argument("--visibility", default="after_published", choices=VISIBILITIES,
                   help="when students see each hidden check's result (default after_published)")
    b.add_argument("--cell-visibility", action="append", default=[], metavar="GRADE_ID=VISIBILITY",
                   help="a different visibility for one graded cell (repeatable)")
    b.add_argument("--submission-visibility", default="visible", choices=VISIBILITIES,
                   help="when students see which notebook was graded and whether it ran (default visible)")
    b.add_argument("--public-visibility", default="visible", choices=VISIBILITIES,
                   help="when students see the public sanity tests' results, worth no points (default visible)")
    r = sub.add_parser("run", help="inside Gradescope's container: grade the submission")
    r.add_argument("--root", default="/autograder")
    args = p.parse_args(argv)
    if args.command == "run":
        from autograder.gradescope.container import run

        return run(Path(args.root))
    from autograder.gradescope.build import build_zip
    from autograder.gradescope.results import visibility_config
    from autograder.paths import Course

    cells = {}
    for item in args.cell_visibility:
        gid, _, vis = item.partition("=")
        cells[gid] = vis
    try:
        vis = visibility_config(args.visibility, cells, args.submission_visibility, args.public_visibility)
    except ValueError as exc:
        p.error(str(exc))
    course = Course.find(args.course)
    out = args.out or course.root / "exports" / args.assignment / "gradescope-autograder.zip"
    try:
        build_zip(course, args.assignment, out, vis)
    except (ValueError, FileNotFoundError) as exc:
        print(f"gradescope: {exc}", file=sys.stderr)
        return 2
    print(f"gradescope: wrote {out}: the released notebook, a grading plan and the checks; no solution, "
          "rubric or source notebook. Student code runs in bubblewrap, or as a separate unprivileged "
          "user where the container allows no namespaces; otherwise it is not graded.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

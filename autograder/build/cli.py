"""``python -m autograder build``: generate release/, release-otter/ and solutions/."""

from autograder.paths import Course


def register(subparsers) -> None:
    p = subparsers.add_parser("build", help="generate student, otter and solution notebooks from source/")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all in source/)")
    p.add_argument("--course", default=None, help="course directory (default: found from here)")
    p.add_argument("--force", action="store_true", help="rebuild even the assignments whose inputs did not change")
    p.add_argument("--jobs", type=int, default=None, help="assignments built at once (default: one per core)")
    p.add_argument("--no-otter", action="store_true", help="skip the otter versions (always rebuilds)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=main)


def main(args) -> int:
    from autograder.build.schedule import build

    course = Course.find(args.course)
    built = build(course, args.assignments or None, otter=not args.no_otter, force=args.force, jobs=args.jobs,
                  progress=not args.quiet)
    print(f"{len(built)} assignment(s) rebuilt" if built else "every assignment is up to date: nothing to build")
    return 0

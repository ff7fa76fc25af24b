"""``python -m autograder build``: generate release/, release-otter/ and solutions/."""

from autograder.paths import Course


def register(subparsers) -> None:
    p = subparsers.add_parser("build", help="generate student, otter and solution notebooks from source/")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all in source/)")
    p.add_argument("--course", default=None, help="course directory (default: found from here)")
    p.add_argument("--no-otter", action="store_true", help="skip the otter versions")
    p.set_defaults(func=main)


def main(args) -> int:
    from autograder.build.release import build

    build(Course.find(args.course), args.assignments or None, otter=not args.no_otter)
    return 0

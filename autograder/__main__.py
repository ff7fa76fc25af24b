"""Command line: ``python -m autograder --help`` lists the commands."""

import argparse
import importlib
import sys

# Each module adds its own subcommands with register(subparsers).
COMMAND_MODULES = [
    "autograder.build.cli",
    "autograder.grade.cli",
    "autograder.feedback.cli",
    "autograder.export.cli",
    "autograder.export.roster",
    "autograder.collect",
    "autograder.similarity",
    "autograder.report.cli",
    "autograder.demo",
    "autograder.scaffold",
]


# Which module adds which command: a command imports only its own module (grading never
# imports the exports, the report or the demo). Anything else (--help, a typo) loads all.
MODULE_OF = {"build": "autograder.build.cli", "grade": "autograder.grade.cli", "feedback": "autograder.feedback.cli",
             "export": "autograder.export.cli", "roster": "autograder.export.roster", "collect": "autograder.collect",
             "similarity": "autograder.similarity", "report": "autograder.report.cli", "demo": "autograder.demo",
             "new": "autograder.scaffold"}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m autograder",
        description="Build, grade and report the Linear Algebra for ML assignments.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="<command>")
    for name in [MODULE_OF[command]] if command in MODULE_OF else COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):  # that part is not installed
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 0
    return args.func(args) or 0


def _exit(code: int) -> None:
    """Exit once the work is done: run the exit handlers (warm sandboxes stopped, their
    folders removed, logs flushed), then leave without tearing down every imported module
    one by one (numpy, SQLAlchemy, nbgrader: a quarter of a second or more). If a thread
    of ours still runs, the ordinary exit waits for it."""
    import atexit
    import os
    import threading

    if any(t.is_alive() and not t.daemon and t is not threading.main_thread() for t in threading.enumerate()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    _exit(main())

"""What a hidden check is, and how it runs.

A check has two halves that never share a process under the platform's grader:

* the *trusted* half (this package): draws fresh inputs from a seed, computes the
  reference answer and judges what the student's code returned;
* the *probe* (``autograder.harness.probes``): runs beside the student's code, calls it on
  the inputs and hands back plain numbers and arrays.

Inside a notebook (nbgrader autograde, otter, a student's own kernel) both halves run in
the same kernel through :func:`run_in_kernel`; that path is convenient, not tamper-proof.
"""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from autograder.harness.probes import PROBES, Outcome


@dataclass
class Case:
    """One input to a student's function: named arguments, passed in order."""

    label: str
    args: dict[str, object]

    def describe(self, limit: int = 10) -> str:
        parts = [f"{name}={_short(value, limit)}" for name, value in self.args.items()]
        return f"{self.label}: " + ", ".join(parts)


@dataclass
class Verdict:
    """The judgement on one check: passed, what to tell the student, which mistake."""

    passed: bool
    message: str
    mistake: str | None = None

    @classmethod
    def ok(cls, message: str = "") -> "Verdict":
        return cls(True, message)


@dataclass
class Check:
    """A hidden check on one student function (or class)."""

    id: str
    target: str
    summary: str
    make_cases: Callable[[np.random.Generator], list[Case]]
    judge: Callable[[list[Case], list[Outcome]], Verdict]
    probe: str = "call"
    # For "from scratch" exercises: regex over the submitted code -> what it names.
    forbidden: dict[str, str] = field(default_factory=dict)

    def run(self, fn, rng: np.random.Generator | None = None, code: str | None = None) -> Verdict:
        """Run the whole check in this process (the notebook path)."""
        if code is not None:
            verdict = self.scan(code)
            if verdict is not None:
                return verdict
        rng = rng if rng is not None else fresh_rng()
        cases = self.make_cases(rng)
        import autograder.harness.probes_all  # noqa: F401 - topic probes register themselves

        probe = PROBES[self.probe]
        outcomes = [probe(fn, case.args) for case in cases]
        return self.judge(cases, outcomes)

    def scan(self, code: str | list[str], answers=(0,), own=None) -> Verdict | None:
        """Fail the check if the submitted code uses a library the exercise rules out
        (``code``: the cells that ran; see autograder.scratch)."""
        found = find_forbidden(code, self.forbidden, self.id, self.target, answers, own)
        if not found:
            return None
        return Verdict(
            False,
            f"this exercise asks you to write {self.target} from scratch, but your code uses {found}; "
            "the points for this part are only given for your own implementation",
            "library_used",
        )

    def runner(self) -> Callable[[object], None]:
        """The function a hidden test cell calls: ``vectors.check_cosine_pairwise(fn)``."""

        def check(fn) -> None:
            run_in_kernel(self.id, fn)

        check.__name__ = "check_" + self.id.split(".", 1)[1]
        check.__doc__ = self.summary
        return check


REGISTRY: dict[str, Check] = {}


def register(check: Check) -> Check:
    if check.id in REGISTRY:
        raise ValueError(f"check {check.id} is registered twice")
    REGISTRY[check.id] = check
    return check


def fresh_rng() -> np.random.Generator:
    """A generator seeded from the OS, so no submission can know the inputs in advance."""
    return np.random.default_rng(int.from_bytes(os.urandom(8), "little"))


class CheckFailed(AssertionError):
    """Raised in a notebook when a hidden check fails; the message is for the student."""


def find_forbidden(code, forbidden: dict[str, str], check_id: str = "", target: str = "", answers=(0,),
                   own=None) -> str | None:
    """What the code uses that the exercise rules out, or None (see autograder.scratch)."""
    from autograder import scratch

    if not forbidden and check_id not in scratch.RULES:
        return None
    cells = [code] if isinstance(code, str) else list(code)
    return scratch.violation(check_id, target, cells, answers, own, fallback=forbidden)


def _kernel_code(fn) -> str | None:
    """The code the "from scratch" scan reads in a kernel: the function's own source, or
    failing that every cell run so far."""
    try:
        return inspect.getsource(fn)
    except (TypeError, OSError):
        pass
    try:
        shell = get_ipython()  # noqa: F821 - defined inside IPython only
    except NameError:
        return None
    return "\n".join(shell.user_ns.get("In", []))


def run_in_kernel(check_id: str, fn) -> None:
    """Run a registered check on ``fn`` in this kernel; raise CheckFailed if it fails."""
    check = REGISTRY[check_id]
    verdict = check.run(fn, code=_kernel_code(fn) if check.forbidden else None)
    if not verdict.passed:
        raise CheckFailed(f"{check.target}: {verdict.message}")
    print(f"passed: {check.summary}")


def _short(value, limit: int) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= limit:
            return np.array2string(value, precision=4, separator=", ")
        return f"array of shape {value.shape} ({value.dtype})"
    return repr(value)

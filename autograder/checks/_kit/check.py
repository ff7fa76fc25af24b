"""What a hidden check is, and how it runs: the declarative contract of the check kit.

A check declares its id, the student object it targets, how to draw its inputs from a
seed, the reference judge, ONE :class:`Tolerance`, its judge ``kind``, its catalogue of
:class:`Mistake` s (the one source for feedback, the class report and the catalogue
tests), and optionally forbidden libraries and a remediation ``gap``.

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
import re
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


@dataclass(frozen=True)
class Mistake:
    """A catalogued wrong answer: its id, what the student reads, and (for value judges) how
    to compute it from the same arguments as the reference. A mistake recognised by a
    custom judge (a ranking, a probe of a layer) has no ``compute``."""

    name: str  # short id used in analytics: "not_centred"
    message: str  # what the student reads: "you did not centre the data before ..."
    compute: Callable[..., object] | None = None


MEASURES = {
    "relative": "max|x - y| / max(floor, |x| + |y|), entry by entry",
    "scale": "max|x - y| / max(floor, max|expected|), on the scale of the answer",
    "close": "|x - y| <= value * |expected| + floor",
    "exact": "exactly equal",
    "ranking": "the items returned have the expected scores, ties within the tolerance in any order",
}


@dataclass(frozen=True)
class Tolerance:
    """The one tolerance of a check: its value, its measure (a key of MEASURES) and the
    absolute floor below which differences do not count."""

    value: float
    measure: str = "relative"
    floor: float = 1e-8
    float32: float | None = None  # a looser value when an input is float32

    def __post_init__(self):
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}")

    @property
    def stated(self) -> str:
        """How prompts and hidden-cell docstrings state it: "1e-8", "1e-4", "1%"."""
        if self.measure == "exact":
            return "exact"
        if self.measure == "close" and self.value >= 1e-3:
            return f"{self.value * 100:g}%"
        return f"{self.value:.0e}".replace("e-0", "e-")


# The judge kinds a check can declare; a special judge plugs in as a new kind.
KINDS = ("value", "parts", "ranking", "answer", "probe")

# Verdict names every check can give on its own, with the same words everywhere.
GENERIC_MISTAKES = {
    "error": "the code raised an error",
    "not_answered": "not answered yet",
    "wrong_type": "returned something of the wrong type",
    "wrong_shape": "returned an answer of the wrong shape",
    "not_finite": "returned nan or inf where a number was expected",
    "wrong_value": "returned a wrong value",
    "missing": "the grader received no result",
    "complex_output": "returned complex numbers where real ones were expected",
    "library_used": "used a library the exercise rules out",
    "wrong_dtype": "returned the right values with the wrong dtype",
    "unanswered": "not answered yet",
    "unreadable": "the answer could not be read",
    "timeout": "did not finish in time",
    "not_run": "the notebook could not be run to the end",
    "depends": "failed because a function it calls failed its own check",
    "out_of_range": "returned indices outside the valid range",
    "duplicates": "returned the same index twice",
    "wrong_length": "returned the wrong number of items",
    "wrong_interface": "does not have the interface the exercise asks for",
    "modified_input": "changed its input in place although the exercise says not to",
}

MODIFIED_INPUT = "modified_input"  # an argument came back from "call_unchanged" changed
NOT_ANSWERED = ("not answered yet: your code raises NotImplementedError; replace the "
                "`raise NotImplementedError()` line with your solution")


def first_failure(cases, outcomes, judge_case) -> "Verdict":
    """Judge input by input: the first failing input's verdict, else "all n inputs correct".
    ``judge_case(case, outcome)`` returns a Verdict, or None for a correct answer."""
    for case, outcome in zip(cases, outcomes):
        verdict = judge_case(case, outcome)
        if verdict is not None and not verdict.passed:
            return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")


def each_case(judge_case):
    """A check's judge made from a judge of one input (see :func:`first_failure`)."""
    def judge(cases, outcomes):
        return first_failure(cases, outcomes, judge_case)

    judge.__name__ = getattr(judge_case, "__name__", "judge").removesuffix("_case")
    return judge


def not_answered(outcome) -> bool:
    """The student left the answer blank: the call raised NotImplementedError."""
    return bool(getattr(outcome, "error", None)) and not getattr(outcome, "kind", "") \
        and outcome.error.startswith("NotImplementedError")


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
    # A "from scratch" exercise: what it rules out (autograder.scratch.Rule, or a tuple of
    # them) and what the sandbox refuses while its probe runs (autograder.scratch.Watch).
    forbidden: object = None
    watch: object = None
    tolerance: Tolerance | None = None
    kind: str = "value"
    mistakes: tuple[Mistake, ...] = ()  # the catalogue: every mistake this check can name
    gap: str = ""  # remediation gap id (autograder.remediation.GAPS) a failure points to

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: unknown judge kind {self.kind!r}")
        self.mistakes = tuple(self.mistakes)
        self._judge = self.judge
        self.judge = self._judge_all

    def _judge_all(self, cases: list[Case], outcomes: list) -> Verdict:
        """What every check does the same way, then the check's own judge."""
        if len(outcomes) != len(cases):
            return Verdict(False, "the grader received no result for some inputs", "missing")
        for case, outcome in zip(cases, outcomes):
            if not_answered(outcome):
                return Verdict(False, NOT_ANSWERED, "error")
        if self.probe == "call_unchanged":
            for case, outcome in zip(cases, outcomes):
                verdict = _changed_input(case, outcome)
                if verdict is not None:
                    return verdict
        return self._judge(cases, outcomes)

    def declared(self, name: str) -> Mistake | None:
        """The declared mistake called ``name`` (the first, if several compute it)."""
        return next((m for m in self.mistakes if m.name == name), None)

    @property
    def mistake_names(self) -> set[str]:
        return {m.name for m in self.mistakes}

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


def _changed_input(case: Case, outcome) -> Verdict | None:
    """"Do not modify X", judged here: every array argument the probe hands back as it was
    after the call must equal the input the grader sent."""
    if getattr(outcome, "error", None):
        return None  # the call raised; the check's own judge says so
    after = getattr(outcome, "inputs", None)
    if not isinstance(after, dict):
        return Verdict(False, "the grader did not get your function's inputs back after the call, so it cannot "
                              f"tell whether they were left unchanged\n  input ({case.describe()})", "missing")
    for name, sent in case.args.items():
        if not isinstance(sent, np.ndarray):
            continue
        now = after.get(name)
        if not isinstance(now, np.ndarray) or now.shape != sent.shape or not np.array_equal(now, sent, equal_nan=True):
            return Verdict(False, f"your function changed its argument `{name}` in place; the exercise says not "
                                  f"to modify it: work on a copy ({name} = {name}.astype(float) makes one)"
                                  f"\n  input ({case.describe()})", MODIFIED_INPUT)
    return None


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

    if not forbidden:
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
    # otter runs a notebook with a first cell of its own that puts its folder on sys.path
    return "\n".join(cell for cell in shell.user_ns.get("In", []) if not OTTER_PATH_CELL.fullmatch(cell.strip()))


OTTER_PATH_CELL = re.compile(r'import sys\nsys\.path\.append\(r"[^"\n]*"\)')


# Targets whose check failed in this kernel (target -> verdict), so that a later check on a
# function that calls one of them names that cause first.
KERNEL_FAILED: dict[str, Verdict] = {}


def run_in_kernel(check_id: str, fn) -> None:
    """Run a registered check on ``fn`` in this kernel; raise CheckFailed if it fails."""
    from autograder.checks._kit.depends import with_cause

    check = REGISTRY[check_id]
    code = _kernel_code(fn)
    verdict = check.run(fn, code=code if check.forbidden else None)
    if not verdict.passed:
        verdict = with_cause(check.target, verdict, _own_source(fn), KERNEL_FAILED)
        KERNEL_FAILED.setdefault(check.target, verdict)
        raise CheckFailed(f"{check.target}: {verdict.message}")
    print(f"passed: {check.summary}")


def _own_source(fn) -> str | None:
    try:
        return inspect.getsource(fn)
    except (TypeError, OSError):
        return None


def _short(value, limit: int) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= limit:
            return np.array2string(value, precision=4, separator=", ")
        return f"array of shape {value.shape} ({value.dtype})"
    return repr(value)

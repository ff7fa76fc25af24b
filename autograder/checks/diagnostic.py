"""Hidden checks for 00-diagnostic, the readiness quiz.

Each quiz item is a variable the student types (``q1 = ...``): a number, a vector, a shape
or a choice letter. The answers live here and nowhere in the student's notebook. Answers
are read tolerantly (``5``, ``5.0``, ``np.float64(5)``, ``"5"``; ``' B '`` for choice b;
lists, tuples, arrays or strings for vectors and shapes).

Every failure carries the item's gap id as ``Verdict.mistake`` (see
``autograder/remediation.py``), so an export lists per student which gaps the quiz found.
The message says what went wrong without giving the answer away, then what to review.

The readers (:func:`read_number`, :func:`read_vector`, :func:`read_shape`,
:func:`read_choice`) are also used by the interview's auto-graded derivations.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import numpy as np

from autograder import remediation
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.harness.probes import Outcome

# --------------------------------------------------------------------------------------
# Reading typed answers. Each reader returns (value, None) or (None, "what is wrong").


def _show(value, limit: int = 60) -> str:
    if isinstance(value, tuple):
        text = "(" + ", ".join(_show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    elif isinstance(value, np.ndarray):
        text = repr(value.item()) if value.ndim == 0 else np.array2string(value, separator=", ")
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _as_array(value):
    """A probe value (array, tuple of arrays) as one numeric array, or None."""
    if isinstance(value, tuple):
        try:
            value = np.asarray([np.asarray(v) for v in value])
        except ValueError:
            return None
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value
    return None


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")
_POWER = re.compile(r"([-+]?\d+(?:\.\d*)?)\s*(?:\*\*|\^)\s*(\d+)")
_FRACTION = re.compile(r"([-+]?\d+(?:\.\d*)?(?:e[-+]?\d+)?)\s*/\s*(\d+(?:\.\d*)?(?:e[-+]?\d+)?)")


def _number_from_text(text: str, percent: bool):
    s = text.strip().strip("'\"").strip().lower().replace("_", "").replace(" ", "")
    scale = 1.0
    if percent and s.endswith("%"):
        s, scale = s[:-1], 0.01
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    m = _POWER.fullmatch(s)
    if m and float(m.group(2)) <= 64:
        return float(m.group(1)) ** float(m.group(2)) * scale
    m = _FRACTION.fullmatch(s)
    if m and float(m.group(2)) != 0:
        return float(m.group(1)) / float(m.group(2)) * scale
    try:
        number = float(s) * scale
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def read_number(value, percent: bool = False):
    """A single real number from an int, float, numpy scalar, 1-element array or string."""
    if isinstance(value, str):
        number = _number_from_text(value, percent)
        if number is None:
            return None, "it is text that is not a number (type digits, e.g. 42 or 0.5)"
        return number, None
    arr = _as_array(value)
    if arr is None:
        return None, "it is not a number"
    if arr.dtype.kind == "b":
        return None, "it is True/False, not a number"
    if arr.size != 1:
        return None, f"it holds {arr.size} values; type a single number"
    number = float(arr.ravel()[0])
    if not np.isfinite(number):
        return None, "it is not a finite number"
    return number, None


def read_vector(value):
    """A numeric array (kept 2-D if typed 2-D, size-1 axes squeezed) from a list, tuple,
    array or a string such as "[3, 11]" or "3, 11"."""
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = ast.literal_eval(text)
            arr = np.asarray(parsed, dtype=float)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            numbers = re.findall(r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?", text)
            if not numbers:
                return None, "it is text without numbers (type a list such as [1, 2])"
            arr = np.asarray([float(n) for n in numbers])
    else:
        arr = _as_array(value)
        if arr is None or arr.dtype.kind == "b":
            return None, "it is not a list of numbers"
        arr = arr.astype(float)
    squeezed = np.squeeze(arr)
    return (squeezed.reshape(1) if squeezed.ndim == 0 else squeezed), None


def read_shape(value):
    """A shape (tuple of ints) from a tuple, list, array or a string like "(32, 4)" or "32x4"."""
    if isinstance(value, str):
        numbers = re.findall(r"\d+", value)
        if not numbers:
            return None, "it is text without numbers (type a tuple such as (2, 3))"
        return tuple(int(n) for n in numbers), None
    arr = _as_array(value)
    if arr is None or arr.dtype.kind == "b":
        return None, "it is not a tuple of whole numbers"
    flat = arr.ravel()
    if not np.all(flat == np.round(flat)):
        return None, "a shape holds whole numbers only"
    return tuple(int(v) for v in flat), None


_CHOICE = re.compile(r"\(?([a-d])\)?[.):]?(?:\s.*)?", re.DOTALL)


def read_choice(value):
    """One of 'a'..'d' from 'b', ' B ', '(b)', 'b)', 'b. perpendicular'."""
    if not isinstance(value, str):
        return None, "a choice is typed as a letter in quotes, for example 'a'"
    m = _CHOICE.fullmatch(value.strip().lower())
    if not m:
        return None, "type one of the letters 'a', 'b', 'c' or 'd'"
    return m.group(1), None


READERS = {"number": read_number, "vector": read_vector, "shape": read_shape, "choice": read_choice}
KIND_WORDS = {"number": "a number", "vector": "a list of numbers", "shape": "a shape (a tuple)",
              "choice": "a choice letter"}


def same(kind: str, received, target, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    if kind == "number":
        return bool(np.isclose(received, target, rtol=rtol, atol=atol))
    if kind == "vector":
        target = np.asarray(target, dtype=float)
        return received.shape == target.shape and bool(np.allclose(received, target, rtol=rtol, atol=atol))
    return received == target


# --------------------------------------------------------------------------------------
# The quiz items.


@dataclass
class Item:
    name: str  # check name: diagnostic.<name>
    target: str  # the variable the student types: "q1"
    gap: str  # remediation gap id, reported as Verdict.mistake
    kind: str  # number | vector | shape | choice
    answer: object
    summary: str
    # typical wrong answers: (value, message), or (value, message, mistake name) where the
    # verdict names the mistake rather than the gap (the interview's derivations)
    wrong: list[tuple] = field(default_factory=list)


ITEMS = [
    Item("reads_a_loop", "q1", "python_reading", "number", 16,
         "q1: the value the loop program prints",
         [(24, "you added every value, but the `if v % 2 == 0` line lets only even values into the total"),
          (3, "you counted the even values; the loop adds the values themselves to `total`"),
          (8, "the function does not stop at the first even value: `return` comes after the whole loop"),
          (6, "`total += v` adds to the running total; it does not replace it")]),
    Item("reads_a_comprehension", "q2", "python_lists", "vector", [1, 4, 16],
         "q2: the list the comprehension builds",
         [([1, 4, 9, 16], "the condition `if x != 3` leaves 3 out of the list"),
          ([0, 1, 4, 16], "range(1, 5) starts at 1, not at 0"),
          ([1, 4, 16, 25], "range(1, 5) stops before 5"),
          ([2, 4, 8], "`x * x` multiplies x by itself (squares it); it does not double it"),
          ([1, 4], "the condition skips 3 and the loop carries on with the next value")]),
    Item("distance_between_points", "q3", "distance", "number", 10,
         "q3: the distance between (1, -2) and (7, 6)",
         [(14, "you added the coordinate differences (the Manhattan or L1 distance); the straight-line "
               "distance squares them, adds, and takes the square root"),
          (100, "you forgot the square root at the end: that is the squared distance"),
          (float(np.sqrt(80)), "you added the coordinates of the two points; the distance uses their "
                               "differences"),
          (float(np.sqrt(52)), "watch the sign: the difference of -2 and 6 is 8, subtracting a negative number adds")]),
    Item("dot_product", "q4", "dot_product", "number", -3,
         "q4: the dot product of [2, -1, 3] and [4, 5, -2]",
         [(19, "you dropped the minus signs: the products keep their signs before they are added"),
          (28, "you multiplied the two sums; the dot product adds the products of matching entries"),
          (3, "check the sign of your final sum")]),
    Item("matrix_times_vector", "q5", "matrix_vector", "vector", [3, 11],
         "q5: the product of [[1, 2], [3, 4]] and [5, -1]",
         [([2, 6], "you combined the columns of the matrix with the vector as if they were rows "
                   "(you computed A.T @ v); each output entry is a row of A dotted with v"),
          ([[5, -2], [15, -4]], "you multiplied element by element (broadcasting, A * v); a matrix-vector "
                                "product adds each row's products into one number"),
          ([14], "you added everything into one number; a 2 x 2 matrix times a vector gives a vector of two entries"),
          ([7, 19], "you dropped the minus sign of -1")]),
    Item("which_product_is_defined", "q6", "matrix_shapes", "choice", "b",
         "q6: which product of A (3 x 2) and B (3 x 4) is defined",
         [("a", "A @ B would pair A's 2 columns with B's 3 rows; the inner sizes must match"),
          ("c", "A @ B.T would pair A's 2 columns with the 4 rows of B.T"),
          ("d", "B @ A would pair B's 4 columns with A's 3 rows")]),
    Item("shape_after_matmul", "q7", "numpy_shapes", "shape", (32, 4),
         "q7: the shape of X @ W for X (32, 10) and W (10, 4)",
         [((4, 32), "you transposed the result: the rows come from X and the columns from W"),
          ((32, 10), "that is the shape of X; the 10 columns of X are used up by the product"),
          ((10, 4), "that is the shape of W; the product keeps X's rows"),
          ((32, 10, 4), "a matrix product sums over the shared size 10; it does not keep it as an axis")]),
    Item("sum_along_axis", "q8", "numpy_axes", "vector", [3, 5, 7],
         "q8: the result of A.sum(axis=0) for A = np.arange(6).reshape(2, 3)",
         [([3, 12], "that is axis=1 (one sum per row); axis=0 adds down the rows, giving one sum per column"),
          ([15], "that is the sum of every entry (no axis); axis=0 keeps one value per column"),
          ([1, 5, 9], "np.arange(6) starts at 0, and reshape(2, 3) fills the first row first")]),
    Item("broadcast_shape", "q9", "broadcasting", "choice", "a",
         "q9: the shape of np.ones((3, 1)) + np.ones(4)",
         [("b", "the size-1 axis of the first array is stretched to match the 4 of the second"),
          ("c", "the first array's 3 rows are kept: broadcasting only stretches axes of size 1 or missing axes"),
          ("d", "these shapes do broadcast: compare them from the right, and a size of 1 stretches to fit")]),
    Item("zero_dot_product", "q10", "orthogonality", "choice", "b",
         "q10: what a zero dot product between two non-zero vectors means",
         [("a", "parallel vectors have a dot product of plus or minus the product of their lengths, never 0"),
          ("c", "the dot product of two vectors of equal length can be anything; it depends on the angle"),
          ("d", "opposite vectors have a negative dot product (minus the product of their lengths)")]),
]


def judge_answer(item: Item, outcome: Outcome, remedy: str = "", rtol: float = 1e-6, loose: float = 1e-3,
                 loose_atol: float | None = None, reader=None) -> Verdict:
    """Judge one typed answer; ``remedy`` is appended to every failure message.

    The verdict's mistake is ``item.gap`` for every failure when the item has a gap (the quiz
    reports gaps, not answers); otherwise it is "unanswered", "unreadable", the catalogued
    wrong answer's name, or "wrong_value".
    """

    def fail(message: str, name: str) -> Verdict:
        text = message.rstrip(". ") + "."
        return Verdict(False, f"{text} {remedy}".strip(), item.gap or name)

    if outcome.error:
        if outcome.kind == "ellipsis":
            return fail("not answered yet: replace `...` with your answer", "unanswered")
        if outcome.kind == "NoneType":
            return fail(f"the answer is None: type your answer after `{item.target} =`", "unanswered")
        return fail(f"the answer cannot be read: {outcome.error}", "unreadable")
    reader = reader or READERS[item.kind]
    received, problem = reader(outcome.value)
    if received is None:
        return fail(f"your answer {_show(outcome.value)} cannot be read as {KIND_WORDS[item.kind]}: {problem}",
                    "unreadable")
    if same(item.kind, received, item.answer, rtol=rtol):
        return Verdict.ok()
    for wrong, message, *name in item.wrong:
        if same(item.kind, received, wrong, rtol=loose, atol=loose if loose_atol is None else loose_atol):
            return fail(f"your answer {_show(outcome.value)}: {message}", name[0] if name else "wrong_value")
    if item.kind == "vector" and received.size != np.size(item.answer):
        return fail(f"your answer {_show(outcome.value)} is not right: it has {received.size} entries, "
                    f"which is not the number of entries the answer has", "wrong_value")
    return fail(f"your answer {_show(outcome.value)} is not right", "wrong_value")


def _one_answer(rng: np.random.Generator) -> list[Case]:
    return [Case("your answer", {})]


def _register(item: Item):
    def judge(cases, outcomes):
        if len(outcomes) != 1:
            return Verdict(False, "the grader received no answer", item.gap)
        return judge_answer(item, outcomes[0], remediation.describe(item.gap))

    gap = remediation.GAPS[item.gap]
    return register(Check(
        id=f"diagnostic.{item.name}",
        target=item.target,
        summary=item.summary,
        make_cases=_one_answer,
        judge=judge,
        probe="answer",
        tolerance=Tolerance(1e-6, "close", floor=1e-9) if item.kind in ("number", "vector")
        else Tolerance(0.0, "exact", floor=0.0),
        kind="answer",
        mistakes=[Mistake(item.gap, f"showed a gap: {gap.title} (review: {', '.join(gap.review)})")],
        gap=item.gap,
    )).runner()


for _item in ITEMS:
    globals()[f"check_{_item.name}"] = _register(_item)


"""What to review when the readiness quiz (00-diagnostic) finds a gap.

Each quiz item tests one gap. When an item is wrong or unanswered, its hidden check fails
with ``Verdict.mistake`` set to the gap id, and the message ends with the remediation text
below. Reports read the same table: :func:`plan` turns the gap ids found in a submission
into an ordered study plan.

A gap's ``review`` lists course assignments (ids from CURRICULUM.md) in the order to work
through them; ``before_the_course`` marks gaps to close before starting 01-vectors.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    id: str
    title: str
    review: tuple[str, ...]  # course assignments to work through, in order
    explanation: str  # one or two sentences: what to practise and why it matters later
    before_the_course: bool = False  # close this gap before starting 01-vectors


GAPS: dict[str, Gap] = {
    gap.id: gap
    for gap in [
        Gap(
            "python_reading",
            "Reading Python code",
            ("a Python refresher (loops, if, functions, return)", "01-vectors"),
            "Trace the code line by line and write down each variable after every loop pass. "
            "Every assignment asks you to read and write short functions like this one.",
            before_the_course=True,
        ),
        Gap(
            "python_lists",
            "Python ranges and list comprehensions",
            ("a Python refresher (range, list comprehensions)", "12-tensors"),
            "range(a, b) stops before b, and [f(x) for x in ... if cond] keeps only the items "
            "where cond is true. Vectorised NumPy code replaces these loops, so read them fluently first.",
            before_the_course=True,
        ),
        Gap(
            "distance",
            "Distance between two points",
            ("01-vectors", "11-norms"),
            "The Euclidean distance is the length of the difference vector: subtract coordinate by "
            "coordinate, square, add, take the square root. Nearest-neighbour search is built on it.",
        ),
        Gap(
            "dot_product",
            "The dot product",
            ("01-vectors",),
            "Multiply matching entries and add the products into one number, keeping the signs. "
            "Cosine similarity, matrix products and attention scores are all dot products.",
        ),
        Gap(
            "orthogonality",
            "What a dot product of zero means",
            ("01-vectors", "10-projections"),
            "Review the geometric meaning of the dot product, u . v = |u| |v| cos(angle): what its sign "
            "and its size say about the angle between two vectors. Projections and orthogonal bases rest on it.",
        ),
        Gap(
            "matrix_vector",
            "Matrix times vector",
            ("02-matrices",),
            "Entry i of A @ v is the dot product of row i of A with v. Every dense layer of a "
            "neural network computes exactly this.",
        ),
        Gap(
            "matrix_shapes",
            "When a matrix product is defined",
            ("02-matrices", "12-tensors"),
            "A @ B needs the number of columns of A to equal the number of rows of B; the result "
            "has A's rows and B's columns. Most shape errors in ML code are this rule.",
        ),
        Gap(
            "numpy_shapes",
            "NumPy shapes after an operation",
            ("02-matrices", "12-tensors"),
            "A (n, k) array times a (k, m) array gives (n, m): a batch of n rows, each mapped to "
            "m outputs. Predicting shapes before running code is the fastest way to debug.",
        ),
        Gap(
            "numpy_axes",
            "Reductions along an axis",
            ("12-tensors",),
            "sum(axis=0) adds down the rows and leaves one value per column; axis=1 leaves one "
            "value per row. Column means for centring data in PCA use axis=0.",
        ),
        Gap(
            "broadcasting",
            "NumPy broadcasting",
            ("12-tensors",),
            "Shapes are compared from the right; each pair of sizes must be equal or one of them 1, "
            "and a size-1 axis is stretched. Biases and centring rely on it.",
        ),
    ]
}


def describe(gap_id: str) -> str:
    """The remediation text for one gap, as the student reads it under a quiz item."""
    gap = GAPS[gap_id]
    when = " Close this gap before starting 01-vectors." if gap.before_the_course else ""
    return f"Gap: {gap.title}. Review: {', '.join(gap.review)}. {gap.explanation}{when}"


def plan(gap_ids) -> list[Gap]:
    """The gaps found, without repeats, those to close before the course first, then in
    course order (by the first assignment each one sends the student to)."""
    found = [GAPS[g] for g in dict.fromkeys(gap_ids) if g in GAPS]
    order = list(GAPS)
    return sorted(found, key=lambda g: (not g.before_the_course, order.index(g.id)))

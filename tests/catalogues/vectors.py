"""Correct variants and catalogued mistakes for the 01-vectors checks."""

CORRECT = {
    "vectors.dot": [
        ("loop", "def dot(a, b):\n    total = 0.0\n    for x, y in zip(a, b):\n        total += x * y\n    return total"),
        ("numpy sum", "import numpy as np\ndef dot(a, b):\n    return np.sum(np.asarray(a) * np.asarray(b))"),
        ("returns a 0-d array", "import numpy as np\ndef dot(a, b):\n    return np.asarray(sum(x * y for x, y in zip(a, b)))"),
    ],
}

MISTAKES = {
    "vectors.dot": [
        ("elementwise", "def dot(a, b):\n    return a * b", "element-wise product"),
        ("sum_of_sums", "def dot(a, b):\n    return sum(a) * sum(b)", "sum(a) * sum(b)"),
        ("abs_values", "def dot(a, b):\n    return sum(abs(x * y) for x, y in zip(a, b))", "absolute values"),
        ("error", "def dot(a, b):\n    raise NotImplementedError()", "NotImplementedError"),
        ("wrong_type", "def dot(a, b):\n    pass", "return"),
        ("wrong_value", "def dot(a, b):\n    return sum(x * y for x, y in zip(a, b)) + 1", "expected"),
    ],
}

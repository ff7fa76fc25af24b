"""Hidden checks for 16-neural-networks: a dense layer, ReLU, a row softmax, cross-entropy, the
forward and backward pass of a 2-layer network, and training it on scikit-learn's digits.

Conventions the prompts state and these checks enforce:

* rows are examples: ``X`` is (n, d); a weight matrix is (inputs, outputs), ``W1`` (d, h) and
  ``W2`` (h, k); a bias is a vector, ``b1`` (h,) and ``b2`` (k,); ``dense(X, W, b) = X @ W + b``
  (nn.Linear stores the transpose of this W);
* ``softmax(Z)`` normalises each ROW of an (n, k) array (the classes), never the batch axis;
* ``cross_entropy(logits, labels)`` is the MEAN over the batch of ``-log softmax(logits)[i, y_i]``,
  finite for any finite logits;
* ``forward(X, params)`` returns the logits ``relu(X @ W1 + b1) @ W2 + b2``; ``params`` is a dict
  with the keys W1, b1, W2, b2;
* ``backward(X, y, params)`` returns a dict of the gradients of ``cross_entropy(forward(X,
  params), y)`` under the same keys, each the shape of its parameter; the ReLU's derivative at
  exactly 0 is 0 (PyTorch's convention). The reference is PyTorch autograd, run here on the
  trusted side in float64;
* ``train(X, y, hidden, steps, lr, seed)`` returns ``(params, losses)``; the check trains on a
  fresh random split of the digits and needs held-out accuracy of at least TRAIN_BAR.

Errors are scale-relative (``max|yours - expected| <= tol * max|expected|``), tol 1e-6.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import Part, describe_failure, judge_all, raised
# The row softmax is judged the way 17-attention judges its softmax, with the same catalogue.
from autograder.checks.attention import SOFTMAX_MISTAKES, UNSTABLE_LOGITS, _diagnose_nonfinite
from autograder.harness.probes import Outcome

NET_TOL = 1e-6
TOL = Tolerance(NET_TOL, "scale", floor=1e-8)

# Training: the values the prompt states, the check passes, and the bar it judges by.
TRAIN_HIDDEN, TRAIN_STEPS, TRAIN_LR = 16, 200, 0.5
TRAIN_BAR = 0.90
TEST_FRACTION = 0.25

NUMPY_LOSS = scratch.Rule(
    "a library softmax, log-softmax, logsumexp or cross-entropy (torch, scipy.special, sklearn.metrics)",
    roots=("torch", "scipy", "sklearn", "jax", "tensorflow", "keras"),
    names=("softmax", "log_softmax", "Softmax", "LogSoftmax", "softmin", "logsumexp", "cross_entropy",
           "CrossEntropyLoss", "nll_loss", "NLLLoss", "log_loss"),
    methods=("softmax", "log_softmax", "logsumexp"))
WATCH_NUMPY_LOSS = scratch.Watch(
    frames=(("torch.nn.functional", "softmax"), ("torch.nn.functional", "log_softmax"),
            ("torch.nn.functional", "cross_entropy"), ("torch.nn.functional", "nll_loss"),
            ("torch.nn.modules", "CrossEntropyLoss"), ("scipy.special", "softmax"), ("scipy.special", "log_softmax"),
            ("scipy.special", "logsumexp"), ("sklearn.metrics", "log_loss")),
    builtins=(("torch", "softmax"), ("torch", "log_softmax"), ("torch", "_softmax"), ("torch", "logsumexp")))
NO_AUTOGRAD = scratch.Rule("an automatic-differentiation or neural-network library (torch, jax, tensorflow, "
                           "autograd, sklearn.neural_network)",
                           modules=("torch", "jax", "tensorflow", "keras", "autograd", "sklearn.neural_network"))
WATCH_NO_AUTOGRAD = scratch.Watch(imports=("torch", "jax", "tensorflow", "keras", "autograd",
                                           "sklearn.neural_network"))


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _relu(z):
    return np.maximum(_f64(z), 0.0)


def _log_softmax(z, axis=-1):
    z = _f64(z)
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def _rows(labels):
    labels = np.asarray(labels).astype(np.int64)
    return np.arange(len(labels)), labels


@lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits (shipped with the package, read offline), pixels scaled to [0, 1]."""
    from sklearn.datasets import load_digits

    data = load_digits()
    return data.data / 16.0, data.target.astype(np.int64)


def _digit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    X, _ = _digits()
    return X[rng.choice(len(X), size=n, replace=False)]


# ---------------------------------------------------------------------------------------
# dense
# ---------------------------------------------------------------------------------------

def _dense(X, W, b):
    return _f64(X) @ _f64(W) + _f64(b)


def _dense_cases(rng: np.random.Generator) -> list[Case]:
    s = int(rng.integers(3, 6))
    n, d = int(rng.integers(6, 9)), int(rng.integers(2, 5))
    h = d + int(rng.integers(1, 3))
    normal = rng.normal
    pixels, _ = _digits()
    return [
        Case(f"a batch of {s} examples, {s} features in and {s} out",
             {"X": normal(size=(s, s)), "W": normal(size=(s, s)), "b": normal(size=s)}),
        Case("a batch with different sizes in and out",
             {"X": normal(size=(n, d)), "W": normal(size=(d, h)), "b": normal(size=h)}),
        Case("a single example (one row)", {"X": normal(size=(1, d)), "W": normal(size=(d, h)), "b": normal(size=h)}),
        Case("a layer with one output", {"X": normal(size=(n, d)), "W": normal(size=(d, 1)), "b": normal(size=1)}),
        Case("float32 inputs and weights", {"X": normal(size=(n, d)).astype(np.float32),
                                            "W": normal(size=(d, h)).astype(np.float32),
                                            "b": normal(size=h).astype(np.float32)}),
        Case("integer pixels of 3 digits (64 features) into 10 units",
             {"X": np.rint(16 * pixels[rng.choice(len(pixels), 3)]).astype(np.int64),
              "W": normal(size=(64, 10)) / 8, "b": normal(size=10)}),
    ]


DENSE_MISTAKES = [
    Mistake("w_transposed", "you computed X @ W.T; in this assignment W has shape (d, h), inputs by outputs, so "
            "the layer is X @ W + b (nn.Linear stores the transpose and computes X @ W.T)",
            lambda X, W, b: _f64(X) @ _f64(W).T + _f64(b)),
    Mistake("bias_wrong_axis", "you added the bias along the wrong axis (down the columns, b[:, None]); b[j] belongs "
            "to output unit j, so add b as a row: X @ W + b", lambda X, W, b: _f64(X) @ _f64(W) + _f64(b)[:, None]),
    Mistake("output_transposed", "your output is transposed, (h, n): W.T @ X.T puts the examples in columns; each ROW "
            "is one example, so the output is X @ W + b, shape (n, h)",
            lambda X, W, b: _f64(W).T @ _f64(X).T + _f64(b)[:, None]),
    Mistake("no_bias", "you left out the bias; the layer is X @ W + b", lambda X, W, b: _f64(X) @ _f64(W)),
    Mistake("bias_subtracted", "you subtracted the bias; the layer adds it, X @ W + b",
            lambda X, W, b: _f64(X) @ _f64(W) - _f64(b)),
    Mistake("bias_in_weights", "you added the bias to the weights, X @ (W + b); the bias is added after the "
            "product, X @ W + b", lambda X, W, b: _f64(X) @ (_f64(W) + _f64(b))),
    Mistake("relu_inside", "you applied a ReLU; dense is purely linear, X @ W + b (the ReLU is its own function)",
            lambda X, W, b: _relu(_dense(X, W, b))),
]


def _shapes_hint(what: str, rule: str):
    def on_error(case: Case, outcome: Outcome) -> Verdict | None:
        error = outcome.error or ""
        if not outcome.kind and ("mismatch" in error or "broadcast" in error or "shapes" in error
                                 or "aligned" in error):
            return Verdict(False, describe_failure(
                case, f"{what} raised a shape error: {error}; {rule}"), "shape_error")
        return None

    return on_error


DENSE_SHAPES = Mistake("shape_error", "a product or a sum in your layer has mismatched shapes; X is (n, d), W is "
                       "(d, h), b is (h,): X @ W is (n, h) and b is added to every row")

check_dense = register(Check(
    id="networks.dense",
    target="dense",
    summary=f"dense(X, W, b) returns X @ W + b, shape (n, h), on fresh batches (tolerance {NET_TOL:.0e})",
    make_cases=_dense_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _dense, NET_TOL, DENSE_MISTAKES, what="dense(X, W, b)",
        on_error=_shapes_hint("dense(X, W, b)", DENSE_SHAPES.message)),
    tolerance=TOL,
    kind="value",
    mistakes=[*DENSE_MISTAKES, DENSE_SHAPES],
)).runner()


# ---------------------------------------------------------------------------------------
# relu
# ---------------------------------------------------------------------------------------

def _relu_cases(rng: np.random.Generator) -> list[Case]:
    n, h = int(rng.integers(4, 8)), int(rng.integers(3, 7))
    with_zeros = rng.normal(size=(n, h))
    with_zeros[rng.random((n, h)) < 0.3] = 0.0
    with_zeros[0, 0] = -0.0
    mixed = 2 * rng.normal(size=(n, h))
    mixed[0, :3] = [0.4, -0.7, 1.5]  # positives below and above 1, and a negative
    return [
        Case("a batch of pre-activations", {"Z": mixed}),
        Case("exact zeros (and a -0.0) among the entries", {"Z": with_zeros}),
        Case("a single vector", {"Z": rng.normal(size=h + 2)}),
        Case("a 3-D array", {"Z": rng.normal(size=(2, n, h))}),
        Case("every entry negative", {"Z": -rng.uniform(0.1, 3.0, size=(n, h))}),
        Case("large values", {"Z": 1e6 * rng.normal(size=(n, h))}),
        Case("float32", {"Z": rng.normal(size=(n, h)).astype(np.float32)}),
        Case("integers", {"Z": rng.integers(-5, 6, size=(n, h))}),
    ]


RELU_MISTAKES = [
    Mistake("abs", "you returned |Z|; ReLU keeps positive entries and sets negative ones to 0: np.maximum(Z, 0)",
            lambda Z: np.abs(_f64(Z))),
    Mistake("negative_part", "you kept the negative entries (np.minimum); ReLU keeps the POSITIVE ones: "
            "np.maximum(Z, 0)", lambda Z: np.minimum(_f64(Z), 0.0)),
    Mistake("negated", "you returned max(-Z, 0); ReLU is max(Z, 0), the positive part of Z itself",
            lambda Z: np.maximum(-_f64(Z), 0.0)),
    Mistake("clipped", "you clipped the values to [0, 1]; ReLU has no upper limit: np.maximum(Z, 0)",
            lambda Z: np.clip(_f64(Z), 0.0, 1.0)),
    Mistake("derivative", "you returned the ReLU's derivative (1 where Z > 0, else 0); relu returns the values "
            "themselves, np.maximum(Z, 0)", lambda Z: (_f64(Z) > 0).astype(np.float64)),
    Mistake("leaky", "you wrote a leaky ReLU (a small slope for negative entries); this ReLU sets them to exactly 0",
            lambda Z: np.where(_f64(Z) > 0, _f64(Z), 0.01 * _f64(Z))),
    Mistake("sigmoid", "you applied the sigmoid; ReLU is max(Z, 0)", lambda Z: 1.0 / (1.0 + np.exp(-_f64(Z)))),
]

check_relu = register(Check(
    id="networks.relu",
    target="relu",
    summary=f"relu(Z) returns max(Z, 0) entry by entry, any shape, without changing Z (tolerance {NET_TOL:.0e})",
    make_cases=_relu_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _relu, NET_TOL, RELU_MISTAKES, what="relu(Z)"),
    probe="call_unchanged",
    tolerance=TOL,
    kind="value",
    mistakes=RELU_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# softmax over the classes (rows)
# ---------------------------------------------------------------------------------------

def _softmax_rows(Z):
    z = _f64(Z)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 8))
    k = n + int(rng.integers(1, 4))
    s = int(rng.integers(3, 6))
    spread = rng.uniform(-1000, 1000, size=(n, k))
    spread[:, 0], spread[:, -1] = -1000.0, 1000.0
    return [
        Case("a batch of logits (n, k)", {"Z": 3 * rng.normal(size=(n, k))}),
        Case("as many examples as classes", {"Z": 3 * rng.normal(size=(s, s))}),
        Case("one example", {"Z": 3 * rng.normal(size=(1, k))}),
        Case("logits around 1e4", {"Z": 1e4 + 5 * rng.normal(size=(n, k))}),
        Case("logits around -1e4", {"Z": -1e4 + 5 * rng.normal(size=(n, k))}),
        Case("one example around +1e4, one around -1e4",
             {"Z": np.stack([1e4 + 5 * rng.normal(size=k), -1e4 + 5 * rng.normal(size=k)])}),
        Case("equal logits", {"Z": np.full((3, k), 0.7)}),
        Case("logits spanning 2000 within each row", {"Z": spread}),
        Case("float32 logits", {"Z": (3 * rng.normal(size=(n, k))).astype(np.float32)}),
    ]


_REUSED = ("unstable_softmax", "global_max", "global_sum", "keepdims", "max_in_numerator_only", "log_softmax",
           "no_exp", "sigmoid")
SOFTMAX_ROW_MISTAKES = [
    Mistake("batch_axis", "you normalised over the batch axis (axis 0), so each COLUMN sums to 1; the classes are "
            "along axis 1: each row (one example) must sum to 1", lambda Z: np.exp(_log_softmax(Z, axis=0))),
    *[m for m in SOFTMAX_MISTAKES if m.name in _REUSED],
]


def _softmax_on_error(case: Case, outcome: Outcome) -> Verdict | None:
    if not outcome.kind and "broadcast" in (outcome.error or ""):
        return Verdict(False, describe_failure(
            case, f"your code raised an error: {outcome.error}; the sums over each row must keep that axis "
            "(keepdims=True) so that they broadcast against Z"), "keepdims")
    return None


check_softmax = register(Check(
    id="networks.softmax",
    target="softmax",
    summary=f"softmax(Z) normalises each row (the classes) and is stable for logits of 1e4 (tolerance "
            f"{NET_TOL:.0e} relative to the largest entry)",
    make_cases=_softmax_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _softmax_rows, NET_TOL, SOFTMAX_ROW_MISTAKES, what="softmax(Z)",
        on_error=_softmax_on_error, diagnose=_diagnose_nonfinite("unstable_softmax", UNSTABLE_LOGITS)),
    forbidden=NUMPY_LOSS,
    watch=WATCH_NUMPY_LOSS,
    tolerance=TOL,
    kind="value",
    mistakes=SOFTMAX_ROW_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# cross_entropy
# ---------------------------------------------------------------------------------------

def _cross_entropy_torch(logits, labels):
    """The reference: PyTorch's cross-entropy (mean over the batch) in float64."""
    import torch
    import torch.nn.functional as F

    return float(F.cross_entropy(torch.from_numpy(_f64(logits)), torch.from_numpy(_rows(labels)[1])))


def _per_example(logits, labels, axis=1):
    rows, labels = _rows(labels)
    return -_log_softmax(logits, axis=axis)[rows, labels]


def _naive_log_p(logits, labels):
    z = _f64(logits)
    rows, labels = _rows(labels)
    return np.log(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))[rows, labels]


def _ce_cases(rng: np.random.Generator) -> list[Case]:
    n, k = int(rng.integers(6, 10)), int(rng.integers(3, 6))

    def labels(m, classes=k):
        return rng.integers(0, classes, size=m).astype(np.int64)

    far = 3 * rng.normal(size=(n, k))
    y_far = labels(n)
    far[np.arange(n), y_far] -= rng.uniform(800, 1200, size=n)  # the true class far below the rest
    return [
        Case("a batch of logits and labels", {"logits": 2 * rng.normal(size=(n, k)), "labels": labels(n)}),
        Case("one example", {"logits": 2 * rng.normal(size=(1, k)), "labels": labels(1)}),
        Case("as many examples as classes", {"logits": 2 * rng.normal(size=(k, k)), "labels": labels(k)}),
        Case("labels that never use the last class", {"logits": 2 * rng.normal(size=(n, k)),
                                                      "labels": labels(n, k - 1)}),
        Case("logits around 1e4", {"logits": 1e4 + 3 * rng.normal(size=(n, k)), "labels": labels(n)}),
        Case("confidently wrong: the true class about 1000 below the others", {"logits": far, "labels": y_far}),
        Case("float32 logits", {"logits": (2 * rng.normal(size=(n, k))).astype(np.float32), "labels": labels(n)}),
    ]


UNSTABLE_CE = ("your loss is inf or nan on large logits: exp overflows past about 709 (and log(0) is -inf); "
               "use log-softmax, z - max - log(sum(exp(z - max))) row by row, and never take the log of a "
               "probability that can round to 0")

CE_MISTAKES = [
    Mistake("log_of_softmax", "you took the log of the softmax: when the true class's probability rounds to 0 "
            "the log is -inf and the loss inf; compute log-softmax directly, z - max - log(sum(exp(z - max)))",
            lambda logits, labels: np.mean(-np.log(_softmax_rows(logits)[_rows(labels)]))),
    Mistake("unstable_logsumexp", UNSTABLE_CE, lambda logits, labels: -np.mean(_naive_log_p(logits, labels))),
    Mistake("summed", "you summed the loss over the batch; cross_entropy is the MEAN over the n examples",
            lambda logits, labels: np.sum(_per_example(logits, labels))),
    Mistake("per_example", "you returned one loss per example; return their mean, a single number",
            lambda logits, labels: _per_example(logits, labels)),
    Mistake("sign", "your loss has the wrong sign: cross-entropy is MINUS the mean log-probability of the true "
            "class, so it is never negative", lambda logits, labels: -np.mean(_per_example(logits, labels))),
    Mistake("all_pairs", "you indexed log_probs[:, labels], which takes every label's column for every example "
            "(an n x n block); take one entry per row: log_probs[np.arange(n), labels]",
            lambda logits, labels: -np.mean(_log_softmax(logits)[:, _rows(labels)[1]])),
    Mistake("mean_over_classes", "you averaged over every entry of one_hot * log_probs, which divides by the "
            "number of classes too; sum over the classes, then average over the examples",
            lambda logits, labels: -np.mean(np.eye(np.shape(logits)[1])[_rows(labels)[1]] * _log_softmax(logits))),
    Mistake("batch_axis", "your log-softmax runs over the batch axis (axis 0); the classes are along axis 1",
            lambda logits, labels: np.mean(_per_example(logits, labels, axis=0))),
    Mistake("predicted_class", "you used the predicted class (the largest logit) instead of the true labels",
            lambda logits, labels: np.mean(-_log_softmax(logits).max(axis=1))),
    Mistake("no_log", "you averaged the probabilities of the true classes without the log; the loss is "
            "-mean(log p)", lambda logits, labels: -np.mean(_softmax_rows(logits)[_rows(labels)])),
]


def _ce_diagnose(case: Case, received: tuple, expected: tuple) -> Verdict | None:
    return _diagnose_nonfinite("unstable_logsumexp", UNSTABLE_CE)(case, received, expected)


check_cross_entropy = register(Check(
    id="networks.cross_entropy",
    target="cross_entropy",
    summary=f"cross_entropy(logits, labels) is the mean over the batch, finite for logits of 1e4 and for "
            f"confidently wrong predictions (tolerance {NET_TOL:.0e}, reference: PyTorch)",
    make_cases=_ce_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _cross_entropy_torch, NET_TOL, CE_MISTAKES, what="cross_entropy(logits, labels)",
        diagnose=_ce_diagnose),
    forbidden=NUMPY_LOSS,
    watch=WATCH_NUMPY_LOSS,
    tolerance=TOL,
    kind="value",
    mistakes=CE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# forward
# ---------------------------------------------------------------------------------------

def _forward_torch(X, W1, b1, W2, b2):
    """The reference: the same network in PyTorch, float64."""
    import torch

    t = [torch.from_numpy(_f64(a)) for a in (X, W1, b1, W2, b2)]
    return (torch.relu(t[0] @ t[1] + t[2]) @ t[3] + t[4]).numpy()


def _net(X, W1, b1, W2, b2, hidden=_relu, out=lambda z: z, transpose=False, bias_axis=False, bias=True,
         bias_first=False):
    """The forward pass, and with one switch flipped, a catalogued mistake."""
    X, W1, b1, W2, b2 = map(_f64, (X, W1, b1, W2, b2))
    if transpose:
        W1, W2 = W1.T, W2.T
    if bias_axis:
        b1, b2 = b1[:, None], b2[:, None]
    if not bias:
        b1, b2 = 0.0, 0.0
    H = hidden(X @ W1) + b1 if bias_first else hidden(X @ W1 + b1)
    return out(H @ W2 + b2)


def _net_cases(rng: np.random.Generator, labels: bool = False) -> list[Case]:
    normal = rng.normal

    def case(label, X, h, k, *, dead=False, logit_scale=1.0, logit_shift=0.0):
        d = X.shape[1]
        args = {"X": X}
        if labels:
            args["y"] = rng.integers(0, k, size=len(X)).astype(np.int64)
        W1, b1 = normal(size=(d, h)) * np.sqrt(2.0 / d), 0.3 * normal(size=h)
        if dead:  # one hidden unit whose input is exactly 0 for every example: ReLU at 0
            j = int(rng.integers(h))
            W1[:, j], b1[j] = 0.0, 0.0
        args.update(W1=W1, b1=b1, W2=logit_scale * normal(size=(h, k)) / np.sqrt(h), b2=logit_shift + 0.3 * normal(size=k))
        return Case(label, args)

    n, d = int(rng.integers(8, 11)), int(rng.integers(4, 6))
    h = d + 2
    # First a case whose square shapes let a missing or extra transpose run (and be named);
    # for backward, d differs so that X @ dZ1 fails loudly.
    square = d + 1 if labels else 4
    return [
        case(f"square layers: n = h = k = 4, d = {square}", normal(size=(4, square)), 4, 4),
        case(f"a batch of {n} examples, d={d}, h={h}, k=3", normal(size=(n, d)), h, 3),
        case("one example", normal(size=(1, d)), h, 3),
        case("a hidden unit whose input is exactly 0 (ReLU at 0)", normal(size=(n, d)), h, 3, dead=True),
        case("large logits (about 1e3)", normal(size=(n, d)), h, 3, logit_scale=100.0, logit_shift=1000.0),
        case("6 digits (64 pixels), 16 hidden units, 10 classes", _digit_rows(rng, 6), 16, 10),
    ]


def _forward_cases(rng: np.random.Generator) -> list[Case]:
    cases = _net_cases(rng)
    last = cases[1].args
    cases.append(Case("float32 inputs and parameters", {k: v.astype(np.float32) for k, v in last.items()}))
    return cases


FORWARD_MISTAKES = [
    Mistake("w_transposed", "you applied the weights as X @ W.T; here W1 is (d, h) and W2 is (h, k), inputs by "
            "outputs, so each layer is X @ W + b", lambda *a: _net(*a, transpose=True)),
    Mistake("bias_wrong_axis", "you added a bias along the wrong axis (b[:, None], down the columns); each bias is "
            "added to every row: X @ W1 + b1", lambda *a: _net(*a, bias_axis=True)),
    Mistake("no_hidden_relu", "there is no ReLU between the layers; without it the two layers collapse into one "
            "linear map: H = relu(X @ W1 + b1)", lambda *a: _net(*a, hidden=lambda z: z)),
    Mistake("relu_on_logits", "you applied a ReLU to the logits too; the output layer is linear: H @ W2 + b2",
            lambda *a: _net(*a, out=_relu)),
    Mistake("returns_probabilities", "you returned probabilities (a softmax of the logits); forward returns the "
            "logits H @ W2 + b2, and cross_entropy takes those", lambda *a: _net(*a, out=_softmax_rows)),
    Mistake("relu_before_bias", "you applied the ReLU before adding b1; the hidden layer is relu(X @ W1 + b1)",
            lambda *a: _net(*a, bias_first=True)),
    Mistake("no_bias", "you left out the biases; each layer adds its own: relu(X @ W1 + b1) @ W2 + b2",
            lambda *a: _net(*a, bias=False)),
]
NET_SHAPES = Mistake("shape_error", "a product or a sum has mismatched shapes; write down every shape: X (n, d), "
                     "W1 (d, h), b1 (h,), H (n, h), W2 (h, k), b2 (k,), logits (n, k)")

check_forward = register(Check(
    id="networks.forward",
    target="forward",
    summary=f"forward(X, params) returns the logits relu(X @ W1 + b1) @ W2 + b2, shape (n, k) (tolerance "
            f"{NET_TOL:.0e}, reference: PyTorch)",
    make_cases=_forward_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _forward_torch, NET_TOL, FORWARD_MISTAKES, what="forward(X, params)",
        on_error=_shapes_hint("forward(X, params)", NET_SHAPES.message)),
    probe="call_params",
    tolerance=TOL,
    kind="value",
    mistakes=[*FORWARD_MISTAKES, NET_SHAPES],
)).runner()


# ---------------------------------------------------------------------------------------
# backward
# ---------------------------------------------------------------------------------------

def _grads_torch(X, y, W1, b1, W2, b2):
    """The reference: PyTorch autograd on the mean cross-entropy, float64."""
    import torch
    import torch.nn.functional as F

    params = [torch.tensor(_f64(a), requires_grad=True) for a in (W1, b1, W2, b2)]
    w1, c1, w2, c2 = params
    with torch.enable_grad():
        logits = torch.relu(torch.from_numpy(_f64(X)) @ w1 + c1) @ w2 + c2
        F.cross_entropy(logits, torch.from_numpy(_rows(y)[1])).backward()
    return tuple(p.grad.numpy() for p in params)


def _grads(X, y, W1, b1, W2, b2, *, mask=lambda Z: Z > 0, average=True, onehot=True, sign=1.0,
           dH_transpose=True, transposed=False, bias="rows", stable=True):
    """The backward pass by hand, and with one switch flipped, a catalogued mistake."""
    X, W1, b1, W2, b2 = map(_f64, (X, W1, b1, W2, b2))
    rows, labels = _rows(y)
    n = len(X)
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0.0)
    Z2 = H @ W2 + b2
    if stable:
        P = np.exp(_log_softmax(Z2))
    else:
        E = np.exp(Z2)
        P = E / E.sum(axis=1, keepdims=True)
    if onehot:
        P[rows, labels] -= 1.0
    dZ2 = sign * P / (n if average else 1.0)
    dH = dZ2 @ (W2.T if dH_transpose else W2)
    dZ1 = dH * mask(Z1)

    def weight(A, dZ):
        return dZ.T @ A if transposed else A.T @ dZ

    def vector(dZ):
        return {"rows": dZ.sum(axis=0), "columns": dZ.sum(axis=1), "none": dZ}[bias]

    return weight(X, dZ1), vector(dZ1), weight(H, dZ2), vector(dZ2)


GRAD_PARTS = [Part("the gradient of W1"), Part("the gradient of b1"), Part("the gradient of W2"),
              Part("the gradient of b2")]

BACKWARD_MISTAKES = [
    Mistake("summed", "your gradients are n times too large: you summed over the batch; the loss is the MEAN, so "
            "divide by n once (dZ2 = (softmax - one_hot) / n)", lambda *a: _grads(*a, average=False)),
    Mistake("relu_grad_at_zero", "your ReLU derivative is 1 where the pre-activation is exactly 0 (Z1 >= 0); this "
            "assignment, like PyTorch, uses 0 there: mask with Z1 > 0", lambda *a: _grads(*a, mask=lambda Z: Z >= 0)),
    Mistake("relu_grad_inverted", "your ReLU derivative is on the wrong side of zero: it passes the gradient where "
            "Z1 < 0; it flows only where Z1 > 0", lambda *a: _grads(*a, mask=lambda Z: Z < 0)),
    Mistake("relu_grad_inverted", "your ReLU derivative is on the wrong side of zero: it passes the gradient where "
            "Z1 < 0; it flows only where Z1 > 0", lambda *a: _grads(*a, mask=lambda Z: Z <= 0)),
    Mistake("no_relu_grad", "you skipped the ReLU in the backward pass: multiply dH by the ReLU's derivative, "
            "(Z1 > 0), before the first layer's gradients", lambda *a: _grads(*a, mask=lambda Z: 1.0)),
    Mistake("dH_no_transpose", "you computed dH = dZ2 @ W2 without the transpose; the gradient flows back through "
            "W2.T: dH = dZ2 @ W2.T, shape (n, h)", lambda *a: _grads(*a, dH_transpose=False)),
    Mistake("weight_grad_transposed", "your weight gradients are transposed (dZ.T @ X has shape (h, d)); each "
            "gradient has the shape of its parameter: dW1 = X.T @ dZ1 is (d, h), dW2 = H.T @ dZ2 is (h, k)",
            lambda *a: _grads(*a, transposed=True)),
    Mistake("bias_grad_axis", "you summed the bias gradient over the wrong axis (axis=1, one value per example); "
            "sum over the batch, axis=0, one value per unit", lambda *a: _grads(*a, bias="columns")),
    Mistake("bias_grad_not_reduced", "your bias gradient still has one row per example; a bias is shared by every "
            "example, so sum dZ over the batch (axis=0)", lambda *a: _grads(*a, bias="none")),
    Mistake("no_onehot", "you used the softmax itself as dZ2; the gradient of cross-entropy is (softmax - one_hot) "
            "/ n: subtract 1 at each example's true class", lambda *a: _grads(*a, onehot=False)),
    Mistake("sign", "your gradients have the wrong sign (one_hot - softmax); dZ2 = (softmax - one_hot) / n, and "
            "training then subtracts lr * gradient", lambda *a: _grads(*a, sign=-1.0)),
    Mistake("unstable_softmax", UNSTABLE_LOGITS, lambda *a: _grads(*a, stable=False)),
]
BACKWARD_SHAPES = Mistake("shape_error", "a product in your backward pass has mismatched shapes; write down every "
                          "shape: dZ2 (n, k), dW2 = H.T @ dZ2 (h, k), dH = dZ2 @ W2.T (n, h), dW1 = X.T @ dZ1 (d, h)")

check_backward = register(Check(
    id="networks.backward",
    target="backward",
    summary=f"backward(X, y, params) returns the gradients of the mean cross-entropy for W1, b1, W2, b2, checked "
            f"against PyTorch autograd (tolerance {NET_TOL:.0e} relative to each gradient's largest entry)",
    make_cases=lambda rng: _net_cases(rng, labels=True),
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _grads_torch, NET_TOL, BACKWARD_MISTAKES, what="backward(X, y, params)", parts=GRAD_PARTS,
        on_error=_shapes_hint("backward(X, y, params)", BACKWARD_SHAPES.message),
        diagnose=_diagnose_nonfinite("unstable_softmax", UNSTABLE_LOGITS)),
    probe="call_grads",
    forbidden=NO_AUTOGRAD,
    watch=WATCH_NO_AUTOGRAD,
    tolerance=TOL,
    kind="parts",
    mistakes=[*BACKWARD_MISTAKES, BACKWARD_SHAPES],
)).runner()


# ---------------------------------------------------------------------------------------
# train on the digits
# ---------------------------------------------------------------------------------------

@dataclass
class SplitCase(Case):
    """A training case: ``args`` (the training split) go to the student's code; the held-out
    split stays on the trusted side."""

    held_out: tuple = field(default=(), repr=False)


def _train_cases(rng: np.random.Generator) -> list[Case]:
    X, y = _digits()
    order = rng.permutation(len(X))
    n_test = int(round(TEST_FRACTION * len(X)))
    test, train = order[:n_test], order[n_test:]
    args = {"X": X[train], "y": y[train], "hidden": TRAIN_HIDDEN, "steps": TRAIN_STEPS, "lr": TRAIN_LR,
            "seed": int(rng.integers(0, 2**31))}
    return [SplitCase(f"a fresh split of the digits: {len(train)} to train on, {n_test} held out", args,
                      held_out=(X[test], y[test]))]


TRAIN_MISTAKES = [
    Mistake("weights_transposed", "your W1 has shape (h, d); in this assignment W1 is (d, h) and W2 is (h, k), so "
            "that forward computes relu(X @ W1 + b1) @ W2 + b2"),
    Mistake("wrong_steps", "record one loss per step: losses should have `steps` entries"),
    Mistake("diverged", "training diverged: the loss blew up (or the parameters became nan or inf). The usual "
            "cause is gradients summed over the batch instead of averaged, a step n times too large"),
    Mistake("loss_increases", "your loss went up at almost every step: you stepped along the gradient; update "
            "against it, params[key] -= lr * grads[key]"),
    Mistake("symmetric_init", "every hidden unit has the same weights, so they all compute the same thing and "
            "receive the same gradient forever: initialise W1 randomly (init_params does), not with zeros or "
            "a constant"),
    Mistake("loss_not_mean", "the losses you recorded are far larger than the mean cross-entropy of your "
            "parameters on the training data: record the mean over the batch, not the sum"),
    Mistake("not_learning", "the loss hardly went down: make sure every step updates every parameter in place "
            "with the learning rate you are given, using fresh gradients at the current parameters"),
    Mistake("low_accuracy", f"the held-out accuracy is below the {TRAIN_BAR:.0%} bar: train on the whole "
            "training set (or on mini-batches that cover it), with init_params' scaled initial weights and the "
            "given learning rate"),
]


def _fail(case: Case, name: str, extra: str = "") -> Verdict:
    mistake = next(m for m in TRAIN_MISTAKES if m.name == name)
    return Verdict(False, describe_failure(case, mistake.message + extra), name)


def _logits(X, W1, b1, W2, b2):
    with np.errstate(all="ignore"):
        return np.maximum(_f64(X) @ _f64(W1) + _f64(b1), 0.0) @ _f64(W2) + _f64(b2)


def _judge_train_case(case: Case, outcome: Outcome) -> Verdict | None:
    """One training run: its result's shape, its loss curve, then the held-out accuracy."""
    if outcome.error:
        return raised(case, outcome, "train(X, y, hidden, steps, lr, seed)")
    got = outcome.value
    a = case.args
    d, h, k = a["X"].shape[1], a["hidden"], 10
    W1, b1, W2, b2 = (np.asarray(got[key]) for key in ("W1", "b1", "W2", "b2"))
    losses = np.asarray(got["losses"]).ravel()
    if W1.shape == (h, d) and W2.shape == (k, h):
        return _fail(case, "weights_transposed", f" (received W1 {W1.shape}, W2 {W2.shape})")
    wanted = {"W1": (d, h), "b1": (h,), "W2": (h, k), "b2": (k,)}
    for key, value in zip(wanted, (W1, b1, W2, b2)):
        if value.shape != wanted[key]:
            return Verdict(False, describe_failure(
                case, f"params[{key!r}] has shape {value.shape}, expected {wanted[key]}"), "wrong_shape")
    if losses.size != a["steps"]:
        return _fail(case, "wrong_steps", f" ({a['steps']}); yours has {losses.size}")
    values = [W1, b1, W2, b2, losses]
    if any(v.dtype.kind not in "biuf" or not np.all(np.isfinite(v)) for v in values):
        return _fail(case, "diverged")
    first, last = float(losses[0]), float(losses[-1])
    trend = f" (loss {first:.3g} at the first step, {last:.3g} at the last)"
    if last > first and np.mean(np.diff(losses) > 0) > 0.9:
        return _fail(case, "loss_increases", trend)
    if last > first or losses.max() > 10 * first:
        return _fail(case, "diverged", f" (loss {first:.3g} at the first step, {losses.max():.3g} at its "
                                       f"largest, {last:.3g} at the last)")
    if np.ptp(W1, axis=1).max() < 1e-12:
        return _fail(case, "symmetric_init")
    X_test, y_test = case.held_out
    with np.errstate(all="ignore"):
        train_loss = float(np.mean(-_log_softmax(_logits(a["X"], W1, b1, W2, b2))[_rows(a["y"])]))
    if last > 10 * train_loss + 1.0:
        return _fail(case, "loss_not_mean", f" (your last loss {last:.4g}; the mean loss of the parameters you "
                                            f"returned {train_loss:.4g})")
    accuracy = float(np.mean(_logits(X_test, W1, b1, W2, b2).argmax(axis=1) == y_test))
    if accuracy >= TRAIN_BAR:
        return None
    if last > 0.9 * first:
        return _fail(case, "not_learning", trend)
    return _fail(case, "low_accuracy", f" (your accuracy on {len(y_test)} held-out digits: {accuracy:.1%})")


check_train = register(Check(
    id="networks.train",
    target="train",
    summary=f"train(X, y, {TRAIN_HIDDEN}, {TRAIN_STEPS}, {TRAIN_LR}, seed) on a fresh split of the digits reaches "
            f"at least {TRAIN_BAR:.0%} accuracy on the held-out quarter, with a falling loss curve",
    make_cases=_train_cases,
    judge=each_case(_judge_train_case),
    probe="train_digits",
    forbidden=NO_AUTOGRAD,
    watch=WATCH_NO_AUTOGRAD,
    # No value is compared with a tolerance: the verdict is the accuracy bar TRAIN_BAR.
    tolerance=Tolerance(0.0, "exact", floor=0.0),
    kind="probe",
    mistakes=TRAIN_MISTAKES,
)).runner()

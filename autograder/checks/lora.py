"""Hidden checks for 18-lora: the LoRA layer, parameter counts, merging, captured update.

The interface the prompt prescribes (and the probes in ``autograder/harness/lora_probes.py``
rely on):

* ``LoRALinear(base, r, alpha)`` wraps an ``nn.Linear`` kept as ``self.base`` (weight and bias
  frozen), with trainable ``self.A`` of shape (r, in_features) and ``self.B`` of shape
  (out_features, r), B initialised at zero, A at any random values;
  ``forward(x) = base(x) + (x @ A.T @ B.T) * alpha / r``;
* ``merge(layer)`` returns the merged weight ``W + (alpha / r) B A`` without changing the layer;
* ``lora_param_count(in_features, out_features, r, bias=True)``: trainable parameters of a
  LoRALinear, ``r * (in_features + out_features)`` (the bias stays frozen);
* ``full_param_count(in_features, out_features, bias=True)``: trainable parameters when the
  whole layer is fine-tuned, ``in_features * out_features (+ out_features with a bias)``;
* ``captured_fraction(delta_W, r)``: the share of the update's energy (squared Frobenius norm)
  that its best rank-r approximation keeps, ``sum(s[:r] ** 2) / sum(s ** 2)`` for the singular
  values s of delta_W in decreasing order (Eckart-Young).

The layer checks run in float64 (the probe builds the layer with float64 as torch's default
dtype and calls ``.double()``), so their tolerance is tight.
"""

from __future__ import annotations

import numpy as np

import autograder.harness.lora_probes  # noqa: F401 - registers the lora_layer / lora_merge probes
from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.checks._kit.compare import describe_failure, judge_cases, judge_value, rel_error
from autograder.harness.probes import Outcome

LAYER_TOL = 1e-8  # float64 forward pass and gradients
COUNT_TOL = 0  # parameter counts are exact integers
FRACTION_TOL = 1e-8


LAYER_KEYS = ("in_features", "out_features", "r", "alpha", "bias", "seed", "W", "b", "A", "B", "x", "g", "lr", "W2")
STEP = 0.5  # the SGD rate of the probe's training step


# What the layer probes recognise beyond the computed mistakes.
SHAPE_MISTAKES = [
    Mistake("transposed_shapes", "A and B are transposed: A is (r, in_features) and B is (out_features, r)"),
    Mistake("swapped_shapes", "A and B are swapped: A is (r, in_features) and B is (out_features, r)"),
]
INIT_MISTAKES = [
    Mistake("not_registered", "A and B are not registered parameters of the layer: wrap them in nn.Parameter"),
    Mistake("adapter_frozen", "A and B must be trainable (requires_grad=True)"),
    Mistake("base_not_frozen", "the base weight is not frozen: LoRA trains only A and B"),
    Mistake("bias_not_frozen", "the base layer's bias is not frozen; freeze the whole base layer"),
    Mistake("swapped_init", "A starts at zero and B at random values; it is the other way round"),
    Mistake("B_not_zero", "B does not start at zero, so the adapted layer does not start as the pretrained one"),
    Mistake("A_zero", "A starts at zero as well as B, so the adapter never learns"),
    Mistake("base_replaced", "layer.base does not hold the weights of the layer given: wrap it (self.base = base)"),
    Mistake("extra_trainable", "the layer has more trainable parameters than A and B"),
]
GRADIENT_MISTAKES = [
    Mistake("no_gradient", "no gradient reached A and B: the update must stay in the autograd graph"),
    Mistake("wrong_gradient", "the gradient that reaches A or B is wrong, although the output is right"),
]
IN_PLACE = Mistake("in_place", "merge changed the layer; return a new tensor and leave the layer as it was")


def _by_name(fn):
    """Adapt ``fn(**case.args)`` to the positional call that Mistake.compute receives."""
    return lambda *values: fn(**dict(zip(LAYER_KEYS, values)))


# --------------------------------------------------------------------------------------
# The layer: cases and reference.


def _layer_case(rng, label, in_features, out_features, r, alpha, bias, batch_shape) -> Case:
    W = rng.normal(size=(out_features, in_features)) / np.sqrt(in_features)
    b = rng.normal(scale=0.5, size=out_features) if bias else np.zeros(out_features)
    A = rng.normal(size=(r, in_features))
    B = rng.normal(size=(out_features, r))
    x = rng.normal(size=(*batch_shape, in_features))
    g = rng.normal(size=(*batch_shape, out_features))
    args = dict(in_features=in_features, out_features=out_features, r=r, alpha=alpha, bias=bias,
                seed=int(rng.integers(2**31)), W=W, b=b, A=A, B=B, x=x, g=g, lr=STEP,
                W2=rng.normal(size=(out_features, in_features)) / np.sqrt(in_features))
    return Case(label, {k: args[k] for k in LAYER_KEYS})


def _layer_cases(rng: np.random.Generator) -> list[Case]:
    def sizes():
        i = int(rng.integers(8, 15))
        o = int(rng.choice([k for k in range(5, 13) if k != i]))
        return i, o

    cases = []
    i, o = sizes()
    # alpha / r is not a whole number here, so alpha // r, r / alpha, 1 and alpha / sqrt(r)
    # all differ from the right scaling.
    r = int(rng.choice([3, 5]))
    cases.append(_layer_case(rng, "a layer with bias", i, o, r, float(rng.choice([16, 32])), True,
                             (int(rng.integers(3, 7)),)))
    i, o = sizes()
    cases.append(_layer_case(rng, "a layer without bias", i, o, int(rng.choice([2, 4])), 8.0, False,
                             (int(rng.integers(3, 7)),)))
    i, o = sizes()
    cases.append(_layer_case(rng, "a batch of sequences (3-D input)", i, o, 2, 16.0, True, (2, 3)))
    i, o = sizes()
    r = min(i, o)
    cases.append(_layer_case(rng, "rank equal to the smaller dimension", i, o, r, float(2 * r), True,
                             (int(rng.integers(2, 5)),)))
    return cases


def _base_out(x, W, b, bias, **_):
    return x @ W.T + (b if bias else 0.0)


def _update(x, A, B, **_):
    return x @ A.T @ B.T


def _forward(alpha, r, **a):
    return _base_out(**a) + (alpha / r) * _update(**a)


def _grads(alpha, r, x, g, A, B, **_):
    x2 = x.reshape(-1, x.shape[-1])
    g2 = g.reshape(-1, g.shape[-1])
    s = alpha / r
    return s * (g2 @ B).T @ x2, s * g2.T @ (x2 @ A.T)


INIT_OUTPUT_MISTAKES = [
    Mistake("missing_bias", "your output at initialisation leaves out the base layer's bias: the "
            "wrapped layer must compute base(x), bias included",
            _by_name(lambda x, W, **_: x @ W.T)),
]

FORWARD_MISTAKES = [
    Mistake("no_scaling", "the low-rank update is not scaled: multiply x @ A.T @ B.T by alpha / r",
            _by_name(lambda **a: _base_out(**a) + _update(**a))),
    Mistake("inverted_scaling", "the update is scaled by r / alpha; the scaling is alpha / r",
            _by_name(lambda alpha, r, **a: _base_out(**a) + (r / alpha) * _update(**a))),
    Mistake("integer_scaling", "the scaling was computed with integer division (alpha // r); use "
            "alpha / r, which is not a whole number in general",
            _by_name(lambda alpha, r, **a: _base_out(**a) + float(int(alpha) // r) * _update(**a))),
    Mistake("sqrt_scaling", "the update is scaled by alpha / sqrt(r) (the rsLoRA variant); this "
            "assignment asks for alpha / r",
            _by_name(lambda alpha, r, **a: _base_out(**a) + (alpha / np.sqrt(r)) * _update(**a))),
    Mistake("missing_base", "your forward returns only the low-rank update; add the frozen base "
            "layer's output base(x)",
            _by_name(lambda alpha, r, **a: (alpha / r) * _update(**a))),
    Mistake("missing_bias", "the base layer's bias is missing from your output: use self.base(x), "
            "or add self.base.bias",
            _by_name(lambda alpha, r, x, W, **a: x @ W.T + (alpha / r) * _update(x=x, **a))),
    Mistake("scaled_base", "you scaled the base layer's output as well; only the update is "
            "multiplied by alpha / r",
            _by_name(lambda alpha, r, **a: (alpha / r) * (_base_out(**a) + _update(**a)))),
    Mistake("update_twice", "the update is added twice", _by_name(
        lambda alpha, r, **a: _base_out(**a) + 2 * (alpha / r) * _update(**a))),
    Mistake("subtracted_update", "the update is subtracted; LoRA adds (alpha / r) x A^T B^T to base(x)",
            _by_name(lambda alpha, r, **a: _base_out(**a) - (alpha / r) * _update(**a))),
]


def _fail(case: Case, message: str, mistake: str) -> Verdict:
    return Verdict(False, describe_failure(case, message), mistake)


def _probe_trouble(case: Case, outcome: Outcome) -> Verdict | None:
    """Errors and a missing interface, common to both layer checks."""
    if outcome.error:
        return _fail(case, f"the grader could not use LoRALinear: {outcome.error}", "error")
    got = outcome.value
    if "missing" in got:
        return _fail(case, f"your layer has no attribute {got['missing']}: keep the wrapped layer as "
                     "self.base and the adapter matrices as self.A and self.B (the grader reads them)",
                     "wrong_interface")
    if "error" in got and str(got["error"]).startswith("NotImplementedError"):
        return Verdict(False, "not answered yet: your code raised NotImplementedError; replace the "
                              "`raise NotImplementedError()` lines with your solution", "error")
    if "error" in got and got.get("stage") == "construct":
        return _fail(case, f"LoRALinear(base, r, alpha) raised an error: {got['error']}", "error")
    if "error" in got and "A_shape" not in got:
        return _fail(case, got["error"], "error")
    return None


def _shape_verdict(case: Case, got: dict) -> Verdict | None:
    i, o, r = case.args["in_features"], case.args["out_features"], case.args["r"]
    a = tuple(int(n) for n in np.ravel(got["A_shape"]))
    b = tuple(int(n) for n in np.ravel(got["B_shape"]))
    if a == (r, i) and b == (o, r):
        return None
    if a == (i, r) and b == (r, o):
        return _fail(case, f"A and B are transposed: A has shape {a} and B {b}, but A must be "
                     "(r, in_features) and B (out_features, r), so that B @ A has the weight's shape "
                     "(out_features, in_features)", "transposed_shapes")
    if a == (o, r) and b == (r, i):
        return _fail(case, f"A and B are swapped: A has shape {a} and B {b}; A is (r, in_features) "
                     "and B is (out_features, r)", "swapped_shapes")
    return _fail(case, f"A has shape {a} and B has shape {b}; expected A ({r}, {i}) = (r, in_features) "
                 f"and B ({o}, {r}) = (out_features, r)", "wrong_shape")


def _judge_init(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        verdict = _probe_trouble(case, outcome) or _init_verdict(case, outcome.value)
        if verdict is not None:
            return verdict
    return Verdict.ok(f"all {len(cases)} layers set up correctly")


def _stepped(a: dict, base: bool = False, bias: bool = False, adapter: bool = True):
    """The output after one SGD step of rate a["lr"] on the chosen parameters, from the
    trusted side's own gradients."""
    x2 = a["x"].reshape(-1, a["x"].shape[-1])
    g2 = a["g"].reshape(-1, a["g"].shape[-1])
    lr = a["lr"]
    W, b, A, B = a["W"], a["b"], a["A"], a["B"]
    if adapter:
        gA, gB = _grads(**a)
        A, B = A - lr * gA, B - lr * gB
    if base:
        W = W - lr * g2.T @ x2
    if bias and a["bias"]:
        b = b - lr * g2.sum(axis=0)
    return _forward(**{**a, "W": W, "b": b, "A": A, "B": B})


def _what_trained(case: Case, got: dict) -> str | None:
    """Which parameters one training step moved, judged from the output after the step:
    "lora" (A and B only, right), "nothing", "base", "bias", "other"; None when the probe
    did not get that far."""
    a = case.args
    if got.get("graph"):  # the output does not depend on any trainable parameter
        return "nothing"
    if "y_step" not in got or "y" not in got:
        return None
    moved = got["y_step"] - got["y"]  # what the step changed, whatever the forward pass gets wrong
    start = _forward(**a)

    def near(expected):
        change = expected - start
        return moved.shape == change.shape and np.max(np.abs(moved - change)) <= 1e-6 * max(1.0, np.max(np.abs(change)))

    if near(_stepped(a)):
        return "lora"
    for name, kwargs in (("base", dict(base=True)), ("base", dict(base=True, bias=True)),
                         ("bias", dict(bias=True)), ("nothing", dict(adapter=False)),
                         ("nothing", dict(adapter=False, base=True))):
        if near(_stepped(a, **kwargs)):
            return name
    return "other"


def _first_step(case: Case, got: dict) -> str | None:
    """Whether the output after one SGD step on A and B from their initial values follows
    from the A the layer reports (B starts at zero, checked before): with a forward
    ``base(x) + c x A^T B^T`` for any scaling c, only B moves and the output changes by
    ``-lr c^2 x A0^T A0 x^T g``. None when it does; "still" when nothing moved (A is zero
    whatever the layer says); otherwise what went wrong."""
    a = case.args
    if "y_init_step" not in got:
        return f"the step could not be taken: {got.get('init_step_error', 'no output')}"
    x2 = a["x"].reshape(-1, a["x"].shape[-1])
    A0 = np.asarray(got["A_init"], dtype=float)
    moved = np.asarray(got["y_init_step"], dtype=float) - np.asarray(got["y_init"], dtype=float)
    if moved.shape != np.shape(got["y_init"]) or A0.shape != (a["r"], a["in_features"]):
        return "the output after the step has another shape"
    scale = max(1.0, float(np.max(np.abs(got["y_init"]))))
    if not np.all(np.isfinite(moved)) or np.max(np.abs(moved)) <= 1e-12 * scale:
        return "still" if np.all(np.isfinite(moved)) else "the output after the step is not finite"
    pattern = (x2 @ A0.T @ A0 @ x2.T @ a["g"].reshape(-1, a["g"].shape[-1])).reshape(moved.shape)
    k = -float(np.sum(moved * pattern)) / max(float(np.sum(pattern * pattern)), 1e-300)
    residual = np.linalg.norm(moved + k * pattern) / np.linalg.norm(moved)
    if k <= 0 or residual > 1e-6:
        return "the change after the step is not the one layer.A implies"
    return None


def _keeps_given_layer(case: Case, got: dict) -> bool:
    """Whether the layer follows the weights of the layer it was given (W replaced by W2
    after the step); True when the probe did not get that far (judged elsewhere)."""
    if "y_swapped" not in got or "y_step" not in got:
        return True
    a = case.args
    base = _base_out(**{**a, "W": a["W2"]}) - _base_out(**a)
    expected = got["y_step"] + base  # the same layer, with the base weight W2 instead of W
    return got["y_swapped"].shape == expected.shape and rel_error(got["y_swapped"], expected) <= 1e-6


def _init_verdict(case: Case, got: dict) -> Verdict | None:
    a = case.args
    verdict = _shape_verdict(case, got)
    if verdict:
        return verdict
    if not (got["A_registered"] and got["B_registered"]):
        return _fail(case, "A and B are not registered parameters of your layer (they do not appear in "
                     "layer.parameters(), so an optimiser would never update them): wrap them in nn.Parameter",
                     "not_registered")
    trained = _what_trained(case, got)
    if trained == "nothing":
        return _fail(case, "A and B must be trainable (requires_grad=True); they are the only parameters "
                     "LoRA trains", "adapter_frozen")
    if trained == "base":
        return _fail(case, "the base weight is not frozen (a training step changed layer.base.weight): LoRA "
                     "trains only A and B, so call requires_grad_(False) on the base layer", "base_not_frozen")
    if trained == "bias":
        return _fail(case, "the base layer's bias is not frozen (a training step changed layer.base.bias); "
                     "freeze the whole base layer, bias included", "bias_not_frozen")
    a_zero = not np.any(got["A_init"])
    b_zero = not np.any(got["B_init"])
    if a_zero and not b_zero:
        return _fail(case, "you initialised A at zero and B at random values; it is the other way round: "
                     "B starts at zero (so the layer starts as the base layer) and A at random values",
                     "swapped_init")
    if not b_zero:
        return _fail(case, f"B does not start at zero (largest |B| entry {np.max(np.abs(got['B_init'])):.3g}): "
                     "with B = 0 the update B A is zero and the adapted layer starts exactly as the "
                     "pretrained one", "B_not_zero")
    first = _first_step(case, got)
    if a_zero or first == "still":
        return _fail(case, "A starts at zero as well as B: then the gradients of A and B are both zero "
                     "and the adapter never learns. Give A random values (e.g. nn.init.kaiming_uniform_ "
                     "or a normal)", "A_zero")
    if first is not None:
        return _fail(case, "your layer's first training step does not follow from layer.A and layer.B as "
                     "they start: forward must compute the update from self.A and self.B themselves "
                     f"({first})", "wrong_interface")
    if not _keeps_given_layer(case, got):
        return _fail(case, "layer.base is not the layer you were given (changing the given layer's weights "
                     "did not change your layer's output): wrap the given nn.Linear itself (self.base = base) "
                     "instead of creating or copying one", "base_replaced")
    if "y_init" not in got:
        return _fail(case, f"your forward pass raised an error: {got.get('error', 'no output')}", "error")
    verdict = judge_value(case, Outcome(value=got["y_init"]), _base_out(**a), LAYER_TOL,
                          INIT_OUTPUT_MISTAKES, what="the output at initialisation (B = 0)")
    if not verdict.passed:
        return Verdict(False, verdict.message + "\n  at initialisation B = 0, so the layer must return "
                       "exactly base(x)", verdict.mistake)
    if trained == "other":
        return _fail(case, "your layer has trainable parameters besides A and B (the output after one training "
                     "step is not what updating A and B alone gives): a LoRA layer trains only A and B, "
                     f"r * (in_features + out_features) = {a['r'] * (a['in_features'] + a['out_features'])} "
                     "values", "extra_trainable")
    return None


def _judge_forward(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        verdict = _probe_trouble(case, outcome) or _forward_verdict(case, outcome.value)
        if verdict is not None:
            return verdict
    return Verdict.ok(f"all {len(cases)} forward and backward passes correct")


def _forward_verdict(case: Case, got: dict) -> Verdict | None:
    a = case.args
    if "y" not in got:
        if "A_shape" in got and _shape_verdict(case, got):
            return _shape_verdict(case, got)
        return _fail(case, f"your forward pass raised an error: {got.get('error', 'no output')}", "error")
    verdict = judge_value(case, Outcome(value=got["y"]), _forward(**a), LAYER_TOL, FORWARD_MISTAKES,
                          what="forward(x) with the given A and B")
    if not verdict.passed:
        return verdict
    if "graph" in got or "grad_A" not in got or "grad_B" not in got:
        return _fail(case, "no gradient reached A and B: the update must stay in the autograd graph "
                     "(no torch.no_grad(), .detach() or .data in forward)", "no_gradient")
    for name, expected in zip(("A", "B"), _grads(**a)):
        verdict = judge_value(case, Outcome(value=got[f"grad_{name}"]), expected, LAYER_TOL,
                              what=f"the gradient reaching {name}")
        if not verdict.passed:
            return Verdict(False, verdict.message, "wrong_gradient")
    if "error" in got:
        return _fail(case, f"your layer raised an error: {got['error']}", "error")
    return None


check_layer_init = register(Check(
    id="lora.layer_init",
    target="LoRALinear",
    summary="LoRALinear starts right: A (r, in) random and B (out, r) zero, both trainable; "
            "base weight and bias frozen; output at initialisation equals base(x)",
    make_cases=_layer_cases,
    judge=_judge_init,
    probe="lora_layer",
    forbidden=scratch.PEFT,
    watch=scratch.WATCH_PEFT,
    tolerance=Tolerance(LAYER_TOL, "relative"),
    kind="probe",
    mistakes=[*INIT_OUTPUT_MISTAKES, *SHAPE_MISTAKES, *INIT_MISTAKES],
)).runner()

check_layer_forward = register(Check(
    id="lora.layer_forward",
    target="LoRALinear",
    summary="LoRALinear.forward computes base(x) + (x @ A.T @ B.T) * alpha / r and its gradient "
            "reaches A and B (tolerance 1e-8, float64)",
    make_cases=_layer_cases,
    judge=_judge_forward,
    probe="lora_layer",
    forbidden=scratch.PEFT,
    watch=scratch.WATCH_PEFT,
    tolerance=Tolerance(LAYER_TOL, "relative"),
    kind="probe",
    mistakes=[*FORWARD_MISTAKES, *SHAPE_MISTAKES, *GRADIENT_MISTAKES],
)).runner()


# --------------------------------------------------------------------------------------
# merge(layer)


def _merge_cases(rng: np.random.Generator) -> list[Case]:
    out = []
    for label, r, alpha, bias in (("a layer with bias", 3, 16.0, True), ("a layer without bias", 2, 8.0, False),
                                  ("rank 1", 1, 4.0, True)):
        i = int(rng.integers(6, 12))
        o = int(rng.choice([k for k in range(4, 11) if k != i]))
        case = _layer_case(rng, label, i, o, r, alpha, bias, (1,))
        out.append(Case(label, {k: v for k, v in case.args.items() if k not in ("x", "g")}))
    return out


MERGE_KEYS = ("in_features", "out_features", "r", "alpha", "bias", "seed", "W", "b", "A", "B")


def _merge_fn(fn):
    return lambda *values: fn(**dict(zip(MERGE_KEYS, values)))


def _merged(W, A, B, alpha, r, **_):
    return W + (alpha / r) * B @ A


MERGE_MISTAKES = [
    Mistake("added_twice", "the update is added twice: the merged weight is W + (alpha / r) B A, once",
            _merge_fn(lambda W, A, B, alpha, r, **_: W + 2 * (alpha / r) * B @ A)),
    Mistake("no_scaling", "the update B A is not scaled by alpha / r", _merge_fn(lambda W, A, B, **_: W + B @ A)),
    Mistake("inverted_scaling", "the update is scaled by r / alpha; the scaling is alpha / r",
            _merge_fn(lambda W, A, B, alpha, r, **_: W + (r / alpha) * B @ A)),
    Mistake("sqrt_scaling", "the update is scaled by alpha / sqrt(r); this assignment uses alpha / r",
            _merge_fn(lambda W, A, B, alpha, r, **_: W + (alpha / np.sqrt(r)) * B @ A)),
    Mistake("update_only", "you returned only the update (alpha / r) B A; the merged weight adds it to W",
            _merge_fn(lambda W, A, B, alpha, r, **_: (alpha / r) * B @ A)),
    Mistake("subtracted", "the update is subtracted from W; merging adds it",
            _merge_fn(lambda W, A, B, alpha, r, **_: W - (alpha / r) * B @ A)),
    Mistake("transposed", "the merged weight is transposed: return it with nn.Linear's shape "
            "(out_features, in_features), like layer.base.weight",
            _merge_fn(lambda **a: _merged(**a).T)),
]


def _judge_merge(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        if outcome.error:
            verdict = judge_value(case, outcome, 0, LAYER_TOL, what="merge(layer)")
            return verdict
        got = outcome.value
        expected = _merged(**case.args)
        verdict = judge_value(case, Outcome(value=got["merged"]), expected, LAYER_TOL, MERGE_MISTAKES,
                              what="merge(layer)")
        if not verdict.passed:
            return verdict
        if "error" in got:
            return _fail(case, f"calling merge a second time raised an error: {got['error']}", "in_place")
        changed = rel_error(got["base_after"], case.args["W"]) > LAYER_TOL
        again = got["merged_again"].shape != expected.shape or rel_error(got["merged_again"], expected) > LAYER_TOL
        if changed or again:
            return _fail(case, "merge changed the layer: after one call layer.base.weight is no longer W, so a "
                         "second merge adds the update again. Return a new tensor (W + (alpha / r) B A) and "
                         "leave the layer as it was", "in_place")
    return Verdict.ok(f"all {len(cases)} merged weights correct")


check_merge = register(Check(
    id="lora.merge",
    target="merge",
    summary="merge(layer) returns W + (alpha / r) B A with shape (out, in) and leaves the layer unchanged "
            "(tolerance 1e-8)",
    make_cases=_merge_cases,
    judge=_judge_merge,
    probe="lora_merge",
    forbidden=scratch.PEFT,
    watch=scratch.WATCH_PEFT,
    tolerance=Tolerance(LAYER_TOL, "relative"),
    kind="probe",
    mistakes=[*MERGE_MISTAKES, IN_PLACE],
)).runner()


# --------------------------------------------------------------------------------------
# Parameter counts


_SIZES = [64, 96, 128, 256, 320, 512, 768, 1024, 4096]


def _two_sizes(rng):
    i, o = rng.choice(_SIZES, size=2, replace=False)
    return int(i), int(o)


def _telling(rng, draw, reference, mistakes) -> Case:
    """A case on which the catalogued mistakes that differ from the answer all give different
    numbers, so the first case names them unambiguously (a bounded number of draws)."""
    for _ in range(100):
        case = draw()
        expected = reference(*case.args.values())
        wrong = [m.compute(*case.args.values()) for m in mistakes]
        wrong = [w for w in wrong if w != expected]
        if len(set(wrong)) == len(wrong):
            break
    return case


def _lora_count_cases(rng: np.random.Generator) -> list[Case]:
    def first():
        i, o = _two_sizes(rng)
        return Case("a layer with bias", {"in_features": i, "out_features": o, "r": int(rng.choice([4, 8, 16])),
                                          "bias": True})

    cases = [_telling(rng, first, _lora_count, LORA_COUNT_MISTAKES)]
    i, o = _two_sizes(rng)
    cases.append(Case("a layer without bias", {"in_features": i, "out_features": o, "r": int(rng.choice([2, 8])),
                                               "bias": False}))
    i = int(rng.integers(10, 200))
    cases.append(Case("a square layer, rank 1", {"in_features": i, "out_features": i, "r": 1, "bias": True}))
    i, o = int(rng.integers(10, 300)), int(rng.integers(10, 300))
    cases.append(Case("odd sizes", {"in_features": i, "out_features": o, "r": int(rng.integers(2, 9)),
                                    "bias": bool(rng.integers(2))}))
    return cases


def _lora_count(in_features, out_features, r, bias=True):
    return r * (in_features + out_features)


LORA_COUNT_MISTAKES = [
    Mistake("counted_bias", "you counted the bias, but it stays frozen with the base layer: LoRA trains only "
            "A and B", lambda i, o, r, bias: r * (i + o) + (o if bias else 0)),
    Mistake("counted_frozen_weight", "you counted the frozen weight W as trainable; LoRA trains only A and B",
            lambda i, o, r, bias: r * (i + o) + i * o),
    Mistake("all_parameters", "you counted every parameter of the adapted layer, frozen ones included; the "
            "question asks for the trainable ones (A and B)", lambda i, o, r, bias: r * (i + o) + i * o + (o if bias else 0)),
    Mistake("only_A", "you counted only A (r x in_features); B (out_features x r) is trained too",
            lambda i, o, r, bias: r * i),
    Mistake("only_B", "you counted only B (out_features x r); A (r x in_features) is trained too",
            lambda i, o, r, bias: r * o),
    Mistake("product", "r * in_features * out_features is the size of r full matrices; A and B together hold "
            "r * in_features + out_features * r values", lambda i, o, r, bias: r * i * o),
    Mistake("forgot_rank", "you left out the rank: A has r rows and B has r columns",
            lambda i, o, r, bias: i + o),
]


def _full_count_cases(rng: np.random.Generator) -> list[Case]:
    def first():
        i, o = _two_sizes(rng)
        return Case("a layer with bias", {"in_features": i, "out_features": o, "bias": True})

    cases = [_telling(rng, first, _full_count, FULL_COUNT_MISTAKES)]
    i, o = _two_sizes(rng)
    cases.append(Case("a layer without bias", {"in_features": i, "out_features": o, "bias": False}))
    i, o = int(rng.integers(2, 300)), int(rng.integers(2, 300))
    cases.append(Case("odd sizes", {"in_features": i, "out_features": o, "bias": True}))
    cases.append(Case("a 1 x 1 layer", {"in_features": 1, "out_features": 1, "bias": bool(rng.integers(2))}))
    return cases


def _full_count(in_features, out_features, bias=True):
    return in_features * out_features + (out_features if bias else 0)


FULL_COUNT_MISTAKES = [
    Mistake("forgot_bias", "full fine-tuning trains the bias too: add out_features when bias=True",
            lambda i, o, bias: i * o),
    Mistake("bias_flag_ignored", "you counted a bias although bias=False", lambda i, o, bias: i * o + o),
    Mistake("bias_per_input", "the bias has one value per output feature (out_features), not per input",
            lambda i, o, bias: i * o + (i if bias else 0)),
    Mistake("sum_not_product", "W has in_features * out_features entries (one per input-output pair), "
            "not in_features + out_features", lambda i, o, bias: i + o + (o if bias else 0)),
    Mistake("single_bias", "the bias is a vector with one value per output feature, not a single number",
            lambda i, o, bias: i * o + (1 if bias else 0)),
    Mistake("bias_per_weight", "you counted a bias for every weight; there is one per output feature",
            lambda i, o, bias: 2 * i * o if bias else i * o),
]

def _judge_counts(reference, mistakes, what):
    """Counts are exact: a mistake is named only when it matches exactly (a relative tolerance
    would confuse counts that differ by one on large layers)."""

    def judge(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
        if len(outcomes) != len(cases):
            return Verdict(False, "the grader received no result for some inputs", "missing")
        for case, outcome in zip(cases, outcomes):
            expected = reference(*case.args.values())
            value = outcome.value
            if not outcome.error and not isinstance(value, (tuple, dict, str)) and np.size(value) == 1 \
                    and np.asarray(value).dtype.kind in "iuf":
                got = float(np.asarray(value).ravel()[0])
                if got == expected:
                    continue
                for mistake in mistakes:
                    wrong = mistake.compute(*case.args.values())
                    if wrong != expected and got == wrong:
                        return _fail(case, mistake.message, mistake.name)
            verdict = judge_value(case, outcome, expected, COUNT_TOL, what=what)
            if not verdict.passed:
                return verdict
        return Verdict.ok(f"all {len(cases)} inputs correct")

    return judge


check_lora_param_count = register(Check(
    id="lora.lora_param_count",
    target="lora_param_count",
    summary="lora_param_count(in, out, r, bias) counts the trainable parameters of a LoRA layer exactly",
    make_cases=_lora_count_cases,
    judge=_judge_counts(_lora_count, LORA_COUNT_MISTAKES, "lora_param_count"),
    tolerance=Tolerance(0.0, "exact", floor=0.0),
    kind="value",
    mistakes=LORA_COUNT_MISTAKES,
)).runner()

check_full_param_count = register(Check(
    id="lora.full_param_count",
    target="full_param_count",
    summary="full_param_count(in, out, bias) counts the trainable parameters of full fine-tuning exactly",
    make_cases=_full_count_cases,
    judge=_judge_counts(_full_count, FULL_COUNT_MISTAKES, "full_param_count"),
    tolerance=Tolerance(0.0, "exact", floor=0.0),
    kind="value",
    mistakes=FULL_COUNT_MISTAKES,
)).runner()


# --------------------------------------------------------------------------------------
# captured_fraction(delta_W, r)


def _captured_cases(rng: np.random.Generator) -> list[Case]:
    def low_rank_plus_noise(m, n, k, noise):
        U = rng.normal(size=(m, k)) * np.linspace(3.0, 1.0, k)
        return U @ rng.normal(size=(k, n)) + noise * rng.normal(size=(m, n))

    m, n = int(rng.integers(8, 16)), int(rng.integers(8, 16))
    cases = [
        Case("a low-rank update plus noise", {"delta_W": low_rank_plus_noise(m, n, 4, 0.3),
                                              "r": int(rng.integers(2, 4))}),
        Case("a random square update", {"delta_W": rng.normal(size=(n, n)), "r": int(rng.integers(2, n - 2))}),
    ]
    m, n = int(rng.integers(3, 7)), int(rng.integers(9, 15))
    cases.append(Case("a wide update", {"delta_W": low_rank_plus_noise(m, n, 2, 0.5), "r": int(rng.integers(1, m))}))
    m, n = int(rng.integers(5, 12)), int(rng.integers(5, 12))
    cases.append(Case("r equal to the full dimension", {"delta_W": rng.normal(size=(m, n)), "r": min(m, n)}))
    cases.append(Case("an exactly rank-1 update, r = 1", {"delta_W": np.outer(rng.normal(size=m), rng.normal(size=n)),
                                                          "r": 1}))
    return cases


def _sv(delta_W):
    return np.linalg.svd(np.asarray(delta_W, dtype=float), compute_uv=False)


def _captured(delta_W, r):
    s2 = _sv(delta_W) ** 2
    return float(np.sum(s2[:r]) / np.sum(s2))


CAPTURED_MISTAKES = [
    Mistake("not_squared", "you summed singular values, not their squares: the energy (squared Frobenius "
            "norm) of an update is the sum of its squared singular values",
            lambda d, r: float(np.sum(_sv(d)[:r]) / np.sum(_sv(d)))),
    Mistake("smallest_values", "you kept the r smallest singular values (e.g. eigenvalues from np.linalg.eigh "
            "come in increasing order); the best rank-r approximation keeps the r largest",
            lambda d, r: float(np.sum(np.sort(_sv(d) ** 2)[:r]) / np.sum(_sv(d) ** 2))),
    Mistake("residual", "you returned the share that rank r misses (1 - captured); return the share it keeps",
            lambda d, r: 1.0 - _captured(d, r)),
    Mistake("norm_ratio", "you returned a ratio of norms, ||rank-r part|| / ||delta_W||; the captured "
            "fraction compares energies, the squared norms", lambda d, r: float(np.sqrt(_captured(d, r)))),
    Mistake("off_by_one", "you kept r + 1 singular values (check your slice: s[:r] keeps r of them)",
            lambda d, r: _captured(d, r + 1)),
    Mistake("percent", "you returned a percentage; return a fraction between 0 and 1",
            lambda d, r: 100.0 * _captured(d, r)),
    Mistake("columns", "you kept the first r columns of delta_W; rank r keeps the r strongest singular "
            "directions, which are not columns of the matrix",
            lambda d, r: float(np.sum(np.asarray(d)[:, :r] ** 2) / np.sum(np.asarray(d) ** 2))),
]

check_captured_fraction = register(Check(
    id="lora.captured_fraction",
    target="captured_fraction",
    summary="captured_fraction(delta_W, r) = sum of the r largest squared singular values / sum of all "
            "(tolerance 1e-8)",
    make_cases=_captured_cases,
    judge=lambda cases, outcomes: judge_cases(cases, outcomes, _captured, FRACTION_TOL, CAPTURED_MISTAKES,
                                              what="captured_fraction"),
    tolerance=Tolerance(FRACTION_TOL, "relative"),
    kind="value",
    mistakes=CAPTURED_MISTAKES,
)).runner()

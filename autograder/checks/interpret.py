"""Hidden checks for 19-interpretability: a concept direction from two classes of activations,
scores along it, a linear probe judged on held-out rows, ablation and steering.

Conventions the prompts state and these checks enforce:

* ``concept_direction(pos, neg)`` is (mean of pos - mean of neg) / its Euclidean norm: unit
  length, pointing from the negative class towards the positive one;
* ``project_scores(acts, direction)`` is ``acts @ direction / ||direction||`` for a direction
  of any length: the signed length of each row's component along it;
* ``linear_probe(acts, labels, test_acts, test_labels)`` fits (w, b) on the training split
  only, predicts label 1 where ``x @ w + b > 0``, and returns (w, b, the fraction of the
  held-out rows it classifies correctly). Any linear fit is accepted (least squares,
  logistic regression, ...) when its held-out accuracy reaches ACC_BAR and its w points
  within COS_BAR (cosine) of the trusted least-squares fit;
* ``ablate(acts, direction)`` removes each row's component along the unit direction;
* ``steer(acts, direction, alpha)`` adds alpha times the unit direction to every row.

Activations are synthetic, with a planted concept direction and an offset from the origin
(as real sentence embeddings have), some with unit-length rows like normalised embeddings.
No check loads a model.
"""

from __future__ import annotations

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import describe_failure, judge_all, raised

TOL = Tolerance(1e-5, "scale", floor=1e-8)
ACC_TOL = Tolerance(1e-6, "close", floor=1e-9)  # the reported accuracy against its own (w, b)
ACC_BAR = 0.85  # held-out accuracy a probe must reach (the trusted fit reaches about 0.93)
COS_BAR = 0.9  # cosine between the probe's w and the trusted least-squares w


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _unit(v) -> np.ndarray:
    v = _f64(v)
    return v / np.linalg.norm(v)


def _rows_unit(X) -> np.ndarray:
    X = _f64(X)
    return X / np.linalg.norm(X, axis=-1, keepdims=True)


def _directions(rng: np.random.Generator, d: int, r: int) -> np.ndarray:
    """r orthonormal directions in d dimensions, as rows."""
    q, upper = np.linalg.qr(rng.normal(size=(d, r)))
    return (q * np.sign(np.diag(upper))).T


def _planted(rng, n_pos, n_neg, d, sep=3.0, offset=4.0, unit_rows=False):
    """Two classes of activations: a common offset, +-sep/2 along a planted unit direction u,
    and unit Gaussian noise. Returns (pos, neg, u)."""
    u, o = _directions(rng, d, 2)
    centre = offset * o

    def draw(n, sign):
        return centre + sign * sep / 2 * u + rng.normal(size=(n, d))

    pos, neg = draw(n_pos, 1.0), draw(n_neg, -1.0)
    if unit_rows:
        pos, neg = _rows_unit(pos), _rows_unit(neg)
    return pos, neg, u


def _acts_and_direction(rng, n, d, norm, unit_rows=False):
    pos, neg, u = _planted(rng, n // 2, n - n // 2, d, unit_rows=unit_rows)
    acts = np.concatenate([pos, neg])[rng.permutation(n)]
    return acts, norm * _unit(u + 0.3 * rng.normal(size=d) / np.sqrt(d))


# ---------------------------------------------------------------------------------------
# concept_direction
# ---------------------------------------------------------------------------------------

def _mean_diff(pos, neg):
    return _f64(pos).mean(axis=0) - _f64(neg).mean(axis=0)


def _direction_ref(pos, neg):
    return _unit(_mean_diff(pos, neg))


def _top_components(pos, neg):
    """The first principal component of the pooled activations, centred and not."""
    X = np.concatenate([_f64(pos), _f64(neg)])
    return [np.linalg.svd(Y, full_matrices=False)[2][0] for Y in (X - X.mean(axis=0), X)]


DIRECTION_MISTAKES = [
    Mistake("not_normalised", "your direction is the difference of the means but not unit length; divide it by "
            "its Euclidean norm, np.linalg.norm(diff)", _mean_diff),
    Mistake("sign_reversed", "your direction points the wrong way: it goes from the positive class to the "
            "negative one; the convention is mean(pos) - mean(neg)", lambda pos, neg: _direction_ref(neg, pos)),
    Mistake("summed", "you subtracted the SUMS of the two classes; with classes of different sizes that is not "
            "the difference of the means: use pos.mean(axis=0) - neg.mean(axis=0)",
            lambda pos, neg: _unit(_f64(pos).sum(axis=0) - _f64(neg).sum(axis=0))),
    Mistake("rows_normalised", "you scaled every activation to unit length before averaging; take the means of "
            "the activations as given", lambda pos, neg: _direction_ref(_rows_unit(pos), _rows_unit(neg))),
    Mistake("means_normalised", "you normalised each class mean before subtracting them; subtract the means as "
            "they are, then normalise the difference once",
            lambda pos, neg: _unit(_unit(_f64(pos).mean(axis=0)) - _unit(_f64(neg).mean(axis=0)))),
    Mistake("l1_norm", "you divided by the sum of the absolute values (the L1 norm); unit length means the "
            "Euclidean norm, sqrt(sum of squares)",
            lambda pos, neg: _mean_diff(pos, neg) / np.abs(_mean_diff(pos, neg)).sum()),
    Mistake("squared_norm", "you divided by the squared norm; divide the difference by its norm itself",
            lambda pos, neg: _mean_diff(pos, neg) / np.sum(_mean_diff(pos, neg) ** 2)),
    Mistake("pca", "you returned the first principal component of all the activations; the concept direction is "
            "the difference of the two class means (PCA ignores the labels and finds the largest spread)"),
]


def _diagnose_direction(case, received, expected):
    (r,), (e,) = received, expected
    if r.shape != e.shape or not np.all(np.isfinite(r)) or np.linalg.norm(r) == 0:
        return None
    for pc in _top_components(case.args["pos"], case.args["neg"]):
        if abs(_unit(r) @ pc) > 1 - 1e-6 and abs(_unit(r) @ e) < 1 - 1e-6:
            return Verdict(False, describe_failure(case, DIRECTION_MISTAKES[-1].message), "pca")
    return None


def _direction_cases(rng):
    d = int(rng.integers(6, 12))
    cases = []
    pos, neg, _ = _planted(rng, 40, 25, d)
    cases.append(Case(f"a planted direction, 40 positive and 25 negative rows, d = {d}", {"pos": pos, "neg": neg}))
    pos, neg, _ = _planted(rng, 30, 50, 48, unit_rows=True)
    cases.append(Case("unit-length rows like sentence embeddings, 30 and 50 rows, d = 48", {"pos": pos, "neg": neg}))
    pos, neg, _ = _planted(rng, 20, 35, 16, offset=40.0)
    cases.append(Case("activations far from the origin (offset 40), 20 and 35 rows", {"pos": pos, "neg": neg}))
    pos, neg, _ = _planted(rng, 1, 1, 5)
    cases.append(Case("one row in each class", {"pos": pos, "neg": neg}))
    pos, neg, _ = _planted(rng, 25, 30, 12)
    cases.append(Case("float32 activations, 25 and 30 rows", {"pos": pos.astype(np.float32),
                                                               "neg": neg.astype(np.float32)}))
    return cases


check_concept_direction = register(Check(
    id="interpret.concept_direction",
    target="concept_direction",
    summary="concept_direction(pos, neg) is the unit vector along mean(pos) - mean(neg) (tolerance 1e-5 relative "
            "to the largest entry)",
    make_cases=_direction_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _direction_ref, TOL.value, DIRECTION_MISTAKES,
                                            what="concept_direction(pos, neg)", diagnose=_diagnose_direction),
    tolerance=TOL,
    kind="value",
    mistakes=DIRECTION_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# project_scores
# ---------------------------------------------------------------------------------------

def _scores_ref(acts, direction):
    return _f64(acts) @ _unit(direction)


SCORE_MISTAKES = [
    Mistake("not_normalised", "you computed acts @ direction without dividing by the direction's length; the "
            "direction you are given need not be unit length: divide by np.linalg.norm(direction)",
            lambda acts, direction: _f64(acts) @ _f64(direction)),
    Mistake("squared_norm", "you divided by the squared length of the direction (the coefficient of the vector "
            "projection); the score is acts @ direction / ||direction||",
            lambda acts, direction: _f64(acts) @ _f64(direction) / np.sum(_f64(direction) ** 2)),
    Mistake("vector_projection", "you returned the projected vectors (n, d); return one number per row, the "
            "signed length acts @ direction / ||direction||",
            lambda acts, direction: np.outer(_scores_ref(acts, direction), _unit(direction))),
    Mistake("sign_reversed", "your scores have the wrong sign; a row on the positive side of the direction must "
            "score above 0: acts @ direction / ||direction||", lambda acts, direction: -_scores_ref(acts, direction)),
    Mistake("cosine", "you divided each score by the length of its row (a cosine similarity); the score is the "
            "projection itself, acts @ direction / ||direction||",
            lambda acts, direction: _rows_unit(acts) @ _unit(direction)),
    Mistake("centred", "you subtracted the mean activation before projecting; project the activations as given",
            lambda acts, direction: (_f64(acts) - _f64(acts).mean(axis=0)) @ _unit(direction)),
    Mistake("absolute", "you returned absolute values; the sign of a score says which side of the concept the "
            "row is on, keep it", lambda acts, direction: np.abs(_scores_ref(acts, direction))),
]


def _score_cases(rng):
    d = int(rng.integers(8, 16))
    cases = []
    acts, v = _acts_and_direction(rng, 30, d, 1.0)
    cases.append(Case(f"30 activations, a unit direction, d = {d}", {"acts": acts, "direction": v}))
    acts, v = _acts_and_direction(rng, 25, d, 3.7)
    cases.append(Case("a direction of length 3.7", {"acts": acts, "direction": v}))
    acts, v = _acts_and_direction(rng, 40, 48, 0.3, unit_rows=True)
    cases.append(Case("unit-length rows like sentence embeddings, a direction of length 0.3",
                      {"acts": acts, "direction": v}))
    acts, v = _acts_and_direction(rng, 20, 10, 0.05)
    cases.append(Case("float32 activations, a direction of length 0.05",
                      {"acts": acts.astype(np.float32), "direction": v.astype(np.float32)}))
    acts, v = _acts_and_direction(rng, 6, 7, 2.0)
    cases.append(Case("a single row", {"acts": acts[:1], "direction": v}))
    return cases


check_project_scores = register(Check(
    id="interpret.project_scores",
    target="project_scores",
    summary="project_scores(acts, direction) is acts @ direction / ||direction|| (tolerance 1e-5 relative to the "
            "largest entry)",
    make_cases=_score_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _scores_ref, TOL.value, SCORE_MISTAKES,
                                            what="project_scores(acts, direction)"),
    tolerance=TOL,
    kind="value",
    mistakes=SCORE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# linear_probe
# ---------------------------------------------------------------------------------------

def _least_squares(X, labels):
    """The trusted probe: least squares on targets +1 / -1 with an intercept."""
    X = _f64(X)
    t = np.where(np.asarray(labels) == 1, 1.0, -1.0)
    mean = X.mean(axis=0)
    w = np.linalg.lstsq(X - mean, t - t.mean(), rcond=None)[0]
    return w, t.mean() - mean @ w


def _accuracy(X, labels, w, b) -> float:
    return float(np.mean((_f64(X) @ w + b > 0) == (np.asarray(labels) == 1)))


def _cos(a, b) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


PROBE_MISTAKES = [
    Mistake("sign_reversed", "your probe points the wrong way: it predicts label 1 where x @ w + b < 0; label 1 "
            "must get x @ w + b > 0 (fit targets +1 for label 1 and -1 for label 0)"),
    Mistake("leaked", "your probe was fitted on the held-out rows as well as the training rows: fit on "
            "(acts, labels) only and use (test_acts, test_labels) for scoring alone"),
    Mistake("fitted_on_test", "your probe was fitted on the held-out rows (test_acts, test_labels); fit it on "
            "(acts, labels) and score it on the held-out rows"),
    Mistake("scored_on_train", "the accuracy you return is the one on the training rows, which the probe has "
            "already seen; return the fraction of the held-out rows (test_acts, test_labels) it gets right"),
    Mistake("scored_on_all", "the accuracy you return is measured on the training and held-out rows together; "
            "measure it on the held-out rows (test_acts, test_labels) only"),
    Mistake("error_rate", "you returned the error rate (the fraction wrong); return the accuracy, the fraction "
            "of held-out rows classified correctly"),
    Mistake("percent", "you returned the accuracy as a percentage; return a fraction between 0 and 1"),
    Mistake("count", "you returned the number of held-out rows classified correctly; divide by the number of "
            "held-out rows to get a fraction"),
    Mistake("threshold_01", "you fitted targets 0 and 1 but predict label 1 where x @ w + b > 0; with 0/1 targets "
            "the cut is at 0.5: subtract 0.5 from b (or fit targets -1 and +1)"),
    Mistake("no_intercept", "your probe has no intercept (b = 0), so its boundary must pass through the origin; "
            "fit b as well (a column of ones, or centre the activations first)"),
    Mistake("weak_probe", f"your probe does not separate the classes as a probe fitted to the training rows does "
            f"(held-out accuracy at least {ACC_BAR} and w within cosine {COS_BAR} of the trusted least-squares w); "
            "fit w and b to all the training rows, by least squares on targets +1 / -1 or logistic regression"),
]
PROBE = {m.name: m for m in PROBE_MISTAKES}


def _probe_fail(case, name, detail=""):
    return Verdict(False, describe_failure(case, PROBE[name].message + detail), name)


def _probe_split(rng, n_train, n_test, d, sep=3.4, offset=4.0, along_u=False, unit_rows=False, shortcut=0.0,
                 balance=0.5):
    """Training and held-out rows with a planted direction u; ``shortcut`` > 0 gives the held-out
    rows (only) a second feature that gives their label away, so a probe that saw them leans on it."""
    u, o, t = _directions(rng, d, 3)
    centre = offset * (u if along_u else o)

    def draw(n, trap):
        labels = (rng.random(n) < balance).astype(np.int64)
        labels[:2] = [0, 1]
        signs = 2.0 * labels - 1.0
        X = centre + np.outer(signs * sep / 2, u) + rng.normal(size=(n, d))
        if trap:
            X += np.outer(signs * shortcut + 0.3 * rng.normal(size=n) - X @ t + centre @ t, t)
        if unit_rows:
            X = _rows_unit(X)
        perm = rng.permutation(n)
        return X[perm], labels[perm]

    acts, labels = draw(n_train, False)
    test_acts, test_labels = draw(n_test, shortcut > 0)
    return {"acts": acts, "labels": labels, "test_acts": test_acts, "test_labels": test_labels}


SHORTCUT = ("held-out rows that carry a second feature giving their label away (the training rows do not): a "
            "probe fitted on the training rows alone ignores it")


def _probe_cases(rng):
    d = int(rng.integers(8, 14))
    split = _probe_split(rng, 400, 400, d)
    cases = [Case(f"a planted direction, 400 training and 400 held-out rows, d = {d}", split)]
    split = _probe_split(rng, 300, 600, 8, shortcut=2.0)
    cases.append(Case(SHORTCUT, split))
    split = _probe_split(rng, 400, 300, 12, offset=6.0, along_u=True)
    cases.append(Case("both classes far from the origin along the concept (an intercept is needed)", split))
    split = _probe_split(rng, 500, 300, 24, offset=5.0, unit_rows=True)
    cases.append(Case("unit-length rows like sentence embeddings, d = 24", split))
    split = _probe_split(rng, 400, 300, 10, balance=0.3)
    split["acts"] = split["acts"].astype(np.float32)
    split["test_acts"] = split["test_acts"].astype(np.float32)
    cases.append(Case("float32 activations, 30% positive labels", split))
    return cases


def _judge_probe_case(case, outcome) -> Verdict:
    a = case.args
    what = "linear_probe(acts, labels, test_acts, test_labels)"
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if not isinstance(value, tuple) or len(value) != 3:
        got = f"a tuple of {len(value)} items" if isinstance(value, tuple) else f"a single {outcome.kind or 'value'}"
        return Verdict(False, describe_failure(case, f"{what} should return a tuple (w, b, accuracy), but returned "
                                                     f"{got}"), "wrong_type")
    w, b, acc = (np.asarray(v) for v in value)
    d = a["acts"].shape[1]
    if w.shape != (d,):
        return Verdict(False, describe_failure(case, f"w has shape {w.shape}, expected ({d},): one weight per "
                                                     "feature"), "wrong_shape")
    if b.size != 1 or acc.size != 1:
        name = "b" if b.size != 1 else "accuracy"
        return Verdict(False, describe_failure(case, f"{name} should be one number, not an array of shape "
                                                     f"{(b if name == 'b' else acc).shape}"), "wrong_shape")
    if any(np.iscomplexobj(x) for x in (w, b, acc)):
        return Verdict(False, describe_failure(case, "your probe returned complex numbers; expected real ones"),
                       "complex_output")
    w, b, acc = _f64(w), float(_f64(b).ravel()[0]), float(_f64(acc).ravel()[0])
    if not (np.all(np.isfinite(w)) and np.isfinite(b) and np.isfinite(acc)):
        return Verdict(False, describe_failure(case, "your probe returned nan or inf"), "not_finite")
    if not np.any(w):
        return Verdict(False, describe_failure(case, "your w is all zeros, so the probe predicts the same label "
                                                     "for every row; fit it to the training rows"), "wrong_value")

    X, y, Xt, yt = a["acts"], a["labels"], a["test_acts"], a["test_labels"]
    w_ref, b_ref = _least_squares(X, y)
    cos = _cos(w, w_ref)
    if cos < -0.5:
        return _probe_fail(case, "sign_reversed", f" (cosine with the trusted fit {cos:.2f})")
    if case.label == SHORTCUT:
        w_all, _ = _least_squares(np.concatenate([X, Xt]), np.concatenate([y, yt]))
        w_test, _ = _least_squares(Xt, yt)
        if _cos(w, w_test) > cos:
            return _probe_fail(case, "fitted_on_test")
        if _cos(w, w_all) > cos:
            return _probe_fail(case, "leaked")

    held_out = _accuracy(Xt, yt, w, b)
    if abs(acc - held_out) > ACC_TOL.value * abs(held_out) + ACC_TOL.floor:
        on_train = _accuracy(X, y, w, b)
        on_all = _accuracy(np.concatenate([X, Xt]), np.concatenate([y, yt]), w, b)
        for name, value in (("error_rate", 1 - held_out), ("percent", 100 * held_out),
                            ("count", held_out * len(yt)), ("scored_on_train", on_train),
                            ("scored_on_all", on_all)):
            if abs(value - held_out) > 1e-9 and abs(acc - value) <= 1e-6 * abs(value) + 1e-9:
                return _probe_fail(case, name, f" (held-out accuracy {held_out:.4f}, you returned {acc:.4f})")
        return Verdict(False, describe_failure(
            case, f"the accuracy you return, {acc:.6g}, is not the fraction of held-out rows your own (w, b) "
                  f"classifies correctly, {held_out:.6g} (label 1 where test_acts @ w + b > 0; tolerance "
                  f"{ACC_TOL.stated})"), "wrong_value")

    if held_out < ACC_BAR:
        detail = f" (held-out accuracy {held_out:.3f}; the trusted least-squares probe gets " \
                 f"{_accuracy(Xt, yt, w_ref, b_ref):.3f})"
        if _accuracy(Xt, yt, w, b - 0.5) >= ACC_BAR:
            return _probe_fail(case, "threshold_01", detail)
        if b == 0.0:
            return _probe_fail(case, "no_intercept", detail)
        return _probe_fail(case, "weak_probe", detail)
    if cos < COS_BAR:
        return _probe_fail(case, "weak_probe", f" (cosine between your w and the trusted w: {cos:.3f})")
    return Verdict.ok()


check_linear_probe = register(Check(
    id="interpret.linear_probe",
    target="linear_probe",
    summary=f"linear_probe fits (w, b) on the training split only, reaches held-out accuracy >= {ACC_BAR} with w "
            f"within cosine {COS_BAR} of the trusted fit, and returns its held-out accuracy (tolerance "
            f"{ACC_TOL.stated})",
    make_cases=_probe_cases,
    judge=each_case(_judge_probe_case),
    tolerance=ACC_TOL,
    kind="parts",
    mistakes=PROBE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# ablate
# ---------------------------------------------------------------------------------------

def _component(acts, direction):
    u = _unit(direction)
    return np.outer(_f64(acts) @ u, u)


def _ablate_ref(acts, direction):
    return _f64(acts) - _component(acts, direction)


def _zero_coordinate(acts, direction):
    out = _f64(acts).copy()
    out[:, int(np.argmax(np.abs(_f64(direction))))] = 0.0
    return out


ABLATE_MISTAKES = [
    Mistake("subtracted_direction", "you subtracted the direction itself from every row; ablation subtracts each "
            "row's own component along it, (acts @ u)[:, None] * u with u the unit direction",
            lambda acts, direction: _f64(acts) - _unit(direction)),
    Mistake("subtracted_direction", "you subtracted the direction itself from every row; ablation subtracts each "
            "row's own component along it, (acts @ u)[:, None] * u with u the unit direction",
            lambda acts, direction: _f64(acts) - _f64(direction)),
    Mistake("not_normalised", "you used the direction without making it unit length, so you removed too much or "
            "too little; set u = direction / np.linalg.norm(direction) first",
            lambda acts, direction: _f64(acts) - np.outer(_f64(acts) @ _f64(direction), _f64(direction))),
    Mistake("one_norm", "you divided by the direction's length only once; the component along d is "
            "(a @ d) / ||d||**2 * d (or normalise d to u and use (a @ u) * u)",
            lambda acts, direction: _f64(acts) - np.outer(_f64(acts) @ _unit(direction), _f64(direction))),
    Mistake("returned_component", "you returned the component along the direction; ablation returns what is "
            "left after removing it, acts - (acts @ u)[:, None] * u", _component),
    Mistake("added", "you added the component instead of subtracting it",
            lambda acts, direction: _f64(acts) + _component(acts, direction)),
    Mistake("centred", "you removed the component of the centred activations; remove the component of each "
            "activation as given, so that every ablated row scores exactly 0 along the direction",
            lambda acts, direction: _f64(acts) - _component(_f64(acts) - _f64(acts).mean(axis=0), direction)),
    Mistake("zero_coordinate", "you zeroed the single coordinate where the direction is largest (a neuron "
            "ablation); remove the component along the whole direction", _zero_coordinate),
]


def _ablate_cases(rng):
    d = int(rng.integers(8, 16))
    cases = []
    acts, v = _acts_and_direction(rng, 20, d, 1.0)
    cases.append(Case(f"20 activations, a unit direction, d = {d}", {"acts": acts, "direction": v}))
    acts, v = _acts_and_direction(rng, 15, d, 2.5)
    cases.append(Case("a direction of length 2.5", {"acts": acts, "direction": v}))
    acts, v = _acts_and_direction(rng, 30, 48, 0.3, unit_rows=True)
    cases.append(Case("unit-length rows like sentence embeddings, a direction of length 0.3",
                      {"acts": acts, "direction": v}))
    acts, v = _acts_and_direction(rng, 12, 9, 4.0)
    cases.append(Case("float32 activations, a direction of length 4",
                      {"acts": acts.astype(np.float32), "direction": v.astype(np.float32)}))
    acts, v = _acts_and_direction(rng, 5, 6, 1.7)
    cases.append(Case("a single row", {"acts": acts[:1], "direction": v}))
    return cases


check_ablate = register(Check(
    id="interpret.ablate",
    target="ablate",
    summary="ablate(acts, direction) removes each row's component along the unit direction; acts unchanged "
            "(tolerance 1e-5 relative to the largest entry)",
    make_cases=_ablate_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _ablate_ref, TOL.value, ABLATE_MISTAKES,
                                            what="ablate(acts, direction)"),
    probe="call_unchanged",  # the prompt says: do not modify acts
    tolerance=TOL,
    kind="value",
    mistakes=ABLATE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# steer
# ---------------------------------------------------------------------------------------

def _steer_ref(acts, direction, alpha):
    return _f64(acts) + alpha * _unit(direction)


STEER_MISTAKES = [
    Mistake("not_normalised", "you stepped along the direction as given, which is not unit length, so every row "
            "moved alpha * ||direction|| instead of alpha; use u = direction / np.linalg.norm(direction)",
            lambda acts, direction, alpha: _f64(acts) + alpha * _f64(direction)),
    Mistake("squared_norm", "you divided the direction by its squared length; divide it by its length once, "
            "u = direction / np.linalg.norm(direction)",
            lambda acts, direction, alpha: _f64(acts) + alpha * _f64(direction) / np.sum(_f64(direction) ** 2)),
    Mistake("sign_reversed", "you moved the rows against the direction; a positive alpha must move them towards "
            "the positive class: acts + alpha * u", lambda acts, direction, alpha: _steer_ref(acts, direction, -alpha)),
    Mistake("set_component", "you replaced each row's component along the direction by alpha * u; steering adds "
            "alpha * u on top of what is there, so every score rises by exactly alpha",
            lambda acts, direction, alpha: _ablate_ref(acts, direction) + alpha * _unit(direction)),
    Mistake("scaled_component", "you multiplied each row's component along the direction by alpha; steering adds "
            "the same vector alpha * u to every row",
            lambda acts, direction, alpha: _ablate_ref(acts, direction) + alpha * _component(acts, direction)),
    Mistake("renormalised", "you rescaled the steered rows to unit length; return acts + alpha * u as it is",
            lambda acts, direction, alpha: _rows_unit(_steer_ref(acts, direction, alpha))),
    Mistake("alpha_ignored", "you added the unit direction without the factor alpha",
            lambda acts, direction, alpha: _steer_ref(acts, direction, 1.0)),
]


def _steer_cases(rng):
    d = int(rng.integers(8, 16))
    cases = []
    acts, v = _acts_and_direction(rng, 20, d, 1.0)
    cases.append(Case(f"a unit direction, alpha = 2.5, d = {d}", {"acts": acts, "direction": v, "alpha": 2.5}))
    acts, v = _acts_and_direction(rng, 15, d, 3.2)
    cases.append(Case("a direction of length 3.2, alpha = -1.5", {"acts": acts, "direction": v, "alpha": -1.5}))
    acts, v = _acts_and_direction(rng, 30, 48, 0.3, unit_rows=True)
    cases.append(Case("unit-length rows like sentence embeddings, a direction of length 0.3, alpha = 0.4",
                      {"acts": acts, "direction": v, "alpha": 0.4}))
    acts, v = _acts_and_direction(rng, 12, 9, 0.5)
    cases.append(Case("float32 activations, a direction of length 0.5, alpha = 3",
                      {"acts": acts.astype(np.float32), "direction": v.astype(np.float32), "alpha": 3.0}))
    return cases


check_steer = register(Check(
    id="interpret.steer",
    target="steer",
    summary="steer(acts, direction, alpha) adds alpha times the unit direction to every row; acts unchanged "
            "(tolerance 1e-5 relative to the largest entry)",
    make_cases=_steer_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _steer_ref, TOL.value, STEER_MISTAKES,
                                            what="steer(acts, direction, alpha)"),
    probe="call_unchanged",  # the prompt says: do not modify acts
    tolerance=TOL,
    kind="value",
    mistakes=STEER_MISTAKES,
)).runner()

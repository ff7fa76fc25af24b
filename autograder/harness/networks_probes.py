"""Probes for 16-neural-networks: functions that take or return a dict of parameters.

``call_params`` calls ``fn(*leading, params)`` where ``params`` is built from the case's
``W1, b1, W2, b2`` (the wire carries arrays, never dicts); ``call_grads`` does the same and
turns the dict of gradients it gets back into the tuple ``(W1, b1, W2, b2)``. ``train_digits`` calls
``train(X, y, hidden, steps, lr, seed)`` and hands back the parameters and the losses.
Runs beside untrusted code: no reference answers here.
"""

from __future__ import annotations

import numpy as np

from autograder.harness.probes import NotPlain, Outcome, _describe_error, _plain_outcome, probe, to_plain

KEYS = ("W1", "b1", "W2", "b2")


def _params(args: dict) -> tuple[list, dict]:
    leading = [np.array(v, copy=True) if isinstance(v, np.ndarray) else v for k, v in args.items() if k not in KEYS]
    return leading, {k: np.array(args[k], copy=True) for k in KEYS if k in args}


def _kind(value) -> str:
    return f"{type(value).__module__}.{type(value).__name__}".replace("builtins.", "")


def _as_params(value, what: str) -> tuple:
    """A dict with the keys W1, b1, W2, b2 (or dW1, ...) as a tuple of plain arrays."""
    if not isinstance(value, dict):
        raise NotPlain(f"{what} is a {type(value).__name__}; expected a dict with the keys "
                       f"{', '.join(KEYS)}")
    out = []
    for key in KEYS:
        found = key if key in value else "d" + key if "d" + key in value else None
        if found is None:
            raise NotPlain(f"{what} has no key {key!r} (its keys: {', '.join(map(str, value))})")
        out.append(to_plain(value[found], f"{what}[{found!r}]"))
    return tuple(out)


def _call(fn, args: dict, grads: bool) -> Outcome:
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    leading, params = _params(args)
    try:
        value = fn(*leading, params)
    except Exception as exc:  # the student's error is the outcome, not ours
        return Outcome(error=_describe_error(exc))
    if not grads:
        return _plain_outcome(value)
    try:
        return Outcome(value=_as_params(value, "the returned value"), kind="dict")
    except NotPlain as exc:
        return Outcome(error=str(exc), kind=_kind(value))


@probe("call_params")
def call_params(fn, args: dict) -> Outcome:
    """``fn(X, params)``: an array back."""
    return _call(fn, args, grads=False)


@probe("call_grads")
def call_grads(fn, args: dict) -> Outcome:
    """``fn(X, y, params)``: a dict of gradients back, handed over as (W1, b1, W2, b2)."""
    return _call(fn, args, grads=True)


@probe("train_digits")
def train_digits(fn, args: dict) -> Outcome:
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    try:
        value = fn(np.array(args["X"], copy=True), np.array(args["y"], copy=True), int(args["hidden"]),
                   int(args["steps"]), float(args["lr"]), int(args["seed"]))
    except Exception as exc:  # the student's error is the outcome, not ours
        return Outcome(error=_describe_error(exc))
    kind = _kind(value)
    try:
        if not isinstance(value, tuple) or len(value) != 2:
            raise NotPlain(f"train should return a tuple (params, losses), but returned a {kind}")
        params = _as_params(value[0], "params (item 0 of the returned tuple)")
        losses = to_plain(list(value[1]) if isinstance(value[1], (list, tuple)) else value[1],
                          "losses (item 1 of the returned tuple)")
    except NotPlain as exc:
        return Outcome(error=str(exc), kind=kind)
    except Exception as exc:  # e.g. losses that are not numbers
        return Outcome(error=f"the returned losses cannot be read: {_describe_error(exc)}", kind=kind)
    return Outcome(value=dict(zip(KEYS, params), losses=losses), kind="tuple")

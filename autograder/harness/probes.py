"""Probes: call a student's code on given inputs and return plain data.

This module runs beside untrusted code (in the sandbox), so it holds no reference answers
and imports nothing from ``autograder.checks``. Whatever it returns is re-validated by the
trusted grader after it crosses the process boundary.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

import numpy as np

MAX_ELEMENTS = 5_000_000  # a student's answer larger than this is refused, not stored


@dataclass
class Outcome:
    """What the student's code produced for one case."""

    value: object = None  # ndarray, or a tuple/dict of ndarrays, or None
    error: str | None = None  # "ValueError: ..." when the call raised
    kind: str = ""  # the Python type that came back, for hints ("list", "torch.Tensor")
    # The array arguments as they were after the call ("call_unchanged"): the trusted side
    # compares them with the inputs it sent, so "unchanged" is never the probe's own word.
    inputs: dict | None = None


class NotPlain(TypeError):
    pass


def to_plain(x, where: str = "the result"):
    """Turn a student's return value into numpy arrays, or raise NotPlain with a hint."""
    module = type(x).__module__
    if x is None:
        raise NotPlain(f"{where} is None: did you forget a `return` statement?")
    if module.startswith("torch") and hasattr(x, "detach"):
        x = x.detach().cpu().resolve_conj().numpy()
    if isinstance(x, (bool, int, float, complex, np.generic)):
        x = np.asarray(x)  # a huge Python int becomes an object array, refused below
    if isinstance(x, (list, tuple)):
        try:
            arr = np.asarray(x)
        except (ValueError, TypeError) as exc:
            raise NotPlain(f"{where} is a {type(x).__name__} that is not a regular array: {exc}")
        x = arr
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "biufc":
            raise NotPlain(f"{where} has dtype {x.dtype}; expected numbers")
        if x.size > MAX_ELEMENTS:
            raise NotPlain(f"{where} has {x.size} elements, far more than expected")
        return np.array(x, copy=True)
    raise NotPlain(f"{where} is a {type(x).__name__}; expected a number or a numpy array")


def _describe_error(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    line = ""
    for frame in reversed(frames):
        if frame.filename.startswith("<cell") or frame.filename.startswith("<ipython"):
            line = f" (cell line {frame.lineno}: {frame.line})"
            break
    return f"{type(exc).__name__}: {exc}{line}"


def call(fn, args: dict) -> Outcome:
    """Call ``fn(*args)`` and return its value as plain arrays.

    A tuple return is kept as a tuple of arrays, so functions that return several results
    (components and explained variance, output and weights) can be judged part by part.
    """
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    try:
        value = fn(*[_copy(a) for a in args.values()])
    except Exception as exc:  # the student's error is the outcome, not ours
        return Outcome(error=_describe_error(exc))
    return _plain_outcome(value)


def _plain_outcome(value) -> Outcome:
    kind = f"{type(value).__module__}.{type(value).__name__}".replace("builtins.", "")
    try:
        if isinstance(value, tuple):
            plain = tuple(to_plain(v, f"item {i} of the returned tuple") for i, v in enumerate(value))
        else:
            plain = to_plain(value)
    except NotPlain as exc:
        return Outcome(error=str(exc), kind=kind)
    return Outcome(value=plain, kind=kind)


def _copy(a):
    # Each call gets its own copy, so a function that edits its input in place cannot
    # change the inputs the grader judges against.
    if isinstance(a, np.ndarray):
        return a.copy()
    if type(a).__module__.startswith("torch"):
        return a.clone()
    return a


def call_torch(fn, args: dict) -> Outcome:
    """Like :func:`call`, for exercises that take torch tensors (float32 by default)."""
    import torch

    tensors = {k: torch.from_numpy(v.astype(np.float32)) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v
               for k, v in args.items()}
    return call(fn, tensors)


MAX_TEXT = 1000


def answer(value, args: dict) -> Outcome:
    """A typed answer (quiz cells): a number, an array or a short string."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            return Outcome(error=f"the answer is {len(value)} characters long; keep it under {MAX_TEXT}", kind="str")
        return Outcome(value=value, kind="str")
    if value is Ellipsis:
        return Outcome(error="the answer is still `...`: replace it with your answer", kind="ellipsis")
    return _plain_outcome(value)


PROBES = {"call": call, "call_torch": call_torch, "answer": answer}


def probe(name: str):
    """Register a probe under ``name`` (for checks that need more than a call)."""

    def wrap(fn):
        PROBES[name] = fn
        return fn

    return wrap

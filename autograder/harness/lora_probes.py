"""Probes for 18-lora: build the student's LoRA layer, drive it, and report plain data.

Runs beside untrusted code: no reference answers here, only the interface the prompt
prescribes (``LoRALinear(base, r, alpha)`` with attributes ``base``, ``A``, ``B``;
``merge(layer)`` reading ``layer.base``, ``layer.A``, ``layer.B``, ``layer.r``,
``layer.alpha`` and ``layer.scaling``). Everything runs in float64, so the trusted judge can
compare at tight tolerances. Each probe returns a dict of numpy arrays and short strings;
a stage that raised is reported under ``"error"`` (with ``"stage"``) next to whatever was
gathered before it.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from autograder.harness.probes import NotPlain, Outcome, _describe_error, probe, to_plain


@contextmanager
def _float64_and_own_rng(seed: int):
    """Run with float64 as torch's default dtype and a private, seeded RNG; restore both."""
    import torch

    previous = torch.get_default_dtype()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        torch.set_default_dtype(torch.float64)
        try:
            yield
        finally:
            torch.set_default_dtype(previous)


def _tensor(a):
    import torch

    return torch.from_numpy(np.array(a, dtype=np.float64, copy=True))


def _base_layer(args):
    """An nn.Linear(in_features, out_features, bias) holding the given weight and bias."""
    import torch
    from torch import nn

    base = nn.Linear(int(args["in_features"]), int(args["out_features"]), bias=bool(args["bias"]))
    with torch.no_grad():
        base.weight.copy_(_tensor(args["W"]))
        if base.bias is not None:
            base.bias.copy_(_tensor(args["b"]))
    return base


def _flag(p) -> np.ndarray:
    """requires_grad of a tensor as 1/0, or -1 when there is no tensor (no bias)."""
    if p is None:
        return np.asarray(-1)
    return np.asarray(int(bool(getattr(p, "requires_grad", False))))


def _shape(p) -> np.ndarray:
    return np.asarray(tuple(getattr(p, "shape", ())), dtype=np.int64)


class _Stop(Exception):
    pass


def _first_step(layer, x, g, lr: float, out: dict) -> None:
    """One SGD step on A and B alone from their initial values, and the output after it
    (``y_init_step``): the trusted side checks that it follows from the A and B the layer
    starts with (with B = 0, only a non-zero A lets B learn). Gradients are cleared after,
    so the stages that follow see the layer as if this step's gradients never existed."""
    import torch

    try:
        A, B = layer.A, layer.B
        (layer(x) * g).sum().backward()
        with torch.no_grad():
            for p in (A, B):
                if getattr(p, "grad", None) is not None:
                    p -= lr * p.grad
            out["y_init_step"] = to_plain(layer(x), "the output after a training step at initialisation")
    except Exception as exc:  # noqa: BLE001 - a frozen or unregistered adapter is judged later
        out["init_step_error"] = _describe_error(exc)[:300]
    finally:
        for p in [*layer.parameters(), getattr(layer, "A", None), getattr(layer, "B", None)]:
            if isinstance(p, torch.Tensor):
                p.grad = None


@probe("lora_layer")
def lora_layer(cls, args: dict) -> Outcome:
    """Construct ``cls(base, r, alpha)`` around a base layer with the given weights, report
    its initial state, then load the given A and B, run forward and backward.

    ``args``: in_features, out_features, r, alpha, bias, seed, W, b, A, B, x, g, lr, W2
    (``g`` is the upstream gradient: the probe back-propagates ``(layer(x) * g).sum()``,
    takes one SGD step of rate ``lr`` and reports the output, then puts ``W2`` into the
    layer it handed over and reports the output again).
    """
    if not isinstance(cls, type):
        return Outcome(error=f"expected a class, found {type(cls).__name__}")
    import torch

    out: dict[str, object] = {}
    stage = "construct"

    def run():
        nonlocal stage
        base = handed = _base_layer(args)
        layer = cls(base, int(args["r"]), args["alpha"])
        if not isinstance(layer, torch.nn.Module):
            out["error"] = f"LoRALinear(...) built a {type(layer).__name__}, not an nn.Module"
            raise _Stop
        missing = [name for name in ("base", "A", "B") if not hasattr(layer, name)]
        if missing:
            out["missing"] = ", ".join(missing)
            raise _Stop
        layer.double()
        A, B, kept = layer.A, layer.B, layer.base
        weight = getattr(kept, "weight", None)
        bias = getattr(kept, "bias", None)
        params = list(layer.parameters())
        out["A_shape"], out["B_shape"] = _shape(A), _shape(B)
        out["A_init"] = to_plain(A, "layer.A")
        out["B_init"] = to_plain(B, "layer.B")
        out["W_trainable"], out["b_trainable"] = _flag(weight), _flag(bias)
        out["A_trainable"], out["B_trainable"] = _flag(A), _flag(B)
        out["A_registered"] = np.asarray(int(any(p is A for p in params)))
        out["B_registered"] = np.asarray(int(any(p is B for p in params)))
        out["trainable_count"] = np.asarray(sum(p.numel() for p in params if p.requires_grad))
        if weight is not None:
            out["base_weight"] = to_plain(weight, "layer.base.weight")
        if bias is not None:
            out["base_bias"] = to_plain(bias, "layer.base.bias")

        stage = "forward at initialisation"
        x = _tensor(args["x"])
        with torch.no_grad():
            out["y_init"] = to_plain(layer(x), "the output at initialisation")
        _first_step(layer, x, _tensor(args["g"]), float(args["lr"]), out)

        stage = "load A and B"
        for name, given in (("A", args["A"]), ("B", args["B"])):
            param = getattr(layer, name)
            if tuple(param.shape) != given.shape:
                out["error"] = (f"could not load an array of shape {given.shape} into layer.{name}, "
                                f"which has shape {tuple(param.shape)}")
                raise _Stop
            with torch.no_grad():
                param.copy_(_tensor(given))

        stage = "forward"
        y = layer(x)
        out["y"] = to_plain(y, "the output")
        stage = "backward"
        if not getattr(y, "requires_grad", False):
            out["graph"] = "the output does not require grad"
            raise _Stop
        (y * _tensor(args["g"])).sum().backward()
        for name in ("A", "B"):
            grad = getattr(layer, name).grad
            if grad is not None:
                out[f"grad_{name}"] = to_plain(grad, f"the gradient of {name}")
        if weight is not None and weight.grad is not None:
            out["grad_W"] = to_plain(weight.grad, "the gradient of the base weight")

        # What training does, observed rather than asked: one plain SGD step on every
        # parameter the layer offers an optimiser, then the output; then the output after
        # the trusted side changes the weights of the layer it handed over.
        stage = "a training step"
        lr = float(args["lr"])
        with torch.no_grad():
            for p in layer.parameters():
                if p.requires_grad and p.grad is not None:
                    p -= lr * p.grad
            out["y_step"] = to_plain(layer(x), "the output after a training step")
            handed.weight.copy_(_tensor(args["W2"]))
            out["y_swapped"] = to_plain(layer(x), "the output after the given layer's weights changed")

    try:
        with _float64_and_own_rng(int(args["seed"])):
            run()
    except _Stop:
        pass
    except NotPlain as exc:
        out["error"], out["stage"] = str(exc), stage
    except Exception as exc:  # the student's error is the outcome
        out["error"], out["stage"] = _describe_error(exc), stage
    return Outcome(value=out, kind="dict")


@probe("lora_merge")
def lora_merge(fn, args: dict) -> Outcome:
    """Call ``fn(layer)`` twice on a stand-in adapted layer holding the given W, b, A, B, r,
    alpha (attributes ``base``, ``A``, ``B``, ``r``, ``alpha``, ``scaling``) and report both
    results and the base weight afterwards (a merge must not change the layer).

    ``args``: in_features, out_features, r, alpha, bias, seed, W, b, A, B
    """
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    import torch
    from torch import nn

    out: dict[str, object] = {}
    try:
        with _float64_and_own_rng(int(args["seed"])):
            layer = nn.Module()
            layer.base = _base_layer(args)
            layer.base.requires_grad_(False)
            layer.A = nn.Parameter(_tensor(args["A"]))
            layer.B = nn.Parameter(_tensor(args["B"]))
            layer.r = int(args["r"])
            layer.alpha = args["alpha"]
            layer.scaling = args["alpha"] / int(args["r"])
            first = fn(layer)
            out["merged"] = to_plain(first, "merge(layer)")
            out["merged_again"] = to_plain(fn(layer), "merge(layer) called a second time")
            out["base_after"] = to_plain(layer.base.weight, "layer.base.weight after merging")
    except NotPlain as exc:
        out["error"] = str(exc)
        if "merged" not in out:
            return Outcome(error=str(exc), kind=f"{type(first).__module__}.{type(first).__name__}")
    except Exception as exc:  # the student's error is the outcome
        if "merged" not in out:
            return Outcome(error=_describe_error(exc))
        out["error"] = _describe_error(exc)
    return Outcome(value=out, kind="dict")

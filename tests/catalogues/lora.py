"""Correct variants and catalogued mistakes for the 18-lora checks.

The layer entries are built from one template, so each mistake changes exactly one thing in
an otherwise correct LoRALinear.
"""

_LAYER = """\
import math
import torch
from torch import nn
import torch.nn.functional as F


class LoRALinear(nn.Module):
    def __init__(self, base, r, alpha):
        super().__init__()
        self.base = base
        {freeze}
        self.r, self.alpha = r, alpha
        self.scaling = {scaling}
        {init}

    def forward(self, x):
        {forward}
"""

FREEZE = "self.base.requires_grad_(False)"
SCALING = "alpha / r"
INIT = ("self.A = nn.Parameter(torch.empty(r, base.in_features))",
        "nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))",
        "self.B = nn.Parameter(torch.zeros(base.out_features, r))")
FORWARD = "return self.base(x) + (x @ self.A.T @ self.B.T) * self.scaling"


def layer(freeze=FREEZE, scaling=SCALING, init=INIT, forward=FORWARD):
    """A LoRALinear with one part swapped; multi-line parts are tuples of lines."""
    def block(part):
        return "\n        ".join(part) if isinstance(part, tuple) else part
    return _LAYER.format(freeze=block(freeze), scaling=scaling, init=block(init), forward=block(forward))


_CORRECT_LAYERS = [
    ("kaiming A, chained products", layer()),
    ("normal A, update through B @ A", layer(
        init=("self.A = nn.Parameter(torch.randn(r, base.in_features) * 0.01)",
              "self.B = nn.Parameter(torch.zeros(base.out_features, r))"),
        forward="return self.base(x) + x @ (self.B @ self.A).T * self.scaling")),
    ("F.linear twice, loop freezing", layer(
        freeze=("for p in self.base.parameters():", "    p.requires_grad = False"),
        forward="return self.base(x) + F.linear(F.linear(x, self.A), self.B) * self.scaling")),
    ("register_parameter, explicit float32, normal_ init", layer(
        init=("self.register_parameter('A', nn.Parameter(torch.zeros(r, base.in_features, dtype=torch.float32)))",
              "nn.init.normal_(self.A, std=1 / r)",
              "self.register_parameter('B', nn.Parameter(torch.zeros(base.out_features, r, dtype=torch.float32)))"))),
    ("merged weight in forward, scaling computed in forward", layer(
        scaling="None",
        forward=("W = self.base.weight + (self.alpha / self.r) * self.B @ self.A",
                 "return F.linear(x, W, self.base.bias)"))),
    ("base weight and optional bias by hand", layer(
        freeze=("self.base.weight.requires_grad = False",
                "if self.base.bias is not None:",
                "    self.base.bias.requires_grad = False"),
        forward=("out = x @ self.base.weight.T",
                 "if self.base.bias is not None:",
                 "    out = out + self.base.bias",
                 "return out + self.scaling * ((x @ self.A.T) @ self.B.T)"))),
    ("uniform A via torch.rand, requires_grad given", layer(
        init=("self.A = nn.Parameter(torch.rand(r, base.in_features) - 0.5, requires_grad=True)",
              "self.B = nn.Parameter(torch.zeros(base.out_features, r), requires_grad=True)"))),
]

CORRECT = {
    "lora.layer_init": _CORRECT_LAYERS,
    "lora.layer_forward": _CORRECT_LAYERS,
    "lora.merge": [
        ("scaling attribute", "def merge(layer):\n    return layer.base.weight + layer.scaling * layer.B @ layer.A"),
        ("alpha / r, detached", "import torch\ndef merge(layer):\n    with torch.no_grad():\n"
                                "        return layer.base.weight.clone() + (layer.alpha / layer.r) * (layer.B @ layer.A)"),
        ("numpy result", "def merge(layer):\n    W = layer.base.weight.detach().numpy()\n"
                         "    return W + layer.scaling * (layer.B.detach().numpy() @ layer.A.detach().numpy())"),
        ("einsum", "import torch\ndef merge(layer):\n"
                   "    return layer.base.weight + layer.alpha / layer.r * torch.einsum('ok,ki->oi', layer.B, layer.A)"),
        ("copy then add in place", "def merge(layer):\n    W = layer.base.weight.detach().clone()\n"
                                   "    W += layer.scaling * (layer.B @ layer.A).detach()\n    return W"),
    ],
    "lora.lora_param_count": [
        ("factored", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                     "    return r * (in_features + out_features)"),
        ("A plus B", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                     "    a = r * in_features  # A\n    b = out_features * r  # B\n    return a + b"),
        ("numpy int", "import numpy as np\ndef lora_param_count(in_features, out_features, r, bias=True):\n"
                      "    return np.int64(r) * (in_features + out_features)"),
        ("float", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                  "    return float(r * in_features + r * out_features)"),
    ],
    "lora.full_param_count": [
        ("conditional bias", "def full_param_count(in_features, out_features, bias=True):\n"
                             "    return in_features * out_features + (out_features if bias else 0)"),
        ("bool arithmetic", "def full_param_count(in_features, out_features, bias=True):\n"
                            "    return (in_features + bias) * out_features"),
        ("meta-device nn.Linear", "import torch\ndef full_param_count(in_features, out_features, bias=True):\n"
                                  "    layer = torch.nn.Linear(in_features, out_features, bias=bias, device='meta')\n"
                                  "    return sum(p.numel() for p in layer.parameters())"),
        ("if statement", "def full_param_count(in_features, out_features, bias=True):\n"
                         "    n = in_features * out_features\n    if bias:\n        n += out_features\n    return n"),
    ],
    "lora.captured_fraction": [
        ("svd", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                "    s = np.linalg.svd(delta_W, compute_uv=False)\n    return (s[:r] ** 2).sum() / (s ** 2).sum()"),
        ("eigvalsh sorted descending", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                                       "    lam = np.sort(np.linalg.eigvalsh(delta_W.T @ delta_W))[::-1]\n"
                                       "    lam = np.clip(lam, 0, None)\n    return lam[:r].sum() / lam.sum()"),
        ("rank-r reconstruction", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                                  "    U, s, Vt = np.linalg.svd(delta_W, full_matrices=False)\n"
                                  "    approx = U[:, :r] * s[:r] @ Vt[:r]\n"
                                  "    return np.linalg.norm(approx) ** 2 / np.linalg.norm(delta_W) ** 2"),
        ("torch svdvals", "import torch\ndef captured_fraction(delta_W, r):\n"
                          "    s = torch.linalg.svdvals(torch.as_tensor(delta_W, dtype=torch.float64))\n"
                          "    return float((s[:r] ** 2).sum() / (s ** 2).sum())"),
        ("cumulative energy", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                              "    energy = np.cumsum(np.linalg.svd(delta_W, compute_uv=False) ** 2)\n"
                              "    return energy[min(r, len(energy)) - 1] / energy[-1]"),
    ],
}

_PEFT = layer() + "\npeft = None  # a stand-in, so the catalogue runs without the library\n" \
                  "def _uses_peft():\n    return peft.LoraConfig\n"

MISTAKES = {
    "lora.layer_init": [
        ("B_not_zero", layer(init=("self.A = nn.Parameter(torch.randn(r, base.in_features))",
                                   "self.B = nn.Parameter(torch.randn(base.out_features, r))")), "B does not start at zero"),
        ("A_zero", layer(init=("self.A = nn.Parameter(torch.zeros(r, base.in_features))",
                               "self.B = nn.Parameter(torch.zeros(base.out_features, r))")), "never learns"),
        ("swapped_init", layer(init=("self.A = nn.Parameter(torch.zeros(r, base.in_features))",
                                     "self.B = nn.Parameter(torch.randn(base.out_features, r))")), "other way round"),
        ("base_not_frozen", layer(freeze="pass"), "base weight is not frozen"),
        ("bias_not_frozen", layer(freeze="self.base.weight.requires_grad_(False)"), "bias is not frozen"),
        ("transposed_shapes", layer(init=("self.A = nn.Parameter(torch.randn(base.in_features, r))",
                                          "self.B = nn.Parameter(torch.zeros(r, base.out_features))"),
                                    forward="return self.base(x) + x @ self.A @ self.B * self.scaling"),
         "transposed"),
        ("swapped_shapes", layer(init=("self.A = nn.Parameter(torch.randn(base.out_features, r))",
                                       "self.B = nn.Parameter(torch.zeros(r, base.in_features))"),
                                 forward="return self.base(x) + x @ self.B.T @ self.A.T * self.scaling"),
         "swapped"),
        ("not_registered", layer(init=("self.A = torch.randn(r, base.in_features, requires_grad=True)",
                                       "self.B = torch.zeros(base.out_features, r, requires_grad=True)")),
         "nn.Parameter"),
        ("adapter_frozen", layer(init=("self.A = nn.Parameter(torch.randn(r, base.in_features), requires_grad=False)",
                                       "self.B = nn.Parameter(torch.zeros(base.out_features, r), requires_grad=False)")),
         "must be trainable"),
        ("base_replaced", layer(freeze=("self.base = nn.Linear(base.in_features, base.out_features, bias=base.bias is not None)",
                                        "self.base.requires_grad_(False)")), "self.base = base"),
        ("extra_trainable", layer(scaling="nn.Parameter(torch.tensor(alpha / r))"), "trainable parameters"),
        # a deep copy holds the same numbers but is not the layer handed over
        ("base_replaced", "import copy\n" + layer(freeze=("self.base = copy.deepcopy(base)",
                                                         "self.base.requires_grad_(False)")), "self.base = base"),
        ("missing_bias", layer(forward="return x @ self.base.weight.T + (x @ self.A.T @ self.B.T) * self.scaling"),
         "bias"),
        ("wrong_interface", layer().replace("self.A", "self.lora_A").replace("self.B", "self.lora_B"),
         "self.A and self.B"),
        ("error", layer(freeze="raise NotImplementedError()"), "NotImplementedError"),
        ("library_used", _PEFT, "peft"),
    ],
    "lora.layer_forward": [
        ("no_scaling", layer(forward="return self.base(x) + x @ self.A.T @ self.B.T"), "not scaled"),
        ("inverted_scaling", layer(scaling="r / alpha"), "r / alpha"),
        ("integer_scaling", layer(scaling="alpha // r"), "integer division"),
        ("sqrt_scaling", layer(scaling="alpha / math.sqrt(r)"), "rsLoRA"),
        ("missing_base", layer(forward="return (x @ self.A.T @ self.B.T) * self.scaling"), "only the low-rank update"),
        ("missing_bias", layer(forward="return x @ self.base.weight.T + (x @ self.A.T @ self.B.T) * self.scaling"),
         "bias is missing"),
        ("scaled_base", layer(forward="return (self.base(x) + x @ self.A.T @ self.B.T) * self.scaling"),
         "base layer's output as well"),
        ("update_twice", layer(forward=("h = self.base(x) + (x @ self.A.T @ self.B.T) * self.scaling",
                                        "return h + (x @ self.A.T @ self.B.T) * self.scaling")), "added twice"),
        ("subtracted_update", layer(forward="return self.base(x) - (x @ self.A.T @ self.B.T) * self.scaling"),
         "subtracted"),
        ("no_gradient", layer(forward="return self.base(x) + (x @ self.A.T @ self.B.T).detach() * self.scaling"),
         "no gradient reached A and B"),
        ("transposed_shapes", layer(init=("self.A = nn.Parameter(torch.randn(base.in_features, r))",
                                          "self.B = nn.Parameter(torch.zeros(r, base.out_features))"),
                                    forward="return self.base(x) + x @ self.A @ self.B * self.scaling"),
         "transposed"),
        ("swapped_shapes", layer(init=("self.A = nn.Parameter(torch.randn(base.out_features, r))",
                                       "self.B = nn.Parameter(torch.zeros(r, base.in_features))"),
                                 forward="return self.base(x) + x @ self.B.T @ self.A.T * self.scaling"),
         "swapped"),
        # the output is right, but the update enters the graph with the wrong sign
        ("wrong_gradient", layer(forward=("u = (x @ self.A.T @ self.B.T) * self.scaling",
                                          "return self.base(x) + 2 * u.detach() - u")), "gradient"),
        ("error", layer(forward="raise NotImplementedError()"), "NotImplementedError"),
        ("library_used", _PEFT, "peft"),
    ],
    "lora.merge": [
        ("added_twice", "def merge(layer):\n    W = layer.base.weight + layer.scaling * layer.B @ layer.A\n"
                        "    return W + layer.scaling * layer.B @ layer.A", "added twice"),
        ("no_scaling", "def merge(layer):\n    return layer.base.weight + layer.B @ layer.A", "not scaled"),
        ("inverted_scaling", "def merge(layer):\n    return layer.base.weight + layer.r / layer.alpha * layer.B @ layer.A",
         "r / alpha"),
        ("sqrt_scaling", "def merge(layer):\n    return layer.base.weight + layer.alpha / layer.r ** 0.5 * layer.B @ layer.A",
         "sqrt(r)"),
        ("update_only", "def merge(layer):\n    return layer.scaling * layer.B @ layer.A", "only the update"),
        ("subtracted", "def merge(layer):\n    return layer.base.weight - layer.scaling * layer.B @ layer.A", "subtracted"),
        ("transposed", "def merge(layer):\n    return (layer.base.weight + layer.scaling * layer.B @ layer.A).T",
         "transposed"),
        ("in_place", "def merge(layer):\n    layer.base.weight.data += layer.scaling * (layer.B @ layer.A).detach()\n"
                     "    return layer.base.weight", "merge changed the layer"),
        ("error", "def merge(layer):\n    raise NotImplementedError()", "NotImplementedError"),
        ("wrong_type", "def merge(layer):\n    layer.base.weight.data += layer.scaling * (layer.B @ layer.A).detach()\n"
                       "    return layer.base", "Linear"),
        ("library_used", "peft = None\ndef merge(layer):\n    return peft.merge_and_unload(layer)", "peft"),
    ],
    "lora.lora_param_count": [
        ("counted_bias", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                         "    return r * (in_features + out_features) + (out_features if bias else 0)", "stays frozen"),
        ("counted_frozen_weight", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                                  "    return in_features * out_features + r * (in_features + out_features)",
         "frozen weight"),
        ("all_parameters", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                           "    n = in_features * out_features + r * (in_features + out_features)\n"
                           "    return n + out_features if bias else n", "every parameter"),
        ("only_A", "def lora_param_count(in_features, out_features, r, bias=True):\n    return r * in_features",
         "only A"),
        ("only_B", "def lora_param_count(in_features, out_features, r, bias=True):\n    return out_features * r",
         "only B"),
        ("product", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                    "    return r * in_features * out_features", "r full matrices"),
        ("forgot_rank", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                        "    return in_features + out_features", "left out the rank"),
        ("error", "def lora_param_count(in_features, out_features, r, bias=True):\n    raise NotImplementedError()",
         "NotImplementedError"),
        ("wrong_type", "def lora_param_count(in_features, out_features, r, bias=True):\n"
                       "    r * (in_features + out_features)", "return"),
    ],
    "lora.full_param_count": [
        ("forgot_bias", "def full_param_count(in_features, out_features, bias=True):\n"
                        "    return in_features * out_features", "bias too"),
        ("bias_flag_ignored", "def full_param_count(in_features, out_features, bias=True):\n"
                              "    return in_features * out_features + out_features", "bias=False"),
        ("bias_per_input", "def full_param_count(in_features, out_features, bias=True):\n"
                           "    return in_features * out_features + (in_features if bias else 0)", "not per input"),
        ("sum_not_product", "def full_param_count(in_features, out_features, bias=True):\n"
                            "    return in_features + out_features + (out_features if bias else 0)",
         "not in_features + out_features"),
        ("single_bias", "def full_param_count(in_features, out_features, bias=True):\n"
                        "    return in_features * out_features + int(bias)", "not a single number"),
        ("bias_per_weight", "def full_param_count(in_features, out_features, bias=True):\n"
                            "    return in_features * out_features * (2 if bias else 1)", "for every weight"),
        ("error", "def full_param_count(in_features, out_features, bias=True):\n    raise NotImplementedError()",
         "NotImplementedError"),
    ],
    "lora.captured_fraction": [
        ("not_squared", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                        "    s = np.linalg.svd(delta_W, compute_uv=False)\n    return s[:r].sum() / s.sum()",
         "not their squares"),
        ("smallest_values", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                            "    lam = np.linalg.eigvalsh(delta_W.T @ delta_W)\n"
                            "    lam = np.clip(lam, 0, None)[-min(delta_W.shape):]\n    return lam[:r].sum() / lam.sum()",
         "r smallest"),
        ("residual", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                     "    s = np.linalg.svd(delta_W, compute_uv=False)\n    return (s[r:] ** 2).sum() / (s ** 2).sum()",
         "misses"),
        ("norm_ratio", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                       "    s = np.linalg.svd(delta_W, compute_uv=False)\n"
                       "    return np.linalg.norm(s[:r]) / np.linalg.norm(delta_W)", "ratio of norms"),
        ("off_by_one", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                       "    s = np.linalg.svd(delta_W, compute_uv=False)\n"
                       "    return (s[:r + 1] ** 2).sum() / (s ** 2).sum()", "r + 1"),
        ("percent", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                    "    s = np.linalg.svd(delta_W, compute_uv=False)\n"
                    "    return 100 * (s[:r] ** 2).sum() / (s ** 2).sum()", "percentage"),
        ("columns", "import numpy as np\ndef captured_fraction(delta_W, r):\n"
                    "    return (delta_W[:, :r] ** 2).sum() / (delta_W ** 2).sum()", "first r columns"),
        ("error", "def captured_fraction(delta_W, r):\n    raise NotImplementedError()", "NotImplementedError"),
        ("wrong_type", "def captured_fraction(delta_W, r):\n    pass", "return"),
    ],
}

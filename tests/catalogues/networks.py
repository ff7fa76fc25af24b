"""Correct variants and catalogued mistakes for the 16-neural-networks checks.

Each code string defines the student's function as a solution cell would; every mistake must
be reported by its own name, with the given words in the message, on seeds 0, 1 and 2.
"""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


def _swap(base: str, old: str, new: str) -> str:
    code = _c(base)
    assert old in code, old
    return code.replace(old, new)


# A correct forward pass that a mistake changes in one place.
FORWARD = """
import numpy as np

def forward(X, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    H = np.maximum(X @ W1 + b1, 0)
    return H @ W2 + b2
"""

# A correct backward pass that a mistake changes in one place.
BACKWARD = """
import numpy as np

def backward(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    Z1 = X @ W1 + b1
    H = np.maximum(Z1, 0)
    Z2 = H @ W2 + b2
    S = Z2 - Z2.max(axis=1, keepdims=True)
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    P[np.arange(n), y] -= 1
    dZ2 = P / n
    dW2 = H.T @ dZ2
    db2 = dZ2.sum(axis=0)
    dH = dZ2 @ W2.T
    dZ1 = dH * (Z1 > 0)
    dW1 = X.T @ dZ1
    db1 = dZ1.sum(axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
"""

# A whole correct network with full-batch training; mistakes in train change one place.
NETWORK = """
import numpy as np

def init_params(d, h, k, seed=0):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(d, h)) * np.sqrt(2.0 / d), "b1": np.zeros(h),
            "W2": rng.normal(size=(h, k)) * np.sqrt(1.0 / h), "b2": np.zeros(k)}

def log_softmax(Z):
    S = Z - Z.max(axis=1, keepdims=True)
    return S - np.log(np.exp(S).sum(axis=1, keepdims=True))

def cross_entropy(logits, labels):
    return -np.mean(log_softmax(logits)[np.arange(len(labels)), labels])

def forward(X, params):
    H = np.maximum(X @ params["W1"] + params["b1"], 0)
    return H @ params["W2"] + params["b2"]

def backward(X, y, params):
    n = len(X)
    Z1 = X @ params["W1"] + params["b1"]
    H = np.maximum(Z1, 0)
    dZ2 = np.exp(log_softmax(H @ params["W2"] + params["b2"]))
    dZ2[np.arange(n), y] -= 1
    dZ2 /= n
    dZ1 = (dZ2 @ params["W2"].T) * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ dZ2, "b2": dZ2.sum(axis=0)}

def train(X, y, hidden, steps, lr, seed):
    params = init_params(X.shape[1], hidden, 10, seed)
    losses = []
    for step in range(steps):
        losses.append(cross_entropy(forward(X, params), y))
        grads = backward(X, y, params)
        for key in params:
            params[key] = params[key] - lr * grads[key]
    return params, losses
"""


def _net(old: str = "", new: str = "") -> str:
    return _swap(NETWORK, old, new) if old else _c(NETWORK)


CORRECT = {
    "networks.dense": [
        ("X @ W + b", "def dense(X, W, b):\n    return X @ W + b\n"),
        ("np.dot, as floats", _c("""
            import numpy as np
            def dense(X, W, b):
                X = np.asarray(X, dtype=float)
                return np.dot(X, W) + b
            """)),
        ("einsum", _c("""
            import numpy as np
            def dense(X, W, b):
                return np.einsum("nd,dh->nh", X, W) + b[None, :]
            """)),
        ("loops", _c("""
            import numpy as np
            def dense(X, W, b):
                n, d = X.shape
                h = W.shape[1]
                out = np.zeros((n, h))
                for i in range(n):
                    for j in range(h):
                        out[i, j] = sum(X[i, p] * W[p, j] for p in range(d)) + b[j]
                return out
            """)),
        ("bias as a (1, h) row", _c("""
            import numpy as np
            def dense(X, W, b):
                return np.matmul(X, W) + b.reshape(1, -1)
            """)),
        ("torch, returns a tensor", _c("""
            import torch
            def dense(X, W, b):
                X, W, b = (torch.as_tensor(a, dtype=torch.float64) for a in (X, W, b))
                return X @ W + b
            """)),
    ],
    "networks.relu": [
        ("np.maximum", "import numpy as np\ndef relu(Z):\n    return np.maximum(Z, 0)\n"),
        ("mask multiply", "def relu(Z):\n    return Z * (Z > 0)\n"),
        ("np.where", "import numpy as np\ndef relu(Z):\n    return np.where(Z > 0, Z, 0)\n"),
        ("np.clip", "import numpy as np\ndef relu(Z):\n    return np.clip(Z, 0, None)\n"),
        ("in place on a copy", _c("""
            def relu(Z):
                out = Z.copy()
                out[out < 0] = 0
                return out
            """)),
        ("a loop over the flattened entries", _c("""
            import numpy as np
            def relu(Z):
                Z = np.asarray(Z, dtype=float)
                flat = [max(v, 0.0) for v in Z.ravel()]
                return np.array(flat).reshape(Z.shape)
            """)),
    ],
    "networks.softmax": [
        ("max subtraction", _c("""
            import numpy as np
            def softmax(Z):
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                return E / E.sum(axis=1, keepdims=True)
            """)),
        ("axis=-1 and float64", _c("""
            import numpy as np
            def softmax(Z):
                Z = np.asarray(Z, dtype=np.float64)
                E = np.exp(Z - np.max(Z, axis=-1, keepdims=True))
                return E / np.sum(E, axis=-1, keepdims=True)
            """)),
        ("exp of log-softmax", _c("""
            import numpy as np
            def softmax(Z):
                m = Z.max(axis=1, keepdims=True)
                return np.exp(Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True)))
            """)),
        ("columns of the transpose", _c("""
            import numpy as np
            def softmax(Z):
                T = Z.T - Z.T.max(axis=0)
                return (np.exp(T) / np.exp(T).sum(axis=0)).T
            """)),
        ("a loop over rows", _c("""
            import math
            import numpy as np
            def softmax(Z):
                out = []
                for row in np.asarray(Z, dtype=float):
                    m = max(row)
                    e = [math.exp(v - m) for v in row]
                    out.append([v / sum(e) for v in e])
                return np.array(out)
            """)),
        ("in place on a copy", _c("""
            import numpy as np
            def softmax(Z):
                out = np.array(Z, dtype=float)
                out -= out.max(axis=1, keepdims=True)
                np.exp(out, out=out)
                out /= out.sum(axis=1, keepdims=True)
                return out
            """)),
    ],
    "networks.cross_entropy": [
        ("log-softmax, picked per row", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
                return -log_p[np.arange(len(labels)), labels].mean()
            """)),
        ("logsumexp minus the true logit", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                logits = np.asarray(logits, dtype=float)
                m = logits.max(axis=1)
                lse = m + np.log(np.exp(logits - m[:, None]).sum(axis=1))
                true = np.take_along_axis(logits, labels[:, None], axis=1)[:, 0]
                return float(np.mean(lse - true))
            """)),
        ("one-hot matrix", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                n, k = logits.shape
                Y = np.zeros((n, k))
                Y[np.arange(n), labels] = 1.0
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.sum(np.exp(S), axis=1, keepdims=True))
                return -np.sum(Y * log_p) / n
            """)),
        ("a loop over examples", _c("""
            import math
            def cross_entropy(logits, labels):
                total = 0.0
                for row, label in zip(logits, labels):
                    m = max(row)
                    lse = m + math.log(sum(math.exp(v - m) for v in row))
                    total += lse - row[label]
                return total / len(labels)
            """)),
        ("reuses a softmax-free helper", _c("""
            import numpy as np
            def log_softmax(Z):
                S = Z - Z.max(axis=-1, keepdims=True)
                return S - np.log(np.exp(S).sum(axis=-1, keepdims=True))
            def cross_entropy(logits, labels):
                return float(-np.mean(log_softmax(np.asarray(logits, float))[range(len(labels)), labels]))
            """)),
    ],
    "networks.forward": [
        ("inline", _c(FORWARD)),
        ("with dense and relu helpers", _c("""
            import numpy as np
            def dense(X, W, b):
                return X @ W + b
            def relu(Z):
                return np.maximum(Z, 0)
            def forward(X, params):
                return dense(relu(dense(X, params["W1"], params["b1"])), params["W2"], params["b2"])
            """)),
        ("einsum and np.where", _c("""
            import numpy as np
            def forward(X, params):
                Z = np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"]
                H = np.where(Z > 0, Z, 0.0)
                return np.einsum("nh,hk->nk", H, params["W2"]) + params["b2"]
            """)),
        ("one example at a time", _c("""
            import numpy as np
            def forward(X, params):
                rows = []
                for x in X:
                    h = np.maximum(x @ params["W1"] + params["b1"], 0)
                    rows.append(h @ params["W2"] + params["b2"])
                return np.array(rows)
            """)),
        ("float64 first", _c("""
            import numpy as np
            def forward(X, params):
                p = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
                H = np.maximum(np.asarray(X, dtype=np.float64) @ p["W1"] + p["b1"], 0.0)
                return H @ p["W2"] + p["b2"]
            """)),
    ],
    "networks.backward": [
        ("vectorised, index the true class", _c(BACKWARD)),
        ("one-hot matrix, mask on H", _c("""
            import numpy as np
            def backward(X, y, params):
                n, k = X.shape[0], params["W2"].shape[1]
                Y = np.eye(k)[y]
                Z1 = X @ params["W1"] + params["b1"]
                H = np.maximum(Z1, 0)
                Z2 = H @ params["W2"] + params["b2"]
                E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
                dZ2 = (E / E.sum(axis=1, keepdims=True) - Y) / n
                dZ1 = dZ2 @ params["W2"].T * (H > 0)
                return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dZ2, "b2": dZ2.sum(0)}
            """)),
        ("one example at a time, averaged at the end", _c("""
            import numpy as np
            def backward(X, y, params):
                W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
                grads = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
                for x, label in zip(X, y):
                    z1 = x @ W1 + b1
                    h = np.maximum(z1, 0)
                    z2 = h @ W2 + b2
                    p = np.exp(z2 - z2.max())
                    p /= p.sum()
                    p[label] -= 1
                    grads["W2"] += np.outer(h, p)
                    grads["b2"] += p
                    dz1 = (W2 @ p) * (z1 > 0)
                    grads["W1"] += np.outer(x, dz1)
                    grads["b1"] += dz1
                return {k: v / len(X) for k, v in grads.items()}
            """)),
        ("keys dW1 ... and einsum", _c("""
            import numpy as np
            def backward(X, y, params):
                n = len(y)
                Z1 = X @ params["W1"] + params["b1"]
                H = np.where(Z1 > 0, Z1, 0.0)
                Z2 = H @ params["W2"] + params["b2"]
                S = Z2 - Z2.max(axis=1, keepdims=True)
                G = np.exp(S - np.log(np.exp(S).sum(axis=1, keepdims=True)))
                G[range(n), y] -= 1.0
                G /= n
                D = np.einsum("nk,hk->nh", G, params["W2"]) * (Z1 > 0)
                return {"dW1": np.einsum("nd,nh->dh", X, D), "db1": D.sum(axis=0),
                        "dW2": np.einsum("nh,nk->hk", H, G), "db2": G.sum(axis=0)}
            """)),
        ("calls its own forward helpers", _net()),
    ],
    "networks.train": [
        ("full-batch gradient descent", _net()),
        ("shuffled mini-batches of 128", _net(
            """        losses.append(cross_entropy(forward(X, params), y))
        grads = backward(X, y, params)""",
            """        if step % (len(X) // 128) == 0:
            order = np.random.default_rng(seed + step).permutation(len(X))
        batch = order[(step % (len(X) // 128)) * 128:][:128]
        losses.append(cross_entropy(forward(X[batch], params), y[batch]))
        grads = backward(X[batch], y[batch], params)""")),
        ("in-place updates, losses as an array", _net(
            """            params[key] = params[key] - lr * grads[key]
    return params, losses""",
            """            params[key] -= lr * grads[key]
    return params, np.array(losses)""")),
        ("Xavier-uniform initialisation", _net(
            """    return {"W1": rng.normal(size=(d, h)) * np.sqrt(2.0 / d), "b1": np.zeros(h),
            "W2": rng.normal(size=(h, k)) * np.sqrt(1.0 / h), "b2": np.zeros(k)}""",
            """    a1, a2 = np.sqrt(6.0 / (d + h)), np.sqrt(6.0 / (h + k))
    return {"W1": rng.uniform(-a1, a1, size=(d, h)), "b1": np.zeros(h),
            "W2": rng.uniform(-a2, a2, size=(h, k)), "b2": np.zeros(k)}""")),
        ("loss recorded after each step", _net(
            """        losses.append(cross_entropy(forward(X, params), y))
        grads = backward(X, y, params)
        for key in params:
            params[key] = params[key] - lr * grads[key]""",
            """        grads = backward(X, y, params)
        for key in params:
            params[key] = params[key] - lr * grads[key]
        losses.append(float(cross_entropy(forward(X, params), y)))""")),
    ],
}


MISTAKES = {
    "networks.dense": [
        ("w_transposed", "def dense(X, W, b):\n    return X @ W.T + b\n", "X @ W + b"),
        ("bias_wrong_axis", "def dense(X, W, b):\n    return X @ W + b[:, None]\n", "wrong axis"),
        ("output_transposed", "def dense(X, W, b):\n    return W.T @ X.T + b.reshape(-1, 1)\n", "transposed"),
        ("no_bias", "def dense(X, W, b):\n    return X @ W\n", "left out the bias"),
        ("bias_subtracted", "def dense(X, W, b):\n    return X @ W - b\n", "subtracted"),
        ("bias_in_weights", "def dense(X, W, b):\n    return X @ (W + b)\n", "added the bias to the weights"),
        ("relu_inside", "import numpy as np\ndef dense(X, W, b):\n    return np.maximum(X @ W + b, 0)\n", "ReLU"),
        # the output buffer allocated with X's shape, (n, d) instead of (n, h)
        ("shape_error", _c("""
            import numpy as np
            def dense(X, W, b):
                out = np.zeros_like(X, dtype=float)
                out[:] = X @ W + b
                return out
            """), "mismatched shapes"),
    ],
    "networks.relu": [
        ("abs", "import numpy as np\ndef relu(Z):\n    return np.abs(Z)\n", "|Z|"),
        ("negative_part", "import numpy as np\ndef relu(Z):\n    return np.minimum(Z, 0)\n", "negative entries"),
        ("negated", "import numpy as np\ndef relu(Z):\n    return np.maximum(-Z, 0)\n", "max(-Z, 0)"),
        ("clipped", "import numpy as np\ndef relu(Z):\n    return np.clip(Z, 0, 1)\n", "upper limit"),
        ("derivative", "def relu(Z):\n    return (Z > 0).astype(float)\n", "derivative"),
        ("leaky", "import numpy as np\ndef relu(Z):\n    return np.where(Z > 0, Z, 0.01 * Z)\n", "leaky"),
        ("sigmoid", "import numpy as np\ndef relu(Z):\n    return 1 / (1 + np.exp(-Z))\n", "sigmoid"),
        ("modified_input", _c("""
            def relu(Z):
                Z[Z < 0] = 0
                return Z
            """), "in place"),
    ],
    "networks.softmax": [
        ("unstable_softmax", _c("""
            import numpy as np
            def softmax(Z):
                E = np.exp(Z)
                return E / E.sum(axis=1, keepdims=True)
            """), "overflows"),
        # stable for logits of small spread, but exp(Z - min) overflows on a spread of 2000
        ("unstable_softmax", _c("""
            import numpy as np
            def softmax(Z):
                E = np.exp(Z - Z.min(axis=1, keepdims=True))
                return E / E.sum(axis=1, keepdims=True)
            """), "subtract the maximum"),
        ("batch_axis", _c("""
            import numpy as np
            def softmax(Z):
                E = np.exp(Z - Z.max(axis=0, keepdims=True))
                return E / E.sum(axis=0, keepdims=True)
            """), "batch axis"),
        ("global_max", _c("""
            import numpy as np
            def softmax(Z):
                E = np.exp(Z - Z.max())
                return E / E.sum(axis=1, keepdims=True)
            """), "whole array"),
        ("global_sum", _c("""
            import numpy as np
            def softmax(Z):
                E = np.exp(Z - Z.max())
                return E / E.sum()
            """), "whole array"),
        ("keepdims", _c("""
            import numpy as np
            def softmax(Z):
                E = np.exp(Z - Z.max(axis=1, keepdims=True))
                return E / E.sum(axis=1)
            """), "keepdims"),
        ("max_in_numerator_only", _c("""
            import numpy as np
            def softmax(Z):
                return np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z).sum(axis=1, keepdims=True)
            """), "numerator"),
        ("log_softmax", _c("""
            import numpy as np
            def softmax(Z):
                S = Z - Z.max(axis=1, keepdims=True)
                return S - np.log(np.exp(S).sum(axis=1, keepdims=True))
            """), "log-probabilities"),
        ("no_exp", "def softmax(Z):\n    return Z / Z.sum(axis=1, keepdims=True)\n", "exponentiating"),
        ("sigmoid", "import numpy as np\ndef softmax(Z):\n    return 1 / (1 + np.exp(-Z))\n", "sigmoid"),
        ("library_used", _c("""
            from scipy.special import softmax as sm
            def softmax(Z):
                return sm(Z, axis=1)
            """), "from scratch"),
    ],
    "networks.cross_entropy": [
        ("log_of_softmax", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                E = np.exp(logits - logits.max(axis=1, keepdims=True))
                P = E / E.sum(axis=1, keepdims=True)
                return -np.mean(np.log(P[np.arange(len(labels)), labels]))
            """), "log of the softmax"),
        ("unstable_logsumexp", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
                return -np.mean(np.log(P[np.arange(len(labels)), labels]))
            """), "overflows"),
        # log-sum-exp without the shift, the true logit subtracted outside the log
        ("unstable_logsumexp", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                lse = np.log(np.exp(logits).sum(axis=1))
                return np.mean(lse - logits[np.arange(len(labels)), labels])
            """), "log-softmax"),
        ("summed", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
                return -log_p[np.arange(len(labels)), labels].sum()
            """), "MEAN"),
        ("per_example", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
                return -log_p[np.arange(len(labels)), labels]
            """), "one loss per example"),
        ("sign", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
                return log_p[np.arange(len(labels)), labels].mean()
            """), "wrong sign"),
        ("all_pairs", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
                return -log_p[:, labels].mean()
            """), "np.arange(n)"),
        ("mean_over_classes", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                Y = np.eye(logits.shape[1])[labels]
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
                return -np.mean(Y * log_p)
            """), "number of classes"),
        ("batch_axis", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                S = logits - logits.max(axis=0, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=0, keepdims=True))
                return -log_p[np.arange(len(labels)), labels].mean()
            """), "batch axis"),
        ("predicted_class", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                S = logits - logits.max(axis=1, keepdims=True)
                log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
                return -log_p[np.arange(len(labels)), logits.argmax(axis=1)].mean()
            """), "predicted class"),
        ("no_log", _c("""
            import numpy as np
            def cross_entropy(logits, labels):
                E = np.exp(logits - logits.max(axis=1, keepdims=True))
                P = E / E.sum(axis=1, keepdims=True)
                return -P[np.arange(len(labels)), labels].mean()
            """), "without the log"),
        ("library_used", _c("""
            import torch
            import torch.nn.functional as F
            def cross_entropy(logits, labels):
                return F.cross_entropy(torch.as_tensor(logits), torch.as_tensor(labels)).item()
            """), "from scratch"),
    ],
    "networks.forward": [
        ("w_transposed", _swap(FORWARD, "X @ W1 + b1, 0)\n    return H @ W2", "X @ W1.T + b1, 0)\n    return H @ W2.T"),
         "X @ W + b"),
        ("bias_wrong_axis", _swap(FORWARD, "X @ W1 + b1, 0)\n    return H @ W2 + b2",
                                  "X @ W1 + b1[:, None], 0)\n    return H @ W2 + b2[:, None]"), "wrong axis"),
        ("no_hidden_relu", _swap(FORWARD, "np.maximum(X @ W1 + b1, 0)", "X @ W1 + b1"), "no ReLU"),
        ("relu_on_logits", _swap(FORWARD, "return H @ W2 + b2", "return np.maximum(H @ W2 + b2, 0)"),
         "logits too"),
        ("returns_probabilities", _swap(FORWARD, "return H @ W2 + b2", """Z = H @ W2 + b2
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)"""), "probabilities"),
        ("relu_before_bias", _swap(FORWARD, "np.maximum(X @ W1 + b1, 0)", "np.maximum(X @ W1, 0) + b1"),
         "before adding b1"),
        ("no_bias", _swap(FORWARD, "X @ W1 + b1, 0)\n    return H @ W2 + b2", "X @ W1, 0)\n    return H @ W2"),
         "left out the biases"),
        # h read from the wrong axis of W1 for a preallocated hidden layer: right only when d == h
        ("shape_error", _swap(FORWARD, "H = np.maximum(X @ W1 + b1, 0)",
                              "H = np.zeros((X.shape[0], W1.shape[0]))\n    H[:] = np.maximum(X @ W1 + b1, 0)"),
         "mismatched shapes"),
    ],
    "networks.backward": [
        ("summed", _swap(BACKWARD, "dZ2 = P / n", "dZ2 = P"), "n times too large"),
        ("relu_grad_at_zero", _swap(BACKWARD, "(Z1 > 0)", "(Z1 >= 0)"), "exactly 0"),
        ("relu_grad_inverted", _swap(BACKWARD, "(Z1 > 0)", "(Z1 < 0)"), "wrong side of zero"),
        ("relu_grad_inverted", _swap(BACKWARD, "dH * (Z1 > 0)", "np.where(Z1 > 0, 0, dH)"), "wrong side of zero"),
        ("no_relu_grad", _swap(BACKWARD, "dZ1 = dH * (Z1 > 0)", "dZ1 = dH"), "skipped the ReLU"),
        ("dH_no_transpose", _swap(BACKWARD, "dH = dZ2 @ W2.T", "dH = dZ2 @ W2"), "W2.T"),
        ("shape_error", _swap(BACKWARD, "dW1 = X.T @ dZ1", "dW1 = X @ dZ1"), "mismatched shapes"),
        ("weight_grad_transposed", _swap(BACKWARD, "dW2 = H.T @ dZ2", "dW2 = dZ2.T @ H").replace(
            "dW1 = X.T @ dZ1", "dW1 = dZ1.T @ X"), "transposed"),
        ("bias_grad_axis", _swap(BACKWARD, "db2 = dZ2.sum(axis=0)", "db2 = dZ2.sum(axis=1)").replace(
            "db1 = dZ1.sum(axis=0)", "db1 = dZ1.sum(axis=1)"), "axis=0"),
        ("bias_grad_not_reduced", _swap(BACKWARD, "db2 = dZ2.sum(axis=0)", "db2 = dZ2").replace(
            "db1 = dZ1.sum(axis=0)", "db1 = dZ1"), "one row per example"),
        ("no_onehot", _swap(BACKWARD, "    P[np.arange(n), y] -= 1\n", ""), "one_hot"),
        ("sign", _swap(BACKWARD, "dZ2 = P / n", "dZ2 = -P / n"), "wrong sign"),
        ("unstable_softmax", _swap(BACKWARD, "S = Z2 - Z2.max(axis=1, keepdims=True)", "S = Z2"), "overflows"),
        ("wrong_type", _swap(BACKWARD, 'return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}',
                             "return dW1, db1, dW2, db2"), "expected a dict"),
        ("library_used", _c("""
            import torch
            def backward(X, y, params):
                p = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
                logits = torch.relu(torch.as_tensor(X) @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
                torch.nn.functional.cross_entropy(logits, torch.as_tensor(y)).backward()
                return {k: v.grad.numpy() for k, v in p.items()}
            """), "from scratch"),
    ],
    "networks.train": [
        ("weights_transposed", _net('    return params, losses',
                                    '    return {"W1": params["W1"].T, "b1": params["b1"], "W2": params["W2"].T, '
                                    '"b2": params["b2"]}, losses'), "(d, h)"),
        ("wrong_steps", _net("for step in range(steps):", "for step in range(100):"), "one loss per step"),
        # gradients summed over the batch: a step n times too large
        ("diverged", _net("    dZ2 /= n\n", ""), "diverged"),
        # a step along the gradient with a small rate: the loss climbs but stays finite
        ("loss_increases", _net("params[key] = params[key] - lr * grads[key]",
                                "params[key] = params[key] + 0.01 * grads[key]"), "went up"),
        ("symmetric_init", _net('"W1": rng.normal(size=(d, h)) * np.sqrt(2.0 / d)', '"W1": np.zeros((d, h))'),
         "same weights"),
        ("loss_not_mean", _net("losses.append(cross_entropy(forward(X, params), y))",
                               "losses.append(cross_entropy(forward(X, params), y) * len(X))"), "not the sum"),
        # the learning rate ignored: 0.001 instead of the given one
        ("not_learning", _net("params[key] = params[key] - lr * grads[key]",
                              "params[key] = params[key] - 0.001 * grads[key]"), "hardly went down"),
        # one mini-batch of 48 examples, never advanced: it fits those and little else
        ("low_accuracy", _net("""        losses.append(cross_entropy(forward(X, params), y))
        grads = backward(X, y, params)""", """        losses.append(cross_entropy(forward(X[:48], params), y[:48]))
        grads = backward(X[:48], y[:48], params)"""), "below the 90% bar"),
        ("wrong_type", _net("    return params, losses", "    return params"), "tuple (params, losses)"),
        ("library_used", _c("""
            from sklearn.neural_network import MLPClassifier
            def train(X, y, hidden, steps, lr, seed):
                model = MLPClassifier((hidden,), max_iter=steps, random_state=seed).fit(X, y)
                W1, W2 = model.coefs_
                b1, b2 = model.intercepts_
                return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, model.loss_curve_
            """), "from scratch"),
    ],
}

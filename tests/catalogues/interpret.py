"""Correct variants and catalogued mistakes for the 19-interpretability checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


DIRECTION = _c("""
    import numpy as np
    def concept_direction(pos, neg):
        diff = np.asarray(pos, dtype=float).mean(axis=0) - np.asarray(neg, dtype=float).mean(axis=0)
        return diff / np.linalg.norm(diff)
    """)

SCORES = _c("""
    import numpy as np
    def project_scores(acts, direction):
        direction = np.asarray(direction, dtype=float)
        return np.asarray(acts, dtype=float) @ direction / np.linalg.norm(direction)
    """)

# Least squares on targets +1 / -1 with an intercept; the lines below are swapped out to make mistakes.
PROBE = _c("""
    import numpy as np
    def _fit(X, labels):
        X = np.asarray(X, dtype=float)
        t = np.where(np.asarray(labels) == 1, 1.0, -1.0)
        A = np.column_stack([X, np.ones(len(X))])
        coef = np.linalg.lstsq(A, t, rcond=None)[0]
        return coef[:-1], coef[-1]
    def _acc(X, labels, w, b):
        return float(np.mean((np.asarray(X, dtype=float) @ w + b > 0) == (np.asarray(labels) == 1)))
    def linear_probe(acts, labels, test_acts, test_labels):
        w, b = _fit(acts, labels)
        return w, b, _acc(test_acts, test_labels, w, b)
    """)

ABLATE = _c("""
    import numpy as np
    def ablate(acts, direction):
        acts = np.asarray(acts, dtype=float)
        u = np.asarray(direction, dtype=float)
        u = u / np.linalg.norm(u)
        return acts - np.outer(acts @ u, u)
    """)

STEER = _c("""
    import numpy as np
    def steer(acts, direction, alpha):
        u = np.asarray(direction, dtype=float)
        return np.asarray(acts, dtype=float) + alpha * u / np.linalg.norm(u)
    """)

CORRECT = {
    "interpret.concept_direction": [
        ("means, then np.linalg.norm", DIRECTION),
        ("loops", _c("""
            import math
            import numpy as np
            def concept_direction(pos, neg):
                d = len(pos[0])
                diff = []
                for j in range(d):
                    mp = sum(float(row[j]) for row in pos) / len(pos)
                    mn = sum(float(row[j]) for row in neg) / len(neg)
                    diff.append(mp - mn)
                length = math.sqrt(sum(x * x for x in diff))
                return np.array([x / length for x in diff])
            """)),
        ("sums over counts, sqrt of a dot product", _c("""
            import numpy as np
            def concept_direction(pos, neg):
                diff = np.sum(pos, axis=0) / len(pos) - np.sum(neg, axis=0) / len(neg)
                return diff / np.sqrt(diff @ diff)
            """)),
        ("float32 throughout", _c("""
            import numpy as np
            def concept_direction(pos, neg):
                diff = np.float32(pos).mean(axis=0) - np.float32(neg).mean(axis=0)
                return diff / np.linalg.norm(diff)
            """)),
        ("torch", _c("""
            import torch
            def concept_direction(pos, neg):
                diff = torch.as_tensor(pos).double().mean(0) - torch.as_tensor(neg).double().mean(0)
                return (diff / diff.norm()).numpy()
            """)),
    ],
    "interpret.project_scores": [
        ("matrix product over the norm", SCORES),
        ("unit vector first", _c("""
            import numpy as np
            def project_scores(acts, direction):
                u = direction / np.linalg.norm(direction)
                return acts @ u
            """)),
        ("loop over rows", _c("""
            import numpy as np
            def project_scores(acts, direction):
                u = np.asarray(direction, dtype=float)
                u = u / np.sqrt(np.sum(u * u))
                return np.array([float(np.dot(row, u)) for row in acts])
            """)),
        ("einsum", _c("""
            import numpy as np
            def project_scores(acts, direction):
                return np.einsum("nd,d->n", acts, direction) / np.linalg.norm(direction)
            """)),
        ("torch", _c("""
            import torch
            def project_scores(acts, direction):
                a, d = torch.as_tensor(acts).double(), torch.as_tensor(direction).double()
                return (a @ d / d.norm()).numpy()
            """)),
    ],
    "interpret.linear_probe": [
        ("least squares with a column of ones", PROBE),
        ("normal equations on centred activations", _c("""
            import numpy as np
            def linear_probe(acts, labels, test_acts, test_labels):
                X = np.asarray(acts, dtype=float)
                t = 2.0 * np.asarray(labels) - 1.0
                mean = X.mean(axis=0)
                Xc = X - mean
                w = np.linalg.solve(Xc.T @ Xc, Xc.T @ (t - t.mean()))
                b = t.mean() - mean @ w
                pred = (test_acts @ w + b > 0).astype(int)
                return w, b, np.mean(pred == test_labels)
            """)),
        ("0/1 targets cut at 0.5", _c("""
            import numpy as np
            def linear_probe(acts, labels, test_acts, test_labels):
                A = np.column_stack([acts, np.ones(len(acts))])
                coef = np.linalg.lstsq(A, np.asarray(labels, dtype=float), rcond=None)[0]
                w, b = coef[:-1], coef[-1] - 0.5
                correct = 0
                for x, y in zip(test_acts, test_labels):
                    correct += int((x @ w + b > 0) == (y == 1))
                return w, b, correct / len(test_labels)
            """)),
        ("scikit-learn logistic regression", _c("""
            import numpy as np
            from sklearn.linear_model import LogisticRegression
            def linear_probe(acts, labels, test_acts, test_labels):
                model = LogisticRegression(max_iter=1000).fit(acts, labels)
                return model.coef_[0], model.intercept_[0], model.score(test_acts, test_labels)
            """)),
        ("logistic regression by gradient descent on centred activations", _c("""
            import numpy as np
            def linear_probe(acts, labels, test_acts, test_labels):
                X = np.asarray(acts, dtype=float)
                y = np.asarray(labels, dtype=float)
                mean = X.mean(axis=0)
                Xc = X - mean
                w, c = np.zeros(X.shape[1]), 0.0
                for _ in range(500):
                    p = 1 / (1 + np.exp(-(Xc @ w + c)))
                    w -= 0.5 * Xc.T @ (p - y) / len(y)
                    c -= 0.5 * np.mean(p - y)
                b = c - mean @ w
                return w, b, np.mean((test_acts @ w + b > 0) == (test_labels == 1))
            """)),
        ("ridge, small penalty", _c("""
            import numpy as np
            def linear_probe(acts, labels, test_acts, test_labels):
                X = np.asarray(acts, dtype=np.float64)
                t = np.where(labels == 1, 1.0, -1.0)
                mean = X.mean(0)
                Xc = X - mean
                w = np.linalg.solve(Xc.T @ Xc + 1.0 * np.eye(X.shape[1]), Xc.T @ (t - t.mean()))
                b = t.mean() - mean @ w
                return w, b, ((test_acts @ w + b > 0) == (test_labels == 1)).mean()
            """)),
        ("difference of the class means, cut at the midpoint", _c("""
            import numpy as np
            def linear_probe(acts, labels, test_acts, test_labels):
                mp, mn = acts[labels == 1].mean(0), acts[labels == 0].mean(0)
                w = mp - mn
                b = -w @ (mp + mn) / 2
                return w, b, np.mean((test_acts @ w + b > 0) == (test_labels == 1))
            """)),
        ("torch, float32 least squares", _c("""
            import numpy as np
            import torch
            def linear_probe(acts, labels, test_acts, test_labels):
                X = torch.as_tensor(np.asarray(acts, dtype=np.float32))
                A = torch.cat([X, torch.ones(len(X), 1)], dim=1)
                t = torch.as_tensor(np.where(labels == 1, 1.0, -1.0), dtype=torch.float32)[:, None]
                coef = torch.linalg.lstsq(A, t).solution[:, 0]
                w, b = coef[:-1], coef[-1]
                Xt = torch.as_tensor(np.asarray(test_acts, dtype=np.float32))
                acc = ((Xt @ w + b > 0).numpy() == (test_labels == 1)).mean()
                return w, b, float(acc)
            """)),
    ],
    "interpret.ablate": [
        ("outer product", ABLATE),
        ("projection matrix I - u u^T", _c("""
            import numpy as np
            def ablate(acts, direction):
                u = direction / np.linalg.norm(direction)
                P = np.eye(len(u)) - np.outer(u, u)
                return acts @ P
            """)),
        ("vector projection with the squared norm", _c("""
            import numpy as np
            def ablate(acts, direction):
                d = np.asarray(direction, dtype=float)
                coef = (acts @ d) / (d @ d)
                return acts - coef[:, None] * d
            """)),
        ("loop on a copy", _c("""
            import numpy as np
            def ablate(acts, direction):
                u = np.asarray(direction, dtype=float) / np.linalg.norm(direction)
                out = np.array(acts, dtype=float)
                for i in range(len(out)):
                    out[i] -= (out[i] @ u) * u
                return out
            """)),
        ("float32", _c("""
            import numpy as np
            def ablate(acts, direction):
                u = np.float32(direction) / np.linalg.norm(np.float32(direction))
                a = np.float32(acts)
                return a - (a @ u)[:, None] * u
            """)),
        ("torch", _c("""
            import torch
            def ablate(acts, direction):
                a, d = torch.as_tensor(acts).double(), torch.as_tensor(direction).double()
                u = d / d.norm()
                return (a - (a @ u)[:, None] * u).numpy()
            """)),
    ],
    "interpret.steer": [
        ("broadcast", STEER),
        ("loop on a copy", _c("""
            import numpy as np
            def steer(acts, direction, alpha):
                u = np.asarray(direction, dtype=float)
                u = u / np.sqrt(np.sum(u ** 2))
                out = np.array(acts, dtype=float)
                for i in range(len(out)):
                    out[i] = out[i] + alpha * u
                return out
            """)),
        ("np.add with a row", _c("""
            import numpy as np
            def steer(acts, direction, alpha):
                return np.add(acts, (alpha / np.linalg.norm(direction)) * np.asarray(direction)[None, :])
            """)),
        ("float32", _c("""
            import numpy as np
            def steer(acts, direction, alpha):
                d = np.float32(direction)
                return np.float32(acts) + np.float32(alpha) * d / np.linalg.norm(d)
            """)),
        ("torch", _c("""
            import torch
            def steer(acts, direction, alpha):
                a, d = torch.as_tensor(acts).double(), torch.as_tensor(direction).double()
                return (a + alpha * d / torch.linalg.vector_norm(d)).numpy()
            """)),
    ],
}


def _probe(old: str, new: str) -> str:
    assert old in PROBE, old
    return PROBE.replace(old, new)


FIT = "    w, b = _fit(acts, labels)\n"
SCORE = "    return w, b, _acc(test_acts, test_labels, w, b)\n"

MISTAKES = {
    "interpret.concept_direction": [
        ("not_normalised", DIRECTION.replace("return diff / np.linalg.norm(diff)", "return diff"), "unit length"),
        ("sign_reversed", DIRECTION.replace("return diff", "return -diff"), "wrong way"),
        ("summed", _c("""
            import numpy as np
            def concept_direction(pos, neg):
                diff = np.sum(pos, axis=0) - np.sum(neg, axis=0)
                return diff / np.linalg.norm(diff)
            """), "SUMS"),
        ("rows_normalised", _c("""
            import numpy as np
            def concept_direction(pos, neg):
                pos = pos / np.linalg.norm(pos, axis=1, keepdims=True)
                neg = neg / np.linalg.norm(neg, axis=1, keepdims=True)
                diff = pos.mean(0) - neg.mean(0)
                return diff / np.linalg.norm(diff)
            """), "unit length before averaging"),
        ("means_normalised", _c("""
            import numpy as np
            def concept_direction(pos, neg):
                mp, mn = pos.mean(0), neg.mean(0)
                diff = mp / np.linalg.norm(mp) - mn / np.linalg.norm(mn)
                return diff / np.linalg.norm(diff)
            """), "each class mean"),
        ("l1_norm", DIRECTION.replace("np.linalg.norm(diff)", "np.abs(diff).sum()"), "L1 norm"),
        ("squared_norm", DIRECTION.replace("np.linalg.norm(diff)", "(diff @ diff)"), "squared norm"),
        ("pca", _c("""
            import numpy as np
            def concept_direction(pos, neg):
                X = np.concatenate([pos, neg])
                X = X - X.mean(axis=0)
                return np.linalg.svd(X, full_matrices=False)[2][0]
            """), "principal component"),
        ("pca", _c("""
            import numpy as np
            def concept_direction(pos, neg):
                X = np.vstack([pos, neg]).astype(float)
                return -np.linalg.svd(X, full_matrices=False)[2][0]
            """), "principal component"),
    ],
    "interpret.project_scores": [
        ("not_normalised", "import numpy as np\ndef project_scores(acts, direction):\n    return acts @ direction\n",
         "need not be unit length"),
        ("squared_norm", SCORES.replace("np.linalg.norm(direction)", "(direction @ direction)"), "squared length"),
        ("vector_projection", _c("""
            import numpy as np
            def project_scores(acts, direction):
                u = direction / np.linalg.norm(direction)
                return np.outer(acts @ u, u)
            """), "one number per row"),
        ("sign_reversed", SCORES.replace("return np.asarray", "return -np.asarray"), "wrong sign"),
        ("cosine", _c("""
            import numpy as np
            def project_scores(acts, direction):
                return acts @ direction / (np.linalg.norm(acts, axis=1) * np.linalg.norm(direction))
            """), "cosine"),
        ("centred", _c("""
            import numpy as np
            def project_scores(acts, direction):
                return (acts - acts.mean(axis=0)) @ direction / np.linalg.norm(direction)
            """), "mean activation"),
        ("absolute", SCORES.replace("return np.asarray(acts, dtype=float) @ direction / np.linalg.norm(direction)",
                                    "return np.abs(np.asarray(acts, dtype=float) @ direction) / "
                                    "np.linalg.norm(direction)"), "absolute"),
    ],
    "interpret.linear_probe": [
        ("sign_reversed", PROBE.replace("np.where(np.asarray(labels) == 1, 1.0, -1.0)",
                                        "np.where(np.asarray(labels) == 1, -1.0, 1.0)"), "wrong way"),
        ("leaked", _probe(FIT, "    w, b = _fit(np.concatenate([acts, test_acts]), "
                               "np.concatenate([labels, test_labels]))\n"), "held-out rows as well"),
        ("fitted_on_test", _probe(FIT, "    w, b = _fit(test_acts, test_labels)\n"), "fitted on the held-out"),
        ("scored_on_train", _probe(SCORE, "    return w, b, _acc(acts, labels, w, b)\n"), "training rows"),
        ("scored_on_all", _probe(SCORE, "    return w, b, _acc(np.concatenate([acts, test_acts]), "
                                        "np.concatenate([labels, test_labels]), w, b)\n"), "together"),
        ("error_rate", _probe(SCORE, "    return w, b, 1 - _acc(test_acts, test_labels, w, b)\n"), "error rate"),
        ("percent", _probe(SCORE, "    return w, b, 100 * _acc(test_acts, test_labels, w, b)\n"), "percentage"),
        ("count", _probe(SCORE, "    return w, b, _acc(test_acts, test_labels, w, b) * len(test_labels)\n"),
         "number of held-out rows"),
        ("threshold_01", PROBE.replace("np.where(np.asarray(labels) == 1, 1.0, -1.0)",
                                       "np.asarray(labels, dtype=float)"), "cut is at 0.5"),
        ("no_intercept", _c("""
            import numpy as np
            def linear_probe(acts, labels, test_acts, test_labels):
                t = np.where(labels == 1, 1.0, -1.0)
                w = np.linalg.lstsq(acts, t, rcond=None)[0]
                return w, 0.0, np.mean((test_acts @ w > 0) == (test_labels == 1))
            """), "no intercept"),
        ("weak_probe", _c("""
            import numpy as np
            def linear_probe(acts, labels, test_acts, test_labels):
                # a single-neuron probe: the one feature most correlated with the label
                t = np.where(labels == 1, 1.0, -1.0)
                corr = [np.corrcoef(acts[:, j], t)[0, 1] for j in range(acts.shape[1])]
                j = int(np.argmax(np.abs(corr)))
                w = np.zeros(acts.shape[1])
                w[j] = np.sign(corr[j])
                b = -w[j] * (acts[labels == 1, j].mean() + acts[labels == 0, j].mean()) / 2
                return w, b, np.mean((test_acts @ w + b > 0) == (test_labels == 1))
            """), "does not separate the classes"),
        ("wrong_value", _probe(SCORE, "    pred = np.asarray(test_acts) @ w + b > 0\n"
                                      "    # (n, 1) against (n,) broadcasts to an (n, n) comparison\n"
                                      "    return w, b, np.mean(pred[:, None] == (test_labels == 1))\n"),
         "your own (w, b)"),
    ],
    "interpret.ablate": [
        ("subtracted_direction", ABLATE.replace("return acts - np.outer(acts @ u, u)", "return acts - u"),
         "direction itself"),
        ("subtracted_direction", "import numpy as np\ndef ablate(acts, direction):\n    return acts - direction\n",
         "direction itself"),
        ("not_normalised", _c("""
            import numpy as np
            def ablate(acts, direction):
                return acts - np.outer(acts @ direction, direction)
            """), "unit length"),
        ("one_norm", _c("""
            import numpy as np
            def ablate(acts, direction):
                return acts - np.outer(acts @ direction / np.linalg.norm(direction), direction)
            """), "only once"),
        ("returned_component", ABLATE.replace("return acts - np.outer", "return np.outer"), "what is left"),
        ("added", ABLATE.replace("return acts - np.outer", "return acts + np.outer"), "added the component"),
        ("centred", ABLATE.replace("np.outer(acts @ u, u)", "np.outer((acts - acts.mean(axis=0)) @ u, u)"),
         "centred"),
        ("zero_coordinate", _c("""
            import numpy as np
            def ablate(acts, direction):
                out = np.array(acts, dtype=float)
                out[:, np.argmax(np.abs(direction))] = 0
                return out
            """), "single coordinate"),
        ("modified_input", _c("""
            import numpy as np
            def ablate(acts, direction):
                u = direction / np.linalg.norm(direction)
                acts -= np.outer(acts @ u, u)
                return acts
            """), "in place"),
    ],
    "interpret.steer": [
        ("not_normalised", "import numpy as np\ndef steer(acts, direction, alpha):\n"
                           "    return acts + alpha * direction\n", "not unit length"),
        ("squared_norm", STEER.replace("u / np.linalg.norm(u)", "u / (u @ u)"), "squared length"),
        ("sign_reversed", STEER.replace("+ alpha", "- alpha"), "against the direction"),
        ("set_component", _c("""
            import numpy as np
            def steer(acts, direction, alpha):
                u = direction / np.linalg.norm(direction)
                return acts - np.outer(acts @ u, u) + alpha * u
            """), "replaced"),
        ("scaled_component", _c("""
            import numpy as np
            def steer(acts, direction, alpha):
                u = direction / np.linalg.norm(direction)
                return acts + (alpha - 1) * np.outer(acts @ u, u)
            """), "multiplied"),
        ("renormalised", _c("""
            import numpy as np
            def steer(acts, direction, alpha):
                out = acts + alpha * direction / np.linalg.norm(direction)
                return out / np.linalg.norm(out, axis=1, keepdims=True)
            """), "unit length"),
        ("alpha_ignored", STEER.replace("alpha * u", "u"), "without the factor alpha"),
        ("modified_input", _c("""
            import numpy as np
            def steer(acts, direction, alpha):
                acts += alpha * direction / np.linalg.norm(direction)
                return acts
            """), "in place"),
    ],
}

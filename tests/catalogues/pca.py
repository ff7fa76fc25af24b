"""Correct variants and catalogued mistakes for the 08-pca checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# --- building blocks the variants share --------------------------------------------------

EIGH = """
import numpy as np

def _cov(X):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    return Xc.T @ Xc / (len(X) - 1)
"""



def _e(code: str) -> str:
    """A variant that uses the shared _cov helper above."""
    return dedent(EIGH).strip() + "\n\n" + _c(code)


CORRECT = {
    "pca.center": [
        ("broadcast", _c("""
            import numpy as np
            def center(X):
                return X - X.mean(axis=0)
            """)),
        ("keepdims, float64", _c("""
            import numpy as np
            def center(X):
                X = np.asarray(X, dtype=np.float64)
                return X - np.mean(X, axis=0, keepdims=True)
            """)),
        ("loop over columns", _c("""
            import numpy as np
            def center(X):
                out = np.array(X, dtype=float)
                for j in range(out.shape[1]):
                    out[:, j] -= out[:, j].sum() / out.shape[0]
                return out
            """)),
        ("in place on the argument", _c("""
            import numpy as np
            def center(X):
                X -= X.mean(axis=0)
                return X
            """)),
        ("torch", _c("""
            import torch
            def center(X):
                t = torch.as_tensor(X)
                return t - t.mean(dim=0)
            """)),
    ],
    "pca.covariance": [
        ("np.cov rowvar=False", _c("""
            import numpy as np
            def covariance(X):
                return np.cov(X, rowvar=False)
            """)),
        ("np.cov of X.T", _c("""
            import numpy as np
            def covariance(X):
                return np.cov(np.asarray(X).T)
            """)),
        ("centred product", _c("""
            import numpy as np
            def covariance(X):
                Xc = X - X.mean(axis=0)
                return Xc.T @ Xc / (X.shape[0] - 1)
            """)),
        ("einsum in float32", _c("""
            import numpy as np
            def covariance(X):
                X = np.asarray(X, dtype=np.float32)
                Xc = X - X.mean(axis=0)
                return np.einsum("ni,nj->ij", Xc, Xc) / np.float32(len(X) - 1)
            """)),
        ("sum of outer products", _c("""
            import numpy as np
            def covariance(X):
                mu = X.mean(axis=0)
                C = np.zeros((X.shape[1], X.shape[1]))
                for x in X:
                    C += np.outer(x - mu, x - mu)
                return C / (len(X) - 1)
            """)),
    ],
    "pca.pca_eig": [
        ("eigh, sorted by argsort", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                order = np.argsort(values)[::-1][:k]
                return vectors[:, order], values[order]
            """)),
        ("eigh, reversed, signs flipped", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                vectors = -vectors[:, ::-1]
                return vectors[:, :k], values[::-1][:k]
            """)),
        ("sign convention: largest entry positive", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                values, vectors = values[::-1][:k], vectors[:, ::-1][:, :k]
                big = np.argmax(np.abs(vectors), axis=0)
                return vectors * np.sign(vectors[big, np.arange(k)]), values
            """)),
        ("the SVD route", _c("""
            import numpy as np
            def pca_eig(X, k):
                Xc = X - X.mean(axis=0)
                U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
                return Vt[:k].T, (S[:k] ** 2) / (len(X) - 1)
            """)),
        ("np.linalg.eig then .real and sort", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eig(_cov(X))
                values, vectors = values.real, vectors.real
                order = np.argsort(values)[::-1][:k]
                return vectors[:, order], values[order]
            """)),
        ("float32 throughout", _c("""
            import numpy as np
            def pca_eig(X, k):
                X = np.asarray(X, dtype=np.float32)
                Xc = X - X.mean(axis=0)
                C = (Xc.T @ Xc) / np.float32(len(X) - 1)
                values, vectors = np.linalg.eigh(C)
                return vectors[:, ::-1][:, :k], values[::-1][:k]
            """)),
        ("torch.linalg.eigh", _c("""
            import torch
            def pca_eig(X, k):
                X = torch.as_tensor(X, dtype=torch.float64)
                Xc = X - X.mean(0)
                values, vectors = torch.linalg.eigh(Xc.T @ Xc / (X.shape[0] - 1))
                return vectors.flip(1)[:, :k], values.flip(0)[:k]
            """)),
        ("comment mentions sklearn PCA", _e("""
            # unlike sklearn.decomposition.PCA, this is done by hand
            def pca_eig(X, k):
                "Not sklearn.decomposition.PCA: my own."
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, ::-1][:, :k], values[::-1][:k]
            """)),
    ],
    "pca.pca_svd": [
        ("reduced SVD", _c("""
            import numpy as np
            def pca_svd(X, k):
                Xc = X - X.mean(axis=0)
                U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
                return Vt[:k].T, S[:k] ** 2 / (Xc.shape[0] - 1)
            """)),
        ("full SVD, signs flipped", _c("""
            import numpy as np
            def pca_svd(X, k):
                Xc = X - X.mean(axis=0)
                U, S, Vt = np.linalg.svd(Xc)
                return -Vt.T[:, :k], (S ** 2 / (len(X) - 1))[:k]
            """)),
        ("scipy.linalg.svd", _c("""
            import numpy as np
            import scipy.linalg
            def pca_svd(X, k):
                Xc = X - X.mean(axis=0)
                U, S, Vt = scipy.linalg.svd(Xc, full_matrices=False)
                return Vt.T[:, :k], S[:k] ** 2 / (len(X) - 1)
            """)),
        ("the eigendecomposition route", _e("""
            def pca_svd(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, ::-1][:, :k], values[::-1][:k]
            """)),
        ("float32 throughout", _c("""
            import numpy as np
            def pca_svd(X, k):
                X = np.asarray(X, dtype=np.float32)
                Xc = X - X.mean(axis=0)
                U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
                return Vt[:k].T, S[:k] ** 2 / np.float32(len(X) - 1)
            """)),
        ("torch.linalg.svd", _c("""
            import torch
            def pca_svd(X, k):
                X = torch.as_tensor(X, dtype=torch.float64)
                Xc = X - X.mean(0)
                U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
                return Vh[:k].T, S[:k] ** 2 / (X.shape[0] - 1)
            """)),
    ],
    "pca.explained_variance_ratio": [
        ("eigh", _e("""
            def explained_variance_ratio(X):
                values = np.linalg.eigh(_cov(X))[0][::-1]
                return values / values.sum()
            """)),
        ("eigvalsh, sorted", _e("""
            def explained_variance_ratio(X):
                values = np.sort(np.linalg.eigvalsh(_cov(X)))[::-1]
                return values / np.trace(_cov(X))
            """)),
        ("SVD, zero-padded to d", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                Xc = X - X.mean(axis=0)
                S = np.linalg.svd(Xc, compute_uv=False)
                var = np.zeros(X.shape[1])
                var[:len(S)] = S ** 2
                return var / var.sum()
            """)),
        ("divided by n (ratio is the same)", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                Xc = X - X.mean(axis=0)
                values = np.linalg.eigvalsh(Xc.T @ Xc / len(X))[::-1]
                return values / values.sum()
            """)),
        ("float32 throughout", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                X = np.asarray(X, dtype=np.float32)
                Xc = X - X.mean(axis=0)
                values = np.linalg.eigvalsh(Xc.T @ Xc)[::-1]
                return values / values.sum()
            """)),
    ],
    "pca.project": [
        ("matrix product", _c("""
            import numpy as np
            def project(X, components):
                return (X - X.mean(axis=0)) @ components
            """)),
        ("dot products per component", _c("""
            import numpy as np
            def project(X, components):
                Xc = X - X.mean(axis=0)
                return np.stack([Xc @ components[:, j] for j in range(components.shape[1])], axis=1)
            """)),
        ("einsum in float64", _c("""
            import numpy as np
            def project(X, components):
                X = np.asarray(X, float)
                return np.einsum("nd,dk->nk", X - X.mean(0), np.asarray(components, float))
            """)),
        ("subtract projected mean", _c("""
            import numpy as np
            def project(X, components):
                return X @ components - X.mean(axis=0) @ components
            """)),
    ],
    "pca.reconstruct": [
        ("matrix product plus mean", _c("""
            import numpy as np
            def reconstruct(Z, components, mean):
                return Z @ components.T + mean
            """)),
        ("sum of rank-one terms", _c("""
            import numpy as np
            def reconstruct(Z, components, mean):
                out = np.tile(np.asarray(mean, float), (Z.shape[0], 1))
                for j in range(Z.shape[1]):
                    out += np.outer(Z[:, j], components[:, j])
                return out
            """)),
        ("transpose of a product", _c("""
            import numpy as np
            def reconstruct(Z, components, mean):
                return (components @ Z.T).T + mean[None, :]
            """)),
        ("pseudo-inverse (equal for orthonormal columns)", _c("""
            import numpy as np
            def reconstruct(Z, components, mean):
                return Z @ np.linalg.pinv(components) + mean
            """)),
    ],
}

MISTAKES = {
    "pca.center": [
        ("not_centred", "def center(X):\n    return X.copy()\n", "unchanged"),
        ("row_means", _c("""
            def center(X):
                return X - X.mean(axis=1, keepdims=True)
            """), "each row's mean"),
        ("global_mean", "def center(X):\n    return X - X.mean()\n", "overall mean"),
        ("standardised", _c("""
            def center(X):
                return (X - X.mean(axis=0)) / X.std(axis=0)
            """), "standard deviation"),
        ("standardised", _c("""
            def center(X):
                return (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
            """), "standard deviation"),
        ("returned_mean", "def center(X):\n    return X.mean(axis=0)\n", "returned the column means"),
        ("mean_added", "def center(X):\n    return X + X.mean(axis=0)\n", "added the column means"),
        ("median", "import numpy as np\ndef center(X):\n    return X - np.median(X, axis=0)\n", "medians"),
        ("first_row", "def center(X):\n    return X - X[0]\n", "first row"),
        ("error", "def center(X):\n    raise NotImplementedError()\n", "NotImplementedError"),
        ("wrong_type", "def center(X):\n    X = X - X.mean(axis=0)\n", "return"),
        ("wrong_value", "def center(X):\n    return X - X.mean(axis=0) + 0.01\n", "tolerance"),
    ],
    "pca.covariance": [
        ("not_centred", "def covariance(X):\n    return X.T @ X / (len(X) - 1)\n", "not centred"),
        ("divided_by_n", "import numpy as np\ndef covariance(X):\n    return np.cov(X, rowvar=False, bias=True)\n",
         "divided by n"),
        ("not_divided", _c("""
            def covariance(X):
                Xc = X - X.mean(axis=0)
                return Xc.T @ Xc
            """), "without dividing"),
        ("rowvar", "import numpy as np\ndef covariance(X):\n    return np.cov(X)\n", "rowvar=False"),
        ("gram_matrix", _c("""
            def covariance(X):
                Xc = X - X.mean(axis=0)
                return Xc @ Xc.T / (len(X) - 1)
            """), "between samples"),
        ("correlation", "import numpy as np\ndef covariance(X):\n    return np.corrcoef(X, rowvar=False)\n",
         "correlation"),
        ("variances_only", "def covariance(X):\n    return X.var(axis=0, ddof=1)\n", "diagonal"),
        ("divided_by_d", _c("""
            def covariance(X):
                Xc = X - X.mean(axis=0)
                return Xc.T @ Xc / X.shape[1]
            """), "number of features"),
        ("wrong_shape", "import numpy as np\ndef covariance(X):\n    return np.cov(X, rowvar=False)[:-1]\n",
         "expected shape"),
    ],
    "pca.pca_eig": [
        ("not_centred", _c("""
            import numpy as np
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(X.T @ X / (len(X) - 1))
                return vectors[:, ::-1][:, :k], values[::-1][:k]
            """), "not centred"),
        ("divided_by_n", _c("""
            import numpy as np
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(np.cov(X, rowvar=False, bias=True))
                return vectors[:, ::-1][:, :k], values[::-1][:k]
            """), "divided by n"),
        ("components_as_rows", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, ::-1][:, :k].T, values[::-1][:k]
            """), "ROWS"),
        ("not_sorted", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, -k:], values[-k:]
            """), "sort by eigenvalue"),
        ("smallest_components", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, :k], values[:k]
            """), "SMALLEST"),
        ("complex_output", _e("""
            import scipy.linalg
            def pca_eig(X, k):
                values, vectors = scipy.linalg.eig(_cov(X))
                order = np.argsort(values.real)[::-1][:k]
                return vectors[:, order], values[order]
            """), "eigh"),
        ("complex_output", _c("""
            import numpy as np
            def pca_eig(X, k):
                values, vectors = np.linalg.eig(np.cov(X, rowvar=False))
                order = np.argsort(values)[::-1][:k]
                return vectors[:, order], values[order]
            """), "complex dtype"),
        ("not_unit_length", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                values, vectors = values[::-1][:k], vectors[:, ::-1][:, :k]
                return vectors * np.sqrt(np.abs(values)), values
            """), "unit"),
        ("correlation", _c("""
            import numpy as np
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(np.corrcoef(X, rowvar=False))
                return vectors[:, ::-1][:, :k], values[::-1][:k]
            """), "correlation"),
        ("standard_deviations", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, ::-1][:, :k], np.sqrt(np.abs(values[::-1][:k]))
            """), "standard deviations"),
        ("ratio_instead", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, ::-1][:, :k], (values / values.sum())[::-1][:k]
            """), "explained-variance ratios"),
        ("tuple_order", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return values[::-1][:k], vectors[:, ::-1][:, :k]
            """), "(components, variances)"),
        ("library_used", _c("""
            import numpy as np
            from sklearn.decomposition import PCA
            def pca_eig(X, k):
                model = PCA(n_components=k).fit(X)
                return model.components_.T, model.explained_variance_
            """), "scikit-learn"),
        ("library_used", _c("""
            import sklearn.decomposition as dec
            def pca_eig(X, k):
                model = dec.PCA(k).fit(X)
                return model.components_.T, model.explained_variance_
            """), "from scratch"),
        ("library_used", _c("""
            import importlib
            PCA = importlib.import_module("sklearn.decomposition").PCA  # imported out of sight of the scan
            def pca_eig(X, k):
                model = PCA(n_components=k).fit(X)
                return model.components_.T, model.explained_variance_
            """), "scikit-learn"),
        ("wrong_type", _e("""
            def pca_eig(X, k):
                values, vectors = np.linalg.eigh(_cov(X))
                return vectors[:, ::-1][:, :k]
            """), "should return a tuple"),
    ],
    "pca.pca_svd": [
        ("correlation", _c("""
            import numpy as np
            def pca_svd(X, k):
                Z = (X - X.mean(0)) / X.std(0, ddof=1)
                U, S, Vt = np.linalg.svd(Z, full_matrices=False)
                return Vt[:k].T, S[:k] ** 2 / (len(X) - 1)
            """), "correlation"),
        ("ratio_instead", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return Vt[:k].T, (S ** 2 / np.sum(S ** 2))[:k]
            """), "explained-variance ratios"),
        ("smallest_components", _c("""
            import numpy as np
            def pca_svd(X, k):
                values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
                return vectors[:, :k], values[:k]
            """), "SMALLEST"),
        ("tuple_order", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return S[:k] ** 2 / (len(X) - 1), Vt[:k].T
            """), "(components, variances)"),
        ("not_centred", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X, full_matrices=False)
                return Vt[:k].T, S[:k] ** 2 / (len(X) - 1)
            """), "not centred"),
        ("divided_by_n", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return Vt[:k].T, S[:k] ** 2 / len(X)
            """), "divided by n"),
        ("components_as_rows", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return Vt[:k], S[:k] ** 2 / (len(X) - 1)
            """), "ROWS"),
        ("vt_columns", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0))
                return Vt[:, :k], S[:k] ** 2 / (len(X) - 1)
            """), "COLUMNS of Vt"),
        ("used_U", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return U[:, :k], S[:k] ** 2 / (len(X) - 1)
            """), "columns of U"),
        ("singular_values", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return Vt[:k].T, S[:k]
            """), "S**2 / (n - 1)"),
        ("not_divided", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return Vt[:k].T, S[:k] ** 2
            """), "without dividing"),
        ("not_sorted", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                var = S ** 2 / (len(X) - 1)
                return Vt[:k][::-1].T, var[:k][::-1]
            """), "sort by eigenvalue"),
        ("not_unit_length", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return (Vt[:k] * S[:k, None]).T, S[:k] ** 2 / (len(X) - 1)
            """), "unit"),
        ("standard_deviations", _c("""
            import numpy as np
            def pca_svd(X, k):
                U, S, Vt = np.linalg.svd(X - X.mean(0), full_matrices=False)
                return Vt[:k].T, S[:k] / np.sqrt(len(X) - 1)
            """), "standard deviations"),
        ("library_used", _c("""
            from sklearn import decomposition
            def pca_svd(X, k):
                model = decomposition.PCA(n_components=k, svd_solver="full").fit(X)
                return model.components_.T, model.explained_variance_
            """), "from scratch"),
        ("library_used", _c("""
            from sklearn.decomposition import TruncatedSVD
            def pca_svd(X, k):
                model = TruncatedSVD(k).fit(X - X.mean(0))
                return model.components_.T, model.explained_variance_
            """), "scikit-learn"),
    ],
    "pca.explained_variance_ratio": [
        ("not_normalised", _e("""
            def explained_variance_ratio(X):
                return np.linalg.eigvalsh(_cov(X))[::-1]
            """), "divide them by their sum"),
        ("not_normalised", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                Xc = X - X.mean(axis=0)
                return np.linalg.eigvalsh(Xc.T @ Xc / len(X))[::-1]
            """), "sum to 1"),
        ("not_sorted", _e("""
            def explained_variance_ratio(X):
                values = np.linalg.eigvalsh(_cov(X))
                return values / values.sum()
            """), "decreasing order"),
        ("cumulative", _e("""
            def explained_variance_ratio(X):
                values = np.linalg.eigvalsh(_cov(X))[::-1]
                return np.cumsum(values) / values.sum()
            """), "cumulative"),
        ("singular_values", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                S = np.linalg.svd(X - X.mean(0), compute_uv=False)
                return S / S.sum()
            """), "SQUARED"),
        ("not_centred", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                values = np.linalg.eigvalsh(X.T @ X)[::-1]
                return values / values.sum()
            """), "centre the data"),
        ("percent", _e("""
            def explained_variance_ratio(X):
                values = np.linalg.eigvalsh(_cov(X))[::-1]
                return 100 * values / values.sum()
            """), "percentages"),
        ("max_normalised", _e("""
            def explained_variance_ratio(X):
                values = np.linalg.eigvalsh(_cov(X))[::-1]
                return values / values[0]
            """), "largest eigenvalue"),
        ("correlation", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                values = np.linalg.eigvalsh(np.corrcoef(X, rowvar=False))[::-1]
                return values / values.sum()
            """), "correlation"),
        ("complex_output", _e("""
            import scipy.linalg
            def explained_variance_ratio(X):
                values = scipy.linalg.eigvals(_cov(X))
                values = values[np.argsort(values.real)[::-1]]
                return values / values.sum()
            """), "eigh"),
        ("complex_output", _c("""
            import numpy as np
            def explained_variance_ratio(X):
                Xc = X - X.mean(axis=0)
                values = np.sort(np.linalg.eigvals(Xc.T @ Xc))[::-1]
                return values / values.sum()
            """), "complex dtype"),
        ("library_used", _c("""
            from sklearn.decomposition import PCA
            def explained_variance_ratio(X):
                return PCA().fit(X).explained_variance_ratio_
            """), "from scratch"),
    ],
    "pca.project": [
        ("not_centred", "def project(X, components):\n    return X @ components\n", "centre X first"),
        ("transposed_components", _c("""
            def project(X, components):
                return (X - X.mean(axis=0)) @ components.T
            """), "components.T"),
        ("scores_transposed", _c("""
            def project(X, components):
                return components.T @ (X - X.mean(axis=0)).T
            """), "transposed"),
        ("reconstruction", _c("""
            def project(X, components):
                Xc = X - X.mean(axis=0)
                return Xc @ components @ components.T
            """), "feature space"),
        ("whitened", _c("""
            def project(X, components):
                Z = (X - X.mean(axis=0)) @ components
                return Z / Z.std(axis=0, ddof=1)
            """), "whitening"),
        ("row_centred", _c("""
            def project(X, components):
                return (X - X.mean(axis=1, keepdims=True)) @ components
            """), "each row's mean"),
        ("mean_added", "def project(X, components):\n    return (X + X.mean(axis=0)) @ components\n",
         "instead of subtracting"),
    ],
    "pca.reconstruct": [
        ("no_mean", "def reconstruct(Z, components, mean):\n    return Z @ components.T\n", "mean back"),
        ("mean_subtracted", "def reconstruct(Z, components, mean):\n    return Z @ components.T - mean\n",
         "subtracted the mean"),
        ("untransposed_components", "def reconstruct(Z, components, mean):\n    return Z @ components + mean\n",
         "components.T"),
        ("transposed_output", _c("""
            def reconstruct(Z, components, mean):
                return components @ Z.T + mean[:, None]
            """), "(d, n)"),
        ("first_component_only", _c("""
            import numpy as np
            def reconstruct(Z, components, mean):
                return np.outer(Z[:, 0], components[:, 0]) + mean
            """), "first component"),
        ("mean_projected", _c("""
            def reconstruct(Z, components, mean):
                return (Z + mean @ components) @ components.T
            """), "inside the components' span"),
        ("mean_scaled", "def reconstruct(Z, components, mean):\n    return Z @ components.T + Z.mean()\n",
         "mean vector"),
        ("error", _c("""
            def reconstruct(Z, components, mean):
                return Z @ components.T + mean.reshape(-1, 1)
            """), "raised an error"),
    ],
}

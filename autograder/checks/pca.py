"""Hidden checks for 08-pca: centre, covariance, PCA by eigendecomposition and by SVD,
explained-variance ratio, projection and reconstruction.

Conventions the prompts state and these checks enforce:

* covariance divides by n - 1 and treats columns as features;
* components are the COLUMNS of a (d, k) matrix, unit length, sorted by decreasing
  eigenvalue; each column's sign is free (a flipped eigenvector is still an eigenvector);
* ``pca_eig`` / ``pca_svd`` return ``(components, variances)``, the variances being the
  top-k eigenvalues of the covariance;
* explained-variance ratio = all d eigenvalues, in decreasing order, / total variance.

Errors are measured against the scale of the expected answer,
``max|yours - expected| <= tol * max|expected|``, so float32 input (whose rounding error is
relative to the data's size, not to each entry) is judged fairly. Random data is built with
an exactly known covariance whose eigenvalues are well separated, so eigenvectors are
unique up to sign and ties never happen by accident.

Multi-part answers are judged with ``autograder.checks._kit.compare``.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, inputs, register
from autograder.checks._kit.compare import Part, describe_failure, fmt, judge_all, scaled_error

PCA_TOL = 1e-4  # max|yours - expected| <= PCA_TOL * max|expected|, stated in every prompt



TOL = Tolerance(PCA_TOL, "scale", floor=1e-8)
# What the multi-part PCA judge recognises from the shape of the answer.
PCA_SHAPE_MISTAKES = [
    Mistake("tuple_order", "you returned (variances, components); return (components, variances) in that order"),
    Mistake("components_as_rows", "your components are the ROWS of a (k, d) matrix; return them as COLUMNS of a "
            "(d, k) matrix"),
    Mistake("not_unit_length", "your columns point the right way but are not unit vectors; divide each by its norm"),
    Mistake("not_sorted", "your columns are eigenvectors of the covariance but not the k largest in decreasing "
            "order; sort by eigenvalue, largest first"),
]


# ---------------------------------------------------------------------------------------
# Inputs: data with an exactly known, well-separated covariance spectrum
# ---------------------------------------------------------------------------------------


_data = inputs.known_spectrum  # data with an exactly known, well-separated covariance spectrum


def _with_constant(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """d features, one of them constant (zero variance) at a random position."""
    x = _data(rng, n, d - 1)
    j = int(rng.integers(0, d))
    return np.insert(x, j, rng.uniform(-5.0, 5.0), axis=1)


def _dims(rng: np.random.Generator) -> tuple[int, int]:
    return int(rng.integers(25, 61)), int(rng.integers(4, 7))


def _data_cases(rng: np.random.Generator) -> list[Case]:
    n, d = _dims(rng)
    n2, d2 = _dims(rng)
    return [
        Case("random data with a far-off mean", {"X": _data(rng, n, d)}),
        Case("data with a constant feature", {"X": _with_constant(rng, n2, d2)}),
        Case("rank-deficient data (fewer samples than features)", {"X": _data(rng, 4, 10, rank=3)}),
        Case("float32 data", {"X": _data(rng, *_dims(rng)).astype(np.float32)}),
        Case("two samples", {"X": _data(rng, 2, 3, rank=1)}),
    ]


def _pca_cases(rng: np.random.Generator) -> list[Case]:
    n, d = _dims(rng)
    cases = [
        Case("random data, k = 2", {"X": _data(rng, n, d), "k": 2}),
        Case("k equal to the full dimension", {"X": _data(rng, *_dims(rng)), "k": None}),
        Case("rank-deficient data (rank d - 1), k = d", {"X": _data(rng, int(rng.integers(25, 61)), 5, rank=4), "k": 5}),
        Case("rank-deficient data (fewer samples than features)", {"X": _data(rng, 5, 12, rank=4), "k": 3}),
        Case("3 samples of 12 features (rank 2)", {"X": _data(rng, 3, 12, rank=2), "k": 2}),
        Case("data with a constant feature", {"X": _with_constant(rng, *_dims(rng)), "k": 3}),
        Case("float32 data", {"X": _data(rng, *_dims(rng)).astype(np.float32), "k": 3}),
        Case("k = 1", {"X": _data(rng, *_dims(rng)), "k": 1}),
    ]
    for case in cases:
        if case.args["k"] is None:
            case.args["k"] = int(case.args["X"].shape[1])
    return cases


# ---------------------------------------------------------------------------------------
# References (float64 from the values the student received)
# ---------------------------------------------------------------------------------------

def _f64(X) -> np.ndarray:
    return np.asarray(X, dtype=np.float64)


def _centre_ref(X):
    X = _f64(X)
    return X - X.mean(axis=0)


def _cov_ref(X):
    Xc = _centre_ref(X)
    return Xc.T @ Xc / (Xc.shape[0] - 1)


def _eig_desc(C):
    values, vectors = np.linalg.eigh(C)
    order = np.argsort(values)[::-1]
    return values[order], vectors[:, order]


def _pca_ref(X, k):
    values, vectors = _eig_desc(_cov_ref(X))
    return vectors[:, :k], values[:k]


def _evr_ref(X):
    values, _ = _eig_desc(_cov_ref(X))
    return values / values.sum()


def align_columns(received: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Flip each column's sign to agree with the target's: eigenvectors are signless."""
    signs = np.sign(np.sum(received.astype(np.float64) * target, axis=0))
    signs[signs == 0] = 1.0
    return received * signs


COMPONENTS = Part("components", align_columns)
VARIANCES = Part("variances")


# ---------------------------------------------------------------------------------------
# center
# ---------------------------------------------------------------------------------------

def _std(X, ddof):
    return _f64(X).std(axis=0, ddof=ddof)


CENTER_MISTAKES = [
    Mistake("not_centred", "you returned the data unchanged: subtract each column's mean",
            lambda X: _f64(X)),
    Mistake("row_means", "you subtracted each row's mean (axis=1); centring subtracts each column's (feature's) "
            "mean, X.mean(axis=0)", lambda X: _f64(X) - _f64(X).mean(axis=1, keepdims=True)),
    Mistake("global_mean", "you subtracted one overall mean of every entry; each column (feature) needs its own "
            "mean, X.mean(axis=0)", lambda X: _f64(X) - _f64(X).mean()),
    Mistake("standardised", "you also divided by the standard deviation (standardising); center only subtracts "
            "the column means", lambda X: _centre_ref(X) / _std(X, 0)),
    Mistake("standardised", "you also divided by the standard deviation (standardising); center only subtracts "
            "the column means", lambda X: _centre_ref(X) / _std(X, 1)),
    Mistake("returned_mean", "you returned the column means; center returns the centred data, an (n, d) array",
            lambda X: _f64(X).mean(axis=0)),
    Mistake("mean_added", "you added the column means instead of subtracting them",
            lambda X: _f64(X) + _f64(X).mean(axis=0)),
    Mistake("median", "you subtracted the column medians; centring subtracts the column means",
            lambda X: _f64(X) - np.median(_f64(X), axis=0)),
    Mistake("first_row", "you subtracted the first row; centring subtracts the column means",
            lambda X: _f64(X) - _f64(X)[0]),
]

check_center = register(Check(
    id="pca.center",
    target="center",
    summary=f"center(X) subtracts the column means (tolerance {PCA_TOL:.0e} relative to the largest entry)",
    make_cases=_data_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _centre_ref, PCA_TOL, CENTER_MISTAKES,
                                            what="center(X)"),
    tolerance=TOL,
    kind="value",
    mistakes=CENTER_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# covariance
# ---------------------------------------------------------------------------------------

def _uncentred_cov(X):
    X = _f64(X)
    return X.T @ X / (X.shape[0] - 1)


def _correlation(X):
    C = _cov_ref(X)
    s = np.sqrt(np.diag(C))
    return C / np.outer(s, s)


COVARIANCE_MISTAKES = [
    Mistake("not_centred", "your matrix is X.T @ X / (n - 1) of the raw data: the data was not centred first "
            "(subtract the column means before multiplying)", _uncentred_cov),
    Mistake("divided_by_n", "you divided by n; this exercise's (sample) covariance divides by n - 1",
            lambda X: _cov_ref(X) * (len(X) - 1) / len(X)),
    Mistake("not_divided", "you returned Xc.T @ Xc without dividing by n - 1",
            lambda X: _cov_ref(X) * (len(X) - 1)),
    Mistake("rowvar", "you returned an (n, n) matrix: np.cov treats ROWS as variables unless you pass "
            "rowvar=False; the features are the columns of X", lambda X: np.cov(_f64(X))),
    Mistake("gram_matrix", "you returned Xc @ Xc.T (n, n), the similarity between samples; the covariance of "
            "the features is Xc.T @ Xc / (n - 1), (d, d)",
            lambda X: _centre_ref(X) @ _centre_ref(X).T / (len(X) - 1)),
    Mistake("correlation", "you returned the correlation matrix (the data was standardised); the covariance "
            "keeps each feature's scale", _correlation),
    Mistake("variances_only", "you returned only the variances of the features (the diagonal); covariance "
            "returns the full (d, d) matrix", lambda X: np.diag(_cov_ref(X))),
    Mistake("divided_by_d", "you divided by the number of features d; divide by the number of samples minus "
            "one, n - 1", lambda X: _cov_ref(X) * (len(X) - 1) / _f64(X).shape[1]),
]

check_covariance = register(Check(
    id="pca.covariance",
    target="covariance",
    summary=f"covariance(X) is the (d, d) sample covariance, divided by n - 1 (tolerance {PCA_TOL:.0e} "
            "relative to the largest entry)",
    make_cases=_data_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _cov_ref, PCA_TOL, COVARIANCE_MISTAKES,
                                            what="covariance(X)"),
    tolerance=TOL,
    kind="value",
    mistakes=COVARIANCE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# pca_eig and pca_svd
# ---------------------------------------------------------------------------------------

EIGH_HINT = "use np.linalg.eigh for a symmetric matrix such as the covariance: it returns real eigenvalues " \
            "(ascending) and orthonormal eigenvectors"


def _diagnose_pca(case: Case, received: tuple, expected: tuple) -> Verdict | None:
    """Structural mistakes the catalogue cannot compute in advance."""
    X, k = case.args["X"], case.args["k"]
    comps, var = received
    ref_comps, ref_var = expected
    if comps.shape == ref_var.shape and var.shape == ref_comps.shape and comps.shape != var.shape:
        return Verdict(False, describe_failure(
            case, "you returned (variances, components); return (components, variances) in that order"),
            "tuple_order")
    if not np.all(np.isfinite(comps)):
        return None
    if (comps.ndim == 2 and comps.shape == ref_comps.shape[::-1] and var.shape == ref_var.shape
            and scaled_error(align_columns(comps.T, ref_comps), ref_comps) <= PCA_TOL):
        return Verdict(False, describe_failure(
            case, f"you returned the components as ROWS, a {comps.shape} matrix; this exercise wants them as the "
            f"COLUMNS of a {ref_comps.shape} matrix (transpose it)"), "components_as_rows")
    if comps.shape != ref_comps.shape:
        return None
    comps = comps.astype(np.float64)
    norms = np.linalg.norm(comps, axis=0)
    if np.all(norms > 1e-12) and np.max(np.abs(norms - 1.0)) > PCA_TOL:
        unit = comps / norms
        if scaled_error(align_columns(unit, ref_comps), ref_comps) <= PCA_TOL:
            return Verdict(False, describe_failure(
                case, f"your columns point the right way but have lengths {fmt(norms)}; components must be unit "
                "vectors (divide each column by its norm; do not scale by the eigenvalues)"), "not_unit_length")
    C = _cov_ref(X)
    scale = float(np.max(np.abs(np.linalg.eigvalsh(C))))
    with np.errstate(all="ignore"):
        rayleigh = np.einsum("ij,ij->j", comps, C @ comps) / np.maximum(norms**2, 1e-300)
        residual = np.linalg.norm(C @ comps - comps * rayleigh, axis=0) / np.maximum(norms, 1e-300)
    if np.all(norms > 1e-12) and np.all(residual <= 1e-3 * scale):
        if scaled_error(rayleigh, ref_var) > PCA_TOL:
            return Verdict(False, describe_failure(
                case, f"your columns are eigenvectors of the covariance, but with eigenvalues {fmt(rayleigh)} "
                f"instead of the {k} largest in decreasing order {fmt(ref_var)}: sort by eigenvalue, largest "
                "first (np.linalg.eigh returns them in ascending order; np.linalg.eig in no particular order)"),
                "not_sorted")
    return None


def _pca_judge(mistakes, name):
    return lambda cases, outcomes: judge_all(
        cases, outcomes, _pca_ref, PCA_TOL, mistakes, what=f"{name}(X, k)",
        parts=[COMPONENTS, VARIANCES], diagnose=_diagnose_pca, complex_hint=EIGH_HINT)


def _eig_of(M, k):
    values, vectors = _eig_desc(M)
    return vectors[:, :k], values[:k]


def _svd(X):
    return np.linalg.svd(_centre_ref(X), full_matrices=False)


PCA_COMMON_MISTAKES = [
    Mistake("divided_by_n", "your components are right, but your variances are those of a covariance divided "
            "by n; divide by n - 1",
            lambda X, k: (_pca_ref(X, k)[0], _pca_ref(X, k)[1] * (len(X) - 1) / len(X))),
    Mistake("correlation", "your components are eigenvectors of the correlation matrix (the data was "
            "standardised); PCA here uses the covariance of the centred, unscaled data",
            lambda X, k: _eig_of(_correlation(X), k)),
    Mistake("standard_deviations", "your variances are square roots of the eigenvalues (standard deviations); "
            "return the eigenvalues of the covariance themselves",
            lambda X, k: (_pca_ref(X, k)[0], np.sqrt(np.abs(_pca_ref(X, k)[1])))),
    Mistake("ratio_instead", "your variances sum to 1 over all components: those are explained-variance "
            "ratios; pca_* returns the eigenvalues themselves",
            lambda X, k: (_pca_ref(X, k)[0], _evr_ref(X)[:k])),
    Mistake("smallest_components", "you took the k eigenvectors with the SMALLEST eigenvalues (np.linalg.eigh "
            "sorts ascending); PCA keeps the k largest, in decreasing order",
            lambda X, k: (_eig_desc(_cov_ref(X))[1][:, ::-1][:, :k], _eig_desc(_cov_ref(X))[0][::-1][:k])),
]

PCA_EIG_MISTAKES = [
    Mistake("not_centred", "your components look like eigenvectors of X.T @ X / (n - 1): the data was not "
            "centred before computing the covariance (subtract the column means first)",
            lambda X, k: _eig_of(_uncentred_cov(X), k)),
    *PCA_COMMON_MISTAKES,
]

PCA_SVD_MISTAKES = [
    Mistake("not_centred", "your components look like the right singular vectors of the raw data: X was not "
            "centred before the SVD (subtract the column means first)",
            lambda X, k: (np.linalg.svd(_f64(X), full_matrices=False)[2][:k].T,
                          np.linalg.svd(_f64(X), full_matrices=False)[1][:k] ** 2 / (len(X) - 1))),
    Mistake("singular_values", "your variances are the singular values S of the centred data; the variances "
            "(covariance eigenvalues) are S**2 / (n - 1)",
            lambda X, k: (_pca_ref(X, k)[0], _svd(X)[1][:k])),
    Mistake("not_divided", "your variances are S**2 without dividing by n - 1",
            lambda X, k: (_pca_ref(X, k)[0], _svd(X)[1][:k] ** 2)),
    Mistake("vt_columns", "you took the first k COLUMNS of Vt; the principal directions are its first k ROWS "
            "(the columns of Vt.T)",
            lambda X, k: (np.linalg.svd(_centre_ref(X))[2][:, :k], _pca_ref(X, k)[1])),
    Mistake("used_U", "you returned columns of U, which live in sample space (n entries each); the components "
            "are the first k rows of Vt, transposed to (d, k)",
            lambda X, k: (_svd(X)[0][:, :k], _pca_ref(X, k)[1])),
    *PCA_COMMON_MISTAKES,
]

check_pca_eig = register(Check(
    id="pca.pca_eig",
    target="pca_eig",
    summary=f"pca_eig(X, k) returns the top-k components (columns, any sign) and variances of the covariance "
            f"(tolerance {PCA_TOL:.0e} relative to the largest entry)",
    make_cases=_pca_cases,
    judge=_pca_judge(PCA_EIG_MISTAKES, "pca_eig"),
    forbidden=scratch.SKLEARN_PCA,
    watch=scratch.WATCH_SKLEARN_DECOMPOSITION,
    tolerance=TOL,
    kind="parts",
    mistakes=[*PCA_EIG_MISTAKES, *PCA_SHAPE_MISTAKES],
)).runner()

check_pca_svd = register(Check(
    id="pca.pca_svd",
    target="pca_svd",
    summary=f"pca_svd(X, k) returns the top-k components (columns, any sign) and variances from the SVD of the "
            f"centred data (tolerance {PCA_TOL:.0e} relative to the largest entry)",
    make_cases=_pca_cases,
    judge=_pca_judge(PCA_SVD_MISTAKES, "pca_svd"),
    forbidden=scratch.SKLEARN_PCA,
    watch=scratch.WATCH_SKLEARN_DECOMPOSITION,
    tolerance=TOL,
    kind="parts",
    mistakes=[*PCA_SVD_MISTAKES, *PCA_SHAPE_MISTAKES],
)).runner()


# ---------------------------------------------------------------------------------------
# explained_variance_ratio
# ---------------------------------------------------------------------------------------

def _diagnose_evr(case: Case, received: tuple, expected: tuple) -> Verdict | None:
    (r,), (e,) = received, expected
    if r.shape != e.shape or not np.all(np.isfinite(r)):
        return None
    r = r.astype(np.float64)
    total = r.sum()
    if abs(total) > 1e-12 and abs(total - 1.0) > PCA_TOL and scaled_error(r / total, e) <= PCA_TOL:
        return Verdict(False, describe_failure(
            case, f"your values have the right proportions but sum to {total:.6g}: divide the eigenvalues by "
            "their total (the total variance) so the ratios sum to 1"), "not_normalised")
    if scaled_error(np.sort(r)[::-1], e) <= PCA_TOL:
        return Verdict(False, describe_failure(
            case, f"your ratios are right but not in decreasing order: {fmt(r)}; sort them largest first"),
            "not_sorted")
    return None


EVR_MISTAKES = [
    Mistake("not_normalised", "you returned the eigenvalues themselves; divide them by their sum (the total "
            "variance) so the ratios sum to 1", lambda X: _eig_desc(_cov_ref(X))[0]),
    Mistake("not_sorted", "your ratios come in ascending order (as np.linalg.eigh returns eigenvalues); sort "
            "them in decreasing order, largest first", lambda X: _evr_ref(X)[::-1]),
    Mistake("cumulative", "you returned the cumulative explained variance; return each component's own share "
            "(use np.cumsum only for the plot)", lambda X: np.cumsum(_evr_ref(X))),
    Mistake("singular_values", "you divided singular values by their sum; the variances are the SQUARED "
            "singular values, so use S**2 / sum(S**2)",
            lambda X: np.linalg.svd(_centre_ref(X), compute_uv=False)[:_f64(X).shape[1]]
            / np.linalg.svd(_centre_ref(X), compute_uv=False).sum()),
    Mistake("not_centred", "your ratios come from X.T @ X of the raw data: centre the data before computing the "
            "covariance", lambda X: _eig_desc(_uncentred_cov(X))[0] / _eig_desc(_uncentred_cov(X))[0].sum()),
    Mistake("percent", "you returned percentages; return fractions between 0 and 1 that sum to 1",
            lambda X: 100 * _evr_ref(X)),
    Mistake("max_normalised", "you divided by the largest eigenvalue; divide by the total variance (the sum of "
            "all eigenvalues)", lambda X: _evr_ref(X) / _evr_ref(X)[0]),
    Mistake("correlation", "your ratios are those of the correlation matrix (the data was standardised); use "
            "the covariance of the centred, unscaled data",
            lambda X: _eig_desc(_correlation(X))[0] / _eig_desc(_correlation(X))[0].sum()),
]


def _evr_cases(rng: np.random.Generator) -> list[Case]:
    return [case for case in _data_cases(rng) if case.label != "two samples"] + [
        Case("rank-deficient data (rank d - 1)", {"X": _data(rng, int(rng.integers(25, 61)), 5, rank=4)}),
        Case("3 samples of 12 features (rank 2)", {"X": _data(rng, 3, 12, rank=2)}),
    ]


check_explained_variance_ratio = register(Check(
    id="pca.explained_variance_ratio",
    target="explained_variance_ratio",
    summary=f"explained_variance_ratio(X) gives every eigenvalue's share of the total variance, largest first "
            f"(tolerance {PCA_TOL:.0e} relative to the largest entry)",
    make_cases=_evr_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _evr_ref, PCA_TOL, EVR_MISTAKES,
                                            what="explained_variance_ratio(X)", diagnose=_diagnose_evr,
                                            complex_hint=EIGH_HINT),
    forbidden=scratch.SKLEARN_PCA,
    watch=scratch.WATCH_SKLEARN_DECOMPOSITION,
    tolerance=TOL,
    kind="value",
    mistakes=EVR_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# project and reconstruct
# ---------------------------------------------------------------------------------------

def _project_cases(rng: np.random.Generator) -> list[Case]:
    n, d = _dims(rng)
    X1 = _data(rng, n, d)
    n2, d2 = _dims(rng)
    X2 = _data(rng, n2, d2)
    X3 = _data(rng, *_dims(rng)).astype(np.float32)
    X4 = _with_constant(rng, *_dims(rng))
    return [
        Case("k equal to the full dimension", {"X": X1, "components": _pca_ref(X1, d)[0]}),
        Case("k = 2", {"X": X2, "components": _pca_ref(X2, 2)[0]}),
        Case("float32 data and components", {"X": X3, "components": _pca_ref(X3, 3)[0].astype(np.float32)}),
        Case("data with a constant feature, k = 1", {"X": X4, "components": _pca_ref(X4, 1)[0]}),
        Case("any orthonormal columns, k = 3", {"X": X2, "components": inputs.orthonormal(rng, d2, 3)}),
    ]


def _project_ref(X, components):
    return _centre_ref(X) @ _f64(components)


PROJECT_MISTAKES = [
    Mistake("not_centred", "you projected the raw data: centre X first (subtract its column means), then "
            "multiply by the components", lambda X, W: _f64(X) @ _f64(W)),
    Mistake("transposed_components", "you multiplied by components.T; the components are the columns of a "
            "(d, k) matrix, so the scores are Xc @ components", lambda X, W: _centre_ref(X) @ _f64(W).T),
    Mistake("scores_transposed", "you returned the scores transposed, (k, n); return one row per sample, "
            "(n, k) = Xc @ components", lambda X, W: (_centre_ref(X) @ _f64(W)).T),
    Mistake("reconstruction", "you returned a reconstruction in feature space (n, d); project returns the "
            "(n, k) scores Xc @ components", lambda X, W: _centre_ref(X) @ _f64(W) @ _f64(W).T),
    Mistake("whitened", "you divided each score by its standard deviation (whitening); project returns the "
            "plain scores Xc @ components",
            lambda X, W: _project_ref(X, W) / _project_ref(X, W).std(axis=0, ddof=1)),
    Mistake("row_centred", "you subtracted each row's mean; centre each column (feature) with X.mean(axis=0)",
            lambda X, W: (_f64(X) - _f64(X).mean(axis=1, keepdims=True)) @ _f64(W)),
    Mistake("mean_added", "you added the column means instead of subtracting them before projecting",
            lambda X, W: (_f64(X) + _f64(X).mean(axis=0)) @ _f64(W)),
]

check_project = register(Check(
    id="pca.project",
    target="project",
    summary=f"project(X, components) returns the scores of the centred data, (n, k) (tolerance {PCA_TOL:.0e} "
            "relative to the largest entry)",
    make_cases=_project_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _project_ref, PCA_TOL, PROJECT_MISTAKES,
                                            what="project(X, components)"),
    tolerance=TOL,
    kind="value",
    mistakes=PROJECT_MISTAKES,
)).runner()


def _reconstruct_cases(rng: np.random.Generator) -> list[Case]:
    def case(label, n, d, k, dtype=np.float64):
        W = inputs.orthonormal(rng, d, k)
        Z = rng.normal(size=(n, k)) * np.sqrt(inputs.spectrum(rng, k))
        mean = rng.uniform(3.0, 12.0, size=d) * rng.choice([-1.0, 1.0], size=d)
        return Case(label, {"Z": Z.astype(dtype), "components": W.astype(dtype), "mean": mean.astype(dtype)})

    n, d = _dims(rng)
    return [
        case("k equal to the full dimension", n, d, d),
        case("k = 2", *_dims(rng), 2),
        case("float32 scores, components and mean", *_dims(rng), 3, np.float32),
        case("k = 1", *_dims(rng), 1),
    ]


def _reconstruct_ref(Z, components, mean):
    return _f64(Z) @ _f64(components).T + _f64(mean)


RECONSTRUCT_MISTAKES = [
    Mistake("no_mean", "you did not add the mean back: the reconstruction is Z @ components.T + mean",
            lambda Z, W, m: _f64(Z) @ _f64(W).T),
    Mistake("mean_subtracted", "you subtracted the mean; add it back, Z @ components.T + mean",
            lambda Z, W, m: _f64(Z) @ _f64(W).T - _f64(m)),
    Mistake("untransposed_components", "you multiplied by components instead of components.T; going back from "
            "k scores to d features is Z @ components.T", lambda Z, W, m: _f64(Z) @ _f64(W) + _f64(m)),
    Mistake("transposed_output", "you returned the reconstruction transposed, (d, n); return one row per "
            "sample, (n, d)", lambda Z, W, m: (_f64(Z) @ _f64(W).T + _f64(m)).T),
    Mistake("first_component_only", "you used only the first component; add up all k components, "
            "Z @ components.T + mean", lambda Z, W, m: np.outer(_f64(Z)[:, 0], _f64(W)[:, 0]) + _f64(m)),
    Mistake("mean_projected", "you added only the part of the mean inside the components' span; add the whole "
            "mean vector back", lambda Z, W, m: _f64(Z) @ _f64(W).T + _f64(m) @ _f64(W) @ _f64(W).T),
    Mistake("mean_scaled", "you added the mean of the scores (or scaled the mean); add the data mean vector as "
            "given", lambda Z, W, m: _f64(Z) @ _f64(W).T + _f64(Z).mean()),
]

check_reconstruct = register(Check(
    id="pca.reconstruct",
    target="reconstruct",
    summary=f"reconstruct(Z, components, mean) maps scores back to feature space, (n, d) (tolerance "
            f"{PCA_TOL:.0e} relative to the largest entry)",
    make_cases=_reconstruct_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _reconstruct_ref, PCA_TOL, RECONSTRUCT_MISTAKES,
                                            what="reconstruct(Z, components, mean)"),
    tolerance=TOL,
    kind="value",
    mistakes=RECONSTRUCT_MISTAKES,
)).runner()

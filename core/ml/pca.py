"""Principal component analysis for the "fewer dimensions" lesson.

Done with one numpy SVD rather than scikit-learn's ``PCA`` because the page needs every
component's share (for the explained-variance chart) and only the first two projections (for the
scatter plot); the numbers are the same as scikit-learn's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.ml.clustering import Floats, as_matrix, zscore
from core.ml.threads import single_threaded

TOP_LOADINGS = 5

Loading = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class PcaResult:
    explained_ratio: Floats  # all components, descending
    cumulative: Floats
    projection: Floats  # n x 2 (first two components)
    loadings: tuple[Loading, Loading]  # PC1, PC2: (feature, weight) by |weight| desc, top 5
    standardised: bool


def _top(names: list[str], weights: Floats) -> Loading:
    order = np.argsort(-np.abs(weights), kind="stable")[:TOP_LOADINGS]
    return tuple((names[i], float(weights[i])) for i in order)


def _frozen(a: Floats) -> Floats:
    a.setflags(write=False)
    return a


@single_threaded
def pca(X: pd.DataFrame, *, standardise: bool = True) -> PcaResult:
    """PCA looks for the directions of largest variance, so without standardising the feature with
    the largest numbers (wine's proline, in the hundreds) is PC1 almost by itself: the lesson's
    "scale your features". Each component's sign is fixed so its largest weight is positive, which
    keeps the plot from flipping between reruns and makes the top loading read naturally."""
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=float))
    names = [str(c) for c in frame.columns]
    x = as_matrix(frame)
    n, d = x.shape
    if n < 2 or d < 2:
        raise ValueError("PCA needs at least two samples and two features")
    mean = x.mean(axis=0)
    if not np.any(x.std(axis=0) > 1e-12 * np.maximum(1.0, np.abs(mean))):
        raise ValueError("every feature is constant: there is no variance to explain")
    x = zscore(x) if standardise else x - mean
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    variance = s**2
    total = float(variance.sum())
    signs = np.sign(vt[np.arange(vt.shape[0]), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1.0
    vt = vt * signs[:, None]
    u = u * signs[None, :]
    ratio = variance / total
    return PcaResult(
        explained_ratio=_frozen(ratio),
        cumulative=_frozen(np.cumsum(ratio)),
        projection=_frozen(u[:, :2] * s[:2]),
        loadings=(_top(names, vt[0]), _top(names, vt[1])),
        standardised=standardise,
    )


def components_for(result: PcaResult, share: float) -> int:
    """The fewest components that keep at least ``share`` of the variance: how far the data can be
    compressed before too much is lost (a rounding slack of 1e-9 lets ``share=1`` mean "all")."""
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1]")
    enough = np.flatnonzero(result.cumulative >= share - 1e-9)
    return int(enough[0]) + 1 if enough.size else int(result.cumulative.shape[0])

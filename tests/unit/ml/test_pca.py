import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

from core.ml import datasets
from core.ml.pca import components_for, pca


def test_unscaled_wine_is_all_proline() -> None:
    wine = datasets.load("wine")
    result = pca(wine.X, standardise=False)
    assert not result.standardised
    assert result.explained_ratio[0] > 0.99
    assert result.loadings[0][0][0] == "proline"
    assert result.loadings[0][0][1] > 0.99


def test_scaling_spreads_the_variance() -> None:
    wine = datasets.load("wine")
    result = pca(wine.X)
    assert result.standardised
    assert result.explained_ratio[0] == pytest.approx(0.36, abs=0.01)
    assert components_for(result, 0.5) > 1
    assert result.loadings[0][0][0] != "proline"


@pytest.mark.parametrize("standardise", [False, True])
def test_ratios_and_projection_match_scikit_learn(standardise: bool) -> None:
    x = datasets.load("breast_cancer").X
    result = pca(x, standardise=standardise)
    data = StandardScaler().fit_transform(x) if standardise else x.to_numpy()
    reference = PCA().fit(data)
    assert np.allclose(result.explained_ratio, reference.explained_variance_ratio_)
    assert np.allclose(result.cumulative, np.cumsum(reference.explained_variance_ratio_))
    assert result.cumulative[-1] == pytest.approx(1.0)
    assert np.all(np.diff(result.explained_ratio) <= 1e-12)
    projected = reference.transform(data)[:, :2]
    assert np.allclose(np.abs(result.projection), np.abs(projected))
    assert result.projection.shape == (len(x), 2)


@pytest.mark.parametrize("standardise", [False, True])
def test_components_for_digits_matches_scikit_learn(standardise: bool) -> None:
    x = datasets.load("digits").X
    result = pca(x, standardise=standardise)
    data = StandardScaler().fit_transform(x) if standardise else x.to_numpy()
    assert components_for(result, 0.9) == PCA(0.9).fit(data).n_components_
    assert result.explained_ratio.shape == (64,)
    assert result.projection.shape == (1797, 2)


def test_components_for_edges() -> None:
    result = pca(datasets.load("iris").X)
    assert components_for(result, 1.0) == 4
    assert components_for(result, 1e-6) == 1
    for share in (0.0, 1.5):
        with pytest.raises(ValueError):
            components_for(result, share)


def test_loadings_are_the_top_five_by_size() -> None:
    x = datasets.load("breast_cancer").X
    result = pca(x)
    for loading in result.loadings:
        assert len(loading) == 5
        sizes = [abs(w) for _, w in loading]
        assert sizes == sorted(sizes, reverse=True)
        assert loading[0][1] > 0
        assert {name for name, _ in loading} <= set(x.columns)
    iris = pca(datasets.load("iris").X)
    assert len(iris.loadings[0]) == 4


def test_signs_are_stable_so_the_plot_does_not_flip() -> None:
    x = datasets.load("wine").X
    first = pca(x)
    shuffled = pca(x.iloc[::-1].reset_index(drop=True))
    assert np.allclose(first.projection[::-1], shuffled.projection)


def test_invalid_tables() -> None:
    with pytest.raises(ValueError, match="two features"):
        pca(pd.DataFrame({"a": [1.0, 2.0, 3.0]}))
    with pytest.raises(ValueError, match="constant"):
        pca(pd.DataFrame({"a": [0.1] * 7, "b": [0.3] * 7}), standardise=False)
    with pytest.raises(ValueError, match="missing"):
        pca(pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 2.0, 3.0]}))

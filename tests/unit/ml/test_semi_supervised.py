from __future__ import annotations

import numpy as np
import pytest

from core.ml.semi_supervised import METHODS, compare, labelled_mask, sweep


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_label_spreading_beats_labelled_only_on_moons_at_ten_percent(seed: int) -> None:
    result = compare("moons", 0.1, seed)
    assert result.semi_supervised_accuracy > result.supervised_only_accuracy
    assert result.semi_supervised_accuracy >= 0.95


def test_the_issue_check() -> None:
    result = compare("moons", 0.1, 0)
    assert result.semi_supervised_accuracy > result.supervised_only_accuracy


def test_label_spreading_helps_on_digits_with_few_labels() -> None:
    result = compare("digits", 0.1, 0)
    assert result.semi_supervised_accuracy > result.supervised_only_accuracy + 0.02


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dataset", ["moons", "iris", "breast_cancer"])
def test_all_labels_make_the_two_models_close(dataset: str, method: str) -> None:
    result = compare(dataset, 1.0, 0, method=method)  # type: ignore[arg-type]
    assert result.n_labelled == result.n_train
    assert abs(result.semi_supervised_accuracy - result.supervised_only_accuracy) <= 0.05


@pytest.mark.parametrize("dataset", ["moons", "blobs", "iris", "wine", "digits"])
@pytest.mark.parametrize("fraction", [0.001, 0.02, 0.1])
def test_every_class_has_a_labelled_point(dataset: str, fraction: float) -> None:
    result = compare(dataset, fraction, 3)
    labelled_classes = set(result.y_train[result.labelled_mask].tolist())
    assert labelled_classes == set(result.y_train.tolist())
    assert result.n_labelled == int(result.labelled_mask.sum())


def test_labelled_points_keep_their_true_labels() -> None:
    for method in METHODS:
        result = compare("circles", 0.2, 1, method=method)
        mask = result.labelled_mask
        assert np.array_equal(result.y_train_inferred[mask], result.y_train[mask])


@pytest.mark.parametrize("method", METHODS)
def test_result_shapes(method: str) -> None:
    result = compare("digits", 0.05, 0, method=method)  # type: ignore[arg-type]
    n_train, n_test = result.n_train, len(result.y_test)
    assert result.X_train.shape == (n_train, 2)
    assert result.X_test.shape == (n_test, 2)
    assert result.labelled_mask.shape == (n_train,)
    assert result.labelled_mask.dtype == bool
    assert result.y_train.shape == result.y_train_inferred.shape == (n_train,)
    assert result.pred_semi.shape == result.pred_supervised.shape == (n_test,)
    assert n_train + n_test == 1797
    assert result.method == method
    assert set(result.y_train_inferred.tolist()) <= set(range(10))
    assert np.isclose(result.semi_supervised_accuracy, np.mean(result.pred_semi == result.y_test))


def test_fraction_controls_how_many_labels() -> None:
    small, large = compare("moons", 0.05, 0), compare("moons", 0.5, 0)
    assert small.n_labelled < large.n_labelled
    assert abs(large.n_labelled / large.n_train - 0.5) < 0.02


def test_labelled_mask_is_stratified_and_seeded() -> None:
    y = np.array([0] * 90 + [1] * 10)
    mask = labelled_mask(y, 0.2, 5)
    assert mask[y == 0].sum() == 18
    assert mask[y == 1].sum() == 2
    assert np.array_equal(mask, labelled_mask(y, 0.2, 5))
    assert not np.array_equal(mask, labelled_mask(y, 0.2, 6))


def test_deterministic_with_seed() -> None:
    a, b = (
        compare("moons", 0.1, 4, method="self_training"),
        compare("moons", 0.1, 4, method="self_training"),
    )
    assert np.array_equal(a.labelled_mask, b.labelled_mask)
    assert np.array_equal(a.pred_semi, b.pred_semi)
    assert a.semi_supervised_accuracy == b.semi_supervised_accuracy


def test_generated_shape_parameters_are_used() -> None:
    result = compare("moons", 0.1, 0, n_samples=200, noise=0.3)
    assert result.n_train + len(result.y_test) == 200


def test_sweep_gives_the_curve() -> None:
    rows = sweep("moons", (0.05, 0.1, 1.0), 0)
    assert [r[0] for r in rows] == [0.05, 0.1, 1.0]
    assert all(0.0 <= acc <= 1.0 for _, semi, sup in rows for acc in (semi, sup))
    assert rows[-1][2] > rows[0][2]  # labelled-only improves as labels stop being scarce
    assert rows[1][1] == compare("moons", 0.1, 0).semi_supervised_accuracy


@pytest.mark.parametrize("fraction", [0.0, -0.1, 1.01, float("nan")])
def test_fraction_out_of_range(fraction: float) -> None:
    with pytest.raises(ValueError, match="labelled_fraction"):
        compare("moons", fraction)


def test_bad_dataset_and_method() -> None:
    with pytest.raises(ValueError, match="dataset"):
        compare("noisy_line", 0.1)
    with pytest.raises(ValueError, match="method"):
        compare("moons", 0.1, method="magic")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        sweep("moons", ())


def test_graph_is_widened_until_every_point_reaches_a_label() -> None:
    from core.ml.semi_supervised import _spread

    rng = np.random.default_rng(0)
    clumps = np.vstack([rng.normal(0, 0.1, (20, 2)), rng.normal(10, 0.1, (20, 2))])
    y_partial = np.full(40, -1)
    y_partial[[0, 1]] = [0, 1]  # both labels sit in the first clump
    model, k = _spread(clumps, y_partial)
    assert k > 20
    assert (model.label_distributions_.sum(axis=1) > 0).all()

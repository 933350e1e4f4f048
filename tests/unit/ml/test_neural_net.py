"""The epoch-by-epoch network on fixed seeds, including what a too-large learning rate does."""

from __future__ import annotations

import pytest

from core.ml.datasets import load
from core.ml.neural_net import EpochStats, MlpParams, surface, train


def test_circles_are_learned_within_200_epochs() -> None:
    ds = load("circles", noise=0.1)
    seen: list[EpochStats] = []

    def until_good(stats: EpochStats) -> bool:
        seen.append(stats)
        return stats.test_score < 0.9

    result = train(ds, ds.features, MlpParams(hidden_layers=(16,), epochs=200), on_epoch=until_good)
    assert result.epochs == tuple(seen)
    assert len(result.epochs) < 200
    assert result.stopped
    assert not result.diverged
    assert result.epochs[-1].test_score >= 0.9
    assert result.final.test_score == pytest.approx(result.epochs[-1].test_score)
    assert result.final.train_score == pytest.approx(result.epochs[-1].train_score)
    assert result.n_parameters == 2 * 16 + 16 + 16 * 1 + 1


def test_loss_decreases_and_accuracy_rises() -> None:
    ds = load("circles", noise=0.1)
    result = train(ds, ds.features, MlpParams(epochs=40))
    losses = [e.loss for e in result.epochs]
    assert [e.epoch for e in result.epochs] == list(range(1, 41))
    assert not result.stopped
    assert not result.diverged
    assert losses[-1] < 0.3 * losses[0]
    assert sum(losses[-5:]) < sum(losses[:5])
    assert result.epochs[-1].train_score > result.epochs[0].train_score
    assert result.final.confusion is not None
    assert result.final.confusion.sum() == result.final.n_test
    assert len(result.final.roc) == 1


def test_stop_after_three_epochs() -> None:
    ds = load("moons")
    result = train(ds, ds.features, MlpParams(epochs=50), on_epoch=lambda s: s.epoch < 3)
    assert len(result.epochs) == 3
    assert result.stopped
    assert not result.diverged


def test_a_stop_request_on_the_last_epoch_is_not_a_stop() -> None:
    ds = load("moons")
    result = train(ds, ds.features, MlpParams(epochs=2), on_epoch=lambda s: s.epoch != 2)
    assert len(result.epochs) == 2
    assert not result.stopped


def test_learning_rate_one_with_wide_layer_blows_the_loss_up() -> None:
    """What scikit-learn's Adam really does: the loss never becomes NaN (probabilities are
    clipped), but the first epoch already lands far above chance level (ln 2 ≈ 0.69 for two
    classes): the run is flagged and stopped there."""
    ds = load("circles", noise=0.1)
    result = train(ds, ds.features, MlpParams(hidden_layers=(256,), learning_rate=1.0))
    assert result.diverged
    assert not result.stopped
    assert len(result.epochs) == 1
    assert result.epochs[0].loss > 10 * 0.6931
    calm = train(ds, ds.features, MlpParams(hidden_layers=(256,), learning_rate=0.01, epochs=15))
    assert not calm.diverged
    assert len(calm.epochs) == 15
    assert max(e.loss for e in calm.epochs) < 1.0


def test_regression_network_explodes_with_a_huge_step() -> None:
    ds = load("noisy_line")
    seen: list[EpochStats] = []
    params = MlpParams(hidden_layers=(256, 256), learning_rate=1.0, epochs=20)

    def watch(stats: EpochStats) -> bool:
        seen.append(stats)
        return True

    result = train(ds, ds.features, params, on_epoch=watch)
    assert result.diverged
    assert seen == list(result.epochs)  # the page still sees the epoch that blew up
    assert result.epochs[-1].loss > 1e3 * float((ds.y**2).mean())
    assert result.final.metric == "r2"
    assert result.final.test_score < 0.0
    steady = train(ds, ds.features, MlpParams(hidden_layers=(16,), epochs=30))
    assert not steady.diverged
    assert steady.final.test_score > 0.8


def test_n_parameters_counts_weights_and_biases() -> None:
    ds = load("iris")
    result = train(ds, ds.features, MlpParams(hidden_layers=(8, 4), epochs=1))
    assert result.n_parameters == (4 * 8 + 8) + (8 * 4 + 4) + (4 * 3 + 3)
    assert result.final.class_names == ("setosa", "versicolor", "virginica")


@pytest.mark.parametrize(
    "params",
    [
        MlpParams(hidden_layers=()),
        MlpParams(hidden_layers=(0,)),
        MlpParams(hidden_layers=(257,)),
        MlpParams(hidden_layers=(4, 4, 4, 4)),
        MlpParams(activation="softmax"),  # type: ignore[arg-type]
        MlpParams(learning_rate=0.0),
        MlpParams(learning_rate=2.0),
        MlpParams(alpha=-0.1),
        MlpParams(epochs=0),
        MlpParams(epochs=1001),
        MlpParams(batch_size=0),
    ],
)
def test_validate_rejects_bad_params(params: MlpParams) -> None:
    with pytest.raises(ValueError):
        params.validate()
    ds = load("iris")
    with pytest.raises(ValueError):
        train(ds, ds.features, params)


def test_surface_of_the_trained_network() -> None:
    ds = load("circles", noise=0.1)
    result = train(ds, ds.features, MlpParams(epochs=30))
    plane = surface(result, ds, resolution=30)
    assert plane.kind == "probability"
    assert plane.z.shape == (30, 30)
    assert plane.z[15, 15] > 0.5  # class 1 is the inner circle
    assert plane.z[0, 0] < 0.5
    blobs = load("blobs")
    three = surface(train(blobs, blobs.features, MlpParams(epochs=5)), blobs, resolution=20)
    assert three.kind == "class"
    iris = load("iris")
    with pytest.raises(ValueError, match="two features"):
        surface(train(iris, iris.features, MlpParams(epochs=1)), iris)

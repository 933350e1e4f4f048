from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.ml.applications import (
    DOMAINS,
    METRIC_CODES,
    TABLE_COLUMNS,
    Metric,
    WorkedExample,
    card_transactions,
    city_load,
    customers,
    worked_example,
)


def _metric(example: WorkedExample, code: str) -> Metric:
    return next(m for m in example.metrics if m.code == code)


@pytest.mark.parametrize("seed", [0, 1])
def test_medicine_finds_cancer_the_naive_rule_misses(seed: int) -> None:
    example = worked_example("medicine", seed)
    recall = _metric(example, "recall_malignant")
    assert recall.baseline == 0.0
    assert recall.value >= 0.85
    accuracy = _metric(example, "accuracy")
    assert accuracy.value > accuracy.baseline  # type: ignore[operator]
    assert example.baseline == "always_benign"
    assert len(example.table) == 5
    assert example.table["weight_malignant"].abs().is_monotonic_decreasing


@pytest.mark.parametrize("seed", [0, 1])
def test_finance_accuracy_misleads(seed: int) -> None:
    example = worked_example("finance", seed)
    accuracy, recall = _metric(example, "accuracy"), _metric(example, "recall_fraud")
    assert accuracy.baseline is not None
    assert accuracy.baseline >= 0.97
    assert recall.baseline == 0.0
    assert recall.value >= 0.5
    assert _metric(example, "precision_fraud").baseline is None  # never flags: 0/0


@pytest.mark.parametrize("seed", [0, 1])
def test_energy_beats_same_hour_yesterday(seed: int) -> None:
    example = worked_example("energy", seed)
    mae, mape = _metric(example, "mae_mw"), _metric(example, "mape_pct")
    assert mae.baseline is not None
    assert mape.baseline is not None
    assert mae.value < mae.baseline
    assert mape.value < mape.baseline
    assert example.series is not None
    assert len(example.series) == 7 * 24
    actual, naive = example.series["actual"], example.series["naive"]
    assert np.isclose(np.mean(np.abs(naive - actual)), mae.baseline)
    assert len(example.table) == 7


@pytest.mark.parametrize("seed", [0, 1])
def test_marketing_recovers_hidden_groups(seed: int) -> None:
    example = worked_example("marketing", seed)
    ari = _metric(example, "ari")
    assert ari.value > 0.8
    assert ari.baseline == 0.0
    assert 0.0 < _metric(example, "silhouette").value <= 1.0
    assert example.table["size"].sum() == len(customers(seed)[0])
    assert list(example.table["segment"]) == [1, 2, 3, 4]
    assert example.table["recency_days"].is_monotonic_increasing


@pytest.mark.parametrize("domain", DOMAINS)
def test_deterministic_with_seed(domain: str) -> None:
    a = worked_example(domain, 3)  # type: ignore[arg-type]
    b = worked_example(domain, 3)  # type: ignore[arg-type]
    assert a.metrics == b.metrics
    pd.testing.assert_frame_equal(a.table, b.table)
    if a.series is not None:
        assert b.series is not None
        pd.testing.assert_frame_equal(a.series, b.series)


@pytest.mark.parametrize("domain", DOMAINS)
def test_codes_are_all_known_to_the_page(domain: str) -> None:
    example = worked_example(domain)  # type: ignore[arg-type]
    assert example.domain == domain
    assert {m.code for m in example.metrics} <= set(METRIC_CODES)
    assert set(example.table.columns) <= set(TABLE_COLUMNS)
    if example.series is not None:
        assert set(example.series.columns) <= set(TABLE_COLUMNS)
    assert 0 < len(example.table) <= 10
    assert all(np.isfinite(m.value) for m in example.metrics)


def test_generated_data_follow_their_description() -> None:
    payments = card_transactions(0)
    assert payments["fraud"].mean() == pytest.approx(0.02, abs=0.001)
    assert payments["hour"].between(0, 23).all()
    assert set(payments["foreign"].unique()) <= {0, 1}
    load = city_load(0)
    assert len(load) == 56 * 24
    assert load["temperature"].mean() < -5
    weekend = load.loc[load["weekday"] >= 5, "load_mw"].mean()
    weekday = load.loc[load["weekday"] < 5, "load_mw"].mean()
    assert weekend < weekday
    frame, hidden = customers(0)
    assert len(frame) == len(hidden) == 800
    assert set(hidden.tolist()) == {0, 1, 2, 3}
    assert not card_transactions(1).equals(payments)


def test_unknown_domain() -> None:
    with pytest.raises(ValueError, match="domain"):
        worked_example("astrology")  # type: ignore[arg-type]

"""The synthetic city behaves like traffic (two weekday peaks, quiet nights and weekends,
incidents where they are logged), and a model forecasting 15 minutes ahead, tested on later
days than it trained on, beats both free forecasts: the flow now and the flow yesterday."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from core.traffic.errors import TrafficInputError
from core.traffic.forecast import (
    CityDaySettings,
    Counts,
    ForecastResult,
    ForecastSettings,
    city_day,
    score,
    train_forecast,
)


@pytest.fixture(scope="module")
def counts() -> Counts:
    return city_day(CityDaySettings())


@pytest.fixture(scope="module")
def boosted(counts: Counts) -> ForecastResult:
    return train_forecast(counts, ForecastSettings())


def _profile(counts: Counts, weekdays: bool) -> pd.Series:
    """Mean network flow by time of day, over weekdays or weekend days."""
    mask = (counts.times.dayofweek < 5) == weekdays
    clock = counts.times.hour + counts.times.minute / 60
    total = counts.flows.sum(axis=1)
    return pd.Series(total[mask]).groupby(np.asarray(clock[mask])).mean()


def _peak(profile: pd.Series) -> float:
    return float(profile.index.to_numpy()[profile.to_numpy().argmax()])


def test_weekdays_have_a_morning_and_an_evening_peak_and_quiet_nights() -> None:
    profile = _profile(city_day(CityDaySettings(incident_rate=0)), weekdays=True)
    morning, evening = profile[profile.index < 12], profile[profile.index >= 12]
    assert 7.5 <= _peak(morning) <= 8.75
    assert 17.0 <= _peak(evening) <= 18.25
    night = profile[(profile.index >= 2) & (profile.index < 4)].mean()
    assert night < 0.1 * profile.max()
    midday = profile[(profile.index >= 11) & (profile.index < 14)].mean()
    assert midday < 0.8 * morning.max() and midday < 0.8 * evening.max()


def test_weekends_are_calmer_unless_the_effect_is_off() -> None:
    city = city_day(CityDaySettings(incident_rate=0))
    weekday, weekend = _profile(city, weekdays=True), _profile(city, weekdays=False)
    assert weekday[8.0] > 2.5 * weekend[8.0]  # no commute on Saturday morning
    assert weekend.sum() < 0.9 * weekday.sum()
    assert 11 <= _peak(weekend) <= 15
    flat = city_day(CityDaySettings(incident_rate=0, weekend_effect=False))
    ratio = _profile(flat, weekdays=False).sum() / _profile(flat, weekdays=True).sum()
    assert 0.9 < ratio < 1.1


def test_incidents_drop_flow_on_their_detector_and_raise_it_next_door() -> None:
    city = city_day(CityDaySettings(days=14, incident_rate=2, seed=3))
    per_day = city.per_day
    assert len(city.incidents) >= 20
    weekend = [day % 7 >= 5 for day in range(14)]
    rises: list[float] = []
    for k, incident in enumerate(city.incidents):
        assert city.times[incident.start] == incident.start_time
        assert 30 <= (incident.end_time - incident.start_time).total_seconds() / 60 <= 90
        assert incident.neighbour is not None
        touched = {incident.detector, incident.neighbour}
        others = [o for j, o in enumerate(city.incidents) if j != k]
        if any(o.start < incident.stop and incident.start < o.stop
               and touched & {o.detector, o.neighbour} for o in others):  # fmt: skip
            continue  # overlapping incidents can cancel out
        day = incident.start // per_day
        clock = (incident.start % per_day, incident.stop % per_day)
        busy = {o.start // per_day for o in others if touched & {o.detector, o.neighbour}
                and o.start % per_day < clock[1] and clock[0] < o.stop % per_day}  # fmt: skip
        alike = [d for d in range(14) if weekend[d] == weekend[day] and d not in busy | {day}]
        window = np.arange(incident.start, incident.stop) - day * per_day
        if len(alike) < 2:
            continue
        usual = np.mean([city.flows[window + d * per_day] for d in alike], axis=0).sum(axis=0)
        during = city.flows[window + day * per_day].sum(axis=0)
        assert during[incident.detector] < 0.7 * usual[incident.detector]
        rises.append(during[incident.neighbour] / usual[incident.neighbour])
    assert len(rises) >= 8
    assert np.median(rises) > 1.3  # a day's own swings can hide a mild spill-back, rarely
    assert np.mean(np.array(rises) > 1.1) >= 0.85


@pytest.mark.parametrize(
    ("settings", "code", "name"),
    [
        (CityDaySettings(days=2), "parameter_range", "days"),
        (CityDaySettings(days=61), "parameter_range", "days"),
        (CityDaySettings(detectors=13), "parameter_range", "detectors"),
        (CityDaySettings(incident_rate=3.5), "parameter_range", "incident_rate"),
        (CityDaySettings(interval_minutes=7), "interval_choice", None),
        (ForecastSettings(model="rnn"), "unknown_model", None),  # type: ignore[arg-type]
        (ForecastSettings(lags=0), "parameter_range", "lags"),
        (ForecastSettings(test_days=0), "parameter_range", "test_days"),
    ],
)
def test_settings_out_of_range_raise_a_coded_error_that_pickles(
    settings: CityDaySettings | ForecastSettings, code: str, name: str | None
) -> None:
    with pytest.raises(TrafficInputError) as caught:
        settings.check()
    error = caught.value
    assert isinstance(error, ValueError) and error.code == code
    if name is not None:
        assert error.values["name"] == name and name in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is TrafficInputError
    assert (copy.code, copy.values, str(copy)) == (error.code, error.values, str(error))


def test_horizon_must_be_a_multiple_of_the_interval() -> None:
    city = city_day(CityDaySettings(days=5, interval_minutes=10, detectors=1))
    with pytest.raises(TrafficInputError) as caught:
        train_forecast(city, ForecastSettings(horizon_minutes=15, test_days=1, model="linear"))
    assert caught.value.code == "horizon_multiple"
    result = train_forecast(city, ForecastSettings(horizon_minutes=30, test_days=1, model="linear"))
    gap = result.series.times[0] - result.test_first
    assert gap == pd.Timedelta(minutes=30)  # three 10-minute steps ahead of the issue time


def test_boosting_beats_persistence_and_yesterday(boosted: ForecastResult) -> None:
    s = boosted.scores
    print(
        "MAE veh/5 min: model {:.2f}, persistence {:.2f}, yesterday {:.2f}; "
        "MAPE %: {:.1f}, {:.1f}, {:.1f}; fit {:.2f} s".format(
            *(s[k].mae for k in ("model", "persistence", "yesterday")),
            *(s[k].mape for k in ("model", "persistence", "yesterday")),
            boosted.fit_seconds,
        )
    )
    assert s["model"].mae < 0.85 * s["persistence"].mae
    assert s["model"].mae < 0.6 * s["yesterday"].mae
    assert s["model"].mape < s["persistence"].mape < s["yesterday"].mape
    assert 3.0 < s["model"].mae < 6.0  # vehicles per 5 minutes: a real, not a degenerate, error
    assert boosted.fit_seconds < 5.0


def test_split_is_chronological(counts: Counts, boosted: ForecastResult) -> None:
    assert boosted.n_train > 5 * boosted.n_test // 3 > 0
    assert boosted.test_first > boosted.train_last
    assert boosted.series.times.min() > boosted.train_last
    test_start = counts.times[-3 * counts.per_day]
    assert boosted.test_first == test_start
    assert boosted.series.times.is_monotonic_increasing
    assert boosted.series.times[-1] == counts.times[-1]


def test_per_hour_errors_cover_the_day_and_show_where_the_model_helps(
    boosted: ForecastResult,
) -> None:
    hourly = boosted.per_hour_mae
    assert set(hourly) == {"model", "persistence", "yesterday"}
    for values in hourly.values():
        assert values.shape == (24,) and np.all(np.isfinite(values)) and np.all(values > 0)
    onset = slice(6, 9)  # the morning build-up: flow now says little about flow in 15 minutes
    model, naive = hourly["model"][onset].mean(), hourly["persistence"][onset].mean()
    print(f"06-09 h MAE: model {model:.2f}, persistence {naive:.2f}")
    assert model < 0.8 * naive
    assert hourly["model"][6:20].mean() > 2 * hourly["model"][1:4].mean()  # errors follow flow


def test_plot_series_follows_one_detector(counts: Counts, boosted: ForecastResult) -> None:
    series = boosted.series
    assert series.detector == "D1"
    assert len(series.times) == len(series.actual) == len(series.predicted) == boosted.n_test // 4
    rows = counts.times.get_indexer(series.times)
    assert np.array_equal(series.actual, counts.flows[rows, 0])
    assert np.array_equal(series.persistence, counts.flows[rows - 3, 0])
    assert np.array_equal(series.yesterday, counts.flows[rows - counts.per_day, 0])


@pytest.mark.parametrize("model", ["mlp", "linear"])
def test_other_models_train_fast_and_beat_yesterday(counts: Counts, model: str) -> None:
    result = train_forecast(counts, ForecastSettings(model=model))  # type: ignore[arg-type]
    assert result.fit_seconds < 5.0
    assert result.scores["model"].mae < 0.7 * result.scores["yesterday"].mae
    assert result.scores["model"].mae < result.scores["persistence"].mae


def test_counts_from_an_array_feed_the_same_pipeline(counts: Counts) -> None:
    plain = Counts.from_array(counts.times.to_numpy(), counts.flows[:, :2])
    assert plain.detectors == ("D1", "D2") and plain.interval_minutes == 5
    result = train_forecast(plain, ForecastSettings(model="linear", test_days=2))
    assert result.n_test == 2 * (2 * plain.per_day - 3)  # the last 15 min have no future
    with pytest.raises(TrafficInputError) as caught:
        Counts.from_array(counts.times[:10], counts.flows[:9])
    assert caught.value.code == "counts_shape"
    ragged = counts.times[:10].delete(4)
    with pytest.raises(TrafficInputError) as caught:
        Counts.from_array(ragged, counts.flows[:9])
    assert caught.value.code == "interval_choice"
    short = Counts.from_array(counts.times[: 4 * 288], counts.flows[: 4 * 288])
    with pytest.raises(TrafficInputError) as caught:
        train_forecast(short, ForecastSettings(test_days=3))
    assert caught.value.code == "too_few_days" and caught.value.values["needed"] == 5


def test_mape_survives_zero_counts() -> None:
    actual = np.array([0.0, 0.0, 10.0, 20.0])
    result = score(actual, np.array([1.0, 0.0, 12.0, 20.0]))
    assert result.mae == pytest.approx(0.75)
    assert np.isfinite(result.mape) and result.mape == pytest.approx(100 * (1 + 0 + 0.2) / 4)

"""Flow forecasting: predict what a detector will count 15 minutes from now, and judge the model
against the two forecasts a traffic centre gets for free (the flow now, the flow at this time
yesterday). A model that cannot beat those is not worth deploying, so they are always reported.

The data is a synthetic city: loop detectors or cameras counting vehicles per interval, with a
morning and evening peak, quiet nights, calmer weekends, and incidents that choke one detector
while traffic spills onto its neighbour. Real counts (or SUMO's) enter through
``Counts.from_array``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.traffic.errors import TrafficInputError

Array = npt.NDArray[np.float64]
Model = Literal["gradient_boosting", "mlp", "linear"]
MODELS: tuple[Model, ...] = ("gradient_boosting", "mlp", "linear")
INTERVALS = (5, 10, 15)
DAY_DIVISORS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)
START = pd.Timestamp("2024-03-04")  # a Monday, so day k is weekday k % 7


@dataclass(frozen=True)
class CityDaySettings:
    days: int = 14
    interval_minutes: int = 5
    detectors: int = 4
    base_flow: float = 600.0  # vehicles per hour on an average detector in the daytime
    noise: float = 0.1  # spread of slow swings (weather, events) on top of counting noise
    incident_rate: float = 0.5  # incidents per day across the network
    weekend_effect: bool = True
    seed: int = 7

    def check(self) -> None:
        if self.interval_minutes not in INTERVALS:
            raise TrafficInputError(
                "interval_choice",
                value=self.interval_minutes,
                choices=", ".join(map(str, INTERVALS)),
            )
        TrafficInputError.check_ranges(
            ("days", self.days, 3, 60),
            ("detectors", self.detectors, 1, 12),
            ("base_flow", self.base_flow, 50, 3000),
            ("noise", self.noise, 0.0, 0.5),
            ("incident_rate", self.incident_rate, 0.0, 3.0),
        )


@dataclass(frozen=True)
class Incident:
    detector: int  # where a lane is blocked: flow drops
    neighbour: int | None  # where diverted traffic shows up: flow rises
    start: int  # index into Counts.times
    stop: int  # exclusive
    start_time: pd.Timestamp
    end_time: pd.Timestamp


@dataclass(frozen=True)
class Counts:
    times: pd.DatetimeIndex
    flows: Array  # vehicles per interval, n_times x n_detectors
    detectors: tuple[str, ...]
    interval_minutes: int
    incidents: tuple[Incident, ...] = ()

    @property
    def per_day(self) -> int:
        return 1440 // self.interval_minutes

    @classmethod
    def from_array(
        cls,
        times: pd.DatetimeIndex | npt.NDArray[np.datetime64],
        flows: npt.ArrayLike,
        detectors: tuple[str, ...] | None = None,
    ) -> Counts:
        """Wrap counts from anywhere (SUMO detectors, a CSV export) in the shape the model reads;
        the times must be evenly spaced by an interval that divides the day."""
        index = pd.DatetimeIndex(times)
        table = np.asarray(flows, dtype=np.float64)
        if table.ndim == 1:
            table = table[:, None]
        names = detectors or tuple(f"D{k + 1}" for k in range(table.shape[1]))
        if table.ndim != 2 or table.shape != (len(index), len(names)) or len(index) < 2:
            raise TrafficInputError(
                "counts_shape", times=len(index), detectors=len(names), shape=table.shape
            )
        steps = np.diff(index.to_numpy().astype("datetime64[s]").astype(np.int64))
        minutes = int(steps[0]) // 60
        if minutes not in DAY_DIVISORS or np.any(steps != 60 * minutes):
            raise TrafficInputError(
                "interval_choice", value=minutes, choices=", ".join(map(str, DAY_DIVISORS))
            )
        return cls(index, table, names, minutes)


def _bump(hours: Array, centre: float, width: float) -> Array:
    return np.exp(-0.5 * ((hours - centre) / width) ** 2)


def _daytime(hours: Array, rise: float, fall: float) -> Array:
    return 1.0 / ((1.0 + np.exp(-(hours - rise) / 0.6)) * (1.0 + np.exp(-(fall - hours) / 0.9)))


def _day_shape(
    hours: Array, weekend: bool, am: float, pm: float, rng: np.random.Generator
) -> Array:
    """Demand relative to the daytime level; peaks wander a little from day to day, which is
    what makes 'same time yesterday' an imperfect forecast."""
    if weekend:
        return 0.05 + 0.6 * _daytime(hours, 8.5, 22.5) + 0.25 * _bump(hours, 13.0, 2.5)
    morning, evening = 8.0 + rng.normal(0, 0.2), 17.5 + rng.normal(0, 0.25)
    return (
        0.05
        + 0.55 * _daytime(hours, 6.0, 21.0)
        + 0.8 * am * _bump(hours, morning, 0.8)
        + 0.75 * pm * _bump(hours, evening, 1.1)
    )


def city_day(settings: CityDaySettings) -> Counts:
    """Counts for ``settings.days`` days of a small city network, Monday first."""
    settings.check()
    rng = np.random.default_rng(settings.seed)
    step, n_det = settings.interval_minutes, settings.detectors
    per_day = 1440 // step
    n = settings.days * per_day
    times = pd.date_range(START, periods=n, freq=f"{step}min")
    hours = (np.arange(per_day, dtype=np.float64) * step + step / 2) / 60.0
    scale = rng.uniform(0.6, 1.4, n_det)
    am_weight = rng.uniform(0.7, 1.3, n_det)  # inbound detectors load up in the morning,
    pm_weight = 2.0 - am_weight  # outbound ones in the evening
    shape = np.empty((n, n_det))
    for day in range(settings.days):
        weekend = settings.weekend_effect and day % 7 >= 5
        level = 1.0 + rng.normal(0, 0.05)
        for d in range(n_det):
            profile = _day_shape(hours, weekend, am_weight[d], pm_weight[d], rng)
            shape[day * per_day : (day + 1) * per_day, d] = level * profile
    phi = 0.9 ** (step / 5)
    shocks = rng.normal(0, settings.noise * np.sqrt(1 - phi**2), (n, n_det))
    swings = shocks.copy()  # slow AR(1) swings in log demand: a wet morning, a match day
    swings[0] /= np.sqrt(1 - phi**2)
    for t in range(1, n):
        swings[t] += phi * swings[t - 1]
    rate = settings.base_flow * step / 60.0 * scale * shape * np.exp(swings)
    incidents = []
    for day in range(settings.days):
        for _ in range(rng.poisson(settings.incident_rate)):
            d = int(rng.integers(n_det))
            neighbour = (d + 1) % n_det if n_det > 1 else None
            start = day * per_day + int(rng.uniform(6, 20) * 60 // step)
            stop = start + max(int(rng.uniform(30, 90) // step), 30 // step)
            rate[start:stop, d] *= rng.uniform(0.25, 0.5)
            if neighbour is not None:
                rate[start:stop, neighbour] *= rng.uniform(1.3, 1.7)
            incidents.append(
                Incident(
                    detector=d,
                    neighbour=neighbour,
                    start=start,
                    stop=stop,
                    start_time=times[start],
                    end_time=times[start] + pd.Timedelta(minutes=step * (stop - start)),
                )
            )
    flows = rng.poisson(rate).astype(np.float64)
    names = tuple(f"D{k + 1}" for k in range(n_det))
    return Counts(times, flows, names, step, tuple(incidents))


@dataclass(frozen=True)
class ForecastSettings:
    model: Model = "gradient_boosting"
    lags: int = 6
    horizon_minutes: int = 15
    test_days: int = 3
    detector: int = 0  # which detector's test series the result keeps for plotting
    seed: int = 0

    def check(self) -> None:
        if self.model not in MODELS:
            raise TrafficInputError("unknown_model", value=self.model, choices=", ".join(MODELS))
        TrafficInputError.check_ranges(
            ("lags", self.lags, 1, 24),
            ("horizon_minutes", self.horizon_minutes, 1, 240),
            ("test_days", self.test_days, 1, 14),
            ("detector", self.detector, 0, 11),
        )

    def horizon_steps(self, interval_minutes: int) -> int:
        if self.horizon_minutes % interval_minutes:
            raise TrafficInputError(
                "horizon_multiple", horizon=self.horizon_minutes, interval=interval_minutes
            )
        return self.horizon_minutes // interval_minutes


@dataclass(frozen=True)
class Features:
    """One row per (issue time, detector): what is known now, and the flow ``horizon`` later.
    Flows are divided by each detector's training mean so one model serves every detector."""

    X: Array
    y: Array  # target, in detector-mean units
    issue: npt.NDArray[np.int64]  # index of the time the forecast is made
    target: npt.NDArray[np.int64]  # index of the time it is about
    detector: npt.NDArray[np.int64]
    names: tuple[str, ...]


def build_features(counts: Counts, lags: int, horizon: int, scale: Array) -> Features:
    per_day, (n, n_det) = counts.per_day, counts.flows.shape
    z = counts.flows / scale
    issue = np.arange(max(lags - 1, per_day - horizon), n - horizon)
    target = issue + horizon
    lagged = [z[issue - j] for j in range(lags)]
    yesterday_then, yesterday_now = z[target - per_day], z[issue - per_day]
    stamp = counts.times[target]
    hour = (stamp.hour + stamp.minute / 60.0).to_numpy(dtype=np.float64)
    dow = stamp.dayofweek.to_numpy(dtype=np.float64)
    clock = [f(k * 2 * np.pi * hour / 24) for k in (1, 2) for f in (np.sin, np.cos)]
    calendar = np.column_stack([*clock, (dow >= 5).astype(np.float64), dow])
    blocks = []
    for d in range(n_det):
        onehot = np.zeros((len(issue), n_det))
        onehot[:, d] = 1.0
        own = np.column_stack([*(lag[:, d] for lag in lagged), yesterday_then[:, d]])
        blocks.append(np.column_stack([own, yesterday_now[:, d], calendar, onehot]))
    names = (
        *(f"lag_{j}" for j in range(lags)),
        "yesterday_target",
        "yesterday_now",
        "sin_day",
        "cos_day",
        "sin_half_day",
        "cos_half_day",
        "weekend",
        "day_of_week",
        *(f"detector_{k}" for k in range(n_det)),
    )
    return Features(
        X=np.vstack(blocks),
        y=np.concatenate([z[target, d] for d in range(n_det)]),
        issue=np.tile(issue, n_det),
        target=np.tile(target, n_det),
        detector=np.repeat(np.arange(n_det), len(issue)),
        names=names,
    )


@dataclass(frozen=True)
class Scores:
    mae: float  # vehicles per interval
    mape: float  # percent, with a floor under small counts


@dataclass(frozen=True)
class Series:
    detector: str
    times: pd.DatetimeIndex  # the time each forecast is about
    actual: Array
    predicted: Array
    persistence: Array
    yesterday: Array


@dataclass(frozen=True)
class ForecastResult:
    settings: ForecastSettings
    scores: dict[str, Scores]  # "model", "persistence", "yesterday"
    per_hour_mae: dict[str, Array]  # same keys, 24 values by hour of the forecast target
    series: Series
    fit_seconds: float
    n_train: int
    n_test: int
    train_last: pd.Timestamp  # latest time any training row looks at
    test_first: pd.Timestamp  # earliest time a test forecast is issued
    feature_names: tuple[str, ...] = field(default=())


def score(actual: Array, predicted: Array) -> Scores:
    """MAPE divides by the actual count, which is near zero at night; a floor of a tenth of the
    mean count keeps a 2-instead-of-1 miss at 3 a.m. from swamping the daytime errors."""
    error = np.abs(actual - predicted)
    floor = max(1.0, 0.1 * float(np.mean(np.abs(actual))))
    mape = 100.0 * float(np.mean(error / np.maximum(np.abs(actual), floor)))
    return Scores(mae=float(np.mean(error)), mape=mape)


def _per_hour(hours: npt.NDArray[np.int64], actual: Array, predicted: Array) -> Array:
    error = np.abs(actual - predicted)
    total = np.bincount(hours, weights=error, minlength=24)
    count = np.bincount(hours, minlength=24)
    mean: Array = np.divide(total, count, out=np.full(24, np.nan), where=count > 0)
    return mean


class _Regressor(Protocol):
    def fit(self, features: Array, target: Array) -> object: ...
    def predict(self, features: Array) -> Array: ...


def _estimator(settings: ForecastSettings) -> _Regressor:
    """Imports stay inside so the page can import this module without loading scikit-learn."""
    model: _Regressor
    if settings.model == "gradient_boosting":
        from sklearn.ensemble import HistGradientBoostingRegressor

        model = HistGradientBoostingRegressor(
            max_iter=150, learning_rate=0.08, early_stopping=False, random_state=settings.seed
        )
        return model
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if settings.model == "mlp":
        from sklearn.neural_network import MLPRegressor

        mlp = MLPRegressor(
            hidden_layer_sizes=(32, 16), alpha=1e-3, max_iter=200, random_state=settings.seed
        )
        model = make_pipeline(StandardScaler(), mlp)
    else:
        from sklearn.linear_model import Ridge

        model = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
    return model


def train_forecast(counts: Counts, settings: ForecastSettings) -> ForecastResult:
    """Fit on the early days, forecast the last ``test_days``; never shuffle, since a model
    that has seen Thursday cannot honestly be tested on Wednesday."""
    settings.check()
    horizon = settings.horizon_steps(counts.interval_minutes)
    per_day, (n, n_det) = counts.per_day, counts.flows.shape
    days = n // per_day
    if days < settings.test_days + 2:
        raise TrafficInputError(
            "too_few_days", days=days, test_days=settings.test_days, needed=settings.test_days + 2
        )
    TrafficInputError.check_ranges(("detector", settings.detector, 0, n_det - 1))
    test_start = n - settings.test_days * per_day
    scale = np.maximum(counts.flows[:test_start].mean(axis=0), 1e-6)
    feats = build_features(counts, settings.lags, horizon, scale)
    train = feats.target < test_start
    test = feats.issue >= test_start
    model = _estimator(settings)
    began = time.perf_counter()
    model.fit(feats.X[train], feats.y[train])
    fit_seconds = time.perf_counter() - began
    det = feats.detector[test]
    predicted = np.asarray(model.predict(feats.X[test]), dtype=np.float64) * scale[det]
    predicted = np.maximum(predicted, 0.0)
    actual = counts.flows[feats.target[test], det]
    baselines = {
        "persistence": counts.flows[feats.issue[test], det],
        "yesterday": counts.flows[feats.target[test] - per_day, det],
    }
    forecasts = {"model": predicted, **baselines}
    hours = counts.times[feats.target[test]].hour.to_numpy(dtype=np.int64)
    chosen = det == settings.detector
    series = Series(
        detector=counts.detectors[settings.detector],
        times=counts.times[feats.target[test][chosen]],
        actual=actual[chosen],
        predicted=predicted[chosen],
        persistence=baselines["persistence"][chosen],
        yesterday=baselines["yesterday"][chosen],
    )
    return ForecastResult(
        settings=settings,
        scores={key: score(actual, values) for key, values in forecasts.items()},
        per_hour_mae={key: _per_hour(hours, actual, values) for key, values in forecasts.items()},
        series=series,
        fit_seconds=fit_seconds,
        n_train=int(train.sum()),
        n_test=int(test.sum()),
        train_last=counts.times[int(feats.target[train].max())],
        test_first=counts.times[int(feats.issue[test].min())],
        feature_names=feats.names,
    )

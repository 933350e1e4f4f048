"""Where machine learning is used: one short worked example per domain.

Each example sets a model against the naive rule a person would use without it, because "94 %"
means nothing until one knows what doing nothing clever scores. Medicine uses the breast cancer
data that ships inside scikit-learn; the other three domains use data generated here from a
documented rule with a fixed seed, so every number can be explained and nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from core.ml.threads import single_threaded

Domain = Literal["medicine", "finance", "energy", "marketing"]
DOMAINS: tuple[Domain, ...] = ("medicine", "finance", "energy", "marketing")

METRIC_CODES: tuple[str, ...] = (
    "accuracy",
    "recall_malignant",
    "precision_malignant",
    "recall_fraud",
    "precision_fraud",
    "mae_mw",
    "mape_pct",
    "silhouette",
    "ari",
)
TRANSACTION_FEATURES: tuple[str, ...] = (
    "amount",
    "hour",
    "distance_from_home_km",
    "foreign",
    "merchant_risk",
)
CUSTOMER_FEATURES: tuple[str, ...] = ("recency_days", "orders_per_year", "avg_basket_tenge")
TABLE_COLUMNS: tuple[str, ...] = (
    "feature",
    "weight_malignant",
    "importance",
    "day",
    "weekday",
    "mean_temp_c",
    "mae_model_mw",
    "mae_naive_mw",
    "hour",
    "actual",
    "forecast",
    "naive",
    "segment",
    "size",
    *CUSTOMER_FEATURES,
)


@dataclass(frozen=True)
class Metric:
    code: str  # stable code the page translates, e.g. "accuracy", "recall_malignant", "mae_mw"
    value: float
    baseline: float | None  # the naive baseline's value of the same metric, when there is one


@dataclass(frozen=True)
class WorkedExample:
    domain: Domain
    model: str  # e.g. "LogisticRegression", for the caption
    baseline: str  # code of the naive baseline, e.g. "always_benign"
    metrics: tuple[Metric, ...]
    table: pd.DataFrame  # a small table to show (<= 10 rows)
    series: pd.DataFrame | None  # data for one chart; None if not needed


def _recall_precision(y: np.ndarray, pred: np.ndarray, positive: int) -> tuple[float, float | None]:
    """Precision of a rule that never says "positive" is 0/0: reported as missing, not as 0."""
    hits = float(np.sum((pred == positive) & (y == positive)))
    flagged = float(np.sum(pred == positive))
    recall = hits / float(np.sum(y == positive))
    return recall, (hits / flagged if flagged else None)


# --- medicine ---------------------------------------------------------------------------------


def _medicine(seed: int) -> WorkedExample:
    """Breast cancer diagnosis. In scikit-learn's copy target 0 is malignant, 1 benign; the naive
    rule calls everything benign (the majority), which is right 63 % of the time and finds no
    cancer at all. The table shows which measurements push towards "malignant"."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from core.ml.datasets import load, split

    malignant, benign = 0, 1
    parts = split(load("breast_cancer"), seed=seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(parts.X_train, parts.y_train)
    y = parts.y_test.to_numpy()
    pred = np.asarray(model.predict(parts.X_test))
    naive = np.full_like(y, benign)
    recall, precision = _recall_precision(y, pred, malignant)
    naive_recall, naive_precision = _recall_precision(y, naive, malignant)
    weights = -model[-1].coef_[0]  # the fitted coefficients favour class 1 (benign)
    top = np.argsort(-np.abs(weights))[:5]
    table = pd.DataFrame(
        {
            "feature": [str(parts.X_train.columns[i]) for i in top],
            "weight_malignant": np.round(weights[top], 3),
        }
    )
    metrics = (
        Metric("accuracy", float(np.mean(pred == y)), float(np.mean(naive == y))),
        Metric("recall_malignant", recall, naive_recall),
        Metric("precision_malignant", precision or 0.0, naive_precision),
    )
    return WorkedExample("medicine", "LogisticRegression", "always_benign", metrics, table, None)


# --- finance ----------------------------------------------------------------------------------


def card_transactions(seed: int = 0, n: int = 6000) -> pd.DataFrame:
    """Synthetic card payments, exactly 2 % of them fraud.

    Legitimate-looking features: ``amount`` in tenge (log-normal, median 8 000), ``hour`` (mostly
    daytime), ``distance_from_home_km`` (mostly a few km, 5 % travellers far away), ``foreign``
    (4 % of payments) and ``merchant_risk`` (0..1, Beta(2, 8)). The hidden rule: a risk score
    ``2.5·merchant_risk + 1.6·foreign + 1.2·night(0–5 h) + 0.5·ln(1 + km) + 0.4·ln(amount/8000)``
    plus Gaussian noise (sd 0.5); the top 2 % of scores are fraud. The noise means no model can be
    perfect, as with real fraud."""
    rng = np.random.default_rng(seed)
    hour_weights = np.array(
        [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 9, 8, 8, 8, 9, 9, 8, 6, 4, 3, 2]
    )
    hour = rng.choice(24, size=n, p=hour_weights / hour_weights.sum())
    amount = np.round(np.exp(rng.normal(np.log(8000), 1.0, n)), -1)
    travelling = rng.random(n) < 0.05
    distance = np.where(travelling, rng.lognormal(np.log(300), 1.0, n), rng.exponential(6.0, n))
    foreign = (rng.random(n) < 0.04).astype(int)
    merchant_risk = rng.beta(2, 8, n)
    score = (
        2.5 * merchant_risk
        + 1.6 * foreign
        + 1.2 * (hour < 6)
        + 0.5 * np.log1p(distance)
        + 0.4 * np.log(amount / 8000)
        + rng.normal(0, 0.5, n)
    )
    fraud = (score > np.quantile(score, 0.98)).astype(int)
    return pd.DataFrame(
        {
            "amount": amount,
            "hour": hour,
            "distance_from_home_km": np.round(distance, 1),
            "foreign": foreign,
            "merchant_risk": np.round(merchant_risk, 3),
            "fraud": fraud,
        }
    )


def _finance(seed: int) -> WorkedExample:
    """Card fraud: the "always legit" rule is 98 % accurate and catches nothing, which is the
    lesson: on rare events accuracy misleads, recall and precision tell the story."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    data = card_transactions(seed)
    X, y = data.loc[:, list(TRANSACTION_FEATURES)], data["fraud"].to_numpy()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=y
    )
    model = RandomForestClassifier(
        n_estimators=30, min_samples_leaf=5, class_weight="balanced", random_state=seed, n_jobs=1
    )
    model.fit(X_train, y_train)
    pred = np.asarray(model.predict(X_test))
    naive = np.zeros_like(y_test)
    recall, precision = _recall_precision(y_test, pred, 1)
    naive_recall, naive_precision = _recall_precision(y_test, naive, 1)
    order = np.argsort(-model.feature_importances_)
    table = pd.DataFrame(
        {
            "feature": [TRANSACTION_FEATURES[i] for i in order],
            "importance": np.round(model.feature_importances_[order], 3),
        }
    )
    metrics = (
        Metric("accuracy", float(np.mean(pred == y_test)), float(np.mean(naive == y_test))),
        Metric("recall_fraud", recall, naive_recall),
        Metric("precision_fraud", precision or 0.0, naive_precision),
    )
    return WorkedExample("finance", "RandomForestClassifier", "always_legit", metrics, table, None)


# --- energy -----------------------------------------------------------------------------------


def city_load(seed: int = 0, days: int = 56) -> pd.DataFrame:
    """Synthetic hourly electricity demand (MW) of a Kazakh city in winter, from a Monday.

    Temperature: a daily mean that wanders as a random walk pulled towards −14 °C (cold snaps
    and thaws last days), plus a ±3 °C day–night swing. Load: 420 MW base, a daily shape with
    morning and evening peaks (up to +230 MW), 10 % less on Saturday and Sunday, electric
    heating of 9 MW per degree below +5 °C, and noise (sd 12 MW). No holidays."""
    rng = np.random.default_rng(seed)
    hours = np.arange(days * 24)
    hour, day = hours % 24, hours // 24
    weekday = day % 7
    daily_mean = np.empty(days)
    level = -14.0
    for d in range(days):
        level += 0.25 * (-14.0 - level) + rng.normal(0, 3.0)
        daily_mean[d] = level
    temperature = daily_mean[day] - 3.0 * np.cos(2 * np.pi * (hour - 3) / 24)
    morning = np.exp(-0.5 * ((hour - 9) / 2.0) ** 2)
    evening = np.exp(-0.5 * ((hour - 19) / 2.5) ** 2)
    shape = 420 + 160 * morning + 230 * evening
    weekend = np.where(weekday >= 5, 0.9, 1.0)
    heating = 9.0 * np.clip(5.0 - temperature, 0, None)
    load = shape * weekend + heating + rng.normal(0, 12.0, hours.size)
    return pd.DataFrame(
        {
            "hour": hour,
            "day": day,
            "weekday": weekday,
            "temperature": np.round(temperature, 1),
            "load_mw": np.round(load, 1),
        }
    )


def _energy(seed: int) -> WorkedExample:
    """Forecast the last week hour by hour from the hour, weekday, temperature (as if the weather
    forecast were perfect) and the load 24 h earlier. The naive forecast repeats yesterday,
    which fails on Saturdays, Mondays and whenever the weather turns."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    data = city_load(seed)
    data["load_24h_ago"] = data["load_mw"].shift(24)
    data = data.iloc[24:]
    test = data["day"] >= data["day"].max() - 6
    features = ["hour", "weekday", "temperature", "load_24h_ago"]
    model = HistGradientBoostingRegressor(max_iter=100, learning_rate=0.15, random_state=seed)
    model.fit(data.loc[~test, features], data.loc[~test, "load_mw"])
    week = data.loc[test]
    actual = week["load_mw"].to_numpy()
    forecast = np.asarray(model.predict(week.loc[:, features]))
    naive = week["load_24h_ago"].to_numpy()

    def mape(pred: np.ndarray) -> float:
        return float(np.mean(np.abs(pred - actual) / actual) * 100)

    metrics = (
        Metric(
            "mae_mw",
            float(np.mean(np.abs(forecast - actual))),
            float(np.mean(np.abs(naive - actual))),
        ),
        Metric("mape_pct", mape(forecast), mape(naive)),
    )
    series = pd.DataFrame(
        {
            "hour": np.arange(len(week)),
            "actual": actual,
            "forecast": np.round(forecast, 1),
            "naive": naive,
        }
    )
    errors = pd.DataFrame(
        {
            "day": week["day"].to_numpy() - int(week["day"].min()) + 1,
            "weekday": week["weekday"].to_numpy(),
            "mean_temp_c": week["temperature"].to_numpy(),
            "mae_model_mw": np.abs(forecast - actual),
            "mae_naive_mw": np.abs(naive - actual),
        }
    )
    table = errors.groupby(["day", "weekday"], as_index=False).mean().round(1)
    return WorkedExample(
        "energy", "HistGradientBoostingRegressor", "same_hour_yesterday", metrics, table, series
    )


# --- marketing --------------------------------------------------------------------------------

_GROUPS: tuple[tuple[float, float, float, float], ...] = (
    # share, recency_days, orders_per_year, avg_basket_tenge  (group centres)
    (0.30, 12.0, 40.0, 9_000.0),  # loyal regulars
    (0.20, 45.0, 8.0, 60_000.0),  # occasional big spenders
    (0.30, 200.0, 3.0, 7_000.0),  # drifting away
    (0.20, 20.0, 6.0, 15_000.0),  # new customers
)


def customers(seed: int = 0, n: int = 800) -> tuple[pd.DataFrame, np.ndarray]:
    """Synthetic shop customers from the four behaviour groups in ``_GROUPS`` (centres above,
    each variable spread by a normal with 20 % of its centre as sd, clipped at small positive
    values). Returns the customers and their hidden group, which the model never sees."""
    rng = np.random.default_rng(seed)
    shares = np.array([g[0] for g in _GROUPS])
    group = rng.choice(len(_GROUPS), size=n, p=shares / shares.sum())
    centres = np.array([g[1:] for g in _GROUPS])[group]
    values = np.clip(centres * (1 + rng.normal(0, 0.2, centres.shape)), 1.0, None)
    frame = pd.DataFrame(
        {
            "recency_days": np.round(values[:, 0]),
            "orders_per_year": np.round(values[:, 1]),
            "avg_basket_tenge": np.round(values[:, 2], -2),
        }
    )
    return frame, group


def _marketing(seed: int) -> WorkedExample:
    """Segment customers without labels (k-means, k = 4, on standardised variables). Silhouette
    says how separated the segments are; ARI (0 = chance, 1 = perfect) how well they recover the
    hidden groups, which real marketers never get to see. Treating everyone alike ("one
    segment") has ARI 0."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, silhouette_score
    from sklearn.preprocessing import StandardScaler

    frame, hidden = customers(seed)
    Z = StandardScaler().fit_transform(frame.to_numpy())
    labels = KMeans(n_clusters=4, n_init=10, random_state=seed).fit_predict(Z)
    order = frame.groupby(labels)["recency_days"].mean().sort_values().index
    segment = pd.Series(labels).map({int(old): new + 1 for new, old in enumerate(order)})
    profile = frame.groupby(segment.to_numpy()).mean().round(1)
    profile.insert(0, "size", np.bincount(segment.to_numpy())[1:])
    table = profile.rename_axis("segment").reset_index()
    one_segment = np.zeros_like(hidden)
    metrics = (
        Metric("silhouette", float(silhouette_score(Z, labels)), None),
        Metric(
            "ari",
            float(adjusted_rand_score(hidden, labels)),
            float(adjusted_rand_score(hidden, one_segment)),
        ),
    )
    return WorkedExample("marketing", "KMeans", "one_segment", metrics, table, None)


_EXAMPLES: dict[str, Any] = {
    "medicine": _medicine,
    "finance": _finance,
    "energy": _energy,
    "marketing": _marketing,
}


@single_threaded
def worked_example(domain: Domain, seed: int = 0) -> WorkedExample:
    """The worked example for ``domain``; ``seed`` changes the split and the generated data."""
    if domain not in _EXAMPLES:
        raise ValueError(f"unknown domain {domain!r}; choose one of {', '.join(DOMAINS)}")
    result: WorkedExample = _EXAMPLES[domain](seed)
    return result

"""Choose the data for an experiment: a dataset shipped with scikit-learn, a generated one shaped
by sliders, or the learner's own CSV (with every problem explained, nothing lost)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from app_pages.components.ml.cache import cached
from app_pages.components.numbers import params, slider
from app_pages.components.session import num, tr
from app_pages.components.uploads import uploader
from core.ml.datasets import (
    BUILTIN,
    GENERATED,
    TWO_D,
    CsvError,
    Dataset,
    csv_columns,
    dataset_from_csv,
    load,
)

UPLOAD = "upload"
DEFAULT_RECIPE: dict[str, Any] = {"n_samples": 300, "noise": 0.2, "seed": 0}


# A learner's file is parsed once, not on every slider change that reruns the page.
columns_of = cached(csv_columns)
dataset_of = cached(dataset_from_csv)
CSV_MB = 25


def dataset_label(name: str) -> str:
    return tr(f"ml.dataset.{name}")


def _csv(key: str) -> Dataset | None:
    upload = uploader(tr("ml.csv.upload"), ("csv", "txt"), f"{key}_file", CSV_MB)
    st.caption(tr("ml.csv.help"))
    if upload is None:
        return None
    data = upload.getvalue()
    try:
        columns = columns_of(data)
        target = st.selectbox(
            tr("ml.csv.target"), columns, index=len(columns) - 1, key=f"{key}_target"
        )
        drop = st.checkbox(tr("ml.csv.drop_missing"), key=f"{key}_drop")
        ds = dataset_of(data, str(target), drop_missing=drop)
    except CsvError as exc:
        st.error(
            tr(f"ml.csv.error.{exc.code}", **params(exc.params)), icon=":material/description:"
        )
        return None
    task = tr(f"ml.task.{ds.task}")
    st.caption(tr("ml.csv.loaded", rows=num(len(ds.X)), features=len(ds.features), task=task))
    return ds


def pick_dataset(
    key: str,
    choices: Sequence[str],
    *,
    default: str | None = None,
    upload: bool = False,
    default_noise: float = 0.2,
    default_n: int = 300,
) -> Dataset | None:
    """A dataset picker; returns None until an uploaded file is usable."""
    options = [*choices, UPLOAD] if upload else list(choices)
    labels = {name: dataset_label(name) for name in options}
    index = options.index(default) if default in options else 0
    name = st.selectbox(
        tr("ml.dataset_label"), options, index=index, format_func=labels.__getitem__, key=key
    )
    st.session_state[f"{key}_recipe"] = dict(DEFAULT_RECIPE)
    if name == UPLOAD:
        return _csv(key)
    if name in BUILTIN:
        return load(name)
    assert name in GENERATED
    left, mid, right = st.columns(3)
    n = slider(tr("ml.n_samples"), 20, 1000, default_n, 10, key=f"{key}_n", where=left)
    noise = slider(tr("ml.noise"), 0.0, 0.6, default_noise, 0.05, key=f"{key}_noise", where=mid)
    seed = right.number_input(tr("ml.seed"), 0, 9999, 0, key=f"{key}_seed")
    drawn = {"n_samples": int(n), "noise": round(float(noise), 2), "seed": int(seed)}
    st.session_state[f"{key}_recipe"] = drawn
    return load(name, **drawn)


def recipe(key: str) -> dict[str, Any]:
    """How the picker's data was drawn this run (seed 0 for data that is not generated), for
    the split, the code snippet and to tell whether a trained result still matches."""
    value: dict[str, Any] = st.session_state.get(f"{key}_recipe", dict(DEFAULT_RECIPE))
    return value


def pick_features(key: str, ds: Dataset, *, default_count: int | None = None) -> list[str]:
    features = list(ds.features)
    default = features if default_count is None else features[:default_count]
    chosen = st.multiselect(tr("ml.features"), features, default=default, key=f"{key}_{ds.name}")
    if not chosen:
        st.warning(tr("ml.features_needed"), icon=":material/checklist:")
    return list(chosen)


def pick_axes(key: str, ds: Dataset, features: Sequence[str]) -> tuple[str, str] | None:
    """The two features the decision boundary is drawn over (2-D data needs no choice)."""
    if ds.name in TWO_D or len(features) == 2:
        return (features[0], features[1]) if len(features) == 2 else None
    if len(features) < 2:
        return None
    left, right = st.columns(2)
    x = left.selectbox(tr("ml.axis_x"), features, index=0, key=f"{key}_x_{ds.name}")
    rest = [f for f in features if f != x]
    y = right.selectbox(tr("ml.axis_y"), rest, index=0, key=f"{key}_y_{ds.name}")
    return str(x), str(y)


# Names every picker may offer, for the i18n completeness test.
ALL_DATASETS: tuple[str, ...] = (*BUILTIN, *GENERATED, UPLOAD)

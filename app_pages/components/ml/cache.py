"""Experiments re-run on every widget change; the same settings give the same (frozen) result, so
results are kept per server and shared by learners who try the same thing. A dataset is keyed by
its content, so two uploads of one file share, and a changed file never hits a stale entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from core.ml import clustering, supervised
from core.ml.datasets import Dataset

F = TypeVar("F", bound=Callable[..., Any])


def dataset_key(ds: Dataset) -> tuple[object, ...]:
    content = pd.util.hash_pandas_object(ds.X, index=False).sum()
    target = pd.util.hash_pandas_object(ds.y, index=False).sum()
    return (ds.name, ds.task, ds.class_names, tuple(ds.features), int(content), int(target))


def cached(fn: F) -> F:
    wrapped: F = st.cache_resource(
        max_entries=48, show_spinner=False, hash_funcs={Dataset: dataset_key}
    )(fn)
    return wrapped


# Used by more than one lesson: one wrapper each, so the lessons share one cache.
fit_and_evaluate = cached(supervised.fit_and_evaluate)
kmeans_steps = cached(clustering.kmeans_steps)

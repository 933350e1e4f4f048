"""Widgets for a model's settings, returning core's ModelParams. Regularisation strengths span
orders of magnitude, so they move along a log scale of round values."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app_pages.components.numbers import choice_labels
from app_pages.components.session import exact, tr
from core.ml.supervised import ModelKind, ModelParams

C_VALUES = (0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)
GAMMA_VALUES = (0.01, 0.1, 0.5, 1.0, 5.0, 20.0, 100.0)
ALPHA_VALUES = (0.0, 0.0001, 0.001, 0.01, 0.1, 1.0, 10.0)
UNLIMITED = 0


def pick_kind(key: str, kinds: Sequence[ModelKind], default: ModelKind | None = None) -> ModelKind:
    labels = {kind: tr(f"ml.model.{kind}") for kind in kinds}
    index = list(kinds).index(default) if default in kinds else 0
    kind: ModelKind = st.selectbox(
        tr("ml.model_label"), kinds, index=index, format_func=labels.__getitem__, key=key
    )
    return kind


def _depth(key: str) -> int | None:
    depth = st.slider(
        tr("ml.max_depth"), 0, 20, 4, key=f"{key}_depth", help=tr("ml.max_depth_help")
    )
    return None if depth == UNLIMITED else int(depth)


def model_params(key: str, kind: ModelKind) -> ModelParams:
    """The settings that matter for ``kind``, each with a help text saying what it changes."""
    if kind == "tree":
        return ModelParams(kind, max_depth=_depth(key))
    if kind == "forest":
        left, right = st.columns(2)
        with left:
            depth = _depth(key)
        trees = right.slider(tr("ml.n_estimators"), 10, 300, 100, step=10, key=f"{key}_trees")
        return ModelParams(kind, max_depth=depth, n_estimators=int(trees))
    if kind in ("logistic", "svm"):
        c = st.select_slider(
            tr("ml.C"), C_VALUES, value=1.0, format_func=choice_labels(C_VALUES, exact),
            key=f"{key}_C", help=tr("ml.C_help"),
        )  # fmt: skip
        if kind == "logistic":
            return ModelParams(kind, C=float(c))
        left, right = st.columns(2)
        kernels = ("rbf", "linear", "poly")
        kernel = left.selectbox(tr("ml.kernel"), kernels, key=f"{key}_kernel")
        gamma = right.select_slider(
            tr("ml.gamma"),
            ("scale", *GAMMA_VALUES),
            value="scale",
            format_func={"scale": "scale", **{g: exact(g) for g in GAMMA_VALUES}}.__getitem__,
            key=f"{key}_gamma",
            help=tr("ml.gamma_help"),
            disabled=kernel == "linear",
        )
        return ModelParams(
            kind, C=float(c), kernel=kernel, gamma=None if gamma == "scale" else float(gamma)
        )
    alpha_label = choice_labels(ALPHA_VALUES, exact)
    if kind == "mlp":
        left, right = st.columns(2)
        units = left.slider(tr("ml.hidden_units"), 1, 128, 16, key=f"{key}_units")
        alpha = right.select_slider(
            tr("ml.alpha"), ALPHA_VALUES, value=0.0001, format_func=alpha_label, key=f"{key}_alpha"
        )
        return ModelParams(kind, hidden_units=(int(units),), alpha=float(alpha))
    left, right = st.columns(2)
    degree = left.slider(tr("ml.degree"), 1, 15, 1, key=f"{key}_degree", help=tr("ml.degree_help"))
    alpha = right.select_slider(
        tr("ml.ridge"), ALPHA_VALUES, value=0.0, format_func=alpha_label, key=f"{key}_ridge"
    )
    return ModelParams(kind, degree=int(degree), alpha=float(alpha))

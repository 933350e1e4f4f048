"""The scikit-learn code for what the learner just ran, like the example gallery's "here is the
code": built from the same steps as ``supervised.build_model``, so the page and the snippet cannot
disagree, and for shipped or generated data it reproduces the page's test score exactly."""

from __future__ import annotations

from collections.abc import Sequence

from core.ml.datasets import BUILTIN
from core.ml.supervised import ModelParams, pipeline_steps

_GENERATORS = {
    "moons": "make_moons(n_samples={n}, noise={noise}, random_state={seed})",
    "circles": "make_circles(n_samples={n}, noise={noise}, factor=0.5, random_state={seed})",
    "blobs": "make_blobs(n_samples={n}, centers=3, cluster_std={std}, random_state={seed})",
}


def _data_lines(
    dataset: str | None, n: int, noise: float, seed: int
) -> tuple[list[str], list[str]]:
    """Imports and lines that rebuild the data the page used, so the snippet reproduces its
    score; the learner's own file cannot be rebuilt, so it stays a comment."""
    if dataset in BUILTIN:
        loader = f"load_{dataset}"
        return [f"from sklearn.datasets import {loader}"], [
            f"X, y = {loader}(return_X_y=True, as_frame=True)"
        ]
    if dataset == "noisy_line":
        return ["import numpy as np", "import pandas as pd"], [
            f"rng = np.random.default_rng({seed})",
            f"x = rng.uniform(-3, 3, {n})",
            f"y = 1.5 * x + 2.0 + rng.normal(0, {0.5 + 4 * noise:.6g}, {n})",
            'X = pd.DataFrame({"x": x})',
        ]
    if dataset in _GENERATORS:
        call = _GENERATORS[dataset].format(
            n=n, noise=f"{noise:.6g}", seed=seed, std=f"{0.4 + 2 * noise:.6g}"
        )
        return ["import pandas as pd", f"from sklearn.datasets import make_{dataset}"], [
            f"X, y = {call}",
            'X = pd.DataFrame(X, columns=["x1", "x2"])',
        ]
    return [], ["# X: your table of numeric features, y: the target column"]


def code_snippet(
    params: ModelParams,
    task: str,
    *,
    dataset: str | None = None,
    features: Sequence[str] | None = None,
    n_samples: int = 300,
    noise: float = 0.2,
    seed: int = 0,
    test_size: float = 0.25,
) -> str:
    """The scikit-learn code for what the learner just ran, built from the same steps as
    ``build_model``; with a built-in or generated ``dataset`` it runs as is and prints the same
    test score as the page."""
    params.validate(task)
    steps = pipeline_steps(params, task, seed)
    data_imports, data = _data_lines(dataset, n_samples, noise, seed)
    imports = {f"from {module} import {name}" for module, name, _ in steps}
    imports |= {"from sklearn.model_selection import train_test_split"}
    imports |= {"from sklearn.pipeline import make_pipeline"}
    plain = [line for line in data_imports if line.startswith("import")]
    head = plain + sorted(imports | set(data_imports) - set(plain))
    if features is not None:
        data.append(f"X = X[{[str(f) for f in features]!r}]".replace("'", '"'))
    calls = [f"{name}({', '.join(f'{k}={v!r}' for k, v in kw.items())})" for _, name, kw in steps]
    calls = [c.replace("'", '"') for c in calls]
    model = f"model = make_pipeline({', '.join(calls)})"
    if len(model) > 99:
        model = "model = make_pipeline(\n" + "".join(f"    {c},\n" for c in calls) + ")"
    stratify = ", stratify=y" if task == "classification" else ""
    metric = "accuracy" if task == "classification" else "R²"
    body = [
        "X_train, X_test, y_train, y_test = train_test_split(",
        f"    X, y, test_size={test_size!r}, random_state={seed}{stratify}",
        ")",
        model,
        "model.fit(X_train, y_train)",
        f'print("test {metric}:", model.score(X_test, y_test))',
    ]
    return "\n".join([*head, "", *data, *body]) + "\n"

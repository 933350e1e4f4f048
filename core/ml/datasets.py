"""Datasets for the ML lessons: the ones that ship inside scikit-learn, generated ones whose shape
a student can change, and the learner's own CSV.

Nothing is downloaded: ``load_*`` reads files inside the scikit-learn wheel and ``make_*`` draws
points from a seeded generator. A learner's CSV is validated here so that every problem comes back
as one clear ``ValueError`` the page can translate, never a traceback.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

Task = Literal["classification", "regression"]

BUILTIN: tuple[str, ...] = ("iris", "wine", "breast_cancer", "digits")
GENERATED: tuple[str, ...] = ("moons", "circles", "blobs", "noisy_line")
TWO_D: frozenset[str] = frozenset({"moons", "circles", "blobs"})
DEFAULT_MAX_ROWS = 20_000
MAX_CLASSES = 20
MAX_CATEGORIES = 12  # a text column with more distinct values is an id or free text, not a category
MAX_FILE_BYTES = 20 * 1024 * 1024


CSV_ERRORS: tuple[str, ...] = (
    "empty", "too_large", "not_text", "unreadable", "no_rows", "no_target", "too_many_rows",
    "no_features", "missing_values", "too_few_rows", "text_columns", "too_many_classes",
    "one_class", "tiny_class",
)  # fmt: skip


class CsvError(ValueError):
    """A problem with a learner's file: ``code`` and ``params`` let the page say it in the
    learner's language; the English message serves logs and the API."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        if code not in CSV_ERRORS:
            raise ValueError(f"unknown CSV error code {code!r}")
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Dataset:
    name: str
    X: pd.DataFrame  # numeric features only
    y: pd.Series  # int class codes (classification) or floats (regression)
    task: Task
    class_names: tuple[str, ...] = ()  # class code i is called class_names[i]

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.X.columns)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


@dataclass(frozen=True)
class Split:
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series


def _from_bunch(name: str) -> Dataset:
    from sklearn import datasets as skd

    loader = {
        "iris": skd.load_iris,
        "wine": skd.load_wine,
        "breast_cancer": skd.load_breast_cancer,
        "digits": skd.load_digits,
    }[name]
    bunch = loader(as_frame=True)
    X = bunch.data.astype(float)
    y = bunch.target.astype(int).rename("target")
    return Dataset(name, X, y, "classification", tuple(str(n) for n in bunch.target_names))


def _generated(name: str, n_samples: int, noise: float, seed: int) -> Dataset:
    from sklearn import datasets as skd

    if name == "noisy_line":
        rng = np.random.default_rng(seed)
        x = rng.uniform(-3, 3, n_samples)
        y = 1.5 * x + 2.0 + rng.normal(0, 0.5 + 4 * noise, n_samples)
        return Dataset(name, pd.DataFrame({"x": x}), pd.Series(y, name="y"), "regression")
    if name == "moons":
        points, labels = skd.make_moons(n_samples, noise=noise, random_state=seed)
    elif name == "circles":
        points, labels = skd.make_circles(n_samples, noise=noise, factor=0.5, random_state=seed)
    else:
        points, labels = skd.make_blobs(
            n_samples, centers=3, cluster_std=0.4 + 2 * noise, random_state=seed
        )
    X = pd.DataFrame(points, columns=["x1", "x2"])
    classes = tuple(str(i) for i in range(int(labels.max()) + 1))
    return Dataset(name, X, pd.Series(labels, name="class").astype(int), "classification", classes)


@lru_cache(maxsize=64)
def load(name: str, *, n_samples: int = 300, noise: float = 0.2, seed: int = 0) -> Dataset:
    """A built-in dataset by name; ``n_samples``, ``noise`` and ``seed`` shape generated ones.
    Cached: the same arguments give the same (read-only) object, so a slider rerun costs nothing."""
    if name in BUILTIN:
        return _from_bunch(name)
    if name not in GENERATED:
        raise ValueError(f"unknown dataset {name!r}")
    if not 20 <= n_samples <= 5000:
        raise ValueError("n_samples must be between 20 and 5000")
    if not 0.0 <= noise <= 1.0:
        raise ValueError("noise must be between 0 and 1")
    return _generated(name, n_samples, noise, seed)


def split(
    ds: Dataset, features: Sequence[str] | None = None, *, test_size: float = 0.25, seed: int = 0
) -> Split:
    """Hold out a test set the model never sees; stratified for classes so that a small test set
    still has every class in it."""
    from sklearn.model_selection import train_test_split

    if not 0.05 <= test_size <= 0.9:
        raise ValueError("test_size must be between 0.05 and 0.9")
    X = ds.X if features is None else ds.X.loc[:, list(features)]
    if X.shape[1] == 0:
        raise ValueError("choose at least one feature")
    stratify = ds.y if ds.task == "classification" and ds.y.value_counts().min() >= 2 else None
    X_train, X_test, y_train, y_test = train_test_split(
        X, ds.y, test_size=test_size, random_state=seed, stratify=stratify
    )
    return Split(X_train, X_test, y_train, y_test)


# --- the learner's own CSV -------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:  # an Excel workbook, an image: cp1251 would "decode" anything
        raise CsvError("not_text", "The file is not text: save it as CSV (UTF-8).")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError("not_text", "The file is not text: save it as CSV (UTF-8).")


def _read_frame(text: str) -> pd.DataFrame:
    """Spreadsheets in Kazakhstan often export with ';' and a decimal comma: sniff both."""
    sample = text[:4096]
    try:
        sep = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    decimal = "," if sep != "," else "."
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise CsvError("unreadable", f"The file could not be read as CSV: {exc}") from exc


def _encode_features(X: pd.DataFrame) -> pd.DataFrame:
    """Numbers stay, yes/no and short category columns become 0/1 columns; anything else (names,
    free text, ids) cannot be a feature and is reported by name."""
    columns: list[pd.DataFrame] = []
    rejected: list[str] = []
    for name in X.columns:
        column = X[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            columns.append(column.astype(float).to_frame(str(name)))
        elif column.nunique() <= MAX_CATEGORIES:
            dummies = pd.get_dummies(column.astype(str), prefix=str(name), prefix_sep="=")
            columns.append(dummies.astype(float))
        else:
            rejected.append(str(name))
    if rejected:
        names = ", ".join(rejected)
        raise CsvError(
            "text_columns",
            f"These columns are text with too many different values to use as features: {names}."
            " Remove them or choose them as the target.",
            columns=names,
        )
    return pd.concat(columns, axis=1)


def _frame(data: bytes) -> pd.DataFrame:
    if not data or not data.strip():
        raise CsvError("empty", "The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise CsvError("too_large", f"The file is larger than {limit} MB.", limit=limit)
    frame = _read_frame(_decode(data))
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def load_user_csv(
    data: bytes, target: str, *, max_rows: int = DEFAULT_MAX_ROWS, drop_missing: bool = False
) -> tuple[pd.DataFrame, pd.Series]:
    """Features (numeric, categories one-hot encoded) and the target column of a learner's CSV.

    Raises ``ValueError`` with a message a learner can act on for an empty or non-text file, a
    missing target column, text columns that cannot be encoded, missing values (unless
    ``drop_missing``) and more rows than ``max_rows``."""
    frame = _frame(data)
    if frame.empty:
        raise CsvError("no_rows", "The file has a header but no rows.")
    if target not in frame.columns:
        columns = ", ".join(map(str, frame.columns))
        raise CsvError(
            "no_target", f"There is no column {target!r}. Columns: {columns}", target=target
        )
    if len(frame) > max_rows:
        raise CsvError(
            "too_many_rows",
            f"The file has {len(frame)} rows; the limit is {max_rows}.",
            rows=len(frame),
            limit=max_rows,
        )
    if frame.shape[1] < 2:
        raise CsvError("no_features", "The file needs a feature column besides the target.")
    missing = frame.isna().sum()
    missing = missing[missing > 0]
    if len(missing):
        detail = ", ".join(f"{name} ({count})" for name, count in missing.items())
        if not drop_missing:
            raise CsvError(
                "missing_values",
                f"Some cells are empty: {detail}. Fill them or drop those rows.",
                columns=detail,
            )
        frame = frame.dropna().reset_index(drop=True)
        if len(frame) < 10:
            raise CsvError("too_few_rows", "Fewer than 10 complete rows are left.")
    y = frame[target]
    X = _encode_features(frame.drop(columns=[target]))
    return X, y


def target_task(y: pd.Series) -> Task:
    """Text or a few whole numbers is a class label; anything else is a quantity to predict."""
    if not pd.api.types.is_numeric_dtype(y) or pd.api.types.is_bool_dtype(y):
        return "classification"
    values = y.dropna()
    whole = bool(np.all(np.equal(np.mod(values, 1), 0)))
    return "classification" if whole and values.nunique() <= MAX_CLASSES else "regression"


def dataset_from_csv(
    data: bytes, target: str, *, max_rows: int = DEFAULT_MAX_ROWS, drop_missing: bool = False
) -> Dataset:
    X, y = load_user_csv(data, target, max_rows=max_rows, drop_missing=drop_missing)
    task = target_task(y)
    if task == "regression":
        return Dataset("upload", X, y.astype(float).rename(target), "regression")
    codes, names = pd.factorize(y.astype(str), sort=True)
    if len(names) > MAX_CLASSES:
        raise CsvError(
            "too_many_classes",
            f"The target has {len(names)} classes; the limit is {MAX_CLASSES}.",
            classes=len(names),
            limit=MAX_CLASSES,
        )
    if len(names) < 2:
        raise CsvError("one_class", "The target has only one value: nothing to predict.")
    if np.bincount(codes).min() < 2:
        raise CsvError("tiny_class", "Every class needs at least two rows.")
    y_codes = pd.Series(codes, name=target).astype(int)
    return Dataset("upload", X, y_codes, "classification", tuple(str(n) for n in names))


def csv_columns(data: bytes) -> list[str]:
    """Column names for the target picker, read before the target is known."""
    return [str(c) for c in _frame(data).columns]

import numpy as np
import pandas as pd
import pytest

from core.ml.datasets import (
    BUILTIN,
    GENERATED,
    CsvError,
    csv_columns,
    dataset_from_csv,
    load,
    load_user_csv,
    split,
)


@pytest.mark.parametrize("name", BUILTIN + GENERATED)
def test_every_dataset_loads_offline_with_numeric_features(name: str) -> None:
    ds = load(name)
    assert len(ds.X) == len(ds.y) > 0
    assert all(pd.api.types.is_float_dtype(dtype) for dtype in ds.X.dtypes)
    if ds.task == "classification":
        assert ds.n_classes == int(ds.y.max()) + 1 >= 2


def test_generated_data_follows_the_sliders_and_the_seed() -> None:
    assert len(load("moons", n_samples=120).X) == 120
    assert load("moons", seed=1).X.equals(load("moons", seed=1).X)
    assert not load("moons", seed=1).X.equals(load("moons", seed=2).X)
    quiet, noisy = load("noisy_line", noise=0.0), load("noisy_line", noise=0.8)
    residual = lambda ds: float(np.std(ds.y - (1.5 * ds.X["x"] + 2.0)))  # noqa: E731
    assert residual(noisy) > 3 * residual(quiet)
    with pytest.raises(ValueError):
        load("moons", n_samples=5)
    with pytest.raises(ValueError):
        load("titanic")


def test_split_is_stratified_and_keeps_the_chosen_features() -> None:
    parts = split(load("iris"), ["petal length (cm)", "petal width (cm)"], test_size=0.2, seed=0)
    assert list(parts.X_train.columns) == ["petal length (cm)", "petal width (cm)"]
    assert len(parts.X_test) == 30
    assert sorted(parts.y_test.value_counts().tolist()) == [10, 10, 10]
    with pytest.raises(ValueError, match="at least one feature"):
        split(load("iris"), [])


GOOD = b"height,weight,sport,team\n180,75,yes,A\n165,60,no,B\n172,68,yes,A\n158,52,no,B\n"


def test_a_learners_csv_becomes_numeric_features_and_a_target() -> None:
    X, y = load_user_csv(GOOD, "team")
    assert list(X.columns) == ["height", "weight", "sport=no", "sport=yes"]
    assert X.to_numpy().dtype == float and y.tolist() == ["A", "B", "A", "B"]


def test_semicolons_and_decimal_commas_from_spreadsheets_are_understood() -> None:
    data = "рост;вес;класс\n1,80;75,5;а\n1,65;60,1;б\n".encode("cp1251")
    X, _ = load_user_csv(data, "класс")
    assert X["рост"].tolist() == [1.80, 1.65]


@pytest.mark.parametrize(
    ("data", "target", "code"),
    [
        (b"", "y", "empty"),
        (b"   \n", "y", "empty"),
        (b"a,b\n", "b", "no_rows"),
        (b"a,b\n1,2\n", "c", "no_target"),
        (b"y\n1\n2\n", "y", "no_features"),
        (b"a,b,y\n1,,0\n2,3,1\n", "y", "missing_values"),
        (b"\x00\x01\xff\xfe" * 10, "y", "not_text"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "y", "not_text"),
        (b'a,b\n"1,2\n', "b", "unreadable"),
    ],
)
def test_bad_files_raise_a_clear_coded_error(data: bytes, target: str, code: str) -> None:
    with pytest.raises(CsvError) as info:
        load_user_csv(data, target)
    assert info.value.code == code
    assert isinstance(info.value, ValueError) and str(info.value)


def test_free_text_columns_are_named_in_the_error() -> None:
    rows = "\n".join(f"person {i},{i},{i % 2}" for i in range(30))
    with pytest.raises(ValueError, match="name") as info:
        load_user_csv(f"name,age,y\n{rows}\n".encode(), "y")
    assert info.value.params == {"columns": "name"}  # type: ignore[attr-defined]


def test_the_row_limit_is_enforced() -> None:
    rows = "\n".join(f"{i},{i % 2}" for i in range(50))
    with pytest.raises(ValueError, match="limit is 40") as info:
        load_user_csv(f"x,y\n{rows}\n".encode(), "y", max_rows=40)
    assert info.value.code == "too_many_rows"  # type: ignore[attr-defined]


def test_missing_values_can_be_dropped_on_request() -> None:
    rows = "\n".join(f"{i},{'' if i == 3 else i},{i % 2}" for i in range(20))
    X, y = load_user_csv(f"a,b,y\n{rows}\n".encode(), "y", drop_missing=True)
    assert len(X) == len(y) == 19


def test_dataset_from_csv_picks_the_task_from_the_target() -> None:
    ds = dataset_from_csv(GOOD, "team")
    assert ds.task == "classification" and ds.class_names == ("A", "B")
    assert ds.y.tolist() == [0, 1, 0, 1]
    rows = "\n".join(f"{i},{i * 1.37:.2f}" for i in range(40))
    assert dataset_from_csv(f"x,price\n{rows}\n".encode(), "price").task == "regression"
    with pytest.raises(CsvError) as info:
        dataset_from_csv(b"x,y\n1,a\n2,a\n3,a\n", "y")
    assert info.value.code == "one_class"


def test_columns_are_listed_for_the_target_picker() -> None:
    assert csv_columns(GOOD) == ["height", "weight", "sport", "team"]

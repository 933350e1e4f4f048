from pathlib import Path

import pytest

from core.rl import agents, deep
from core.rl.agents import AgentError, AgentStore


@pytest.fixture(scope="module")
def trained() -> deep.DeepResult:
    return deep.train("ppo", "CartPole-v1", 1_000, seed=0)


def test_save_list_load_delete(tmp_path: Path, trained: deep.DeepResult) -> None:
    store = AgentStore(7, root=tmp_path)
    saved = store.save("  My first pole ", trained)
    assert saved.name == "My first pole" and saved.algo == "ppo"
    assert store.list() == [saved]
    model = store.load(saved)
    assert model.predict(model.observation_space.sample(), deterministic=True)[0] in (0, 1)
    assert AgentStore(8, root=tmp_path).list() == []  # another student sees nothing
    store.delete(saved)
    assert store.list() == []


def test_same_name_replaces(tmp_path: Path, trained: deep.DeepResult) -> None:
    store = AgentStore(1, root=tmp_path)
    store.save("pole", trained)
    store.save("pole", trained)
    assert len(store.list()) == 1


@pytest.mark.parametrize("name", ["", "   ", "../../etc", "x" * 41, "---"])
def test_bad_names_are_refused(tmp_path: Path, trained: deep.DeepResult, name: str) -> None:
    with pytest.raises(AgentError) as error:
        AgentStore(1, root=tmp_path).save(name, trained)
    assert error.value.code == "bad_name"


def test_a_full_shelf_is_refused(
    tmp_path: Path, trained: deep.DeepResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agents, "MAX_AGENTS", 1)
    store = AgentStore(1, root=tmp_path)
    store.save("one", trained)
    with pytest.raises(AgentError) as error:
        store.save("two", trained)
    assert error.value.code == "too_many"


def test_damaged_files_give_coded_errors(tmp_path: Path, trained: deep.DeepResult) -> None:
    store = AgentStore(1, root=tmp_path)
    saved = store.save("pole", trained)
    (store.folder / "pole.zip").write_bytes(b"not a zip")
    with pytest.raises(AgentError) as error:
        store.load(saved)
    assert error.value.code == "unreadable"
    (store.folder / "pole.zip").unlink()
    with pytest.raises(AgentError) as error:
        store.load(saved)
    assert error.value.code == "missing"
    (store.folder / "broken.json").write_text("{not json", encoding="utf-8")
    assert [a.name for a in store.list()] == ["pole"]

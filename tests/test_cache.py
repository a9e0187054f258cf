"""The experiment cache: one computation per (code, arguments), fresh copies, and recovery from a
corrupt entry."""
import pickle

import numpy as np
import pytest

from trainlab import cache

calls = []


@cache.cached
def _square(x, scale=1.0):
    calls.append(x)
    return {"y": np.asarray(x, dtype=float) ** 2 * scale}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINLAB_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TRAINLAB_CACHE", raising=False)
    calls.clear()
    return tmp_path


def test_second_call_reads_the_stored_result():
    a = _square((1, 2, 3))
    b = _square((1, 2, 3))
    assert calls == [(1, 2, 3)]
    np.testing.assert_array_equal(a["y"], [1, 4, 9])
    np.testing.assert_array_equal(b["y"], a["y"])


def test_defaults_and_keywords_share_an_entry_but_other_arguments_do_not():
    _square(2)
    _square(2, scale=1.0)
    _square(x=2)
    assert calls == [2]
    _square(2, scale=3.0)
    _square(np.array([2.0]))
    assert len(calls) == 3


def test_each_call_returns_a_fresh_copy():
    a = _square((1, 2))
    a["y"][0] = 99
    assert _square((1, 2))["y"][0] == 1


def test_a_corrupt_entry_is_recomputed(private_cache):
    _square(5)
    (entry,) = private_cache.rglob("*.pkl")
    entry.write_bytes(b"not a pickle")
    assert _square(5)["y"] == 25
    assert len(calls) == 2
    assert pickle.loads(entry.read_bytes())["y"] == 25


def test_the_key_covers_every_trainlab_module_the_experiment_imports():
    from trainlab.experiments import momentum

    files = {p.name for p in cache.dependencies(momentum.__file__)}
    # momentum.py imports runs.py, which imports paths.py and surfaces.py.
    assert {"momentum.py", "runs.py", "paths.py", "surfaces.py", "cache.py"} <= files
    assert "adaptive.py" not in files, "another chapter's experiments are not part of the key"


def test_the_key_changes_when_an_imported_module_changes(tmp_path, monkeypatch):
    pkg = tmp_path / "trainlab"
    (pkg / "experiments").mkdir(parents=True)
    (pkg / "helper.py").write_text("X = 1\n")
    (pkg / "experiments" / "demo.py").write_text("from ..helper import X\n")
    monkeypatch.setattr(cache, "PACKAGE_DIR", pkg)
    cache._source_digest.cache_clear()
    first = cache._source_digest(str(pkg / "experiments" / "demo.py"))
    (pkg / "helper.py").write_text("X = 2\n")
    cache._source_digest.cache_clear()
    assert cache._source_digest(str(pkg / "experiments" / "demo.py")) != first
    cache._source_digest.cache_clear()


def test_off_switch_computes_every_time(monkeypatch):
    monkeypatch.setenv("TRAINLAB_CACHE", "off")
    _square(7)
    _square(7)
    assert calls == [7, 7]


def test_unstable_arguments_are_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="stable repr"):
        _square(object())

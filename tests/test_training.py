"""The shared data, models and training loop: offline data of the documented shapes, and runs
that are a pure function of their seed."""
import numpy as np
import pytest
import torch

from trainlab import data, models, training


def test_offline_datasets_have_the_documented_shapes():
    X, y = data.mnist_digits()
    assert X.shape == (5000, 1, 28, 28) and X.dtype == np.float32 and 0 <= X.min() <= X.max() <= 1
    assert np.bincount(y).tolist() == [500] * 10
    X8, y8 = data.sklearn_digits()
    assert X8.shape == (1797, 1, 8, 8)
    assert data.sklearn_digits(28)[0].shape == (1797, 1, 28, 28)
    for name in data.PHOTOGRAPHS:
        img = data.photograph(name)
        assert img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.float32


def test_mnist_is_parsed_once_and_each_caller_gets_its_own_arrays():
    X, y = data.mnist_digits()
    X[:] = -1.0
    y[:] = -1
    X2, y2 = data.mnist_digits()
    assert X2.min() >= 0 and y2.min() >= 0  # a caller's change does not reach the next caller
    assert data._mnist_digits_parsed.cache_info().misses == 1


def test_split_is_stratified_and_disjoint():
    X = np.arange(100)[:, None]
    y = np.repeat(np.arange(5), 20)
    parts = data.split(X, y, [10, 25, 40], np.random.default_rng(1))
    assert [len(p[1]) for p in parts] == [10, 25, 40]
    assert np.bincount(parts[0][1]).tolist() == [2] * 5
    assert np.bincount(parts[2][1]).tolist() == [8] * 5
    seen = np.concatenate([p[0][:, 0] for p in parts])
    assert len(set(seen.tolist())) == 75
    with pytest.raises(ValueError, match="sum to at most 100"):
        data.split(X, y, [60, 60], np.random.default_rng(0))


def _run(seed):
    X, y = data.mnist_digits()
    (Xt, yt), (Xv, yv) = data.split(X, y, [300, 200], np.random.default_rng(0))
    model = models.mlp([784, 32, 10], seed=seed)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return training.train(model, opt, (Xt, yt), (Xv, yv), epochs=4, batch_size=50, seed=seed,
                          keep_best=True, progress=False), model, (Xv, yv)


def test_training_is_a_pure_function_of_the_seed_and_learns():
    h1, m1, val = _run(3)
    h2, _, _ = _run(3)
    h3, _, _ = _run(4)
    assert h1 == h2
    assert h1["train_loss"] != h3["train_loss"]
    assert h1["val_acc"][-1] > 0.6  # 10 classes: chance is 0.1
    assert h1["train_loss"][-1] < h1["train_loss"][0]
    # keep_best leaves the best epoch's weights in the model.
    assert training.evaluate(m1, *val)[1] == max(h1["val_acc"])
    assert len(h1["lr"]) == 4 * 6


def test_small_cnn_splits_features_and_head():
    net = models.SmallCNN(classes=7, seed=0)
    assert net.features(torch.zeros(2, 1, 28, 28)).shape == (2, net.head.in_features)
    assert net(torch.zeros(2, 1, 28, 28)).shape == (2, 7)
    assert any(isinstance(m, torch.nn.BatchNorm2d) for m in net.features)
    assert any(isinstance(m, torch.nn.Dropout) for m in net.features)


def test_augment_and_penalty_hooks_shape_the_training_step():
    X = torch.randn(64, 1, 4, 4, generator=torch.Generator().manual_seed(0))
    y = torch.arange(64) % 4
    seen = []

    def soft_targets(xb, yb, gen):  # Mixup-style targets: probabilities, not indices
        seen.append(len(yb))
        return xb, torch.nn.functional.one_hot(yb, 4).float() * 0.9 + 0.025

    def run(**hooks):
        m = models.mlp([16, 8, 4], seed=0)
        h = training.train(m, torch.optim.SGD(m.parameters(), lr=0.1), (X, y), epochs=3,
                           batch_size=16, seed=0, progress=False, **hooks)
        return m, h

    _, h = run(augment=soft_targets)
    assert seen == [16] * 12, "augment is called on every minibatch"
    assert all(0 <= a <= 1 for a in h["train_acc"]), "accuracy counted against the labels"
    plain, h_plain = run()
    l1 = lambda model: 0.5 * sum(p.abs().sum() for p in model.parameters())  # noqa: E731
    shrunk, h_l1 = run(penalty=l1)
    norm = lambda model: sum(p.abs().sum().item() for p in model.parameters())  # noqa: E731
    assert norm(shrunk) < 0.8 * norm(plain), "the penalty's gradient pulls the weights in"
    # The history records the data loss alone (about log 4 here), not data loss + penalty.
    assert 0.5 * norm(models.mlp([16, 8, 4], seed=0)) > 5
    assert h_l1["train_loss"][0] < 2.0

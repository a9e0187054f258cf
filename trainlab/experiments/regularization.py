"""Chapter 6 experiments: penalties, dropout, batch norm and the rest of the "noise in training,
average at test" family, each measured on a small real or exact case.

The page and ``tests/claims/test_claims_ch06.py`` call the same cached functions. Each takes its
seeds and returns plain data (numbers, lists, arrays). The training run that overfits a few
hundred digits is in ``regularizer_sweep.py``; photograph augmentations in ``augmentation.py``.
"""
from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from ..cache import cached
from ..data import mnist_digits, sklearn_digits, split
from ..training import deterministic

# --- C26: penalties ------------------------------------------------------------------------------


def _softmax_xent_grad(X, Y, W, b):
    """Mean cross-entropy of softmax(X W + b) against one-hot Y, and its gradients."""
    z = X @ W + b
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.mean(np.sum(Y * np.log(p + 1e-300), axis=1))
    d = (p - Y) / len(X)
    return loss, X.T @ d, d.sum(axis=0)


def _fit_penalised(X, Y, l1, l2, steps, proximal=True):
    """Softmax regression with penalty l1 sum|W| + l2 sum W^2 (bias unpenalised), full batch.

    proximal=True: gradient step on the smooth part, then the exact proximal map of the penalty
    (soft-thresholding, then shrinking), i.e. ISTA; it lands weights on exactly 0. proximal=False:
    plain subgradient descent on the whole objective with sign(0) = 0, as an SGD loop does it.
    """
    W, b = np.zeros((X.shape[1], Y.shape[1])), np.zeros(Y.shape[1])
    lr = 1.0 / (0.5 * np.linalg.norm(X, 2) ** 2 / len(X) + 2 * l2)  # 1 / Lipschitz constant
    for _ in range(steps):
        _, gW, gb = _softmax_xent_grad(X, Y, W, b)
        b -= lr * gb
        if proximal:
            V = W - lr * gW
            W = np.sign(V) * np.maximum(np.abs(V) - lr * l1, 0.0) / (1 + 2 * lr * l2)
        else:
            W = W - lr * (gW + l1 * np.sign(W) + 2 * l2 * W)
    return W, b


@cached
def penalty_paths(strengths=(1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2), n_train=500, steps=600,
                  seed=0) -> dict:
    """C26: softmax regression on scikit-learn's 8x8 digits (64 pixels -> 10 classes) with L2,
    L1 and elastic net (half of each) over a range of penalty strengths.

    Returns {"strengths", "kinds", and per kind: "mean_abs" (mean |W|), "zero_frac" (share of
    weights exactly 0, counted over the pixels that are not blank in every training image: a
    blank pixel's weight gets no gradient and stays at its initial 0 under any penalty),
    "val_acc"}, plus "subgradient_zero_frac" (L1 by plain subgradient
    descent, at each strength) and "weights" {kind: W (64, 10)} at ``strengths[3]``.
    """
    X, y = sklearn_digits()
    X = X.reshape(len(X), -1).astype(np.float64)
    (Xtr, ytr), (Xva, yva) = split(X, y, (n_train, 1000), np.random.default_rng(seed))
    Ytr = np.eye(10)[ytr]
    used = Xtr.any(axis=0)
    kinds = {"L2": (0.0, 1.0), "L1": (1.0, 0.0), "elastic net": (0.5, 0.5)}
    out = {"strengths": list(strengths), "kinds": list(kinds), "weights": {},
           "subgradient_zero_frac": []}
    for kind, (a1, a2) in kinds.items():
        out[kind] = {"mean_abs": [], "zero_frac": [], "val_acc": []}
        for i, lam in enumerate(strengths):
            W, b = _fit_penalised(Xtr, Ytr, a1 * lam, a2 * lam, steps)
            out[kind]["mean_abs"].append(float(np.abs(W).mean()))
            out[kind]["zero_frac"].append(float(np.mean(W[used] == 0.0)))
            out[kind]["val_acc"].append(float(np.mean((Xva @ W + b).argmax(1) == yva)))
            if i == 3:
                out["weights"][kind] = W
    for lam in strengths:
        W, _ = _fit_penalised(Xtr, Ytr, lam, 0.0, steps, proximal=False)
        out["subgradient_zero_frac"].append(float(np.mean(W[used] == 0.0)))
    W, b = _fit_penalised(Xtr, Ytr, 0.0, 0.0, steps)
    out["used_pixels"] = int(used.sum())
    out["unpenalised"] = {"mean_abs": float(np.abs(W).mean()),
                          "val_acc": float(np.mean((Xva @ W + b).argmax(1) == yva))}
    return out


@cached
def constraint_solutions(centre=(1.5, 0.6), curvature=(2.0, 1.0), strengths=None) -> dict:
    """C26 in two dimensions: minimise (w - c)^T diag(h) (w - c) / 2 + R(w) for growing strength.
    The L1 solution reaches w2 = 0 exactly at a finite strength (the corner of the diamond); the
    L2 solution only approaches 0. Returns {"strengths", "L1": (k, 2), "L2": (k, 2)}."""
    c, h = np.asarray(centre, float), np.asarray(curvature, float)
    s = np.linspace(0, 3, 61) if strengths is None else np.asarray(strengths, float)
    # Separable problems with closed forms: soft-thresholding and shrinkage per coordinate.
    l1 = np.sign(c) * np.maximum(np.abs(c) - s[:, None] / h, 0.0)
    l2 = c * h / (h + 2 * s[:, None])
    return {"strengths": s, "L1": l1, "L2": l2, "centre": c, "curvature": h}


# --- C27/C28: dropout ---------------------------------------------------------------------------


@cached
def dropout_masks(p=0.5, shape=(64, 256), passes=200, seed=0) -> dict:
    """C27: what ``torch.nn.Dropout`` does to a tensor of ones over many forward passes.

    Returns drop fractions per pass, the correlation of the masks of consecutive passes and of
    neighbouring entries, the set of kept values, the mean output, whether eval mode is the
    identity, and for ``nn.Dropout2d`` on (N, C, H, W) the share of channels that are either
    wholly zero or wholly kept.
    """
    gen = deterministic(seed)
    layer = nn.Dropout(p)
    x = torch.ones(shape)
    masks = np.stack([layer(x).numpy() for _ in range(passes)])
    dropped = masks == 0
    flat = dropped.reshape(passes, -1).astype(float)
    across_passes = np.corrcoef(flat[:-1].ravel(), flat[1:].ravel())[0, 1]
    across_entries = np.corrcoef(flat[:, :-1].ravel(), flat[:, 1:].ravel())[0, 1]
    layer.eval()
    eval_identity = bool(torch.equal(layer(x), x))
    d2 = nn.Dropout2d(p)
    y2 = d2(torch.ones(32, 16, 8, 8)).numpy()
    per_channel = y2.reshape(32, 16, -1)
    whole = np.all(per_channel == per_channel[..., :1], axis=2)
    del gen
    return {"p": p, "n": int(np.prod(shape)), "passes": passes,
            "drop_frac": flat.mean(axis=1), "corr_across_passes": float(across_passes),
            "corr_across_entries": float(across_entries),
            "kept_values": sorted(set(np.unique(masks[~dropped]).round(6).tolist())),
            "mean_output": float(masks.mean()), "eval_identity": eval_identity,
            "channelwise_whole": float(whole.mean()),
            "channel_drop_frac": float((per_channel[..., 0] == 0).mean()),
            "example": masks[:3, :8, :32]}


@cached
def linear_unit_expectation(n_inputs=4, p=0.5, seed=0) -> dict:
    """C28: for one linear unit a = w . x, enumerate all 2^n dropout masks (each kept with
    probability 1 - p). Without inverted scaling the mean output is (1 - p) w . x exactly; with
    inverted dropout (kept inputs divided by 1 - p) it is w . x, the untouched test-time unit."""
    rng = np.random.default_rng(seed)
    w, x = rng.standard_normal(n_inputs), rng.standard_normal(n_inputs)
    masks = np.array(np.meshgrid(*[[0, 1]] * n_inputs)).reshape(n_inputs, -1).T
    prob = np.prod(np.where(masks == 1, 1 - p, p), axis=1)
    plain = (masks * x) @ w
    return {"w": w, "x": x, "test_output": float(w @ x), "n_masks": len(masks),
            "mean_plain": float(prob @ plain), "scaled_test": float((1 - p) * (w @ x)),
            "mean_inverted": float(prob @ (plain / (1 - p))), "outputs": plain}


# --- C29: batch norm ----------------------------------------------------------------------------


@cached
def batchnorm_batch_dependence(batch_size=32, trials=50, p=0.5, seed=0) -> dict:
    """C29: BatchNorm1d after a random linear layer fed MNIST digits. One fixed digit is put in
    ``trials`` batches with different batch-mates: in training mode its output changes with them,
    in eval mode (running averages) it does not. Then the "variance shift" of dropout placed
    before batch norm: the running variance BN learns under dropout, against the variance the
    same units have at test time, when dropout is off.
    """
    gen = deterministic(seed)
    X, _ = mnist_digits()
    X = torch.as_tensor(X[torch.randperm(len(X), generator=gen).numpy()[:2000]]).flatten(1)
    lin = nn.Linear(784, 64)
    bn = nn.BatchNorm1d(64)
    h = lin(X).detach()
    bn.train()
    for i in range(0, 2000 - batch_size, batch_size):  # learn running statistics
        bn(h[i:i + batch_size])
    one = h[:1]
    train_outs, eval_outs = [], []
    bn.eval()
    for _ in range(trials):
        mates = h[1 + torch.randperm(len(h) - 1, generator=gen)[:batch_size - 1]]
        batch = torch.cat([one, mates])
        trained = copy.deepcopy(bn).train()  # a copy: keep the running averages fixed
        train_outs.append(trained(batch)[0].detach())
        eval_outs.append(bn(batch)[0].detach())
    train_outs, eval_outs = torch.stack(train_outs), torch.stack(eval_outs)
    # Variance shift: ReLU -> Dropout(p) -> BN in training; ReLU -> BN at test.
    a = torch.relu(h)
    bn2 = nn.BatchNorm1d(64, momentum=None)  # cumulative average: the exact population stats
    drop = nn.Dropout(p)
    for i in range(0, 2000 - batch_size, batch_size):
        bn2(drop(a[i:i + batch_size]))
    test_var = a.var(0)
    ratio = (test_var / bn2.running_var.detach()).numpy()
    e1, e2 = a.mean(0), (a ** 2).mean(0)
    theory = (test_var / (e2 / (1 - p) - e1 ** 2)).numpy()
    return {"train_spread": float(train_outs.std(0).mean()),
            "eval_spread": float(eval_outs.std(0).max()),
            "train_mean_vs_eval": float((train_outs.mean(0) - eval_outs[0]).abs().mean()),
            "train_outputs": train_outs[:, :8].numpy(), "eval_outputs": eval_outs[:, :8].numpy(),
            "variance_ratio": ratio, "variance_ratio_theory": theory}


# --- C31: more randomness in training, averaged at test ------------------------------------------


@cached
def dropconnect_vs_dropout(p=0.5, n_in=64, n_out=16, draws=4000, seed=0) -> dict:
    """C31: one linear layer y = W x. Dropout zeroes inputs (one mask entry per input), DropConnect
    zeroes weights (one per weight, n_out times as many). Both with inverted scaling have mean
    output W x, the test-time layer, and the same variance per output unit; they differ in what
    the units share: under dropout all units see the same dropped inputs, so their noise is
    correlated (by sum_i W_ai W_bi x_i^2 / sqrt(...)); under DropConnect it is independent.
    Returns per method the max error of the Monte Carlo means in standard errors, the mean
    output variance against theory, and the correlation of units 0 and 1 against theory."""
    gen = deterministic(seed)
    W, x = torch.randn(n_out, n_in, generator=gen), torch.randn(n_in, generator=gen)
    keep = 1 - p
    m_in = (torch.rand(draws, n_in, generator=gen) < keep).float() / keep
    m_w = (torch.rand(draws, n_out, n_in, generator=gen) < keep).float() / keep
    y_drop = (m_in * x) @ W.T
    y_conn = torch.einsum("doi,i->do", m_w * W, x)
    test = W @ x
    var_theory = float((p / keep * (W ** 2) @ (x ** 2)).mean())
    a, b = W[0] * x, W[1] * x
    corr_theory = {"dropout": float((a @ b) / (a.norm() * b.norm())), "dropconnect": 0.0}
    res = {"draws": draws}
    for name, ys in (("dropout", y_drop), ("dropconnect", y_conn)):
        se = ys.std(0) / draws ** 0.5
        res[name] = {"max_z": float(((ys.mean(0) - test) / se).abs().max()),
                     "variance": float(ys.var(0).mean()), "variance_theory": var_theory,
                     "corr_between_units": float(np.corrcoef(ys[:, 0], ys[:, 1])[0, 1]),
                     "corr_theory": corr_theory[name]}
    res["random_numbers_per_example"] = {"dropout": n_in, "dropconnect": n_in * n_out}
    return res


@cached
def stochastic_depth(blocks=54, last_survival=0.5, draws=20000, seed=0) -> dict:
    """C31: stochastic depth's linear decay rule p_l = 1 - (l / L)(1 - p_L): survival
    probabilities, the expected number of residual blocks used per pass (exact and simulated)
    and, for linear residual blocks x + s_l f_l(x) with s_l ~ Bernoulli(p_l), the check that the
    mean output over draws equals the test network, which scales each block by p_l."""
    rng = np.random.default_rng(seed)
    l = np.arange(1, blocks + 1)
    surv = 1 - l / blocks * (1 - last_survival)
    active = rng.random((draws, blocks)) < surv
    depth = active.sum(1)
    # Linear blocks: each multiplies by (1 + s_l a_l); a_l small so the product stays tame.
    a = 0.05 * rng.standard_normal(blocks)
    outputs = np.prod(1 + active * a, axis=1)
    test = np.prod(1 + surv * a)
    return {"survival": surv, "expected_depth": float(surv.sum()), "mean_depth": float(depth.mean()),
            "depth_std": float(depth.std()), "depth_hist": np.bincount(depth, minlength=blocks + 1),
            "mc_output": float(outputs.mean()), "mc_se": float(outputs.std() / draws ** 0.5),
            "test_output": float(test), "full_depth_output": float(np.prod(1 + a))}


@cached
def fractional_pooling(ratio=0.7, draws=200, seed=0) -> dict:
    """C31: ``torch.nn.FractionalMaxPool2d`` (Graham 2014) on a 28x28 digit: each pass draws new
    pooling regions (sizes 1 and 2 mixed so the output is ratio x the input), so two passes give
    different outputs of the same size; averaging many passes is the test-time ensemble."""
    gen = deterministic(seed)
    X, _ = mnist_digits()
    x = torch.as_tensor(X[7:8])
    pool = nn.FractionalMaxPool2d(2, output_ratio=ratio)
    outs = torch.stack([pool(x)[0, 0] for _ in range(draws)])
    del gen
    diff = (outs[0] != outs[1]).float().mean()
    mean = outs.mean(0)
    return {"input": x[0, 0].numpy(), "draws": outs[:3].numpy(), "mean": mean.numpy(),
            "output_shape": tuple(outs.shape[1:]), "changed_between_passes": float(diff),
            "stable_over_passes": float((outs == outs[0]).all(0).float().mean())}


@cached
def mixup_lambdas(alphas=(0.2, 1.0, 4.0), draws=20000, seed=0) -> dict:
    """C31: Mixup's lam ~ Beta(alpha, alpha): U-shaped for alpha < 1 (most blends are nearly one
    image), uniform at 1, peaked at 1/2 above. Returns samples' histograms (20 bins on [0, 1]),
    the share within 0.1 of an end, means and variances against Beta's exact moments."""
    rng = np.random.default_rng(seed)
    out = {"alphas": list(alphas), "edges": np.linspace(0, 1, 21)}
    for a in alphas:
        lam = rng.beta(a, a, draws)
        out[a] = {"hist": np.histogram(lam, out["edges"], density=True)[0],
                  "near_ends": float(np.mean((lam < 0.1) | (lam > 0.9))),
                  "mean": float(lam.mean()), "var": float(lam.var()),
                  "var_theory": 1 / (4 * (2 * a + 1))}
    return out

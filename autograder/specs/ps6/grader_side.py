"""ps6's grader side: inputs, judges and groups. Hidden checks of assignment ps6 (chapter 6: regularization): dropout_forward,
dropout_backward, weight_penalty, random_crop_flip, cutout, mixup.

The random functions have no single right output, so no check compares draws with a reference
draw. Each check tests what every correct implementation shares: exact structure (out is x times
the mask; each crop is a crop of its own image; x_mix and y_mix use one lam and one pairing) and
statistics over many draws, judged with bounds that a correct implementation leaves with
probability below 1e-6 per check and submission (binomial tails, chi-square and
Kolmogorov-Smirnov tests; the union bound is derived at ALPHA below), never tuned to one seed.
torch provides the rules where it has them
(F.dropout's kept value, autograd gradients).

Layout of a check (see autograder/harness.py): ``_in_*`` builds plain inputs from the seed;
``_obs_*`` calls the student's function (with generators it seeds itself) and records plain
data; ``_judge_*`` decides, never calling student code.
"""
from __future__ import annotations

import math

import numpy as np

from autograder.decide.checks import FALSE_FAILURE_BOUND, Check, Group
from autograder.specs.ps6.kernel_side import (
    CROP, CUT, MIX_ALPHAS, MIX_CALLS, MIX_N, coded_images, mix_batch, obs_crop_contract,
    obs_crop_draws, obs_cutout_contract, obs_cutout_draws, obs_cutout_extent,
    obs_dropout_backward, obs_dropout_contract, obs_dropout_stats, obs_dropout_structure,
    obs_mixup_contract, obs_mixup_draws, obs_penalty_contract, obs_penalty_values)

# Each statistical test below rejects a correct implementation with probability at most ALPHA
# (exact binomial tails; chi-square, Kolmogorov-Smirnov and correlation tests at that level).
# A check runs at most 12 such tests on its one draw (dropout statistics: 3 drop rates x (one
# binomial + three correlations)), so by the union bound a correct implementation fails a check
# with probability at most 12 * ALPHA = 6e-7 <= FALSE_FAILURE_BOUND (1e-6) per submission. The
# "a position never occurred" tests add at most 15 * (14/15)**2400 < 1e-70 (crops) and
# 42 * (41/42)**3000 < 1e-29 (cutout centres).
ALPHA = FALSE_FAILURE_BOUND / 20


# ---- shared helpers ---------------------------------------------------------------------------

def _z_bound(alpha=ALPHA):
    """|Z| bound of a standard normal with two-sided tail alpha."""
    from scipy import stats

    return float(stats.norm.isf(alpha / 2))


def _binomial_ok(count, n, p, alpha=ALPHA):
    from scipy import stats

    lo, hi = stats.binom.ppf(alpha / 2, n, p), stats.binom.isf(alpha / 2, n, p)
    return lo <= count <= hi, (int(lo), int(hi))


def _chi2_uniform_ok(counts, alpha=ALPHA):
    from scipy import stats

    counts = np.asarray(counts, float)
    return stats.chisquare(counts).pvalue > alpha


def _independent_ok(table, alpha=ALPHA):
    from scipy import stats

    table = np.asarray(table, float)
    table = table[table.sum(1) > 0][:, table.sum(0) > 0]
    if min(table.shape) < 2:
        return True
    return stats.chi2_contingency(table, correction=False).pvalue > alpha


def _dtype_problem(name, arr, dtype):
    return [] if np.asarray(arr).dtype == np.dtype(dtype) else [
        f"{name} has dtype {np.asarray(arr).dtype}, expected {np.dtype(dtype)} (the input's dtype)"]


# ---- dropout_forward --------------------------------------------------------------------------

_DROP_PS = (0.1, 0.5, 0.8)
_DROP_SHAPE = (128, 256)


def _in_dropout_stats(rng):
    return {"seed": int(rng.integers(2 ** 31)), "ps": list(_DROP_PS), "shape": list(_DROP_SHAPE)}


def _judge_dropout_stats(inp, obs):
    n_rows, n_cols = inp["shape"]
    n = n_rows * n_cols
    z = _z_bound()
    for p in inp["ps"]:
        first, second = (np.asarray(a, bool) for a in obs[str(p)])
        if first.shape != (n_rows, n_cols):
            return [f"out has shape {first.shape} for x of shape {(n_rows, n_cols)}"]
        ok, (lo, hi) = _binomial_ok(int(first.sum()), n, p)
        if not ok:
            return [f"with p = {p}, {first.mean():.4f} of {n} entries were dropped; for a drop "
                    f"probability p the share must lie in [{lo / n:.4f}, {hi / n:.4f}] (is p the "
                    "probability of dropping, as in torch, not of keeping?)"]
        f = first.astype(float)
        # Correlations of independent Bernoulli entries are ~ N(0, 1/pairs).
        for what, a, b in (("neighbouring entries of one example", f[:, :-1], f[:, 1:]),
                           ("the same entry of different examples in the batch", f[:-1], f[1:]),
                           ("the same entry in two consecutive calls", f, second.astype(float))):
            r = np.corrcoef(a.ravel(), b.ravel())[0, 1]
            if not abs(r) <= z / math.sqrt(a.size):
                return [f"with p = {p}, the masks of {what} are correlated (r = {r:.3f}); every "
                        "entry of every example must be dropped independently, with a new mask "
                        "on every call"]
    return []


def _in_dropout_structure(rng):
    shape = [(6, 7), (4, 3, 5), (50,), (3, 2, 4, 4)][int(rng.integers(4))]
    p = float(rng.choice([0.2, 0.35, 0.5, 0.75]))
    return {"x": rng.normal(size=shape), "p": p, "seed": int(rng.integers(2 ** 31))}


def _kept_value(p):
    """The value torch's (inverted) dropout gives a kept 1: F.dropout(ones, p)'s non-zeros."""
    import torch

    torch.manual_seed(0)
    y = torch.nn.functional.dropout(torch.ones(4096, dtype=torch.float64), p, training=True)
    return float(y[y != 0][0])


def _judge_dropout_structure(inp, obs):
    x, p = np.asarray(inp["x"]), inp["p"]
    out, mask = np.asarray(obs["out"]), np.asarray(obs["mask"])
    if mask.shape != x.shape or out.shape != x.shape:
        return [f"out and mask must have x's shape {x.shape}; got {out.shape} and {mask.shape}"]
    kept = _kept_value(p)
    values = np.unique(mask)
    if not np.all(np.isclose(values, 0) | np.isclose(values, kept, rtol=1e-12)):
        return [f"with p = {p} the mask holds {values[:4]}...; it must hold only 0 and "
                f"1 / (1 - p) = {kept:.6g} (the value torch.nn.Dropout gives a kept entry)"]
    if not np.array_equal(out, x * mask):
        return ["out is not exactly x * mask"]
    if not np.array_equal(obs["mask_zero"], np.ones_like(x)) or not np.array_equal(obs["out_zero"], x):
        return ["with p = 0 nothing may be dropped: mask all ones, out equal to x"]
    if not obs["mask_test_is_none"]:
        return ["with train=False the mask must be None"]
    if not np.array_equal(obs["out_test"], x):
        return ["with train=False out must equal x (no scaling at test time: inverted dropout "
                "scaled in training)"]
    return []


def _in_dropout_contract(rng):
    return {"x": rng.normal(size=(5, 8)).astype(np.float32), "seed": int(rng.integers(2 ** 31))}


def _judge_dropout_contract(inp, obs):
    problems = []
    if obs["out_dtype"] != "float32" or obs["mask_dtype"] != "float32":
        problems.append(f"a float32 x gave out {obs['out_dtype']} and mask {obs['mask_dtype']}; "
                        "both must stay float32 (beware NumPy scalars such as np.float64(1 - p))")
    if not np.array_equal(obs["x_after"], inp["x"]):
        problems.append("dropout_forward modified x in place")
    for p, what in obs["errors"].items():
        if what != "ok":
            problems.append(f"p = {p} must raise ValueError (0 <= p < 1); it {what}")
    return problems


# ---- dropout_backward -------------------------------------------------------------------------

def _in_dropout_backward(rng):
    shape = [(4, 6), (3, 2, 5), (20,)][int(rng.integers(3))]
    p = float(rng.choice([0.25, 0.5, 0.6]))
    mask = (rng.random(shape) >= p) / (1 - p)
    return {"dout": rng.normal(size=shape), "mask": mask,
            "dout32": rng.normal(size=shape).astype(np.float32), "mask32": mask.astype(np.float32)}


def _judge_dropout_backward(inp, obs):
    import torch

    x = torch.zeros(np.shape(inp["dout"]), dtype=torch.float64, requires_grad=True)
    (x * torch.from_numpy(np.asarray(inp["mask"]))).backward(torch.from_numpy(np.asarray(inp["dout"])))
    expected = x.grad.numpy()
    dx = np.asarray(obs["dx"])
    if dx.shape != expected.shape or not np.allclose(dx, expected, rtol=1e-12, atol=0):
        return ["dx differs from the gradient of x * mask (autograd): it must be dout * mask"]
    if not np.array_equal(obs["dx_test"], inp["dout"]):
        return ["with mask None (test time) dx must equal dout"]
    return _dtype_problem("dx for float32 dout and mask", obs["dx32"], np.float32)


# ---- weight_penalty ---------------------------------------------------------------------------

def _in_penalty_values(rng):
    W = rng.normal(size=[(5, 4), (12,), (3, 3, 2)][int(rng.integers(3))])
    W.flat[rng.choice(W.size, size=max(1, W.size // 5), replace=False)] = 0.0  # exact zeros
    strengths = [(0.3, 0.0), (0.0, 0.2), (0.1, 0.05), (float(rng.uniform(0.01, 1)),
                                                       float(rng.uniform(0.01, 1)))]
    return {"W": W, "strengths": strengths}


def _judge_penalty_values(inp, obs):
    import torch

    for (l1, l2), r in zip(inp["strengths"], obs["results"]):
        W = torch.tensor(np.asarray(inp["W"]), requires_grad=True)
        loss = l1 * W.abs().sum() + l2 * (W ** 2).sum()  # torch: d|w|/dw = 0 at w = 0
        loss.backward()
        if not math.isclose(r["loss"], loss.item(), rel_tol=1e-10, abs_tol=1e-12):
            return [f"with l1 = {l1:g}, l2 = {l2:g} the loss is {r['loss']:.10g}, expected "
                    f"{loss.item():.10g} (l1 sum|W| + l2 sum W^2)"]
        grad = np.asarray(r["grad"])
        if grad.shape != W.shape:
            return [f"grad has shape {grad.shape}, expected W's {tuple(W.shape)}"]
        if not np.allclose(grad, W.grad.numpy(), rtol=1e-10, atol=1e-12):
            zero = np.asarray(inp["W"]) == 0
            hint = (" (at W = 0 the L1 subgradient is 0)" if not np.allclose(
                grad[zero], W.grad.numpy()[zero]) else " (the gradient of l2 W^2 is 2 l2 W)")
            return [f"with l1 = {l1:g}, l2 = {l2:g} the gradient is wrong{hint}"]
    if obs["default_loss"] != 0 or np.any(np.asarray(obs["default_grad"]) != 0):
        return ["with the defaults l1 = l2 = 0 the loss and gradient must be 0"]
    return []


def _in_penalty_contract(rng):
    return {"W": rng.normal(size=(4, 5)).astype(np.float32)}


def _judge_penalty_contract(inp, obs):
    problems = []
    if obs["grad_dtype"] != "float32":
        problems.append(f"a float32 W gave a {obs['grad_dtype']} gradient; keep W's dtype")
    if not np.array_equal(obs["W_after"], inp["W"]):
        problems.append("weight_penalty modified W in place")
    for args, what in obs["errors"].items():
        if what != "ok":
            problems.append(f"{args} must raise ValueError (strengths are >= 0); it {what}")
    return problems


# ---- random_crop_flip -------------------------------------------------------------------------



def _in_crop_draws(rng):
    return {"seed": int(rng.integers(2 ** 31)), **CROP}


def _decode_crops(inp, out):
    """Per image (row, column, flipped) of its crop, or a message for the first bad one."""
    n, c, h, w, s = (inp[k] for k in ("n", "c", "h", "w", "size"))
    if out.shape != (n, c, s, s):
        return None, f"the output has shape {out.shape}, expected {(n, c, s, s)}"
    images = coded_images(n, c, h, w)
    found = []
    for k in range(n):
        v = out[k, 0, 0, 0] - images[k, 0, 0, 0]  # offset of the top-left pixel in image k
        i, j = int(v // w), int(v % w)
        for flipped, jj in ((False, j), (True, j - s + 1)):
            if 0 <= i <= h - s and 0 <= jj <= w - s:
                crop = images[k, :, i:i + s, jj:jj + s]
                if np.array_equal(out[k], crop[..., ::-1] if flipped else crop):
                    found.append((i, jj, flipped))
                    break
        else:
            return None, (f"output {k} is not a {s}x{s} crop of image {k}, plain or mirrored "
                          "left-right (a crop of another image, mirrored upside down, or "
                          "resampled?)")
    return np.array(found, dtype=int), None


def _judge_crop_positions(inp, obs):
    found, problem = _decode_crops(inp, np.asarray(obs["out"]))
    if problem:
        return [problem]
    h, w, s, n = inp["h"], inp["w"], inp["size"], inp["n"]
    rows, cols = found[:, 0], found[:, 1]
    counts = np.zeros((h - s + 1, w - s + 1), int)
    np.add.at(counts, (rows, cols), 1)
    if counts.min() == 0:
        missing = [tuple(int(v) for v in ij) for ij in np.argwhere(counts == 0)][:3]
        return [f"over {n} crops the corner positions {missing} never occurred; the corner must "
                f"be uniform over rows 0..{h - s} and columns 0..{w - s}, both ends included"]
    if not _chi2_uniform_ok(counts.ravel()):
        return [f"over {n} crops the corner positions are far from uniform (counts per row "
                f"{counts.sum(1).tolist()}, per column {counts.sum(0).tolist()})"]
    if not _independent_ok(counts):
        return ["the corner's row and column are not drawn independently"]
    return []


def _judge_crop_flips(inp, obs):
    found, problem = _decode_crops(inp, np.asarray(obs["out"]))
    if problem:
        return [problem]
    n = inp["n"]
    flips = int(found[:, 2].sum())
    ok, (lo, hi) = _binomial_ok(flips, n, 0.5)
    if not ok:
        return [f"{flips} of {n} crops were mirrored; with probability 1/2 per image the count "
                f"must lie in [{lo}, {hi}]"]
    runs = np.sum(found[1:, 2] == found[:-1, 2])  # a coin per image: neighbours agree half the time
    ok, (lo, hi) = _binomial_ok(int(runs), n - 1, 0.5)
    if not ok:
        return ["consecutive images are mirrored together far too often: each image needs its "
                "own coin flip"]
    return []


def _in_crop_contract(rng):
    return {"images": rng.random((3, 2, 5, 7)).astype(np.float32), "seed": int(rng.integers(2 ** 31))}


def _judge_crop_contract(inp, obs):
    images = np.asarray(inp["images"])
    problems = []
    full = np.asarray(obs["full"])
    if full.shape != (3, 2, 5, 5):
        problems.append(f"size 5 of 5x7 images gave shape {full.shape}, expected (3, 2, 5, 5)")
    else:
        for k in range(3):
            options = [images[k, :, :, j:j + 5] for j in range(3)]
            if not any(np.array_equal(full[k], o) or np.array_equal(full[k], o[..., ::-1])
                       for o in options):
                problems.append("with size == H every crop must span all rows (row offset 0)")
                break
    if obs["small_shape"] != [3, 2, 2, 2] or obs["small_dtype"] != "float32":
        problems.append(f"size 2 on float32 images gave shape {obs['small_shape']} and dtype "
                        f"{obs['small_dtype']}, expected [3, 2, 2, 2] float32")
    if not np.array_equal(obs["images_after"], inp["images"]):
        problems.append("random_crop_flip modified images in place")
    for what, how in obs["errors"].items():
        if how != "ok":
            problems.append(f"{'size ' + what if what.isdigit() else what} must raise ValueError; it {how}")
    return problems


# ---- cutout -----------------------------------------------------------------------------------

def _square(h, w, size, ci, cj):
    m = np.zeros((h, w), bool)
    m[max(0, ci - size // 2):ci - size // 2 + size, max(0, cj - size // 2):cj - size // 2 + size] = True
    return m


def _decode_squares(zero, size):
    """(ci, cj) per image whose square is exactly the zero pattern, or None where none fits."""
    n, h, w = zero.shape
    table = {(ci, cj): _square(h, w, size, ci, cj) for ci in range(h) for cj in range(w)}
    keys = {k: v.tobytes() for k, v in table.items()}
    lookup = {}
    for k, b in keys.items():
        lookup.setdefault(b, k)
    return [lookup.get(z.tobytes()) for z in zero]




def _in_cutout_draws(rng):
    return {"seed": int(rng.integers(2 ** 31)), **CUT}


def _judge_cutout_centres(inp, obs):
    zero = np.asarray(obs["zero"], bool)
    n, h, w, size = inp["n"], inp["h"], inp["w"], inp["size"]
    if not obs["ones_elsewhere"]:
        return ["pixels outside the square changed value"]
    if not np.all(zero == zero[:, :1]):
        return ["the zeroed square must be the same in every channel"]
    centres = _decode_squares(zero[:, 0], size)
    bad = [k for k, c in enumerate(centres) if c is None]
    if bad:
        rows = np.flatnonzero(zero[bad[0], 0].any(1)).tolist()
        cols = np.flatnonzero(zero[bad[0], 0].any(0)).tolist()
        return [f"image {bad[0]}: the zeroed pixels (rows {rows}, columns {cols}) are not the "
                f"{size}x{size} square around any centre, clipped at the borders"]
    counts = np.zeros((h, w), int)
    for ci, cj in centres:
        counts[ci, cj] += 1
    if counts.min() == 0:
        missing = [tuple(int(v) for v in ij) for ij in np.argwhere(counts == 0)][:3]
        return [f"over {n} images the centres {missing} never occurred; the centre must be "
                "uniform over all pixels, borders included (the square is then clipped)"]
    if not _chi2_uniform_ok(counts.ravel()):
        return [f"over {n} images the centres are far from uniform over the pixels (per row "
                f"{counts.sum(1).tolist()}, per column {counts.sum(0).tolist()})"]
    if not _independent_ok(counts):
        return ["the centre's row and column are not drawn independently"]
    same = sum(centres[k] == centres[k + 1] for k in range(n - 1))
    ok, (lo, hi) = _binomial_ok(same, n - 1, 1 / (h * w))
    if not ok:
        return ["consecutive images got the same square far too often: each image needs its own"]
    return []


def _in_cutout_extent(rng):
    return {"seed": int(rng.integers(2 ** 31))}


def _judge_cutout_extent(inp, obs):
    for s in (1, 2, 4, 20):
        zero = np.asarray(obs[str(s)], bool)
        if zero.shape != (400, 6, 5):
            return [f"size {s}: the output has the wrong shape"]
        centres = _decode_squares(zero, s)
        if any(c is None for c in centres):
            k = next(i for i, c in enumerate(centres) if c is None)
            rows = np.flatnonzero(zero[k].any(1)).tolist()
            cols = np.flatnonzero(zero[k].any(0)).tolist()
            return [f"size {s}: image {k} has rows {rows} and columns {cols} zeroed; the square "
                    f"covers rows max(0, ci - {s // 2}) to ci - {s // 2} + {s} (exclusive), "
                    "clipped, and the same for columns"]
    return []


def _in_cutout_contract(rng):
    return {"images": (rng.random((4, 3, 6, 6)) + 0.5).astype(np.float32), "seed": int(rng.integers(2 ** 31))}


def _judge_cutout_contract(inp, obs):
    images, out = np.asarray(inp["images"]), np.asarray(obs["out"])
    problems = _dtype_problem("the output for float32 images", out, np.float32)
    if out.shape == images.shape:
        kept = out != 0
        if not np.array_equal(out[kept], images[kept]):
            problems.append("pixels outside the square changed")
    else:
        problems.append(f"the output has shape {out.shape}, expected {images.shape}")
    if not np.array_equal(obs["images_after"], inp["images"]):
        problems.append("cutout modified images in place (it must return a copy)")
    for what, how in obs["errors"].items():
        if how != "ok":
            problems.append(f"{what} must raise ValueError; it {how}")
    return problems


# ---- mixup ------------------------------------------------------------------------------------


def _in_mixup_draws(rng):
    return {"seed": int(rng.integers(2 ** 31))}


def _judge_mixup_lambda(inp, obs):
    from scipy import stats

    for alpha in MIX_ALPHAS:
        lam = np.asarray(obs[str(alpha)]["lam"])
        if np.any((lam < 0) | (lam > 1)):
            return [f"lam must lie in [0, 1]; got {lam[(lam < 0) | (lam > 1)][0]}"]
        p = stats.kstest(lam, stats.beta(alpha, alpha).cdf).pvalue
        if p < ALPHA:
            near = np.mean((lam < 0.1) | (lam > 0.9))
            return [f"with alpha = {alpha}, {MIX_CALLS} values of lam are not distributed as "
                    f"Beta(alpha, alpha) ({near:.0%} within 0.1 of 0 or 1; Beta gives "
                    f"{2 * stats.beta.cdf(0.1, alpha, alpha):.0%})"]
    return []


def _partners(y_mix, lam):
    """The partner of each example, read from its label row (class k = example k)."""
    partner = []
    for k, row in enumerate(y_mix):
        other = row.copy()
        other[k] -= lam
        j = int(np.argmax(other))
        partner.append(j if other[j] > 1e-9 else k)
    return partner


def _judge_mixup_pairing(inp, obs):
    x, y = mix_batch()
    first = np.zeros(MIX_N, int)
    for alpha in MIX_ALPHAS:
        r = obs[str(alpha)]
        for lam, xm, ym in zip(r["lam"], r["x_mix"], r["y_mix"]):
            xm, ym = np.asarray(xm), np.asarray(ym)
            if xm.shape != x.shape or ym.shape != y.shape:
                return [f"x_mix and y_mix must keep the shapes {x.shape} and {y.shape}"]
            if min(lam, 1 - lam) < 1e-6:
                continue  # nothing blended: the pairing cannot be read
            pi = _partners(ym, lam)
            if sorted(pi) != list(range(MIX_N)):
                return ["y_mix is not lam * y + (1 - lam) * y[pi] for one permutation pi and the "
                        "returned lam (one lam for the whole batch, labels mixed the same way)"]
            if not np.allclose(ym, lam * y + (1 - lam) * y[pi], atol=1e-9):
                return ["y_mix is not lam * y + (1 - lam) * y[pi] with the returned lam"]
            if not np.allclose(xm, lam * x + (1 - lam) * x[pi], rtol=1e-9, atol=1e-9):
                return ["x_mix is not lam * x + (1 - lam) * x[pi] with the same lam and the same "
                        "permutation as y_mix"]
            first[pi[0]] += 1
    if not _chi2_uniform_ok(first):
        return [f"example 0 was paired with examples 0..{MIX_N - 1} {first.tolist()} times; a "
                "uniformly random permutation pairs it with each equally often"]
    return []


def _in_mixup_contract(rng):
    return {"x": rng.random((5, 2, 3)).astype(np.float32),
            "y": np.eye(5, dtype=np.float32)[rng.permutation(5)], "seed": int(rng.integers(2 ** 31))}


def _judge_mixup_contract(inp, obs):
    problems = []
    if obs["x_dtype"] != "float32" or obs["y_dtype"] != "float32":
        problems.append(f"float32 inputs gave x_mix {obs['x_dtype']} and y_mix {obs['y_dtype']}; "
                        "keep the inputs' dtypes (a NumPy float64 lam promotes them)")
    if not obs["lam_is_number"]:
        problems.append("lam must be a number (a Python float)")
    if not (np.array_equal(obs["x_after"], inp["x"]) and np.array_equal(obs["y_after"], inp["y"])):
        problems.append("mixup modified x or y in place")
    for what, how in obs["errors"].items():
        if how != "ok":
            problems.append(f"{what} must raise ValueError; it {how}")
    return problems


# ---- groups -----------------------------------------------------------------------------------

def _check(function, about, inputs, observe, judge, seeds=(0, 1, 2), sweep=200):
    """``sweep``: the seed sweep's keys; 5-10 for the statistical checks (thousands of calls
    per key; a correct function fails them with probability at most 6e-7, derived at ALPHA)."""
    return Check(function=function, about=about, inputs=inputs, observe=observe, judge=judge,
                 seeds=seeds, sweep=sweep)


GROUPS = [
    Group("dropout_forward.statistics", 3, checks=(
        _check("dropout_forward", "the share of dropped entries for several p, independence "
               "across entries, examples and calls", _in_dropout_stats, obs_dropout_stats,
               _judge_dropout_stats, seeds=(0,), sweep=5),
    )),
    Group("dropout_forward.structure", 2, checks=(
        _check("dropout_forward", "mask values 0 and 1/(1-p) as torch's dropout, out = x * mask, "
               "p = 0, test mode", _in_dropout_structure, obs_dropout_structure,
               _judge_dropout_structure, seeds=(0, 1, 2, 3), sweep=20),
    )),
    Group("dropout_forward.contract", 1, checks=(
        _check("dropout_forward", "dtype kept, x unchanged, invalid p rejected",
               _in_dropout_contract, obs_dropout_contract, _judge_dropout_contract, seeds=(0,)),
    )),
    Group("dropout_backward.gradient", 2, checks=(
        _check("dropout_backward", "the gradient of x * mask, test time, dtype",
               _in_dropout_backward, obs_dropout_backward, _judge_dropout_backward),
    )),
    Group("weight_penalty.values", 3, checks=(
        _check("weight_penalty", "loss and gradient against autograd, exact zeros in W, each "
               "penalty alone, the defaults", _in_penalty_values, obs_penalty_values,
               _judge_penalty_values),
    )),
    Group("weight_penalty.contract", 1, checks=(
        _check("weight_penalty", "dtype kept, W unchanged, negative strengths rejected",
               _in_penalty_contract, obs_penalty_contract, _judge_penalty_contract, seeds=(0,)),
    )),
    Group("random_crop_flip.positions", 3, checks=(
        _check("random_crop_flip", "every output a crop of its own image; corners uniform over "
               "all valid positions, rows and columns independent", _in_crop_draws,
               obs_crop_draws, _judge_crop_positions, seeds=(0,), sweep=10),
    )),
    Group("random_crop_flip.flips", 1, checks=(
        _check("random_crop_flip", "left-right mirroring with probability 1/2 per image",
               _in_crop_draws, obs_crop_draws, _judge_crop_flips, seeds=(1,), sweep=10),
    )),
    Group("random_crop_flip.contract", 1, checks=(
        _check("random_crop_flip", "size equal to the height, shape and dtype, images "
               "unchanged, invalid sizes rejected", _in_crop_contract, obs_crop_contract,
               _judge_crop_contract, seeds=(0,)),
    )),
    Group("cutout.centres", 3, checks=(
        _check("cutout", "one square per image in every channel; centres uniform over all "
               "pixels, borders included", _in_cutout_draws, obs_cutout_draws,
               _judge_cutout_centres, seeds=(0,), sweep=10),
    )),
    Group("cutout.extent", 1, checks=(
        _check("cutout", "the exact extent of the square for sizes 1, 2, 4 and larger than the "
               "image", _in_cutout_extent, obs_cutout_extent, _judge_cutout_extent, seeds=(0,),
               sweep=20),
    )),
    Group("cutout.contract", 1, checks=(
        _check("cutout", "dtype kept, a copy returned, invalid arguments rejected",
               _in_cutout_contract, obs_cutout_contract, _judge_cutout_contract, seeds=(0,)),
    )),
    Group("mixup.lambda", 2, checks=(
        _check("mixup", "lam ~ Beta(alpha, alpha) for alpha = 0.2 and 5", _in_mixup_draws,
               obs_mixup_draws, _judge_mixup_lambda, seeds=(0,), sweep=5),
    )),
    Group("mixup.pairing", 2, checks=(
        _check("mixup", "one lam and one uniformly random permutation shared by x and y",
               _in_mixup_draws, obs_mixup_draws, _judge_mixup_pairing, seeds=(1,), sweep=5),
    )),
    Group("mixup.contract", 1, checks=(
        _check("mixup", "dtypes kept, inputs unchanged, invalid alpha and lengths rejected",
               _in_mixup_contract, obs_mixup_contract, _judge_mixup_contract, seeds=(0,)),
    )),
]

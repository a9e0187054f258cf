"""ps6's observe stage: the only spec code that runs beside the student's, inside the sandbox.

Copied into the kernel as is: nothing here computes an expected value or decides. Each
``obs_*(fn, inp)`` seeds its own numpy Generator from the plain inputs, calls the student's
function and records what came back, and the inputs as they were left afterwards (a function
must not modify its arguments), as plain data.
"""
from __future__ import annotations

import numpy as np

from autograder.kernel_side.plaindata import UnusableResult, as_array

CROP = {"n": 2400, "c": 2, "h": 6, "w": 8, "size": 4}
CUT = {"n": 3000, "c": 2, "h": 7, "w": 6, "size": 3}
MIX_N, MIX_CALLS, MIX_ALPHAS = 6, 1500, (0.2, 5.0)


def _pair(out, what, first, second):
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise UnusableResult(f"{what} should return a pair ({first}, {second}), "
                             f"got {type(out).__name__}")
    return out


def _raises_value_error(call):
    """'ok', or what happened instead of a ValueError."""
    try:
        call()
    except ValueError:
        return "ok"
    except Exception as exc:
        return f"raised {type(exc).__name__} instead of ValueError"
    return "raised nothing"


def coded_images(n, c, h, w):
    """Images whose every pixel value is unique: image k, channel ch, row i, column j."""
    return np.arange(n * c * h * w, dtype=np.float64).reshape(n, c, h, w) + 1.0


def mix_batch():
    """Inputs with distinct rows and one-hot labels where example k has class k."""
    return np.arange(MIX_N * 3, dtype=np.float64).reshape(MIX_N, 3) * 10 + 1, np.eye(MIX_N)

def obs_dropout_stats(fn, inp):
    rng = np.random.default_rng(inp["seed"])
    x = np.ones(inp["shape"])
    out = {}
    for p in inp["ps"]:
        calls = []
        for _ in range(2):  # two calls in a row: each must draw a fresh mask
            o, mask = _pair(fn(x, p, True, rng), "dropout_forward", "out", "mask")
            calls.append(as_array(o, "out") == 0)
        out[str(p)] = calls
    return out


def obs_dropout_structure(fn, inp):
    rng = np.random.default_rng(inp["seed"])
    out, mask = _pair(fn(inp["x"], inp["p"], True, rng), "dropout_forward", "out", "mask")
    out_zero, mask_zero = _pair(fn(inp["x"], 0.0, True, rng), "dropout_forward", "out", "mask")
    out_test, mask_test = _pair(fn(inp["x"], inp["p"], False, rng), "dropout_forward", "out", "mask")
    return {"out": as_array(out, "out"), "mask": as_array(mask, "mask"),
            "out_zero": as_array(out_zero, "out with p = 0"),
            "mask_zero": as_array(mask_zero, "mask with p = 0"),
            "out_test": as_array(out_test, "out with train=False"),
            "mask_test_is_none": mask_test is None}


def obs_dropout_contract(fn, inp):
    x = inp["x"]
    rng = np.random.default_rng(inp["seed"])
    out, mask = _pair(fn(x, 0.3, True, rng), "dropout_forward", "out", "mask")
    errors = {str(p): _raises_value_error(lambda p=p: fn(x.copy(), p, True, rng))
              for p in (1.0, -0.1, 1.5)}
    return {"out_dtype": str(as_array(out, "out").dtype), "mask_dtype": str(as_array(mask, "mask").dtype),
            "x_after": as_array(x, "x after the call"), "errors": errors}


def obs_dropout_backward(fn, inp):
    return {"dx": as_array(fn(inp["dout"], inp["mask"]), "dx"),
            "dx_test": as_array(fn(inp["dout"], None), "dx with mask None"),
            "dx32": as_array(fn(inp["dout32"], inp["mask32"]), "dx (float32)")}


def obs_penalty_values(fn, inp):
    results = []
    for l1, l2 in inp["strengths"]:
        loss, grad = _pair(fn(inp["W"], l1=l1, l2=l2), "weight_penalty", "loss", "grad")
        if not isinstance(loss, (int, float, np.floating)):
            raise UnusableResult(f"loss should be a number, got {type(loss).__name__}")
        results.append({"loss": float(loss), "grad": as_array(grad, "grad")})
    loss0, grad0 = _pair(fn(inp["W"]), "weight_penalty", "loss", "grad")
    return {"results": results, "default_loss": float(loss0), "default_grad": as_array(grad0, "grad")}


def obs_penalty_contract(fn, inp):
    W = inp["W"]
    _, grad = _pair(fn(W, l1=0.1, l2=0.3), "weight_penalty", "loss", "grad")
    errors = {f"l1={a}, l2={b}": _raises_value_error(lambda a=a, b=b: fn(W.copy(), l1=a, l2=b))
              for a, b in ((-0.1, 0.0), (0.0, -1.0))}
    return {"grad_dtype": str(as_array(grad, "grad").dtype), "W_after": as_array(W, "W after the call"),
            "errors": errors}


def obs_crop_draws(fn, inp):
    images = coded_images(inp["n"], inp["c"], inp["h"], inp["w"])
    out = as_array(fn(images, inp["size"], np.random.default_rng(inp["seed"])), "the crops")
    return {"out": out}


def obs_crop_contract(fn, inp):
    images = inp["images"]
    rng = np.random.default_rng(inp["seed"])
    full = as_array(fn(images, 5, rng), "crops with size == H")
    small = as_array(fn(images, 2, rng), "crops")
    errors = {str(s): _raises_value_error(lambda s=s: fn(images.copy(), s, rng)) for s in (0, 6)}
    errors["3-D images"] = _raises_value_error(lambda: fn(images[0].copy(), 2, rng))
    return {"full": full, "small_dtype": str(small.dtype), "small_shape": list(small.shape),
            "images_after": as_array(images, "images after the call"), "errors": errors}


def obs_cutout_draws(fn, inp):
    images = np.ones((inp["n"], inp["c"], inp["h"], inp["w"]))
    out = as_array(fn(images, inp["size"], np.random.default_rng(inp["seed"])), "the output")
    if out.shape != images.shape:
        raise UnusableResult(f"the output has shape {out.shape}, expected {images.shape}")
    return {"zero": out == 0, "ones_elsewhere": bool(np.all((out == 0) | (out == 1)))}


def obs_cutout_extent(fn, inp):
    rng = np.random.default_rng(inp["seed"])
    images = np.ones((400, 1, 6, 5))
    return {str(s): as_array(fn(images, s, rng), f"the output with size {s}")[:, 0] == 0
            for s in (1, 2, 4, 20)}


def obs_cutout_contract(fn, inp):
    images = inp["images"]
    rng = np.random.default_rng(inp["seed"])
    out = as_array(fn(images, 3, rng), "the output")
    errors = {"size 0": _raises_value_error(lambda: fn(images.copy(), 0, rng)),
              "3-D images": _raises_value_error(lambda: fn(images[0].copy(), 3, rng))}
    return {"out": out, "images_after": as_array(images, "images after the call"), "errors": errors}


def obs_mixup_draws(fn, inp):
    rng = np.random.default_rng(inp["seed"])
    x, y = mix_batch()
    out = {}
    for alpha in MIX_ALPHAS:
        lams, xs, ys = [], [], []
        for _ in range(MIX_CALLS):
            r = fn(x, y, alpha, rng)
            if not isinstance(r, (tuple, list)) or len(r) != 3:
                raise UnusableResult(f"mixup should return (x_mix, y_mix, lam), got {type(r).__name__}")
            lams.append(float(r[2]))
            xs.append(as_array(r[0], "x_mix"))
            ys.append(as_array(r[1], "y_mix"))
        out[str(alpha)] = {"lam": np.array(lams), "x_mix": np.array(xs), "y_mix": np.array(ys)}
    return out


def obs_mixup_contract(fn, inp):
    x, y = inp["x"], inp["y"]
    rng = np.random.default_rng(inp["seed"])
    r = fn(x, y, 0.4, rng)
    if not isinstance(r, (tuple, list)) or len(r) != 3:
        raise UnusableResult(f"mixup should return (x_mix, y_mix, lam), got {type(r).__name__}")
    errors = {"alpha = 0": _raises_value_error(lambda: fn(x.copy(), y.copy(), 0.0, rng)),
              "alpha = -1": _raises_value_error(lambda: fn(x.copy(), y.copy(), -1.0, rng)),
              "x and y of different lengths": _raises_value_error(lambda: fn(x.copy(), y[:4].copy(), 0.4, rng))}
    return {"x_dtype": str(as_array(r[0], "x_mix").dtype), "y_dtype": str(as_array(r[1], "y_mix").dtype),
            "lam_is_number": isinstance(r[2], (float, np.floating)),
            "x_after": as_array(x, "x after the call"), "y_after": as_array(y, "y after the call"),
            "errors": errors}

"""Variants of extract_features(model, x): model.features(x) flattened to (N, F), in eval mode,
under torch.no_grad(), the model's training flag restored."""
import torch


def wrong_train_mode(model, x):
    """Computes the features in train mode (batch statistics, dropout on)."""
    with torch.no_grad():
        return model.features(x).flatten(1)


def wrong_mode_not_restored(model, x):
    """Leaves the model in eval mode afterwards."""
    model.eval()
    with torch.no_grad():
        return model.features(x).flatten(1)


def wrong_always_back_to_train(model, x):
    """Puts the model in train mode afterwards, whatever it was before."""
    model.eval()
    with torch.no_grad():
        out = model.features(x).flatten(1)
    model.train()
    return out


def wrong_with_grad(model, x):
    """Eval mode, but builds an autograd graph (the result requires grad)."""
    was = model.training
    model.eval()
    out = model.features(x).flatten(1)
    model.train(was)
    return out


def wrong_batchnorm_in_train_mode(model, x):
    """Turns off dropout only: batch norm still normalises with batch statistics."""
    was = model.training
    model.eval()
    for m in model.features.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.train()
    with torch.no_grad():
        out = model.features(x).flatten(1)
    model.train(was)
    return out


def wrong_features_eval_only_dropout_on(model, x):
    """Keeps batch norm in eval mode but dropout on."""
    was = model.training
    model.eval()
    for m in model.features.modules():
        if isinstance(m, torch.nn.Dropout):
            m.train()
    with torch.no_grad():
        out = model.features(x).flatten(1)
    model.train(was)
    return out


def correct_inference_mode(model, x):
    """Uses torch.inference_mode and reshape, restoring the mode with model.train(flag)."""
    flag = model.training
    model.train(False)
    with torch.inference_mode():
        out = model.features(x).reshape(len(x), -1)
    model.train(flag)
    return out.clone()

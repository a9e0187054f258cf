"""Variants of train_step(model, optimizer, x, y): zero_grad, train mode, cross-entropy,
backward, step; returns the loss as a float."""
import torch
import torch.nn.functional as F


def wrong_gradients_not_zeroed(model, optimizer, x, y):
    """Never zeroes the gradients: they accumulate from earlier backward passes."""
    model.train()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def wrong_zeroed_after_backward(model, optimizer, x, y):
    """Zeroes the gradients between backward and step: the step uses nothing."""
    model.train()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def wrong_eval_mode(model, optimizer, x, y):
    """Runs the forward pass in eval mode."""
    optimizer.zero_grad()
    model.eval()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def wrong_summed_loss(model, optimizer, x, y):
    """Sums the cross-entropy over the batch instead of averaging it."""
    optimizer.zero_grad()
    model.train()
    loss = F.cross_entropy(model(x), y, reduction="sum")
    loss.backward()
    optimizer.step()
    return loss.item()


def wrong_returns_tensor(model, optimizer, x, y):
    """Returns the loss tensor instead of a float."""
    optimizer.zero_grad()
    model.train()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.detach()


def correct_model_zero_grad_and_log_softmax(model, optimizer, x, y):
    """Zeroes through every parameter (set_to_none) and writes the loss as nll of log_softmax."""
    for group in optimizer.param_groups:
        for p in group["params"]:
            p.grad = None
    model.train(True)
    loss = F.nll_loss(F.log_softmax(model(x), dim=1), y)
    loss.backward()
    optimizer.step()
    return float(loss.detach())

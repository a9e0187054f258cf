"""Variants of make_optimizer(model, head_lr, backbone_lr, momentum=0.9): SGD with the head at
head_lr and, if any, the trainable backbone parameters at backbone_lr."""
import torch


def wrong_one_learning_rate(model, head_lr, backbone_lr, momentum=0.9):
    """One group: every trainable parameter at head_lr."""
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=head_lr,
                           momentum=momentum)


def wrong_rates_swapped(model, head_lr, backbone_lr, momentum=0.9):
    """The head at backbone_lr, the backbone at head_lr."""
    groups = [{"params": list(model.head.parameters()), "lr": backbone_lr}]
    body = [p for p in model.features.parameters() if p.requires_grad]
    if body:
        groups.append({"params": body, "lr": head_lr})
    return torch.optim.SGD(groups, lr=head_lr, momentum=momentum)


def wrong_frozen_parameters_included(model, head_lr, backbone_lr, momentum=0.9):
    """Always adds every backbone parameter, frozen or not."""
    return torch.optim.SGD([{"params": list(model.head.parameters()), "lr": head_lr},
                            {"params": list(model.features.parameters()), "lr": backbone_lr}],
                           lr=head_lr, momentum=momentum)


def wrong_no_momentum(model, head_lr, backbone_lr, momentum=0.9):
    """Ignores momentum."""
    groups = [{"params": list(model.head.parameters()), "lr": head_lr}]
    body = [p for p in model.features.parameters() if p.requires_grad]
    if body:
        groups.append({"params": body, "lr": backbone_lr})
    return torch.optim.SGD(groups, lr=head_lr)


def wrong_backbone_first(model, head_lr, backbone_lr, momentum=0.9):
    """Puts the backbone group first."""
    groups = []
    body = [p for p in model.features.parameters() if p.requires_grad]
    if body:
        groups.append({"params": body, "lr": backbone_lr})
    groups.append({"params": list(model.head.parameters()), "lr": head_lr})
    return torch.optim.SGD(groups, lr=head_lr, momentum=momentum)


def wrong_weight_decay(model, head_lr, backbone_lr, momentum=0.9):
    """Adds weight decay 1e-4 (the docstring says SGD's defaults otherwise)."""
    groups = [{"params": list(model.head.parameters()), "lr": head_lr}]
    body = [p for p in model.features.parameters() if p.requires_grad]
    if body:
        groups.append({"params": body, "lr": backbone_lr})
    return torch.optim.SGD(groups, lr=head_lr, momentum=momentum, weight_decay=1e-4)


def correct_add_param_group(model, head_lr, backbone_lr, momentum=0.9):
    """Builds the head's optimizer, then add_param_group for the backbone."""
    opt = torch.optim.SGD(model.head.parameters(), lr=head_lr, momentum=momentum)
    body = list(filter(lambda p: p.requires_grad, model.features.parameters()))
    if len(body) > 0:
        opt.add_param_group({"params": body, "lr": backbone_lr})
    return opt

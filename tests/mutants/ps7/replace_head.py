"""Variants of replace_head(model, num_classes, seed): model.head = nn.Linear(in_features,
num_classes) created right after torch.manual_seed(seed); the backbone untouched."""
import torch
from torch import nn


def wrong_backbone_reinitialised(model, num_classes, seed):
    """Re-initialises the backbone's layers together with the new head."""
    torch.manual_seed(seed)
    for layer in model.features:
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
    model.head = nn.Linear(model.head.in_features, num_classes)
    return model


def wrong_seeded_after_creation(model, num_classes, seed):
    """Seeds after creating the layer: the head's initial values are not the seeded ones."""
    model.head = nn.Linear(model.head.in_features, num_classes)
    torch.manual_seed(seed)
    return model


def wrong_keeps_old_classes(model, num_classes, seed):
    """Re-initialises the old head in place: still one output per source class."""
    torch.manual_seed(seed)
    model.head.reset_parameters()
    return model


def wrong_copies_the_model(model, num_classes, seed):
    """Returns a deep copy with the new head: the backbone tensors are not the same objects."""
    import copy

    new = copy.deepcopy(model)
    torch.manual_seed(seed)
    new.head = nn.Linear(new.head.in_features, num_classes)
    return new


def wrong_no_bias(model, num_classes, seed):
    """Creates the head without a bias."""
    torch.manual_seed(seed)
    model.head = nn.Linear(model.head.in_features, num_classes, bias=False)
    return model


def correct_weight_shape(model, num_classes, seed):
    """Reads in_features from the old weight's shape and uses setattr."""
    features = model.head.weight.shape[1]
    torch.manual_seed(seed)
    setattr(model, "head", nn.Linear(features, num_classes))
    return model

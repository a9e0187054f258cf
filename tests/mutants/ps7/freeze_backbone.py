"""Variants of freeze_backbone(model): requires_grad False for every parameter of
model.features, True for every parameter of model.head."""


def wrong_backbone_left_trainable(model):
    """Only makes the head trainable; the backbone keeps its flags."""
    for p in model.head.parameters():
        p.requires_grad = True
    return model


def wrong_freezes_everything(model):
    """Freezes the head too."""
    for p in model.parameters():
        p.requires_grad = False
    return model


def wrong_first_layer_only(model):
    """Freezes only the first convolution."""
    for p in model.features[0].parameters():
        p.requires_grad = False
    for p in model.head.parameters():
        p.requires_grad = True
    return model


def wrong_head_flags_untouched(model):
    """Freezes the backbone but leaves the head as it was (frozen, if it was)."""
    for p in model.features.parameters():
        p.requires_grad = False
    return model


def wrong_eval_mode_instead(model):
    """Puts the backbone in eval mode instead of freezing its parameters."""
    model.features.eval()
    for p in model.head.parameters():
        p.requires_grad = True
    return model


def correct_requires_grad_(model):
    """Uses Module.requires_grad_ on both parts."""
    model.features.requires_grad_(False)
    model.head.requires_grad_(True)
    return model


def correct_by_name(model):
    """Walks named_parameters and decides by the name's prefix."""
    for name, p in model.named_parameters():
        p.requires_grad = not name.startswith("features.")
    return model

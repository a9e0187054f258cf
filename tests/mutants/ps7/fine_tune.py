"""Variants of fine_tune(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed): the
docstring's loop over seeded permutations, with make_optimizer and train_step."""
import torch


def wrong_one_learning_rate(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed):
    """Trains every parameter at head_lr."""
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=head_lr,
                                momentum=0.9)
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(y), generator=generator)
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            train_step(model, optimizer, x[idx], y[idx])
    return model


def wrong_no_shuffle(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed):
    """Takes the minibatches in the data's order every epoch."""
    optimizer = make_optimizer(model, head_lr, backbone_lr)
    torch.manual_seed(seed)
    for _ in range(epochs):
        for start in range(0, len(y), batch_size):
            train_step(model, optimizer, x[start:start + batch_size], y[start:start + batch_size])
    return model


def wrong_new_optimizer_every_epoch(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed):
    """Makes a new optimizer each epoch (the momentum buffers restart)."""
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    for _ in range(epochs):
        optimizer = make_optimizer(model, head_lr, backbone_lr)
        order = torch.randperm(len(y), generator=generator)
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            train_step(model, optimizer, x[idx], y[idx])
    return model


def wrong_drops_last_batch(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed):
    """Skips the last, smaller minibatch of each epoch."""
    optimizer = make_optimizer(model, head_lr, backbone_lr)
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(y), generator=generator)
        for start in range(0, len(y) - batch_size + 1, batch_size):
            idx = order[start:start + batch_size]
            train_step(model, optimizer, x[idx], y[idx])
    return model


def wrong_unfreezes_backbone(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed):
    """Makes every parameter trainable before training (ignores freeze_backbone)."""
    for p in model.parameters():
        p.requires_grad_(True)
    optimizer = make_optimizer(model, head_lr, backbone_lr)
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(len(y), generator=generator)
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            train_step(model, optimizer, x[idx], y[idx])
    return model


def correct_split_batches(model, x, y, epochs, batch_size, head_lr, backbone_lr, seed):
    """Splits the permutation with torch.split and counts epochs with a while loop."""
    opt = make_optimizer(model, head_lr, backbone_lr, momentum=0.9)
    gen = torch.Generator()
    gen.manual_seed(seed)
    torch.manual_seed(seed)
    epoch = 0
    while epoch < epochs:
        for idx in torch.split(torch.randperm(y.shape[0], generator=gen), batch_size):
            train_step(model, opt, x[idx], y[idx])
        epoch += 1
    return model

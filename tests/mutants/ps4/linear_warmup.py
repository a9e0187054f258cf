"""Variants of linear_warmup(t, base_lr, warmup_steps):
base_lr (t + 1) / warmup_steps while t < warmup_steps, then base_lr."""


def wrong_starts_at_zero(t, base_lr, warmup_steps):
    """base_lr * t / warmup_steps: the first step has lr 0."""
    if t < warmup_steps:
        return base_lr * t / warmup_steps
    return base_lr


def wrong_from_zero_to_base(t, base_lr, warmup_steps):
    """base_lr * t / (warmup_steps - 1): from 0, reaching base_lr at warmup_steps - 1."""
    if t < warmup_steps - 1:
        return base_lr * t / (warmup_steps - 1)
    return base_lr


def wrong_never_stops(t, base_lr, warmup_steps):
    """No cap: keeps growing past base_lr after the warm-up."""
    return base_lr * (t + 1) / warmup_steps


def wrong_one_step_too_long(t, base_lr, warmup_steps):
    """t <= warmup_steps: at t = warmup_steps the rate overshoots base_lr."""
    if t <= warmup_steps:
        return base_lr * (t + 1) / warmup_steps
    return base_lr


def wrong_divides_by_warmup_plus_one(t, base_lr, warmup_steps):
    """base_lr (t + 1) / (warmup_steps + 1): never quite reaches base_lr before jumping to it."""
    if t < warmup_steps:
        return base_lr * (t + 1) / (warmup_steps + 1)
    return base_lr


def correct_min(t, base_lr, warmup_steps):
    """base_lr * min(t + 1, warmup_steps) / warmup_steps."""
    return base_lr * min(t + 1, warmup_steps) / warmup_steps


def correct_linear_lr_form(t, base_lr, warmup_steps):
    """torch's LinearLR closed form with start_factor = 1 / warmup_steps."""
    start = 1.0 / warmup_steps
    if warmup_steps == 1:
        return base_lr
    progress = min(t, warmup_steps - 1) / (warmup_steps - 1)
    return base_lr * (start + (1.0 - start) * progress)

"""Small torch models for the chapters that train real networks (CPU, seconds per run).

Every constructor takes a ``seed`` and initialises its parameters under ``torch.manual_seed``,
so a model is a pure function of its arguments.
"""
from __future__ import annotations

import torch
from torch import nn


def mlp(sizes, activation: str = "relu", batchnorm: bool = False, dropout: float = 0.0,
        seed: int = 0) -> nn.Sequential:
    """Fully connected network with layer widths ``sizes`` (input first, classes last); input of
    any shape is flattened. ``dropout`` is torch's drop probability, applied after each hidden
    activation; ``batchnorm`` puts BatchNorm1d before each hidden activation."""
    acts = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
    if activation not in acts:
        raise ValueError(f"activation must be one of {sorted(acts)}, got {activation!r}")
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, got {sizes}")
    torch.manual_seed(seed)
    layers: list[nn.Module] = [nn.Flatten()]
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            if batchnorm:
                layers.append(nn.BatchNorm1d(b))
            layers.append(acts[activation]())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class SmallCNN(nn.Module):
    """Two conv blocks and a linear head for 1x28x28 digits: ``features`` (conv-BN-ReLU-pool x2,
    dropout, flatten to 32*7*7) and ``head`` (Linear to ``classes``). The split is what transfer
    learning freezes and replaces."""

    def __init__(self, classes: int = 10, width: int = 16, dropout: float = 0.25, seed: int = 0):
        super().__init__()
        torch.manual_seed(seed)
        self.features = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(dropout), nn.Flatten(),
        )
        self.head = nn.Linear(2 * width * 7 * 7, classes)

    def forward(self, x):
        return self.head(self.features(x))

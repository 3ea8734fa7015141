"""Reference solutions of Exercise 09 (never released), for the judge only: the student worker
never loads this module (it loads ``stand_ins.py``, whose functions this one uses too).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from stand_ins import add_padding_1d, add_padding_2d, convolution_two_dimensional  # noqa: F401 - also the judge's references
from torch import nn

from helpers.filters import SOBEL_X, SOBEL_Y


def convolution_one_dimensional(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    return np.convolve(np.asarray(x, dtype=float), np.asarray(h, dtype=float), mode="same")


def sobel_edges(image: np.ndarray, threshold: float) -> np.ndarray:
    gx = convolution_two_dimensional(image, SOBEL_X)
    gy = convolution_two_dimensional(image, SOBEL_Y)
    return np.hypot(gx, gy) > threshold


class FC(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 512),
            nn.ReLU(),
            nn.Linear(512, 256),
            nn.ReLU(),
            nn.Linear(256, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class CNN_LeNet(nn.Module):  # noqa: N801 - the name the exercise uses
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x.flatten(1))))))


class CNN(nn.Module):
    def __init__(self, filters: tuple[int, int, int] = (16, 32, 64)) -> None:
        super().__init__()
        channels = (1, *filters)
        self.convs = nn.ModuleList(
            nn.Conv2d(channels[i], channels[i + 1], 3, padding=1) for i in range(3)
        )
        self.fc1, self.fc2 = nn.Linear(9 * filters[2], 128), nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


MODELS = {"FC": FC, "CNN_LeNet": CNN_LeNet, "CNN": CNN}


def weights(model: nn.Module) -> list[np.ndarray]:
    """The model's trainable parameters as arrays, in definition order."""
    return [p.detach().numpy().copy() for p in model.parameters() if p.requires_grad]


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)

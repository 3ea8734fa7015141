"""Exercise 10's public checks use the lecture's worked numbers, and those agree with PyTorch
(what the checks do with them: :mod:`test_public_checks`)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from helpers import checks_ex10 as checks


def test_the_lectures_worked_numbers_agree_with_torch():
    def t(a):
        return torch.tensor(np.asarray(a, dtype=float))

    simg, akernel = t(checks.SIMG)[None, None], t(checks.AKERNEL)[None, None]
    valid = F.conv2d(simg, akernel)
    np.testing.assert_array_equal(valid[0, 0].numpy(), checks.SIMG_VALID, "simg * akernel")
    transposed = F.conv_transpose2d(valid, akernel)[0, 0].numpy()
    np.testing.assert_array_equal(transposed, checks.SIMG_TRANSPOSED, "its transpose")
    strided = F.conv2d(
        t(checks.STRIDE_IMAGE)[None, None], torch.ones(1, 1, 3, 3).double(), None, 2, 1
    )
    np.testing.assert_array_equal(strided[0, 0].numpy(), checks.STRIDE_RESULT, "stride 2, pad 1")
    pooled = F.max_pool2d(t(checks.POOL_IMAGE)[None, None], 2)[0, 0].numpy()
    np.testing.assert_array_equal(pooled, checks.POOL_RESULT, "max-pooling example")
    simple_cnn = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Flatten(), nn.Linear(6 * 24 * 24, 10))
    count = sum(p.numel() for p in simple_cnn.parameters())
    assert count == 34726, f"expected the SimpleCNN's 34,726 parameters, got {count}"
    small = nn.Sequential(
        nn.Conv2d(3, 4, 3, 2, 1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16, 3),
    )
    rows, x = [], torch.zeros(1, 3, 9, 8)
    for layer in small:
        x = layer(x)
        rows.append((tuple(x.shape[1:]), sum(p.numel() for p in layer.parameters())))
    assert rows == checks.SMALL_NET_ROWS, f"expected {checks.SMALL_NET_ROWS}, torch says {rows}"
    separable = nn.Sequential(nn.Conv2d(1, 1, (15, 1)), nn.Conv2d(1, 1, (1, 15)))
    counts = (
        sum(p.numel() for p in nn.Conv2d(1, 1, 15).parameters()),
        sum(p.numel() for p in separable.parameters()),
    )
    assert counts == (226, 32), f"expected 226 parameters against 32, got {counts}"
    white = checks.RGB_TO_XYZ @ np.ones(3)
    np.testing.assert_allclose(white, [0.9505, 1.0, 1.089], atol=1e-3, err_msg="D65 white point")

"""Draft solutions of ex10 (to become the master notebook's solution cells)."""

import numpy as np
import torch
import torch.nn.functional as F


def pair(value):
    """An int or an (h, w) pair -> (h, w)."""
    if np.ndim(value) == 0:
        return int(value), int(value)
    h, w = value
    return int(h), int(w)


def conv_output_size(n, k, stride=1, padding=0, dilation=1):
    """Output length of a convolution along one axis: floor((n + 2p - d(k-1) - 1) / s) + 1."""
    size = (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    if size < 1:
        raise ValueError(
            f"a kernel of {k} (dilation {dilation}) does not fit an input of {n} padded by {padding}"
        )
    return size


def conv_transpose_output_size(n, k, stride=1, padding=0, output_padding=0, dilation=1):
    """Output length of a transposed convolution: (n-1)s - 2p + d(k-1) + output_padding + 1."""
    size = (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
    if size < 1:
        raise ValueError(f"the transposed convolution of {n} gives an empty output ({size})")
    return size


def describe_network(input_shape, layers):
    """[(output shape, trainable parameters)] per layer spec, input_shape (C, H, W)."""
    shape = tuple(input_shape)
    rows = []
    for spec in layers:
        kind, *args = spec
        if kind == "conv":
            out, k, *rest = args
            stride, padding = (rest + [1, 0][len(rest):])[:2]
            c, h, w = shape
            kh, kw = pair(k)
            sh, sw = pair(stride)
            ph, pw = pair(padding)
            shape = (out, conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw))
            params = out * c * kh * kw + out
        elif kind == "pool":
            k, *rest = args
            stride = rest[0] if rest and rest[0] is not None else k
            padding = rest[1] if len(rest) > 1 else 0
            c, h, w = shape
            kh, kw = pair(k)
            sh, sw = pair(stride)
            ph, pw = pair(padding)
            shape = (c, conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw))
            params = 0
        elif kind == "bn":
            params = 2 * shape[0]
        elif kind == "act":
            params = 0
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
            params = 0
        elif kind == "linear":
            (out,) = args
            params = shape[0] * out + out
            shape = (out,)
        else:
            raise ValueError(f"unknown layer {kind!r}")
        rows.append((shape, params))
    return rows


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """x (N, C, H, W), weight (O, C, kh, kw) -> (N, O, oh, ow), cross-correlation."""
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c, h, w = x.shape
    o, _, kh, kw = weight.shape
    oh = conv_output_size(h, kh, sh, ph, dh)
    ow = conv_output_size(w, kw, sw, pw, dw)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, o, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = padded[:, :, i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw]
            out += np.einsum("nchw,oc->nohw", patch, weight[:, :, i, j])
    if bias is not None:
        out += np.asarray(bias, dtype=float)[None, :, None, None]
    return out


def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    """x (N, C, H, W) -> pooled per channel; max pads with -inf, avg counts the padding."""
    x = np.asarray(x, dtype=float)
    kh, kw = pair(kernel_size)
    sh, sw = pair(kernel_size if stride is None else stride)
    ph, pw = pair(padding)
    *lead, h, w = x.shape
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    fill = -np.inf if mode == "max" else 0.0
    padded = np.pad(x, [(0, 0)] * len(lead) + [(ph, ph), (pw, pw)], constant_values=fill)
    windows = np.stack(
        [padded[..., i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw] for i in range(kh) for j in range(kw)]
    )
    return windows.max(axis=0) if mode == "max" else windows.mean(axis=0)


def conv_matrix(kernel, input_shape, stride=1):
    """(oh*ow, H*W) matrix M with M @ x.ravel() = valid cross-correlation of x (H, W)."""
    kernel = np.asarray(kernel, dtype=float)
    h, w = input_shape
    kh, kw = kernel.shape
    sh, sw = pair(stride)
    oh, ow = conv_output_size(h, kh, sh), conv_output_size(w, kw, sw)
    matrix = np.zeros((oh * ow, h * w))
    for r in range(oh):
        for c in range(ow):
            row = np.zeros((h, w))
            row[r * sh : r * sh + kh, c * sw : c * sw + kw] = kernel
            matrix[r * ow + c] = row.ravel()
    return matrix


def conv_transpose_matmul(y, kernel, input_shape, stride=1):
    """(M.T @ y.ravel()).reshape(input_shape)."""
    return (conv_matrix(kernel, input_shape, stride).T @ np.asarray(y, dtype=float).ravel()).reshape(input_shape)


def dilate2d(x, factor):
    """factor - 1 zeros between entries of the last two axes."""
    x = np.asarray(x, dtype=float)
    fh, fw = pair(factor)
    *lead, h, w = x.shape
    out = np.zeros((*lead, (h - 1) * fh + 1, (w - 1) * fw + 1))
    out[..., ::fh, ::fw] = x
    return out


def conv_transpose2d(y, weight, stride=1, padding=0):
    """y (Cin, h, w), weight (Cin, Cout, kh, kw) -> (Cout, H, W)."""
    y = np.asarray(y, dtype=float)
    weight = np.asarray(weight, dtype=float)
    _, _, kh, kw = weight.shape
    ph, pw = pair(padding)
    dilated = dilate2d(y, stride)
    padded = np.pad(dilated, ((0, 0), (kh - 1 - ph, kh - 1 - ph), (kw - 1 - pw, kw - 1 - pw)))
    flipped = weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)
    return conv2d(padded[None], flipped)[0]


def rank1_filter(kernel):
    """(column, row) with outer(column, row) the best rank-1 approximation of kernel."""
    u, s, vt = np.linalg.svd(np.asarray(kernel, dtype=float))
    return u[:, 0] * np.sqrt(s[0]), vt[0] * np.sqrt(s[0])


def is_separable(kernel, rtol=1e-8):
    s = np.linalg.svd(np.asarray(kernel, dtype=float), compute_uv=False)
    return bool(s[0] == 0 or s[1] <= rtol * s[0])


def conv1x1(x, weight, bias=None):
    """x (N, C, H, W), weight (O, C) -> (N, O, H, W)."""
    out = np.einsum("nchw,oc->nohw", np.asarray(x, dtype=float), np.asarray(weight, dtype=float))
    if bias is not None:
        out = out + np.asarray(bias, dtype=float)[None, :, None, None]
    return out


def fit_filter(x, y, kernel_shape, steps=500, lr=0.1):
    """Gradient descent on a kernel so that valid conv of x (H, W) with it matches y."""
    xt = torch.as_tensor(np.asarray(x, dtype=float))[None, None]
    yt = torch.as_tensor(np.asarray(y, dtype=float))[None, None]
    kernel = torch.zeros((1, 1, *kernel_shape), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([kernel], lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.mse_loss(F.conv2d(xt, kernel), yt)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return kernel.detach()[0, 0].numpy(), losses

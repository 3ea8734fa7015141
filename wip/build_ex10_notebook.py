"""One-off: writes source/ex10/ex10.ipynb from the draft (afterwards the notebook is the source)."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip()))


def code(text, **nbgrader):
    cell = new_code_cell(text.strip())
    if nbgrader:
        meta = {"schema_version": 3, "grade": False, "locked": False, "solution": False, "task": False}
        meta.update(nbgrader)
        cell.metadata["nbgrader"] = meta
        if meta["locked"]:
            cell.metadata["deletable"] = False
            cell.metadata["editable"] = False
    cells.append(cell)


def solution(grade_id, text):
    code(text, grade_id=grade_id, solution=True)


def graded(grade_id, points, text):
    code(text, grade_id=grade_id, grade=True, locked=True, points=points)


md("""
# Exercise 10: Convolution arithmetic and what convolutions learn

Exercise 09 built convolutions from loops and trained CNNs. This exercise looks inside the layer:

1. **Part 1 (Arithmetic):** how big a convolution's output is, and how many parameters a network has;
2. **Part 2 (Multi-channel convolution and pooling):** `conv2d` over batches and channels with stride, padding and dilation, pooling, and 1x1 convolutions;
3. **Part 3 (Convolution as a matrix):** the matrix of a convolution, its transpose, and the transposed convolution;
4. **Part 4 (Filters):** separable filters, and a filter learned by gradient descent.

**Convention.** In this exercise "convolution" means **cross-correlation**, as in PyTorch: the kernel slides over the input **without being flipped**, `out[i, j] = sum_{u, v} x[i*s + u*d, j*s + v*d] * w[u, v]`. Exercise 09 flipped the kernel (the mathematical convolution, as `scipy.signal.convolve2d` does); for a symmetric kernel the two agree, for a Sobel kernel they differ in sign. Every graded function here is compared with `torch.nn.functional`.

**How this notebook is graded.** Write your code only in the solution cells and remove the `raise NotImplementedError()` lines. Take NumPy arrays in and return NumPy **float64** arrays out (integer input gives float output), and never modify your inputs. `kernel_size`, `stride`, `padding` and `dilation` accept an int or an `(h, w)` pair: `as_pair` turns either into a pair. The cells marked *Public checks* run small examples from the lecture; hidden tests with other inputs decide the marks. Functions that do a task for you earn nothing for that task: `F.conv2d`/`torch.conv2d` (allowed only in `fit_filter`), `conv_transpose*`, pooling functions, `unfold`/`fold`, `scipy.signal`, `scipy.ndimage` filters, `scipy.linalg.convolution_matrix`, autograd Jacobians in `conv_matrix` and least squares in `fit_filter`. `np.lib.stride_tricks` and `np.einsum` are fine.
""")

code("""
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib import pyplot as plt

from helpers import as_pair
from helpers import checks_ex10 as checks
""", grade_id="imports", locked=True)

md("""
# Part 1: Arithmetic

## 1.1 Output sizes

Along one axis, an input of length `n` convolved with a kernel of length `k` at stride `s`, padding `p` (on each side) and dilation `d` (the kernel's taps are `d` apart, so it spans `d(k - 1) + 1`) gives

$$n_{out} = \\left\\lfloor \\frac{n + 2p - d(k - 1) - 1}{s} \\right\\rfloor + 1 .$$

A transposed convolution maps `n` back to `(n - 1)s - 2p + d(k - 1) + output_padding + 1`; `output_padding` (less than `s`) picks among the sizes that a strided convolution maps to the same `n`.

Implement both; raise `ValueError` when the output would be empty (the kernel does not fit).
""")
solution("output_size_solution", '''
def conv_output_size(n, k, stride=1, padding=0, dilation=1):
    """Length of a convolution's output along one axis (an int); ValueError if it would be empty."""
    ### BEGIN SOLUTION
    size = (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    if n + 2 * padding < dilation * (k - 1) + 1:
        raise ValueError(f"a kernel of {k} (dilation {dilation}) does not fit {n} + 2 * {padding}")
    return size
    ### END SOLUTION


def conv_transpose_output_size(n, k, stride=1, padding=0, output_padding=0, dilation=1):
    """Length of a transposed convolution's output along one axis; ValueError if it would be empty."""
    ### BEGIN SOLUTION
    size = (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
    if size < 1:
        raise ValueError(f"the transposed convolution of {n} would have {size} elements")
    return size
    ### END SOLUTION
''')
graded("test_output_size", 2, """
# Public checks of conv_output_size and conv_transpose_output_size.
checks.check_output_size(conv_output_size, conv_transpose_output_size)
""")

md("""
## 1.2 Describing a network

`describe_network(input_shape, layers)` takes an input shape `(C, H, W)` and a list of layer specifications and returns, for each layer, its output shape (without the batch axis, as a tuple) and its number of trainable parameters:

| spec | layer | parameters |
|---|---|---|
| `("conv", out, k, stride=1, padding=0)` | `nn.Conv2d(C, out, k, stride, padding)` | `out * C * kh * kw + out` |
| `("pool", k, stride=None, padding=0)` | `nn.MaxPool2d(k, stride, padding)`; stride defaults to `k` | 0 |
| `("bn",)` | `nn.BatchNorm2d(C)` | `2 * C` (a scale and a shift per channel) |
| `("act",)` | an activation | 0 |
| `("flatten",)` | `nn.Flatten()` | 0 |
| `("linear", out)` | `nn.Linear(features, out)` | `features * out + out` |

`k`, `stride` and `padding` may be ints or pairs. Compute everything by hand with `conv_output_size`: **no torch** in this cell.

The lecture's SimpleCNN, `Conv2d(1, 6, 5)` then `Linear(6 * 24 * 24, 10)`, has 156 + 34,570 = 34,726 parameters.
""")
solution("describe_network_solution", '''
def describe_network(input_shape, layers):
    """[(output shape, trainable parameter count)] for each layer spec, for an input (C, H, W)."""
    ### BEGIN SOLUTION
    defaults = {"conv": (None, None, 1, 0), "pool": (None, None, 0)}  # after the required ones
    shape, rows = tuple(input_shape), []
    for kind, *args in layers:
        params = 0
        if kind in defaults:
            args = [*args, *defaults[kind][len(args) :]]
            if kind == "conv":
                out, k, stride, padding = args
            else:
                k, stride, padding = args
                stride = k if stride is None else stride
            (kh, kw), (sh, sw), (ph, pw) = as_pair(k), as_pair(stride), as_pair(padding)
            channels, h, w = shape
            size = (conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw))
            if kind == "conv":
                params = out * channels * kh * kw + out
                channels = out
            shape = (channels, *size)
        elif kind == "bn":
            params = 2 * shape[0]
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "linear":
            params = shape[0] * args[0] + args[0]
            shape = (args[0],)
        elif kind != "act":
            raise ValueError(f"unknown layer {kind!r}")
        rows.append((shape, params))
    return rows
    ### END SOLUTION
''')
graded("test_describe_network", 2, """
# Public checks of describe_network.
checks.check_describe_network(describe_network)
""")

md("""
# Part 2: Multi-channel convolution and pooling

## 2.1 `conv2d`

`conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1)` takes a batch `x` of shape `(N, C, H, W)` and a weight of shape `(O, C, kh, kw)` and returns `(N, O, oh, ow)`:

$$out[n, o, i, j] = b[o] + \\sum_{c, u, v} x_{pad}[n, c, i s_h + u d_h, j s_w + v d_w] \\; w[o, c, u, v]$$

Pad with zeros (`np.pad`), then, for example, loop over the kernel's taps `(u, v)` and add each tap's contribution for all output pixels at once with slicing and `np.einsum`.
""")
solution("conv2d_solution", '''
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """x (N, C, H, W), weight (O, C, kh, kw), bias (O,) or None -> (N, O, oh, ow), no kernel flip."""
    ### BEGIN SOLUTION
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    oh, ow = conv_output_size(h, kh, sh, ph, dh), conv_output_size(w, kw, sw, pw, dw)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, o, oh, ow))
    for u in range(kh):
        for v in range(kw):
            rows = slice(u * dh, u * dh + sh * (oh - 1) + 1, sh)
            cols = slice(v * dw, v * dw + sw * (ow - 1) + 1, sw)
            out += np.einsum("nchw,oc->nohw", padded[:, :, rows, cols], weight[:, :, u, v])
    if bias is not None:
        out += np.asarray(bias, dtype=float)[None, :, None, None]
    return out
    ### END SOLUTION
''')
graded("test_conv2d", 4, """
# Public checks of conv2d.
checks.check_conv2d(conv2d)
""")

md("""
## 2.2 Pooling

`pool2d(x, kernel_size, stride=None, padding=0, mode="max")` pools each channel of each image on its own: the maximum (`mode="max"`) or the mean (`mode="avg"`) of each window. `stride` defaults to `kernel_size`. Max pooling pads with `-inf` (padding never wins); average pooling pads with zeros and divides by the full window size, as `F.avg_pool2d` does by default.

The lecture's example: 2x2 max pooling of `1 2 3 4 / 2 3 4 5 / 4 3 2 1 / 5 4 3 2` gives `3 5 / 5 3`.
""")
solution("pool2d_solution", '''
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    """x (N, C, H, W) -> (N, C, oh, ow): max or average of each window, per channel."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    (kh, kw), (ph, pw) = as_pair(kernel_size), as_pair(padding)
    sh, sw = as_pair(kernel_size if stride is None else stride)
    h, w = x.shape[-2:]
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    fill = -np.inf if mode == "max" else 0.0
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    windows = np.stack(
        [
            padded[..., u : u + sh * (oh - 1) + 1 : sh, v : v + sw * (ow - 1) + 1 : sw]
            for u in range(kh)
            for v in range(kw)
        ]
    )
    return windows.max(axis=0) if mode == "max" else windows.mean(axis=0)
    ### END SOLUTION
''')
graded("test_pool2d", 3, """
# Public checks of pool2d.
checks.check_pool2d(pool2d)
""")

md("""
## 2.3 1x1 convolutions

A 1x1 convolution mixes the channels of each pixel with the same matrix: `out[n, o, i, j] = sum_c weight[o, c] * x[n, c, i, j] + bias[o]`. Converting linear RGB to CIE XYZ is one:

```
X     0.4124 0.3576 0.1805     R
Y  =  0.2126 0.7152 0.0722  @  G
Z     0.0193 0.1192 0.9505     B
```

Implement `conv1x1(x, weight, bias=None)` with `weight` of shape `(O, C)`, without any convolution call.
""")
solution("conv1x1_solution", '''
def conv1x1(x, weight, bias=None):
    """x (N, C, H, W), weight (O, C), bias (O,) or None -> (N, O, H, W)."""
    ### BEGIN SOLUTION
    out = np.einsum("nchw,oc->nohw", np.asarray(x, dtype=float), np.asarray(weight, dtype=float))
    if bias is not None:
        out = out + np.asarray(bias, dtype=float)[None, :, None, None]
    return out
    ### END SOLUTION
''')
graded("test_conv1x1", 1, """
# Public checks of conv1x1.
checks.check_conv1x1(conv1x1)
""")

md("""
# Part 3: Convolution as a matrix

## 3.1 The convolution matrix

A valid convolution of an `(H, W)` image is linear in the image, so it is a matrix `M` of shape `(oh * ow, H * W)` with `conv(x).ravel() == M @ x.ravel()` (C order: row `r * ow + c` is output pixel `(r, c)`). Each row holds the kernel's weights at the positions of the pixels under the kernel, zeros elsewhere. For the 1x2 filter `[-1, 1]` on a 1x10 signal, `M` is the 9x10 difference matrix.

Implement `conv_matrix(kernel, input_shape, stride=1)` by placing the weights yourself (the lecture obtained `M` as the Jacobian of `F.conv2d`; here, that earns nothing).
""")
solution("conv_matrix_solution", '''
def conv_matrix(kernel, input_shape, stride=1):
    """(oh * ow, H * W) matrix M with M @ x.ravel() the valid convolution of x (H, W)."""
    ### BEGIN SOLUTION
    kernel = np.asarray(kernel, dtype=float)
    (h, w), (kh, kw), (sh, sw) = input_shape, kernel.shape, as_pair(stride)
    oh, ow = conv_output_size(h, kh, sh), conv_output_size(w, kw, sw)
    matrix = np.zeros((oh * ow, h * w))
    for r in range(oh):
        for c in range(ow):
            image = np.zeros((h, w))
            image[r * sh : r * sh + kh, c * sw : c * sw + kw] = kernel
            matrix[r * ow + c] = image.ravel()
    return matrix
    ### END SOLUTION
''')
graded("test_conv_matrix", 3, """
# Public checks of conv_matrix.
checks.check_conv_matrix(conv_matrix)
""")

md("""
## 3.2 The transpose

`M.T` maps an output back to the input's shape: that is the **transposed convolution** (used to upsample, for example in decoders). Implement `conv_transpose_matmul(y, kernel, input_shape, stride=1)` as `(M.T @ y.ravel()).reshape(input_shape)`. It equals `F.conv_transpose2d` with the `output_padding` that gives `input_shape`.
""")
solution("transpose_matmul_solution", '''
def conv_transpose_matmul(y, kernel, input_shape, stride=1):
    """(conv_matrix(kernel, input_shape, stride).T @ y.ravel()), shaped like the input."""
    ### BEGIN SOLUTION
    matrix = conv_matrix(kernel, input_shape, stride)
    return (matrix.T @ np.asarray(y, dtype=float).ravel()).reshape(input_shape)
    ### END SOLUTION
''')
graded("test_transpose_matmul", 1, """
# Public checks of conv_transpose_matmul.
checks.check_conv_transpose_matmul(conv_transpose_matmul)
""")

md("""
## 3.3 Transposed convolution without the matrix

The matrix is huge for real images. The same result comes from an ordinary convolution: **dilate** the input by the stride (put `s - 1` zeros between neighbours), pad it with `k - 1 - p` zeros on each side, and convolve with the kernel **flipped** in both spatial axes and with its two channel axes **swapped**.

First `dilate2d(x, factor)`: `factor - 1` zeros between the entries of the last two axes (the leading axes stay as they are); `factor` may be a pair.
""")
solution("dilate2d_solution", '''
def dilate2d(x, factor):
    """(..., h, w) -> (..., (h - 1) * fh + 1, (w - 1) * fw + 1), zeros between the entries."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    fh, fw = as_pair(factor)
    h, w = x.shape[-2:]
    out = np.zeros((*x.shape[:-2], (h - 1) * fh + 1, (w - 1) * fw + 1))
    out[..., ::fh, ::fw] = x
    return out
    ### END SOLUTION
''')
graded("test_dilate2d", 1, """
# Public checks of dilate2d.
checks.check_dilate2d(dilate2d)
""")

md("""
Now `conv_transpose2d(y, weight, stride=1, padding=0)` for one input `y` of shape `(Cin, h, w)` and a weight of shape `(Cin, Cout, kh, kw)` (PyTorch's layout for transposed convolutions), returning `(Cout, H, W)`, with your `dilate2d` and `conv2d`.
""")
solution("conv_transpose2d_solution", '''
def conv_transpose2d(y, weight, stride=1, padding=0):
    """y (Cin, h, w), weight (Cin, Cout, kh, kw) -> (Cout, H, W), as F.conv_transpose2d."""
    ### BEGIN SOLUTION
    weight = np.asarray(weight, dtype=float)
    kh, kw = weight.shape[-2:]
    ph, pw = as_pair(padding)
    dilated = dilate2d(y, stride)
    padded = np.pad(dilated, ((0, 0), (kh - 1 - ph, kh - 1 - ph), (kw - 1 - pw, kw - 1 - pw)))
    flipped = weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)
    return conv2d(padded[None], flipped)[0]
    ### END SOLUTION
''')
graded("test_conv_transpose2d", 3, """
# Public checks of conv_transpose2d.
checks.check_conv_transpose2d(conv_transpose2d)
""")

md("""
# Part 4: Filters

## 4.1 Separable filters

A kernel that is an outer product `column ⊗ row` is **separable**: convolving with it equals convolving with the column and then with the row. A separable 15x15 filter needs 15 + 15 weights (+ 2 biases = 32 parameters) instead of 225 (+ 1 = 226). The singular value decomposition tells how close a kernel is to separable: `K = U S V^T`, and `s[0] * outer(U[:, 0], V[0])` is its best rank-1 approximation.

Implement `rank1_filter(kernel)`, returning `(column, row)` whose outer product is that approximation (split `s[0]` as `sqrt(s[0])` on each), and `is_separable(kernel, rtol=1e-8)`: whether the second singular value is at most `rtol` times the first.
""")
solution("separable_solution", '''
def rank1_filter(kernel):
    """(column (kh,), row (kw,)) whose outer product is the best rank-1 approximation of kernel."""
    ### BEGIN SOLUTION
    u, s, vt = np.linalg.svd(np.asarray(kernel, dtype=float))
    return u[:, 0] * np.sqrt(s[0]), vt[0] * np.sqrt(s[0])
    ### END SOLUTION


def is_separable(kernel, rtol=1e-8):
    """Whether kernel is (numerically) an outer product: s[1] <= rtol * s[0]."""
    ### BEGIN SOLUTION
    s = np.linalg.svd(np.asarray(kernel, dtype=float), compute_uv=False)
    return bool(s.size < 2 or s[1] <= rtol * s[0])
    ### END SOLUTION
''')
graded("test_separable", 2, """
# Public checks of rank1_filter and is_separable.
checks.check_separable(rank1_filter, is_separable)
""")

md("""
## 4.2 A learned filter

Given an image `x` and the valid convolution `y` of `x` with an unknown kernel, gradient descent can find the kernel: start from zeros, and repeat *forward (`F.conv2d`), mean squared error against `y`, backward, step, zero the gradients*. Implement `fit_filter(x, y, kernel_shape)` returning the kernel (a NumPy array) and the list of losses, one per step. Here `F.conv2d` is allowed; solving it as least squares is not. Adam with a learning rate around 0.1 and a few hundred steps works; so does SGD with more.
""")
solution("fit_filter_solution", '''
def fit_filter(x, y, kernel_shape):
    """Learn a kernel of kernel_shape with conv(x, kernel) ~= y; return (kernel, losses)."""
    ### BEGIN SOLUTION
    x = torch.as_tensor(np.asarray(x, dtype=float))[None, None]
    y = torch.as_tensor(np.asarray(y, dtype=float))[None, None]
    kernel = torch.zeros((1, 1, *kernel_shape), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([kernel], lr=0.1)
    losses = []
    for _ in range(500):
        loss = F.mse_loss(F.conv2d(x, kernel), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return kernel.detach()[0, 0].numpy(), losses
    ### END SOLUTION
''')
graded("test_fit_filter", 3, """
# Public checks of fit_filter.
checks.check_fit_filter(fit_filter)
""")

md("""
The loss curve of learning a Sobel kernel back from an image and its response:
""")
code("""
image = np.random.default_rng(0).normal(size=(16, 16))
sobel = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])
response = F.conv2d(torch.tensor(image)[None, None], torch.tensor(sobel)[None, None])[0, 0].numpy()
learned, losses = fit_filter(image, response, (3, 3))
plt.semilogy(losses)
plt.xlabel("step")
plt.ylabel("mean squared error")
plt.title("fit_filter learning the Sobel kernel")
plt.show()
print(np.round(learned, 3))
""")

notebook = new_notebook(cells=cells)
notebook.metadata = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
nbformat.write(notebook, "source/ex10/ex10.ipynb")

"""Plausible wrong and valid alternative solutions of Exercise 10, one solution cell each.

``WRONG[name] = (solution cell, code, graded cells that must lose points)``;
``ALTERNATIVES[name] = [(solution cell, code), ...]``, which must score full marks;
``LIBRARY[name] = (solution cell, code, graded cell)``: a library call that does the task, which
must earn nothing in that task (and cost nothing elsewhere).
"""

WRONG = {
    "output_size_ceil": (
        "output_size_solution",
        """
def conv_output_size(n, k, stride=1, padding=0, dilation=1):
    span = dilation * (k - 1) + 1
    if n + 2 * padding < span:
        raise ValueError("empty")
    return -(-(n + 2 * padding - span) // stride) + 1


def conv_transpose_output_size(n, k, stride=1, padding=0, output_padding=0, dilation=1):
    size = (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
    if size < 1:
        raise ValueError("empty")
    return size
""",
        ("test_output_size",),
    ),
    "output_size_p_instead_of_2p": (
        "output_size_solution",
        """
def conv_output_size(n, k, stride=1, padding=0, dilation=1):
    span = dilation * (k - 1) + 1
    if n + 2 * padding < span:
        raise ValueError("empty")
    return (n + padding - span) // stride + 1


def conv_transpose_output_size(n, k, stride=1, padding=0, output_padding=0, dilation=1):
    size = (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
    if size < 1:
        raise ValueError("empty")
    return size
""",
        ("test_output_size",),
    ),
    "output_size_ignores_dilation_and_never_raises": (
        "output_size_solution",
        """
def conv_output_size(n, k, stride=1, padding=0, dilation=1):
    return (n + 2 * padding - k) // stride + 1


def conv_transpose_output_size(n, k, stride=1, padding=0, output_padding=0, dilation=1):
    return (n - 1) * stride - 2 * padding + k + output_padding
""",
        ("test_output_size",),
    ),
    "describe_network_forgets_biases_and_bn": (
        "describe_network_solution",
        """
def describe_network(input_shape, layers):
    shape, rows = tuple(input_shape), []
    for kind, *args in layers:
        params = 0
        if kind in ("conv", "pool"):
            args = [*args, *({"conv": (None, None, 1, 0), "pool": (None, None, 0)}[kind][len(args):])]
            if kind == "conv":
                out, k, stride, padding = args
            else:
                k, stride, padding = args
                stride = k if stride is None else stride
            (kh, kw), (sh, sw), (ph, pw) = as_pair(k), as_pair(stride), as_pair(padding)
            c, h, w = shape
            size = (conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw))
            if kind == "conv":
                params, c = out * c * kh * kw, out
            shape = (c, *size)
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "linear":
            params, shape = shape[0] * args[0], (args[0],)
        rows.append((shape, params))
    return rows
""",
        ("test_describe_network",),
    ),
    "describe_network_batch_norm_four_per_channel": (
        "describe_network_solution",
        """
def describe_network(input_shape, layers):
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
            params = 4 * shape[0]  # counts the running mean and variance too
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "linear":
            params = shape[0] * args[0] + args[0]
            shape = (args[0],)
        elif kind != "act":
            raise ValueError(f"unknown layer {kind!r}")
        rows.append((shape, params))
    return rows
""",
        ("test_describe_network",),
    ),
    "describe_network_pool_stride_one": (
        "describe_network_solution",
        """
def describe_network(input_shape, layers):
    shape, rows = tuple(input_shape), []
    for kind, *args in layers:
        params = 0
        if kind in ("conv", "pool"):
            args = [*args, *({"conv": (None, None, 1, 0), "pool": (None, 1, 0)}[kind][len(args):])]
            if kind == "conv":
                out, k, stride, padding = args
            else:
                k, stride, padding = args
            (kh, kw), (sh, sw), (ph, pw) = as_pair(k), as_pair(stride), as_pair(padding)
            c, h, w = shape
            size = (conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw))
            if kind == "conv":
                params, c = out * c * kh * kw + out, out
            shape = (c, *size)
        elif kind == "bn":
            params = 2 * shape[0]
        elif kind == "flatten":
            shape = (int(np.prod(shape)),)
        elif kind == "linear":
            params, shape = shape[0] * args[0] + args[0], (args[0],)
        rows.append((shape, params))
    return rows
""",
        ("test_describe_network",),
    ),
    "describe_network_returns_shapes_only": (
        "describe_network_solution",
        """
def describe_network(input_shape, layers):
    # only the shapes so far: the parameter counts are still to do
    return [(tuple(input_shape),) for _ in layers]
""",
        ("test_describe_network",),
    ),
    "conv2d_flipped_kernel": (
        "conv2d_solution",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)[:, :, ::-1, ::-1]
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    oh, ow = conv_output_size(h, kh, sh, ph, dh), conv_output_size(w, kw, sw, pw, dw)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, o, oh, ow))
    for u in range(kh):
        for v in range(kw):
            patch = padded[:, :, u * dh : u * dh + sh * (oh - 1) + 1 : sh, v * dw : v * dw + sw * (ow - 1) + 1 : sw]
            out += np.einsum("nchw,oc->nohw", patch, weight[:, :, u, v])
    if bias is not None:
        out += np.asarray(bias, dtype=float)[None, :, None, None]
    return out
""",
        ("test_conv2d",),
    ),
    "conv2d_bias_on_the_wrong_axis": (
        "conv2d_solution",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    oh, ow = conv_output_size(h, kh, sh, ph, dh), conv_output_size(w, kw, sw, pw, dw)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, o, oh, ow))
    for u in range(kh):
        for v in range(kw):
            patch = padded[:, :, u * dh : u * dh + sh * (oh - 1) + 1 : sh, v * dw : v * dw + sw * (ow - 1) + 1 : sw]
            out += np.einsum("nchw,oc->nohw", patch, weight[:, :, u, v])
    if bias is not None:
        out += np.resize(np.asarray(bias, dtype=float), ow)
    return out
""",
        ("test_conv2d",),
    ),
    "conv2d_dilation_as_stride": (
        "conv2d_solution",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, o, oh, ow))
    for u in range(kh):
        for v in range(kw):
            patch = padded[:, :, u : u + sh * (oh - 1) + 1 : sh, v : v + sw * (ow - 1) + 1 : sw]
            out += np.einsum("nchw,oc->nohw", patch, weight[:, :, u, v])
    if bias is not None:
        out += np.asarray(bias, dtype=float)[None, :, None, None]
    return out
""",
        ("test_conv2d",),
    ),
    "pool2d_pools_across_channels": (
        "pool2d_solution",
        """
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    x = np.asarray(x, dtype=float)
    (kh, kw), (ph, pw) = as_pair(kernel_size), as_pair(padding)
    sh, sw = as_pair(kernel_size if stride is None else stride)
    h, w = x.shape[-2:]
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    fill = -np.inf if mode == "max" else 0.0
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    windows = np.stack([padded[..., u : u + sh * (oh - 1) + 1 : sh, v : v + sw * (ow - 1) + 1 : sw] for u in range(kh) for v in range(kw)])
    pooled = windows.max(axis=(0, 2), keepdims=True) if mode == "max" else windows.mean(axis=(0, 2), keepdims=True)
    return np.broadcast_to(pooled[0], x.shape[:2] + (oh, ow)).copy()
""",
        ("test_pool2d",),
    ),
    "pool2d_pads_max_with_zeros": (
        "pool2d_solution",
        """
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    x = np.asarray(x, dtype=float)
    (kh, kw), (ph, pw) = as_pair(kernel_size), as_pair(padding)
    sh, sw = as_pair(kernel_size if stride is None else stride)
    h, w = x.shape[-2:]
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = np.stack([padded[..., u : u + sh * (oh - 1) + 1 : sh, v : v + sw * (ow - 1) + 1 : sw] for u in range(kh) for v in range(kw)])
    return windows.max(axis=0) if mode == "max" else windows.mean(axis=0)
""",
        ("test_pool2d",),
    ),
    "pool2d_stride_defaults_to_one": (
        "pool2d_solution",
        """
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    x = np.asarray(x, dtype=float)
    (kh, kw), (ph, pw) = as_pair(kernel_size), as_pair(padding)
    sh, sw = as_pair(1 if stride is None else stride)
    h, w = x.shape[-2:]
    oh, ow = conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)
    fill = -np.inf if mode == "max" else 0.0
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    windows = np.stack([padded[..., u : u + sh * (oh - 1) + 1 : sh, v : v + sw * (ow - 1) + 1 : sw] for u in range(kh) for v in range(kw)])
    return windows.max(axis=0) if mode == "max" else windows.mean(axis=0)
""",
        ("test_pool2d",),
    ),
    "conv1x1_weight_axes_swapped": (
        "conv1x1_solution",
        """
def conv1x1(x, weight, bias=None):
    weight = np.asarray(weight, dtype=float)
    out = np.einsum("nchw,co->nohw", np.asarray(x, dtype=float), weight.reshape(weight.shape[::-1]))
    if bias is not None:
        out = out + np.asarray(bias, dtype=float)[None, :, None, None]
    return out
""",
        ("test_conv1x1",),
    ),
    "conv1x1_returns_a_tensor": (
        "conv1x1_solution",
        """
def conv1x1(x, weight, bias=None):
    out = torch.einsum("nchw,oc->nohw", torch.as_tensor(np.asarray(x, dtype=float)), torch.as_tensor(np.asarray(weight, dtype=float)))
    if bias is not None:
        out = out + torch.as_tensor(np.asarray(bias, dtype=float))[None, :, None, None]
    return out
""",
        ("test_conv1x1",),
    ),
    "conv_matrix_fortran_order": (
        "conv_matrix_solution",
        """
def conv_matrix(kernel, input_shape, stride=1):
    kernel = np.asarray(kernel, dtype=float)
    (h, w), (kh, kw), (sh, sw) = input_shape, kernel.shape, as_pair(stride)
    oh, ow = conv_output_size(h, kh, sh), conv_output_size(w, kw, sw)
    matrix = np.zeros((oh * ow, h * w))
    for r in range(oh):
        for c in range(ow):
            image = np.zeros((h, w))
            image[r * sh : r * sh + kh, c * sw : c * sw + kw] = kernel
            matrix[r * ow + c] = image.ravel(order="F")
    return matrix
""",
        ("test_conv_matrix",),
    ),
    "conv_matrix_ignores_stride": (
        "conv_matrix_solution",
        """
def conv_matrix(kernel, input_shape, stride=1):
    kernel = np.asarray(kernel, dtype=float)
    (h, w), (kh, kw) = input_shape, kernel.shape
    oh, ow = h - kh + 1, w - kw + 1
    matrix = np.zeros((oh * ow, h * w))
    for r in range(oh):
        for c in range(ow):
            image = np.zeros((h, w))
            image[r : r + kh, c : c + kw] = kernel
            matrix[r * ow + c] = image.ravel()
    return matrix
""",
        ("test_conv_matrix",),
    ),
    "transpose_matmul_without_transpose": (
        "transpose_matmul_solution",
        """
def conv_transpose_matmul(y, kernel, input_shape, stride=1):
    matrix = conv_matrix(kernel, input_shape, stride)
    y = np.asarray(y, dtype=float).ravel()
    return np.resize(matrix @ np.resize(y, matrix.shape[1]), input_shape)
""",
        ("test_transpose_matmul",),
    ),
    "dilate2d_factor_zeros": (
        "dilate2d_solution",
        """
def dilate2d(x, factor):
    x = np.asarray(x, dtype=float)
    fh, fw = as_pair(factor)
    h, w = x.shape[-2:]
    out = np.zeros((*x.shape[:-2], h * (fh + 1) - fh, w * (fw + 1) - fw))
    out[..., :: fh + 1, :: fw + 1] = x
    return out
""",
        ("test_dilate2d",),
    ),
    "conv_transpose2d_kernel_not_flipped": (
        "conv_transpose2d_solution",
        """
def conv_transpose2d(y, weight, stride=1, padding=0):
    weight = np.asarray(weight, dtype=float)
    kh, kw = weight.shape[-2:]
    ph, pw = as_pair(padding)
    padded = np.pad(dilate2d(y, stride), ((0, 0), (kh - 1 - ph, kh - 1 - ph), (kw - 1 - pw, kw - 1 - pw)))
    return conv2d(padded[None], weight.transpose(1, 0, 2, 3))[0]
""",
        ("test_conv_transpose2d",),
    ),
    "conv_transpose2d_pads_p_not_k_minus_1_minus_p": (
        "conv_transpose2d_solution",
        """
def conv_transpose2d(y, weight, stride=1, padding=0):
    weight = np.asarray(weight, dtype=float)
    kh, kw = weight.shape[-2:]
    ph, pw = as_pair(padding)
    padded = np.pad(dilate2d(y, stride), ((0, 0), (kh - 1 + ph, kh - 1 + ph), (kw - 1 + pw, kw - 1 + pw)))
    return conv2d(padded[None], weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))[0]
""",
        ("test_conv_transpose2d",),
    ),
    "rank1_filter_without_singular_value": (
        "separable_solution",
        """
def rank1_filter(kernel):
    u, s, vt = np.linalg.svd(np.asarray(kernel, dtype=float))
    return u[:, 0], vt[0]


def is_separable(kernel, rtol=1e-8):
    return bool(np.linalg.matrix_rank(np.asarray(kernel, dtype=float)) <= 1)
""",
        ("test_separable",),
    ),
    "fit_filter_without_zero_grad": (
        "fit_filter_solution",
        """
def fit_filter(x, y, kernel_shape):
    x = torch.as_tensor(np.asarray(x, dtype=float))[None, None]
    y = torch.as_tensor(np.asarray(y, dtype=float))[None, None]
    kernel = torch.zeros((1, 1, *kernel_shape), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([kernel], lr=0.05)
    losses = []
    for _ in range(300):
        loss = F.mse_loss(F.conv2d(x, kernel), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return kernel.detach()[0, 0].numpy(), losses
""",
        ("test_fit_filter",),
    ),
    "fit_filter_too_few_steps": (
        "fit_filter_solution",
        """
def fit_filter(x, y, kernel_shape):
    x = torch.as_tensor(np.asarray(x, dtype=float))[None, None]
    y = torch.as_tensor(np.asarray(y, dtype=float))[None, None]
    kernel = torch.zeros((1, 1, *kernel_shape), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([kernel], lr=0.01)
    losses = []
    for _ in range(20):
        loss = F.mse_loss(F.conv2d(x, kernel), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return kernel.detach()[0, 0].numpy(), losses
""",
        ("test_fit_filter",),
    ),
}

LIBRARY = {
    "conv2d_calls_f_conv2d": (
        "conv2d_solution",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    t = lambda a: None if a is None else torch.as_tensor(np.asarray(a, dtype=float))
    return F.conv2d(t(x), t(weight), t(bias), stride, padding, dilation).numpy()
""",
        "test_conv2d",
    ),
    "pool2d_calls_max_pool2d": (
        "pool2d_solution",
        """
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    pool = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
    return pool(torch.as_tensor(np.asarray(x, dtype=float)), kernel_size, stride, padding).numpy()
""",
        "test_pool2d",
    ),
    "conv_matrix_by_jacobian": (
        "conv_matrix_solution",
        """
def conv_matrix(kernel, input_shape, stride=1):
    weight = torch.as_tensor(np.asarray(kernel, dtype=float))[None, None]
    f = lambda v: F.conv2d(v.reshape(1, 1, *input_shape), weight, stride=stride).ravel()
    return torch.autograd.functional.jacobian(f, torch.zeros(int(np.prod(input_shape)), dtype=torch.float64)).numpy()
""",
        "test_conv_matrix",
    ),
    "conv1x1_through_unfold": (
        "conv1x1_solution",
        """
def conv1x1(x, weight, bias=None):
    x = torch.as_tensor(np.asarray(x, dtype=float))
    columns = torch.nn.functional.unfold(x, 1)
    out = (torch.as_tensor(np.asarray(weight, dtype=float)) @ columns).reshape(x.shape[0], -1, *x.shape[2:])
    if bias is not None:
        out = out + torch.as_tensor(np.asarray(bias, dtype=float))[None, :, None, None]
    return out.numpy()
""",
        "test_conv1x1",
    ),
    "conv_transpose2d_calls_f_conv_transpose2d": (
        "conv_transpose2d_solution",
        """
def conv_transpose2d(y, weight, stride=1, padding=0):
    t = lambda a: torch.as_tensor(np.asarray(a, dtype=float))
    return F.conv_transpose2d(t(y)[None], t(weight), None, stride, padding).numpy()[0]
""",
        "test_conv_transpose2d",
    ),
    "fit_filter_by_least_squares": (
        "fit_filter_solution",
        """
def fit_filter(x, y, kernel_shape):
    kh, kw = kernel_shape
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rows = [x[i : i + kh, j : j + kw].ravel() for i in range(y.shape[0]) for j in range(y.shape[1])]
    kernel = np.linalg.lstsq(np.array(rows), y.ravel(), rcond=None)[0].reshape(kernel_shape)
    return kernel, [1.0, 1e-12]
""",
        "test_fit_filter",
    ),
}

ALTERNATIVES = {
    "loops_everywhere": [
        (
            "conv2d_solution",
            """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n, c, h, w = x.shape
    o, _, kh, kw = weight.shape
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    padded[:, :, ph : ph + h, pw : pw + w] = x
    out = np.zeros((n, o, oh, ow))
    for b in range(n):
        for k in range(o):
            for i in range(oh):
                for j in range(ow):
                    total = 0.0 if bias is None else float(bias[k])
                    for ch in range(c):
                        for u in range(kh):
                            for v in range(kw):
                                total += padded[b, ch, i * sh + u * dh, j * sw + v * dw] * weight[k, ch, u, v]
                    out[b, k, i, j] = total
    return out
""",
        ),
        (
            "pool2d_solution",
            """
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    x = np.asarray(x, dtype=float)
    (kh, kw), (ph, pw) = as_pair(kernel_size), as_pair(padding)
    sh, sw = as_pair(kernel_size if stride is None else stride)
    n, c, h, w = x.shape
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            values = []
            for u in range(kh):
                for v in range(kw):
                    r, s = i * sh + u - ph, j * sw + v - pw
                    inside = 0 <= r < h and 0 <= s < w
                    values.append(x[:, :, r, s] if inside else np.full((n, c), -np.inf if mode == "max" else 0.0))
            stack = np.stack(values)
            out[:, :, i, j] = stack.max(axis=0) if mode == "max" else stack.sum(axis=0) / (kh * kw)
    return out
""",
        ),
    ],
    "stride_tricks_and_einsum": [
        (
            "conv2d_solution",
            """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    kh, kw = weight.shape[-2:]
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (dh * (kh - 1) + 1, dw * (kw - 1) + 1), axis=(2, 3))
    windows = windows[:, :, ::sh, ::sw, ::dh, ::dw]
    out = np.einsum("nchwuv,ocuv->nohw", windows, weight)
    if bias is not None:
        out = out + np.asarray(bias, dtype=float)[None, :, None, None]
    return out
""",
        ),
        (
            "pool2d_solution",
            """
def pool2d(x, kernel_size, stride=None, padding=0, mode="max"):
    x = np.asarray(x, dtype=float)
    (kh, kw), (ph, pw) = as_pair(kernel_size), as_pair(padding)
    sh, sw = as_pair(kernel_size if stride is None else stride)
    fill = -np.inf if mode == "max" else 0.0
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))
""",
        ),
        (
            "conv1x1_solution",
            """
def conv1x1(x, weight, bias=None):
    x = np.asarray(x, dtype=float)
    out = np.tensordot(np.asarray(weight, dtype=float), x, axes=([1], [1])).transpose(1, 0, 2, 3)
    return out if bias is None else out + np.asarray(bias, dtype=float).reshape(1, -1, 1, 1)
""",
        ),
    ],
    "conv2d_through_the_matrix": [
        (
            "conv2d_solution",
            """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    x, weight = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw), (dh, dw) = as_pair(stride), as_pair(padding), as_pair(dilation)
    n, c, h, w = x.shape
    o, _, kh, kw = weight.shape
    dilated = np.zeros((o, c, dh * (kh - 1) + 1, dw * (kw - 1) + 1))
    dilated[:, :, ::dh, ::dw] = weight
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    size = padded.shape[2:]
    out = None
    for k in range(o):
        total = sum(conv_matrix(dilated[k, ch], size, (sh, sw)) @ padded[:, ch].reshape(n, -1).T for ch in range(c)).T
        out = total[:, None] if out is None else np.concatenate([out, total[:, None]], axis=1)
    oh = (size[0] - dilated.shape[2]) // sh + 1
    out = out.reshape(n, o, oh, -1)
    return out if bias is None else out + np.asarray(bias, dtype=float)[None, :, None, None]
""",
        ),
    ],
    "fit_filter_with_sgd": [
        (
            "fit_filter_solution",
            """
def fit_filter(x, y, kernel_shape):
    x = torch.tensor(np.asarray(x, dtype=float)).reshape(1, 1, *np.shape(x))
    y = torch.tensor(np.asarray(y, dtype=float)).reshape(1, 1, *np.shape(y))
    kernel = torch.zeros(1, 1, *kernel_shape, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([kernel], lr=0.5, momentum=0.9)
    losses = []
    for _ in range(1500):
        optimizer.zero_grad()
        loss = ((F.conv2d(x, kernel) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    return kernel.detach().numpy()[0, 0], losses
""",
        ),
    ],
    "svd_by_hand_and_direct_transpose": [
        (
            "separable_solution",
            """
def rank1_filter(kernel):
    kernel = np.asarray(kernel, dtype=float)
    values, vectors = np.linalg.eigh(kernel.T @ kernel)
    row = vectors[:, -1]
    column = kernel @ row
    return column, row


def is_separable(kernel, rtol=1e-8):
    s = np.linalg.svd(np.asarray(kernel, dtype=float), compute_uv=False)
    return bool(len(s) < 2 or s[1] <= rtol * s[0])
""",
        ),
        (
            "conv_transpose2d_solution",
            """
def conv_transpose2d(y, weight, stride=1, padding=0):
    y, weight = np.asarray(y, dtype=float), np.asarray(weight, dtype=float)
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    cin, h, w = y.shape
    _, cout, kh, kw = weight.shape
    full = np.zeros((cout, (h - 1) * sh + kh, (w - 1) * sw + kw))
    for i in range(h):
        for j in range(w):
            full[:, i * sh : i * sh + kh, j * sw : j * sw + kw] += np.einsum("c,cokl->okl", y[:, i, j], weight)
    return full[:, ph : full.shape[1] - ph, pw : full.shape[2] - pw]
""",
        ),
    ],
}

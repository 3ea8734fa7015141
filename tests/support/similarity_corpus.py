"""Independent correct solutions of ex09's NumPy tasks, written as different students write them,
for the similarity report's test and benchmark.

``AUTHORS[name]`` is one student's code of each task (a solution cell, by grade id): explicit
loops, sliding windows, stride tricks, einsum over index arrays, shift-and-add over the kernel's
taps, a convolution matrix, the FFT. Each must compute what the instructor's solution computes
(``tests/unit/similarity/test_corpus.py`` checks it); :mod:`support.disguise` makes the copies
that students disguise.
"""

from __future__ import annotations

from grading.submissions import fill
from support.courses import Course
from support.disguise import disguise

TASKS = (
    "padding_1d_solution",
    "conv1d_solution",
    "padding_2d_solution",
    "conv2d_solution",
    "sobel_solution",
)

LOOPS = {
    "padding_1d_solution": '''
def add_padding_1d(x, filter_size):
    """Zero-pad a 1-D array: (N,) -> (N + 2 * (filter_size // 2),) float."""
    half = filter_size // 2
    result = [0.0] * half
    for value in x:
        result.append(float(value))
    result.extend([0.0] * half)
    return np.array(result)
''',
    "conv1d_solution": '''
def convolution_one_dimensional(x, h):
    """1-D convolution, mode "same": x (N,), h (M,) with M <= N -> (N,) float."""
    m = len(h)
    xp = add_padding_1d(x, m)
    out = np.zeros(len(x))
    for i in range(len(x)):
        total = 0.0
        for j in range(m):
            total += xp[i + j] * h[m - 1 - j]
        out[i] = total
    return out
''',
    "padding_2d_solution": '''
def add_padding_2d(x, filter_shape):
    """Zero-pad an image: (H, W) -> (H + 2 * (kh // 2), W + 2 * (kw // 2)) float."""
    top, left = filter_shape[0] // 2, filter_shape[1] // 2
    rows, cols = x.shape
    out = np.zeros((rows + 2 * top, cols + 2 * left))
    for r in range(rows):
        for c in range(cols):
            out[r + top, c + left] = x[r, c]
    return out
''',
    "conv2d_solution": '''
def convolution_two_dimensional(x, h):
    """2-D convolution, mode "same": x (H, W), h (kh, kw) no larger than x -> (H, W) float."""
    h = np.asarray(h, dtype=float)
    kh, kw = h.shape
    xp = add_padding_2d(x, h.shape)
    out = np.zeros(x.shape)
    for r in range(x.shape[0]):
        for c in range(x.shape[1]):
            total = 0.0
            for i in range(kh):
                for j in range(kw):
                    total += xp[r + i, c + j] * h[kh - 1 - i, kw - 1 - j]
            out[r, c] = total
    return out
''',
    "sobel_solution": '''
def sobel_edges(image, threshold):
    """Edge map: image (H, W) -> (H, W) bool, True where the Sobel gradient magnitude > threshold."""
    gx = convolution_two_dimensional(image, SOBEL_X)
    gy = convolution_two_dimensional(image, SOBEL_Y)
    edges = np.zeros(image.shape, dtype=bool)
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            edges[r, c] = (gx[r, c] ** 2 + gy[r, c] ** 2) ** 0.5 > threshold
    return edges
''',
}

SLIDING_WINDOWS = {
    "padding_1d_solution": '''
def add_padding_1d(x, filter_size):
    """Zero-pad a 1-D array: (N,) -> (N + 2 * (filter_size // 2),) float."""
    return np.pad(np.asarray(x, dtype=float), filter_size // 2)
''',
    "conv1d_solution": '''
from numpy.lib.stride_tricks import sliding_window_view


def windows_of(padded, size, count):
    return sliding_window_view(padded, size)[:count]


def convolution_one_dimensional(x, h):
    """1-D convolution, mode "same": x (N,), h (M,) with M <= N -> (N,) float."""
    kernel = np.flip(np.asarray(h, dtype=float))
    return windows_of(add_padding_1d(x, kernel.size), kernel.size, len(x)) @ kernel
''',
    "padding_2d_solution": '''
def add_padding_2d(x, filter_shape):
    """Zero-pad an image: (H, W) -> (H + 2 * (kh // 2), W + 2 * (kw // 2)) float."""
    widths = [(size // 2, size // 2) for size in filter_shape]
    return np.pad(np.asarray(x, dtype=float), widths)
''',
    "conv2d_solution": '''
def patches_of(padded, shape, out_shape):
    return sliding_window_view(padded, shape)[: out_shape[0], : out_shape[1]]


def convolution_two_dimensional(x, h):
    """2-D convolution, mode "same": x (H, W), h (kh, kw) no larger than x -> (H, W) float."""
    kernel = np.flip(np.asarray(h, dtype=float))
    patches = patches_of(add_padding_2d(x, kernel.shape), kernel.shape, x.shape)
    return np.tensordot(patches, kernel, axes=2)
''',
    "sobel_solution": '''
def sobel_edges(image, threshold):
    """Edge map: image (H, W) -> (H, W) bool, True where the Sobel gradient magnitude > threshold."""
    across = convolution_two_dimensional(image, SOBEL_X)
    down = convolution_two_dimensional(image, SOBEL_Y)
    return np.hypot(across, down) > threshold
''',
}

STRIDE_TRICKS = {
    "padding_1d_solution": '''
def add_padding_1d(x, filter_size):
    """Zero-pad a 1-D array: (N,) -> (N + 2 * (filter_size // 2),) float."""
    k = filter_size // 2
    return np.concatenate([np.zeros(k), np.asarray(x, dtype=float), np.zeros(k)])
''',
    "conv1d_solution": '''
def convolution_one_dimensional(x, h):
    """1-D convolution, mode "same": x (N,), h (M,) with M <= N -> (N,) float."""
    taps = np.asarray(h, dtype=float)[::-1]
    padded = add_padding_1d(x, taps.shape[0])
    step = padded.strides[0]
    view = np.lib.stride_tricks.as_strided(
        padded, shape=(len(x), taps.shape[0]), strides=(step, step), writeable=False
    )
    return (view * taps).sum(axis=1)
''',
    "padding_2d_solution": '''
def add_padding_2d(x, filter_shape):
    """Zero-pad an image: (H, W) -> (H + 2 * (kh // 2), W + 2 * (kw // 2)) float."""
    a, b = (s // 2 for s in filter_shape)
    grid = np.asarray(x, dtype=float)
    grid = np.hstack([np.zeros((grid.shape[0], b)), grid, np.zeros((grid.shape[0], b))])
    return np.vstack([np.zeros((a, grid.shape[1])), grid, np.zeros((a, grid.shape[1]))])
''',
    "conv2d_solution": '''
def convolution_two_dimensional(x, h):
    """2-D convolution, mode "same": x (H, W), h (kh, kw) no larger than x -> (H, W) float."""
    taps = np.asarray(h, dtype=float)[::-1, ::-1]
    padded = add_padding_2d(x, taps.shape)
    s0, s1 = padded.strides
    view = np.lib.stride_tricks.as_strided(
        padded, shape=x.shape + taps.shape, strides=(s0, s1, s0, s1), writeable=False
    )
    return (view * taps).sum(axis=(2, 3))
''',
    "sobel_solution": '''
def sobel_edges(image, threshold):
    """Edge map: image (H, W) -> (H, W) bool, True where the Sobel gradient magnitude > threshold."""
    horizontal = convolution_two_dimensional(image, SOBEL_X)
    vertical = convolution_two_dimensional(image, SOBEL_Y)
    squared = horizontal * horizontal + vertical * vertical
    return squared > threshold * abs(threshold)
''',
}

EINSUM = {
    "padding_1d_solution": '''
def add_padding_1d(x, filter_size):
    """Zero-pad a 1-D array: (N,) -> (N + 2 * (filter_size // 2),) float."""
    margin = np.zeros(filter_size // 2)
    return np.r_[margin, np.asarray(x, float), margin]
''',
    "conv1d_solution": '''
def gather(n, k):
    return np.arange(n)[:, None] + np.arange(k)[None, :]


def convolution_one_dimensional(x, h):
    """1-D convolution, mode "same": x (N,), h (M,) with M <= N -> (N,) float."""
    flipped = np.asarray(h, float)[::-1]
    rows = add_padding_1d(x, len(flipped))[gather(len(x), len(flipped))]
    return np.einsum("nk,k->n", rows, flipped)
''',
    "padding_2d_solution": '''
def add_padding_2d(x, filter_shape):
    """Zero-pad an image: (H, W) -> (H + 2 * (kh // 2), W + 2 * (kw // 2)) float."""
    sizes = tuple(n + 2 * (k // 2) for n, k in zip(np.shape(x), filter_shape))
    inner = tuple(slice(k // 2, k // 2 + n) for n, k in zip(np.shape(x), filter_shape))
    out = np.zeros(sizes)
    out[inner] = x
    return out
''',
    "conv2d_solution": '''
def convolution_two_dimensional(x, h):
    """2-D convolution, mode "same": x (H, W), h (kh, kw) no larger than x -> (H, W) float."""
    flipped = np.asarray(h, float)[::-1, ::-1]
    i = np.arange(x.shape[0])[:, None, None, None] + np.arange(flipped.shape[0])[:, None]
    j = np.arange(x.shape[1])[None, :, None, None] + np.arange(flipped.shape[1])
    padded = add_padding_2d(x, flipped.shape)
    return np.einsum("abkl,kl->ab", padded[i, j], flipped)
''',
    "sobel_solution": '''
def sobel_edges(image, threshold):
    """Edge map: image (H, W) -> (H, W) bool, True where the Sobel gradient magnitude > threshold."""
    g = np.stack([convolution_two_dimensional(image, k) for k in (SOBEL_X, SOBEL_Y)])
    return np.linalg.norm(g, axis=0) > threshold
''',
}

SHIFT_AND_ADD = {
    "padding_1d_solution": '''
def add_padding_1d(x, filter_size):
    """Zero-pad a 1-D array: (N,) -> (N + 2 * (filter_size // 2),) float."""
    x = np.asarray(x, dtype=np.float64)
    pad = np.zeros(filter_size // 2, dtype=np.float64)
    return np.hstack((pad, x, pad))
''',
    "conv1d_solution": '''
def convolution_one_dimensional(x, h):
    """1-D convolution, mode "same": x (N,), h (M,) with M <= N -> (N,) float."""
    n = len(x)
    padded = add_padding_1d(x, len(h))
    acc = np.zeros(n)
    for t, weight in enumerate(reversed(list(h))):
        acc += weight * padded[t : t + n]
    return acc
''',
    "padding_2d_solution": '''
def add_padding_2d(x, filter_shape):
    """Zero-pad an image: (H, W) -> (H + 2 * (kh // 2), W + 2 * (kw // 2)) float."""
    x = np.asarray(x, dtype=np.float64)
    py, px = filter_shape[0] // 2, filter_shape[1] // 2
    band = np.zeros((py, x.shape[1] + 2 * px))
    side = np.zeros((x.shape[0], px))
    return np.block([[band], [side, x, side], [band]])
''',
    "conv2d_solution": '''
def convolution_two_dimensional(x, h):
    """2-D convolution, mode "same": x (H, W), h (kh, kw) no larger than x -> (H, W) float."""
    h = np.asarray(h, dtype=np.float64)
    height, width = x.shape
    padded = add_padding_2d(x, h.shape)
    acc = np.zeros((height, width))
    for dy in range(h.shape[0]):
        for dx in range(h.shape[1]):
            acc += h[-1 - dy, -1 - dx] * padded[dy : dy + height, dx : dx + width]
    return acc
''',
    "sobel_solution": '''
def sobel_edges(image, threshold):
    """Edge map: image (H, W) -> (H, W) bool, True where the Sobel gradient magnitude > threshold."""
    as_complex = convolution_two_dimensional(image, SOBEL_X) + 1j * convolution_two_dimensional(
        image, SOBEL_Y
    )
    return np.abs(as_complex) > threshold
''',
}

MATRIX = {
    "padding_1d_solution": '''
def add_padding_1d(x, filter_size):
    """Zero-pad a 1-D array: (N,) -> (N + 2 * (filter_size // 2),) float."""
    values = [float(v) for v in x]
    zeros = [0.0 for _ in range(filter_size // 2)]
    return np.array(zeros + values + zeros)
''',
    "conv1d_solution": '''
def convolution_matrix(size, kernel):
    matrix = np.zeros((size, size + 2 * (len(kernel) // 2)))
    for row in range(size):
        matrix[row, row : row + len(kernel)] = kernel[::-1]
    return matrix


def convolution_one_dimensional(x, h):
    """1-D convolution, mode "same": x (N,), h (M,) with M <= N -> (N,) float."""
    kernel = np.asarray(h, dtype=float)
    return convolution_matrix(len(x), kernel) @ add_padding_1d(x, len(kernel))
''',
    "padding_2d_solution": '''
def add_padding_2d(x, filter_shape):
    """Zero-pad an image: (H, W) -> (H + 2 * (kh // 2), W + 2 * (kw // 2)) float."""
    wide = np.array([add_padding_1d(row, filter_shape[1]) for row in np.asarray(x, dtype=float)])
    return np.array([add_padding_1d(column, filter_shape[0]) for column in wide.T]).T
''',
    "conv2d_solution": '''
def convolution_two_dimensional(x, h):
    """2-D convolution, mode "same": x (H, W), h (kh, kw) no larger than x -> (H, W) float."""
    kernel = np.asarray(h, dtype=float)
    kh, kw = kernel.shape
    padded = add_padding_2d(x, kernel.shape)
    columns = np.array(
        [padded[r : r + kh, c : c + kw].ravel() for r in range(x.shape[0]) for c in range(x.shape[1])]
    )
    return (columns @ kernel[::-1, ::-1].ravel()).reshape(x.shape)
''',
    "sobel_solution": '''
def sobel_edges(image, threshold):
    """Edge map: image (H, W) -> (H, W) bool, True where the Sobel gradient magnitude > threshold."""
    gradients = [convolution_two_dimensional(image, kernel) for kernel in (SOBEL_X, SOBEL_Y)]
    magnitude = np.sqrt(sum(g**2 for g in gradients))
    return magnitude > threshold
''',
}

FFT = {
    "padding_1d_solution": '''
def add_padding_1d(x, filter_size):
    """Zero-pad a 1-D array: (N,) -> (N + 2 * (filter_size // 2),) float."""
    border = [0.0] * (filter_size // 2)
    return np.concatenate((border, x, border)).astype(float)
''',
    "conv1d_solution": '''
def convolution_one_dimensional(x, h):
    """1-D convolution, mode "same": x (N,), h (M,) with M <= N -> (N,) float."""
    padded = add_padding_1d(x, len(h))
    length = len(padded) + len(h) - 1
    spectrum = np.fft.rfft(padded, length) * np.fft.rfft(np.asarray(h, dtype=float), length)
    full = np.fft.irfft(spectrum, length)
    return full[len(h) - 1 : len(h) - 1 + len(x)]
''',
    "padding_2d_solution": '''
def add_padding_2d(x, filter_shape):
    """Zero-pad an image: (H, W) -> (H + 2 * (kh // 2), W + 2 * (kw // 2)) float."""
    kh, kw = filter_shape
    return np.pad(x.astype(float), ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="constant")
''',
    "conv2d_solution": '''
def convolution_two_dimensional(x, h):
    """2-D convolution, mode "same": x (H, W), h (kh, kw) no larger than x -> (H, W) float."""
    h = np.asarray(h, dtype=float)
    padded = add_padding_2d(x, h.shape)
    shape = (padded.shape[0] + h.shape[0] - 1, padded.shape[1] + h.shape[1] - 1)
    full = np.fft.irfft2(np.fft.rfft2(padded, shape) * np.fft.rfft2(h, shape), shape)
    top, left = h.shape[0] - 1, h.shape[1] - 1
    return full[top : top + x.shape[0], left : left + x.shape[1]]
''',
    "sobel_solution": '''
def sobel_edges(image, threshold):
    """Edge map: image (H, W) -> (H, W) bool, True where the Sobel gradient magnitude > threshold."""
    gx2 = np.square(convolution_two_dimensional(image, SOBEL_X))
    gy2 = np.square(convolution_two_dimensional(image, SOBEL_Y))
    return np.sqrt(gx2 + gy2) > threshold
''',
}

AUTHORS: dict[str, dict[str, str]] = {
    "loops": LOOPS,
    "sliding_windows": SLIDING_WINDOWS,
    "stride_tricks": STRIDE_TRICKS,
    "einsum": EINSUM,
    "shift_and_add": SHIFT_AND_ADD,
    "matrix": MATRIX,
    "fft": FFT,
}

#: What a disguise must keep: the functions the assignment names and the notebook's globals.
KEEP = {
    "add_padding_1d",
    "convolution_one_dimensional",
    "add_padding_2d",
    "convolution_two_dimensional",
    "sobel_edges",
    "np",
    "SOBEL_X",
    "SOBEL_Y",
}
#: The suffix of a disguised copy's student name.
COPY = "-copy"


def corpus() -> dict[str, dict[str, str]]:
    """Each author's code and a disguised copy of it (``<author>-copy``), by student."""
    students = {}
    for author, cells in AUTHORS.items():
        students[author] = cells
        students[author + COPY] = disguise(cells, KEEP)
    return students


def submit_corpus(course: Course) -> list[str]:
    """Release ex09 in ``course`` and put :func:`corpus` in its ``submitted/`` (the release with
    each student's cells filled in); the students."""
    course.nbgrader("generate_assignment", "ex09", "--force")
    release = course.notebook("release", "ex09")
    students = corpus()
    for student, cells in students.items():
        course.submit(student, fill(release, cells), assignment="ex09")
    return sorted(students)

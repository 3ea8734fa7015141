"""Interactive widgets of Exercise 10: a convolution-arithmetic explorer and a filter playground.

Both draw with Matplotlib's Agg canvas into PNG bytes, like ex09's (:mod:`helpers.widgets`), and
take every number they show from PyTorch (the reference of the exercise), never from a hand-written
formula: the widgets are no shortcut to a graded task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from helpers.filters import SOBEL_X, SOBEL_Y
from helpers.images import shapes_image
from helpers.widgets import figure_png

#: Grid cell kinds of :class:`Axis`, also the colour index of the drawing.
PADDING, INPUT, INSERTED = 0, 1, 2
CELL_COLOURS = ListedColormap(["#f0f0f0", "#9ecae1", "#fdd0a2"])


@dataclass(frozen=True)
class Axis:
    """One axis of a convolution drawn as a stride-free sweep over a grid.

    A convolution's grid is the padded input; a transposed convolution's is the input dilated by
    the stride and padded with ``dilation * (kernel - 1) - padding`` zeros on each side (cropped
    where that is negative), swept at stride 1.

    Attributes:
        kinds: (L,) int array, the kind of each grid cell (PADDING, INPUT or INSERTED).
        source: (L,) int array, the input index of each INPUT cell, -1 elsewhere.
        step: how far the kernel moves per output element on the grid.
        dilation: distance between the kernel's taps on the grid.
        kernel: number of taps.
        length: output length as PyTorch computes it; 0 when the output would be empty.
    """

    kinds: np.ndarray
    source: np.ndarray
    step: int
    dilation: int
    kernel: int
    length: int

    def taps(self, index: int) -> np.ndarray:
        """Grid positions read by output element ``index``: (kernel,) int."""
        return index * self.step + self.dilation * np.arange(self.kernel)

    def reads(self, index: int) -> list[int]:
        """The input indices that output element ``index`` reads (not padding or inserted zeros)."""
        return sorted({int(i) for i in self.source[self.taps(index)] if i >= 0})


def torch_length(n: int, k: int, stride: int, padding: int, dilation: int, transposed: bool) -> int:
    """Output length of PyTorch's (transposed) convolution of an n x n input; 0 if empty."""
    convolve = F.conv_transpose2d if transposed else F.conv2d
    try:
        out = convolve(
            torch.zeros(1, 1, n, n),
            torch.zeros(1, 1, k, k),
            stride=stride,
            padding=padding,
            dilation=dilation,
        )
    except RuntimeError:  # PyTorch refuses an empty output
        return 0
    return int(out.shape[-1])


def grid_axis(n: int, k: int, stride: int, padding: int, dilation: int, transposed: bool) -> Axis:
    """The grid along one axis of a convolution of an n-long input with a k-long kernel."""
    if transposed:
        offset = dilation * (k - 1) - padding
        positions = np.arange((n - 1) * stride + 1 + 2 * offset) - offset
        inside = (positions >= 0) & (positions <= (n - 1) * stride)
        on_input = inside & (positions % stride == 0)
        kinds = np.where(on_input, INPUT, np.where(inside, INSERTED, PADDING))
        source = np.where(on_input, positions // stride, -1)
        step = 1
    else:
        positions = np.arange(n + 2 * padding) - padding
        on_input = (positions >= 0) & (positions < n)
        kinds = np.where(on_input, INPUT, PADDING)
        source = np.where(on_input, positions, -1)
        step = stride
    length = torch_length(n, k, stride, padding, dilation, transposed)
    return Axis(kinds, source, step, dilation, k, length)


class ArithmeticExplorer(widgets.VBox):
    """Sliders for a square input's size, the kernel, stride, padding and dilation, and a toggle
    for the transposed convolution; draws the grid the kernel sweeps (padded, or dilated and
    padded) with the receptive field of the chosen output pixel, and the output."""

    def __init__(
        self,
        size: int = 5,
        kernel: int = 3,
        stride: int = 2,
        padding: int = 1,
        dilation: int = 1,
        transposed: bool = False,
    ) -> None:
        def slider(description: str, value: int, low: int, high: int) -> widgets.IntSlider:
            return widgets.IntSlider(
                value=value, min=low, max=high, description=description, continuous_update=False
            )

        self.size = slider("size n", size, 1, 10)
        self.kernel = slider("kernel k", kernel, 1, 5)
        self.stride = slider("stride s", stride, 1, 4)
        self.padding = slider("padding p", padding, 0, 4)
        self.dilation = slider("dilation d", dilation, 1, 3)
        self.transposed = widgets.ToggleButton(value=transposed, description="transposed")
        self.row = slider("output row", 0, 0, 0)
        self.column = slider("output col", 0, 0, 0)
        self.caption = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.settings = (
            self.size,
            self.kernel,
            self.stride,
            self.padding,
            self.dilation,
            self.transposed,
        )
        self._clamping = False
        for control in self.settings:
            control.observe(lambda _change: self.update(), names="value")
        for control in (self.row, self.column):
            control.observe(lambda _change: self._pixel_moved(), names="value")
        super().__init__(
            [
                widgets.HBox([widgets.VBox(self.settings), widgets.VBox([self.row, self.column])]),
                self.caption,
                self.image,
            ]
        )
        self.update()

    def update(self) -> None:
        """Recompute the grid after a setting changed, keep the chosen pixel inside the output,
        and redraw."""
        self.axis = grid_axis(*(control.value for control in self.settings))
        last = max(self.axis.length - 1, 0)
        self._clamping = True
        try:
            for control in (self.row, self.column):
                control.value = min(control.value, last)
                control.max = last
        finally:
            self._clamping = False
        self.show()

    def _pixel_moved(self) -> None:
        if not self._clamping:
            self.show()

    def describe(self) -> str:
        """The output size with its formula, and what the chosen output pixel reads (HTML)."""
        n, k, s, p, d = (control.value for control in self.settings[:-1])
        if self.transposed.value:
            formula = f"({n} - 1)·{s} - 2·{p} + {d}·({k} - 1) + 1"
        else:
            formula = f"⌊({n} + 2·{p} - {d}·({k} - 1) - 1) / {s}⌋ + 1"
        kind = "transposed convolution" if self.transposed.value else "convolution"
        if self.axis.length == 0:
            return (
                f"{kind}: {formula} < 1, <b>the output would be empty</b> (the kernel does not fit)"
            )
        rows, columns = self.axis.reads(self.row.value), self.axis.reads(self.column.value)
        reads = (
            f"reads input rows {rows} and columns {columns}"
            if rows and columns
            else "reads no input, only zeros"
        )
        return (
            f"{kind}: output {self.axis.length} x {self.axis.length} = {formula}; "
            f"output pixel ({self.row.value}, {self.column.value}) {reads}"
        )

    def render(self) -> Figure:
        """Draw the swept grid with the receptive field, and the output with the chosen pixel."""
        figure = Figure(figsize=(9, 4.6))
        grid_axes, output_axes = figure.subplots(1, 2, width_ratios=[3, 2])
        kinds = np.maximum.outer(self.axis.kinds, self.axis.kinds)
        kinds[np.minimum.outer(self.axis.kinds, self.axis.kinds) == PADDING] = PADDING
        if kinds.size == 0:  # a transposed convolution that crops more than it has
            kinds = np.full((1, 1), PADDING)
        grid_axes.imshow(kinds, cmap=CELL_COLOURS, vmin=0, vmax=2)
        draw_cell_lines(grid_axes, len(self.axis.kinds))
        title = (
            "dilated, padded input (flipped kernel, stride 1)"
            if self.transposed.value
            else "padded input"
        )
        grid_axes.set_title(f"{title} ({len(self.axis.kinds)} x {len(self.axis.kinds)})")
        grid_axes.legend(
            handles=[
                Patch(color=CELL_COLOURS(INPUT), label="input"),
                Patch(color=CELL_COLOURS(PADDING), label="padding"),
                Patch(color=CELL_COLOURS(INSERTED), label="inserted zero"),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=3,
            fontsize=8,
        )
        if self.axis.length:
            rows, columns = self.axis.taps(self.row.value), self.axis.taps(self.column.value)
            tap_rows, tap_columns = np.meshgrid(rows, columns, indexing="ij")
            grid_axes.scatter(tap_columns, tap_rows, marker="s", s=40, color="C3")
            grid_axes.add_patch(
                Rectangle(
                    (columns[0] - 0.5, rows[0] - 0.5),
                    columns[-1] - columns[0] + 1,
                    rows[-1] - rows[0] + 1,
                    fill=False,
                    color="C3",
                    linewidth=2,
                )
            )
            chosen = np.zeros((self.axis.length, self.axis.length))
            chosen[self.row.value, self.column.value] = 1
            output_axes.imshow(chosen, cmap=ListedColormap(["#c7e9c0", "#d62728"]), vmin=0, vmax=1)
            draw_cell_lines(output_axes, self.axis.length)
            output_axes.set_title(f"output ({self.axis.length} x {self.axis.length})")
        else:
            output_axes.set_axis_off()
            output_axes.text(0.5, 0.5, "empty output", ha="center", va="center")
        return figure

    def show(self) -> None:
        """Redraw the caption and the picture."""
        self.caption.value = self.describe()
        self.image.value = figure_png(self.render())


def draw_cell_lines(axes, cells: int) -> None:
    """Outline each of the ``cells`` x ``cells`` cells drawn by ``imshow``, without tick labels."""
    for edge in np.arange(-0.5, cells):
        axes.axhline(edge, color="white", linewidth=1)
        axes.axvline(edge, color="white", linewidth=1)
    axes.set_xticks([])
    axes.set_yticks([])


def explore_arithmetic(**settings: int | bool) -> ArithmeticExplorer:
    """Return a widget that draws a convolution's padded (or a transposed one's dilated) grid.

    Args:
        settings: starting values of ``size``, ``kernel``, ``stride``, ``padding``, ``dilation``
            (ints) and ``transposed`` (bool).
    """
    return ArithmeticExplorer(**settings)


#: The kernels the playground offers, each (3, 3) float.
PRESETS: dict[str, np.ndarray] = {
    "Sobel x": SOBEL_X,
    "Sobel y": SOBEL_Y,
    "checkerboard": np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0], [1.0, -1.0, 1.0]]),
    "X": np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]),
    "box blur": np.full((3, 3), 1 / 9),
    "identity": np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
}
#: Side of the small input whose convolution matrix the playground draws.
MATRIX_INPUT = 6

FitFilter = Callable[[np.ndarray, np.ndarray, tuple[int, int]], tuple[np.ndarray, list[float]]]


def correlate(image: np.ndarray, kernel: np.ndarray, padding: int = 0) -> np.ndarray:
    """PyTorch's convolution (no flip) of an (H, W) image with a (kh, kw) kernel, float64."""
    return F.conv2d(
        torch.as_tensor(image, dtype=torch.float64)[None, None],
        torch.as_tensor(kernel, dtype=torch.float64)[None, None],
        padding=padding,
    )[0, 0].numpy()


def measured_conv_matrix(kernel: np.ndarray, side: int = MATRIX_INPUT) -> np.ndarray:
    """The matrix of the valid convolution of a (side, side) input, measured as the lecture does:
    the autograd Jacobian of ``F.conv2d``. (oh * ow, side * side) float64."""
    weight = torch.as_tensor(kernel, dtype=torch.float64)[None, None]
    jacobian = torch.autograd.functional.jacobian(
        lambda x: F.conv2d(x[None, None], weight).ravel(),
        torch.zeros(side, side, dtype=torch.float64),
    )
    return jacobian.reshape(-1, side * side).numpy()


class FilterPlayground(widgets.VBox):
    """Edit a 3x3 kernel (or pick a preset) and see the filtered image, the kernel's convolution
    matrix on a small input and its singular values; Learn runs the student's ``fit_filter``
    toward a hidden target kernel and puts what it learned into the editor."""

    def __init__(
        self, image: np.ndarray | None = None, fit_filter: FitFilter | None = None, seed: int = 0
    ) -> None:
        self.image = shapes_image() if image is None else np.asarray(image, dtype=np.float64)
        if self.image.ndim != 2 or min(self.image.shape) < 3:
            raise ValueError(f"expected an (H, W) image with H, W >= 3, got {self.image.shape}")
        self.fit_filter = fit_filter
        #: The kernel Learn aims at, hidden from the picture until learned.
        self.target = np.random.default_rng(seed).normal(size=(3, 3)).round(1)
        self.losses: list[float] = []
        self._editing = False
        self.entries = [widgets.FloatText(layout=widgets.Layout(width="72px")) for _ in range(9)]
        editor = widgets.GridBox(
            self.entries, layout=widgets.Layout(grid_template_columns="repeat(3, 76px)")
        )
        self.preset = widgets.Dropdown(options=list(PRESETS), value="Sobel x", description="preset")
        self.learn_button = widgets.Button(
            description="Learn",
            disabled=fit_filter is None,
            tooltip="runs your fit_filter toward a hidden kernel"
            if fit_filter
            else "pass your function: filter_playground(fit_filter)",
        )
        self.status = widgets.HTML(
            "Edit the kernel or pick a preset."
            if fit_filter
            else "Edit the kernel or pick a preset. Learn needs filter_playground(fit_filter)."
        )
        self.picture = widgets.Image(format="png")
        for entry in self.entries:
            entry.observe(lambda _change: self._edited(), names="value")
        self.preset.observe(lambda change: self.set_kernel(PRESETS[change["new"]]), names="value")
        self.learn_button.on_click(lambda _button: self.learn())
        super().__init__(
            [
                widgets.HBox([editor, widgets.VBox([self.preset, self.learn_button])]),
                self.status,
                self.picture,
            ]
        )
        self.set_kernel(PRESETS["Sobel x"])

    @property
    def kernel(self) -> np.ndarray:
        """The kernel in the editor: (3, 3) float64."""
        return np.array([entry.value for entry in self.entries], dtype=np.float64).reshape(3, 3)

    def set_kernel(self, kernel: np.ndarray) -> None:
        """Put a (3, 3) kernel into the editor and redraw once."""
        self._editing = True
        try:
            for entry, value in zip(self.entries, np.asarray(kernel, float).ravel(), strict=True):
                entry.value = round(float(value), 4)
        finally:
            self._editing = False
        self.show()

    def _edited(self) -> None:
        if not self._editing:
            self.show()

    def learn(self) -> np.ndarray:
        """Run ``fit_filter`` on the image and its response to the hidden target; show the
        learned kernel, its loss curve and its distance to the target.

        Returns:
            The learned kernel, (3, 3) float64.
        """
        if self.fit_filter is None:
            raise ValueError(
                "no fit_filter: create the playground with filter_playground(fit_filter)"
            )
        self.status.value = "learning..."
        learned, self.losses = self.fit_filter(
            self.image, correlate(self.image, self.target), (3, 3)
        )
        learned = np.asarray(learned, dtype=np.float64)
        distance = float(np.abs(learned - self.target).max())
        self.status.value = (
            f"fit_filter took {len(self.losses)} steps; the learned kernel is within "
            f"{distance:.2g} of the hidden one"
        )
        self.set_kernel(learned)
        return learned

    def render(self) -> Figure:
        """The filtered image, the convolution matrix, the singular values and the loss curve."""
        figure = Figure(figsize=(12, 3.2))
        filtered_axes, matrix_axes, values_axes, loss_axes = figure.subplots(
            1, 4, width_ratios=[1, 1.4, 0.8, 1]
        )
        filtered_axes.imshow(correlate(self.image, self.kernel, padding=1), cmap="gray")
        filtered_axes.set_title("filtered image")
        filtered_axes.set_axis_off()
        matrix = measured_conv_matrix(self.kernel)
        limit = max(float(np.abs(matrix).max()), 1e-12)
        matrix_axes.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit)
        matrix_axes.set_title(
            f"conv matrix on {MATRIX_INPUT}x{MATRIX_INPUT}: {matrix.shape[0]} x {matrix.shape[1]}"
        )
        matrix_axes.tick_params(labelsize=7)
        values = np.linalg.svd(self.kernel, compute_uv=False)
        values_axes.bar(range(1, 4), values, color="C0")
        values_axes.set_xticks(range(1, 4))
        separable = values[1] <= 1e-8 * values[0]
        values_axes.set_title("singular values" + (" (separable)" if separable else ""))
        if self.losses:
            loss_axes.semilogy(self.losses)
            loss_axes.set_xlabel("step")
            loss_axes.set_title("fit_filter's loss")
        else:
            loss_axes.set_axis_off()
            loss_axes.text(0.5, 0.5, "press Learn", ha="center", va="center")
        figure.tight_layout()
        return figure

    def show(self) -> None:
        """Redraw the picture."""
        self.picture.value = figure_png(self.render())


def filter_playground(
    fit_filter: FitFilter | None = None, image: np.ndarray | None = None
) -> FilterPlayground:
    """Return a widget to edit a 3x3 kernel and see what it does.

    Args:
        fit_filter: your ``fit_filter(x, y, kernel_shape) -> (kernel, losses)``; enables Learn.
        image: (H, W) grey-scale image to filter; a test pattern by default.
    """
    return FilterPlayground(image, fit_filter)

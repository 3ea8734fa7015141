"""Interactive widgets of Exercise 09, built on ipywidgets (JupyterLab 4, Notebook 7).

Both widgets render with Matplotlib's Agg canvas into PNG bytes, so they work in any front end and
never block the kernel (no ``input()``, no ``%matplotlib notebook``).
"""

from __future__ import annotations

import io

import ipycanvas
import ipywidgets as widgets
import numpy as np
import scipy.ndimage
import scipy.signal
import torch
from matplotlib.figure import Figure

from helpers.filters import gaussian_kernel

DEFAULT_SIGNAL = np.array([0, 0, 1, 1, 1, 1, 0, 0, 2, 2, 0, 0, 0, 1, 0, 0], dtype=float)
#: An asymmetric kernel, so that flipping it visibly matters.
DEFAULT_KERNEL = np.array([1.0, 0.5, 0.25])


def figure_png(figure: Figure) -> bytes:
    """Render a Matplotlib figure to PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    return buffer.getvalue()


class ConvolutionVisualizer(widgets.VBox):
    """Steps a flipped kernel across a 1-D signal and draws the output computed so far.

    The output is ``np.convolve(x, h, mode="same")``: at step ``n`` the flipped kernel covers the
    zero-padded input ``x_pad[n : n + len(h)]`` (``len(h) // 2`` zeros on each side).
    """

    def __init__(self, x: np.ndarray, h: np.ndarray) -> None:
        self.x = np.asarray(x, dtype=float)
        self.h = np.asarray(h, dtype=float)
        if self.x.ndim != 1 or self.h.ndim != 1 or not 1 <= len(self.h) <= len(self.x):
            raise ValueError(
                f"expected 1-D x and h with 1 <= len(h) <= len(x), got shapes {self.x.shape} and "
                f"{self.h.shape}"
            )
        self.padding = len(self.h) // 2
        self.x_padded = np.pad(self.x, self.padding)
        self.y = np.convolve(self.x, self.h, mode="same")
        self.play = widgets.Play(min=0, max=len(self.x) - 1, interval=700, description="Play")
        self.slider = widgets.IntSlider(min=0, max=len(self.x) - 1, description="output n")
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.image = widgets.Image(format="png")
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        super().__init__([widgets.HBox([self.play, self.slider]), self.image])
        self.show(0)

    def partial_output(self, step: int) -> np.ndarray:
        """Output values computed up to and including ``step``: (step + 1,) float."""
        return self.y[: step + 1]

    def render(self, step: int) -> Figure:
        """Draw input with the flipped kernel at ``step``, and the partial output."""
        figure = Figure(figsize=(8, 4.5))
        top, bottom = figure.subplots(2, 1, sharex=True)
        positions = np.arange(len(self.x_padded)) - self.padding
        top.stem(positions, self.x_padded, basefmt=" ", label="input x (zero-padded)")
        window = np.arange(step, step + len(self.h)) - self.padding
        top.stem(
            window,
            self.h[::-1],
            linefmt="C3-",
            markerfmt="C3s",
            basefmt=" ",
            label="flipped kernel h",
        )
        top.axvspan(window[0] - 0.4, window[-1] + 0.4, color="C3", alpha=0.1)
        top.set_title(
            f"y[{step}] = sum(x_pad[{step}:{step + len(self.h)}] * h[::-1]) = {self.y[step]:.3g}"
        )
        top.legend(loc="upper right")
        bottom.stem(
            np.arange(step + 1),
            self.partial_output(step),
            linefmt="C2-",
            markerfmt="C2o",
            basefmt=" ",
        )
        bottom.set_xlim(positions[0] - 0.5, positions[-1] + 0.5)
        bottom.set_ylim(min(0.0, self.y.min()) - 0.2, self.y.max() + 0.2)
        bottom.set_title("output y computed so far")
        return figure

    def show(self, step: int) -> None:
        """Render ``step`` into the image widget."""
        self.image.value = figure_png(self.render(step))


def visualize_convolution(
    x: np.ndarray | None = None, h: np.ndarray | None = None
) -> ConvolutionVisualizer:
    """Return a widget that steps through ``np.convolve(x, h, mode="same")``.

    Args:
        x: (N,) real signal; a short demo signal by default.
        h: (M,) real kernel with 1 <= M <= N; an asymmetric 3-tap kernel by default.
    """
    return ConvolutionVisualizer(
        DEFAULT_SIGNAL if x is None else x, DEFAULT_KERNEL if h is None else h
    )


def center_like_mnist(grid: np.ndarray) -> np.ndarray:
    """Shift a drawn digit so its centre of mass is the image centre, as in MNIST.

    Args:
        grid: (H, W) float array in [0, 1].

    Returns:
        (H, W) float32 array in [0, 1].
    """
    if grid.max() <= 0:
        return grid.astype(np.float32)
    row, col = scipy.ndimage.center_of_mass(grid)
    shift = ((grid.shape[0] - 1) / 2 - row, (grid.shape[1] - 1) / 2 - col)
    return np.clip(scipy.ndimage.shift(grid, shift, order=1), 0, 1).astype(np.float32)


class DrawingPad(widgets.VBox):
    """Draw a digit with the mouse and let a model classify it.

    ``grid`` holds the drawing as a (H, W) float32 array in [0, 1], white digit on black like the
    training images; each canvas pixel block of ``scale`` x ``scale`` is one grid cell.
    """

    def __init__(
        self,
        shape: tuple[int, int] = (28, 28),
        model: torch.nn.Module | None = None,
        device: torch.device | str = "cpu",
        scale: int = 10,
    ) -> None:
        self.grid = np.zeros(shape, dtype=np.float32)
        self.model = model
        self.device = torch.device(device)
        self.scale = scale
        self.probabilities: np.ndarray | None = None
        self._drawing = False
        self._last: tuple[float, float] | None = None
        self.canvas = ipycanvas.Canvas(width=shape[1] * scale, height=shape[0] * scale)
        self.canvas.layout.border = "1px solid #888"
        self.canvas.on_mouse_down(self._on_mouse_down)
        self.canvas.on_mouse_move(self._on_mouse_move)
        self.canvas.on_mouse_up(self._on_mouse_up)
        self.canvas.on_mouse_out(self._on_mouse_up)
        buttons = []
        for label, action in (
            ("Reset", self.reset),
            ("Blur", self.blur),
            ("Predict", self.predict),
        ):
            button = widgets.Button(description=label)
            button.on_click(lambda _button, action=action: action())
            buttons.append(button)
        self.reset_button, self.blur_button, self.predict_button = buttons
        self.prediction = widgets.HTML("Draw a digit, then press Predict.")
        self.chart = widgets.Image(format="png")
        super().__init__([self.canvas, widgets.HBox(buttons), self.prediction, self.chart])
        self._redraw()

    def _on_mouse_down(self, x: float, y: float) -> None:
        self._drawing = True
        self._last = (x, y)
        self.draw_stroke([(x, y)])

    def _on_mouse_move(self, x: float, y: float) -> None:
        if self._drawing and self._last is not None:
            self.draw_stroke([self._last, (x, y)])
            self._last = (x, y)

    def _on_mouse_up(self, x: float, y: float) -> None:
        self._drawing = False
        self._last = None

    def draw_stroke(self, points: list[tuple[float, float]]) -> None:
        """Paint a stroke through canvas pixel coordinates ``[(x, y), ...]`` into ``grid``."""
        cells = []
        for (x0, y0), (x1, y1) in zip(points, points[1:] or points, strict=False):
            steps = max(2, int(np.hypot(x1 - x0, y1 - y0) / (self.scale / 3)) + 1)
            cells += [(y0 + t * (y1 - y0), x0 + t * (x1 - x0)) for t in np.linspace(0, 1, steps)]
        rows, cols = np.indices(self.grid.shape)
        for y, x in cells:
            distance = np.hypot(rows + 0.5 - y / self.scale, cols + 0.5 - x / self.scale)
            self.grid = np.maximum(self.grid, np.clip(1.6 - distance, 0, 1).astype(np.float32))
        self._redraw()

    def reset(self) -> None:
        """Clear the drawing and the prediction."""
        self.grid = np.zeros_like(self.grid)
        self.probabilities = None
        self.prediction.value = "Draw a digit, then press Predict."
        self.chart.value = b""
        self._redraw()

    def blur(self, size: int = 3, sigma: float = 0.8) -> None:
        """Soften the drawing with a Gaussian kernel, keeping the brightest cell at 1."""
        blurred = scipy.signal.convolve2d(self.grid, gaussian_kernel(size, sigma), mode="same")
        if blurred.max() > 0:
            blurred /= blurred.max()
        self.grid = blurred.astype(np.float32)
        self._redraw()

    def predict(self) -> int:
        """Classify the drawing with ``model`` (eval mode, no gradients) and show the probabilities.

        Returns:
            The predicted class.
        """
        if self.model is None:
            raise ValueError("DrawingPad has no model: create it with DrawingPad(model=your_model)")
        was_training = self.model.training
        self.model.eval()
        try:
            image = torch.from_numpy(center_like_mnist(self.grid))[None, None].to(self.device)
            with torch.no_grad():
                logits = self.model(image)
        finally:
            self.model.train(was_training)
        self.probabilities = torch.softmax(logits, dim=1)[0].cpu().numpy()
        label = int(self.probabilities.argmax())
        self.prediction.value = (
            f"<b>Prediction: {label}</b> (probability {self.probabilities[label]:.0%})"
        )
        self.chart.value = figure_png(self._chart())
        return label

    def _chart(self) -> Figure:
        figure = Figure(figsize=(4, 2))
        axes = figure.subplots()
        axes.bar(range(len(self.probabilities)), self.probabilities, color="C0")
        axes.set_xticks(range(len(self.probabilities)))
        axes.set_ylim(0, 1)
        axes.set_title("class probabilities")
        return figure

    def _redraw(self) -> None:
        pixels = np.kron(self.grid, np.ones((self.scale, self.scale), dtype=np.float32))
        self.canvas.put_image_data(
            (np.repeat(pixels[..., None], 3, axis=2) * 255).astype(np.uint8), 0, 0
        )

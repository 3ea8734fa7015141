"""The convolution visualiser and the drawing pad, driven without a browser."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from helpers import DrawingPad, visualize_convolution
from helpers.widgets import center_like_mnist


@pytest.mark.parametrize(
    ("x", "h"), [(None, None), (np.arange(7.0), np.array([1.0, -1.0])), (np.ones(4), np.ones(4))]
)
def test_visualizer_steps_through_np_convolve(x, h):
    widget = visualize_convolution(x, h)
    last = widget.slider.max
    expected = np.convolve(widget.x, widget.h, mode="same")
    np.testing.assert_allclose(
        widget.partial_output(last), expected, err_msg="the last step should show the output"
    )
    assert len(widget.partial_output(0)) == 1, "step 0 should show one output value"


def test_visualizer_redraws_when_the_slider_moves():
    widget = visualize_convolution()
    first = widget.image.value
    widget.slider.value = 3
    assert widget.image.value and widget.image.value != first, (
        "moving the slider should draw a new picture"
    )


def test_visualizer_rejects_a_kernel_longer_than_the_signal():
    with pytest.raises(ValueError, match="len\\(h\\) <= len\\(x\\)"):
        visualize_convolution(np.ones(2), np.ones(3))


def test_drawing_a_stroke_marks_the_grid_like_mnist():
    pad = DrawingPad()
    pad.draw_stroke([(140, 40), (140, 240)])  # a vertical stroke in canvas pixels (scale 10)
    assert pad.grid.shape == (28, 28) and pad.grid.dtype == np.float32, (
        f"got {pad.grid.shape} {pad.grid.dtype}"
    )
    assert pad.grid.max() == 1.0 and pad.grid.min() == 0.0, "ink should be 1 and background 0"
    column = pad.grid[:, 14]
    assert column[5:23].min() > 0.5 and column[:2].max() == 0.0, (
        f"expected ink in rows 5-22 only, got {column}"
    )


def test_mouse_events_draw_while_the_button_is_down():
    pad = DrawingPad()
    pad._on_mouse_move(50, 50)
    assert pad.grid.max() == 0, "moving without pressing should not draw"
    pad._on_mouse_down(50, 50)
    pad._on_mouse_move(200, 50)
    pad._on_mouse_up(200, 50)
    pad._on_mouse_move(200, 200)
    assert pad.grid[5, 5:20].min() > 0.5, "the dragged stroke should be drawn"
    assert pad.grid[20, 20] == 0, "moves after the button is released should not draw"


def test_reset_and_blur():
    pad = DrawingPad()
    pad.draw_stroke([(100, 100)])
    pad.blur()
    assert pad.grid.max() == pytest.approx(1.0) and (pad.grid > 0).sum() > 9, (
        "blur should spread the ink"
    )
    pad.reset()
    assert pad.grid.max() == 0, "reset should clear the grid"


def test_predict_uses_eval_mode_without_gradients_and_shows_probabilities():
    seen = []

    class Spy(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(784, 10)

        def forward(self, x):
            seen.append((self.training, torch.is_grad_enabled(), tuple(x.shape)))
            return self.linear(x.flatten(1))

    model = Spy().train()
    pad = DrawingPad(model=model)
    pad.draw_stroke([(100, 60), (100, 220)])
    label = pad.predict()
    assert seen == [(False, False, (1, 1, 28, 28))], (
        f"expected one eval-mode, no-grad call on (1, 1, 28, 28), got {seen}"
    )
    assert model.training, "predict should restore the model's training mode"
    assert 0 <= label < 10 and pad.probabilities.sum() == pytest.approx(1.0), (
        "expected a class and probabilities"
    )
    assert f"Prediction: {label}" in pad.prediction.value and pad.chart.value, (
        "the prediction and chart should show"
    )


def test_predict_without_model_says_how_to_fix_it():
    with pytest.raises(ValueError, match="DrawingPad\\(model=your_model\\)"):
        DrawingPad().predict()


def test_centering_moves_the_centre_of_mass_to_the_middle():
    grid = np.zeros((28, 28))
    grid[2:6, 2:6] = 1.0
    centred = center_like_mnist(grid)
    rows, cols = np.nonzero(centred > 0.5)
    assert abs(rows.mean() - 13.5) < 1 and abs(cols.mean() - 13.5) < 1, (
        f"centre at ({rows.mean()}, {cols.mean()})"
    )

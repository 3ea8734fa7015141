"""Loading images for the convolution exercises."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError


def load_blackwhite_image(path: str | Path) -> np.ndarray:
    """Load an image file as a grey-scale array.

    RGB and RGBA images are converted to luminance (transparent pixels count as white), grey
    images are used as they are.

    Args:
        path: path of a PNG (or any format Pillow reads).

    Returns:
        (H, W) float64 array with values in [0, 1], 0 black and 1 white.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the file is not an image.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"image file {path} does not exist (working directory: {Path.cwd()})"
        )
    try:
        with Image.open(path) as image:
            if image.mode in ("RGBA", "LA", "P"):
                rgba = image.convert("RGBA")
                background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                image = Image.alpha_composite(background, rgba)
            grey = np.asarray(image.convert("L"), dtype=np.float64)
    except UnidentifiedImageError as error:
        raise ValueError(f"{path} is not an image file Pillow can read") from error
    return grey / 255.0


def shapes_image(size: int = 32) -> np.ndarray:
    """A grey-scale picture with edges in every direction: a bright disc, a mid-grey square and a
    diagonal bar on black.

    Returns:
        (size, size) float64 array with values in [0, 1].
    """
    rows, columns = np.mgrid[0:size, 0:size] / size
    image = np.zeros((size, size))
    image[(rows - 0.3) ** 2 + (columns - 0.3) ** 2 < 0.04] = 1.0
    image[(rows > 0.55) & (rows < 0.85) & (columns > 0.15) & (columns < 0.45)] = 0.5
    image[(np.abs(rows + columns - 1.3) < 0.06) & (columns > 0.55)] = 0.8
    return image

"""Draw the images Exercise 09 uses: the course logo and the two architecture figures.

Usage: ``python grader_tests/ex09/make_figures.py [OUTPUT_DIR]`` (default ``source/ex09/images``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, Polygon, Rectangle

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "source" / "ex09" / "images"


def logo() -> Figure:
    """A black-and-white logo with straight, round and slanted edges for the filters to find."""
    figure = Figure(figsize=(3.2, 2.0), dpi=50)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 16)
    axes.set_ylim(0, 10)
    axes.axis("off")
    axes.add_patch(Rectangle((1, 1.5), 5, 7, color="black"))
    axes.add_patch(Circle((10.5, 5), 3.2, color="black"))
    axes.add_patch(Circle((10.5, 5), 1.5, color="white"))
    axes.add_patch(Polygon([(13, 1), (15.5, 1), (15.5, 9)], color="black"))
    axes.text(3.5, 5, "CNN", color="white", ha="center", va="center", fontsize=16, weight="bold")
    return figure


def architecture(layers: list[tuple[str, str]], title: str) -> Figure:
    """A left-to-right chain of labelled boxes, one per layer."""
    figure = Figure(figsize=(1.6 * len(layers), 1.8), dpi=80)
    axes = figure.add_axes((0, 0, 1, 0.85))
    axes.set_xlim(0, 1.6 * len(layers))
    axes.set_ylim(0, 1.6)
    axes.axis("off")
    figure.suptitle(title, fontsize=11)
    colours = {"conv": "#9ecae1", "pool": "#fdd0a2", "fc": "#c7e9c0", "io": "#eeeeee"}
    for index, (kind, label) in enumerate(layers):
        x = 1.6 * index + 0.1
        axes.add_patch(
            FancyBboxPatch((x, 0.3), 1.3, 1.0, boxstyle="round,pad=0.02", color=colours[kind])
        )
        axes.text(x + 0.65, 0.8, label, ha="center", va="center", fontsize=8)
        if index:
            axes.annotate("", (x, 0.8), (x - 0.3, 0.8), arrowprops={"arrowstyle": "->"})
    return figure


LENET = [
    ("io", "input\n1x28x28"),
    ("conv", "conv 3x3\n1->6, pad 1\nReLU"),
    ("pool", "max-pool 2\n6x14x14"),
    ("conv", "conv 3x3\n6->16, pad 1\nReLU"),
    ("pool", "max-pool 2\n16x7x7"),
    ("fc", "flatten\n784->120\nReLU"),
    ("fc", "120->84\nReLU"),
    ("fc", "84->10\nlogits"),
]
CNN3 = [
    ("io", "input\n1x28x28"),
    ("conv", "conv 3x3\n1->f0, ReLU\nmax-pool 2"),
    ("conv", "conv 3x3\nf0->f1, ReLU\nmax-pool 2"),
    ("conv", "conv 3x3\nf1->f2, ReLU\nmax-pool 2"),
    ("fc", "flatten\n9*f2->128\nReLU"),
    ("fc", "128->10\nlogits"),
]


def main(*, output: Path = DEFAULT_OUTPUT) -> None:
    """Write ``logo.png``, ``lenet.png`` and ``cnn.png`` to ``output``."""
    output.mkdir(parents=True, exist_ok=True)
    logo().savefig(output / "logo.png")
    architecture(LENET, "CNN_LeNet (a LeNet-5 variant)").savefig(output / "lenet.png")
    architecture(CNN3, "CNN(filters=(f0, f1, f2)), default (16, 32, 64)").savefig(
        output / "cnn.png"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "output", nargs="?", type=Path, default=DEFAULT_OUTPUT, help="folder for the PNG files"
    )
    main(output=parser.parse_args().output)

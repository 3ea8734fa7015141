"""The public checks pass every assignment's solution, and each typical mistake fails its check
with a message that names what to look at: the contract of form it breaks, the library call that
earns nothing, or the student's earlier function at fault (run as a student runs them:
:mod:`public_checks`)."""

from __future__ import annotations

import pytest

from grading.submissions import read, solution_sources
from support.paths import ASSIGNMENTS, ROOT
from support.public_checks import public_verdicts


def notebooks(assignment: str):
    """The released notebook and the solution cells of ``assignment``."""
    source = read(str(ROOT / "source" / assignment / f"{assignment}.ipynb"))
    release = read(str(ROOT / "release" / assignment / f"{assignment}.ipynb"))
    return release, solution_sources(source)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_public_check_passes_the_solution(assignment):
    release, solutions = notebooks(assignment)
    failed = {
        cell: verdict for cell, verdict in public_verdicts(release, solutions).items() if verdict
    }
    assert not failed, (
        f"expected every public check of {assignment}'s solution to pass, got {failed}"
    )


#: (assignment, solution cell and code (or {solution cell: code}), graded cell, what the
#: failure must say)
MISTAKES = {
    "conv1d_by_np_convolve": (
        "ex09",
        "conv1d_solution",
        "def convolution_one_dimensional(x, h):\n    return np.convolve(x, h, 'same').astype(float)",
        "test_conv1d",
        "calls convolve: a library function that does this task for you earns no credit",
    ),
    "conv1d_by_an_alias_from_another_cell": (
        "ex09",
        {
            "padding_1d_solution": "slide = np.convolve\n\ndef add_padding_1d(x, filter_size):\n"
            "    return np.pad(np.asarray(x, dtype=float), filter_size // 2)",
            "conv1d_solution": "def convolution_one_dimensional(x, h):\n"
            "    return slide(x, h, 'same').astype(float)",
        },
        "test_conv1d",
        "calls slide (= numpy.convolve)",
    ),
    "conv1d_blames_a_wrong_padding": (
        "ex09",
        "padding_1d_solution",
        "def add_padding_1d(x, filter_size):\n    return np.pad(np.asarray(x, dtype=float), filter_size)",
        "test_conv1d",
        "uses your add_padding_1d, which fails its own check",
    ),
    "fc_with_wrong_layer_sizes": (
        "ex09",
        "fc_solution",
        "class FC(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layers = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),\n"
        "            nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))\n\n"
        "    def forward(self, x):\n        return self.layers(x)",
        "test_fc",
        "missing [(256, 512), (512,), (512, 784)], not in the specification [(256, 784)]",
    ),
    "lenet_without_padding": (
        "ex09",
        "lenet_solution",
        "class CNN_LeNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.conv1 = nn.Conv2d(1, 6, 3)\n        self.conv2 = nn.Conv2d(6, 16, 3)\n"
        "        self.fc1 = nn.Linear(784, 120)\n        self.fc2 = nn.Linear(120, 84)\n"
        "        self.fc3 = nn.Linear(84, 10)\n\n    def forward(self, x):\n"
        "        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n"
        "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n"
        "        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))))",
        "test_lenet",
        "in linear (its 3rd layer) on an input of shape (3, 400)",
    ),
    "cnn_missing_the_last_relu": (
        "ex09",
        "cnn_solution",
        "class CNN(nn.Module):\n    def __init__(self, filters=(16, 32, 64)):\n"
        "        super().__init__()\n        f = filters\n"
        "        self.convs = nn.ModuleList([nn.Conv2d(1, f[0], 3, padding=1),\n"
        "            nn.Conv2d(f[0], f[1], 3, padding=1), nn.Conv2d(f[1], f[2], 3, padding=1)])\n"
        "        self.fc1 = nn.Linear(9 * f[2], 128)\n        self.fc2 = nn.Linear(128, 10)\n\n"
        "    def forward(self, x):\n        for conv in self.convs:\n"
        "            x = F.max_pool2d(F.relu(conv(x)), 2)\n"
        "        return self.fc2(self.fc1(torch.flatten(x, 1)))",
        "test_cnn",
        "after its 4th layer (linear, weight (128, 576)) expected a ReLU",
    ),
    "train_without_eval_mode": (
        "ex09",
        "train_model_solution",
        "def train_model(model, crit, opt, dl_tr, dl_te, epochs):\n    accuracies = []\n"
        "    for _ in range(epochs):\n        model.train()\n        for x, y in dl_tr:\n"
        "            opt.zero_grad()\n            crit(model(x), y).backward()\n            opt.step()\n"
        "        correct = 0\n        with torch.no_grad():\n            for x, y in dl_te:\n"
        "                correct += (model(x).argmax(1) == y).sum().item()\n"
        "        accuracies.append(correct / len(dl_te.dataset))\n    return accuracies",
        "test_train_model",
        "ran in train mode or with gradients: call model.eval()",
    ),
    "train_on_one_batch": (
        "ex09",
        "train_model_solution",
        "def train_model(model, crit, opt, dl_tr, dl_te, epochs):\n    accuracies = []\n"
        "    for _ in range(epochs):\n        model.train()\n        x, y = next(iter(dl_tr))\n"
        "        opt.zero_grad()\n        crit(model(x), y).backward()\n        opt.step()\n"
        "        model.eval()\n        correct = 0\n        with torch.no_grad():\n"
        "            for x, y in dl_te:\n                correct += (model(x).argmax(1) == y).sum().item()\n"
        "        accuracies.append(correct / len(dl_te.dataset))\n    return accuracies",
        "test_train_model",
        "expected 6 calls of opt.step() (2 epochs x 3 batches), got 2",
    ),
    "parameter_count_as_float": (
        "ex09",
        "param_answers_solution",
        "n_params_fc = float(sum(p.numel() for p in FC().parameters()))\n"
        "n_params_lenet = sum(p.numel() for p in CNN_LeNet().parameters())\n"
        "n_params_cnn = sum(p.numel() for p in CNN().parameters())",
        "test_param_answers",
        "n_params_fc (your FC() has 567,434 trainable parameters): expected an int",
    ),
    "output_size_true_division": (
        "ex10",
        "output_size_solution",
        "def conv_output_size(n, k, stride=1, padding=0, dilation=1):\n"
        "    size = (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1.0\n"
        "    if size < 1:\n        raise ValueError('empty')\n    return size\n\n"
        "def conv_transpose_output_size(n, k, stride=1, padding=0, output_padding=0, dilation=1):\n"
        "    size = (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1\n"
        "    if size < 1:\n        raise ValueError('empty')\n    return size",
        "test_output_size",
        "conv_output_size(28, 5): expected a Python int (24), got float 24.0",
    ),
    "fit_filter_returns_a_4d_kernel": (
        "ex10",
        "fit_filter_solution",
        "def fit_filter(x, y, kernel_shape):\n"
        "    xt, yt = torch.tensor(x)[None, None], torch.tensor(y)[None, None]\n"
        "    k = torch.zeros((1, 1, *kernel_shape), dtype=torch.float64, requires_grad=True)\n"
        "    opt = torch.optim.Adam([k], lr=0.1)\n    losses = []\n    for _ in range(400):\n"
        "        loss = F.mse_loss(F.conv2d(xt, k), yt)\n        opt.zero_grad()\n"
        "        loss.backward()\n        opt.step()\n        losses.append(loss.item())\n"
        "    return k.detach().numpy(), losses",
        "test_fit_filter",
        "expected the kernel as a NumPy array of shape (3, 3)",
    ),
    "conv_transpose2d_blames_a_wrong_dilate2d": (
        "ex10",
        "dilate2d_solution",
        "def dilate2d(x, factor):\n    return np.asarray(x, dtype=np.float64)",
        "test_conv_transpose2d",
        "uses your dilate2d, which fails its own check",
    ),
    "rank1_filter_returns_matrices": (
        "ex10",
        "separable_solution",
        "def rank1_filter(kernel):\n    u, s, vt = np.linalg.svd(kernel)\n"
        "    return u[:, :1] * np.sqrt(s[0]), vt[:1] * np.sqrt(s[0])\n\n"
        "def is_separable(kernel, rtol=1e-8):\n    s = np.linalg.svd(kernel, compute_uv=False)\n"
        "    return bool(s[1] <= rtol * s[0])",
        "test_separable",
        "expected a column of shape (3,), got shape (3, 1)",
    ),
    "pool2d_by_max_pool2d": (
        "ex10",
        "pool2d_solution",
        "def pool2d(x, kernel_size, stride=None, padding=0, mode='max'):\n"
        "    pool = F.max_pool2d if mode == 'max' else F.avg_pool2d\n"
        "    return pool(torch.tensor(np.asarray(x, dtype=float)), kernel_size, stride, padding).numpy()",
        "test_pool2d",
        "pool2d calls avg_pool2d, max_pool2d",
    ),
}


def test_a_variable_named_like_a_library_function_passes():
    release, solutions = notebooks("ex09")
    named = (
        solutions["conv1d_solution"]
        .replace("y = ", "convolution = ")
        .replace("y[n]", "convolution[n]")
        .replace("return y", "return convolution")
    )
    assert "convolution = " in named, "expected the solution's conv1d to build its result as y"
    verdict = public_verdicts(release, {**solutions, "conv1d_solution": named})["test_conv1d"]
    assert verdict == "", f"expected a result variable named convolution to pass, got {verdict!r}"


def test_a_relu_written_as_a_clamp_passes():
    release, solutions = notebooks("ex09")
    clamped = solutions["cnn_solution"].replace("F.relu(conv(x))", "conv(x).clamp(min=0)")
    assert clamped != solutions["cnn_solution"], (
        "expected the solution's CNN to use F.relu(conv(x))"
    )
    verdict = public_verdicts(release, {**solutions, "cnn_solution": clamped})["test_cnn"]
    assert verdict == "", f"expected a CNN with x.clamp(min=0) as its ReLU to pass, got {verdict!r}"


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_typical_mistake_fails_its_check_saying_what_to_look_at(mistake):
    assignment, *cells, graded, message = MISTAKES[mistake]
    changed = cells[0] if len(cells) == 1 else {cells[0]: cells[1]}
    release, solutions = notebooks(assignment)
    verdict = public_verdicts(release, {**solutions, **changed})[graded]
    assert message in verdict, (
        f"expected {graded}'s public check to say {message!r}, got {verdict!r}"
    )

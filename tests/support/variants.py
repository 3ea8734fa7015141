"""Plausible wrong and valid alternative solutions of Exercise 09, one solution cell each.

``WRONG[name] = (solution cell, code, graded cells that must lose points)``; a cell beyond the
first is one that honestly depends on the mistake (an answer computed from the wrong model);
``ALTERNATIVES[name] = (solution cell, code)``, which must score full marks.
"""

WRONG = {
    "padding_1d_without_halving": (
        "padding_1d_solution",
        """
def add_padding_1d(x, filter_size):
    return np.pad(np.asarray(x, dtype=float), filter_size)
""",
        ("test_padding_1d",),
    ),
    "padding_1d_keeps_int_dtype": (
        "padding_1d_solution",
        """
def add_padding_1d(x, filter_size):
    return np.pad(x, filter_size // 2)
""",
        ("test_padding_1d",),
    ),
    "conv1d_unflipped_kernel": (
        "conv1d_solution",
        """
def convolution_one_dimensional(x, h):
    x_padded = add_padding_1d(x, len(h))
    return np.array([np.sum(x_padded[n : n + len(h)] * h) for n in range(len(x))], dtype=float)
""",
        ("test_conv1d",),
    ),
    "conv1d_wrong_padding_for_even_kernels": (
        "conv1d_solution",
        """
def convolution_one_dimensional(x, h):
    x_padded = np.pad(np.asarray(x, dtype=float), ((len(h) - 1) // 2, len(h) // 2))
    h_flipped = np.asarray(h, dtype=float)[::-1]
    return np.array([np.sum(x_padded[n : n + len(h)] * h_flipped) for n in range(len(x))])
""",
        ("test_conv1d",),
    ),
    "conv1d_int_truncation": (
        "conv1d_solution",
        """
def convolution_one_dimensional(x, h):
    x_padded = add_padding_1d(x, len(h))
    y = np.zeros_like(x)
    for n in range(len(x)):
        y[n] = np.sum(x_padded[n : n + len(h)] * h[::-1])
    return y
""",
        ("test_conv1d",),
    ),
    "padding_2d_rows_and_columns_swapped": (
        "padding_2d_solution",
        """
def add_padding_2d(x, filter_shape):
    kh, kw = filter_shape
    return np.pad(np.asarray(x, dtype=float), ((kw // 2, kw // 2), (kh // 2, kh // 2)))
""",
        ("test_padding_2d",),
    ),
    "conv2d_unflipped_kernel": (
        "conv2d_solution",
        """
def convolution_two_dimensional(x, h):
    kh, kw = h.shape
    x_padded = add_padding_2d(x, h.shape)
    y = np.zeros(x.shape)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            y[i, j] = np.sum(x_padded[i : i + kh, j : j + kw] * h)
    return y
""",
        ("test_conv2d",),
    ),
    "conv2d_flipped_in_one_axis_only": (
        "conv2d_solution",
        """
def convolution_two_dimensional(x, h):
    h = np.asarray(h, dtype=float)[::-1]
    kh, kw = h.shape
    x_padded = add_padding_2d(x, h.shape)
    y = np.zeros(x.shape)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            y[i, j] = np.sum(x_padded[i : i + kh, j : j + kw] * h)
    return y
""",
        ("test_conv2d",),
    ),
    "sobel_l1_magnitude": (
        "sobel_solution",
        """
def sobel_edges(image, threshold):
    gx = convolution_two_dimensional(image, SOBEL_X)
    gy = convolution_two_dimensional(image, SOBEL_Y)
    return np.abs(gx) + np.abs(gy) > threshold
""",
        ("test_sobel",),
    ),
    "fc_missing_relu": (
        "fc_solution",
        """
class FC(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 512), nn.Linear(512, 256), nn.Linear(256, 128),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.layers(x)
""",
        ("test_fc",),
    ),
    "optimizer_of_another_model": (
        "criterion_solution",
        """
def make_criterion_and_optimizer(model):
    return nn.CrossEntropyLoss(), torch.optim.Adam(FC().parameters(), lr=1e-3)
""",
        ("test_criterion",),
    ),
    "train_without_zero_grad": (
        "train_model_solution",
        """
def train_model(model, crit, opt, dl_tr, dl_te, epochs):
    accuracies = []
    for epoch in range(epochs):
        model.train()
        for x, y in dl_tr:
            loss = crit(model(x.to(device)), y.to(device))
            loss.backward()
            opt.step()
        model.eval()
        correct, total = 0.0, 0
        with torch.no_grad():
            for x, y in dl_te:
                correct += accuracy(model(x.to(device)), y.to(device)) * len(y)
                total += len(y)
        accuracies.append(correct / total)
    return accuracies
""",
        ("test_train_model",),
    ),
    "train_without_step": (
        "train_model_solution",
        """
def train_model(model, crit, opt, dl_tr, dl_te, epochs):
    accuracies = []
    for epoch in range(epochs):
        model.train()
        for x, y in dl_tr:
            opt.zero_grad()
            loss = crit(model(x.to(device)), y.to(device))
            loss.backward()
        model.eval()
        correct, total = 0.0, 0
        with torch.no_grad():
            for x, y in dl_te:
                correct += accuracy(model(x.to(device)), y.to(device)) * len(y)
                total += len(y)
        accuracies.append(correct / total)
    return accuracies
""",
        ("test_train_model",),
    ),
    "train_accuracy_on_training_loader": (
        "train_model_solution",
        """
def train_model(model, crit, opt, dl_tr, dl_te, epochs):
    accuracies = []
    for epoch in range(epochs):
        model.train()
        for x, y in dl_tr:
            opt.zero_grad()
            crit(model(x.to(device)), y.to(device)).backward()
            opt.step()
        model.eval()
        correct, total = 0.0, 0
        with torch.no_grad():
            for x, y in dl_tr:
                correct += accuracy(model(x.to(device)), y.to(device)) * len(y)
                total += len(y)
        accuracies.append(correct / total)
    return accuracies
""",
        ("test_train_model",),
    ),
    "train_unweighted_batch_mean": (
        "train_model_solution",
        """
def train_model(model, crit, opt, dl_tr, dl_te, epochs):
    accuracies = []
    for epoch in range(epochs):
        model.train()
        for x, y in dl_tr:
            opt.zero_grad()
            crit(model(x.to(device)), y.to(device)).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            batch_accuracies = [accuracy(model(x.to(device)), y.to(device)) for x, y in dl_te]
        accuracies.append(sum(batch_accuracies) / len(batch_accuracies))
    return accuracies
""",
        ("test_train_model",),
    ),
    "lenet_average_pooling": (
        "lenet_solution",
        """
class CNN_LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(F.relu(self.conv1(x)), 2)
        x = F.avg_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x.flatten(1))))))
""",
        ("test_lenet",),
    ),
    "lenet_5x5_kernels": (
        "lenet_solution",
        """
class CNN_LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5, padding=2)
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x.flatten(1))))))
""",
        ("test_lenet", "test_param_answers"),
    ),
    "cnn_ignores_filters": (
        "cnn_solution",
        """
class CNN(nn.Module):
    def __init__(self, filters=(16, 32, 64)):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1, self.fc2 = nn.Linear(576, 128), nn.Linear(128, 10)

    def forward(self, x):
        for conv in (self.conv1, self.conv2, self.conv3):
            x = F.max_pool2d(F.relu(conv(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))
""",
        ("test_cnn",),
    ),
    "fc_wrong_layer_sizes": (
        "fc_solution",
        """
class FC(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.layers(x)
""",
        ("test_fc", "test_param_answers"),
    ),
    "lenet_without_padding": (
        "lenet_solution",
        """
class CNN_LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=3)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=3)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
""",
        ("test_lenet", "test_param_answers"),
    ),
    "cnn_missing_relu": (
        "cnn_solution",
        """
class CNN(nn.Module):
    def __init__(self, filters=(16, 32, 64)):
        super().__init__()
        self.conv1 = nn.Conv2d(1, filters[0], kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(filters[0], filters[1], kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(filters[1], filters[2], kernel_size=3, padding=1)
        self.fc1 = nn.Linear(9 * filters[2], 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.max_pool2d(self.conv3(x), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))
""",
        ("test_cnn",),
    ),
    "train_without_eval_mode": (
        "train_model_solution",
        """
def train_model(model, crit, opt, dl_tr, dl_te, epochs):
    accuracies = []
    for epoch in range(epochs):
        model.train()
        for x, y in dl_tr:
            opt.zero_grad()
            crit(model(x.to(device)), y.to(device)).backward()
            opt.step()
        correct, total = 0.0, 0
        with torch.no_grad():
            for x, y in dl_te:
                correct += accuracy(model(x.to(device)), y.to(device)) * len(y)
                total += len(y)
        accuracies.append(correct / total)
    return accuracies
""",
        ("test_train_model",),
    ),
    "train_over_a_single_batch": (
        "train_model_solution",
        """
def train_model(model, crit, opt, dl_tr, dl_te, epochs):
    accuracies = []
    for epoch in range(epochs):
        model.train()
        x, y = next(iter(dl_tr))
        opt.zero_grad()
        crit(model(x.to(device)), y.to(device)).backward()
        opt.step()
        model.eval()
        correct, total = 0.0, 0
        with torch.no_grad():
            for x, y in dl_te:
                correct += accuracy(model(x.to(device)), y.to(device)) * len(y)
                total += len(y)
        accuracies.append(correct / total)
    return accuracies
""",
        ("test_train_model",),
    ),
    "parameter_answers_without_biases": (
        "param_answers_solution",
        """
n_params_fc = 784 * 512 + 512 * 256 + 256 * 128 + 128 * 10
n_params_lenet = 6 * 9 + 16 * 6 * 9 + 784 * 120 + 120 * 84 + 84 * 10
n_params_cnn = 16 * 9 + 32 * 16 * 9 + 64 * 32 * 9 + 576 * 128 + 128 * 10
""",
        ("test_param_answers",),
    ),
}

ALTERNATIVES = {
    "vectorised_convolutions": [
        (
            "conv1d_solution",
            """
from numpy.lib.stride_tricks import sliding_window_view


def convolution_one_dimensional(x, h):
    windows = sliding_window_view(add_padding_1d(x, len(h)), len(h))[: len(x)]
    return windows @ np.asarray(h, dtype=float)[::-1]
""",
        ),
        (
            "conv2d_solution",
            """
from numpy.lib.stride_tricks import sliding_window_view


def convolution_two_dimensional(x, h):
    h = np.asarray(h, dtype=float)
    windows = sliding_window_view(add_padding_2d(x, h.shape), h.shape)[: x.shape[0], : x.shape[1]]
    return np.einsum("ijkl,kl->ij", windows, h[::-1, ::-1])
""",
        ),
    ],
    "loop_based_convolutions_without_padding_helpers": [
        (
            "conv1d_solution",
            """
def convolution_one_dimensional(x, h):
    n_x, n_h = len(x), len(h)
    offset = (n_h - 1) // 2
    y = np.zeros(n_x)
    for n in range(n_x):
        for k in range(n_h):
            i = n + offset - k
            if 0 <= i < n_x:
                y[n] += x[i] * h[k]
    return y
""",
        ),
        (
            "conv2d_solution",
            """
def convolution_two_dimensional(x, h):
    rows, cols = x.shape
    kh, kw = h.shape
    y = np.zeros((rows, cols))
    for k in range(kh):
        for l in range(kw):
            r, c = k - (kh - 1) // 2, l - (kw - 1) // 2
            y[max(r, 0) : rows + min(r, 0), max(c, 0) : cols + min(c, 0)] += (
                h[k, l] * x[max(-r, 0) : rows - max(r, 0), max(-c, 0) : cols - max(c, 0)]
            )
    return y
""",
        ),
    ],
    "sequential_models_with_other_names": [
        (
            "fc_solution",
            """
class FC(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(784, 512)
        self.hidden2 = nn.Linear(512, 256)
        self.hidden3 = nn.Linear(256, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        x = x.view(x.size(0), -1)
        for layer in (self.hidden1, self.hidden2, self.hidden3):
            x = torch.relu(layer(x))
        return self.out(x)
""",
        ),
        (
            "lenet_solution",
            """
class CNN_LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 3, padding=1), nn.MaxPool2d(2), nn.ReLU(),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))
""",
        ),
        (
            "cnn_solution",
            """
class CNN(nn.Module):
    def __init__(self, filters=(16, 32, 64)):
        super().__init__()
        blocks, channels = [], 1
        for out_channels in filters:
            blocks += [nn.Conv2d(channels, out_channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            channels = out_channels
        self.body = nn.Sequential(*blocks, nn.Flatten())
        self.head = nn.Sequential(nn.Linear(9 * filters[-1], 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.head(self.body(x))
""",
        ),
    ],
    "zero_grad_before_forward_and_sgd": [
        (
            "train_model_solution",
            """
def train_model(model, crit, opt, dl_tr, dl_te, epochs):
    history = []
    for _ in range(epochs):
        model.train()
        for x, y in dl_tr:
            model.zero_grad()
            loss = crit(model(x.to(device)), y.to(device))
            loss.backward()
            opt.step()
        model.eval()
        n_correct = 0
        with torch.no_grad():
            for x, y in dl_te:
                n_correct += (model(x.to(device)).argmax(dim=1) == y.to(device)).sum().item()
        history.append(n_correct / len(dl_te.dataset))
    return history
""",
        ),
        (
            "criterion_solution",
            """
def make_criterion_and_optimizer(model):
    return nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
""",
        ),
    ],
    "hand_counted_answers_and_np_pad": [
        (
            "param_answers_solution",
            """
n_params_fc = (784 * 512 + 512) + (512 * 256 + 256) + (256 * 128 + 128) + (128 * 10 + 10)
n_params_lenet = (6 * 9 + 6) + (16 * 6 * 9 + 16)
n_params_lenet += (784 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10)
n_params_cnn = 160 + 4640 + 18496 + 73856 + 1290
""",
        ),
        (
            "padding_1d_solution",
            """
def add_padding_1d(x, filter_size):
    half = filter_size // 2
    return np.pad(np.asarray(x, dtype=np.float64), (half, half), mode="constant")
""",
        ),
        (
            "padding_2d_solution",
            """
def add_padding_2d(x, filter_shape):
    kh, kw = filter_shape
    return np.pad(x.astype(float), [(kh // 2, kh // 2), (kw // 2, kw // 2)])
""",
        ),
        (
            "sobel_solution",
            """
def sobel_edges(image, threshold):
    gx = convolution_two_dimensional(image, SOBEL_X)
    gy = convolution_two_dimensional(image, SOBEL_Y)
    magnitude = np.sqrt(gx**2 + gy**2)
    return magnitude > threshold
""",
        ),
    ],
}


#: Alternative solutions in two notebooks; the groups of one notebook touch different cells.
ALTERNATIVE_STUDENTS = {
    "alternative_a": [
        "vectorised_convolutions",
        "sequential_models_with_other_names",
        "zero_grad_before_forward_and_sgd",
    ],
    "alternative_b": [
        "loop_based_convolutions_without_padding_helpers",
        "hand_counted_answers_and_np_pad",
    ],
}

"""Hidden tests of the parameter-count answers `n_params_fc`, `n_params_lenet`, `n_params_cnn`."""

from reference import CNN, FC, CNN_LeNet, parameter_count

from helpers.expect import expect_int


def check(student, name, model):
    value = student.get(name)
    expect_int(
        value,
        parameter_count(model),
        what=name,
        numpy_ok=True,
        hint="count the weights and biases of every layer, "
        "e.g. sum(p.numel() for p in model.parameters())",
    )


def test_fc_answer(student):
    """n_params_fc is the number of trainable parameters of FC"""
    check(student, "n_params_fc", FC())


def test_lenet_answer(student):
    """n_params_lenet is the number of trainable parameters of CNN_LeNet"""
    check(student, "n_params_lenet", CNN_LeNet())


def test_cnn_answer(student):
    """n_params_cnn is the number of trainable parameters of CNN()"""
    check(student, "n_params_cnn", CNN())

"""Finding the library calls a solution cell makes and the earlier functions a student's function
uses (:mod:`helpers.library_use`), and blaming the one at fault (:mod:`helpers.culprits`)."""

from __future__ import annotations

import linecache

import pytest

from helpers.culprits import Verifiers
from helpers.library_use import (
    aliased_calls,
    banned_calls,
    functions_used,
    internals_used,
    names_used,
)


@pytest.mark.parametrize(
    "source",
    [
        "def f(x):\n    return F.conv2d(x, w)",
        "from torch.nn.functional import conv2d as c\ndef f(x):\n    return c(x, w)",
        "def f(x):\n    return getattr(F, 'conv2d')(x, w)",
        "def f(x):\n    return getattr(torch, 'nn.functional.conv2d')(x, w)",
    ],
)
def test_a_library_call_is_found_however_it_is_written(source):
    assert "conv2d" in names_used(source, bare_names=False), f"expected conv2d in {source!r}"


@pytest.mark.parametrize(
    "source",
    [
        'def f(x):\n    """As F.conv2d does."""\n    return x',
        "def f(x):\n    raise ValueError('unlike conv2d, the kernel does not fit')",
        "def f(x):\n    return conv2d(x, w)  # the student's own conv2d",
    ],
)
def test_docstrings_sentences_and_the_students_own_names_are_not_library_calls(source):
    assert "conv2d" not in names_used(source, bare_names=False), f"no call in {source!r}"


def test_bare_names_count_where_no_student_function_shares_a_banned_name():
    assert "convolve" in names_used("y = convolve(x, h)"), "a bare name counts by default"


def test_a_plain_name_is_banned_only_where_the_hidden_source_check_bans_the_word():
    namespace = cell(
        "def f(x):\n    convolution = x * 2\n    return convolve(convolution)", "plain"
    )
    found = banned_calls(
        namespace["f"], ["torch.convolution", "numpy.convolve"], names=["convolve"]
    )
    assert found == ["convolve"], (
        f"expected the banned word convolve, not the variable convolution, got {found}"
    )


def cell(source: str, name: str) -> dict:
    """The namespace after running ``source`` as a notebook cell named ``name``."""
    filename = f"<cell {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict = {}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the test's own code
    return namespace


def test_banned_calls_read_the_whole_cell_of_the_function():
    namespace = cell(
        "import numpy as np\ndef helper(x):\n    return np.convolve(x, x)\n"
        "def f(x):\n    return helper(x)",
        "whole",
    )
    found = banned_calls(namespace["f"], ["numpy.convolve"])
    assert found == ["convolve"], f"expected the helper's np.convolve to be found, got {found}"


def test_a_banned_function_bound_to_another_name_in_another_cell_is_found():
    helper_cell = cell("import numpy as np\nslide = np.convolve", "alias")
    namespace = cell("def f(x):\n    return slide(x, x)", "uses alias")
    namespace["slide"] = helper_cell["slide"]
    found = aliased_calls(namespace["f"], ["numpy.convolve", "torch.conv2d"])
    assert found == ["slide (= numpy.convolve)"], f"expected the alias to be found, got {found}"


def test_functions_used_follow_helpers_to_earlier_functions():
    namespace = cell(
        "def pad(x):\n    return x\ndef helper(x):\n    return pad(x)\n"
        "def f(x):\n    return [helper(v) for v in x]",
        "chain",
    )
    used = [name for name, _ in functions_used(namespace["f"])]
    assert sorted(used) == ["helper", "pad"], f"expected helper and pad, got {used}"


@pytest.mark.parametrize(
    ("helper", "found"),
    [
        (
            "def unwrap(f):\n    return f.__closure__[0].cell_contents",
            ["__closure__", "cell_contents"],
        ),
        ("def unwrap(f):\n    return getattr(f, '__wrapped__')", ["__wrapped__"]),
        ("import gc\ndef unwrap(f):\n    return gc.get_referents(f)", ["gc", "get_referents"]),
        (
            "import sys\ndef unwrap(f):\n    return sys._getframe(1).f_locals",
            ["_getframe", "f_locals"],
        ),
        ("def unwrap(f):\n    return f  # inspects nothing", []),
    ],
    ids=["closure", "wrapped_by_string", "garbage_collector", "frames", "nothing"],
)
def test_reaching_into_internals_is_found_in_helpers_of_other_cells(helper, found):
    namespace = cell("def f(x):\n    return unwrap(x)", "uses internals")
    namespace["unwrap"] = cell(helper, "helper")["unwrap"]
    used = internals_used(namespace["f"])
    assert used == found, f"expected {found} through the helper, got {used}"


def test_internals_are_found_in_a_class_methods():
    namespace = cell(
        "import inspect\nclass Net:\n    def forward(self, x):\n"
        "        return inspect.stack()[1].frame.f_locals",
        "model",
    )
    used = internals_used(namespace["Net"])
    assert used == ["f_locals", "inspect"], f"expected inspect and f_locals, got {used}"


def test_a_failure_caused_by_an_earlier_function_names_it():
    namespace = cell("def pad(x):\n    return x\ndef f(x):\n    return pad(x) + 1", "blame")
    verifies = Verifiers()

    @verifies("pad")
    def verify_pad(pad):
        assert pad(1) == 0, f"pad(1): expected 0, got {pad(1)}"

    @verifies("f")
    def verify_f(f):
        assert f(1) == 1, f"f(1): expected 1, got {f(1)}"

    with pytest.raises(AssertionError) as failure:
        verifies.run("f", namespace["f"])
    assert "uses your pad, which fails its own check" in str(failure.value), str(failure.value)
    assert "pad(1): expected 0, got 1" in str(failure.value), str(failure.value)

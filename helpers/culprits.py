"""Public checks that blame the right function.

A student's function often calls the student's own earlier functions
(``convolution_one_dimensional`` pads with ``add_padding_1d``). When its check fails because an
earlier function is wrong, the message must say so instead of blaming the function under test:
the hidden tests grade each task with the grader's versions of the earlier ones, so the function
under test may well be right.

An assignment's checks module keeps a :class:`Verifiers` registry: each task's verification
(raises ``AssertionError``, prints nothing) under the name of the student function it checks.
:meth:`Verifiers.run` verifies a function and, when it fails, verifies the registered functions
that it uses (found in its code and its helpers' code, bound in the notebook's namespace); the
first of those that fails is named as the culprit.
"""

from __future__ import annotations

from collections.abc import Callable

from helpers.library_use import functions_used

#: A task's verification: takes the student's function, raises AssertionError when it is wrong.
Verification = Callable[[Callable], None]


class Verifiers:
    """The verifications of one assignment's public checks, by the student function they check."""

    def __init__(self) -> None:
        self._by_name: dict[str, Verification] = {}

    def __call__(self, name: str) -> Callable[[Verification], Verification]:
        """Register the decorated verification as the one of the student function ``name``."""

        def register(verification: Verification) -> Verification:
            self._by_name[name] = verification
            return verification

        return register

    def run(self, name: str, function: Callable) -> None:
        """Verify the student's ``function`` (named ``name``); when it fails (an assertion, or
        an error inside the student's code), blame a failing earlier function it uses."""
        try:
            self._by_name[name](function)
        except Exception:  # an error inside the student's code may come from an earlier function
            culprit = self.culprit(name, function)
            if culprit is None:
                raise
            used, message = culprit
            raise AssertionError(
                f"{name} does not pass its check, and it uses your {used}, which fails its own "
                f"check:\n  {message}\nFix {used} first, then run this cell again (the hidden "
                f"tests grade {name} with a correct {used}, so {used}'s mistake costs only its "
                "own task)."
            ) from None

    def culprit(self, name: str, function: Callable) -> tuple[str, str] | None:
        """The first registered function that ``function`` uses (other than ``name`` itself)
        and that fails its own verification, with that failure's message; None if none does."""
        for used, used_function in functions_used(function):
            if used == name or used not in self._by_name:
                continue
            try:
                self.run(used, used_function)
            except Exception as failure:  # noqa: BLE001 - any failure of the earlier function
                return used, f"{type(failure).__name__}: {failure}" if not isinstance(
                    failure, AssertionError
                ) else str(failure)
        return None

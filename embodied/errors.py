"""Errors a user can act on: each names the bad value and the valid choices.

The CLI prints these as one line and exits with status 2; anything else is a bug.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class EmbodiedError(Exception):
    """An error caused by user input or environment, with a message meant for a person."""


class UnknownNameError(EmbodiedError, KeyError):
    """A name (robot, task, camera, colour, backend, ...) that is not among the valid choices."""

    def __init__(self, what: str, value: object, choices: Iterable[str], where: str = "") -> None:
        self.what, self.value, self.choices = what, value, sorted(set(choices))
        close = difflib.get_close_matches(str(value), self.choices, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        location = f" in {where}" if where else ""
        super().__init__(
            f"unknown {what} {value!r}{location}; valid choices: {', '.join(self.choices)}.{hint}"
        )

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.args[0]


def check_choice(what: str, value: str, choices: Iterable[str], where: str = "") -> str:
    """Return `value` if it is one of `choices`, else raise UnknownNameError naming them."""
    choices = list(choices)
    if value not in choices:
        raise UnknownNameError(what, value, choices, where)
    return value

"""Author-facing problems: collected, never raised one at a time."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the content, located like a compiler error."""

    path: Path
    line: int
    column: int
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        shown = self.path
        if relative_to is not None:
            # As named first: a link in content/ to a file elsewhere is shown where the author put it.
            for path, folder in ((self.path.absolute(), relative_to.absolute()), (self.path.resolve(), relative_to.resolve())):
                try:
                    shown = path.relative_to(folder)
                    break
                except ValueError:
                    continue
        return f"{shown}:{self.line}:{self.column}: {self.message}"


class ContentErrors(Exception):
    """Raised once, at the end of a stage, with every problem that stage found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__(f"{len(self.problems)} problem(s) in the content")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' — did you mean …?' suffix naming the closest choice, or ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""

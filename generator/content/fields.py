"""Reading typed fields out of one YAML mapping, collecting a located problem for each mistake."""

from __future__ import annotations

import re
from typing import Any, Iterable

from generator.content.dates import DateSpan, DateSyntaxError, parse_span
from generator.content.errors import Problem, did_you_mean
from generator.content.yamlfile import Document, KeyPath

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


class Fields:
    """The fields of one mapping in a document; problems go to the shared `problems` list."""

    def __init__(self, document: Document, at: KeyPath, problems: list[Problem], what: str):
        self.document, self.at, self.problems, self.what = document, at, problems, what
        value = _get(document.data, at)
        self.mapping: dict[str, Any] = value if isinstance(value, dict) else {}
        self.ok = isinstance(value, dict)
        if not self.ok:
            self.report(at, f"{what} must be a mapping of fields (key: value), not {_kind(value)}")

    def report(self, at: KeyPath, message: str, *, key: bool = False) -> None:
        self.problems.append(self.document.problem(at, message, key=key))

    def allow_only(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.mapping:
            if key not in allowed:
                self.report(self.at + (key,), f"unknown field '{key}' in {self.what}{did_you_mean(key, allowed)}", key=True)

    def _value(self, key: str, required: bool) -> Any:
        value = self.mapping.get(key)
        if value is None and required and self.ok:
            self.report(self.at, f"{self.what} is missing the required field '{key}'")
        return value

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self._value(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(self.at + (key,), f"'{key}' must be text, not {_kind(value)}")
            return None
        if not value.strip():
            if required:
                self.report(self.at + (key,), f"'{key}' is empty: write it out")
            return None
        control = _CONTROL.search(value)
        if control:
            # XML, iCalendar and most readers cannot carry these, so they never reach an output.
            self.report(self.at + (key,), f"'{key}' contains the control character U+{ord(control.group()):04X}: remove it")
            return None
        return value.strip()

    def text_list(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self._value(key, required)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.report(self.at + (key,), f"'{key}' must be a list, like [a, b]")
            return ()
        items = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.report(self.at + (key, index), f"each item of '{key}' must be text, not {_kind(item)}")
            else:
                items.append(item.strip())
        if required and not items and self.ok:
            self.report(self.at + (key,), f"'{key}' needs at least one item")
        return tuple(items)

    def slug(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is not None and not SLUG.fullmatch(value):
            self.report(self.at + (key,), f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens")
            return None
        return value

    def date(self, key: str, *, required: bool = False) -> DateSpan | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        try:
            return parse_span(value)
        except DateSyntaxError as error:
            self.report(self.at + (key,), str(error))
            return None

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not _URL.fullmatch(value):
            self.report(self.at + (key,), f"'{key}' must be an http:// or https:// address, not '{value[:60]}'")
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self.mapping.get(key)
        if value is None:
            return False
        if value in ("true", "false"):
            return value == "true"
        self.report(self.at + (key,), f"'{key}' must be true or false, not '{value}'")
        return False

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        if not value.isdigit():
            self.report(self.at + (key,), f"'{key}' must be a whole number, not '{value}'")
            return None
        return int(value)

    def items(self, key: str, what: str) -> list[Fields]:
        """The mappings in a list field, each as Fields (e.g. an event's sources)."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(self.at + (key,), f"'{key}' must be a list of entries, each starting with '- '")
            return []
        return [Fields(self.document, self.at + (key, index), self.problems, f"{what} {index + 1}") for index in range(len(value))]


def _get(data: Any, at: KeyPath) -> Any:
    for step in at:
        data = data[step]
    return data


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {str: "text", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)

"""The fixed vocabulary of typed links between events, each with the label of its inverse."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelationKind:
    """A relation as written on one event, and how it reads from the other end."""

    name: str
    label: str
    inverse_label: str


RELATION_KINDS: dict[str, RelationKind] = {
    kind.name: kind
    for kind in (
        RelationKind("response-to", "In response to", "Prompted"),
        RelationKind("follows", "Follows", "Followed by"),
        RelationKind("part-of", "Part of", "Includes"),
        RelationKind("reverses", "Reverses", "Reversed by"),
        RelationKind("see-also", "See also", "See also"),
    )
}

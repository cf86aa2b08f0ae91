"""Where the theme lives: the site's own `templates/` first, then the built-in theme.

Kept apart from `render.py` so that a build with nothing to do can name its inputs without loading Jinja.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# The built-in theme's source is the repository's top-level templates/; a wheel ships it as the
# package data generator/theme/ (pyproject.toml maps one onto the other).
_PACKAGE = Path(__file__).resolve().parents[1]
BUILTIN_THEME = _PACKAGE / "theme" if (_PACKAGE / "theme").is_dir() else _PACKAGE.parent / "templates"


def theme_folders(source_dir: Path) -> tuple[Path, ...]:
    """Where templates are looked up: the site's own `templates/` first, then the built-in theme."""
    folders = [source_dir / "templates", BUILTIN_THEME]
    unique = []
    for folder in folders:
        if folder.is_dir() and folder.resolve() not in [f.resolve() for f in unique]:
            unique.append(folder)
    return tuple(unique)


def templates_digest(folders: tuple[Path, ...]) -> str:
    """A hash of every template file (assets aside) in the lookup folders: a new one means every page may change."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "assets" not in path.relative_to(folder).parts:
                digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()

"""The package's layout is its architecture: stages in folders, every import pointing down."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

# Top to bottom; a package may import from those below it (and itself), never from one above.
LAYERS = (("commands",), ("preview", "interop"), ("build",), ("formats",), ("site",), ("content",))
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


def _imported_packages(path: Path) -> set[str]:
    """The generator sub-packages a module imports from, wherever in the module the import stands."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                 else [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
        for name in names:
            parts = name.split(".")
            if parts[0] == "generator" and len(parts) > 1 and parts[1] in RANK:
                imported.add(parts[1])
    return imported


def test_every_module_lives_in_a_stage_package():
    loose = sorted(path.name for path in GENERATOR.glob("*.py") if path.name not in {"__init__.py", "__main__.py"})
    assert loose == []
    assert sorted(path.name for path in GENERATOR.iterdir() if path.is_dir() and path.name != "__pycache__") == sorted(RANK)


def test_each_package_says_what_comes_in_and_what_goes_out():
    for package in RANK:
        docstring = ast.get_docstring(ast.parse((GENERATOR / package / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and "In:" in docstring and "Out:" in docstring, package


def test_no_module_imports_from_a_package_above_its_own():
    upward = []
    for package, rank in RANK.items():
        for path in sorted((GENERATOR / package).glob("*.py")):
            upward += [f"{package}/{path.name} imports generator.{target}"
                       for target in sorted(_imported_packages(path)) if RANK[target] < rank]
    assert upward == []


def test_the_layering_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from generator.commands.cli import main\n")
    assert _imported_packages(module) == {"commands"}


def test_python_dash_m_generator_runs_the_cli():
    completed = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert completed.returncode == 0 and completed.stdout.startswith("timeline ")

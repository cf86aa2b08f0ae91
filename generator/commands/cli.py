"""The `timeline` command line: one sub-command per module, each with `add_parser` and `run`."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from generator import __version__
from generator.build.collector import fewer_collections

if TYPE_CHECKING:
    from generator.content.errors import ContentErrors

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_USAGE = 0, 1, 2

# Each module adds its sub-parser and runs it: `add_parser(subparsers)`, `run(args, parser) -> int`.
# By command name: only the module of the command given is imported (a no-op build loads no Jinja, Markdown or YAML).
COMMANDS = {"init": "init", "build": "build", "check": "check", "new": "new", "serve": "serve",
            "import": "import_timelinejs", "deploy": "deploy"}


def make_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or, when `argv` names one, of that command alone."""
    parser = argparse.ArgumentParser(prog="timeline", description="Build a sourced, linked timeline site from YAML files.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = next((arg for arg in argv or () if not arg.startswith("-")), None)
    for name, module_name in COMMANDS.items():
        if named in COMMANDS and name != named:
            continue
        command = importlib.import_module(f"generator.commands.{module_name}")
        command.add_parser(subparsers).set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = make_parser(argv)  # in the `try`: Ctrl-C while the command's modules load is an interruption too
        args = parser.parse_args(argv)
        # Every command is a build or serves builds (build/collector.py); SIGTERM stops one as Ctrl-C does.
        with fewer_collections(), _terminate_as_interrupt():
            return args.run(args, parser)
    except KeyboardInterrupt:
        print("interrupted; the site was not changed.", file=sys.stderr)
        return 130
    except Exception as error:
        if (exit_code := report_failure(error)) is None:
            raise
        return exit_code


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a cancelled CI job, `timeout`, `kill`) stops a command as Ctrl-C does: its staging folder removed,
    its workers and Pagefind stopped, one line said. Left to the signal's default, the process died where it stood.
    Only the main thread can take a signal; elsewhere (a test's thread) it is left as it is."""
    try:
        before = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def report_failure(error: Exception) -> int | None:
    """Print an error the author can act on and return its exit code; None for a bug.

    The error types are imported here, once something failed: a build with nothing to do loads
    neither the content's nor the search index's modules.
    """
    from generator.build.output_folder import OutputError, OutputLocked
    from generator.content.errors import ContentErrors
    from generator.formats.pagefind_run import SearchIndexError

    if isinstance(error, ContentErrors):
        print_problems(error)
        print(f"{len(error.problems)} problem(s) found; the site was not changed.", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    if isinstance(error, OutputLocked):
        print(f"{error}; the site was not changed.", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    if isinstance(error, (OutputError, SearchIndexError)):
        print(f"error: {error}; the site was not changed.", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    return None


def print_problems(errors: ContentErrors) -> None:
    for problem in errors.problems:
        print(problem.format(relative_to=Path.cwd()), file=sys.stderr)

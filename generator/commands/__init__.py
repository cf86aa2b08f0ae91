"""The `timeline` command line: `cli.py` parses, and each sub-command is one module here.

In: the command-line arguments. Out: an exit code and what the author reads on the terminal (errors
as `path:line:col: message`). Each module has `add_parser(subparsers)` and `run(args, parser)`; a
new sub-command is one module here and one name in `cli.COMMANDS`. This is the top layer: it may
import from every other package, and none imports from it.
"""

"""`python -m generator` runs the same CLI as the `timeline` command."""

from generator.commands.cli import main

raise SystemExit(main())

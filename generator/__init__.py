"""A static site generator for sourced, linked, chronological timelines."""

__version__ = "0.1.0"

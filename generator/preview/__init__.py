"""The local preview: `server.py` serves an in-memory build and reloads the browser on every save.

In: `BuildOptions` and a folder to watch. Out: HTTP responses on 127.0.0.1. Imports from `build`.
"""

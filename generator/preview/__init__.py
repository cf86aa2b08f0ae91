"""The local preview: `server.py` serves an in-memory build and reloads the open pages an edit changes;
`rebuilder.py` rebuilds it on every save (the pages open in a browser first).

In: `BuildOptions` and a folder to watch. Out: HTTP responses on 127.0.0.1, the pages carrying what
`client.py` adds (a reload script and the problems' overlay, as files, never inline). Imports from `build`.
"""

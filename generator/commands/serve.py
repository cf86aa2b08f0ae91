"""`timeline serve`: preview the site locally, rebuilt and reloaded on every save."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from generator.build.pipeline import BuildOptions
from generator.commands.build import add_source_argument, check_source
from generator.preview.rebuilder import Rebuilder, watch
from generator.preview.server import LiveSite, make_server
from generator.content.validate_registries import validate_site_config
from generator.content.yamlfile import load_yaml


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("serve", help="preview the site, rebuilt and reloaded on every save")
    add_source_argument(parser)
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this computer only; 0.0.0.0 opens it to the network)")
    parser.add_argument("--drafts", action="store_true", help="include events marked draft: true")
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    source_dir = check_source(args, parser)
    # Stop cleanly on Ctrl-C even when started with SIGINT ignored (as a background job is); on kill (SIGTERM)
    # as every command does (cli.main).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    base_path = _base_path(source_dir)
    live = LiveSite()
    rebuilder = Rebuilder(BuildOptions(source_dir, source_dir / "site", include_drafts=args.drafts), live, _log)
    stop = threading.Event()
    try:
        server = make_server(live, base_path, args.host, args.port, stop)
    except OSError as error:
        parser.error(f"cannot listen on {args.host}:{args.port}: {error.strerror} (try another --port)")
    watched = [folder for folder in (source_dir / "content", source_dir / "templates") if folder.is_dir()]
    ready = threading.Event()
    watcher = threading.Thread(target=watch, args=(watched, rebuilder, stop, ready), name="watcher", daemon=True)
    watcher.start()
    host, port = server.server_address[:2]
    try:
        ready.wait(timeout=60)  # the first build happens once the watcher is in place
        _log(f"Serving http://{host}:{port}{base_path} — watching {', '.join(str(folder) for folder in watched)}. Ctrl-C to stop.")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        rebuilder.close()
        server.server_close()
        watcher.join(timeout=5)
    _log("Stopped.")
    return 0


def _base_path(source_dir: Path) -> str:
    """The sub-path the site is published under (from base_url in site.yaml), so previews match."""
    site_yaml, _ = load_yaml(source_dir / "content" / "site.yaml")
    config = validate_site_config(site_yaml, source_dir / "content", [])
    path = urlsplit(config.base_url).path if config.base_url else "/"
    return path if path.endswith("/") else path + "/"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

"""`make bench`: build times, peak memory and page sizes of `timeline build` at several sizes.

    python bench/run.py [--ns 100,1000,10000] [--runs 3] [--peers DIR] [--json FILE]

For each N: a fresh corpus (bench/corpus.py, or the peers' corpus converted with --peers), then
each kind of build timed as a whole process, `runs` times: clean (no site/, no cache), no-op
(nothing changed), one event edited, one event added, that event deleted again. Prints the
medians as a table and writes every figure to a JSON file. Environment: BENCH_NS, BENCH_RUNS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

KINDS = ("clean", "noop", "edit", "add", "delete")
ROOT = Path(__file__).resolve().parent.parent
# Timed as a user runs it, with the generator's bytecode compiled and kept (pip compiles it at install):
# where PYTHONDONTWRITEBYTECODE is set (some sandboxes), each build would compile its modules again.
AS_INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def timed_build(site: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one `timeline build` process (its own rusage)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--source", str(site)],
                                   stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=AS_INSTALLED)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            log.seek(0)
            raise SystemExit(f"build failed in {site}:\n{log.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def clean(site: Path) -> None:
    for name in ("site", ".timeline-cache"):
        shutil.rmtree(site / name, ignore_errors=True)


def output_sizes(out: Path) -> dict:
    files = [path for path in out.rglob("*") if path.is_file()]
    pages = [path for path in files if path.suffix == ".html"]
    largest = max(pages, key=lambda path: path.stat().st_size)
    return {"files": len(files), "pages": len(pages), "bytes": sum(path.stat().st_size for path in files),
            "largest_page": largest.relative_to(out).as_posix(), "largest_page_bytes": largest.stat().st_size}


def new_event_text(events_dir: Path, count: int, synthetic: bool) -> tuple[Path, str]:
    """A file for one more event: the synthetic event N+1, or (peers' corpus) a copy of the first event."""
    path = events_dir / f"{corpus.event_id(count + 1)}.yaml"
    if synthetic:
        return path, corpus.event_yaml(corpus.make_event(count + 1))
    return path, sorted(events_dir.glob("*.yaml"))[0].read_text(encoding="utf-8")


def bench_size(site: Path, runs: int, synthetic: bool) -> dict:
    events_dir = site / "content" / "events"
    event_files = sorted(events_dir.glob("*.yaml"))
    count = len(event_files)
    edited = event_files[count // 2]
    original = edited.read_text(encoding="utf-8")
    added, added_text = new_event_text(events_dir, count, synthetic)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    memory: dict[str, list[float]] = {kind: [] for kind in KINDS}

    def record(kind: str) -> None:
        seconds, megabytes = timed_build(site)
        times[kind].append(seconds)
        memory[kind].append(megabytes)

    for run in range(runs):
        clean(site)
        record("clean")
    sizes = output_sizes(site / "site")
    for run in range(runs):
        record("noop")
        edited.write_text(original.replace('summary: "', f'summary: "Edit marker {run}. ', 1), encoding="utf-8")
        record("edit")
        added.write_text(added_text, encoding="utf-8")
        record("add")
        added.unlink()
        record("delete")
    edited.write_text(original, encoding="utf-8")
    return {"events": count, "runs": runs, **sizes,
            "seconds": {kind: statistics.median(values) for kind, values in times.items()},
            "peak_mb": {kind: max(values) for kind, values in memory.items()},
            "all_seconds": times}


def table(results: list[dict]) -> str:
    head = ("| N | clean s | no-op s | edit one s | add one s | delete one s | peak MB | output MB "
            "| largest page |\n|---|---|---|---|---|---|---|---|---|")
    rows = [f"| {r['events']:,} | " + " | ".join(f"{r['seconds'][kind]:.2f}" for kind in KINDS)
            + f" | {max(r['peak_mb'].values()):.0f} | {r['bytes'] / 1e6:.1f} "
            f"| {r['largest_page']} ({r['largest_page_bytes'] / 1000:.0f} KB) |" for r in results]
    return "\n".join([head, *rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ns", default=os.environ.get("BENCH_NS", "100,1000,10000"),
                        help="event counts, comma- or space-separated (env BENCH_NS)")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "3")),
                        help="runs of each kind of build; the table shows medians (env BENCH_RUNS)")
    parser.add_argument("--peers", type=Path, metavar="DIR",
                        help="use ../shared/bench/peers' corpus: DIR/make_corpus.py makes it at each N")
    parser.add_argument("--json", type=Path, default=Path(__file__).resolve().parent / "results.json",
                        help="where to write every figure (default bench/results.json)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.ns.replace(",", " ").split()]
    results = []
    with tempfile.TemporaryDirectory(prefix="timeline-bench-", dir=args.work) as work:
        for count in sizes:
            site = Path(work) / f"site-{count}"
            if args.peers:
                subprocess.run([sys.executable, str(args.peers / "make_corpus.py"), str(count), str(Path(work) / f"peers-{count}")],
                               check=True)
                corpus.convert_peers(Path(work) / f"peers-{count}", site)
            else:
                corpus.write_synthetic(count, site)
            print(f"N={count}: {args.runs} run(s) of each kind of build ...", file=sys.stderr, flush=True)
            results.append(bench_size(site, args.runs, synthetic=not args.peers))
            shutil.rmtree(site, ignore_errors=True)  # the last build's old site may still be going, removed in the background
    report = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
              "date_utc": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()),
              "corpus": "peers" if args.peers else "synthetic", "results": results}
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"(medians of {args.runs} run(s); every figure in {args.json})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

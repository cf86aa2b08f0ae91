"""Ours beside Hugo from one run of ../shared/bench/peers/run_all.sh: medians and ratios (ours / Hugo).

    python bench/ratios.py RESULTS_DIR     # RESULTS_DIR/raw/{hugo,custom}-N-MODE.txt from timerun.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

MODES = (("clean", "clean build s"), ("noop", "no-op rebuild s"), ("edit1", "one edit s"))


def median(text: str, row: str) -> float | None:
    match = re.search(r"^A " + re.escape(row) + r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text, re.M)
    return float(match.group(2)) if match else None


def figures(raw: Path, peer: str, n: int, mode: str) -> tuple[float | None, float | None]:
    path = raw / f"{peer}-{n}-{mode}.txt"
    if not path.exists():
        return None, None
    text = path.read_text()
    return median(text, "wall s"), median(text, "peak MiB")


def _show(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def main() -> int:
    raw = Path(sys.argv[1]) / "raw"
    sizes = sorted({int(m.group(1)) for p in raw.glob("custom-*-clean.txt") if (m := re.match(r"custom-(\d+)-", p.name))})
    print("| N | measure | timeline | Hugo | timeline / Hugo |\n|---|---|---|---|---|")
    for n in sizes:
        peaks = []
        for mode, label in MODES:
            ours, _ = figures(raw, "custom", n, mode)
            hugo, _ = figures(raw, "hugo", n, mode)
            peaks.append((figures(raw, "custom", n, mode)[1], figures(raw, "hugo", n, mode)[1]))
            ratio = f"{ours / hugo:.1f} ×" if ours and hugo else "–"
            print(f"| {n:,} | {label} | {_show(ours)} | {_show(hugo)} | {ratio} |")
        ours_peak = max((p[0] for p in peaks if p[0]), default=None)
        hugo_peak = max((p[1] for p in peaks if p[1]), default=None)
        ratio = f"{ours_peak / hugo_peak:.1f} ×" if ours_peak and hugo_peak else "–"
        print(f"| {n:,} | peak MiB | {_show(ours_peak, 0)} | {_show(hugo_peak, 0)} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start-up time of `facilitate --help` against a bare two-command typer app.

Runs both alternately (so that disk cache and CPU frequency treat them alike) and
prints the median wall times and their ratio. Target: ratio <= 1.2.

    python benchmarks/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = '''
import typer

app = typer.Typer()


@app.command()
def one(name: str) -> None:
    """Do nothing."""


@app.command()
def two(name: str) -> None:
    """Do nothing either."""


app()
'''


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def facilitate_command() -> list[str]:
    script = Path(sys.executable).with_name("facilitate")
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("facilitate")
    return [found, "--help"] if found else [sys.executable, "-m", "facilitate", "--help"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_APP)
        ours_cmd = facilitate_command()
        bare_cmd = [sys.executable, str(bare), "--help"]
        timed(ours_cmd), timed(bare_cmd)  # warm the disk cache
        ours, base = [], []
        for _ in range(args.runs):
            ours.append(timed(ours_cmd))
            base.append(timed(bare_cmd))
    ours_median, base_median = statistics.median(ours), statistics.median(base)
    print(f"facilitate --help : {ours_median * 1000:7.1f} ms (median of {args.runs})")
    print(f"bare typer --help : {base_median * 1000:7.1f} ms (median of {args.runs})")
    print(f"startup ratio     : {ours_median / base_median:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()

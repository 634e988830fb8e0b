"""Run every benchmark and print the README's performance table.

Each benchmark measures facilitate against a named baseline in the same run and prints a
line `ratio ... : 1.23 (target <= 1.5)`; this script runs them one after the other, each
in a process of its own, reads that line and prints one Markdown table with the machine
it ran on. `--readme` also writes the table into README.md, between the
`<!-- benchmarks -->` and `<!-- /benchmarks -->` markers.

    python benchmarks/run_all.py [--readme] [--only startup,match]

Exit code 0 when every ratio is within its target, 1 when one is not, 2 when a benchmark
could not run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
START, END = "<!-- benchmarks -->", "<!-- /benchmarks -->"
RATIO = re.compile(r"ratio\s*:\s*([0-9.]+)\s*\(target <= ([0-9.]+)\)")
MEMORY = re.compile(r"peak memory\s*:\s*([0-9.]+) MB")


@dataclass(frozen=True)
class Benchmark:
    name: str
    what: str  # what of facilitate is timed
    baseline: str  # what it is timed against


BENCHMARKS = (
    Benchmark(
        "startup",
        "`facilitate --help`",
        "`--help` of a bare two-command typer app",
    ),
    Benchmark(
        "handouts",
        "`handouts all` of a 40-participant cohort (52 documents)",
        "docxtpl rendering each of the same documents",
    ),
    Benchmark(
        "collect",
        "`collect meter` of 1,000 filled one-respondent workbooks",
        "python-calamine reading every cell of the same files",
    ),
    Benchmark(
        "match",
        "`match` of 1,000 adepts and 1,000 mentors from 50 organisations",
        "`scipy.optimize.linear_sum_assignment` alone on a random matrix of the same shape",
    ),
)


@dataclass(frozen=True)
class Outcome:
    benchmark: Benchmark
    ratio: float | None
    target: float | None
    seconds: float
    note: str  # peak memory, or why it did not run


def machine() -> str:
    """'Linux x86_64, 2 cores (AMD EPYC 7B13), Python 3.11.7'."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = os.cpu_count() or 1
    return (
        f"{platform.system()} {platform.machine()}, {cores} core{'s' * (cores != 1)} ({cpu}), "
        f"Python {platform.python_version()}"
    )


def run(benchmark: Benchmark) -> Outcome:
    script = HERE / f"{benchmark.name}.py"
    start = time.perf_counter()
    if not script.is_file():
        return Outcome(benchmark, None, None, 0.0, f"{script.name} is missing")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    sys.stderr.write(done.stdout)
    found = RATIO.search(done.stdout)
    if done.returncode != 0 or found is None:
        last = (done.stderr.strip().splitlines() or ["no ratio printed"])[-1]
        return Outcome(benchmark, None, None, seconds, f"did not run: {last}")
    memory = MEMORY.search(done.stdout)
    note = f"peak memory {float(memory.group(1)):.0f} MB" if memory else ""
    return Outcome(benchmark, float(found.group(1)), float(found.group(2)), seconds, note)


def table(outcomes: list[Outcome], where: str) -> str:
    lines = [
        f"Measured with `python benchmarks/run_all.py` on {where}:",
        "",
        "| benchmark | timed | baseline (same run) | target | ratio | |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        b = o.benchmark
        target = f"≤ {o.target:g}" if o.target is not None else ""
        ratio = f"{o.ratio:.2f}" if o.ratio is not None else "—"
        verdict = (
            o.note
            if o.ratio is None
            else ("met" if o.target is not None and o.ratio <= o.target else "missed")
        )
        if o.ratio is not None and o.note:
            verdict += f"; {o.note}"
        lines.append(
            f"| `benchmarks/{b.name}.py` | {b.what} | {b.baseline} | {target} | {ratio} | {verdict} |"
        )
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        raise SystemExit(f"README.md has no {START} ... {END} markers to write the table between")
    before, rest = readme.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(f"{before}{START}\n{text}\n{END}{after}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    args = parser.parse_args()
    chosen = BENCHMARKS
    if args.only:
        names = set(args.only.split(","))
        unknown = names - {b.name for b in BENCHMARKS}
        if unknown:
            parser.error(f"no benchmark {', '.join(sorted(unknown))}")
        chosen = tuple(b for b in BENCHMARKS if b.name in names)
    outcomes = []
    for benchmark in chosen:
        print(f"running benchmarks/{benchmark.name}.py ...", file=sys.stderr, flush=True)
        outcomes.append(run(benchmark))
    text = table(outcomes, machine())
    print(text)
    if args.readme:
        write_readme(text)
    if any(o.ratio is None for o in outcomes):
        return 2
    return 0 if all(o.target is not None and o.ratio <= o.target for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Time `collect` on 1,000 filled one-respondent workbooks against python-calamine
simply reading every cell of the same files.

A cohort of "Toimiva monialainen Ohjaamo" with 1,000 participants gets the meter's
person workbooks from `facilitate sheets` (one per participant), filled in as people
do: the dropdown's "4 – jokseenkin samaa mieltä", a bare 4, open answers. Then, in one
run, alternately: `collect` on the loaded cohort (the folder listed, the participant
list read, every workbook's hidden identity checked, every value parsed, the store
written) and the floor, a loop that opens each file with python-calamine and reads
every cell of every sheet. The medians are compared. Target: ratio <= 1.5. The peak
memory of a collect is measured in a process of its own (target: under 200 MB).

    python benchmarks/collect.py [--files 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

PROGRAMME = "toimiva-monialainen-ohjaamo"
TARGET = 1.5
MEMORY_TARGET_MB = 200
WHEN = datetime(2027, 2, 1, 12, 0)


def fail(message: str) -> None:
    print(f"benchmarks/collect.py: {message}", file=sys.stderr)
    raise SystemExit(1)


def names(count: int) -> list[str]:
    return [f"Osallistuja {i + 1:04d}" for i in range(count)]


def make_cohort(folder: Path, count: int) -> None:
    from typer.testing import CliRunner

    from facilitate.cli import app

    result = CliRunner().invoke(
        app,
        [
            "init",
            PROGRAMME,
            str(folder),
            "--no-input",
            "--organisation",
            "Ohjaamo Järvenranta",
            "--first-date",
            "2027-01-19",
            "--sessions",
            "meeting=4",
        ],
    )
    if result.exit_code != 0:
        fail(f"init failed: {result.output}")
    (folder / "participants.xlsx").unlink(missing_ok=True)
    lines = ["name,email,organisation,role"] + [
        f"{name},,Järvenrannan kaupunki,member" for name in names(count)
    ]
    (folder / "participants.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def fill_chunk(args: tuple[str, list[str]]) -> int:
    """Build the meter workbooks of some participants and fill them in (in a worker)."""
    import openpyxl

    from facilitate import cohort as cohorts
    from facilitate import sheets
    from facilitate.answers import META_SHEET, Meta
    from facilitate.participants import Participant

    folder = Path(args[0])
    cohort = cohorts.load(folder)
    people = [Participant(name, None, "Järvenrannan kaupunki", "member") for name in args[1]]
    plan = sheets.plan(cohort, "meter", layout="person", participants=people)
    choices = sheets.choices(cohort.programme.questionnaire("meter"), "fi")
    for n, (path, data) in enumerate(sheets.build(plan)):
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        rows = workbook[META_SHEET].iter_rows(values_only=True)
        meta = Meta.from_rows([list(row) for row in rows])
        for i, field in enumerate(meta.fields):
            score = 1 + (n + i) % 5
            value: Any = (
                (choices[score - 1] if (n + i) % 3 else score)
                if field.kind == "scale"
                else f"Vastaus {field.id} {n}"
            )
            workbook[field.sheet][field.cell] = value
        workbook.save(folder / "responses" / path.name)
    return len(plan.jobs)


def build(folder: Path, count: int) -> list[Path]:
    make_cohort(folder, count)
    everyone = names(count)
    workers = min(8, os.cpu_count() or 1)
    chunks = [(str(folder), everyone[i::workers]) for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        made = sum(pool.map(fill_chunk, chunks))
    if made != count:
        fail(f"made {made} workbooks, not {count}")
    return sorted((folder / "responses").glob("*.xlsx"))


def reset(cohort: Any) -> None:
    """An empty store, so that every run stores 1,000 new responses, and nothing
    remembered from the run before: each run is timed as a fresh `facilitate collect`."""
    from facilitate import answers, collect, workbook

    shutil.rmtree(cohort.state / "answers", ignore_errors=True)
    workbook._CLEAN.clear()
    answers._fields.cache_clear()
    collect._cell.cache_clear()


def ours(cohort: Any) -> Any:
    from facilitate.collect import collect

    return collect(cohort, "meter", [], WHEN)


def floor(paths: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in paths:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            cells += sum(len(row) for row in workbook.get_sheet_by_name(name).to_python())
    return cells


def timed(run: Any, arg: Any) -> float:
    gc.collect()
    start = time.perf_counter()
    run(arg)
    return time.perf_counter() - start


def peak_memory(folder: Path) -> tuple[float, float]:
    """Peak resident memory (MB) of a process that collects once, and tracemalloc's
    peak of Python objects (MB) during the collect."""
    out = subprocess.run(
        [sys.executable, __file__, "--memory", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out)
    return data["rss"], data["python"]


def memory(folder: Path) -> None:
    import tracemalloc

    from facilitate import cohort as cohorts  # imported before: not part of the collect
    from facilitate.collect import collect

    cohort = cohorts.load(folder)
    shutil.rmtree(folder / ".facilitate" / "answers", ignore_errors=True)
    tracemalloc.start()
    collect(cohort, "meter", [], WHEN)
    python = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_mb = rss / 2**20 if sys.platform == "darwin" else rss / 2**10
    print(json.dumps({"rss": rss_mb, "python": python}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep",
        type=Path,
        help="Build the workbooks in this folder, or reuse those built there before.",
    )
    parser.add_argument("--memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory is not None:
        memory(args.memory)
        return
    try:
        from facilitate import sheets  # noqa: F401
    except ImportError:
        fail("facilitate/sheets.py is missing: it writes the workbooks to fill in")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "cohort"
        start = time.perf_counter()
        if (folder / "cohort.yaml").exists():
            paths = sorted((folder / "responses").glob("*.xlsx"))
            if len(paths) != args.files:
                fail(f"{folder} holds {len(paths)} workbooks, not {args.files}")
        else:
            paths = build(folder, args.files)
        built = time.perf_counter() - start
        size = sum(p.stat().st_size for p in paths)
        from facilitate import cohort as cohorts

        start = time.perf_counter()
        cohort = cohorts.load(folder)  # what every command does first; not timed below
        loading = time.perf_counter() - start
        reset(cohort)
        report = ours(cohort)  # a warm-up, and the check that everything is accepted
        if report.problems or report.refused or report.new != args.files:
            fail(f"collect did not accept every file: {report.problems[:3]} {report.refused[:3]}")
        cells = floor(paths)
        times: dict[str, list[float]] = {"ours": [], "floor": []}
        for _ in range(args.runs):
            reset(cohort)
            times["ours"].append(timed(ours, cohort))
            times["floor"].append(timed(floor, paths))
        rss, python = peak_memory(folder)
    o, f = statistics.median(times["ours"]), statistics.median(times["floor"])
    print(f"workbooks           : {len(paths)} ({size / 2**20:.1f} MB, built in {built:.0f} s)")
    print(f"cells read (floor)  : {cells}")
    print(f"loading the cohort  : {loading * 1000:7.0f} ms (once per command; not in the ratio)")
    print(f"collect             : {o * 1000:7.0f} ms (median of {args.runs})")
    print(f"calamine, every cell: {f * 1000:7.0f} ms (median of {args.runs})")
    print(f"ratio               : {o / f:.2f} (target <= {TARGET})")
    print(
        f"peak memory         : {rss:.0f} MB resident, {python:.1f} MB of Python objects "
        f"(target < {MEMORY_TARGET_MB} MB)"
    )


if __name__ == "__main__":
    main()

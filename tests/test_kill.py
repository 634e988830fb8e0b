"""Nothing lost when the power goes: a bulk `handouts all` and a `collect` killed with
SIGKILL at random points leave every file in out/ complete or absent, and the stored
answers exactly as the last collect that finished left them. The next run completes."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).parent.parent
KILLS = 5  # points per command
SEED = 20261122
PEOPLE = 300


def start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "facilitate", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
    )


def run(args: list[str], cwd: Path) -> None:
    process = start(args, cwd)
    assert process.wait(timeout=120) == 0, args


def kill_after(args: list[str], cwd: Path, delay: float) -> bool:
    """Start the command, SIGKILL it after `delay` seconds; False if it finished first."""
    process = start(args, cwd)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        return True


def timed(args: list[str], cwd: Path) -> float:
    start_at = time.perf_counter()
    run(args, cwd)
    return time.perf_counter() - start_at


def delays(duration: float, seed: int) -> list[float]:
    """Kill points spread over the second half of an uninterrupted run (the first half
    is mostly Python starting up), the same ones every time."""
    rng = random.Random(seed)
    return sorted(rng.uniform(0.45 * duration, 0.97 * duration) for _ in range(KILLS))


def complete_or_absent(out: Path) -> list[Path]:
    """Every file in out/ opens as what it claims to be; the leftovers of an interrupted
    write are hidden temp files (".name.xxxx.tmp"), which nothing reads."""
    from docx import Document
    from openpyxl import load_workbook

    leftovers = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            leftovers.append(path)
            continue
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
            Document(str(path))
        elif path.suffix == ".xlsx":
            load_workbook(path, read_only=True).close()
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".ics":
            text = path.read_text(encoding="utf-8")
            assert text.startswith("BEGIN:VCALENDAR") and text.rstrip().endswith("END:VCALENDAR")
    return leftovers


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill") / "demo"
    run(["demo", str(folder)], folder.parent)
    return folder


def test_handouts_all_killed_at_random_points(demo: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(demo, reference)
    shutil.rmtree(reference / "out")
    duration = timed(["handouts", "all", "--force"], reference)
    folder = tmp_path / "cohort"
    shutil.copytree(demo, folder)
    shutil.rmtree(folder / "out")
    killed = 0
    for delay in delays(duration, SEED):
        killed += kill_after(["handouts", "all", "--force"], folder, delay)
        complete_or_absent(folder / "out")
        manifest = folder / ".facilitate" / "manifest.json"
        if manifest.exists():
            json.loads(manifest.read_text(encoding="utf-8"))
    assert killed, "every run finished before it could be killed; the test proves nothing"
    run(["handouts", "all", "--force"], folder)
    complete_or_absent(folder / "out")
    expected = {p.relative_to(reference) for p in (reference / "out").rglob("*.docx")}
    written = {p.relative_to(folder) for p in (folder / "out").rglob("*.docx")}
    assert written == expected


def stored(folder: Path) -> dict[str, Any]:
    """The stored answers by respondent, without the date they were collected on."""
    path = folder / ".facilitate" / "answers" / "meter" / "pre-assignment.json"
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {row["respondent"]: {k: v for k, v in row.items() if k != "collected"} for row in rows}


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort of 120 with every participant's filled meter workbook in responses/."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import collect as bench  # benchmarks/collect.py makes such cohorts
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    folder = tmp_path_factory.mktemp("kill") / "collect"
    bench.make_cohort(folder, PEOPLE)
    bench.fill_chunk((str(folder), bench.names(PEOPLE)))
    return folder


def test_collect_killed_at_random_points(filled: Path, tmp_path: Path) -> None:
    # The state after a complete collect of half the workbooks, and of all of them.
    everything = sorted((filled / "responses").glob("*.xlsx"))
    reference = tmp_path / "reference"
    shutil.copytree(filled, reference)
    duration = timed(["collect", "meter"], reference)
    full = stored(reference)
    assert len(full) == PEOPLE

    folder = tmp_path / "cohort"
    shutil.copytree(filled, folder)
    later = folder / "later"
    later.mkdir()
    for path in everything[PEOPLE // 2 :]:
        shutil.move(folder / "responses" / path.name, later / path.name)
    run(["collect", "meter"], folder)
    half = stored(folder)
    assert len(half) == PEOPLE // 2
    for path in later.iterdir():
        shutil.move(path, folder / "responses" / path.name)

    killed = 0
    for delay in delays(duration, SEED + 1):
        killed += kill_after(["collect", "meter"], folder, delay)
        now = stored(folder)
        assert now in (half, full), f"a partial store after a kill at {delay:.2f} s"
        complete_or_absent(folder / ".facilitate")
        if now == full:  # a run finished: go back to half for the next kill
            break
        time.sleep(0.05)
    assert killed, "every collect finished before it could be killed; the test proves nothing"
    run(["collect", "meter"], folder)
    assert stored(folder) == full

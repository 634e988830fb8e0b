"""The benchmark table: every benchmark's ratio line is read, and the table says whether
the target was met."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run_all() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_all", BENCHMARKS / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_prints_a_ratio_line_run_all_reads() -> None:
    module = run_all()
    for benchmark in module.BENCHMARKS:
        source = (BENCHMARKS / f"{benchmark.name}.py").read_text(encoding="utf-8")
        printed = re.search(r'print\(\s*f"([^"]*ratio\s*:[^"]*)"', source)
        assert printed, f"{benchmark.name}.py prints no ratio line"
        line = re.sub(r"\{[^}]*\}", "1.25", printed.group(1))
        found = module.RATIO.search(line)
        assert found, f"run_all cannot read {line!r}"
        assert float(found.group(1)) == 1.25


def test_table_marks_targets_met_and_missed() -> None:
    module = run_all()
    startup, handouts, collect, match = module.BENCHMARKS
    text = module.table(
        [
            module.Outcome(startup, 1.1, 1.2, 3.0, ""),
            module.Outcome(handouts, 0.9, 0.8, 9.0, ""),
            module.Outcome(collect, 1.3, 1.5, 30.0, "peak memory 88 MB"),
            module.Outcome(match, None, None, 0.0, "match.py is missing"),
        ],
        "a test machine",
    )
    rows = [line for line in text.splitlines() if line.startswith("| `benchmarks/")]
    assert [row.rsplit("|", 3)[1:3] for row in rows] == [
        [" 1.10 ", " met "],
        [" 0.90 ", " missed "],
        [" 1.30 ", " met; peak memory 88 MB "],
        [" — ", " match.py is missing "],
    ]
    assert "a test machine" in text

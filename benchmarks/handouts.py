"""Time making every document of a 40-participant cohort against docxtpl's naive loop.

The cohort runs "Osaava ja oppiva Ohjaamo" (the demo, grown to 40 participants): every
session's handout, run-sheet and task sheet, the overview, the diary and 40
certificates. facilitate's way (each template compiled once, then rendered per
document) is timed against a loop that renders the same templates with the same data
by calling docxtpl directly, once per document. Both make bytes in memory; the two are
run alternately and the medians compared. Target: ratio <= 0.8.

    python benchmarks/handouts.py [--runs 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

PARTICIPANTS = 40
TARGET = 0.8


def fail(message: str) -> None:
    print(f"benchmarks/handouts.py: {message}", file=sys.stderr)
    raise SystemExit(1)


def cohort_of_40(folder: Path) -> Any:
    """The demo cohort with 40 participants, each of whom attended every session."""
    from facilitate import cohort, demo
    from facilitate.participants import Participant, write_template
    from facilitate.schedule import compute

    demo.build(folder, date(2026, 11, 2))
    loaded = cohort.load(folder)
    held = len([slot for slot in compute(loaded) if not slot.reminder])
    people = []
    for i in range(PARTICIPANTS):
        if i < len(demo.STAFF):
            name, email, organisation, role = demo.STAFF[i]
        else:
            name, email = f"Osallistuja {i + 1}", f"osallistuja{i + 1}@jarvenranta.example"
            organisation, role = "Järvenrannan kaupunki, nuorisopalvelut", "member"
        people.append(
            Participant(name, email, organisation, role, fields={"attended": held}, row=i + 2)
        )
    write_template(
        folder / "participants.xlsx", loaded.programme, "fi", loaded.settings.organisation, people
    )
    loaded = cohort.load(folder)
    # The programme keeps no travel diary; the benchmark makes one all the same.
    programme = loaded.programme.model_copy(update={"travel_diary": True})
    return dataclasses.replace(loaded, programme=programme), people


def jobs_of(folder: Path) -> list[Any]:
    try:
        from facilitate import documents
    except ImportError:
        fail("facilitate/documents.py is missing: it builds the documents' contexts (plan)")
    loaded, people = cohort_of_40(folder)
    kinds = ("handout", "task-sheet", "overview", "diary", "certificate")
    jobs = documents.plan(loaded, date(2026, 11, 2), kinds=kinds, participants=people).jobs
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.kind] = counts.get(job.kind, 0) + 1
    if missing := [kind for kind in kinds if not counts.get(kind)]:
        fail(f"the plan has no {', '.join(missing)} documents: {counts}")
    if counts["certificate"] != PARTICIPANTS:
        fail(f"the plan has {counts['certificate']} certificates, not {PARTICIPANTS}")
    return jobs


def ours(jobs: list[Any]) -> list[bytes]:
    from facilitate.docgen import Templates

    templates = Templates(None)  # loading is part of the run: a fresh cache each time
    return [templates.render(job.kind, job.context) for job in jobs]


def naive(jobs: list[Any]) -> list[bytes]:
    from docxtpl import DocxTemplate

    from facilitate.docgen import template_path

    made = []
    for job in jobs:
        template = DocxTemplate(template_path(job.kind, None))
        template.render(job.context, autoescape=True)
        out = io.BytesIO()
        template.save(out)
        made.append(out.getvalue())
    return made


def text_of(data: bytes) -> list[str]:
    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    for section in doc.sections:
        lines += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return lines


def timed(run: Any, jobs: list[Any]) -> float:
    start = time.perf_counter()
    run(jobs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from facilitate.docgen import KINDS, template_path

    absent = [kind for kind in KINDS if not template_path(kind, None).is_file()]
    if absent:
        fail(f"templates/ lacks {', '.join(f'{kind}.docx' for kind in absent)}")
    with tempfile.TemporaryDirectory() as tmp:
        jobs = jobs_of(Path(tmp) / "cohort")
        # Same documents both ways (text of every one), and a warm-up for both.
        for job, a, b in zip(jobs, ours(jobs), naive(jobs), strict=True):
            if text_of(a) != text_of(b):
                fail(f"{job.path}: facilitate's text differs from docxtpl's")
        times: dict[str, list[float]] = {"ours": [], "naive": []}
        for _ in range(args.runs):
            times["ours"].append(timed(ours, jobs))
            times["naive"].append(timed(naive, jobs))
        write_time = time_writing(Path(tmp) / "cohort", jobs)
    kinds = sorted({job.kind for job in jobs}, key=KINDS.index)
    counts = ", ".join(f"{sum(j.kind == k for j in jobs)} {k}" for k in kinds)
    o, n = statistics.median(times["ours"]), statistics.median(times["naive"])
    print(f"documents          : {len(jobs)} ({counts})")
    print(f"facilitate         : {o * 1000:7.0f} ms (median of {args.runs})")
    print(f"docxtpl, naive loop: {n * 1000:7.0f} ms (median of {args.runs})")
    print(f"writing them       : {write_time * 1000:7.0f} ms (atomic, with the manifest)")
    print(f"ratio              : {o / n:.2f} (target <= {TARGET})")


def time_writing(folder: Path, jobs: list[Any]) -> float:
    """What safe writing costs: every file, the announcement and the manifest, atomically."""
    from facilitate.generated import GeneratedFiles

    made = ours(jobs)
    start = time.perf_counter()
    files = GeneratedFiles(folder)
    files.write_many([(Path("out") / job.path, data) for job, data in zip(jobs, made, strict=True)])
    return time.perf_counter() - start


if __name__ == "__main__":
    main()

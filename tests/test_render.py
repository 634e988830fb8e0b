"""Generated files opened in LibreOffice, as a facilitator would open them.

Skipped where soffice is missing; .ci/run installs LibreOffice so these run in CI.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from facilitate.demo import build

from .office import convert

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils are needed to render documents",
)


def to_pdf(path: Path, tmp_path: Path) -> Path:
    convert([path], tmp_path)
    pdf = tmp_path / f"{path.stem}.pdf"
    assert pdf.exists(), f"LibreOffice made no PDF of {path.name}"
    return pdf


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_demo_participant_list_prints_on_one_page(tmp_path: Path) -> None:
    build(tmp_path / "demo", date.today())
    pdf = to_pdf(tmp_path / "demo" / "participants.xlsx", tmp_path)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert pages(pdf) == 1
    for expected in (
        "Nimi",
        "Sähköposti",
        "Organisaatio",
        "Rooli",
        "Åsa Lindqvist",
        "Noora O'Connor",
    ):
        assert expected in text

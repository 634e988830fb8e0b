"""LibreOffice for the tests that look at documents as a facilitator would: converted to
PDF (or text) by soffice, in one call for many files, with a profile of its own so that
tests running at the same time do not share one."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path


def convert(sources: Sequence[Path], outdir: Path, to: str = "pdf") -> None:
    """Convert `sources` into `outdir` (each as its stem plus the new extension)."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(outdir / '.lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )

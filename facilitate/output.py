"""Writing files so that an interrupted run never leaves half a file behind.

Everything facilitate writes goes through `write_atomic`: the content goes to a
temporary file in the same folder, which is then renamed over the target in one step.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import FacilitateError, FileBusyError


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: bytes | str | Callable[[Path], None]) -> Path:
    """Write `content` (bytes, text, or a function that writes a given path) to `path`."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise FacilitateError(f"cannot write into {folder}: permission denied") from None
    except OSError as exc:
        raise FacilitateError(f"cannot write into {folder}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, str):
                handle.write(content.encode("utf-8"))
            elif isinstance(content, bytes):
                handle.write(content)
        if callable(content):
            content(tmp)
        # mkstemp makes the file private (0600); give it the mode any new file would get,
        # so colleagues on a shared drive can open it.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except PermissionError:
        raise FileBusyError(path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path

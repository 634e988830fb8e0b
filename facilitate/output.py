"""Writing files so that an interrupted run never leaves half a file behind.

Everything facilitate writes goes through `write_atomic`: the content goes to a
temporary file in the same folder, which is then renamed over the target in one step.
Ctrl-C is held back while one file is written, so that it never lands between making
the temporary file and renaming or removing it; a kill (which cannot be held back) may
leave a hidden `.name.xxxx.tmp` beside the target, which nothing reads.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import FacilitateError, FileBusyError


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) waits until the block is done, then interrupts as usual."""
    if (
        not hasattr(signal, "pthread_sigmask")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def write_atomic(path: Path, content: bytes | str | Callable[[Path], None]) -> Path:
    """Write `content` (bytes, text, or a function that writes a given path) to `path`."""
    with _ctrl_c_held():
        return _write_atomic(path, content)


def _write_atomic(path: Path, content: bytes | str | Callable[[Path], None]) -> Path:
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

"""The files facilitate generates in a cohort folder, and the manifest that tells them
apart from files the facilitator has edited by hand.

`.facilitate/manifest.json` maps each generated file (a path relative to the cohort
folder, with forward slashes) to the SHA-256 of what facilitate wrote. Regenerating
replaces a file only while it still holds exactly that; a file edited since, or one
facilitate never wrote, is replaced only with --force, which keeps it as `<name>.bak`.

A run that is killed must leave a manifest that agrees with the disk. The files of a
run are announced (with their hashes) in `.facilitate/manifest.pending.json` before any
is written and entered into the manifest after; the next run enters an announced file
that holds what was announced, so a file renamed into place just before the kill is
still known as facilitate's own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from .cohort import STATE_DIR
from .errors import FacilitateError, FileBusyError, RefusedError
from .output import write_atomic

MANIFEST = "manifest.json"
PENDING = "manifest.pending.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class GeneratedFiles:
    """Safe writing into one cohort folder, with its manifest of generated files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest_path = folder / STATE_DIR / MANIFEST
        self.pending_path = folder / STATE_DIR / PENDING
        self._hashes = self._read()
        self._settle()

    @property
    def hashes(self) -> Mapping[str, str]:
        """Generated files (relative posix paths) and the SHA-256 of what was written."""
        return dict(self._hashes)

    def name(self, path: Path) -> str:
        """`path` as the manifest and messages name it: relative to the cohort folder."""
        full = path if path.is_absolute() else self.folder / path
        try:
            return full.relative_to(self.folder).as_posix()
        except ValueError:
            return full.as_posix()

    def state(self, path: Path) -> str:
        """'missing', 'generated' (as facilitate wrote it), 'edited' (changed since) or
        'foreign' (not written by facilitate)."""
        full, name = self._full(path), self.name(path)
        current = _hash_of(full)
        if current is None:
            return "missing"
        recorded = self._hashes.get(name)
        if recorded is None:
            return "foreign"
        return "generated" if recorded == current else "edited"

    def write(self, path: Path, data: bytes, force: bool = False) -> Path:
        """Write `data` to `path` (relative to the cohort folder, or absolute) and record it.

        A file that holds something facilitate did not write is refused, naming it,
        unless `force`, which keeps it as `<name>.bak` first. A file that already holds
        `data` is left alone (and is not touched even when Word has it open).
        """
        return self.write_many([(path, data)], force)[0]

    def write_many(self, files: Sequence[tuple[Path, bytes]], force: bool = False) -> list[Path]:
        """`write` for the documents of a run: every file is checked before any is
        written, so a refusal names them all and leaves the folder as it was; the
        manifest is saved once, at the end, or when a write fails."""
        todo: list[tuple[Path, str, bytes, str, bool]] = []  # full, name, data, hash, backup
        refused: list[tuple[str, Path]] = []
        for path, data in files:
            full, name = self._full(path), self.name(path)
            if full.is_dir():
                raise FacilitateError(f"{name} is a folder; facilitate wants to write a file there")
            new, current = sha256(data), self._current(full, name)
            if current == new:
                self._hashes[name] = new  # already there: adopted, not rewritten
                continue
            edited = current is not None and current != self._hashes.get(name)
            if edited and not force:
                refused.append((name, full))
            todo.append((full, name, data, new, edited))
        if refused:
            raise RefusedError(self._refusal(refused))
        if todo:
            self._announce({name: new for _, name, _, new, _ in todo})
        try:
            for full, name, data, new, edited in todo:
                try:
                    if edited:
                        write_atomic(full.with_name(full.name + ".bak"), _read(full))
                    write_atomic(full, data)
                except FileBusyError:  # named as the facilitator sees it
                    raise FileBusyError(Path(name)) from None
                self._hashes[name] = new
        except FacilitateError:
            # Raised before a rename: what was written is recorded, the rest untouched.
            self._finish()
            raise
        except BaseException:
            # Killed (Ctrl+C) perhaps between a rename and its record: the next run
            # settles what was announced.
            self.save()
            raise
        self._finish()
        return [self._full(path) for path, _ in files]

    def _finish(self) -> None:
        self.save()
        self.pending_path.unlink(missing_ok=True)

    def forget(self, path: Path) -> None:
        """Take a file out of the manifest (after it was deleted on purpose)."""
        name = self.name(path)
        if name in self._hashes:
            del self._hashes[name]
            self.save()

    def save(self) -> None:
        """Write the manifest (atomically); `write` and `write_many` do this."""
        text = json.dumps(dict(sorted(self._hashes.items())), indent=1, ensure_ascii=False)
        write_atomic(self.manifest_path, text + "\n")

    # --- inside -----------------------------------------------------------------------

    def _full(self, path: Path) -> Path:
        return path if path.is_absolute() else self.folder / path

    def _current(self, full: Path, name: str) -> str | None:
        try:
            return _hash_of(full)
        except FileBusyError:
            raise FileBusyError(Path(name)) from None

    def _refusal(self, refused: list[tuple[str, Path]]) -> str:
        if len(refused) == 1:
            name, full = refused[0]
            why = (
                "was changed after facilitate wrote it"
                if name in self._hashes
                else f"was not written by facilitate (or its record in {STATE_DIR}/{MANIFEST} is gone)"
            )
            return f"{name} {why}; pass --force to replace it (your version is kept as {full.name}.bak)"
        names = "\n".join(f"  {name}" for name, _ in refused)
        return (
            f"{len(refused)} files were changed after facilitate wrote them, or were not "
            f"written by it:\n{names}\npass --force to replace them (your versions are kept "
            "as .bak files beside them)"
        )

    def _announce(self, hashes: dict[str, str]) -> None:
        write_atomic(self.pending_path, json.dumps(hashes, ensure_ascii=False) + "\n")

    def _read(self) -> dict[str, str]:
        try:
            text = self.manifest_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except PermissionError:
            raise FileBusyError(self.manifest_path) from None
        except UnicodeDecodeError:
            raise self._damaged("it is not text") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise self._damaged(f"line {exc.lineno}: {exc.msg}") from None
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise self._damaged("it is not a mapping of file names to hashes")
        return data

    def _damaged(self, why: str) -> FacilitateError:
        return FacilitateError(
            f"{STATE_DIR}/{MANIFEST} in {self.folder} is damaged ({why}). It records which "
            "documents facilitate wrote; delete it and run the command again with --force "
            "once: without the record every existing document counts as edited by hand, and "
            "--force replaces them, keeping each as a .bak"
        )

    def _settle(self) -> None:
        """Finish the record of a write that a killed run left announced: if the file
        holds what was announced, it was written and goes into the manifest."""
        try:
            announced = json.loads(self.pending_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.pending_path.unlink(missing_ok=True)
            return
        if isinstance(announced, dict):
            for name, new in announced.items():
                if isinstance(new, str) and _hash_of(self._full(Path(name))) == new:
                    self._hashes[name] = new
            self.save()
        self.pending_path.unlink(missing_ok=True)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise FileBusyError(path) from None


def _hash_of(path: Path) -> str | None:
    try:
        return sha256(_read(path))
    except (FileNotFoundError, IsADirectoryError):
        return None

"""The programme library: where shipped programmes and templates live, and finding one by name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ProgrammeError, UnknownProgrammeError
from .programme import Programme, did_you_mean

_HERE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # An installed wheel carries the folder inside the package; a source checkout
    # (or an editable install) has it at the top of the repository.
    inside = _HERE / name
    return inside if inside.is_dir() else _HERE.parent / name


def shipped_programmes() -> Path:
    return _data_dir("programmes")


def shipped_templates() -> Path:
    return _data_dir("templates")


@dataclass(frozen=True)
class Entry:
    """A programme file in a library folder, loaded or with the reason it could not be."""

    path: Path
    programme: Programme | None
    error: ProgrammeError | None


def library_dirs(extra: Path | None) -> list[Path]:
    """The folders searched for programmes by id, the facilitator's own first."""
    return [extra, shipped_programmes()] if extra is not None else [shipped_programmes()]


def questionnaire_dirs(extra: Path | None) -> list[Path]:
    return [d / "questionnaires" for d in library_dirs(extra)]


def load(path: Path, extra: Path | None = None) -> Programme:
    """Load a programme file, resolving shared questionnaires from the library."""
    from .loader import load_programme

    return load_programme(path, questionnaire_dirs(extra), display=_display(path))


def _display(path: Path) -> str:
    """Shipped files are named relative to the library; others as the user gave them."""
    try:
        return str(path.resolve().relative_to(shipped_programmes().resolve().parent))
    except ValueError:
        return str(path)


def entries(extra: Path | None = None) -> list[Entry]:
    """Every programme file in the library folders; one id shadows the same id shipped."""
    out: list[Entry] = []
    seen: set[str] = set()
    for folder in library_dirs(extra):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            try:
                programme = load(path, extra)
            except ProgrammeError as exc:
                out.append(Entry(path, None, exc))
                continue
            if programme.id in seen:
                continue
            seen.add(programme.id)
            out.append(Entry(path, programme, None))
    return out


def find(name: str, extra: Path | None = None) -> tuple[Path, Programme]:
    """A programme named by a path to its file, or by its id."""
    candidate = Path(name).expanduser()
    if candidate.suffix in (".yaml", ".yml") or "/" in name or "\\" in name:
        return candidate, load(candidate, extra)
    for folder in library_dirs(extra):
        path = folder / f"{name}.yaml"
        if path.is_file():
            programme = load(path, extra)
            if programme.id == name:
                return path, programme
    known: list[str] = []
    for entry in entries(extra):
        if entry.programme is None:
            continue
        if entry.programme.id == name:
            return entry.path, entry.programme
        known.append(entry.programme.id)
    where = f" or in {extra}" if extra else ""
    raise UnknownProgrammeError(
        f"no programme '{name}' in the library{where}{did_you_mean(name, known)}; "
        f"`facilitate programmes` lists them, or give the path to a .yaml file"
    )

"""Safe writing: the manifest of generated files, refusals, --force, busy and killed runs."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitate import generated, output
from facilitate.errors import FacilitateError, FileBusyError, RefusedError
from facilitate.generated import GeneratedFiles

HANDOUT = Path("out/module-3/handout.docx")


def manifest(folder: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((folder / ".facilitate/manifest.json").read_text())
    return data


def leftovers(folder: Path) -> list[str]:
    """Temporary files and announcements a write should never leave behind."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.name.endswith(".tmp") or p.name == generated.PENDING
    )


def test_a_new_file_is_written_and_recorded(tmp_path: Path) -> None:
    files = GeneratedFiles(tmp_path)
    path = files.write(HANDOUT, b"first")
    assert path == tmp_path / HANDOUT
    assert path.read_bytes() == b"first"
    assert manifest(tmp_path) == {"out/module-3/handout.docx": hashlib.sha256(b"first").hexdigest()}
    assert files.state(HANDOUT) == "generated"
    assert leftovers(tmp_path) == []


def test_our_own_file_is_replaced_without_asking(tmp_path: Path) -> None:
    GeneratedFiles(tmp_path).write(HANDOUT, b"first")
    files = GeneratedFiles(tmp_path)  # the next run
    files.write(HANDOUT, b"second")
    assert (tmp_path / HANDOUT).read_bytes() == b"second"
    assert manifest(tmp_path)["out/module-3/handout.docx"] == hashlib.sha256(b"second").hexdigest()


def test_an_absolute_path_inside_the_folder_is_recorded_relative(tmp_path: Path) -> None:
    GeneratedFiles(tmp_path).write(tmp_path / "out" / "overview.docx", b"x")
    assert list(manifest(tmp_path)) == ["out/overview.docx"]


def test_a_file_edited_by_hand_is_refused(tmp_path: Path) -> None:
    GeneratedFiles(tmp_path).write(HANDOUT, b"first")
    (tmp_path / HANDOUT).write_bytes(b"my own notes")
    files = GeneratedFiles(tmp_path)
    assert files.state(HANDOUT) == "edited"
    with pytest.raises(RefusedError) as caught:
        files.write(HANDOUT, b"second")
    assert str(caught.value) == (
        "out/module-3/handout.docx was changed after facilitate wrote it; pass --force to "
        "replace it (your version is kept as handout.docx.bak)"
    )
    assert caught.value.exit_status == 6
    assert (tmp_path / HANDOUT).read_bytes() == b"my own notes"
    assert not (tmp_path / "out/module-3/handout.docx.bak").exists()


def test_force_keeps_the_edited_file_as_bak(tmp_path: Path) -> None:
    GeneratedFiles(tmp_path).write(HANDOUT, b"first")
    (tmp_path / HANDOUT).write_bytes(b"my own notes")
    GeneratedFiles(tmp_path).write(HANDOUT, b"second", force=True)
    assert (tmp_path / HANDOUT).read_bytes() == b"second"
    assert (tmp_path / "out/module-3/handout.docx.bak").read_bytes() == b"my own notes"
    assert manifest(tmp_path) == {
        "out/module-3/handout.docx": hashlib.sha256(b"second").hexdigest()
    }
    # and the next run replaces it again without asking
    GeneratedFiles(tmp_path).write(HANDOUT, b"third")
    assert (tmp_path / HANDOUT).read_bytes() == b"third"


def test_a_file_facilitate_did_not_write_is_refused(tmp_path: Path) -> None:
    (tmp_path / HANDOUT).parent.mkdir(parents=True)
    (tmp_path / HANDOUT).write_bytes(b"someone else's")
    files = GeneratedFiles(tmp_path)
    assert files.state(HANDOUT) == "foreign"
    with pytest.raises(RefusedError) as caught:
        files.write(HANDOUT, b"ours")
    assert str(caught.value) == (
        "out/module-3/handout.docx was not written by facilitate (or its record in "
        ".facilitate/manifest.json is gone); pass --force to replace it "
        "(your version is kept as handout.docx.bak)"
    )
    files.write(HANDOUT, b"ours", force=True)
    assert (tmp_path / "out/module-3/handout.docx.bak").read_bytes() == b"someone else's"


def test_a_file_that_already_holds_the_content_is_left_alone(tmp_path: Path) -> None:
    """Without a record, but the same bytes: nothing to refuse, nothing to write, so a
    file Word holds open is no obstacle either."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out/overview.docx").write_bytes(b"same")
    before = (tmp_path / "out/overview.docx").stat().st_mtime_ns
    files = GeneratedFiles(tmp_path)
    files.write(Path("out/overview.docx"), b"same")
    assert (tmp_path / "out/overview.docx").stat().st_mtime_ns == before
    assert files.state(Path("out/overview.docx")) == "generated"
    assert "out/overview.docx" in manifest(tmp_path)


def test_a_deleted_file_is_written_again(tmp_path: Path) -> None:
    GeneratedFiles(tmp_path).write(HANDOUT, b"first")
    (tmp_path / HANDOUT).unlink()
    files = GeneratedFiles(tmp_path)
    assert files.state(HANDOUT) == "missing"
    files.write(HANDOUT, b"second")
    assert (tmp_path / HANDOUT).read_bytes() == b"second"


def test_forget(tmp_path: Path) -> None:
    files = GeneratedFiles(tmp_path)
    files.write(HANDOUT, b"x")
    files.forget(HANDOUT)
    assert manifest(tmp_path) == {}


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('{"out/a.docx": "abc"', "line 1: Expecting ',' delimiter"),
        ('["out/a.docx"]', "it is not a mapping of file names to hashes"),
        ('{"out/a.docx": 1}', "it is not a mapping of file names to hashes"),
        (b"\xff\xfe\x00", "it is not text"),
    ],
)
def test_a_damaged_manifest_says_how_to_recover(
    tmp_path: Path, content: str | bytes, why: str
) -> None:
    state = tmp_path / ".facilitate"
    state.mkdir()
    if isinstance(content, bytes):
        (state / "manifest.json").write_bytes(content)
    else:
        (state / "manifest.json").write_text(content)
    with pytest.raises(FacilitateError) as caught:
        GeneratedFiles(tmp_path)
    assert str(caught.value) == (
        f".facilitate/manifest.json in {tmp_path} is damaged ({why}). It records which "
        "documents facilitate wrote; delete it and run the command again with --force once: "
        "without the record every existing document counts as edited by hand, and --force "
        "replaces them, keeping each as a .bak"
    )


def test_a_file_open_in_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    GeneratedFiles(tmp_path).write(HANDOUT, b"first")
    files = GeneratedFiles(tmp_path)

    replace = os.replace

    def busy(source: Path, target: Path) -> None:
        if Path(target).name == "handout.docx":
            raise PermissionError(13, "The process cannot access the file")
        replace(source, target)

    monkeypatch.setattr(output.os, "replace", busy)
    with pytest.raises(FileBusyError) as caught:
        files.write(HANDOUT, b"second")
    monkeypatch.undo()
    assert str(caught.value) == (
        "out/module-3/handout.docx is open in another program (Word or Excel?) or cannot be "
        "accessed; close it and run the command again."
    )
    assert caught.value.exit_status == 7
    assert (tmp_path / HANDOUT).read_bytes() == b"first"
    assert leftovers(tmp_path) == []
    assert GeneratedFiles(tmp_path).state(HANDOUT) == "generated"


def test_a_file_that_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    GeneratedFiles(tmp_path).write(HANDOUT, b"first")

    def locked(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(FileBusyError, match=r"^out/module-3/handout.docx is open in another"):
        GeneratedFiles(tmp_path).write(HANDOUT, b"second")


def interrupt_writing(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> Callable[[Path, bytes | str], Path]:
    """Make writing `name` stop half-way through, as a killed run would."""
    real = generated.write_atomic

    def half(path: Path, content: bytes | str | Callable[[Path], None]) -> Path:
        if path.name != name or not isinstance(content, bytes):
            return real(path, content)

        def write_half(tmp: Path) -> None:
            with tmp.open("ab") as handle:
                handle.write(content[: len(content) // 2])
            raise KeyboardInterrupt

        return real(path, write_half)

    monkeypatch.setattr(generated, "write_atomic", half)
    return real


def test_an_interrupted_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    GeneratedFiles(tmp_path).write(HANDOUT, b"first version")
    files = GeneratedFiles(tmp_path)
    interrupt_writing(monkeypatch, "handout.docx")
    with pytest.raises(KeyboardInterrupt):
        files.write(HANDOUT, b"second version, longer")
    monkeypatch.undo()
    assert (tmp_path / HANDOUT).read_bytes() == b"first version"
    assert [p.name for p in (tmp_path / HANDOUT).parent.iterdir()] == ["handout.docx"]
    # The next run finds everything as the last complete write left it.
    files = GeneratedFiles(tmp_path)
    assert files.state(HANDOUT) == "generated"
    assert leftovers(tmp_path) == []
    files.write(HANDOUT, b"second version, longer")
    assert (tmp_path / HANDOUT).read_bytes() == b"second version, longer"


def test_an_interrupted_first_write_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = GeneratedFiles(tmp_path)
    interrupt_writing(monkeypatch, "handout.docx")
    with pytest.raises(KeyboardInterrupt):
        files.write(HANDOUT, b"content")
    monkeypatch.undo()
    assert list((tmp_path / HANDOUT).parent.iterdir()) == []
    assert "out/module-3/handout.docx" not in GeneratedFiles(tmp_path).hashes


def test_a_run_killed_between_the_file_and_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is in place but the manifest was not yet saved: the next run still
    knows the file as facilitate's own and does not call it edited."""
    GeneratedFiles(tmp_path).write(HANDOUT, b"first")
    files = GeneratedFiles(tmp_path)

    def killed() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "save", killed)
    with pytest.raises(KeyboardInterrupt):
        files.write(HANDOUT, b"second")
    assert (tmp_path / HANDOUT).read_bytes() == b"second"
    assert manifest(tmp_path)["out/module-3/handout.docx"] == hashlib.sha256(b"first").hexdigest()
    again = GeneratedFiles(tmp_path)
    assert again.state(HANDOUT) == "generated"
    assert manifest(tmp_path)["out/module-3/handout.docx"] == hashlib.sha256(b"second").hexdigest()
    assert leftovers(tmp_path) == []
    again.write(HANDOUT, b"third")


def test_the_manifest_is_saved_after_every_file(tmp_path: Path) -> None:
    files = GeneratedFiles(tmp_path)
    for i in range(3):
        files.write(Path(f"out/certificates/{i}.docx"), str(i).encode())
        assert len(manifest(tmp_path)) == i + 1
    assert os.listdir(tmp_path / ".facilitate") == ["manifest.json"]


def test_a_folder_where_a_file_should_be(tmp_path: Path) -> None:
    (tmp_path / HANDOUT).mkdir(parents=True)
    with pytest.raises(FacilitateError) as caught:
        GeneratedFiles(tmp_path).write(HANDOUT, b"x")
    assert str(caught.value) == (
        "out/module-3/handout.docx is a folder; facilitate wants to write a file there"
    )


# --- a run's documents at once --------------------------------------------------------

CERTIFICATES = [(Path(f"out/todistukset/{i}.docx"), f"certificate {i}".encode()) for i in range(5)]


def test_write_many_records_them_all(tmp_path: Path) -> None:
    paths = GeneratedFiles(tmp_path).write_many(CERTIFICATES)
    assert paths == [tmp_path / path for path, _ in CERTIFICATES]
    assert sorted(manifest(tmp_path)) == [f"out/todistukset/{i}.docx" for i in range(5)]
    assert leftovers(tmp_path) == []


def test_write_many_refuses_before_writing_anything(tmp_path: Path) -> None:
    GeneratedFiles(tmp_path).write_many(CERTIFICATES)
    (tmp_path / "out/todistukset/1.docx").write_bytes(b"edited")
    (tmp_path / "out/todistukset/3.docx").write_bytes(b"edited")
    again = [(path, data + b" again") for path, data in CERTIFICATES]
    with pytest.raises(RefusedError) as caught:
        GeneratedFiles(tmp_path).write_many(again)
    assert str(caught.value) == (
        "2 files were changed after facilitate wrote them, or were not written by it:\n"
        "  out/todistukset/1.docx\n"
        "  out/todistukset/3.docx\n"
        "pass --force to replace them (your versions are kept as .bak files beside them)"
    )
    assert (tmp_path / "out/todistukset/0.docx").read_bytes() == b"certificate 0"
    GeneratedFiles(tmp_path).write_many(again, force=True)
    assert (tmp_path / "out/todistukset/0.docx").read_bytes() == b"certificate 0 again"
    assert (tmp_path / "out/todistukset/3.docx.bak").read_bytes() == b"edited"
    assert not (tmp_path / "out/todistukset/0.docx.bak").exists()


def test_write_many_stopped_by_a_busy_file_records_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace = os.replace

    def busy(source: Path, target: Path) -> None:
        if Path(target).name == "3.docx":
            raise PermissionError(13, "The process cannot access the file")
        replace(source, target)

    monkeypatch.setattr(output.os, "replace", busy)
    with pytest.raises(FileBusyError, match=r"^out/todistukset/3.docx is open"):
        GeneratedFiles(tmp_path).write_many(CERTIFICATES)
    monkeypatch.undo()
    assert sorted(manifest(tmp_path)) == [f"out/todistukset/{i}.docx" for i in range(3)]
    assert leftovers(tmp_path) == []
    GeneratedFiles(tmp_path).write_many(CERTIFICATES)  # once Word is closed
    assert len(manifest(tmp_path)) == 5


def test_write_many_killed_midway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    interrupt_writing(monkeypatch, "2.docx")
    with pytest.raises(KeyboardInterrupt):
        GeneratedFiles(tmp_path).write_many(CERTIFICATES)
    monkeypatch.undo()
    assert sorted(p.name for p in (tmp_path / "out/todistukset").iterdir()) == ["0.docx", "1.docx"]
    files = GeneratedFiles(tmp_path)
    assert [files.state(path) for path, _ in CERTIFICATES] == ["generated"] * 2 + ["missing"] * 3
    assert leftovers(tmp_path) == []
